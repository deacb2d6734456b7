from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("portaal/", views.portal, name="portal"),
    path("portaal/verwijzingen/<int:pk>/", views.portal_referral, name="portal-referral"),
    path(
        "portaal/verwijzingen/<int:pk>/status/",
        views.portal_referral_transition,
        name="portal-referral-transition",
    ),
    path("portaal/verwijzingen/<int:pk>/rapportage/", views.portal_report, name="portal-report"),
    path("portaal/inlezen/", views.portal_import, name="portal-import"),
    path("personen/<int:pk>/verwijzen/", views.referral_create, name="referral-create"),
    path("verwijzingen/<int:pk>/status/", views.referral_transition, name="referral-transition"),
    path("personen/<int:pk>/deelname/", views.spell_create, name="spell-create"),
    path("personen/<int:pk>/steunnetwerk/", views.contact_create, name="contact-create"),
    path("deelname/inlezen/", views.spell_import, name="spell-import"),
    path("beheer/sleutels/", views.tokens, name="tokens"),
    path("beheer/sleutels/<int:pk>/intrekken/", views.token_revoke, name="token-revoke"),
    path("contracten/", views.contracts, name="contracts"),
    path("contracten/nieuw/", views.contract_edit, name="contract-create"),
    path("contracten/<int:pk>/", views.contract_edit, name="contract-edit"),
    path("meldingen/", views.notifications, name="notifications"),
]
