from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thuis.accounts import services

PASSWORD = "Thuis-test-2026!"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_login_requires_second_factor_and_sets_it_up(regisseur: Any) -> None:
    client = Client()
    response = client.post("/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/tweede-stap/")
    # Without the second factor every page sends the user back to the OTP step.
    assert client.get("/personen/")["Location"].startswith("/accounts/tweede-stap/")
    # No app linked yet: first the activation code from the beheerder, then the secret.
    code = services.activation_code_issue(user=regisseur, by="test")
    assert "secret" not in client.get("/accounts/tweede-stap/").context
    activated = client.post("/accounts/tweede-stap/", {"code": code.lower()})
    assert activated.status_code == 302
    page = client.get("/accounts/tweede-stap/")
    assert page.context["setup"] is True
    device = TOTPDevice.objects.get(user=regisseur, confirmed=False)
    wrong = client.post("/accounts/tweede-stap/", {"token": "000000"})
    assert wrong.status_code == 200
    assert "klopt niet" in wrong.content.decode()
    # django-otp throttles after a failure (1 s, doubling); a moment later the right code works.
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        device.refresh_from_db()
        ok = client.post("/accounts/tweede-stap/", {"token": _code(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/personen/").status_code == 200


@pytest.mark.django_db
def test_session_id_rotates_on_login(regisseur: Any) -> None:
    client = Client()
    client.get("/accounts/inloggen/")
    client.cookies["sessionid"] = "attacker-fixed-session"
    client.post("/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-fixed-session"


@pytest.mark.django_db
@override_settings(THUIS_2FA_REQUIRED=False)
def test_demo_without_second_factor_shows_notice(regisseur: Any) -> None:
    with override_settings(THUIS_DEMO=True):
        client = Client()
        client.post("/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD})
        page = client.get("/personen/")
        assert page.status_code == 200
        assert "tweede inlogstap" in page.content.decode()


@pytest.mark.django_db
def test_lockout_after_five_failures(regisseur: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/inloggen/", {"username": "regisseur", "password": "fout"})
    locked = client.post("/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD})
    assert locked.status_code == 429
    assert "geblokkeerd" in locked.content.decode()
    # A different IP address does not help: the lock is per account.
    other = Client(REMOTE_ADDR="10.9.8.7")
    again = other.post("/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD})
    assert again.status_code == 429


@pytest.mark.django_db
def test_lockout_ends_after_cooloff(regisseur: Any) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            client.post("/accounts/inloggen/", {"username": "regisseur", "password": "fout"})
        traveller.shift(timedelta(minutes=16))
        response = client.post(
            "/accounts/inloggen/", {"username": "regisseur", "password": PASSWORD}
        )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("steps", "logged_out"),
    [
        ([timedelta(minutes=29)], False),
        ([timedelta(minutes=31)], True),  # idle timeout 30 minutes
        ([timedelta(minutes=25)] * 20, False),  # active for 8h20m: still in
        ([timedelta(minutes=25)] * 29 + [timedelta(minutes=10)], True),  # absolute 12 h
    ],
)
def test_session_timeouts(
    login: Any, regisseur: Any, steps: list[timedelta], logged_out: bool
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(regisseur)
        assert client.get("/personen/").status_code == 200
        response = None
        for step in steps:
            traveller.shift(step)
            response = client.get("/personen/")
            if response.status_code != 200:
                break
    assert response is not None
    if logged_out:
        assert response.status_code == 302
        assert "verlopen=1" in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_inactive_user_loses_access(login: Any, regisseur: Any) -> None:
    client = login(regisseur)
    regisseur.is_active = False
    regisseur.save()
    assert client.get("/personen/").status_code == 302


@pytest.mark.django_db
def test_role_change_ends_sessions(login: Any, regisseur: Any) -> None:
    client = login(regisseur)
    assert client.get("/personen/").status_code == 200
    regisseur.role = "beleidsmedewerker"
    regisseur.save()
    response = client.get("/personen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/inloggen/")


@pytest.mark.django_db
def test_page_views_within_a_minute_do_not_write_the_session(login: Any, regisseur: Any) -> None:
    """The last-seen time is kept to the minute: a page view within a minute writes nothing,
    and the idle timeout still counts from the last recorded activity (never later)."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(regisseur)
        assert client.get("/personen/").status_code == 200
        key = client.session.session_key
        stored = Session.objects.get(session_key=key).session_data
        traveller.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/personen/").status_code == 200
        assert not [q for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]
        assert Session.objects.get(session_key=key).session_data == stored
        traveller.shift(timedelta(seconds=31))  # 61 s after the recorded activity: written
        assert client.get("/personen/").status_code == 200
        assert Session.objects.get(session_key=key).session_data != stored
        # Idle for 29 min 30 s after a view that was not recorded (30 s after the last one):
        # 30 min since the recorded activity, so the session has ended.
        traveller.shift(timedelta(seconds=30))
        client.get("/personen/")
        traveller.shift(timedelta(minutes=29, seconds=31))
        response = client.get("/personen/")
    assert response.status_code == 302 and "verlopen=1" in response["Location"]
