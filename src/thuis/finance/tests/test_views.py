"""Finance screens, API and command end to end through the client."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from thuis.accounts.choices import Role
from thuis.demo.finance import seed_finance_demo
from thuis.finance import rules
from thuis.finance.choices import BudgetSource, CostCategory
from thuis.finance.models import BudgetLine, CostEntry, Scenario
from thuis.people.models import MunicipalityPopulation

D = Decimal  # short for the money tables below

pytestmark = pytest.mark.django_db

PAGES = [
    "finance:dashboard",
    "finance:budget",
    "finance:rates",
    "finance:costs",
    "finance:cost-import",
    "finance:scenarios",
    "finance:scenario-create",
    "finance:export",
]


@pytest.fixture
def demo(municipality: Any, make_user: Any) -> dict[str, Any]:
    scenario = seed_finance_demo(municipality, today=date(2026, 6, 30))
    return {
        "scenario": scenario,
        "policy": make_user(Role.BELEIDSMEDEWERKER, username="beleid"),
        "admin": make_user(Role.BEHEERDER, username="beheer"),
    }


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.BELEIDSMEDEWERKER, Role.BEHEERDER])
def test_finance_pages_for_finance_roles(name: str, role: str, demo: Any, login: Any) -> None:
    user = demo["policy"] if role == Role.BELEIDSMEDEWERKER else demo["admin"]
    response = login(user).get(reverse(name))
    assert response.status_code == 200
    assert "Financiën" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.REGISSEUR, Role.TEAMLEIDER, Role.PARTNER])
def test_finance_pages_refused_for_other_roles(
    name: str, role: str, demo: Any, make_user: Any, login: Any
) -> None:
    assert login(make_user(role, username=f"u-{role}")).get(reverse(name)).status_code == 403


def test_dashboard_shows_forecast_warning_and_chart(demo: Any, login: Any) -> None:
    body = login(demo["policy"]).get(reverse("finance:dashboard")).content.decode()
    assert "<svg" in body and '<title id="prognose-title">' in body and "<desc" in body
    assert "Lopende trajecten" in body
    assert "style=" not in body  # strict CSP: no inline styles


def test_dashboard_query_count(demo: Any, login: Any, django_assert_max_num_queries: Any) -> None:
    client = login(demo["policy"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("finance:dashboard")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("finance:costs")).status_code == 200


def test_other_municipality_is_not_found(demo: Any, other_municipality: Any, login: Any) -> None:
    client = login(demo["policy"])
    assert client.get(reverse("finance:dashboard") + "?gemeente=0193").status_code == 404
    other = seed_finance_demo(other_municipality, today=date(2026, 6, 30))
    assert client.get(reverse("finance:scenario-edit", args=[other.pk])).status_code == 404
    line = BudgetLine.objects.filter(municipality=other_municipality).first()
    assert client.post(reverse("finance:budget-delete", args=[line.pk])).status_code == 404
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_budget_line_add_edit_delete(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    response = client.post(
        reverse("finance:budget"),
        {
            "gemeente": "0148",
            "year": "2027",
            "source": BudgetSource.OVERIG,
            "amount": "1.500,25",
            "description": "Provincie",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(year=2027, source=BudgetSource.OVERIG)
    assert line.amount == D("1500.25")
    response = client.post(
        reverse("finance:budget-edit", args=[line.pk]),
        {
            "year": "2027",
            "source": BudgetSource.OVERIG,
            "amount": "2000",
            "description": "x",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == D("2000.00")
    assert client.post(reverse("finance:budget-delete", args=[line.pk])).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_invalid_budget_amount_shows_dutch_error(demo: Any, login: Any) -> None:
    response = login(demo["policy"]).post(
        reverse("finance:budget"), {"year": "2027", "source": "overig", "amount": "12,345"}
    )
    assert response.status_code == 400
    assert "hoogstens twee decimalen" in response.content.decode()


def test_cost_import_through_the_screens(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    before = CostEntry.objects.count()
    content = b"datum;soort;bedrag;kenmerk\n2026-05-01;tolk;120,00;T-1\n2026-05-02;mb;2370;T-2\n"
    response = client.post(
        reverse("finance:cost-import"),
        {"gemeente": "0148", "bestand": SimpleUploadedFile("k.csv", content, "text/csv")},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Nieuw: <strong>2</strong>" in preview.content.decode()
    assert CostEntry.objects.count() == before
    assert client.post(response["Location"]).status_code == 302
    assert CostEntry.objects.count() == before + 2
    # Same file again: preview says nothing is new, confirming adds nothing.
    response = client.post(
        reverse("finance:cost-import"),
        {"gemeente": "0148", "bestand": SimpleUploadedFile("k.csv", content, "text/csv")},
    )
    assert "Nieuw: <strong>0</strong>" in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    assert CostEntry.objects.count() == before + 2


def test_cost_import_error_is_shown_and_nothing_booked(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    before = CostEntry.objects.count()
    content = b"datum;soort;bedrag\n2026-05-01;tolk;abc\n"
    response = client.post(
        reverse("finance:cost-import"),
        {"bestand": SimpleUploadedFile("k.csv", content, "text/csv")},
    )
    body = client.get(response["Location"]).content.decode()
    assert "Rij 2, kolom &#x27;bedrag&#x27;" in body and "We lezen niets in" in body
    client.post(response["Location"])
    assert CostEntry.objects.count() == before


def test_manual_cost_entry(demo: Any, login: Any) -> None:
    response = login(demo["policy"]).post(
        reverse("finance:costs"),
        {
            "booked_on": "2026-06-01",
            "category": CostCategory.PERSONEEL,
            "hours": "8",
            "hourly_rate": "78,00",
        },
    )
    assert response.status_code == 302
    assert CostEntry.objects.filter(amount=D("624.00"), category="personeel").exists()


def _scenario_post(scenario: Scenario, **changes: str) -> dict[str, str]:
    from thuis.finance.forms import ScenarioForm
    from thuis.finance.selectors import scenario_params

    initial = ScenarioForm.initial_from(
        name=scenario.name,
        description=scenario.description,
        params=scenario_params(scenario=scenario),
        version=scenario.version,
    )
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    data.update(changes)
    return data


def test_scenario_edit_and_back_via_screens(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    scenario = demo["scenario"]
    url = reverse("finance:scenario-edit", args=[scenario.pk])
    dashboard = reverse("finance:dashboard") + f"?scenario={scenario.pk}"
    first = client.get(dashboard).content.decode()
    assert (
        client.post(
            url, _scenario_post(scenario, share_b1_pct="50", share_onderwijs_pct="20")
        ).status_code
        == 302
    )
    scenario.refresh_from_db()
    changed = client.get(dashboard).content.decode()
    assert (
        client.post(
            url, _scenario_post(scenario, share_b1_pct="60", share_onderwijs_pct="10")
        ).status_code
        == 302
    )
    scenario.refresh_from_db()
    assert scenario.version == 3
    back = client.get(dashboard).content.decode()

    def table(body: str) -> str:
        return body[body.index("Alle cijfers per jaar") : body.index("Begroot en verwacht")]

    assert table(back) == table(first) != table(changed)


def test_scenario_form_errors(demo: Any, login: Any) -> None:
    scenario = demo["scenario"]
    client = login(demo["policy"])
    url = reverse("finance:scenario-edit", args=[scenario.pk])
    response = client.post(url, _scenario_post(scenario, share_b1_pct="70"))
    assert response.status_code == 400
    assert "samen 100%" in response.content.decode()
    stale = _scenario_post(scenario, cost_b1="12000", version="0")
    assert "Iemand anders" in client.post(url, stale).content.decode()


def test_scenario_create_and_default(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    from thuis.finance.forms import ScenarioForm

    data = ScenarioForm.initial_from(
        name="Hoog",
        description="",
        params=rules.default_params(first_year=2026, national_per_half_year=20_000),
    )
    response = client.post(
        reverse("finance:scenario-create"),
        {k: "" if v is None else str(v) for k, v in data.items()},
    )
    assert response.status_code == 302
    hoog = Scenario.objects.get(name="Hoog")
    assert not hoog.is_default
    assert client.post(reverse("finance:scenario-default", args=[hoog.pk])).status_code == 302
    hoog.refresh_from_db()
    assert hoog.is_default


@pytest.mark.parametrize("kind", ["kosten", "begroting", "prognose"])
def test_exports(kind: str, demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    csv_response = client.get(reverse("finance:export") + f"?soort={kind}&formaat=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert ";" in text.splitlines()[0]
    xlsx = client.get(reverse("finance:export") + f"?soort={kind}&formaat=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == len(text.strip().splitlines())


def test_rates_screen_override(demo: Any, login: Any) -> None:
    client = login(demo["admin"])
    response = client.post(
        reverse("finance:rates"),
        {
            "year": "2026",
            "kind": "spuk_asiel",
            "amount": "13.500,00",
            "source": "Regeling",
        },
    )
    assert response.status_code == 302
    assert "€ 13.500,00" in client.get(reverse("finance:rates")).content.decode()


# ------------------------------------------------------------------------------------------
# API
# ------------------------------------------------------------------------------------------

API = [
    ("api:finance-budget-list", {}),
    ("api:finance-cost-list", {}),
    ("api:finance-scenario-list", {}),
    ("api:finance-overview-list", {"jaar": 2026}),
]


@pytest.mark.parametrize(("name", "query"), API)
def test_api_for_finance_roles_only(
    name: str, query: dict, demo: Any, make_user: Any, login: Any
) -> None:
    url = reverse(name)
    assert login(demo["policy"]).get(url, query).status_code == 200
    assert login(demo["admin"]).get(url, query).status_code == 200
    for role in (Role.REGISSEUR, Role.TEAMLEIDER, Role.PARTNER):
        response = login(make_user(role, username=f"api-{role}")).get(url, query)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
    assert Client().get(url, query).status_code == 401


def test_api_forecast_matches_the_rules(demo: Any, login: Any) -> None:
    from thuis.finance.selectors import scenario_projection

    scenario = demo["scenario"]
    response = login(demo["policy"]).get(
        reverse("api:finance-scenario-forecast", args=[scenario.pk])
    )
    assert response.status_code == 200
    data = response.json()
    _, projection = scenario_projection(scenario=scenario)
    assert [D(y["cumulative"]) for y in data["years"]] == [y.cumulative for y in projection.years]
    assert data["warnings"] == [w.message for w in projection.warnings]


def test_api_overview_and_validation(demo: Any, login: Any) -> None:
    client = login(demo["policy"])
    data = client.get(reverse("api:finance-overview-list"), {"jaar": 2025}).json()
    assert data["budget_total"] == "283000.00"  # 198,000 SPUK + 85,000 algemene uitkering
    assert data["forecast"]["scenario"] == "Basis (demo)"
    assert "chart_svg" not in data["forecast"]
    assert client.get(reverse("api:finance-overview-list")).status_code == 400
    assert client.get(reverse("api:finance-overview-list"), {"jaar": "x"}).status_code == 400
    assert client.get(reverse("api:finance-budget-list"), {"gemeente": "0193"}).status_code == 404


def test_api_scenario_of_other_municipality_is_404(
    demo: Any, other_municipality: Any, login: Any
) -> None:
    other = seed_finance_demo(other_municipality, today=date(2026, 6, 30))
    client = login(demo["policy"])
    assert client.get(reverse("api:finance-scenario-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:finance-scenario-forecast", args=[other.pk])).status_code == 404


# ------------------------------------------------------------------------------------------
# Management command
# ------------------------------------------------------------------------------------------


def test_command_prognose_json(demo: Any) -> None:
    out = io.StringIO()
    call_command("financien", "prognose", "--gemeente", "0148", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scenario"] == "Basis (demo)" and len(data["jaren"]) == 4


def test_command_inlezen(demo: Any, tmp_path: Any) -> None:
    path = tmp_path / "kosten.csv"
    path.write_bytes(b"datum;soort;bedrag;kenmerk\n2026-05-01;tolk;10;CMD-1\n")
    out = io.StringIO()
    call_command("financien", "inlezen", str(path), "--gemeente", "0148", stdout=out)
    call_command("financien", "inlezen", str(path), "--gemeente", "0148", stdout=out)
    assert "1 nieuwe regels" in out.getvalue() and "0 nieuwe regels" in out.getvalue()
    assert CostEntry.objects.filter(row_key="ref:CMD-1").count() == 1
    assert MunicipalityPopulation.objects.exists()
