"""Bulk input of partner reports and participation spells from CSV, XLSX or JSON.

A file is applied whole or not at all: every row is checked first, and the writes run in one
transaction. Each row has a natural key, so sending the same file twice changes nothing.
Errors name the row and the column, in Dutch.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuis.core.bsn import normalise_bsn
from thuis.core.errors import ThuisError, ValidationFailed
from thuis.people import selectors as people_selectors

from . import selectors, services
from .choices import ContractType, ReportKind, SpellKind, SpellSource
from .models import Organisation, Referral

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024

Row = tuple[int, dict[str, str]]


class ImportFailed(ValidationFailed):
    """Nothing was imported. `errors` holds one Dutch message per problem."""

    code = "import_mislukt"

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(
            _("Het bestand is niet ingelezen; er is niets veranderd. %(n)s fout(en).")
            % {"n": len(errors)}
        )


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)


# --- Reading files -----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(name: Any) -> str:
    return _cell(name).lower().replace(" ", "_").replace("-", "_")


def read_rows(*, filename: str, content: bytes) -> list[Row]:
    """Rows as (row number as the user sees it, {column: text}). Raises ImportFailed."""
    if len(content) > MAX_BYTES:
        raise ImportFailed([_("Het bestand is groter dan 5 MB.")])
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _read_csv(content)
    elif name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".json"):
        rows = _read_json(content)
    else:
        raise ImportFailed([_("Kies een bestand van het type CSV, XLSX of JSON.")])
    rows = [(n, r) for n, r in rows if any(v for v in r.values())]
    if not rows:
        raise ImportFailed([_("Het bestand bevat geen regels.")])
    if len(rows) > MAX_ROWS:
        raise ImportFailed([_("Het bestand heeft meer dan %(max)s regels.") % {"max": MAX_ROWS}])
    return rows


def _read_csv(content: bytes) -> list[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([_("Het bestand is geen UTF-8-tekst.")]) from exc
    first = text.splitlines()[0] if text else ""
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = list(reader)
    if not lines:
        return []
    header = [_header(h) for h in lines[0]]
    return [
        (i, {h: (line[j].strip() if j < len(line) else "") for j, h in enumerate(header) if h})
        for i, line in enumerate(lines[1:], start=2)
    ]


def _read_xlsx(content: bytes) -> list[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ...
        raise ImportFailed([_("Het bestand is geen geldig XLSX-bestand.")]) from exc
    sheet = book.worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    book.close()
    if not lines:
        return []
    header = [_header(h) for h in lines[0]]
    return [
        (i, {h: _cell(line[j] if j < len(line) else None) for j, h in enumerate(header) if h})
        for i, line in enumerate(lines[1:], start=2)
    ]


def _read_json(content: bytes) -> list[Row]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFailed([_("Het bestand is geen geldige JSON.")]) from exc
    return rows_from_objects(data)


def rows_from_objects(data: Any) -> list[Row]:
    """JSON input: a list of objects, or {"rijen": [...]}. Rows are numbered from 1."""
    if isinstance(data, dict):
        data = data.get("rijen")
    if not isinstance(data, list):
        raise ImportFailed([_('Verwacht een lijst met regels, of een object met "rijen".')])
    rows: list[Row] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFailed([_("Rij %(rij)s: verwacht een object met kolommen.") % {"rij": i}])
        rows.append((i, {_header(k): _cell(v) for k, v in item.items()}))
    return rows


# --- Parsing values ----------------------------------------------------------------------------


class _Cell(Exception):
    pass


def _where(row: int, column: str) -> str:
    return _("Rij %(rij)s, kolom '%(kolom)s'") % {"rij": row, "kolom": column}


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise _Cell(_("'%(v)s' is geen datum (gebruik jjjj-mm-dd of dd-mm-jjjj).") % {"v": text[:20]})


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise _Cell(_("'%(v)s' is geen getal.") % {"v": text[:20]}) from exc
    if not value.is_finite():
        raise _Cell(_("'%(v)s' is geen getal.") % {"v": text[:20]})
    return value


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise _Cell(_("'%(v)s' is geen geheel getal.") % {"v": text[:20]}) from exc


def _choice(text: str, choices: Iterable[tuple[str, Any]]) -> str:
    lowered = text.strip().lower()
    for value, label in choices:
        if lowered in {value.lower(), str(label).lower()}:
            return value
    allowed = ", ".join(v for v, _label in choices if v)
    raise _Cell(
        _("'%(v)s' is geen geldige waarde. Kies uit: %(keuze)s.")
        % {"v": text[:30], "keuze": allowed}
    )


class _RowReader:
    """Reads typed values from one row and collects Dutch errors that name row and column."""

    def __init__(self, number: int, values: dict[str, str], errors: list[str]) -> None:
        self.number, self.values, self.errors = number, values, errors
        self.ok = True

    def get(self, column: str, parse: Callable[[str], Any], *, required: bool = False) -> Any:
        text = self.values.get(column, "").strip()
        if not text:
            if required:
                self.fail(column, _("is verplicht."))
            return None
        try:
            return parse(text)
        except _Cell as exc:
            self.fail(column, str(exc))
            return None

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.append(f"{_where(self.number, column)}: {message}")


# --- Partner reports ---------------------------------------------------------------------------

REPORT_COLUMNS = (
    "verwijzing",
    "soort",
    "van",
    "tot_en_met",
    "uren",
    "aanwezig",
    "afwezig",
    "toelichting",
)


def import_reports(*, by: Any, rows: list[Row]) -> ImportResult:
    """Partner reports; the partner (`by`) may only report on referrals of its organisation."""
    errors: list[str] = []
    visible = {
        r.pk: r for r in selectors.referral_queryset_for_partner(user=by).select_related("person")
    }
    planned: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for number, values in rows:
        row = _RowReader(number, values, errors)
        referral_id = row.get("verwijzing", parse_int, required=True)
        kind = row.get("soort", lambda t: _choice(t, ReportKind.choices), required=True)
        start = row.get("van", parse_date, required=True)
        end = row.get("tot_en_met", parse_date, required=True)
        hours = row.get("uren", parse_decimal)
        attended = row.get("aanwezig", parse_int)
        missed = row.get("afwezig", parse_int)
        note = values.get("toelichting", "").strip()
        referral: Referral | None = None
        if referral_id is not None:
            referral = visible.get(referral_id)
            if referral is None:
                row.fail(
                    "verwijzing",
                    _("verwijzing %(id)s is niet gevonden bij uw organisatie.")
                    % {"id": referral_id},
                )
        for column, number_value in (("aanwezig", attended), ("afwezig", missed)):
            if number_value is not None and number_value < 0:
                row.fail(column, _("mag niet negatief zijn."))
        if not row.ok or referral is None:
            continue
        args = {
            "referral": referral,
            "kind": kind,
            "period_start": start,
            "period_end": end,
            "hours": hours,
            "sessions_attended": attended,
            "sessions_missed": missed,
            "note": note,
        }
        problem = services.report_check(**args)
        if problem:
            errors.append(f"{_('Rij %(rij)s') % {'rij': number}}: {problem}")
            continue
        key = (referral.pk, kind, start, end)
        if key in seen and seen[key][1] != args:
            errors.append(
                _(
                    "Rij %(rij)s: dezelfde verwijzing, soort en periode als rij %(eerder)s, "
                    "met andere waarden."
                )
                % {"rij": number, "eerder": seen[key][0]}
            )
            continue
        seen[key] = (number, args)
        planned.append((number, args))
    if errors:
        raise ImportFailed(errors)
    return _apply(planned, lambda args: services.report_save(by=by, **args)[1], rows=len(rows))


# --- Participation spells ----------------------------------------------------------------------

SPELL_COLUMNS = (
    "bsn",
    "persoon_id",
    "soort",
    "begindatum",
    "einddatum",
    "uren_per_week",
    "organisatie",
    "sector",
    "contractsoort",
    "omschrijving",
    "sleutel",
)


def import_spells(*, by: Any, rows: list[Row]) -> ImportResult:
    """Participation spells for persons the regisseur (`by`) may see."""
    errors: list[str] = []
    persons = people_selectors.person_queryset_for_user(user=by).select_related("municipality")
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    planned: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, values in rows:
        row = _RowReader(number, values, errors)
        person = None
        if values.get("bsn", "").strip():
            person = persons.filter(bsn=normalise_bsn(values["bsn"])).first()
            if person is None:
                row.fail("bsn", _("geen persoon met dit BSN in uw gemeente(n)."))
        elif values.get("persoon_id", "").strip():
            pid = row.get("persoon_id", parse_int)
            person = persons.filter(pk=pid).first() if pid is not None else None
            if pid is not None and person is None:
                row.fail("persoon_id", _("geen persoon met dit nummer in uw gemeente(n)."))
        else:
            row.fail("bsn", _("vul een BSN of een persoon_id in."))
        kind = row.get("soort", lambda t: _choice(t, SpellKind.choices), required=True)
        start = row.get("begindatum", parse_date, required=True)
        end = row.get("einddatum", parse_date)
        hours = row.get("uren_per_week", parse_decimal)
        contract = row.get("contractsoort", lambda t: _choice(t, ContractType.choices)) or ""
        organisation = None
        org_name = values.get("organisatie", "").strip()
        if org_name:
            organisation = organisations.get(org_name.lower())
            if organisation is None:
                row.fail(
                    "organisatie", _("'%(v)s' is geen bekende organisatie.") % {"v": org_name[:60]}
                )
        if start and end and end < start:
            row.fail("einddatum", _("ligt voor de begindatum."))
        if hours is not None and not (Decimal(0) <= hours <= Decimal(80)):
            row.fail("uren_per_week", _("moet tussen 0 en 80 liggen."))
        if not row.ok or person is None:
            continue
        own_key = values.get("sleutel", "").strip()
        key = (
            f"{person.municipality.code}:{own_key}"
            if own_key
            else f"p{person.pk}:{kind}:{start.isoformat()}"
        )[:100]
        args = {
            "person": person,
            "kind": kind,
            "start_date": start,
            "end_date": end,
            "hours_per_week": hours,
            "organisation": organisation,
            "sector": values.get("sector", "").strip(),
            "contract_type": contract,
            "description": values.get("omschrijving", "").strip(),
            "source": SpellSource.IMPORT,
            "source_key": key,
        }
        if key in seen:
            if seen[key][1] != args:
                errors.append(
                    _("Rij %(rij)s: dezelfde periode als rij %(eerder)s, met andere waarden.")
                    % {"rij": number, "eerder": seen[key][0]}
                )
            continue
        seen[key] = (number, args)
        planned.append((number, args))
    if errors:
        raise ImportFailed(errors)

    def apply(args: dict[str, Any]) -> str:
        from .models import ParticipationSpell

        before = (
            ParticipationSpell.objects.filter(source=args["source"], source_key=args["source_key"])
            .values_list("updated_at", flat=True)
            .first()
        )
        spell = services.spell_create(by=by, **args)
        if before is None:
            return "created"
        return "unchanged" if spell.updated_at == before else "updated"

    return _apply(planned, apply, rows=len(rows))


def _apply(
    planned: list[tuple[int, dict[str, Any]]], save: Callable[[dict[str, Any]], str], *, rows: int
) -> ImportResult:
    result = ImportResult(rows=rows)
    with transaction.atomic():
        for number, args in planned:
            try:
                outcome = save(args)
            except ThuisError as exc:
                raise ImportFailed(
                    [f"{_('Rij %(rij)s') % {'rij': number}}: {exc.message}"]
                ) from exc
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
