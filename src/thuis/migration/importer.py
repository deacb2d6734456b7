"""Migration import of a caseload from another system (docs/import.md).

Two files, CSV or XLSX, one header row:

- personen:       bsn, geboortedatum, geslacht, geboorteland, doelgroep, plicht_start, koppeling,
                  vestiging, huishouden (optional: voornamen, achternaam, nationaliteit,
                  doelgroep_sinds)
- gebeurtenissen: bsn, soort, begindatum, einddatum, waarde

The file is read by the one tabular reader (`thuis.core.tabular`: limits, Dutch row/column
errors) and applied whole or not at all (one transaction). This module only turns rows into
typed values; persons, cases and case events are written by the cases services
(`cases.services.bulk`, where the checks of the single-case services apply), spells by the
partners services. Importing the same file again changes nothing: persons match on BSN, cases
on person + plicht_start, events on a natural key (see docs/import.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuis.audit import events as audit_events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.services import bulk
from thuis.core import tabular
from thuis.core.bsn import is_valid_bsn, normalise_bsn
from thuis.core.errors import ValidationFailed
from thuis.core.tabular import Errors, ImportFailed, Row, RowReader, parse_date
from thuis.people.countries import COUNTRY_CODES
from thuis.people.models import Municipality

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

PERSON_COLUMNS = tabular.Columns(
    required=(
        "bsn",
        "geboortedatum",
        "geslacht",
        "geboorteland",
        "doelgroep",
        "plicht_start",
        "koppeling",
        "vestiging",
        "huishouden",
    ),
    optional=("voornamen", "achternaam", "nationaliteit", "doelgroep_sinds"),
)
EVENT_COLUMNS = tabular.Columns(required=("bsn", "soort", "begindatum", "einddatum", "waarde"))
SPELL_KINDS = ("WERK", "VRIJWILLIGERSWERK", "OPLEIDING", "STAGE", "BIJSTAND")
CASE_EVENTS = ("BREDE_INTAKE_START", "PIP", "EXAMEN", "PVT", "MAP", "PLICHT_VOLDAAN")
EVENT_KINDS = (*CASE_EVENTS, *SPELL_KINDS)
SEXES = {"M": "M", "V": "V", "X": "O"}
# doelgroep column -> (DoelgroepPeriod.doelgroep, gedetailleerde_doelgroep)
DOELGROEPEN = {
    "asielstatushouder": ("asielstatushouder", "asielstatushouder"),
    "gezinsmigrant": ("gezinsmigrant", "gezinshereniger"),
    "overig": ("gezinsmigrant", "overig"),
}
LEERROUTES = {"b1": "B1", "onderwijs": "onderwijs", "z": "Z"}
EXAM_COMPONENTS = ("lezen", "luisteren", "schrijven", "spreken", "knm", "ona")
EXAM_LEVELS = ("A2", "B1", "B2")
WITHOUT_LEVEL = tuple(str(c) for c in rules.COMPONENTS_WITHOUT_LEVEL)
EXAM_RESULTS = ("geslaagd", "gezakt", "geen")
UNKNOWN_NAME = "Onbekend (migratie)"
# Persons need given names (the check of `person_create`); a source without them gets this.
UNKNOWN_GIVEN_NAMES = "(onbekend)"


def limits() -> tabular.Limits:
    return tabular.Limits.from_settings(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


@dataclass
class Result:
    summary: dict[str, int] = field(default_factory=dict)
    municipality_created: bool = False
    changed_subjects: int = 0

    def add(self, key: str, n: int = 1) -> None:
        self.summary[key] = self.summary.get(key, 0) + n


def read(*, kind: str, content: bytes, filename: str) -> list[Row]:
    if kind == "personen":
        columns = PERSON_COLUMNS
    elif kind == "gebeurtenissen":
        columns = EVENT_COLUMNS
    else:
        raise ImportFailed([_("Onbekende soort import: %s.") % kind])
    return tabular.read_table(
        content=content, filename=filename, columns=columns, limits=limits()
    ).rows


def _bsn(row: RowReader) -> str | None:
    bsn = normalise_bsn(row.text("bsn"))
    if not bsn:
        row.fail("bsn", _("vul het BSN in."))
        return None
    if not is_valid_bsn(bsn):
        row.fail("bsn", _("dit is geen geldig BSN (9 cijfers, elfproef)."))
        return None
    return bsn


MISSING_DATE = gettext_lazy("vul een datum in.")


def _date(row: RowReader, column: str, *, required: bool) -> date | None:
    return row.get(column, parse_date, required=required, missing=MISSING_DATE)


# --- Persons -----------------------------------------------------------------------------------


def parse_persons(rows: list[Row]) -> list[bulk.CaseRow]:
    errors = Errors()
    parsed: list[bulk.CaseRow] = []
    seen: dict[tuple[str, date], int] = {}
    births: dict[str, tuple[int, date, str, str]] = {}
    for number, values in rows:
        row = RowReader(number, values, errors)
        bsn = _bsn(row)
        birth = _date(row, "geboortedatum", required=True)
        sex = SEXES.get(row.text("geslacht").upper())
        if sex is None:
            row.fail("geslacht", _("kies M, V of X."))
        country = row.text("geboorteland").upper()
        if country not in COUNTRY_CODES:
            row.fail("geboorteland", _("gebruik een landcode uit ISO 3166, zoals SY."))
        nationality = row.text("nationaliteit").upper() or country
        if nationality not in COUNTRY_CODES and country in COUNTRY_CODES:
            row.fail("nationaliteit", _("gebruik een landcode uit ISO 3166."))
        doelgroep = row.text("doelgroep").lower()
        if doelgroep not in DOELGROEPEN:
            row.fail("doelgroep", _("kies asielstatushouder, gezinsmigrant of overig."))
        start = _date(row, "plicht_start", required=True)
        koppeling = _date(row, "koppeling", required=False)
        vestiging = _date(row, "vestiging", required=False)
        since = _date(row, "doelgroep_sinds", required=False)
        if bsn and birth and sex and start:
            key = (bsn, start)
            if key in seen:
                row.fail(
                    "bsn", _("dezelfde persoon en start plicht staan ook in rij %d.") % seen[key]
                )
            seen[key] = number
            earlier = births.get(bsn)
            if earlier and (earlier[1], earlier[2], earlier[3]) != (birth, sex, country):
                row.fail(
                    "geboortedatum",
                    _("andere persoonsgegevens dan rij %d voor hetzelfde BSN.") % earlier[0],
                )
            births.setdefault(bsn, (number, birth, sex, country))
        if row.ok and bsn and birth and sex and start:
            group, detail = DOELGROEPEN[doelgroep]
            parsed.append(
                bulk.CaseRow(
                    row=number,
                    bsn=bsn,
                    birth_date=birth,
                    sex=sex,
                    country_of_birth=country,
                    nationality=nationality,
                    given_names=row.text("voornamen")[:200] or UNKNOWN_GIVEN_NAMES,
                    family_name=row.text("achternaam")[:200] or UNKNOWN_NAME,
                    doelgroep=group,
                    gedetailleerde_doelgroep=detail,
                    plicht_start=start,
                    koppeling_date=koppeling,
                    vestiging_date=vestiging,
                    household=row.text("huishouden")[:200],
                    doelgroep_since=since,
                )
            )
    errors.raise_if_any()
    return parsed


def apply_persons(
    rows: list[bulk.CaseRow], municipality: Municipality, by: Any, result: Result
) -> set[str]:
    done = bulk.cases_import(by=by, municipality=municipality, rows=rows)
    for key, n in done.counts.items():
        result.add(key, n)
    result.add("ongewijzigd", sum(1 for r in rows if r.bsn not in done.changed))
    return done.changed


# --- Events ------------------------------------------------------------------------------------


@dataclass
class EventRow:
    row: int
    bsn: str
    kind: str
    start: date
    end: date | None
    value: str
    hours: Decimal | None = None
    exam: tuple[str, str, str] | None = None


def parse_events(rows: list[Row]) -> list[EventRow]:
    errors = Errors()
    parsed: list[EventRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in rows:
        row = RowReader(number, values, errors)
        bsn = _bsn(row)
        kind = row.text("soort").upper()
        if kind not in EVENT_KINDS:
            row.fail("soort", _("kies uit %s.") % ", ".join(EVENT_KINDS))
        start = _date(row, "begindatum", required=True)
        end = _date(row, "einddatum", required=False)
        if start and end and end < start:
            row.fail("einddatum", _("de einddatum ligt vóór de begindatum."))
        if end and kind in CASE_EVENTS:
            row.fail("einddatum", _("laat de einddatum leeg bij %s.") % kind)
        value = row.text("waarde")
        event = EventRow(
            row=number, bsn=bsn or "", kind=kind, start=start or date.min, end=end, value=value
        )
        if kind == "PIP":
            route = LEERROUTES.get(value.lower())
            if route is None:
                row.fail("waarde", _("vul de leerroute in: B1, onderwijs of Z."))
            event.value = route or ""
        elif kind == "WERK" and value:
            try:
                event.hours = tabular.parse_decimal(value).quantize(Decimal("0.1"))
            except tabular.CellError:
                event.hours = Decimal(-1)
            if not Decimal(0) <= event.hours <= Decimal(80):
                row.fail("waarde", _("vul het aantal uren per week in (0 tot 80)."))
        elif kind == "EXAMEN":
            parts = [p.strip() for p in value.split(":")]
            # KNM and ONA have no level (rules.exam_validate): "knm::geslaagd"; a level an old
            # system wrote there is dropped.
            no_level = len(parts) == 3 and parts[0].lower() in WITHOUT_LEVEL
            if (
                len(parts) != 3
                or parts[0].lower() not in EXAM_COMPONENTS
                or (parts[1].upper() not in EXAM_LEVELS and not (no_level and not parts[1]))
                or parts[2].lower() not in EXAM_RESULTS
            ):
                row.fail(
                    "waarde",
                    _(
                        "schrijf ONDERDEEL:NIVEAU:UITSLAG, zoals lezen:B1:geslaagd (onderdeel: %s; "
                        "niveau A2, B1 of B2; uitslag geslaagd, gezakt of geen)."
                    )
                    % ", ".join(EXAM_COMPONENTS),
                )
            else:
                level = "" if no_level else parts[1].upper()
                event.exam = (parts[0].lower(), level, parts[2].lower())
        elif kind in EVENT_KINDS and value and kind != "WERK":
            row.fail("waarde", _("laat de waarde leeg bij %s.") % kind)
        if bsn and start and kind in EVENT_KINDS:
            key = _natural_key(event)
            if key in seen:
                row.fail("soort", _("dezelfde gebeurtenis staat ook in rij %d.") % seen[key])
            seen[key] = number
            parsed.append(event)
    errors.raise_if_any()
    return parsed


def _natural_key(e: EventRow) -> tuple[Any, ...]:
    if e.kind in SPELL_KINDS:
        return (e.bsn, e.kind, e.start)
    if e.kind == "PIP":
        return (e.bsn, e.kind, e.start, e.value)
    if e.kind == "EXAMEN":
        return (e.bsn, e.kind, e.start, e.exam)
    return (e.bsn, e.kind)  # one intake start, PVT, MAP and plicht end per person


def spell_source_key(municipality: Municipality, person: Any, kind: str, start: date) -> str:
    """Natural key of an imported spell in partners (no BSN: the person's id)."""
    return f"migratie:{municipality.code}:{person.pk}:{kind}:{start.isoformat()}"


def apply_events(
    rows: list[EventRow], municipality: Municipality, by: Any, result: Result
) -> set[str]:
    from thuis.partners import selectors as partner_selectors
    from thuis.partners import services as partner_services

    errors = Errors()
    persons = bulk.persons_by_bsn(municipality=municipality, bsns=(r.bsn for r in rows))
    cases_by_person = bulk.cases_by_person(persons.values())
    case_events: list[bulk.CaseEvent] = []
    for r in rows:
        person = persons.get(r.bsn)
        if person is None:
            errors.add(
                r.row, "bsn", _("onbekende persoon in deze gemeente; importeer eerst de personen.")
            )
            continue
        if r.kind in CASE_EVENTS:
            options = [c for c in cases_by_person[person.pk] if c.plicht_start <= r.start]
            if not options:
                errors.add(r.row, "begindatum", _("ligt vóór de start van de plicht."))
                continue
            case = max(options, key=lambda c: c.plicht_start)
            case_events.append(
                bulk.CaseEvent(
                    row=r.row, case=case, kind=r.kind, on=r.start, value=r.value, exam=r.exam
                )
            )
    errors.raise_if_any()

    known_spells = {
        key: (start, end, hours)
        for key, start, end, hours in partner_selectors.spells_for_facts(municipality=municipality)
        .filter(source="import", source_key__startswith=f"migratie:{municipality.code}:")
        .values_list("source_key", "start_date", "end_date", "hours_per_week")
    }
    touched: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for r in sorted((r for r in rows if r.kind in SPELL_KINDS), key=lambda e: (e.start, e.row)):
        person = persons[r.bsn]
        key = spell_source_key(municipality, person, r.kind.lower(), r.start)
        before = known_spells.get(key)
        if before == (r.start, r.end, r.hours):
            continue
        try:
            partner_services.spell_create(
                by=by,
                person=person,
                kind=r.kind.lower(),
                start_date=r.start,
                end_date=r.end,
                hours_per_week=r.hours,
                source="import",
                source_key=key,
                description=_("Gemigreerd uit een ander systeem"),
            )
        except ValidationFailed as exc:
            raise ImportFailed([f"{tabular.where(r.row, 'soort')}: {exc.message}"]) from exc
        known_spells[key] = (r.start, r.end, r.hours)
        action = Action.CREATE if before is None else Action.UPDATE
        touched.setdefault(r.bsn, set()).add(action)
        name = f"{r.kind.lower()}_{'nieuw' if action == Action.CREATE else 'gewijzigd'}"
        counts[name] = counts.get(name, 0) + 1
    done = bulk.case_events_import(by=by, events_in=case_events)
    for bsn, actions in done.touched.items():
        touched.setdefault(bsn, set()).update(actions)
    for name, n in done.counts.items():
        counts[name] = counts.get(name, 0) + n
    for name, n in sorted(counts.items()):
        result.add(name, n)
    result.add("ongewijzigd", len(rows) - sum(counts.values()))
    for action in (Action.CREATE, Action.UPDATE):
        subjects = [
            (str(p.pk), bsn) for bsn, p in persons.items() if action in touched.get(bsn, set())
        ]
        if subjects:
            audit_events.record(
                user=by,
                action=action,
                object_type="import-gebeurtenis",
                subjects=subjects,
                activity=audit_events.Activity.IMPORT,
                municipality_code=municipality.code,
                reason="migratie-import",
            )
    return set(touched)
