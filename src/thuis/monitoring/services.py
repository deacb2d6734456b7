"""Monitoring operations: fact rebuilds, housing quota, benchmark import. Atomic and logged."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.core import disclosure
from thuis.core.errors import ValidationFailed
from thuis.people.models import Municipality

from . import facts, indicators
from .models import BenchmarkSet, FactRebuild, HousingQuota, IndicatorSnapshot

BENCHMARK_FORMAT = "thuis-benchmark/1"


def facts_rebuild(
    *, municipality: Municipality | None = None, snapshots: bool = True
) -> dict[str, int]:
    """Rebuild PersonFact and SpellFact of one municipality or of all.

    On PostgreSQL all municipalities are rebuilt in one set-based pass and one transaction;
    elsewhere one transaction per municipality. The dashboard snapshots of the facts that were
    replaced are deleted in the same transaction. With `snapshots` (the default) the snapshot
    of the default peildatum (today) is computed again afterwards, one transaction per
    municipality, so the dashboard does not compute tables at page time; until then a
    dashboard request computes and stores it.
    """
    targets = [municipality] if municipality is not None else list(Municipality.objects.all())
    totals = {"gemeenten": 0, "personen": 0, "perioden": 0}

    def record(done: dict[int, tuple[int, int]], now: datetime) -> None:
        FactRebuild.objects.filter(municipality_id__in=list(done)).delete()
        FactRebuild.objects.bulk_create(
            FactRebuild(municipality_id=pk, rebuilt_at=now, persons=p, spells=s)
            for pk, (p, s) in done.items()
        )
        IndicatorSnapshot.objects.filter(municipality_id__in=list(done)).delete()
        totals["gemeenten"] += len(done)
        totals["personen"] += sum(p for p, _s in done.values())
        totals["perioden"] += sum(s for _p, s in done.values())

    if facts.set_based():
        with transaction.atomic():
            now = timezone.now()
            done = facts.rebuild_set_based(targets, now=now, complete=municipality is None)
            record(done, now)
    else:
        for target in targets:
            with transaction.atomic():
                now = timezone.now()
                record({target.pk: facts.rebuild_municipality(target, now=now)}, now)
    if snapshots:
        indicator_snapshots_refresh(municipalities=targets)
    return totals


def indicator_snapshots_refresh(*, municipalities: list[Municipality] | None = None) -> int:
    """Compute the dashboard snapshot of today for each municipality (default: all)."""
    targets = list(Municipality.objects.all()) if municipalities is None else municipalities
    for target in targets:
        indicator_snapshot_refresh(municipality=target)
    return len(targets)


def indicator_snapshot_store(
    *, municipality: Municipality, peildatum: date, tables: dict[str, Any], k: int | None = None
) -> IndicatorSnapshot:
    """Store the dashboard tables of one gemeente for the current facts version."""
    from . import selectors

    k = disclosure.default_k() if k is None else k
    snapshot, _created = IndicatorSnapshot.objects.update_or_create(
        municipality=municipality,
        peildatum=peildatum,
        k=k,
        defaults={
            "stamp": selectors.facts_stamp(municipalities=[municipality]),
            "tables": tables,
        },
    )
    return snapshot


@transaction.atomic
def indicator_snapshot_refresh(
    *, municipality: Municipality, peildatum: date | None = None, k: int | None = None
) -> IndicatorSnapshot:
    """Compute and store the published dashboard tables of one gemeente (default: today)."""
    from . import selectors

    peildatum = timezone.localdate() if peildatum is None else peildatum
    k = disclosure.default_k() if k is None else k
    tables = selectors.dashboard_tables_compute(
        municipalities=[municipality], peildatum=peildatum, k=k
    )
    return indicator_snapshot_store(
        municipality=municipality, peildatum=peildatum, tables=tables, k=k
    )


def facts_schedule_rebuild(*, municipality: Municipality) -> None:
    """After the current transaction commits, rebuild the facts (eager in the embedded default)."""
    from .tasks import rebuild_facts

    municipality_id = municipality.pk
    transaction.on_commit(lambda: rebuild_facts.delay(municipality_id))


def _valid_period(period: str) -> bool:
    return len(period) == 7 and period[:4].isdigit() and period[4:6] == "-H" and period[6] in "12"


@transaction.atomic
def housing_quota_set(
    *, municipality: Municipality, period: str, persons: int, source: str = ""
) -> HousingQuota:
    if not _valid_period(period):
        raise ValidationFailed(
            _("Schrijf het halfjaar als JJJJ-H1 of JJJJ-H2, bijvoorbeeld 2019-H1.")
        )
    if persons < 0:
        raise ValidationFailed(_("Een taakstelling kan niet negatief zijn."))
    quota, _created = HousingQuota.objects.update_or_create(
        municipality=municipality,
        period=period,
        defaults={"persons": persons, "source": source[:255]},
    )
    # Indicator tables are cached per facts version: a rebuild makes the new quota visible.
    facts_schedule_rebuild(municipality=municipality)
    return quota


def _check_cell(cell: Any, code: str) -> None:
    if not isinstance(cell, dict) or "onderdrukt" not in cell or "noemer" not in cell:
        raise ValidationFailed(
            _("Cel van %(code)s mist 'noemer' of 'onderdrukt'.") % {"code": code}
        )
    if cell["onderdrukt"]:
        if cell.get("teller") is not None or cell.get("waarde") is not None:
            raise ValidationFailed(
                _("Een onderdrukte cel van %(code)s bevat toch een teller of waarde.")
                % {"code": code}
            )
    elif (
        isinstance(cell.get("noemer"), int)
        and isinstance(cell.get("teller"), int)
        and cell["noemer"] < 1
    ):
        raise ValidationFailed(_("Cel van %(code)s heeft een ongeldige noemer.") % {"code": code})


@transaction.atomic
def benchmark_import(*, owner: Municipality, by: Any, payload: bytes) -> BenchmarkSet:
    """Store another gemeente's suppressed aggregates (format in docs/indicators.md).

    The file is checked: only known indicator codes, only published or suppressed cells, and
    no cell below the sender's k that is not suppressed.
    """
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(_("Dit is geen geldig JSON-bestand.")) from exc
    if not isinstance(data, dict) or data.get("formaat") != BENCHMARK_FORMAT:
        raise ValidationFailed(_("Onbekend formaat: verwacht 'formaat': '%s'.") % BENCHMARK_FORMAT)
    try:
        code = str(data["gemeente"]["code"])
        name = str(data["gemeente"]["naam"])
        peildatum = date.fromisoformat(data["peildatum"])
        generated = datetime.fromisoformat(data["gemaakt_op"])
        k = int(data["k"])
        tables = data["indicatoren"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(
            _("Het bestand mist gemeente, peildatum, gemaakt_op, k of indicatoren.")
        ) from exc
    if code == owner.code:
        raise ValidationFailed(_("Dit bestand komt van uw eigen gemeente."))
    if not isinstance(tables, dict) or k < 1:
        raise ValidationFailed(_("'indicatoren' moet een object zijn en k minstens 1."))
    for ind_code, table in tables.items():
        if ind_code not in indicators.CATALOGUE:
            raise ValidationFailed(_("Onbekende indicator: %s.") % ind_code)
        cells = table.get("cellen") if isinstance(table, dict) else None
        if not isinstance(cells, list):
            raise ValidationFailed(_("Indicator %s heeft geen lijst 'cellen'.") % ind_code)
        for cell in cells:
            _check_cell(cell, ind_code)
            if (
                not cell["onderdrukt"]
                and isinstance(cell["noemer"], int)
                and disclosure.is_primary(cell.get("teller"), cell["noemer"], k=k)
            ):
                raise ValidationFailed(
                    _("Indicator %s bevat een kleine cel die niet is onderdrukt.") % ind_code
                )
    if timezone.is_naive(generated):
        generated = timezone.make_aware(generated)
    benchmark, _created = BenchmarkSet.objects.update_or_create(
        owner=owner,
        source_code=code,
        peildatum=peildatum,
        defaults={
            "source_name": name[:100],
            "generated_at": generated,
            "k": k,
            # Suppressed cells keep no numbers, whatever the sender's version wrote.
            "indicators": {
                code: {**table, "cellen": disclosure.published(table["cellen"])}
                for code, table in tables.items()
            },
            "imported_by": by if not isinstance(by, str) else None,
        },
    )
    return benchmark
