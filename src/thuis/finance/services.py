"""Changes to finance data: one atomic function per change, with an audit record.

Finance rows hold no personal data; the audit record names the object and the municipality
(no data subject), so the processing log still shows who changed a budget or imported costs.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from thuis.audit import events
from thuis.audit.models import Action
from thuis.core import formatting, validation
from thuis.core.errors import ConflictError, NotAllowed, ValidationFailed
from thuis.people.models import Municipality

from . import importing, rules
from .choices import CostOrigin, ImportStatus, RateKind
from .importing import ParseResult
from .models import BudgetLine, CostEntry, CostImport, PerCapitaRate, Scenario, ScenarioVersion

ACTIVITY = events.Activity.MONITORING


def _audit(
    *,
    by: Any,
    action: str,
    object_type: str,
    object_id: Any,
    municipality: Municipality,
    reason: str = "",
) -> None:
    events.record(
        user=by,
        action=action,
        object_type=object_type,
        subjects=[(str(object_id), "")],
        activity=ACTIVITY,
        municipality_code=municipality.code,
        reason=reason,
    )


# --------------------------------------------------------------------------------------------
# Amounts per inburgeringsplichtige
# --------------------------------------------------------------------------------------------


@transaction.atomic
def rate_set(
    *,
    by: Any,
    municipality: Municipality,
    year: int,
    kind: str,
    amount: Decimal,
    is_estimate: bool,
    source: str,
) -> PerCapitaRate:
    """Set the municipality's own amount for a year (overrides the national default)."""
    if kind not in RateKind.values:
        raise ValidationFailed("Onbekende soort bedrag.")
    rate, created = PerCapitaRate.objects.select_for_update().get_or_create(
        municipality=municipality,
        year=year,
        kind=kind,
        defaults={"amount": rules.money(amount), "is_estimate": is_estimate, "source": source},
    )
    if not created:
        rate.amount, rate.is_estimate, rate.source = rules.money(amount), is_estimate, source
    validation.save(rate, exclude=["municipality"])
    _audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        object_type="finance-rate",
        object_id=rate.pk,
        municipality=municipality,
    )
    return rate


@transaction.atomic
def rate_reset(*, by: Any, municipality: Municipality, year: int, kind: str) -> int:
    """Remove the municipality's own amount; the national default applies again."""
    rows = list(PerCapitaRate.objects.filter(municipality=municipality, year=year, kind=kind))
    for row in rows:
        _audit(
            by=by,
            action=Action.DELETE,
            object_type="finance-rate",
            object_id=row.pk,
            municipality=municipality,
        )
        row.delete()
    return len(rows)


# --------------------------------------------------------------------------------------------
# Budget lines
# --------------------------------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *,
    by: Any,
    municipality: Municipality,
    year: int,
    source: str,
    amount: Decimal,
    description: str = "",
    reference: str = "",
) -> BudgetLine:
    line = BudgetLine(
        municipality=municipality,
        year=year,
        source=source,
        amount=rules.money(amount),
        description=description,
        reference=reference,
    )
    validation.save(line)
    _audit(
        by=by,
        action=Action.CREATE,
        object_type="finance-budget",
        object_id=line.pk,
        municipality=municipality,
    )
    return line


@transaction.atomic
def budget_line_update(
    *,
    by: Any,
    line: BudgetLine,
    year: int,
    source: str,
    amount: Decimal,
    description: str = "",
    reference: str = "",
) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    line.year, line.source, line.amount = year, source, rules.money(amount)
    line.description, line.reference = description, reference
    validation.save(
        line, update_fields=["year", "source", "amount", "description", "reference", "updated_at"]
    )
    _audit(
        by=by,
        action=Action.UPDATE,
        object_type="finance-budget",
        object_id=line.pk,
        municipality=line.municipality,
    )
    return line


@transaction.atomic
def budget_line_delete(*, by: Any, line: BudgetLine) -> None:
    _audit(
        by=by,
        action=Action.DELETE,
        object_type="finance-budget",
        object_id=line.pk,
        municipality=line.municipality,
    )
    line.delete()


# --------------------------------------------------------------------------------------------
# Actual costs
# --------------------------------------------------------------------------------------------


@transaction.atomic
def cost_entry_create(
    *,
    by: Any,
    municipality: Municipality,
    booked_on: date,
    category: str,
    amount: Decimal | None,
    provider: str = "",
    description: str = "",
    hours: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    origin: str = CostOrigin.MANUAL,
    row_key: str = "",
) -> CostEntry:
    """A cost entered by hand. Staff costs may be given as hours × hourly rate."""
    if (hours is None) != (hourly_rate is None):
        raise ValidationFailed("Vul uren én uurtarief in, of geen van beide.")
    if hours is not None and hourly_rate is not None:
        computed = rules.money(hours * hourly_rate)
        if amount is None:
            amount = computed
        elif rules.money(amount) != computed:
            raise ValidationFailed(
                f"Het bedrag {formatting.euro(amount)} is niet gelijk aan uren × uurtarief "
                f"({formatting.euro(computed)}).",
                code="bedrag_uren_tarief",
            )
    if amount is None:
        raise ValidationFailed("Vul een bedrag in (of uren en uurtarief).")
    entry = CostEntry(
        municipality=municipality,
        booked_on=booked_on,
        year=booked_on.year,
        category=category,
        amount=rules.money(amount),
        provider=provider,
        description=description,
        hours=hours,
        hourly_rate=hourly_rate,
        origin=origin,
        row_key=row_key or f"man:{uuid.uuid4().hex}",
        created_by=by if not isinstance(by, str) else None,
    )
    validation.validate(entry, exclude=["created_by", "cost_import"])
    if CostEntry.objects.filter(municipality=municipality, row_key=entry.row_key).exists():
        raise ConflictError("Deze kostenregel bestaat al.")
    entry.save()
    _audit(
        by=by,
        action=Action.CREATE,
        object_type="finance-cost",
        object_id=entry.pk,
        municipality=municipality,
    )
    return entry


@transaction.atomic
def cost_entry_delete(*, by: Any, entry: CostEntry) -> None:
    _audit(
        by=by,
        action=Action.DELETE,
        object_type="finance-cost",
        object_id=entry.pk,
        municipality=entry.municipality,
    )
    entry.delete()


def existing_row_keys(*, municipality: Municipality, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found |= set(
            CostEntry.objects.filter(
                municipality=municipality, row_key__in=keys[start : start + 500]
            ).values_list("row_key", flat=True)
        )
    return found


@transaction.atomic
def cost_import_upload(
    *, by: Any, municipality: Municipality, filename: str, content: bytes
) -> tuple[CostImport, ParseResult]:
    """Store an uploaded file as a preview. Nothing is booked until it is confirmed."""
    parsed = importing.parse_cost_file(content=content, filename=filename)
    upload = CostImport.objects.create(
        municipality=municipality,
        filename=filename[:200],
        checksum=parsed.checksum,
        content=content,
        status=ImportStatus.REJECTED if parsed.errors else ImportStatus.PREVIEW,
        rows_total=len(parsed.rows),
        uploaded_by=by if not isinstance(by, str) else None,
    )
    _audit(
        by=by,
        action=Action.CREATE,
        object_type="finance-import",
        object_id=upload.pk,
        municipality=municipality,
        reason=f"{len(parsed.errors)} fouten",
    )
    return upload, parsed


def cost_import_preview(*, cost_import: CostImport) -> tuple[ParseResult, set[str]]:
    """Parse the stored file again and tell which rows are already booked."""
    parsed = importing.parse_cost_file(
        content=bytes(cost_import.content), filename=cost_import.filename
    )
    existing = existing_row_keys(
        municipality=cost_import.municipality, keys=[r.row_key for r in parsed.rows]
    )
    return parsed, existing


@transaction.atomic
def cost_import_confirm(*, by: Any, cost_import: CostImport) -> CostImport:
    """Book every new row of the file in one transaction, or none (all-or-nothing).

    Idempotent: rows whose key is already booked are skipped, so importing the same file again
    adds nothing. A concurrent import of the same rows hits the unique key and rolls back.
    """
    upload = CostImport.objects.select_for_update().get(pk=cost_import.pk)
    if upload.status != ImportStatus.PREVIEW:
        raise ConflictError("Dit bestand is al verwerkt of afgekeurd.")
    parsed, existing = cost_import_preview(cost_import=upload)
    if parsed.errors:
        raise ValidationFailed("Het bestand bevat fouten; er is niets ingelezen.")
    new_rows = [r for r in parsed.rows if r.row_key not in existing]
    creator = by if not isinstance(by, str) else None
    try:
        with transaction.atomic():
            CostEntry.objects.bulk_create(
                [
                    CostEntry(
                        municipality=upload.municipality,
                        booked_on=r.booked_on,
                        year=r.year,
                        category=r.category,
                        provider=r.provider,
                        description=r.description,
                        amount=rules.money(r.amount),
                        hours=r.hours,
                        hourly_rate=r.hourly_rate,
                        origin=CostOrigin.IMPORT,
                        row_key=r.row_key,
                        cost_import=upload,
                        created_by=creator,
                    )
                    for r in new_rows
                ],
                batch_size=500,
            )
    except IntegrityError as exc:
        raise ConflictError(
            "Een deel van deze regels is net door iemand anders ingelezen. Probeer het opnieuw."
        ) from exc
    upload.status = ImportStatus.DONE
    upload.rows_total = len(parsed.rows)
    upload.rows_created = len(new_rows)
    upload.rows_skipped = len(parsed.rows) - len(new_rows)
    upload.processed_at = timezone.now()
    upload.content = b""
    upload.save(
        update_fields=[
            "status",
            "rows_total",
            "rows_created",
            "rows_skipped",
            "processed_at",
            "content",
            "updated_at",
        ]
    )
    _audit(
        by=by,
        action=Action.CREATE,
        object_type="finance-import",
        object_id=upload.pk,
        municipality=upload.municipality,
        reason=f"{upload.rows_created} nieuw, {upload.rows_skipped} al aanwezig",
    )
    return upload


def cost_import_file(
    *, by: Any, municipality: Municipality, filename: str, content: bytes
) -> CostImport:
    """Upload and confirm in one go (management command). Raises on any error."""
    upload, parsed = cost_import_upload(
        by=by, municipality=municipality, filename=filename, content=content
    )
    if parsed.errors:
        raise ValidationFailed("\n".join(parsed.errors), code="kosten_bestand_fouten")
    return cost_import_confirm(by=by, cost_import=upload)


def export_logged(*, by: Any, municipality: Municipality, kind: str, fmt: str, rows: int) -> None:
    """Exports of finance figures are recorded too (who took which figures out)."""
    _audit(
        by=by,
        action=Action.EXPORT,
        object_type=f"finance-{kind}",
        object_id=fmt,
        municipality=municipality,
        reason=f"{rows} regels",
    )


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


def _add_version(
    *, by: Any, scenario: Scenario, params: rules.ScenarioParams, note: str
) -> ScenarioVersion:
    scenario.version += 1
    scenario.save(update_fields=["version", "updated_at"])
    return ScenarioVersion.objects.create(
        scenario=scenario,
        number=scenario.version,
        parameters=rules.params_to_dict(params),
        checksum=rules.params_checksum(params),
        note=note[:300],
        created_by=by if not isinstance(by, str) else None,
    )


@transaction.atomic
def scenario_create(
    *,
    by: Any,
    municipality: Municipality,
    name: str,
    params: rules.ScenarioParams,
    description: str = "",
    make_default: bool = False,
) -> Scenario:
    problems = rules.validate_params(params)
    if problems:
        raise ValidationFailed("; ".join(problems.values()))
    if Scenario.objects.filter(municipality=municipality, name=name).exists():
        raise ValidationFailed("Er is al een scenario met deze naam.", code="scenario_naam_bestaat")
    has_default = Scenario.objects.filter(municipality=municipality, is_default=True).exists()
    scenario = Scenario(municipality=municipality, name=name, description=description)
    validation.save(scenario, exclude=["municipality"])
    _add_version(by=by, scenario=scenario, params=params, note="Eerste versie")
    if make_default or not has_default:
        scenario_set_default(by=by, scenario=scenario)
    _audit(
        by=by,
        action=Action.CREATE,
        object_type="finance-scenario",
        object_id=scenario.pk,
        municipality=municipality,
    )
    return scenario


@transaction.atomic
def scenario_update(
    *,
    by: Any,
    scenario: Scenario,
    params: rules.ScenarioParams,
    expected_version: int,
    name: str | None = None,
    description: str | None = None,
    note: str = "",
) -> Scenario:
    """Save new parameters as a new version (only when they differ from the current ones)."""
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if scenario.version != expected_version:
        raise ConflictError(
            "Iemand anders heeft dit scenario net gewijzigd. Open het opnieuw en kijk of uw "
            "wijziging nog nodig is."
        )
    problems = rules.validate_params(params)
    if problems:
        raise ValidationFailed("; ".join(problems.values()))
    fields = []
    if name is not None and name != scenario.name:
        if (
            Scenario.objects.filter(municipality=scenario.municipality, name=name)
            .exclude(pk=scenario.pk)
            .exists()
        ):
            raise ValidationFailed("Er is al een scenario met deze naam.")
        scenario.name = name
        fields.append("name")
    if description is not None and description != scenario.description:
        scenario.description = description
        fields.append("description")
    if fields:
        scenario.save(update_fields=[*fields, "updated_at"])
    current = scenario.versions.order_by("-number").first()
    if current is None or current.checksum != rules.params_checksum(params):
        _add_version(by=by, scenario=scenario, params=params, note=note)
    _audit(
        by=by,
        action=Action.UPDATE,
        object_type="finance-scenario",
        object_id=scenario.pk,
        municipality=scenario.municipality,
        reason=f"versie {scenario.version}",
    )
    return scenario


@transaction.atomic
def scenario_set_default(*, by: Any, scenario: Scenario) -> Scenario:
    Scenario.objects.filter(municipality=scenario.municipality, is_default=True).exclude(
        pk=scenario.pk
    ).update(is_default=False)
    scenario.is_default = True
    scenario.save(update_fields=["is_default", "updated_at"])
    _audit(
        by=by,
        action=Action.UPDATE,
        object_type="finance-scenario",
        object_id=scenario.pk,
        municipality=scenario.municipality,
        reason="standaardscenario",
    )
    return scenario


@transaction.atomic
def scenario_delete(*, by: Any, scenario: Scenario) -> None:
    if (
        scenario.is_default
        and Scenario.objects.filter(municipality=scenario.municipality).count() > 1
    ):
        raise NotAllowed("Maak eerst een ander scenario het standaardscenario.")
    _audit(
        by=by,
        action=Action.DELETE,
        object_type="finance-scenario",
        object_id=scenario.pk,
        municipality=scenario.municipality,
    )
    scenario.delete()
