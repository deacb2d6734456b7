"""Bulk input of partner reports and participation spells from CSV, XLSX or JSON.

A file is applied whole or not at all: every row is checked first, and the writes run in one
transaction. Each row has a natural key, so sending the same file twice changes nothing.
Errors name the row and the column, in Dutch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thuis.accounts import scope
from thuis.core import tabular
from thuis.core.bsn import normalise_bsn
from thuis.core.tabular import (
    Errors,
    ImportFailed,
    Row,
    RowReader,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
)
from thuis.people import selectors as people_selectors

from . import selectors, services
from .choices import ContractType, ReportKind, SpellKind, SpellSource
from .models import Organisation, Referral

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024

__all__ = ["ImportFailed", "ImportResult", "import_reports", "import_spells", "read_rows"]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)


# --- Reading files -----------------------------------------------------------------------------


def _limits() -> tabular.Limits:
    return tabular.Limits.from_settings(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def _too_many_rows() -> ImportFailed:
    return ImportFailed([_("Het bestand heeft meer dan %(max)s regels.") % {"max": MAX_ROWS}])


def read_rows(*, filename: str, content: bytes) -> list[Row]:
    """Rows as (row number as the user sees it, {column: text}). Raises ImportFailed."""
    name = filename.lower()
    if name.endswith(".json"):
        if len(content) > MAX_BYTES:
            raise ImportFailed([_("Het bestand is groter dan 5 MB.")])
        rows = [(n, r) for n, r in _read_json(content) if any(v for v in r.values())]
    elif name.endswith((".csv", ".xlsx")):
        rows = tabular.read_table(
            content=content,
            filename=filename,
            columns=tabular.Columns(required=()),
            limits=_limits(),
        ).rows
    else:
        raise ImportFailed([_("Kies een bestand van het type CSV, XLSX of JSON.")])
    if not rows:
        raise ImportFailed([_("Het bestand bevat geen regels.")])
    return rows


def _read_json(content: bytes) -> list[Row]:
    """JSON with the same limits as CSV and XLSX, counted while parsing: a file of a million
    tiny objects stops at the row limit instead of being built whole first."""
    objects = 0

    def count(item: dict[str, Any]) -> dict[str, Any]:
        nonlocal objects
        objects += 1
        if objects > MAX_ROWS + 1:  # the rows, and the object around them
            raise _too_many_rows()
        return item

    try:
        data = json.loads(content.decode("utf-8-sig"), object_hook=count)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportFailed([_("Het bestand is geen geldige JSON.")]) from exc
    return rows_from_objects(data)


def rows_from_objects(data: Any) -> list[Row]:
    """JSON input: a list of objects, or {"rijen": [...]}. Rows are numbered from 1.

    The limits of a CSV or XLSX upload apply: rows, columns per row and characters per cell.
    """
    if isinstance(data, dict):
        data = data.get("rijen")
    if not isinstance(data, list):
        raise ImportFailed([_('Verwacht een lijst met regels, of een object met "rijen".')])
    if len(data) > MAX_ROWS:
        raise _too_many_rows()
    limits = _limits()
    rows: list[Row] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFailed([_("Rij %(rij)s: verwacht een object met kolommen.") % {"rij": i}])
        if len(item) > limits.max_columns:
            raise ImportFailed(
                [_("Het bestand heeft meer dan %(max)s kolommen.") % {"max": limits.max_columns}]
            )
        row = {tabular.header_name(k): tabular.cell_text(v) for k, v in item.items()}
        for column, text in row.items():
            if len(text) > limits.max_cell_chars:
                raise ImportFailed(
                    [
                        tabular.where(i, column[:40])
                        + ": "
                        + _("de waarde is langer dan %(max)s tekens.")
                        % {"max": limits.max_cell_chars}
                    ]
                )
        rows.append((i, row))
    return rows


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
    errors = Errors()
    visible = {
        r.pk: r for r in selectors.referral_queryset_for_partner(user=by).select_related("person")
    }
    planned: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for number, values in rows:
        row = RowReader(number, values, errors)
        referral_id = row.get("verwijzing", parse_int, required=True)
        kind = row.get("soort", lambda t: parse_choice(t, ReportKind.choices), required=True)
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
        args: dict[str, Any] = {
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
            errors.add_row(number, problem)
            continue
        key = (referral.pk, kind, start, end)
        if key in seen and seen[key][1] != args:
            errors.add_row(
                number,
                _("dezelfde verwijzing, soort en periode als rij %(eerder)s, met andere waarden.")
                % {"eerder": seen[key][0]},
            )
            continue
        seen[key] = (number, args)
        planned.append((number, args))
    errors.raise_if_any()
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
    errors = Errors()
    persons = people_selectors.person_queryset_for_user(user=by).select_related("municipality")
    # Organisations by name: only those that work in one of the user's gemeenten (another
    # gemeente's organisation is as unknown as a name that does not exist).
    organisations = {
        o.name.lower(): o
        for o in Organisation.objects.filter(municipalities__in=scope.municipality_ids(by))
        .prefetch_related("municipalities")
        .distinct()
    }
    planned: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, values in rows:
        row = RowReader(number, values, errors)
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
        kind = row.get("soort", lambda t: parse_choice(t, SpellKind.choices), required=True)
        start = row.get("begindatum", parse_date, required=True)
        end = row.get("einddatum", parse_date)
        hours = row.get("uren_per_week", parse_decimal)
        contract = row.get("contractsoort", lambda t: parse_choice(t, ContractType.choices)) or ""
        organisation = None
        org_name = values.get("organisatie", "").strip()
        if org_name:
            organisation = organisations.get(org_name.lower())
            works_here = organisation is not None and (
                person is None
                or any(m.pk == person.municipality_id for m in organisation.municipalities.all())
            )
            if not works_here:
                organisation = None
                row.fail(
                    "organisatie", _("'%(v)s' is geen bekende organisatie.") % {"v": org_name[:60]}
                )
        if start and end and end < start:
            row.fail("einddatum", _("ligt voor de begindatum."))
        if hours is not None and not (Decimal(0) <= hours <= Decimal(80)):
            row.fail("uren_per_week", _("moet tussen 0 en 80 liggen."))
        if not row.ok or person is None or start is None:
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
                errors.add_row(
                    number,
                    _("dezelfde periode als rij %(eerder)s, met andere waarden.")
                    % {"eerder": seen[key][0]},
                )
            continue
        seen[key] = (number, args)
        planned.append((number, args))
    errors.raise_if_any()

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
    outcomes = tabular.apply_rows(planned, save)
    return ImportResult(
        rows=rows,
        created=outcomes["created"],
        updated=outcomes["updated"],
        unchanged=outcomes["unchanged"],
    )
