"""Migration import of a caseload from another system (docs/import.md).

Two files, CSV or XLSX, one header row:

- personen:       bsn, geboortedatum, geslacht, geboorteland, doelgroep, plicht_start, koppeling,
                  vestiging, huishouden (optional extra columns: voornamen, achternaam,
                  nationaliteit)
- gebeurtenissen: bsn, soort, begindatum, einddatum, waarde

A file is applied whole or not at all (one transaction); errors name the row (the header is
row 1, as in a spreadsheet) and the column, in Dutch, and never quote a BSN. Importing the same
file again changes nothing: persons match on BSN, cases on person + plicht_start, events on a
natural key (see docs/import.md). For speed this module writes with the ORM in bulk; every data
subject touched gets one processing-log record (activity "gegevensmigratie").
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules as case_rules
from thuis.cases.models import (
    BredeIntake,
    CaseStatusChange,
    ComponentCompletion,
    DoelgroepPeriod,
    ExamResult,
    IntegrationCase,
    Pip,
)
from thuis.core.bsn import is_valid_bsn, normalise_bsn
from thuis.core.errors import ValidationFailed
from thuis.people.countries import COUNTRY_CODES
from thuis.people.models import Household, HouseholdMember, Municipality, Person

MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 100

PERSON_COLUMNS = (
    "bsn",
    "geboortedatum",
    "geslacht",
    "geboorteland",
    "doelgroep",
    "plicht_start",
    "koppeling",
    "vestiging",
    "huishouden",
)
PERSON_OPTIONAL = ("voornamen", "achternaam", "nationaliteit")
EVENT_COLUMNS = ("bsn", "soort", "begindatum", "einddatum", "waarde")
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
EXAM_RESULTS = ("geslaagd", "gezakt", "geen")
STATUS_ORDER = {"aangemeld": 0, "intake": 1, "pip": 2, "voldaan": 3}
UNKNOWN_NAME = "Onbekend (migratie)"


class ImportFailed(ValidationFailed):
    """The file was not applied. `errors` lists every problem found (row and column)."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        message = _("Het bestand is niet ingelezen. Er zijn %(n)d fouten gevonden.") % {
            "n": len(errors)
        }
        super().__init__(message, code="import")
        self.errors = shown + ([_("… en nog %(n)d fouten.") % {"n": more}] if more > 0 else [])


class _Rollback(Exception):
    """Raised inside the transaction of a preview, so nothing is kept."""


@dataclass
class Result:
    summary: dict[str, int] = field(default_factory=dict)
    municipality_created: bool = False
    changed_subjects: int = 0

    def add(self, key: str, n: int = 1) -> None:
        self.summary[key] = self.summary.get(key, 0) + n


# --- Reading -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower case) and (row number, values) for each non-empty data row."""
    if len(content) > MAX_BYTES:
        raise ImportFailed([_("Het bestand is groter dan 50 MB. Splits het bestand.")])
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        raw = _read_xlsx(content)
    else:
        raw = _read_csv(content)
    if not raw:
        raise ImportFailed([_("Het bestand is leeg.")])
    header = [h.strip().lower() for h in raw[0]]
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append(
            (
                number,
                {
                    h: (values[i].strip() if i < len(values) else "")
                    for i, h in enumerate(header)
                    if h
                },
            )
        )
    return header, rows


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([_("Sla het CSV-bestand op als UTF-8.")]) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed([_("Dit is geen geldig XLSX-bestand.")]) from exc
    sheet = book.worksheets[0]
    return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _check_header(header: list[str], required: Iterable[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed([_("Kolom %s ontbreekt in de eerste rij.") % c for c in missing])


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(
            _("Rij %(rij)d, kolom %(kolom)s: %(melding)s")
            % {"rij": row, "kolom": column, "melding": message}
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items)


def _date(
    errors: _Errors, row: int, values: dict[str, str], column: str, *, required: bool
) -> date | None:
    raw = values.get(column, "")
    if not raw:
        if required:
            errors.add(row, column, _("vul een datum in (JJJJ-MM-DD)."))
        return None
    try:
        return date.fromisoformat(raw[:10]) if len(raw) >= 10 else date.fromisoformat(raw)
    except ValueError:
        errors.add(row, column, _("'%s' is geen datum; schrijf JJJJ-MM-DD.") % raw[:20])
        return None


def _bsn(errors: _Errors, row: int, values: dict[str, str]) -> str | None:
    bsn = normalise_bsn(values.get("bsn", ""))
    if not bsn:
        errors.add(row, "bsn", _("vul het BSN in."))
        return None
    if not is_valid_bsn(bsn):
        errors.add(row, "bsn", _("dit is geen geldig BSN (9 cijfers, elfproef)."))
        return None
    return bsn


def _municipality(code: str, name: str | None, *, create: bool) -> tuple[Municipality, bool]:
    if not (len(code) == 4 and code.isdigit()):
        raise ImportFailed([_("De gemeentecode moet 4 cijfers zijn (CBS), zoals 0148.")])
    found = Municipality.objects.filter(code=code).first()
    if found is not None:
        return found, False
    if not create:
        raise ImportFailed([_("Gemeente %s bestaat niet.") % code])
    return Municipality.objects.create(code=code, name=(name or f"Gemeente {code}")[:100]), True


# --- Persons -----------------------------------------------------------------------------------


@dataclass
class PersonRow:
    row: int
    bsn: str
    birth_date: date
    sex: str
    country: str
    doelgroep: str
    plicht_start: date
    koppeling: date | None
    vestiging: date | None
    household: str
    given_names: str
    family_name: str
    nationality: str


def parse_persons(rows: list[tuple[int, dict[str, str]]]) -> list[PersonRow]:
    errors = _Errors()
    parsed: list[PersonRow] = []
    seen: dict[tuple[str, date], int] = {}
    births: dict[str, tuple[int, date, str, str]] = {}
    for number, values in rows:
        bsn = _bsn(errors, number, values)
        birth = _date(errors, number, values, "geboortedatum", required=True)
        sex = SEXES.get(values.get("geslacht", "").upper())
        if sex is None:
            errors.add(number, "geslacht", _("kies M, V of X."))
        country = values.get("geboorteland", "").upper()
        if country not in COUNTRY_CODES:
            errors.add(number, "geboorteland", _("gebruik een landcode uit ISO 3166, zoals SY."))
        nationality = values.get("nationaliteit", "").upper() or country
        if nationality not in COUNTRY_CODES and country in COUNTRY_CODES:
            errors.add(number, "nationaliteit", _("gebruik een landcode uit ISO 3166."))
        doelgroep = values.get("doelgroep", "").lower()
        if doelgroep not in DOELGROEPEN:
            errors.add(number, "doelgroep", _("kies asielstatushouder, gezinsmigrant of overig."))
        start = _date(errors, number, values, "plicht_start", required=True)
        koppeling = _date(errors, number, values, "koppeling", required=False)
        vestiging = _date(errors, number, values, "vestiging", required=False)
        if koppeling and vestiging and vestiging < koppeling:
            errors.add(number, "vestiging", _("de vestiging ligt vóór de koppeling."))
        if birth and start and start < birth:
            errors.add(number, "plicht_start", _("de plicht begint vóór de geboortedatum."))
        if bsn and birth and sex and start:
            key = (bsn, start)
            if key in seen:
                errors.add(
                    number,
                    "bsn",
                    _("dezelfde persoon en start plicht staan ook in rij %d.") % seen[key],
                )
            seen[key] = number
            earlier = births.get(bsn)
            if earlier and (earlier[1], earlier[2], earlier[3]) != (birth, sex, country):
                errors.add(
                    number,
                    "geboortedatum",
                    _("andere persoonsgegevens dan rij %d voor hetzelfde BSN.") % earlier[0],
                )
            births.setdefault(bsn, (number, birth, sex, country))
        if bsn and birth and sex and start and doelgroep in DOELGROEPEN:
            parsed.append(
                PersonRow(
                    row=number,
                    bsn=bsn,
                    birth_date=birth,
                    sex=sex,
                    country=country,
                    doelgroep=doelgroep,
                    plicht_start=start,
                    koppeling=koppeling,
                    vestiging=vestiging,
                    household=values.get("huishouden", "")[:200],
                    given_names=values.get("voornamen", "")[:200],
                    family_name=values.get("achternaam", "")[:200] or UNKNOWN_NAME,
                    nationality=nationality,
                )
            )
    errors.raise_if_any()
    return parsed


def _apply_persons(
    rows: list[PersonRow], municipality: Municipality, by: Any, result: Result
) -> set[str]:
    errors = _Errors()
    bsns = {r.bsn for r in rows}
    existing = {p.bsn: p for p in Person.objects.filter(bsn__in=bsns)}
    for r in rows:
        other = existing.get(r.bsn)
        if other is not None and other.municipality_id != municipality.pk:
            errors.add(r.row, "bsn", _("deze persoon staat al bij een andere gemeente."))
    errors.raise_if_any()

    created: dict[str, Person] = {}
    changed: set[str] = set()
    to_update: list[Person] = []
    for r in rows:
        person = existing.get(r.bsn) or created.get(r.bsn)
        if person is None:
            created[r.bsn] = Person(
                municipality=municipality,
                bsn=r.bsn,
                given_names=r.given_names,
                family_name=r.family_name,
                birth_date=r.birth_date,
                sex=r.sex,
                nationality=r.nationality,
                country_of_birth=r.country,
            )
            continue
        if r.bsn in created:
            continue
        if (person.birth_date, person.sex, person.country_of_birth) != (
            r.birth_date,
            r.sex,
            r.country,
        ):
            person.birth_date, person.sex, person.country_of_birth = r.birth_date, r.sex, r.country
            to_update.append(person)
            changed.add(r.bsn)
    Person.objects.bulk_create(created.values(), batch_size=1000)
    if not all(p.pk for p in created.values()):  # backends without RETURNING
        ids = dict(Person.objects.filter(bsn__in=list(created)).values_list("bsn", "pk"))
        for bsn, p in created.items():
            p.pk = ids[bsn]
    Person.objects.bulk_update(
        to_update, ["birth_date", "sex", "country_of_birth"], batch_size=1000
    )
    result.add("personen_nieuw", len(created))
    result.add("personen_gewijzigd", len(to_update))
    persons = {**existing, **created}

    # Cases: one per person + plicht_start.
    cases = {
        (c.person_id, c.plicht_start): c
        for c in IntegrationCase.objects.filter(person__in=[p.pk for p in persons.values()])
    }
    periods = defaultdict(list)
    for period in DoelgroepPeriod.objects.filter(case__in=[c.pk for c in cases.values()]):
        periods[period.case_id].append(period)
    new_cases: list[tuple[IntegrationCase, PersonRow]] = []
    new_case_ids: set[int] = set()
    case_updates: list[IntegrationCase] = []
    period_updates: list[DoelgroepPeriod] = []
    for r in rows:
        person = persons[r.bsn]
        case = cases.get((person.pk, r.plicht_start))
        doelgroep, detail = DOELGROEPEN[r.doelgroep]
        if case is None:
            case = IntegrationCase(
                person=person,
                municipality=municipality,
                regime=str(case_rules.law_regime(plicht_start=r.plicht_start).value),
                plicht_start=r.plicht_start,
                koppeling_date=r.koppeling,
                vestiging_date=r.vestiging,
                status="aangemeld",
                status_since=r.plicht_start,
            )
            cases[(person.pk, r.plicht_start)] = case
            new_cases.append((case, r))
            new_case_ids.add(id(case))
            continue
        if id(case) in new_case_ids:
            continue
        if (case.koppeling_date, case.vestiging_date) != (r.koppeling, r.vestiging):
            case.koppeling_date, case.vestiging_date = r.koppeling, r.vestiging
            case.version += 1
            case_updates.append(case)
            changed.add(r.bsn)
        current = max(periods.get(case.pk, []), key=lambda p: p.start_date, default=None)
        if current is not None and (current.doelgroep, current.gedetailleerde_doelgroep) != (
            doelgroep,
            detail,
        ):
            current.doelgroep, current.gedetailleerde_doelgroep = doelgroep, detail
            period_updates.append(current)
            changed.add(r.bsn)
    IntegrationCase.objects.bulk_create([c for c, _r in new_cases], batch_size=1000)
    if new_cases and not all(c.pk for c, _r in new_cases):
        case_pks = {
            (pid, start): pk
            for pid, start, pk in IntegrationCase.objects.filter(
                person__in=[c.person_id for c, _r in new_cases]
            ).values_list("person_id", "plicht_start", "pk")
        }
        for c, _r in new_cases:
            c.pk = case_pks[(c.person_id, c.plicht_start)]
    DoelgroepPeriod.objects.bulk_create(
        [
            DoelgroepPeriod(
                case=c,
                doelgroep=DOELGROEPEN[r.doelgroep][0],
                gedetailleerde_doelgroep=DOELGROEPEN[r.doelgroep][1],
                start_date=r.plicht_start,
            )
            for c, r in new_cases
        ],
        batch_size=1000,
    )
    CaseStatusChange.objects.bulk_create(
        [
            CaseStatusChange(
                case=c,
                from_status="",
                to_status="aangemeld",
                on_date=r.plicht_start,
                changed_by=by if not isinstance(by, str) else None,
                reason=_("Gemigreerd uit een ander systeem"),
            )
            for c, r in new_cases
        ],
        batch_size=1000,
    )
    IntegrationCase.objects.bulk_update(
        case_updates, ["koppeling_date", "vestiging_date", "version"], batch_size=1000
    )
    DoelgroepPeriod.objects.bulk_update(
        period_updates, ["doelgroep", "gedetailleerde_doelgroep"], batch_size=1000
    )
    result.add("trajecten_nieuw", len(new_cases))
    result.add("trajecten_gewijzigd", len(case_updates) + len(period_updates))

    # Households: the source system's household key becomes the household's name.
    household_keys = {r.household for r in rows if r.household}
    households = {
        h.name: h
        for h in Household.objects.filter(municipality=municipality, name__in=household_keys)
    }
    new_households = [
        Household(municipality=municipality, name=key)
        for key in sorted(household_keys - set(households))
    ]
    for h in new_households:
        h.save()
        households[h.name] = h
    memberships = set(
        HouseholdMember.objects.filter(
            household__in=[h.pk for h in households.values()]
        ).values_list("household_id", "person_id")
    )
    new_members = []
    for r in rows:
        if not r.household:
            continue
        household, person = households[r.household], persons[r.bsn]
        if (household.pk, person.pk) in memberships:
            continue
        memberships.add((household.pk, person.pk))
        new_members.append(
            HouseholdMember(
                household=household,
                person=person,
                relation="other",
                start_date=r.vestiging or r.plicht_start,
            )
        )
        changed.add(r.bsn)
    HouseholdMember.objects.bulk_create(new_members, batch_size=1000)
    result.add("huishoudens_nieuw", len(new_households))
    result.add("huishoudleden_nieuw", len(new_members))

    new_subjects = [(str(p.pk), p.bsn) for p in created.values()]
    updated_subjects = [(str(persons[b].pk), b) for b in sorted(changed - set(created))]
    new_case_subjects = [(str(c.pk), r.bsn) for c, r in new_cases if r.bsn not in created]
    _log(by, municipality, Action.CREATE, "person", new_subjects)
    _log(by, municipality, Action.CREATE, "case", new_case_subjects)
    _log(by, municipality, Action.UPDATE, "person", updated_subjects)
    touched = set(created) | changed | {r.bsn for _, r in new_cases}
    result.add("ongewijzigd", sum(1 for r in rows if r.bsn not in touched))
    return touched


def _log(
    by: Any,
    municipality: Municipality,
    action: str,
    object_type: str,
    subjects: list[tuple[str, str]],
) -> None:
    if subjects:
        events.record(
            user=by,
            action=action,
            object_type=object_type,
            subjects=subjects,
            activity=events.Activity.IMPORT,
            municipality_code=municipality.code,
            reason="migratie-import",
        )


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


def parse_events(rows: list[tuple[int, dict[str, str]]]) -> list[EventRow]:
    errors = _Errors()
    parsed: list[EventRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in rows:
        bsn = _bsn(errors, number, values)
        kind = values.get("soort", "").upper()
        if kind not in EVENT_KINDS:
            errors.add(number, "soort", _("kies uit %s.") % ", ".join(EVENT_KINDS))
        start = _date(errors, number, values, "begindatum", required=True)
        end = _date(errors, number, values, "einddatum", required=False)
        if start and end and end < start:
            errors.add(number, "einddatum", _("de einddatum ligt vóór de begindatum."))
        if end and kind in CASE_EVENTS:
            errors.add(number, "einddatum", _("laat de einddatum leeg bij %s.") % kind)
        value = values.get("waarde", "")
        event = EventRow(
            row=number, bsn=bsn or "", kind=kind, start=start or date.min, end=end, value=value
        )
        if kind == "PIP":
            route = LEERROUTES.get(value.lower())
            if route is None:
                errors.add(number, "waarde", _("vul de leerroute in: B1, onderwijs of Z."))
            event.value = route or ""
        elif kind == "WERK" and value:
            try:
                event.hours = Decimal(value.replace(",", ".")).quantize(Decimal("0.1"))
            except InvalidOperation:
                event.hours = Decimal(-1)
            if not Decimal(0) <= event.hours <= Decimal(80):
                errors.add(number, "waarde", _("vul het aantal uren per week in (0 tot 80)."))
        elif kind == "EXAMEN":
            parts = [p.strip() for p in value.split(":")]
            if (
                len(parts) != 3
                or parts[0].lower() not in EXAM_COMPONENTS
                or parts[1].upper() not in EXAM_LEVELS
                or parts[2].lower() not in EXAM_RESULTS
            ):
                errors.add(
                    number,
                    "waarde",
                    _(
                        "schrijf ONDERDEEL:NIVEAU:UITSLAG, zoals lezen:B1:geslaagd (onderdeel: %s; "
                        "niveau A2, B1 of B2; uitslag geslaagd, gezakt of geen)."
                    )
                    % ", ".join(EXAM_COMPONENTS),
                )
            else:
                event.exam = (parts[0].lower(), parts[1].upper(), parts[2].lower())
        elif kind in EVENT_KINDS and value and kind != "WERK":
            errors.add(number, "waarde", _("laat de waarde leeg bij %s.") % kind)
        if bsn and start and kind in EVENT_KINDS:
            key = _natural_key(event)
            if key in seen:
                errors.add(
                    number, "soort", _("dezelfde gebeurtenis staat ook in rij %d.") % seen[key]
                )
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


def spell_source_key(municipality: Municipality, person: Person, kind: str, start: date) -> str:
    """Natural key of an imported spell in partners (no BSN: the person's id)."""
    return f"migratie:{municipality.code}:{person.pk}:{kind}:{start.isoformat()}"


def _apply_events(
    rows: list[EventRow], municipality: Municipality, by: Any, result: Result
) -> set[str]:
    from thuis.partners import selectors as partner_selectors
    from thuis.partners import services as partner_services

    errors = _Errors()
    persons = {
        p.bsn: p
        for p in Person.objects.filter(municipality=municipality, bsn__in={r.bsn for r in rows})
    }
    cases_by_person: dict[int, list[IntegrationCase]] = defaultdict(list)
    for found in IntegrationCase.objects.filter(person__in=[p.pk for p in persons.values()]):
        cases_by_person[found.person_id].append(found)
    chosen: dict[int, IntegrationCase] = {}
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
            chosen[r.row] = max(options, key=lambda c: c.plicht_start)
    errors.raise_if_any()

    case_ids = {c.pk for c in chosen.values()}
    intakes = {i.case_id: i for i in BredeIntake.objects.filter(case__in=case_ids)}
    pips: dict[int, list[Pip]] = defaultdict(list)
    for pip in Pip.objects.filter(case__in=case_ids).order_by("version"):
        pips[pip.case_id].append(pip)
    exams: dict[int, list[ExamResult]] = defaultdict(list)
    for exam in ExamResult.objects.filter(case__in=case_ids):
        exams[exam.case_id].append(exam)
    completions = {
        (c.case_id, c.component): c for c in ComponentCompletion.objects.filter(case__in=case_ids)
    }
    known_spells = {
        key: (start, end, hours)
        for key, start, end, hours in partner_selectors.spells_for_facts(municipality=municipality)
        .filter(source="import", source_key__startswith=f"migratie:{municipality.code}:")
        .values_list("source_key", "start_date", "end_date", "hours_per_week")
    }
    touched: dict[str, set[str]] = defaultdict(set)  # bsn -> created/updated
    status_events: dict[int, list[tuple[str, date]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)

    def mark(r: EventRow, action: str) -> None:
        touched[r.bsn].add(action)
        counts[f"{r.kind.lower()}_{'nieuw' if action == Action.CREATE else 'gewijzigd'}"] += 1

    for r in sorted(rows, key=lambda e: (e.start, e.row)):
        person = persons[r.bsn]
        case = chosen.get(r.row)
        if r.kind in SPELL_KINDS:
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
                raise ImportFailed(
                    [
                        _("Rij %(rij)d, kolom soort: %(melding)s")
                        % {"rij": r.row, "melding": exc.message}
                    ]
                ) from exc
            known_spells[key] = (r.start, r.end, r.hours)
            mark(r, Action.CREATE if before is None else Action.UPDATE)
            continue
        assert case is not None  # noqa: S101 - checked above
        if r.kind == "BREDE_INTAKE_START":
            intake = intakes.get(case.pk)
            if intake is None:
                intakes[case.pk] = BredeIntake.objects.create(
                    case=case, started_on=r.start, status="loopt"
                )
                mark(r, Action.CREATE)
            elif intake.started_on != r.start:
                intake.started_on = r.start
                if intake.status == "gepland":
                    intake.status = "loopt"
                intake.save(update_fields=["started_on", "status", "updated_at"])
                mark(r, Action.UPDATE)
            status_events[case.pk].append(("intake", r.start))
        elif r.kind == "PIP":
            versions = pips[case.pk]
            if not any(p.dagtekening == r.start and p.leerroute == r.value for p in versions):
                previous = versions[-1] if versions else None
                reason = (
                    "eerste"
                    if previous is None
                    else ("schakelen" if previous.leerroute != r.value else "wijziging")
                )
                versions.append(
                    Pip.objects.create(
                        case=case,
                        version=(previous.version + 1) if previous else 1,
                        dagtekening=r.start,
                        leerroute=r.value,
                        reason=reason,
                        reason_text=_("Gemigreerd uit een ander systeem"),
                        established_by=by if not isinstance(by, str) else None,
                    )
                )
                mark(r, Action.CREATE)
            status_events[case.pk].append(("pip", r.start))
        elif r.kind == "EXAMEN":
            assert r.exam is not None  # noqa: S101
            component, level, outcome = r.exam
            same = [e for e in exams[case.pk] if (e.component, e.level) == (component, level)]
            if not any(e.exam_date == r.start and e.result == outcome for e in same):
                exams[case.pk].append(
                    ExamResult.objects.create(
                        case=case,
                        component=component,
                        level=level,
                        exam_date=r.start,
                        result=outcome,
                        attempt=len(same) + 1,
                    )
                )
                mark(r, Action.CREATE)
        elif r.kind in ("PVT", "MAP"):
            component = r.kind.lower()
            done = completions.get((case.pk, component))
            if done is None:
                completions[(case.pk, component)] = ComponentCompletion.objects.create(
                    case=case, component=component, completed_on=r.start
                )
                mark(r, Action.CREATE)
            elif done.completed_on != r.start:
                done.completed_on = r.start
                done.save(update_fields=["completed_on", "updated_at"])
                mark(r, Action.UPDATE)
        elif r.kind == "PLICHT_VOLDAAN":
            if (case.plicht_end_date, case.plicht_end_reason) != (r.start, "voldaan"):
                case.plicht_end_date, case.plicht_end_reason = r.start, "voldaan"
                case.save(update_fields=["plicht_end_date", "plicht_end_reason", "updated_at"])
                mark(r, Action.UPDATE)
            status_events[case.pk].append(("voldaan", r.start))

    _advance_statuses(chosen.values(), status_events, by)
    for key, n in sorted(counts.items()):
        result.add(key, n)
    result.add("ongewijzigd", len(rows) - sum(counts.values()))
    by_pk = {str(p.pk): p.bsn for p in persons.values()}
    for action in (Action.CREATE, Action.UPDATE):
        subjects = [(pk, bsn) for pk, bsn in by_pk.items() if action in touched.get(bsn, set())]
        _log(by, municipality, action, "import-gebeurtenis", subjects)
    return set(touched)


def _advance_statuses(
    cases: Iterable[IntegrationCase], status_events: dict[int, list[tuple[str, date]]], by: Any
) -> None:
    """Move each case forward (aangemeld → intake → pip → voldaan), never back."""
    seen: set[int] = set()
    for case in cases:
        if case.pk in seen or case.status not in STATUS_ORDER:
            continue
        seen.add(case.pk)
        for status, on in sorted(
            status_events.get(case.pk, []), key=lambda s: (STATUS_ORDER[s[0]], s[1])
        ):
            if STATUS_ORDER[status] <= STATUS_ORDER[case.status]:
                continue
            on = max(on, case.status_since)
            CaseStatusChange.objects.create(
                case=case,
                from_status=case.status,
                to_status=status,
                on_date=on,
                changed_by=by if not isinstance(by, str) else None,
                reason=_("Gemigreerd uit een ander systeem"),
            )
            case.status, case.status_since = status, on
            case.version += 1
            case.save(update_fields=["status", "status_since", "version", "updated_at"])


# --- Entry point -------------------------------------------------------------------------------


def import_file(
    *,
    kind: str,
    content: bytes,
    filename: str,
    gemeente: str,
    naam: str | None = None,
    by: Any,
    preview: bool = False,
) -> Result:
    """Validate and apply one file in one transaction. With `preview` nothing is kept."""
    header, rows = read_rows(content, filename)
    if kind == "personen":
        _check_header(header, PERSON_COLUMNS)
        parser: Callable[[Any], Any] = parse_persons
        applier: Callable[..., set[str]] = _apply_persons
    elif kind == "gebeurtenissen":
        _check_header(header, EVENT_COLUMNS)
        parser, applier = parse_events, _apply_events
    else:
        raise ImportFailed([_("Onbekende soort import: %s.") % kind])
    parsed = parser(rows)
    result = Result()
    result.add("rijen", len(rows))
    try:
        with transaction.atomic():
            municipality, created = _municipality(gemeente, naam, create=True)
            result.municipality_created = created
            changed = applier(parsed, municipality, by, result)
            result.changed_subjects = len(changed)
            if preview:
                raise _Rollback
            if changed or created:
                from .services import facts_schedule_rebuild

                facts_schedule_rebuild(municipality=municipality)
    except _Rollback:
        pass
    return result
