"""DUO screens (mounted at /duo-koppeling/; behind login and the second factor)."""

from django.urls import path

from . import views

app_name = "duo"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/opnieuw/", views.inbox_reprocess, name="inbox-reprocess"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/opnieuw/", views.outbox_retry, name="outbox-retry"),
    path("signalen/", views.signals, name="signals"),
    path("signalen/<int:pk>/afhandelen/", views.signal_resolve, name="signal-resolve"),
    path("trajecten/<int:pk>/", views.case_duo, name="case"),
    path("trajecten/<int:pk>/pip/", views.case_pip, name="case-pip"),
    path("trajecten/<int:pk>/resultaat/", views.case_resultaat, name="case-resultaat"),
]
