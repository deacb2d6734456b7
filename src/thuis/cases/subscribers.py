"""What `cases` itself does after a case change committed. Registered in `CasesConfig.ready()`."""

from __future__ import annotations

from django.utils import timezone

from thuis.core import events

from .events import CaseChanged
from .models import IntegrationCase
from .services.signals import signals_refresh


def refresh_signals(event: CaseChanged) -> None:
    """The work queue follows a user's change at once, through the web form or the API."""
    if event.actor.user_id is None:
        return
    case = IntegrationCase.objects.filter(pk=event.case_id).first()
    if case is not None:
        signals_refresh(case=case, today=timezone.localdate())


def register() -> None:
    events.subscribe(CaseChanged, refresh_signals)
