"""Pure rules of the partners app: field allow-lists, referral lifecycle, support network.

No ORM and no clock here: plain values in, a decision out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from .choices import ContactCommunity, ContactKind, EndReason, ReferralStatus, ReferralType

# --- Field minimisation (SECURITY.md G2, AVG art. 5(1)(c)) --------------------------------------

#: Every person field a referral can ever carry, with its Dutch label for the portal.
PERSON_FIELD_LABELS: Mapping[str, str] = {
    "name": "Naam",
    "birth_date": "Geboortedatum",
    "contact_language": "Contacttaal",
    "preferred_language": "Voorkeurstaal",
    "household_composition": "Samenstelling huishouden",
    "leerroute": "Leerroute",
    "niveau": "Taalniveau (doel)",
    "work_wishes": "Wensen voor werk",
}

#: Never shared with a partner, whatever the purpose: BSN, health, address, finances.
FORBIDDEN_FIELDS: frozenset[str] = frozenset(
    {
        "bsn",
        "health",
        "health_notes",
        "physical",
        "mental",
        "impact",
        "address",
        "finances",
        "sex",
        "nationality",
        "country_of_birth",
    }
)

#: The allow-list per purpose. Documented in docs/partners.md; tested with hypothesis.
ALLOWED_PERSON_FIELDS: Mapping[str, tuple[str, ...]] = {
    ReferralType.MB: ("name", "birth_date", "contact_language", "household_composition"),
    ReferralType.TAAL: ("name", "birth_date", "leerroute", "niveau", "preferred_language"),
    ReferralType.WERKGEVER: ("name", "work_wishes"),
    ReferralType.VRIJWILLIGERS: ("name", "contact_language"),
    ReferralType.SPORT: ("name", "birth_date"),
}

#: Fields about the referral itself that every partner response carries.
REFERRAL_FIELDS: tuple[str, ...] = (
    "id",
    "referral_type",
    "purpose",
    "status",
    "sent_on",
    "decided_on",
    "started_on",
    "ended_on",
    "end_reason",
    "status_reason",
    "person",
)


def allowed_person_fields(*, referral_type: str) -> tuple[str, ...]:
    """The person fields a partner may see for this purpose (nothing for an unknown purpose)."""
    return ALLOWED_PERSON_FIELDS.get(referral_type, ())


def project_person(*, referral_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly the allowed fields, in allow-list order; a missing value becomes None."""
    return {
        field: values.get(field) for field in allowed_person_fields(referral_type=referral_type)
    }


#: Purposes outside the statutory task (Wet inburgering 2021) need the person's consent.
CONSENT_REQUIRED: frozenset[str] = frozenset(
    {ReferralType.WERKGEVER, ReferralType.VRIJWILLIGERS, ReferralType.SPORT}
)


def consent_required(*, referral_type: str) -> bool:
    return referral_type in CONSENT_REQUIRED


# --- Referral lifecycle ------------------------------------------------------------------------

PARTNER = "partner"
GEMEENTE = "gemeente"

#: (from, to) -> who may make the step.
TRANSITIONS: Mapping[tuple[str, str], frozenset[str]] = {
    (ReferralStatus.SENT, ReferralStatus.ACCEPTED): frozenset({PARTNER}),
    (ReferralStatus.SENT, ReferralStatus.DECLINED): frozenset({PARTNER}),
    (ReferralStatus.SENT, ReferralStatus.REVOKED): frozenset({GEMEENTE}),
    (ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE): frozenset({PARTNER}),
    (ReferralStatus.ACCEPTED, ReferralStatus.REVOKED): frozenset({GEMEENTE}),
    (ReferralStatus.ACTIVE, ReferralStatus.ENDED): frozenset({PARTNER, GEMEENTE}),
    (ReferralStatus.ACTIVE, ReferralStatus.REVOKED): frozenset({GEMEENTE}),
}

NEEDS_REASON = frozenset({ReferralStatus.DECLINED, ReferralStatus.REVOKED})


def next_statuses(*, current: str, actor: str) -> list[str]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == current and actor in actors]


def transition_error(
    *, current: str, to: str, actor: str, reason: str = "", end_reason: str = ""
) -> str | None:
    """None when the step is allowed, else a Dutch message that says why not."""
    actors = TRANSITIONS.get((current, to))
    if actors is None:
        return _("Deze stap kan niet vanuit de huidige status (%(status)s).") % {
            "status": ReferralStatus(current).label
        }
    if actor not in actors:
        return _("Deze stap is niet aan u, maar aan de %(wie)s.") % {
            "wie": _("partner") if PARTNER in actors else _("gemeente")
        }
    if to in NEEDS_REASON and not reason.strip():
        return _("Geef een reden op.")
    if to == ReferralStatus.ENDED and end_reason not in EndReason.values:
        return _("Kies een reden voor het einde.")
    return None


# --- Support network ---------------------------------------------------------------------------

VOLUNTEER_KINDS = frozenset({ContactKind.TAALMAATJE, ContactKind.BUDDY, ContactKind.VRIJWILLIGER})
PROFESSIONAL_KINDS = frozenset({ContactKind.PROFESSIONAL})
OWN_NETWORK_KINDS = frozenset({ContactKind.FAMILIE, ContactKind.VRIEND, ContactKind.BUUR})

#: Dependence (share of support from professionals and volunteers) at or above this is a signal.
DEPENDENCE_SIGNAL = Decimal("0.75")

ATTENTION_NO_NETWORK = "geen_netwerk"
ATTENTION_NO_DUTCH_CONTACTS = "geen_nederlandse_contacten"
ATTENTION_DEPENDENT = "afhankelijk_van_hulp"

ATTENTION_LABELS: Mapping[str, str] = {
    ATTENTION_NO_NETWORK: "Geen steunnetwerk vastgelegd",
    ATTENTION_NO_DUTCH_CONTACTS: "Geen contacten in de Nederlandse omgeving buiten hulpverlening",
    ATTENTION_DEPENDENT: "Steun komt vooral van professionals en vrijwilligers",
}


@dataclass(frozen=True)
class ContactFact:
    kind: str
    community: str
    start: date
    end: date | None


@dataclass(frozen=True)
class SupportMeasure:
    on: date
    professionals: int
    volunteers: int
    own_network: int
    dutch_informal: int
    dependence: Decimal | None
    attention: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.professionals + self.volunteers + self.own_network


def _active(fact: ContactFact, on: date) -> bool:
    return fact.start <= on and (fact.end is None or fact.end >= on)


def support_measure(*, contacts: Sequence[ContactFact], on: date) -> SupportMeasure:
    """Counts and dependence on one date; dependence = (professionals + volunteers) / total."""
    active = [c for c in contacts if _active(c, on)]
    professionals = sum(1 for c in active if c.kind in PROFESSIONAL_KINDS)
    volunteers = sum(1 for c in active if c.kind in VOLUNTEER_KINDS)
    own = sum(1 for c in active if c.kind in OWN_NETWORK_KINDS)
    dutch_informal = sum(
        1
        for c in active
        if c.community == ContactCommunity.DUTCH and c.kind not in PROFESSIONAL_KINDS
    )
    total = professionals + volunteers + own
    dependence = (
        (Decimal(professionals + volunteers) / Decimal(total)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if total
        else None
    )
    attention: list[str] = []
    if total == 0:
        attention.append(ATTENTION_NO_NETWORK)
    else:
        if dutch_informal == 0:
            attention.append(ATTENTION_NO_DUTCH_CONTACTS)
        if dependence is not None and dependence >= DEPENDENCE_SIGNAL:
            attention.append(ATTENTION_DEPENDENT)
    return SupportMeasure(
        on=on,
        professionals=professionals,
        volunteers=volunteers,
        own_network=own,
        dutch_informal=dutch_informal,
        dependence=dependence,
        attention=tuple(attention),
    )


def support_series(
    *, contacts: Sequence[ContactFact], until: date, points: int = 4, step_months: int = 6
) -> list[SupportMeasure]:
    """The measure at `points` dates, `step_months` apart, ending at `until` (oldest first)."""
    from dateutil.relativedelta import relativedelta

    dates = [until - relativedelta(months=step_months * i) for i in range(points)]
    return [support_measure(contacts=contacts, on=d) for d in reversed(dates)]
