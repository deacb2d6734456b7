from __future__ import annotations

from django.utils import timezone

from celery import shared_task

from . import services


@shared_task(name="thuis.cases.refresh_signals")
def refresh_signals() -> dict[str, int]:
    """Nightly: recompute the work queue of every case from the rules."""
    return services.signals_refresh_all(today=timezone.localdate())
