"""API, command, dashboards, exports and benchmark, with query guards."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from thuis.accounts.choices import Role
from thuis.cases.models import IntegrationCase
from thuis.monitoring import selectors, services
from thuis.monitoring.models import BenchmarkSet
from thuis.partners import services as partner_services
from thuis.tests import factories

pytestmark = pytest.mark.django_db
PEIL = "2025-01-01"
VALUE_KEYS = ("teller", "noemer", "waarde", "ondergrens", "bovengrens", "onderdrukt")


@pytest.fixture
def cohort(municipality):
    """24 asielstatushouders with plicht start in 2022: 12 men (8 at work at 12 months), 12
    women (2 at work)."""
    for i in range(24):
        sex = "M" if i < 12 else "V"
        person = factories.PersonFactory(
            municipality=municipality, sex=sex, birth_date=date(1990, 1, 1)
        )
        factories.CaseFactory(person=person, plicht_start=date(2022, 1 + i % 6, 1))
        case = IntegrationCase.objects.get(person=person)
        if (sex == "M" and i < 8) or (sex == "V" and i < 14):
            partner_services.spell_create(
                by="test", person=person, kind="werk", start_date=case.plicht_start
            )
    services.facts_rebuild(municipality=municipality)
    return municipality


def test_indicator_table_shape_and_suppression(cohort) -> None:
    table = selectors.indicator_table(
        code="WERK_12M", municipality=cohort, peildatum=date(2025, 1, 1), per=["geslacht"]
    )
    assert set(table) == {"code", "peildatum", "k", "cellen"}
    cells = {c["geslacht"]: c for c in table["cellen"]}
    assert cells["M"] == {
        "geslacht": "M",
        "teller": 8,
        "noemer": 12,
        "waarde": 66.7,
        "ondergrens": 39.1,
        "bovengrens": 86.2,
        "onderdrukt": False,
    }
    assert cells["V"]["teller"] == 2 and cells["totaal"]["teller"] == 10
    small = selectors.indicator_table(
        code="WERK_12M",
        municipality=cohort,
        peildatum=date(2025, 1, 1),
        per=["geslacht", "cohort"],
        k=13,
    )
    # A cell with noemer < 13 is suppressed; since issue 14 it publishes no noemer either.
    assert all(c["noemer"] >= 13 for c in small["cellen"] if not c["onderdrukt"])
    assert any(c["onderdrukt"] for c in small["cellen"])
    assert all(
        c["teller"] is None and c["waarde"] is None and c["noemer"] is None
        for c in small["cellen"]
        if c["onderdrukt"]
    )


def test_api_roles_and_shape(
    cohort, make_user, login, other_municipality, django_assert_max_num_queries
) -> None:
    url = f"/api/v1/indicatoren/WERK_12M/?gemeente=0148&peildatum={PEIL}&per=geslacht"
    assert Client().get(url).status_code == 401
    partner = make_user(Role.PARTNER, username="p")
    assert login(partner).get(url).status_code == 403
    for role in (Role.BELEIDSMEDEWERKER, Role.TEAMLEIDER, Role.REGISSEUR, Role.BEHEERDER):
        client = login(make_user(role, username=role))
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, role
        data = response.json()
        assert data["code"] == "WERK_12M" and data["peildatum"] == PEIL and data["k"] == 10
        assert len(data["cellen"]) == 3
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b2"))
    assert client.get(url.replace("0148", "0193")).status_code == 404  # other municipality
    assert client.get("/api/v1/indicatoren/ONBEKEND/").status_code == 404
    bad = client.get("/api/v1/indicatoren/TAAKSTELLING/?per=geslacht")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/indicatoren/WERK_12M/?peildatum=gisteren").status_code == 400
    catalogue = client.get("/api/v1/indicatoren/").json()
    assert {"WERK_6M", "PARTICIPATIE_6M_VESTIGING", "TAAKSTELLING"} <= {
        i["code"] for i in catalogue
    }


def test_command_json_matches_api(cohort, make_user, login) -> None:
    out = io.StringIO()
    call_command(
        "indicator",
        "WERK_12M",
        "--gemeente",
        "0148",
        "--peildatum",
        PEIL,
        "--per",
        "cohort,geslacht",
        "--json",
        stdout=out,
    )
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    api = client.get(
        f"/api/v1/indicatoren/WERK_12M/?gemeente=0148&peildatum={PEIL}&per=cohort,geslacht"
    ).json()
    assert json.loads(out.getvalue()) == api
    text = io.StringIO()
    call_command("indicator", "WERK_12M", "--gemeente", "0148", "--peildatum", PEIL, stdout=text)
    assert "totaal" in text.getvalue() or "10 van 24" in text.getvalue()


def test_dashboard_and_indicator_pages(
    cohort, make_user, login, django_assert_max_num_queries
) -> None:
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    # Cold: the tables are computed (+1 query for the survey answers' stamp of the page cache).
    with django_assert_max_num_queries(16):
        response = client.get(f"/monitor/?peildatum={PEIL}")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in body and '<title id="werk-bijstand-title">' in body
    assert "Divosa" in body
    assert "{#" not in body and "#}" not in body  # no template comment on the page (issue 14)
    # Warm: the rendered figures come from the cache; no fact row or survey answer is read.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/monitor/?peildatum={PEIL}")

    def strip(html: str) -> list[str]:
        return [line for line in html.splitlines() if "csrf" not in line]

    assert strip(again.content.decode()) == strip(body)
    assert len(queries) <= 10, [q["sql"] for q in queries]
    assert not [q for q in queries if "personfact" in q["sql"] or "surveys_answer" in q["sql"]]
    with django_assert_max_num_queries(15):
        response = client.get(f"/monitor/indicator/WERK_12M/?peildatum={PEIL}&per=geslacht")
    body = response.content.decode()
    assert response.status_code == 200 and "66,7%" in body and "<desc" in body
    assert "NRC over CBS" in body  # national reference with its source
    csv_response = client.get(
        f"/monitor/indicator/WERK_12M/export/?peildatum={PEIL}&per=geslacht&formaat=csv"
    )
    assert csv_response.status_code == 200
    assert "geslacht;teller;noemer" in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(f"/monitor/indicator/WERK_12M/export/?peildatum={PEIL}&formaat=xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get("/monitor/indicator/NIETS/").status_code == 404
    partner = login(make_user(Role.PARTNER, username="p"))
    assert partner.get("/monitor/").status_code == 403


def test_public_page_without_login(cohort, django_assert_max_num_queries, settings) -> None:
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get("/cijfers/0148/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "onderdrukt" in body or "%" in body
    for person in IntegrationCase.objects.select_related("person")[:5]:
        assert person.person.bsn not in body and person.person.family_name not in body
    assert client.get("/cijfers/9999/").status_code == 404
    settings.THUIS_PUBLIC_FIGURES = False
    assert client.get("/cijfers/0148/").status_code == 404


def test_wi2013_cases_are_not_in_the_noemer_of_intake_and_pip_indicators(cohort) -> None:
    """Demo-like data: Wi2013 cohorts next to Wi2021 ones (issue 14)."""
    from thuis.monitoring.models import PersonFact

    for i in range(12):
        person = factories.PersonFactory(municipality=cohort, birth_date=date(1990, 1, 1))
        factories.CaseFactory(person=person, plicht_start=date(2021, 1 + i % 6, 1))
    services.facts_rebuild(municipality=cohort)
    assert PersonFact.objects.filter(regime="Wi2013").count() == 12
    assert PersonFact.objects.filter(regime="Wi2021").count() == 24

    def total(code: str) -> dict:
        table = selectors.indicator_table(
            code=code, municipality=cohort, peildatum=date(2025, 1, 1)
        )
        return next(c for c in table["cellen"] if not set(c) - {*VALUE_KEYS})

    assert total("INTAKE_GESTART")["noemer"] == 24
    assert total("WERK_12M")["noemer"] == 36  # work exists under both laws


def test_public_page_never_prints_the_size_of_a_suppressed_group(cohort) -> None:
    """Issue 14: a suppressed row showed its noemer (1 to k-1 persons)."""
    for month in (1, 2, 3):
        person = factories.PersonFactory(municipality=cohort, birth_date=date(1990, 1, 1))
        factories.CaseFactory(person=person, plicht_start=date(2023, month, 1))
    services.facts_rebuild(municipality=cohort)
    body = Client().get("/cijfers/0148/").content.decode()
    rows = [r for r in body.split("<tr") if "onderdrukt (kleine groep)" in r]
    assert rows, "the 2023 cohort (3 persons) is suppressed"
    assert all("numeric-column" not in r for r in rows)
    assert all(">3<" not in r for r in rows)


def test_public_tables_protect_small_complements(cohort) -> None:
    """8 of 12 men work: the 4 who do not are a small group in public output."""
    args = {"code": "WERK_12M", "municipality": cohort, "peildatum": date(2025, 1, 1)}
    internal = selectors.indicator_table(**args, per=["geslacht"], k=11)
    public = selectors.indicator_table(**args, per=["geslacht"], k=11, public=True)
    shown = {c["geslacht"]: not c["onderdrukt"] for c in internal["cellen"]}
    assert shown == {"M": True, "V": True, "totaal": True}
    hidden = {c["geslacht"]: c["onderdrukt"] for c in public["cellen"]}
    # M by its complement, V because M + V = totaal would give M back
    assert hidden == {"M": True, "V": True, "totaal": False}


def test_benchmark_export_and_import(cohort, other_municipality, make_user, login) -> None:
    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    exported = client.get(f"/monitor/benchmark/export/?gemeente=0148&peildatum={PEIL}")
    data = json.loads(exported.content)
    assert data["formaat"] == "thuis-benchmark/1" and data["gemeente"]["code"] == "0148"
    cells = [c for t in data["indicatoren"].values() for c in t["cellen"]]
    assert all(c["teller"] is None for c in cells if c["onderdrukt"])
    assert not [
        c
        for c in cells
        if not c["onderdrukt"] and c["noemer"] is not None and c["noemer"] < data["k"]
    ]
    other = login(
        make_user(Role.BELEIDSMEDEWERKER, username="z", municipalities=[other_municipality])
    )
    upload = io.BytesIO(exported.content)
    upload.name = "benchmark.json"
    response = other.post("/monitor/benchmark/", {"bestand": upload})
    assert response.status_code == 302
    bench = BenchmarkSet.objects.get()
    assert bench.owner == other_municipality and bench.source_code == "0148"
    page = other.get("/monitor/indicator/WERK_12M/").content.decode()
    assert "Dalfsen (test)" in page
    # A file with an unsuppressed small cell is refused.
    data["indicatoren"]["WERK_12M"]["cellen"].append(
        {
            "teller": 1,
            "noemer": 3,
            "waarde": 33.3,
            "ondergrens": None,
            "bovengrens": None,
            "onderdrukt": False,
        }
    )
    bad = io.BytesIO(json.dumps(data).encode())
    bad.name = "b.json"
    response = other.post("/monitor/benchmark/", {"bestand": bad}, follow=True)
    assert "kleine cel" in response.content.decode()


def test_dashboard_page_cache_follows_rebuild_and_survey_answers(cohort, make_user, login) -> None:
    """The rendered figures are cached, but never stale: a rebuild or a new answer shows."""
    from thuis.partners.models import ParticipationSpell
    from thuis.surveys import services as survey_services

    client = login(make_user(Role.BELEIDSMEDEWERKER, username="b"))
    url = f"/monitor/?peildatum={PEIL}"
    first = client.get(url).content.decode()
    assert client.get(url).content.decode().count("Met werk") == first.count("Met werk")

    version = survey_services.standard_survey_install(cohort)
    for _ in range(12):
        survey_services.response_submit_anonymous(
            version=version,
            language="nl",
            answers={"welkom": "eens", "tevreden_inburgering": "tevreden", "steun_netwerk": "eens"},
            today=date.fromisoformat(PEIL) - timedelta(days=40),
        )
    second = client.get(url).content.decode()
    assert "(12 van 12)" in second and "(12 van 12)" not in first

    ParticipationSpell.objects.all().delete()
    services.facts_rebuild(municipality=cohort)
    third = client.get(url).content.decode()
    werk_rows = [line for line in third.splitlines() if "12 mnd – werk" in line]
    assert werk_rows and all("0,0%" in row for row in werk_rows)
    assert [line for line in second.splitlines() if "12 mnd – werk" in line] != werk_rows


def _key(municipality, per=("geslacht",)) -> str:
    from thuis.core import disclosure

    return selectors.table_cache_key(
        code="WERK_12M",
        stamp=selectors.facts_stamp(municipalities=[municipality]),
        peildatum=date(2025, 1, 1),
        per=per,
        k=disclosure.default_k(),
    )


def test_a_table_being_computed_elsewhere_is_awaited_not_recomputed(cohort, monkeypatch) -> None:
    """Identical cold requests: the second waits for the first one's result."""
    import threading

    from django.core.cache import cache

    from thuis.monitoring import indicators

    key = _key(cohort)
    cache.add(f"{key}:bezig", 1)  # another request is computing this table
    finished = {"table": {"code": "WERK_12M", "peildatum": "2025-01-01", "k": 10, "cellen": []}}

    def other_request_finishes() -> None:
        cache.set(key, finished["table"])
        cache.delete(f"{key}:bezig")

    def must_not_compute(*_args, **_kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(indicators, "compute", must_not_compute)
    timer = threading.Timer(0.2, other_request_finishes)
    timer.start()
    table = selectors.indicator_table(
        code="WERK_12M", municipality=cohort, peildatum=date(2025, 1, 1), per=["geslacht"]
    )
    timer.join()
    assert table == finished["table"]


def test_when_the_other_request_gives_up_the_table_is_computed_here(cohort) -> None:
    import threading

    from django.core.cache import cache

    key = _key(cohort)
    cache.add(f"{key}:bezig", 1)
    timer = threading.Timer(0.2, lambda: cache.delete(f"{key}:bezig"))  # failed, no result
    timer.start()
    table = selectors.indicator_table(
        code="WERK_12M", municipality=cohort, peildatum=date(2025, 1, 1), per=["geslacht"]
    )
    timer.join()
    assert {c["geslacht"]: c["teller"] for c in table["cellen"]}["M"] == 8
    assert cache.get(key) == table and cache.get(f"{key}:bezig") is None
