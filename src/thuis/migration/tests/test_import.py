"""Migration import: all or nothing, Dutch errors with row and column, idempotent, facts."""

from __future__ import annotations

import io
import json
from datetime import date

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.cases.models import BredeIntake, ComponentCompletion, ExamResult, IntegrationCase, Pip
from thuis.migration import services
from thuis.monitoring import selectors
from thuis.monitoring.models import PersonFact, SpellFact
from thuis.partners.models import ParticipationSpell
from thuis.people.models import Household, Municipality, Person
from thuis.tests.factories import random_bsn

pytestmark = pytest.mark.django_db

BSNS = [random_bsn(__import__("random").Random(i)) for i in range(40)]

PERSONS_HEADER = (
    "bsn;geboortedatum;geslacht;geboorteland;doelgroep;plicht_start;koppeling;vestiging;huishouden"
)


def persons_csv(n: int = 30) -> str:
    lines = [PERSONS_HEADER]
    for i in range(n):
        sex = "MVX"[i % 3]
        start = date(2022 + i % 2, 1 + i % 12, 1)
        lines.append(
            f"{BSNS[i]};199{i % 10}-05-0{1 + i % 9};{sex};SY;asielstatushouder;{start};"
            f"{start};{date(start.year, start.month, 20)};H{i // 3}"
        )
    return "\n".join(lines) + "\n"


def events_csv(n: int = 30) -> str:
    lines = ["bsn,soort,begindatum,einddatum,waarde"]
    for i in range(n):
        start = date(2022 + i % 2, 1 + i % 12, 1)
        six = date(start.year + (start.month + 6 > 12), (start.month + 5) % 12 + 1, 1)
        lines.append(f"{BSNS[i]},BREDE_INTAKE_START,{date(start.year, start.month, 25)},,")
        if i % 2:
            lines.append(f"{BSNS[i]},WERK,{six},,32")
        else:
            lines.append(f"{BSNS[i]},BIJSTAND,{start},{six},")
        if i % 4 == 0:
            lines.append(f"{BSNS[i]},PIP,{date(start.year, start.month, 28)},,B1")
            lines.append(f"{BSNS[i]},EXAMEN,{six},,lezen:B1:geslaagd")
            lines.append(f"{BSNS[i]},PVT,{six},,")
    return "\n".join(lines) + "\n"


def run(kind: str, text: str, gemeente: str = "0999", **kw):
    return services.import_file(
        kind=kind, content=text.encode(), filename=f"{kind}.csv", gemeente=gemeente, by="test", **kw
    )


def snapshot() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "cases": IntegrationCase.objects.count(),
        "intakes": BredeIntake.objects.count(),
        "pips": Pip.objects.count(),
        "exams": ExamResult.objects.count(),
        "completions": ComponentCompletion.objects.count(),
        "spells": ParticipationSpell.objects.count(),
        "households": Household.objects.count(),
        "updated": sum(IntegrationCase.objects.values_list("version", flat=True)),
    }


def indicator_output(peildatum: date) -> str:
    m = Municipality.objects.get(code="0999")
    tables = [
        selectors.indicator_table(
            code=code, municipality=m, peildatum=peildatum, per=["cohort", "geslacht"]
        )
        for code in (
            "WERK_6M",
            "BIJSTAND_6M",
            "DOORLOOP_PLICHT_INTAKE",
            "PIP_BINNEN_TERMIJN",
            "EXAMEN_GESLAAGD",
            "PARTICIPATIE_6M_VESTIGING",
        )
    ]
    return json.dumps(tables, sort_keys=True)


def test_import_creates_municipality_persons_cases_events_and_facts(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = run("personen", persons_csv(), naam="Migratiestad")
    assert result.municipality_created
    assert result.summary["personen_nieuw"] == 30 and result.summary["trajecten_nieuw"] == 30
    assert Municipality.objects.get(code="0999").name == "Migratiestad"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run("gebeurtenissen", events_csv())
    assert len(callbacks) == 1  # the import scheduled one rebuild
    assert result.summary["werk_nieuw"] == 15 and result.summary["pip_nieuw"] == 8
    case = IntegrationCase.objects.get(person__bsn=BSNS[0])
    assert case.status == "pip" and case.pips.get().leerroute == "B1"
    assert ExamResult.objects.filter(case=case, level="B1", result="geslaagd").exists()
    # The rebuild ran on commit (eager in the embedded default).
    assert PersonFact.objects.count() == 30
    assert SpellFact.objects.filter(kind="WERK").count() == 15
    # One processing-log record per data subject, activity "gegevensmigratie".
    created = ProcessingRecord.objects.filter(
        processing_activity="gegevensmigratie", object_type="person", action="create"
    )
    assert created.count() == 30
    assert not ProcessingRecord.objects.filter(reason__contains=BSNS[0]).exists()


def test_importing_the_same_two_files_twice_changes_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run("personen", persons_csv())
        run("gebeurtenissen", events_csv())
    assert '"onderdrukt": false' in indicator_output(date(2024, 12, 31))
    before, output = snapshot(), indicator_output(date(2024, 12, 31))
    records = ProcessingRecord.objects.count()
    again = run("personen", persons_csv())
    assert again.summary["ongewijzigd"] == 30 and again.changed_subjects == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = run("gebeurtenissen", events_csv())
    assert again.changed_subjects == 0 and callbacks == []
    assert snapshot() == before
    assert ProcessingRecord.objects.count() == records
    call_command("feiten", "bijwerken", stdout=io.StringIO())
    assert indicator_output(date(2024, 12, 31)) == output


def test_a_file_with_errors_changes_nothing_and_names_row_and_column() -> None:
    text = persons_csv(3) + f"{BSNS[5]};1990-01-01;Q;SY;asielstatushouder;2022-01-01;;;\n"
    text += "123456789;1990-13-01;M;ZZ;vluchteling;;;;\n"
    with pytest.raises(services.ImportFailed) as exc:
        run("personen", text)
    assert exc.value.code == "import_mislukt"
    errors = exc.value.errors
    assert "Rij 5, kolom 'geslacht': kies M, V of X." in errors
    assert any(e.startswith("Rij 6, kolom 'bsn':") for e in errors)
    assert any(e.startswith("Rij 6, kolom 'geboortedatum':") for e in errors)
    assert any(e.startswith("Rij 6, kolom 'geboorteland':") for e in errors)
    assert any(e.startswith("Rij 6, kolom 'doelgroep':") for e in errors)
    assert any(e.startswith("Rij 6, kolom 'plicht_start':") for e in errors)
    assert not Municipality.objects.filter(code="0999").exists()
    assert Person.objects.count() == 0


def test_event_errors_roll_back_the_whole_file() -> None:
    run("personen", persons_csv(3))
    text = events_csv(3) + f"{BSNS[1]},EXAMEN,2023-01-01,,lezen-B1\n{BSNS[39]},WERK,2023-01-01,,\n"
    before = snapshot()
    with pytest.raises(services.ImportFailed) as exc:
        run("gebeurtenissen", text)
    assert exc.value.code == "import_mislukt"
    assert any(
        e.startswith("Rij 11, kolom 'waarde': schrijf ONDERDEEL:NIVEAU:UITSLAG")
        for e in exc.value.errors
    )
    assert snapshot() == before
    with pytest.raises(services.ImportFailed) as exc:
        run("gebeurtenissen", events_csv(3) + f"{BSNS[39]},WERK,2023-01-01,,\n")
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == [
        "Rij 11, kolom 'bsn': onbekende persoon in deze gemeente; importeer eerst de personen."
    ]
    assert snapshot() == before


def test_missing_column_and_person_of_other_municipality(other_municipality) -> None:
    with pytest.raises(services.ImportFailed) as exc:
        run("personen", "bsn;geslacht\n")
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == [
        "Rij 1: de kolom(men) 'geboortedatum', 'geboorteland', 'doelgroep', 'plicht_start', "
        "'koppeling', 'vestiging', 'huishouden' ontbreken."
    ]
    run("personen", persons_csv(2), gemeente="0193")
    elsewhere = {p.pk: (p.given_names, p.birth_date) for p in Person.objects.all()}
    # Issue 15 item 5: a BSN known in another gemeente is imported exactly like an unknown one
    # (the gemeente gets its own record), so the import is no existence oracle; the other
    # gemeente's records are neither matched nor changed.
    known = run("personen", persons_csv(2))
    fresh_bsns = persons_csv(2).replace(BSNS[0], "111222333").replace(BSNS[1], "123456782")
    unknown = run("personen", fresh_bsns)
    # (the second file reuses the household the first one made in this gemeente)
    assert {k: v for k, v in known.summary.items() if not k.startswith("huishoudens")} == {
        k: v for k, v in unknown.summary.items() if not k.startswith("huishoudens")
    }
    assert known.summary["personen_nieuw"] == 2
    assert Person.objects.filter(municipality__code="0193").count() == 2
    assert Person.objects.filter(municipality__code="0999", bsn__in=BSNS[:2]).count() == 2
    assert {
        p.pk: (p.given_names, p.birth_date) for p in Person.objects.filter(pk__in=elsewhere)
    } == elsewhere


def test_changed_row_updates_and_preview_keeps_nothing() -> None:
    run("personen", persons_csv(2))
    changed = persons_csv(2).replace(f"{BSNS[0]};1990-05-01;M", f"{BSNS[0]};1990-05-01;V")
    preview = run("personen", changed, preview=True)
    assert preview.summary["personen_gewijzigd"] == 1
    assert Person.objects.get(bsn=BSNS[0]).sex == "M"
    run("personen", changed)
    assert Person.objects.get(bsn=BSNS[0]).sex == "V"


def test_xlsx_and_the_command(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in persons_csv(2).strip().split("\n"):
        sheet.append(line.split(";"))
    sheet["A2"] = int(BSNS[0]) if not BSNS[0].startswith("0") else BSNS[0]
    path = tmp_path / "personen.xlsx"
    book.save(path)
    out = io.StringIO()
    call_command("import", "personen", str(path), "--gemeente", "0999", "--naam", "X", stdout=out)
    assert "personen nieuw: 2" in out.getvalue()
    events = tmp_path / "gebeurtenissen.csv"
    events.write_text(events_csv(2))
    call_command("import", "gebeurtenissen", str(events), "--gemeente", "0999", stdout=out)
    bad = tmp_path / "fout.csv"
    bad.write_text("bsn,soort,begindatum,einddatum,waarde\n123,ZWEMMEN,x,,\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "gebeurtenissen", str(bad), "--gemeente", "0999", stderr=err)
    assert "Rij 2, kolom 'soort':" in err.getvalue()


def test_a_changed_doelgroep_appends_a_period_and_reimporting_changes_nothing() -> None:
    from thuis.cases.models import DoelgroepPeriod

    run("personen", persons_csv(2))
    case = IntegrationCase.objects.get(person__bsn=BSNS[0])
    first = case.doelgroepen.get()
    header = PERSONS_HEADER + ";doelgroep_sinds"
    lines = persons_csv(2).strip().split("\n")[1:]
    moved = lines[0].replace("asielstatushouder", "gezinsmigrant") + ";2024-06-01"
    changed = "\n".join([header, moved, lines[1] + ";"])
    result = run("personen", changed + "\n")
    assert result.summary["doelgroepperiodes_nieuw"] == 1
    periods = list(case.doelgroepen.order_by("start_date"))
    assert [(p.doelgroep, p.start_date, p.end_date) for p in periods] == [
        ("asielstatushouder", first.start_date, date(2024, 5, 31)),
        ("gezinsmigrant", date(2024, 6, 1), None),
    ]
    count = DoelgroepPeriod.objects.count()
    again = run("personen", changed + "\n")
    assert again.changed_subjects == 0 and DoelgroepPeriod.objects.count() == count
    assert periods[0].pk == first.pk  # the old period was closed, not rewritten


def test_a_doelgroep_change_before_the_current_period_is_a_row_error() -> None:
    run("personen", persons_csv(2))
    before = snapshot()
    header = PERSONS_HEADER + ";doelgroep_sinds"
    line = persons_csv(2).strip().split("\n")[1]
    text = f"{header}\n{line.replace('asielstatushouder', 'overig')};2000-01-01\n"
    with pytest.raises(services.ImportFailed) as exc:
        run("personen", text)
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors[0].startswith(
        "Rij 2, kolom 'doelgroep_sinds': De nieuwe doelgroep moet ná de vorige beginnen"
    )
    assert snapshot() == before


def test_a_row_against_a_case_rule_gives_a_row_error_and_writes_nothing() -> None:
    lines = persons_csv(3).strip().split("\n")
    # Row 3: vestiging before koppeling; row 4: plicht before birth (case_open's checks).
    lines[2] = f"{BSNS[1]};1991-05-02;V;SY;asielstatushouder;2023-02-01;2023-03-01;2023-02-15;"
    lines[3] = f"{BSNS[2]};1992-05-03;X;SY;asielstatushouder;1980-01-01;;;"
    with pytest.raises(services.ImportFailed) as exc:
        run("personen", "\n".join(lines) + "\n")
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == [
        "Rij 3, kolom 'vestiging': De datum van vestiging ligt vóór de datum van koppeling.",
        "Rij 4, kolom 'plicht_start': De inburgeringsplicht kan niet vóór de geboorte beginnen.",
    ]
    assert Person.objects.count() == 0 and not Municipality.objects.filter(code="0999").exists()
    assert not ProcessingRecord.objects.filter(processing_activity="gegevensmigratie").exists()


def test_the_regime_comes_from_the_plicht_start() -> None:
    text = (
        PERSONS_HEADER
        + "\n"
        + (
            f"{BSNS[0]};1990-01-01;M;SY;asielstatushouder;2021-12-31;;;\n"
            f"{BSNS[1]};1990-01-01;V;SY;asielstatushouder;2022-01-01;;;\n"
        )
    )
    run("personen", text)
    regimes = dict(IntegrationCase.objects.values_list("person__bsn", "regime"))
    assert regimes == {BSNS[0]: "Wi2013", BSNS[1]: "Wi2021"}


def test_2000_rows_take_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:
    import random

    rng = random.Random(7)
    bsns = sorted({random_bsn(rng) for _ in range(2100)})[:2000]
    lines = [PERSONS_HEADER]
    for i, bsn in enumerate(bsns):
        start = date(2022 + i % 2, 1 + i % 12, 1)
        lines.append(f"{bsn};1990-05-01;{'MVX'[i % 3]};SY;asielstatushouder;{start};;;H{i // 3}")
    text = "\n".join(lines) + "\n"
    # Bulk statements: a fixed number per batch, never one per row. SQLite splits a batch by
    # its limit of bound parameters (about 40 rows per INSERT here, 158 statements in all);
    # PostgreSQL inserts 1,000 rows per statement.
    with django_assert_max_num_queries(200):
        result = run("personen", text)
    assert result.summary["personen_nieuw"] == 2000
    with django_assert_max_num_queries(30):
        again = run("personen", text)
    assert again.changed_subjects == 0
    events = ["bsn,soort,begindatum,einddatum,waarde"]
    for i, bsn in enumerate(bsns):
        start = date(2022 + i % 2, 1 + i % 12, 1)
        events.append(f"{bsn},BREDE_INTAKE_START,{date(start.year, start.month, 25)},,")
        events.append(f"{bsn},PIP,{date(start.year, start.month, 28)},,B1")
        events.append(f"{bsn},PVT,{date(start.year + 1, start.month, 2)},,")
    with django_assert_max_num_queries(400):  # 6,000 case events, 2,000 status moves
        result = run("gebeurtenissen", "\n".join(events) + "\n")
    assert result.summary["pip_nieuw"] == 2000 and result.summary["pvt_nieuw"] == 2000
    assert IntegrationCase.objects.filter(status="pip", version=3).count() == 2000


def test_a_bidi_control_in_a_name_is_a_row_error_and_rtl_names_are_kept() -> None:
    """Issue 15 item 7: a name with U+202E is refused with row and column, nothing is written;
    Arabic and Tigrinya names (right to left, without control characters) are imported."""
    header = PERSONS_HEADER + ";voornamen;achternaam"
    row = (
        "{bsn};1990-05-01;V;SY;asielstatushouder;2023-01-01;2023-01-01;2023-01-20;H1;"
        "{given};{family}"
    )
    bad = "\n".join(
        [
            header,
            row.format(bsn=BSNS[0], given="Amal", family="Hadd\u202eada"),
            row.format(bsn=BSNS[1], given="\u2067Sara\u2069", family="Tesfay"),
        ]
    )
    with pytest.raises(services.ImportFailed) as exc:
        run("personen", bad + "\n")
    assert exc.value.code == "import_mislukt"
    errors = exc.value.errors
    assert any(
        e.startswith("Rij 2, kolom 'achternaam':") and "onzichtbaar stuurteken" in e for e in errors
    ), errors
    assert any(e.startswith("Rij 3, kolom 'voornamen':") for e in errors), errors
    assert not Person.objects.exists()

    good = "\n".join(
        [
            header,
            row.format(bsn=BSNS[0], given="محمد", family="عبد الله"),
            row.format(bsn=BSNS[1], given="ኣማኑኤል", family="ተስፋይ"),
        ]
    )
    run("personen", good + "\n")
    assert Person.objects.get(bsn=BSNS[0]).family_name == "عبد الله"
    assert Person.objects.get(bsn=BSNS[1]).given_names == "ኣማኑኤል"
