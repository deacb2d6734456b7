"""Bulk input: CSV, XLSX and JSON are applied whole or not at all, and twice is the same as once."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from thuis.partners import imports
from thuis.partners.choices import ReferralStatus
from thuis.partners.models import ParticipationSpell, PartnerReport
from thuis.tests import factories
from thuis.tests.uploads import xlsx

pytestmark = pytest.mark.django_db

REPORT_HEADER = [
    "verwijzing",
    "soort",
    "van",
    "tot_en_met",
    "uren",
    "aanwezig",
    "afwezig",
    "toelichting",
]


def as_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    lines = [";".join(header)] + [
        ";".join("" if v is None else str(v) for v in row) for row in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def as_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    return xlsx([header, *rows])


def as_json(header: list[str], rows: list[list[Any]]) -> bytes:
    return json.dumps(
        {"rijen": [dict(zip(header, row, strict=True)) for row in rows]}, default=str
    ).encode()


FORMATS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}


def _report_rows(referral_id: int) -> list[list[Any]]:
    return [
        [referral_id, "uren_taal", "2025-03-03", "2025-03-31", "12,5", None, None, None],
        [referral_id, "aanwezigheid", "03-03-2025", "31-03-2025", None, 10, 2, None],
        [referral_id, "Voortgang", "2025-03-03", "2025-03-31", None, None, None, "Goed op weg"],
    ]


def _reports_state() -> list[tuple[Any, ...]]:
    return list(
        PartnerReport.objects.order_by("pk").values_list(
            "kind",
            "period_start",
            "period_end",
            "hours",
            "sessions_attended",
            "sessions_missed",
            "note",
            "updated_at",
        )
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_file_twice_is_the_same_as_once(
    fmt: str, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    content = FORMATS[fmt](REPORT_HEADER, _report_rows(referral.pk))
    result = imports.import_reports(
        by=partner, rows=imports.read_rows(filename=f"r.{fmt}", content=content)
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    state = _reports_state()
    assert PartnerReport.objects.get(kind="uren_taal").hours == Decimal("12.50")
    assert PartnerReport.objects.get(kind="aanwezigheid").sessions_missed == 2
    again = imports.import_reports(
        by=partner, rows=imports.read_rows(filename=f"r.{fmt}", content=content)
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _reports_state() == state


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_file_with_one_bad_row_changes_nothing(
    fmt: str, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    rows = _report_rows(referral.pk)
    rows.insert(1, [referral.pk, "uren_knm", "2025-03-03", "2025-03-31", "veel", None, None, None])
    content = FORMATS[fmt](REPORT_HEADER, rows)
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_reports(
            by=partner, rows=imports.read_rows(filename=f"r.{fmt}", content=content)
        )
    assert exc.value.code == "import_mislukt"
    row = 3 if fmt != "json" else 2
    assert exc.value.errors == [f"Rij {row}, kolom 'uren': 'veel' is geen getal."]
    assert not PartnerReport.objects.exists()


def test_reports_of_another_organisation_are_refused(
    org: Any, other_org: Any, partner: Any, share: Any, regisseur: Any
) -> None:
    theirs = share(other_org, referral_type="taal", to=ReferralStatus.ACTIVE)
    mine = share(org, to=ReferralStatus.ACTIVE)
    content = as_csv(REPORT_HEADER, [_report_rows(mine.pk)[0], _report_rows(theirs.pk)[0]])
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_reports(
            by=partner, rows=imports.read_rows(filename="r.csv", content=content)
        )
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == [
        f"Rij 3, kolom 'verwijzing': verwijzing {theirs.pk} is niet gevonden bij uw organisatie."
    ]
    assert not PartnerReport.objects.exists()


def test_report_rule_errors_and_conflicting_duplicates_name_the_row(
    org: Any, partner: Any, share: Any
) -> None:
    active = share(org, to=ReferralStatus.ACTIVE)
    content = as_csv(
        REPORT_HEADER,
        [
            [active.pk, "uren_taal", "2025-03-03", "2025-03-31", "4", None, None, None],
            [active.pk, "uren_taal", "2025-03-03", "2025-03-31", "5", None, None, None],
            [active.pk, "uitkomst", "2025-03-03", "2025-03-31", None, None, None, None],
            [active.pk, "vakantie", "2025-03-03", "", None, None, None, None],
        ],
    )
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_reports(
            by=partner, rows=imports.read_rows(filename="r.csv", content=content)
        )
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors[0].startswith("Rij 3: dezelfde verwijzing, soort en periode als rij 2")
    assert exc.value.errors[1] == "Rij 4: Beschrijf de voortgang of de uitkomst."
    assert exc.value.errors[2].startswith(
        "Rij 5, kolom 'soort': 'vakantie' is geen geldige waarde."
    )
    assert exc.value.errors[3] == "Rij 5, kolom 'tot_en_met': is verplicht."


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("r.txt", b"x", "Kies een bestand van het type CSV, XLSX of JSON."),
        ("r.csv", b"\xff\xfe\x00", "Het bestand is geen UTF-8-tekst."),
        ("r.xlsx", b"geen zip", "Het bestand is geen geldig XLSX-bestand."),
        ("r.json", b"{", "Het bestand is geen geldige JSON."),
        ("r.json", b'{"rijen": 3}', 'Verwacht een lijst met regels, of een object met "rijen".'),
        ("r.csv", b"verwijzing;soort\n", "Het bestand bevat geen regels."),
    ],
)
def test_unreadable_files(filename: str, content: bytes, message: str) -> None:
    with pytest.raises(imports.ImportFailed) as exc:
        imports.read_rows(filename=filename, content=content)
    assert exc.value.code == "import_mislukt"
    assert exc.value.errors == [message]


SPELL_HEADER = [
    "bsn",
    "soort",
    "begindatum",
    "einddatum",
    "uren_per_week",
    "organisatie",
    "sector",
    "contractsoort",
    "sleutel",
]


def _spells_state() -> list[tuple[Any, ...]]:
    return list(
        ParticipationSpell.objects.order_by("pk").values_list(
            "person_id",
            "kind",
            "start_date",
            "end_date",
            "hours_per_week",
            "organisation_id",
            "contract_type",
            "source_key",
            "updated_at",
        )
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_spells_file_twice_is_the_same_as_once(
    fmt: str, regisseur: Any, person: Any, org: Any, municipality: Any
) -> None:
    other = factories.PersonFactory(municipality=municipality)
    rows = [
        [
            person.bsn,
            "werk",
            "2024-05-01",
            "2024-12-31",
            "24",
            org.name,
            "zorg",
            "tijdelijk",
            "A-1",
        ],
        [person.bsn, "vrijwilligerswerk", "2024-01-01", None, "4", None, None, None, None],
        [
            other.bsn,
            "Opleiding (ook taalschakeltraject)",
            "2024-09-01",
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    content = FORMATS[fmt](SPELL_HEADER, rows)
    result = imports.import_spells(
        by=regisseur, rows=imports.read_rows(filename=f"s.{fmt}", content=content)
    )
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    state = _spells_state()
    work = ParticipationSpell.objects.get(kind="werk")
    assert (work.organisation, work.hours_per_week, work.source_key) == (
        org,
        Decimal("24.0"),
        "0148:A-1",
    )
    again = imports.import_spells(
        by=regisseur, rows=imports.read_rows(filename=f"s.{fmt}", content=content)
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _spells_state() == state


@pytest.mark.parametrize("fmt", FORMATS)
def test_spells_file_with_one_bad_row_changes_nothing(
    fmt: str, regisseur: Any, person: Any, other_municipality: Any
) -> None:
    stranger = factories.PersonFactory(municipality=other_municipality)
    rows = [
        [person.bsn, "werk", "2024-05-01", None, "24", None, None, None, None],
        [stranger.bsn, "werk", "2024-05-01", None, None, None, None, None, None],
        [person.bsn, "stage", "2024-05-01", "2024-04-01", None, None, None, None, None],
    ]
    content = FORMATS[fmt](SPELL_HEADER, rows)
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_spells(
            by=regisseur, rows=imports.read_rows(filename=f"s.{fmt}", content=content)
        )
    assert exc.value.code == "import_mislukt"
    first = 3 if fmt != "json" else 2
    assert exc.value.errors == [
        f"Rij {first}, kolom 'bsn': geen persoon met dit BSN in uw gemeente(n).",
        f"Rij {first + 1}, kolom 'einddatum': ligt voor de begindatum.",
    ]
    assert stranger.bsn not in " ".join(exc.value.errors)
    assert not ParticipationSpell.objects.exists()


def test_spell_import_by_person_id_and_changed_row_updates(regisseur: Any, person: Any) -> None:
    header = ["persoon_id", "soort", "begindatum", "einddatum"]
    imports.import_spells(
        by=regisseur,
        rows=imports.read_rows(
            filename="s.csv", content=as_csv(header, [[person.pk, "werk", "2024-05-01", ""]])
        ),
    )
    result = imports.import_spells(
        by=regisseur,
        rows=imports.read_rows(
            filename="s.csv",
            content=as_csv(header, [[person.pk, "werk", "2024-05-01", "2024-06-30"]]),
        ),
    )
    assert (result.created, result.updated) == (0, 1)
    assert ParticipationSpell.objects.get().end_date == date(2024, 6, 30)


def test_spells_name_only_organisations_that_work_in_the_gemeente(
    regisseur: Any, person: Any, make_org: Any, other_municipality: Any
) -> None:
    """Another gemeente's organisation is as unknown as a name that does not exist (issue 15)."""
    elsewhere = make_org(name="Alleen Zwolle (test)", municipalities=[other_municipality])
    answers = []
    for name in [elsewhere.name, "Bestaat niet (test)"]:
        rows = [[person.bsn, "werk", "2024-05-01", None, "24", name, None, None, None]]
        content = FORMATS["csv"](SPELL_HEADER, rows)
        with pytest.raises(imports.ImportFailed) as exc:
            imports.import_spells(
                by=regisseur, rows=imports.read_rows(filename="s.csv", content=content)
            )
        assert exc.value.code == "import_mislukt"
        answers.append([e.replace(name, "NAAM") for e in exc.value.errors])
    assert answers[0] == answers[1]
    assert not ParticipationSpell.objects.exists()
