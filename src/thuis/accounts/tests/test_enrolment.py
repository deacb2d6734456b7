"""Issue 15, finding 6: before a user had confirmed a TOTP device, the password alone showed a
new secret at /accounts/tweede-stap/, so whoever had the password enrolled their own device.
Enrolment now needs a one-time activation code, delivered out of band by a beheerder."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thuis.accounts import services
from thuis.accounts.models import ActivationCode
from thuis.core.errors import ValidationFailed

PASSWORD = "Thuis-test-2026!"
OTP = "/accounts/tweede-stap/"


def _password_only(user: Any) -> Client:
    client = Client()
    assert (
        client.post(
            "/accounts/inloggen/", {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def _code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_the_password_alone_shows_no_secret_and_links_no_device(regisseur: Any) -> None:
    client = _password_only(regisseur)
    page = client.get(OTP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "activeringscode" in body.lower()
    assert "secret" not in page.context and "qr_data_uri" not in page.context
    assert not TOTPDevice.objects.filter(user=regisseur).exists()
    # Guessing a TOTP code for a device the attacker made elsewhere does not enrol it either.
    device = TOTPDevice.objects.create(user=regisseur, name="aanvaller", confirmed=False)
    client.post(OTP, {"token": _code_for(device)})
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/personen/")["Location"].startswith(OTP)


@pytest.mark.django_db
def test_a_wrong_activation_code_is_refused_and_security_logged(
    regisseur: Any, caplog: pytest.LogCaptureFixture
) -> None:
    services.activation_code_issue(user=regisseur, by="test")
    client = _password_only(regisseur)
    with caplog.at_level(logging.INFO, logger="thuis.security"):
        wrong = client.post(OTP, {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 200
    assert "klopt niet" in wrong.content.decode()
    assert "secret" not in wrong.context
    assert any("event=activation_code_failed" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_activation_code_links_the_app_once(regisseur: Any) -> None:
    code = services.activation_code_issue(user=regisseur, by="test")
    row = ActivationCode.objects.get(user=regisseur)
    assert services.normalise_code(code) not in row.code_hash  # only the hash is stored
    client = _password_only(regisseur)
    assert client.post(OTP, {"code": code}).status_code == 302
    setup = client.get(OTP)
    assert setup.context["setup"] is True
    device = TOTPDevice.objects.get(user=regisseur, confirmed=False)
    assert setup.context["secret"] == base64.b32encode(device.bin_key).decode()
    done = client.post(OTP, {"token": _code_for(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/personen/").status_code == 200
    # The code is spent: another session with the password cannot use it again.
    other = _password_only(regisseur)
    assert not services.activation_code_redeem(user=regisseur, code=code)
    # With a linked app the second step asks for the app's code, never for a new secret.
    assert other.get(OTP).context["setup"] is False


@pytest.mark.django_db
def test_activation_code_expires_and_a_new_one_replaces_the_old(regisseur: Any) -> None:
    old = services.activation_code_issue(user=regisseur, by="test")
    new = services.activation_code_issue(user=regisseur, by="test")
    assert not services.activation_code_redeem(user=regisseur, code=old)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        assert not services.activation_code_redeem(user=regisseur, code=new)
    assert services.activation_code_redeem(user=regisseur, code=new)


@pytest.mark.django_db
def test_code_entered_in_one_session_does_not_enrol_another(regisseur: Any) -> None:
    code = services.activation_code_issue(user=regisseur, by="test")
    owner = _password_only(regisseur)
    owner.post(OTP, {"code": code})
    thief = _password_only(regisseur)
    page = thief.get(OTP)
    assert "secret" not in page.context


@pytest.mark.django_db
def test_bootstrap_command_prints_a_code_for_the_first_beheerder(make_user: Any) -> None:
    beheerder = make_user("beheerder", username="eerste")
    out = StringIO()
    call_command("gebruiker", "activeringscode", "eerste", stdout=out)
    code = out.getvalue().split(": ", 1)[1].split()[0]
    assert services.activation_code_redeem(user=beheerder, code=code)
    TOTPDevice.objects.create(user=beheerder, name="app", confirmed=True)
    with pytest.raises(CommandError, match="al een gekoppelde app"):
        call_command("gebruiker", "activeringscode", "eerste", stdout=StringIO())
    with pytest.raises(ValidationFailed) as exc:
        services.activation_code_bootstrap(user=beheerder, reset=False)
    assert exc.value.code == "app_al_gekoppeld"
    call_command("gebruiker", "activeringscode", "eerste", "--opnieuw", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=beheerder).exists()
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("gebruiker", "activeringscode", "niemand", stdout=StringIO())
