"""Many persons and cases at once (the caseload migration, docs/import.md).

The same checks as the single-case services (`person_create`, `case_open`, `case_set_dates`,
`case_change_doelgroep`) apply to every row, and every problem is reported as a Dutch row error
before anything is written: the person's fields through the model's validators (BSN elfproef,
country codes, sex), the regime from `rules.law_regime`, the order of the dates, the doelgroep
pair. History is appended: a changed doelgroep closes the current period the day before the new
one starts and adds a period, never rewrites one. Rows that match what is stored change nothing,
so importing the same rows again is a no-op. The writes are bulk statements (a fixed number of
queries per 1,000 rows) and the processing log gets one record per data subject.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases.choices import CaseStatus
from thuis.cases.models import (
    BredeIntake,
    CaseStatusChange,
    ComponentCompletion,
    DoelgroepPeriod,
    ExamResult,
    IntegrationCase,
    Pip,
)
from thuis.core.errors import ValidationFailed
from thuis.core.tabular import Errors
from thuis.people.models import Household, HouseholdMember, Municipality, Person

from .case import _check_doelgroep, _regime

BATCH = 1000
MIGRATED = "Gemigreerd uit een ander systeem"
# The order of statuses an import may move a case through (never back).
STATUS_ORDER: dict[str, int] = {
    CaseStatus.AANGEMELD: 0,
    CaseStatus.INTAKE: 1,
    CaseStatus.PIP: 2,
    CaseStatus.VOLDAAN: 3,
}


@dataclass(frozen=True)
class CaseRow:
    """One person with one case, as a source system knows them. `row` names errors."""

    row: int
    bsn: str
    birth_date: date
    sex: str
    country_of_birth: str
    nationality: str
    given_names: str
    family_name: str
    doelgroep: str
    gedetailleerde_doelgroep: str
    plicht_start: date
    koppeling_date: date | None = None
    vestiging_date: date | None = None
    household: str = ""
    doelgroep_since: date | None = None


# Field of CaseRow -> the column the user sees in an error.
DEFAULT_COLUMNS: Mapping[str, str] = {
    "bsn": "bsn",
    "birth_date": "geboortedatum",
    "sex": "geslacht",
    "country_of_birth": "geboorteland",
    "nationality": "nationaliteit",
    "given_names": "voornamen",
    "family_name": "achternaam",
    "doelgroep": "doelgroep",
    "plicht_start": "plicht_start",
    "koppeling_date": "koppeling",
    "vestiging_date": "vestiging",
    "doelgroep_since": "doelgroep_sinds",
}


@dataclass
class BulkResult:
    counts: dict[str, int] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)  # bsn -> person
    changed: set[str] = field(default_factory=set)  # bsns whose data changed

    def add(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _log(
    by: Any,
    municipality: Municipality,
    action: str,
    object_type: str,
    subjects: list[tuple[str, str]],
    reason: str,
) -> None:
    if subjects:
        events.record(
            user=by,
            action=action,
            object_type=object_type,
            subjects=subjects,
            activity=events.Activity.IMPORT,
            municipality_code=municipality.code,
            reason=reason,
        )


def _with_pks(objects: list[Any], model: Any, key: Any, **filters: Any) -> None:
    """Fill in primary keys after bulk_create on a backend without RETURNING."""
    if objects and not all(o.pk for o in objects):
        found = {key(o): o.pk for o in model.objects.filter(**filters)}
        for o in objects:
            o.pk = found[key(o)]


def _person_check(person: Person, r: CaseRow, errors: Errors, columns: Mapping[str, str]) -> None:
    """The model's own field checks (BSN elfproef, country codes, sex, lengths)."""
    try:
        person.full_clean(exclude=["municipality"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.add(r.row, columns.get(name, name), " ".join(messages))


def _case_check(r: CaseRow, errors: Errors, columns: Mapping[str, str]) -> bool:
    """The checks of `case_open` and `case_set_dates` for one row."""
    ok = True
    try:
        _check_doelgroep(r.doelgroep, r.gedetailleerde_doelgroep)
    except ValidationFailed as exc:
        errors.add(r.row, columns["doelgroep"], exc.message)
        ok = False
    for name, problem in rules.case_dates_validate(
        plicht_start=r.plicht_start,
        birth_date=r.birth_date,
        koppeling_date=r.koppeling_date,
        vestiging_date=r.vestiging_date,
    ):
        errors.add(r.row, columns[name], problem.melding)
        ok = False
    return ok


@transaction.atomic
def cases_import(
    *,
    by: Any,
    municipality: Municipality,
    rows: list[CaseRow],
    columns: Mapping[str, str] = DEFAULT_COLUMNS,
    today: date | None = None,
    reason: str = "migratie-import",
) -> BulkResult:
    """Create or update the persons, cases, doelgroep periods and households of `rows`.

    Raises ImportFailed (from core.tabular) with every row error; then nothing is written.
    A person matches on BSN, a case on person + plicht_start. A changed doelgroep starts on
    `doelgroep_since` (default: `today`) and is appended as a new period.
    """
    today = today or timezone.localdate()
    errors = Errors()
    result = BulkResult()
    creator = by if not isinstance(by, str) else None
    # The gemeente's own persons only: a person record of another gemeente with the same BSN
    # is not this gemeente's (people.models.Person) and is never read, matched or revealed.
    existing = {
        p.bsn: p
        for p in Person.objects.filter(municipality=municipality, bsn__in={r.bsn for r in rows})
    }

    # --- Check everything first -----------------------------------------------------------
    new_persons: dict[str, Person] = {}
    person_updates: dict[str, Person] = {}
    for r in rows:
        if r.bsn in new_persons or r.bsn in person_updates:
            continue
        other = existing.get(r.bsn)
        if other is None:
            person = Person(
                municipality=municipality,
                bsn=r.bsn,
                given_names=r.given_names,
                family_name=r.family_name,
                birth_date=r.birth_date,
                sex=r.sex,
                nationality=r.nationality,
                country_of_birth=r.country_of_birth,
            )
            _person_check(person, r, errors, columns)
            new_persons[r.bsn] = person
        elif (other.birth_date, other.sex, other.country_of_birth) != (
            r.birth_date,
            r.sex,
            r.country_of_birth,
        ):
            other.birth_date, other.sex, other.country_of_birth = (
                r.birth_date,
                r.sex,
                r.country_of_birth,
            )
            _person_check(other, r, errors, columns)
            person_updates[r.bsn] = other
    persons = {**existing, **new_persons}
    bsn_of = {p.pk: p.bsn for p in existing.values()}
    cases = {
        (bsn_of[c.person_id], c.plicht_start): c
        for c in IntegrationCase.objects.filter(person__in=list(bsn_of))
    }
    current: dict[int, DoelgroepPeriod] = {}
    for period in DoelgroepPeriod.objects.filter(case__in=[c.pk for c in cases.values()]):
        held = current.get(period.case_id)
        # The current period: the open one, else the latest (as `current_doelgroep`).
        if held is None or (period.end_date is None, period.start_date) > (
            held.end_date is None,
            held.start_date,
        ):
            current[period.case_id] = period
    new_cases: list[tuple[IntegrationCase, CaseRow]] = []
    case_updates: list[IntegrationCase] = []
    closed: list[DoelgroepPeriod] = []
    appended: list[DoelgroepPeriod] = []
    for r in rows:
        if not _case_check(r, errors, columns):
            continue
        case = cases.get((r.bsn, r.plicht_start))
        if case is None:
            if r.bsn not in persons:
                continue  # the person row already has an error
            case = IntegrationCase(
                person=persons[r.bsn],
                municipality=municipality,
                regime=_regime(r.plicht_start),
                plicht_start=r.plicht_start,
                koppeling_date=r.koppeling_date,
                vestiging_date=r.vestiging_date,
                status=CaseStatus.AANGEMELD,
                status_since=r.plicht_start,
            )
            cases[(r.bsn, r.plicht_start)] = case
            new_cases.append((case, r))
            continue
        if case.pk is None:
            continue  # a second row for a case this file creates (the parser refuses those)
        if (case.koppeling_date, case.vestiging_date) != (r.koppeling_date, r.vestiging_date):
            case.koppeling_date, case.vestiging_date = r.koppeling_date, r.vestiging_date
            case.version += 1
            case_updates.append(case)
            result.changed.add(r.bsn)
        now = current.get(case.pk)
        if now is not None and (now.doelgroep, now.gedetailleerde_doelgroep) != (
            r.doelgroep,
            r.gedetailleerde_doelgroep,
        ):
            on = r.doelgroep_since or today
            if on <= now.start_date:
                errors.add(
                    r.row,
                    columns["doelgroep_since"],
                    _(
                        "De nieuwe doelgroep moet ná de vorige beginnen (%(datum)s); vul de "
                        "datum in waarop de doelgroep veranderde."
                    )
                    % {"datum": now.start_date.strftime("%d-%m-%Y")},
                )
                continue
            if now.end_date is None or now.end_date >= on:
                now.end_date = on - timedelta(days=1)
                closed.append(now)
            appended.append(
                DoelgroepPeriod(
                    case=case,
                    doelgroep=r.doelgroep,
                    gedetailleerde_doelgroep=r.gedetailleerde_doelgroep,
                    start_date=on,
                )
            )
            result.changed.add(r.bsn)
    errors.raise_if_any()

    # --- Write ------------------------------------------------------------------------------
    created = list(new_persons.values())
    Person.objects.bulk_create(created, batch_size=BATCH)
    _with_pks(
        created, Person, lambda p: p.bsn, municipality=municipality, bsn__in=list(new_persons)
    )
    Person.objects.bulk_update(
        person_updates.values(), ["birth_date", "sex", "country_of_birth"], batch_size=BATCH
    )
    result.changed |= set(person_updates)
    IntegrationCase.objects.bulk_create([c for c, _r in new_cases], batch_size=BATCH)
    _with_pks(
        [c for c, _r in new_cases],
        IntegrationCase,
        lambda c: (c.person_id, c.plicht_start),
        person__in=[c.person_id for c, _r in new_cases],
    )
    DoelgroepPeriod.objects.bulk_create(
        [
            DoelgroepPeriod(
                case=c,
                doelgroep=r.doelgroep,
                gedetailleerde_doelgroep=r.gedetailleerde_doelgroep,
                start_date=r.plicht_start,
            )
            for c, r in new_cases
        ]
        + appended,
        batch_size=BATCH,
    )
    DoelgroepPeriod.objects.bulk_update(closed, ["end_date"], batch_size=BATCH)
    CaseStatusChange.objects.bulk_create(
        [
            CaseStatusChange(
                case=c,
                from_status="",
                to_status=CaseStatus.AANGEMELD,
                on_date=r.plicht_start,
                changed_by=creator,
                reason=_(MIGRATED),
            )
            for c, r in new_cases
        ],
        batch_size=BATCH,
    )
    IntegrationCase.objects.bulk_update(
        case_updates, ["koppeling_date", "vestiging_date", "version"], batch_size=BATCH
    )
    result.add("personen_nieuw", len(created))
    result.add("personen_gewijzigd", len(person_updates))
    result.add("trajecten_nieuw", len(new_cases))
    result.add("trajecten_gewijzigd", len(case_updates) + len(appended))
    result.add("doelgroepperiodes_nieuw", len(appended))
    _households(municipality, rows, persons, result)

    new_subjects = [(str(p.pk), p.bsn) for p in created]
    updated = sorted(result.changed - set(new_persons))
    _log(by, municipality, Action.CREATE, "person", new_subjects, reason)
    _log(
        by,
        municipality,
        Action.CREATE,
        "case",
        [(str(c.pk), r.bsn) for c, r in new_cases if r.bsn not in new_persons],
        reason,
    )
    _log(
        by,
        municipality,
        Action.UPDATE,
        "person",
        [(str(persons[b].pk), b) for b in updated],
        reason,
    )
    result.changed |= set(new_persons) | {r.bsn for _c, r in new_cases}
    result.persons = persons
    return result


def _households(
    municipality: Municipality,
    rows: list[CaseRow],
    persons: dict[str, Person],
    result: BulkResult,
) -> None:
    """The source system's household key becomes the household's name; members are added."""
    keys = {r.household for r in rows if r.household}
    households = {
        h.name: h for h in Household.objects.filter(municipality=municipality, name__in=keys)
    }
    new = [Household(municipality=municipality, name=key) for key in sorted(keys - set(households))]
    Household.objects.bulk_create(new, batch_size=BATCH)
    _with_pks(
        new, Household, lambda h: h.name, municipality=municipality, name__in=[h.name for h in new]
    )
    households.update({h.name: h for h in new})
    memberships = set(
        HouseholdMember.objects.filter(
            household__in=[h.pk for h in households.values()]
        ).values_list("household_id", "person_id")
    )
    members = []
    for r in rows:
        if not r.household:
            continue
        household, person = households[r.household], persons[r.bsn]
        if (household.pk, person.pk) in memberships:
            continue
        memberships.add((household.pk, person.pk))
        members.append(
            HouseholdMember(
                household=household,
                person=person,
                relation="other",
                start_date=r.vestiging_date or r.plicht_start,
            )
        )
        result.changed.add(r.bsn)
    HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
    result.add("huishoudens_nieuw", len(new))
    result.add("huishoudleden_nieuw", len(members))


# --- Events on cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseEvent:
    """One event on a case: kind BREDE_INTAKE_START, PIP (value: leerroute), EXAMEN (exam:
    component, level, result), PVT, MAP or PLICHT_VOLDAAN, on date `on`."""

    row: int
    case: IntegrationCase
    kind: str
    on: date
    value: str = ""
    exam: tuple[str, str, str] | None = None


@dataclass
class EventsResult:
    counts: Counter[str] = field(default_factory=Counter)  # '<kind>_nieuw', '<kind>_gewijzigd'
    touched: dict[str, set[str]] = field(default_factory=dict)  # bsn -> {'create', 'update'}


def persons_by_bsn(*, municipality: Municipality, bsns: Iterable[str]) -> dict[str, Person]:
    """The persons of one municipality with these BSNs (for matching events to a person)."""
    return {p.bsn: p for p in Person.objects.filter(municipality=municipality, bsn__in=set(bsns))}


def cases_by_person(persons: Iterable[Person]) -> dict[int, list[IntegrationCase]]:
    """The cases of these persons, per person id (for matching events to a case)."""
    found: dict[int, list[IntegrationCase]] = defaultdict(list)
    for case in IntegrationCase.objects.filter(person__in=[p.pk for p in persons]).select_related(
        "person"
    ):
        found[case.person_id].append(case)
    return found


@transaction.atomic
def case_events_import(*, by: Any, events_in: Iterable[CaseEvent]) -> EventsResult:
    """Record the events (idempotent: what is stored already is skipped) and move each case
    forward (aangemeld → intake → pip → voldaan, never back). New rows are bulk-created and
    changed rows bulk-updated: a fixed number of statements per 1,000 events."""
    rows = sorted(events_in, key=lambda e: (e.on, e.row))
    creator = by if not isinstance(by, str) else None
    case_ids = {e.case.pk for e in rows}
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
    result = EventsResult()
    status_events: dict[int, list[tuple[str, date]]] = defaultdict(list)
    new: dict[type[Any], list[Any]] = defaultdict(list)
    changed_intakes: dict[int, BredeIntake] = {}
    changed_completions: dict[int, ComponentCompletion] = {}
    changed_cases: dict[int, IntegrationCase] = {}

    def mark(e: CaseEvent, action: str) -> None:
        result.touched.setdefault(e.case.person.bsn, set()).add(action)
        result.counts[
            f"{e.kind.lower()}_{'nieuw' if action == Action.CREATE else 'gewijzigd'}"
        ] += 1

    def add(obj: Any) -> Any:
        new[type(obj)].append(obj)
        return obj

    for e in rows:
        case = e.case
        if e.kind == "BREDE_INTAKE_START":
            intake = intakes.get(case.pk)
            if intake is None:
                intakes[case.pk] = add(BredeIntake(case=case, started_on=e.on, status="loopt"))
                mark(e, Action.CREATE)
            elif intake.started_on != e.on:
                intake.started_on = e.on
                if intake.status == "gepland":
                    intake.status = "loopt"
                if intake.pk:
                    changed_intakes[intake.pk] = intake
                mark(e, Action.UPDATE)
            status_events[case.pk].append((CaseStatus.INTAKE, e.on))
        elif e.kind == "PIP":
            versions = pips[case.pk]
            if not any(p.dagtekening == e.on and p.leerroute == e.value for p in versions):
                previous = versions[-1] if versions else None
                reason = (
                    "eerste"
                    if previous is None
                    else ("schakelen" if previous.leerroute != e.value else "wijziging")
                )
                versions.append(
                    add(
                        Pip(
                            case=case,
                            version=(previous.version + 1) if previous else 1,
                            dagtekening=e.on,
                            leerroute=e.value,
                            reason=reason,
                            reason_text=_(MIGRATED),
                            established_by=creator,
                        )
                    )
                )
                mark(e, Action.CREATE)
            status_events[case.pk].append((CaseStatus.PIP, e.on))
        elif e.kind == "EXAMEN" and e.exam is not None:
            component, level, outcome = e.exam
            same = [x for x in exams[case.pk] if (x.component, x.level) == (component, level)]
            if not any(x.exam_date == e.on and x.result == outcome for x in same):
                exams[case.pk].append(
                    add(
                        ExamResult(
                            case=case,
                            component=component,
                            level=level,
                            exam_date=e.on,
                            result=outcome,
                            attempt=len(same) + 1,
                        )
                    )
                )
                mark(e, Action.CREATE)
        elif e.kind in ("PVT", "MAP"):
            component = e.kind.lower()
            done = completions.get((case.pk, component))
            if done is None:
                completions[(case.pk, component)] = add(
                    ComponentCompletion(case=case, component=component, completed_on=e.on)
                )
                mark(e, Action.CREATE)
            elif done.completed_on != e.on:
                done.completed_on = e.on
                if done.pk:
                    changed_completions[done.pk] = done
                mark(e, Action.UPDATE)
        elif e.kind == "PLICHT_VOLDAAN":
            if (case.plicht_end_date, case.plicht_end_reason) != (e.on, "voldaan"):
                case.plicht_end_date, case.plicht_end_reason = e.on, "voldaan"
                changed_cases[case.pk] = case
                mark(e, Action.UPDATE)
            status_events[case.pk].append((CaseStatus.VOLDAAN, e.on))
    cases = {e.case.pk: e.case for e in rows}
    for case in _advance_statuses(cases.values(), status_events, creator, add):
        changed_cases[case.pk] = case
    now = timezone.now()
    for model in (BredeIntake, Pip, ExamResult, ComponentCompletion, CaseStatusChange):
        model.objects.bulk_create(new.get(model, []), batch_size=BATCH)
    updates: list[tuple[Any, dict[int, Any], list[str]]] = [
        (BredeIntake, changed_intakes, ["started_on", "status"]),
        (ComponentCompletion, changed_completions, ["completed_on"]),
        (
            IntegrationCase,
            changed_cases,
            ["plicht_end_date", "plicht_end_reason", "status", "status_since", "version"],
        ),
    ]
    for model, objects, fields in updates:
        for obj in objects.values():
            obj.updated_at = now
        model.objects.bulk_update(objects.values(), [*fields, "updated_at"], batch_size=BATCH)
    return result


def _advance_statuses(
    cases: Iterable[IntegrationCase],
    status_events: dict[int, list[tuple[str, date]]],
    creator: Any,
    add: Any,
) -> list[IntegrationCase]:
    """Move each case forward through its events' statuses; returns the cases that moved."""
    moved = []
    for case in cases:
        if case.status not in STATUS_ORDER:
            continue
        before = case.status
        for status, on in sorted(
            status_events.get(case.pk, []), key=lambda s: (STATUS_ORDER[s[0]], s[1])
        ):
            if STATUS_ORDER[status] <= STATUS_ORDER[case.status]:
                continue
            on = max(on, case.status_since)
            add(
                CaseStatusChange(
                    case=case,
                    from_status=case.status,
                    to_status=status,
                    on_date=on,
                    changed_by=creator,
                    reason=_(MIGRATED),
                )
            )
            case.status, case.status_since = status, on
            case.version += 1
        if case.status != before:
            moved.append(case)
    return moved
