"""Issue 15 (low): the public survey link took any number of submissions from one client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from thuis.surveys import services
from thuis.surveys.choices import VersionStatus
from thuis.surveys.models import Response

from .sample import workbook_bytes
from .test_views import FIRST, SHOWN

DONE = {**FIRST, "q_cursus": "nee", "getoond": SHOWN}


@pytest.fixture
def url(municipality: Any) -> str:
    v = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    services.version_set_status(version=v, status=VersionStatus.OPEN)
    services.public_link_create(version=v)
    v.refresh_from_db()
    return reverse("respond:public", kwargs={"token": v.public_token})


def _limits(**changed: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return {**settings.THUIS_RATE_LIMITS, **changed}


@pytest.mark.django_db
def test_submissions_per_client_address_are_limited(url: str) -> None:
    with override_settings(THUIS_RATE_LIMITS=_limits(**{"survey-ip": (2, 3600)})):
        client = Client(REMOTE_ADDR="192.0.2.1")
        for _ in range(2):
            assert client.post(url, DONE).status_code == 302
        # Pages before the submission are not counted.
        assert client.get(url + "?taal=ar").status_code == 200
        limited = client.post(url, DONE)
        assert limited.status_code == 429
        assert int(limited["Retry-After"]) > 0
        assert "Te vaak geprobeerd" in limited.content.decode()
        assert Response.objects.count() == 2
        # A forged X-Forwarded-For does not give a fresh address.
        forged = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert forged.post(url, DONE).status_code == 429
        assert Client(REMOTE_ADDR="192.0.2.2").post(url, DONE).status_code == 302


@pytest.mark.django_db
def test_submissions_per_link_are_limited(url: str) -> None:
    with override_settings(THUIS_RATE_LIMITS=_limits(**{"survey-link": (3, 3600)})):
        for n in range(3):
            assert Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(url, DONE).status_code == 302
        assert Client(REMOTE_ADDR="192.0.2.50").post(url, DONE).status_code == 429
        assert Response.objects.count() == 3
