"""Template tags that put DUO data on pages of other apps (case page, work queue).

The including template needs only `{% include "duo/_case_section.html" %}`; the tags fetch
their data through `duo.selectors` with the request user, so scoping and logging stay there.
"""

from __future__ import annotations

from typing import Any

from django import template

from thuis.duo import selectors

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def duo_case_section(context: template.Context, case: Any) -> dict[str, Any]:
    """DUO state, open DUO signals and delivery counts of one case ({} when not allowed)."""
    user = _user(context)
    if user is None or case is None:
        return {}
    return selectors.case_section_for_user(user=user, case=case)


@register.simple_tag(takes_context=True)
def duo_work_queue(context: template.Context, only_mine: bool = True) -> list[Any]:
    """Open DUO signals for the work queue of the request user."""
    user = _user(context)
    if user is None:
        return []
    return selectors.work_queue_signals_for_user(user=user, only_mine=bool(only_mine))
