"""The participation section on the regisseur's person page (timeline, referrals, network)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from thuis.partners import rules, selectors
from thuis.partners.forms import TransitionForm

register = template.Library()


@register.inclusion_tag("partners/_person_section_body.html", takes_context=True)
def partners_person_section(context: template.Context, person: Any) -> dict[str, Any]:
    """Reads through the scoped selector, which writes the read to the processing log."""
    request = context.get("request")
    user = getattr(request, "user", None)
    data = selectors.person_section(user=user, person=person)
    if data.get("visible"):
        today = timezone.localdate()
        data["referral_forms"] = {
            r.pk: TransitionForm(
                current=r.status,
                actor=rules.GEMEENTE,
                initial={"on_date": today},
                prefix=f"verwijzing-{r.pk}",
            )
            for r in data["referrals"]
            if rules.next_statuses(current=r.status, actor=rules.GEMEENTE)
        }
        data["referral_rows"] = [(r, data["referral_forms"].get(r.pk)) for r in data["referrals"]]
    data["csrf_token"] = context.get("csrf_token")
    return data
