from __future__ import annotations

from celery import shared_task

from thuis.people.models import Municipality

from . import services


@shared_task(name="thuis.monitoring.rebuild_facts")
def rebuild_facts(municipality_id: int | None = None) -> dict[str, int]:
    """Rebuild the fact tables (one municipality, or all when no id is given)."""
    municipality = (
        Municipality.objects.get(pk=municipality_id) if municipality_id is not None else None
    )
    return services.facts_rebuild(municipality=municipality)
