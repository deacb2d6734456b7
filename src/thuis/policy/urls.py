from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.home, name="home"),
    path("plannen/nieuw/", views.plan_create, name="plan-create"),
    path("plannen/<int:pk>/", views.plan_detail, name="plan"),
    path("plannen/<int:pk>/wijzigen/", views.plan_edit, name="plan-edit"),
    path("plannen/<int:pk>/verwijderen/", views.plan_delete, name="plan-delete"),
    path("plannen/<int:pk>/thema/", views.theme_create, name="theme-create"),
    path("themas/<int:pk>/wijzigen/", views.theme_edit, name="theme-edit"),
    path("themas/<int:pk>/verwijderen/", views.theme_delete, name="theme-delete"),
    path("themas/<int:pk>/doel/", views.goal_create, name="goal-create"),
    path("themas/<int:pk>/actie/", views.action_create, name="action-create"),
    path("doelen/<int:pk>/wijzigen/", views.goal_edit, name="goal-edit"),
    path("doelen/<int:pk>/verwijderen/", views.goal_delete, name="goal-delete"),
    path("acties/<int:pk>/wijzigen/", views.action_edit, name="action-edit"),
    path("acties/<int:pk>/verwijderen/", views.action_delete, name="action-delete"),
    path("rapporten/nieuw/", views.report_create, name="report-create"),
    path("rapporten/<int:pk>/", views.report_detail, name="report"),
    path("rapporten/<int:pk>/wijzigen/", views.report_edit, name="report-edit"),
    path("rapporten/<int:pk>/voorstellen/", views.report_suggest, name="report-suggest"),
    path("rapporten/<int:pk>/maken/", views.report_generate, name="report-generate"),
    path("rapporten/<int:pk>/aandachtspunt/", views.point_create, name="point-create"),
    path("aandachtspunten/<int:pk>/wijzigen/", views.point_edit, name="point-edit"),
    path("aandachtspunten/<int:pk>/verwijderen/", views.point_delete, name="point-delete"),
    path("opdrachten/<int:pk>/", views.job_status, name="job"),
    path("versies/<int:pk>/download/", views.version_download, name="version-download"),
    path("versies/<int:pk>/vaststellen/", views.version_publish, name="version-publish"),
    path("versies/<int:pk>/verwijderen/", views.version_delete, name="version-delete"),
    path("versies/<int:pk>/publicatiepakket/", views.version_package, name="version-package"),
    path("versies/<int:pk>/verzenden/", views.version_distribute, name="version-distribute"),
]
