"""API keys of systems (issue 15, finding 6): no staff tokens; keys hashed, prefixed, expiring,
revocable, scoped to one gemeente and one purpose, for system accounts only."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from thuis.accounts import services
from thuis.accounts.choices import Role, TokenPurpose
from thuis.accounts.models import ApiToken
from thuis.accounts.tokens import hash_token
from thuis.audit.models import ProcessingRecord
from thuis.core.errors import NotAllowed, ValidationFailed

pytestmark = pytest.mark.django_db
ROOT = services.BOOTSTRAP_KEY_ACTOR


def _key(municipality: Any, purpose: str = TokenPurpose.INDICATOREN, **kw: Any) -> Any:
    return services.api_token_create(
        by=ROOT, purpose=purpose, municipality=municipality, name="bi", **kw
    )


def _get(url: str, raw: str) -> Any:
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_drf_authtoken_is_gone() -> None:
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert classes == ["thuis.api.auth.VerifiedSessionAuthentication"]


def test_a_staff_user_has_no_token_way_in(make_user: Any, municipality: Any) -> None:
    """A regisseur's password alone (no second factor) opens no API endpoint."""
    regisseur = make_user(Role.REGISSEUR, username="r-key")
    client = Client()
    client.force_login(regisseur)  # the password step only: no second factor in the session
    response = client.get("/api/v1/personen/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "WWW-Authenticate" in response


def test_key_is_hashed_prefixed_and_bound_to_a_system_account(municipality: Any) -> None:
    token, raw = _key(municipality)
    assert raw.startswith("thuis_") and len(raw) >= 40
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert ApiToken.objects.filter(key_hash__contains=raw[6:20]).count() == 0
    account = token.account
    assert account.is_system_account and not account.has_usable_password()
    assert list(account.municipalities.all()) == [municipality]
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/inloggen/")
    assert authenticate(request, username=account.username, password="") is None
    assert authenticate(request, username=account.username, password="!") is None


def test_key_opens_its_purpose_only(municipality: Any) -> None:
    url = f"/api/v1/indicatoren/WERK_12M/?gemeente={municipality.code}"
    _, raw = _key(municipality)
    assert _get(url, raw).status_code == 200
    for other in ["/api/v1/personen/", "/api/v1/trajecten/", "/api/v1/partner/verwijzingen/"]:
        assert _get(other, raw).status_code == 401, other
    body = json.dumps({"plicht_start": "2023-03-01"})
    rekenhulp = Client().post(
        "/api/v1/rekenhulp/", body, "application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert rekenhulp.status_code == 401


def test_key_sees_its_own_gemeente_only(municipality: Any, other_municipality: Any) -> None:
    _, raw = _key(municipality)
    assert (
        _get(f"/api/v1/indicatoren/WERK_12M/?gemeente={other_municipality.code}", raw).status_code
        == 404
    )


def test_expired_revoked_or_widened_keys_are_refused(
    municipality: Any, other_municipality: Any
) -> None:
    url = f"/api/v1/indicatoren/WERK_12M/?gemeente={municipality.code}"
    token, raw = _key(municipality)
    assert _get(url, raw).status_code == 200
    # An account that someone gave a second gemeente no longer matches its key's scope.
    token.account.municipalities.add(other_municipality)
    assert _get(url, raw).status_code == 401
    token.account.municipalities.remove(other_municipality)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(url, raw).status_code == 401
    token2, raw2 = _key(municipality)
    services.api_token_revoke(by=ROOT, token=token2)
    assert _get(url, raw2).status_code == 401
    token3, raw3 = _key(municipality)
    token3.account.is_active = False
    token3.account.save()
    assert _get(url, raw3).status_code == 401


def test_keys_need_a_beheerder_of_the_gemeente(
    make_user: Any, municipality: Any, other_municipality: Any
) -> None:
    regisseur = make_user(Role.REGISSEUR, username="r-key2")
    with pytest.raises(NotAllowed) as denied:
        services.api_token_create(
            by=regisseur, purpose=TokenPurpose.REKENHULP, municipality=municipality, name="x"
        )
    assert denied.value.code == "niet_toegestaan"
    beheerder_b = make_user(Role.BEHEERDER, municipalities=[other_municipality], username="b-b")
    with pytest.raises(ValidationFailed) as exc:
        services.api_token_create(
            by=beheerder_b, purpose=TokenPurpose.REKENHULP, municipality=municipality, name="x"
        )
    assert exc.value.code == "sleutel_ongeldig"
    assert "municipality" in exc.value.fields
    token, _ = _key(municipality)
    with pytest.raises(NotAllowed) as denied:
        services.api_token_revoke(by=beheerder_b, token=token)
    assert denied.value.code == "niet_toegestaan"
    with pytest.raises(ValidationFailed) as exc:
        services.api_token_create(
            by=ROOT, purpose=TokenPurpose.PARTNER_VERWIJZINGEN, municipality=municipality, name="x"
        )
    assert exc.value.code == "sleutel_ongeldig"
    assert "organisation" in exc.value.fields
    assert ApiToken.objects.count() == 1


def test_making_and_revoking_are_logged_with_old_and_new(municipality: Any) -> None:
    token, raw = _key(municipality)
    services.api_token_revoke(by=ROOT, token=token)
    services.api_token_revoke(by=ROOT, token=token)  # idempotent: one revocation
    records = ProcessingRecord.objects.filter(object_type="api_token").order_by("id")
    assert [r.action for r in records] == ["create", "update"]
    assert raw not in json.dumps([r.changes for r in records])
    assert records[1].changes["ingetrokken"]["oud"] is None


def test_system_accounts_are_not_on_the_user_screen(make_user: Any, municipality: Any) -> None:
    from thuis.accounts import scope

    beheerder = make_user(Role.BEHEERDER, username="b-a")
    token, _ = _key(municipality)
    assert token.account not in scope.managed_users(beheerder)
    assert list(scope.api_tokens_for_beheerder(beheerder)) == [token]


def test_command_makes_lists_and_revokes(municipality: Any) -> None:
    out = StringIO()
    call_command(
        "sleutel",
        "maak",
        "--gemeente",
        municipality.code,
        "--doel",
        "indicatoren",
        "--omschrijving",
        "BI",
        "--dagen",
        "30",
        stdout=out,
    )
    raw = next(line for line in out.getvalue().splitlines() if line.startswith("thuis_"))
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw)
    assert token.expires_at - timezone.now() <= timedelta(days=30)
    listing = StringIO()
    call_command("sleutel", "lijst", stdout=listing)
    assert raw not in listing.getvalue() and token.prefix in listing.getvalue()
    call_command("sleutel", "intrekken", str(token.pk), stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked


def test_a_system_account_cannot_log_in_even_with_a_password(municipality: Any) -> None:
    token, _ = _key(municipality)
    token.account.set_password("Een-lang-wachtwoord-2026")
    token.account.save()
    client = Client()
    response = client.post(
        "/accounts/inloggen/",
        {"username": token.account.username, "password": "Een-lang-wachtwoord-2026"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "klopt niet" in response.content.decode()
