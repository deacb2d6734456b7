"""Contract screens: beheerder and beleidsmedewerker of the own municipality."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.partners.models import Contract

pytestmark = pytest.mark.django_db


def _post(org: Any, municipality: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": org.pk,
        "municipality": municipality.pk,
        "product": "B1-route",
        "referral_type": "taal",
        "unit": Contract._meta.get_field("unit").choices[0][0],
        "price": "8500.00",
        "start_date": "2025-01-01",
        "end_date": "",
        "max_units": "",
        **extra,
    }


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.BELEIDSMEDEWERKER])
def test_create_and_edit_contract(
    login: Any, make_user: Any, municipality: Any, org: Any, role: str
) -> None:
    client = login(make_user(role, municipalities=[municipality], username=f"c-{role}"))
    response = client.post("/partners/contracten/nieuw/", _post(org, municipality))
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.price == Decimal("8500.00")
    response = client.post(
        f"/partners/contracten/{contract.pk}/", _post(org, municipality, price="9000.50")
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.price == Decimal("9000.50")
    page = client.get("/partners/contracten/")
    assert "B1-route" in page.content.decode()


def test_contract_of_another_municipality_is_out_of_reach(
    login: Any, make_user: Any, municipality: Any, other_municipality: Any, org: Any
) -> None:
    user = make_user(Role.BELEIDSMEDEWERKER, municipalities=[municipality], username="c-b")
    theirs = Contract.objects.create(
        organisation=org,
        municipality=other_municipality,
        product="Elders",
        referral_type="taal",
        unit=Contract._meta.get_field("unit").choices[0][0],
        price=Decimal("1"),
        start_date="2025-01-01",
    )
    client = login(user)
    assert "Elders" not in client.get("/partners/contracten/").content.decode()
    assert client.get(f"/partners/contracten/{theirs.pk}/").status_code == 404
    response = client.post("/partners/contracten/nieuw/", _post(org, other_municipality))
    assert response.status_code == 200
    assert Contract.objects.count() == 1


def test_end_before_start_is_refused(
    login: Any, make_user: Any, municipality: Any, org: Any
) -> None:
    client = login(make_user(Role.BEHEERDER, municipalities=[municipality], username="c-e"))
    response = client.post(
        "/partners/contracten/nieuw/", _post(org, municipality, end_date="2024-01-01")
    )
    assert response.status_code == 200
    assert not Contract.objects.exists()


def test_regisseur_and_partner_get_no_contracts(
    login: Any, make_user: Any, regisseur: Any, partner: Any
) -> None:
    for user in (regisseur, partner):
        assert login(user).get("/partners/contracten/").status_code == 403


def test_organisation_of_another_gemeente_is_no_choice(
    login: Any, make_user: Any, municipality: Any, other_municipality: Any
) -> None:
    """Issue 15: the form offers only organisations working in an own gemeente, and the
    service refuses a contract with an organisation that does not work in its gemeente."""
    from thuis.core.errors import ValidationFailed
    from thuis.partners import services
    from thuis.partners.models import Organisation

    elsewhere = Organisation.objects.create(name="Alleen-elders", kind="taal")
    elsewhere.municipalities.set([other_municipality])
    user = make_user(Role.BELEIDSMEDEWERKER, municipalities=[municipality], username="c-o")
    client = login(user)
    assert "Alleen-elders" not in client.get("/partners/contracten/nieuw/").content.decode()
    response = client.post("/partners/contracten/nieuw/", _post(elsewhere, municipality))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Contract.objects.exists()
    contract = Contract(
        organisation=elsewhere,
        municipality=municipality,
        product="B1-route",
        referral_type="taal",
        unit=Contract._meta.get_field("unit").choices[0][0],
        price=Decimal("1"),
        start_date="2025-01-01",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.contract_save(by=user, contract=contract)
    assert caught.value.code == "organisatie_andere_gemeente"
    assert not Contract.objects.exists()
