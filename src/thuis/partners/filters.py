"""Filters of the partner's referral list: one FilterSet for the portal screen and the API.

`/partners/portaal/` (web) and `/api/v1/partner/verwijzingen/` (API) take the same query
parameter (`status`) through `PartnerReferralFilter` and give the same referrals for it. Both
start from the partner's scoped queryset, so a filter never widens what the partner may see.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import django_filters

from .choices import ReferralStatus
from .models import Referral


class PartnerReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReferralStatus.choices, empty_label=_("Alle")
    )

    class Meta:
        model = Referral
        fields: list[str] = []
