"""The beheerder's user screen (issue 15): users of the own gemeenten only; the activation code
is shown once; services validate and write the audit event with old and new values."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from thuis.accounts import services
from thuis.accounts.choices import Role
from thuis.accounts.models import ActivationCode, Team, User
from thuis.audit.models import ProcessingRecord
from thuis.core.errors import NotAllowed, ValidationFailed

URL = "/accounts/gebruikers/"
PASSWORD = "Een-sterk-wachtwoord-2026"


@pytest.fixture
def beheerder(make_user: Any) -> Any:
    return make_user(Role.BEHEERDER, username="beheer")


@pytest.fixture
def stranger(make_user: Any, other_municipality: Any) -> Any:
    return make_user(Role.REGISSEUR, municipalities=[other_municipality], username="elders")


def _form(municipality: Any, **changed: Any) -> dict[str, Any]:
    return {
        "username": "nieuw",
        "first_name": "Nina",
        "last_name": "Nieuw",
        "email": "",
        "role": Role.REGISSEUR,
        "municipalities": [municipality.pk],
        "team": "",
        "password": PASSWORD,
        **changed,
    }


@pytest.mark.django_db
def test_list_shows_own_gemeente_users_only(
    login: Any,
    beheerder: Any,
    regisseur: Any,
    stranger: Any,
    make_user: Any,
    municipality: Any,
    other_municipality: Any,
) -> None:
    both = make_user(
        Role.REGISSEUR, municipalities=[municipality, other_municipality], username="beide"
    )
    page = login(beheerder).get(URL)
    assert page.status_code == 200
    listed = {u.username for u in page.context["users"]}
    assert "regisseur" in listed and "beheer" in listed
    assert "elders" not in listed
    assert both.username not in listed  # also of another gemeente: managed there


@pytest.mark.django_db
def test_create_shows_the_activation_code_once(
    login: Any, beheerder: Any, municipality: Any
) -> None:
    client = login(beheerder)
    created = client.post(URL, _form(municipality))
    assert created.status_code == 200
    code = created.context["shown"]["code"]
    assert code in created.content.decode()
    user = User.objects.get(username="nieuw")
    assert user.check_password(PASSWORD)
    assert list(user.municipalities.all()) == [municipality]
    assert services.normalise_code(code) not in ActivationCode.objects.get(user=user).code_hash
    assert code not in client.get(URL).content.decode()
    record = ProcessingRecord.objects.get(object_type="user", object_id=str(user.pk))
    assert record.changes["rol"] == {"oud": None, "nieuw": "regisseur"}
    assert record.changes["gemeenten"] == {"oud": None, "nieuw": ["0148"]}
    # The new user links the app with this code.
    assert services.activation_code_redeem(user=user, code=code)


@pytest.mark.django_db
def test_cannot_grant_another_gemeente(
    login: Any, beheerder: Any, municipality: Any, other_municipality: Any
) -> None:
    page = login(beheerder).post(
        URL, _form(municipality, municipalities=[municipality.pk, other_municipality.pk])
    )
    assert page.status_code == 200
    assert page.context["form"].errors["municipalities"]
    assert not User.objects.filter(username="nieuw").exists()
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            by=beheerder,
            username="nieuw",
            first_name="",
            last_name="",
            email="",
            role=Role.BEHEERDER,
            municipalities=[other_municipality],
            team=None,
            password=PASSWORD,
        )
    assert exc.value.code == "gebruiker_ongeldig"
    assert "municipalities" in exc.value.fields


@pytest.mark.django_db
def test_beheerder_role_only_for_own_gemeenten_and_no_partner_role(
    beheerder: Any, municipality: Any, other_municipality: Any
) -> None:
    kwargs: dict[str, Any] = {
        "by": beheerder,
        "first_name": "",
        "last_name": "",
        "email": "",
        "team": None,
        "password": PASSWORD,
    }
    user, _ = services.user_create(
        username="beheer2", role=Role.BEHEERDER, municipalities=[municipality], **kwargs
    )
    assert user.role == Role.BEHEERDER
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            username="partner2", role=Role.PARTNER, municipalities=[municipality], **kwargs
        )
    assert exc.value.code == "gebruiker_ongeldig" and "role" in exc.value.fields
    other_team = Team.objects.create(municipality=other_municipality, name="Elders")
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(
            username="t2",
            role=Role.REGISSEUR,
            municipalities=[municipality],
            **{**kwargs, "team": other_team},
        )
    assert exc.value.code == "gebruiker_ongeldig" and "team" in exc.value.fields


@pytest.mark.django_db
def test_duplicate_username_and_weak_password_are_field_errors(
    login: Any, beheerder: Any, regisseur: Any, municipality: Any
) -> None:
    client = login(beheerder)
    duplicate = client.post(URL, _form(municipality, username="Regisseur"))
    assert "bestaat al" in duplicate.context["form"].errors["username"][0]
    weak = client.post(URL, _form(municipality, password="kort"))
    assert weak.context["form"].errors["password"]
    assert not User.objects.filter(username="nieuw").exists()


@pytest.mark.django_db
def test_reset_second_factor_removes_the_app_and_shows_a_new_code(
    login: Any, beheerder: Any, regisseur: Any
) -> None:
    user_client = login(regisseur)
    assert user_client.get("/personen/").status_code == 200
    page = login(beheerder).post(f"{URL}{regisseur.pk}/tweede-stap-opnieuw/")
    assert page.status_code == 200
    code = page.context["shown"]["code"]
    assert not TOTPDevice.objects.filter(user=regisseur).exists()
    # The user's session lost its second factor; the password alone shows no secret.
    assert user_client.get("/personen/")["Location"].startswith("/accounts/tweede-stap/")
    assert services.activation_code_redeem(user=regisseur, code=code)
    assert ProcessingRecord.objects.filter(object_type="totp_device").exists()


@pytest.mark.django_db
def test_other_gemeente_user_is_404_for_every_action(
    login: Any, beheerder: Any, stranger: Any
) -> None:
    client = login(beheerder)
    assert client.post(f"{URL}{stranger.pk}/tweede-stap-opnieuw/").status_code == 404
    assert client.post(f"{URL}{stranger.pk}/actief/", {"actief": "0"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert not ActivationCode.objects.filter(user=stranger).exists()


@pytest.mark.django_db
def test_deactivate_and_activate(login: Any, beheerder: Any, regisseur: Any) -> None:
    user_client = login(regisseur)
    client = login(beheerder)
    assert client.post(f"{URL}{regisseur.pk}/actief/", {"actief": "0"}).status_code == 302
    regisseur.refresh_from_db()
    assert not regisseur.is_active
    assert user_client.get("/personen/").status_code == 302  # the session ended
    record = ProcessingRecord.objects.filter(object_type="user").latest("pk")
    assert record.changes == {"actief": {"oud": True, "nieuw": False}}
    client.post(f"{URL}{regisseur.pk}/actief/", {"actief": "1"})
    regisseur.refresh_from_db()
    assert regisseur.is_active
    with pytest.raises(ValidationFailed) as exc:
        services.user_set_active(by=beheerder, user=beheerder, active=False)
    assert exc.value.code == "eigen_account_uitzetten"


@pytest.mark.django_db
def test_only_a_beheerder_manages_users(login: Any, regisseur: Any, municipality: Any) -> None:
    assert login(regisseur).get(URL).status_code == 403
    with pytest.raises(NotAllowed) as exc:
        services.second_factor_reset(by=regisseur, user=regisseur)
    assert exc.value.code == "niet_toegestaan"


@pytest.mark.django_db
def test_user_screen_needs_the_second_factor(beheerder: Any) -> None:
    client = Client()
    client.force_login(beheerder)  # password only, no second factor
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/tweede-stap/")


@pytest.mark.django_db
def test_a_bidi_control_in_a_name_is_a_field_error(
    login: Any, beheerder: Any, municipality: Any
) -> None:
    """Issue 15 item 7: U+202E in a name is refused at the field, in Dutch."""
    client = login(beheerder)
    page = client.post(URL, _form(municipality, last_name="Nieuw\u202eexe.fdp"))
    assert "onzichtbaar stuurteken" in page.context["form"].errors["last_name"][0]
    assert not User.objects.filter(username="nieuw").exists()
    created = client.post(URL, _form(municipality, first_name="محمد", last_name="ተስፋይ"))
    assert created.status_code == 200
    assert User.objects.get(username="nieuw").last_name == "ተስፋይ"
