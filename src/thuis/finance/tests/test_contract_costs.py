"""Costs per case from partner contracts and the actual route mix (hand-computed, Decimal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

import pytest

from thuis.accounts.choices import Role
from thuis.cases.models import IntegrationCase, Pip
from thuis.finance import rules, selectors
from thuis.partners.models import Contract, Organisation, PartnerReport, Referral
from thuis.tests import factories

D = Decimal


@pytest.mark.parametrize(
    ("use", "expected"),
    [
        # traject, open: committed in the start year, nothing realised yet.
        (
            rules.ContractUse("leerroute_b1", "traject", D("8500.00"), None, 2025),
            {(2025, "leerroute_b1"): (D("8500.00"), D("0.00"))},
        ),
        # traject, ended the next year: realised in the end year.
        (
            rules.ContractUse("leerroute_z", "traject", D("7250.50"), None, 2024, 2025),
            {
                (2024, "leerroute_z"): (D("7250.50"), D("0.00")),
                (2025, "leerroute_z"): (D("0.00"), D("7250.50")),
            },
        ),
        # per hour, max 40: 40 x 62.35 = 2494.00; 7.75 h x 62.35 = 483.2125 -> 483.21.
        (
            rules.ContractUse("mb", "uur", D("62.35"), 40, 2025, None, {2025: D("7.75")}),
            {(2025, "mb"): (D("2494.00"), D("483.21"))},
        ),
        # per hour, no maximum: committed = realised; 0.5 h x 0.01 = 0.005 -> 0.01 (half up).
        (
            rules.ContractUse("tolk", "uur", D("0.01"), None, 2025, None, {2025: D("0.5")}),
            {(2025, "tolk"): (D("0.01"), D("0.01"))},
        ),
        # per month, max 3: Oct-Dec 2025 (3) and Jan 2026 (capped to 0): 3 x 312.45 = 937.35.
        (
            rules.ContractUse(
                "kinderopvang", "maand", D("312.45"), 3, 2025, None, {}, {2025: 3, 2026: 1}
            ),
            {(2025, "kinderopvang"): (D("937.35"), D("937.35"))},
        ),
    ],
)
def test_contract_costs_table(use: rules.ContractUse, expected: dict[Any, Any]) -> None:
    assert rules.contract_costs([use]) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"B1": 6, "onderwijs": 1, "Z": 3}, (D("60.0"), D("10.0"), D("30.0"))),
        ({"B1": 7, "onderwijs": 2, "Z": 3}, (D("58.3"), D("16.7"), D("25.0"))),
        ({"B1": 5, "onderwijs": 6}, (D("45.5"), D("54.5"), D("0.0"))),
        ({"B1": 5, "onderwijs": 2, "Z": 2}, None),  # 9 PIPs: keep the assumption
        ({}, None),
    ],
)
def test_route_mix(counts: dict[str, int], expected: Any) -> None:
    mix = rules.route_mix(counts)
    assert mix == expected
    if mix is not None:
        assert sum(mix) == D(100)


@pytest.mark.parametrize(
    ("own", "referral_type", "leerroute", "expected"),
    [
        ("", "taal", "B1", "leerroute_b1"),
        ("", "taal", "onderwijs", "leerroute_onderwijs"),
        ("", "taal", "", "overig"),
        ("", "mb", "Z", "mb"),
        ("tolk", "mb", "", "tolk"),
        ("", "sport", "", "overig"),
    ],
)
def test_contract_category(own: str, referral_type: str, leerroute: str, expected: str) -> None:
    assert (
        rules.contract_category(
            contract_category=own, referral_type=referral_type, leerroute=leerroute
        )
        == expected
    )


def _case(municipality: Any, *routes: str) -> IntegrationCase:
    case = factories.CaseFactory(person=factories.PersonFactory(municipality=municipality))
    for version, route in enumerate(routes, start=1):
        Pip.objects.create(
            case=case,
            version=version,
            dagtekening=date(2024, version, 1),
            leerroute=route,
            niveau="B1",
            reason="test",
        )
    return case


def _referral(case: IntegrationCase, org: Organisation, **kw: Any) -> Referral:
    return Referral.objects.create(
        municipality=case.municipality, person=case.person, case=case, organisation=org, **kw
    )


def _contract(org: Organisation, municipality: Any, **kw: Any) -> Contract:
    defaults = {"product": "p", "start_date": date(2024, 1, 1)}
    return Contract.objects.create(
        organisation=org, municipality=municipality, **{**defaults, **kw}
    )


@pytest.mark.django_db
def test_contract_costs_per_year_and_category(municipality: Any, other_municipality: Any) -> None:
    org = Organisation.objects.create(name="Taal & Zo", kind="taal")
    org.municipalities.set([municipality, other_municipality])
    _contract(org, municipality, referral_type="taal", unit="traject", price=D("8500.00"))
    _contract(
        org,
        municipality,
        referral_type="taal",
        unit="traject",
        price=D("7250.50"),
        cost_category="leerroute_z",
        start_date=date(2024, 6, 1),
    )
    mb = _contract(
        org, municipality, referral_type="mb", unit="uur", price=D("62.35"), max_units=40
    )
    opvang = _contract(
        org,
        municipality,
        referral_type="sport",
        unit="maand",
        price=D("312.45"),
        max_units=3,
        cost_category="kinderopvang",
    )
    a = _case(municipality, "B1")
    b = _case(municipality, "B1", "Z")  # latest PIP: Z-route
    _referral(
        a,
        org,
        referral_type="taal",
        status="active",
        sent_on=date(2025, 1, 20),
        started_on=date(2025, 2, 1),
    )
    hours = _referral(
        a,
        org,
        referral_type="mb",
        status="active",
        sent_on=date(2025, 1, 2),
        started_on=date(2025, 1, 10),
        contract=mb,
    )
    for start, h in ((date(2025, 1, 10), "3.5"), (date(2025, 2, 1), "4.25")):
        PartnerReport.objects.create(
            referral=hours, kind="uren_taal", period_start=start, period_end=start, hours=D(h)
        )
    _referral(
        b,
        org,
        referral_type="taal",
        status="ended",
        sent_on=date(2024, 8, 1),
        started_on=date(2024, 9, 1),
        ended_on=date(2025, 11, 30),
        end_reason="finished",
    )
    _referral(
        b,
        org,
        referral_type="sport",
        status="active",
        sent_on=date(2025, 10, 1),
        started_on=date(2025, 10, 15),
        contract=opvang,
    )
    # Left out: a closed case, a declined referral, another gemeente.
    closed = _case(municipality, "B1")
    IntegrationCase.objects.filter(pk=closed.pk).update(status="voldaan")
    _referral(closed, org, referral_type="taal", status="active", sent_on=date(2025, 1, 1))
    _referral(
        _case(municipality, "B1"),
        org,
        referral_type="taal",
        status="declined",
        sent_on=date(2025, 1, 1),
    )
    elsewhere = _case(other_municipality, "B1")
    _contract(org, other_municipality, referral_type="taal", unit="traject", price=D("1.00"))
    _referral(elsewhere, org, referral_type="taal", status="active", sent_on=date(2025, 1, 1))

    rows = selectors.contract_cost_rows(municipality=municipality, today=date(2026, 1, 20))
    got = {(r["year"], r["category"]): (r["committed"], r["realised"]) for r in rows}
    assert got == {
        (2024, "leerroute_z"): (D("7250.50"), D("0.00")),
        (2025, "leerroute_b1"): (D("8500.00"), D("0.00")),
        (2025, "leerroute_z"): (D("0.00"), D("7250.50")),
        (2025, "mb"): (D("2494.00"), D("483.21")),
        (2025, "kinderopvang"): (D("937.35"), D("937.35")),
    }


@pytest.mark.django_db
def test_new_scenario_starts_with_the_actual_route_mix(
    municipality: Any, make_user: Any, login: Any
) -> None:
    for _ in range(6):
        _case(municipality, "B1")
    _case(municipality, "onderwijs")
    for _ in range(2):
        _case(municipality, "Z")
    params = selectors.default_params_for(municipality=municipality, first_year=2026)
    assert params == rules.default_params(first_year=2026)  # 9 PIPs: the assumption
    _case(municipality, "B1", "Z")  # 10th case, latest PIP Z
    params = selectors.default_params_for(municipality=municipality, first_year=2026)
    assert (params.share_b1_pct, params.share_onderwijs_pct, params.share_z_pct) == (
        D("60.0"),
        D("10.0"),
        D("30.0"),
    )
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="beleid-mix"))
    page = client.get(reverse("finance:scenario-create"))
    assert page.status_code == 200
    assert page.context["form"].initial["share_b1_pct"] == "60,0"
    dashboard = client.get(reverse("finance:dashboard")).content.decode()
    assert "Verdeling over de leerroutes nu" in dashboard
    # Every route has 0 < n < 10 cases: all shares are hidden (small cells).
    assert "60,0%" not in dashboard and "x</dd>" in dashboard


@pytest.mark.django_db
def test_route_mix_cells_suppress_small_routes(settings: Any) -> None:
    settings.THUIS_DISCLOSURE_K = 3
    cells = selectors.route_mix_cells(counts={"B1": 6, "onderwijs": 1, "Z": 3})
    # onderwijs (1) is hidden; secondary: the smallest other non-zero route (Z, 3) too.
    assert [c["share"] for c in cells] == ["60,0%", "x", "x"]
    settings.THUIS_DISCLOSURE_K = 1
    cells = selectors.route_mix_cells(counts={"B1": 6, "onderwijs": 1, "Z": 3})
    assert [c["share"] for c in cells] == ["60,0%", "10,0%", "30,0%"]
