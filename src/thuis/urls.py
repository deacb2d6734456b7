from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from thuis.accounts.views import home
from thuis.cases import caseload_views
from thuis.cases.overview_views import overview
from thuis.cases.rekenhulp_views import rekenhulp_view
from thuis.core import urls as core_urls
from thuis.people import urls as people_urls

# The site's own pages keep their `core:` names; core (the bottom layer) imports no app, so the
# start page (accounts) and the overview (cases) are mounted here, in the composition root.
site_pages = [
    path("start/", home, name="home"),
    path("overzicht/", overview, name="overview"),
    *core_urls.urlpatterns,
]
# The same for the caseload and the person page: they list cases, so they live in cases.
person_pages = [
    path("", caseload_views.caseload, name="caseload"),
    path("<int:pk>/", caseload_views.person_detail, name="detail"),
    *people_urls.urlpatterns,
]

urlpatterns = [
    path("", home, name="home-root"),
    path("", include((site_pages, core_urls.app_name))),
    path("accounts/", include("thuis.accounts.urls")),
    path("personen/", include((person_pages, people_urls.app_name))),
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
