from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from thuis.cases.rekenhulp_views import rekenhulp_view
from thuis.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home-root"),
    path("", include("thuis.core.urls")),
    path("accounts/", include("thuis.accounts.urls")),
    path("personen/", include("thuis.people.urls")),
    path("trajecten/", include("thuis.cases.urls")),
    path("rekenhulp/", rekenhulp_view, name="rekenhulp"),
    path("verwerkingen/", include("thuis.audit.urls")),
    path("financien/", include("thuis.finance.urls")),
    path("beleid/", include("thuis.policy.urls")),
    path("partners/", include("thuis.partners.urls")),
    path("enquetes/", include("thuis.surveys.urls")),
    path("e/", include("thuis.surveys.respondent_urls")),
    path("", include("thuis.monitoring.urls")),
    path("", include("thuis.migration.urls")),
    path("api/v1/", include("thuis.api.urls")),
    path("duo/v1/", include("thuis.duo.urls")),
    path("duo-koppeling/", include("thuis.duo.screen_urls")),
    path("beheer/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
