"""Dashboard snapshots and the set-based rebuild give the same results as computing live."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from thuis.accounts.choices import Role
from thuis.cases.models import IntegrationCase
from thuis.monitoring import facts, rules, selectors, services
from thuis.monitoring.models import IndicatorSnapshot, PersonFact
from thuis.partners import services as partner_services
from thuis.tests import factories

pytestmark = pytest.mark.django_db
PEIL = date(2025, 1, 1)


@pytest.fixture
def mixed(municipality):
    """30 cases with spells of several kinds at month ends (clipping) and open-ended spells."""
    kinds = ["werk", "bijstand", "stage", "vrijwilligerswerk", "opleiding"]
    for i in range(30):
        person = factories.PersonFactory(
            municipality=municipality, sex="MV"[i % 2], birth_date=date(1985, 1, 1)
        )
        year, month = 2020 + i % 3, 1 + i % 12
        day = monthrange(year, month)[1] if i % 2 == 0 else 15  # month ends test the clipping
        factories.CaseFactory(person=person, plicht_start=date(year, month, day))
        case = IntegrationCase.objects.get(person=person)
        if i % 3:
            case.vestiging_date = (
                date(year, month, min(day, 28)) if i % 3 == 1 else date(2020, 8, 31)
            )
            case.save(update_fields=["vestiging_date"])
        for j in range(3):
            spell_start = rules.add_months(case.plicht_start, 6 * j + (i % 5))
            end = None if (i + j) % 4 == 0 else rules.add_months(spell_start, 6 + i % 7)
            partner_services.spell_create(
                by="test",
                person=person,
                kind=kinds[(i + j) % len(kinds)],
                start_date=spell_start,
                end_date=end,
            )
    services.facts_rebuild(municipality=municipality)
    return municipality


def _python_facts(municipality) -> dict[int, tuple[dict[str, list[int]], bool | None]]:
    """Coverage per case with the pure rules over the source spells."""
    out = {}
    for case in IntegrationCase.objects.filter(municipality=municipality):
        spells = [
            rules.Spell(kind=s.kind.upper(), start=s.start_date, end=s.end_date)
            for s in case.person.participation_spells.all()
        ]
        out[case.pk] = (
            rules.covered_months(plicht_start=case.plicht_start, spells=spells),
            rules.participation_6m(vestiging=case.vestiging_date, spells=spells),
        )
    return out


def test_rebuild_coverage_matches_pure_rules(mixed) -> None:
    """On PostgreSQL the coverage is computed in SQL; on SQLite in Python: both equal the rules."""
    expected = _python_facts(mixed)
    stored = {
        f.case_id: (f.covered_months, f.participatie_6m_vestiging)
        for f in PersonFact.objects.filter(municipality=mixed)
    }
    assert stored == expected
    assert any(cov for cov, _p in expected.values())
    assert any(p for _c, p in expected.values())


def test_rebuild_is_idempotent(mixed) -> None:
    before = list(PersonFact.objects.order_by("case_id").values(*selectors.FACT_FIELDS))
    services.facts_rebuild(municipality=mixed)
    after = list(PersonFact.objects.order_by("case_id").values(*selectors.FACT_FIELDS))
    assert before == after and len(after) == 30


def test_rebuild_writes_snapshot_for_today(mixed) -> None:
    from django.utils import timezone

    snapshot = IndicatorSnapshot.objects.get(municipality=mixed)
    assert snapshot.peildatum == timezone.localdate()
    assert snapshot.stamp == selectors.facts_stamp(municipalities=[mixed])
    live = selectors.dashboard_tables_compute(
        municipalities=[mixed], peildatum=snapshot.peildatum, k=snapshot.k
    )
    assert snapshot.tables == live


def test_snapshot_equals_live_and_is_replaced_on_rebuild(mixed, settings) -> None:
    services.indicator_snapshot_refresh(municipality=mixed, peildatum=PEIL, k=15)
    tables, from_snapshot = selectors.dashboard_tables(municipalities=[mixed], peildatum=PEIL, k=15)
    assert from_snapshot
    live = selectors.dashboard_tables_compute(municipalities=[mixed], peildatum=PEIL, k=15)
    assert tables == live
    # A table with published cells and one with suppressed cells, so the comparison matters.
    cells = [c for t in tables["totaal"].values() for c in t["cellen"]]
    assert any(not c["onderdrukt"] for c in cells) and any(c["onderdrukt"] for c in cells)

    services.facts_rebuild(municipality=mixed)
    assert not IndicatorSnapshot.objects.filter(municipality=mixed, peildatum=PEIL).exists()
    _tables, from_snapshot = selectors.dashboard_tables(
        municipalities=[mixed], peildatum=PEIL, k=15
    )
    assert not from_snapshot


def test_stale_snapshot_is_not_used(mixed) -> None:
    services.indicator_snapshot_refresh(municipality=mixed, peildatum=PEIL)
    IndicatorSnapshot.objects.filter(municipality=mixed).update(stamp="oud", tables={})
    tables, from_snapshot = selectors.dashboard_tables(municipalities=[mixed], peildatum=PEIL)
    assert not from_snapshot and tables["totaal"]


def test_dashboard_served_from_snapshot(mixed, make_user, login) -> None:
    from django.utils import timezone

    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    today = timezone.localdate().isoformat()
    live = client.get(f"/monitor/?peildatum={PEIL}")  # no snapshot: computed
    services.indicator_snapshot_refresh(municipality=mixed, peildatum=PEIL)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(f"/monitor/?peildatum={PEIL}")
    assert len(queries) <= 15  # the same guard as the live dashboard
    assert not [q for q in queries if "monitoring_personfact" in q["sql"]]  # no fact rows read
    assert live.status_code == cached.status_code == 200
    strip = [line for line in live.content.decode().splitlines() if "csrf" not in line]
    assert strip == [line for line in cached.content.decode().splitlines() if "csrf" not in line]
    # Today's default view: the rebuild's snapshot serves it without reading a fact row.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/monitor/?peildatum={today}").status_code == 200
    assert len(queries) <= 15
    assert not [q for q in queries if "monitoring_personfact" in q["sql"]]


def test_set_based_flag_follows_database(settings) -> None:
    assert facts.set_based() is (connection.vendor == "postgresql")
    settings.THUIS_FACTS_SET_BASED = False
    assert facts.set_based() is False


def test_dashboard_stores_missing_snapshot_for_today(mixed, make_user, login) -> None:
    from django.utils import timezone

    services.facts_rebuild(municipality=mixed, snapshots=False)
    assert not IndicatorSnapshot.objects.filter(municipality=mixed).exists()
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    assert client.get("/monitor/").status_code == 200
    snapshot = IndicatorSnapshot.objects.get(municipality=mixed)
    assert snapshot.peildatum == timezone.localdate()
    assert snapshot.stamp == selectors.facts_stamp(municipalities=[mixed])
