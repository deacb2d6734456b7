"""Reads of the partners app, scoped to the user's role, municipalities and organisation.

Partners see only referrals to their own organisation (in their own municipalities), and only
the person fields that the referral's purpose allows (`rules.ALLOWED_PERSON_FIELDS`). Regisseurs
and teamleiders see referrals, spells and support contacts of persons they may see. Every read of
personal data is written to the processing log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.audit import events
from thuis.people import selectors as people_selectors
from thuis.people.models import HouseholdMember, Municipality, Person

from . import rules
from .choices import ReferralStatus
from .filters import PartnerReferralFilter
from .models import (
    Contract,
    Notification,
    Organisation,
    ParticipationSpell,
    PartnerReport,
    Referral,
    SupportContact,
)

#: Referrals a partner no longer sees at all (the gemeente withdrew the sharing).
HIDDEN_FOR_PARTNER = (ReferralStatus.REVOKED,)


# --- Partner scope -----------------------------------------------------------------------------


def is_partner(user: Any) -> bool:
    return bool(
        scope.active_user(user) and user.role == Role.PARTNER and user.organisation_id is not None
    )


def _partner_municipality_ids(user: Any) -> QuerySet[Any]:
    """A partner user's own municipalities (for a key: the system account's one gemeente)."""
    return scope.municipality_ids(user)


def referral_queryset_for_partner(*, user: Any) -> QuerySet[Referral]:
    """Referrals to the user's organisation, in the user's municipalities; none for others."""
    if not is_partner(user):
        return Referral.objects.none()
    return Referral.objects.filter(
        organisation_id=user.organisation_id,
        municipality__in=_partner_municipality_ids(user),
    ).exclude(status__in=HIDDEN_FOR_PARTNER)


def person_ids_for_partner(user: Any) -> QuerySet[Any]:
    """Ids of persons referred to the partner's organisation (for other apps' partner scope)."""
    return referral_queryset_for_partner(user=user).values("person_id")


def referral_list_for_partner(*, user: Any, data: Any = None) -> list[Referral]:
    """The portal list, filtered by `PartnerReferralFilter` (the API list's filters; invalid
    values are ignored); the read of its persons is logged (shown through `partner_view`)."""
    qs = referral_queryset_for_partner(user=user).select_related("person")
    filters = PartnerReferralFilter(data or None, queryset=qs)
    if filters.is_valid():
        qs = filters.qs
    referrals = list(qs.order_by("-sent_on", "-id"))
    events.persons_read(
        user=user,
        persons=[r.person for r in referrals],
        activity=events.Activity.PARTNER,
        view="portaal-lijst",
    )
    return referrals


def referral_get_for_partner(*, user: Any, referral_id: int, view: str = "portaal") -> Referral:
    """One referral of the partner's organisation, or 404 (missing or not theirs). Logged."""
    return scope.get_for_user(
        referral_queryset_for_partner(user=user).select_related("person", "organisation"),
        referral_id,
        user=user,
        not_found="Verwijzing niet gevonden.",
        object_type="referral",
        view=view,
        activity=events.Activity.PARTNER,
    )


def _adult(birth_date: date, today: date) -> bool:
    from dateutil.relativedelta import relativedelta

    eighteenth: date = birth_date + relativedelta(years=18)
    return eighteenth <= today


def _household_text(members: list[HouseholdMember], today: date) -> str:
    if not members:
        return "Onbekend"
    adults = sum(1 for m in members if _adult(m.person.birth_date, today))
    children = len(members) - adults
    parts = [f"{adults} volwassene{'n' if adults != 1 else ''}"]
    if children:
        parts.append(f"{children} kind{'eren' if children != 1 else ''}")
    return ", ".join(parts)


def _households(person_ids: set[int], today: date) -> dict[int, str]:
    """Composition of each person's current household, in two queries."""
    own = HouseholdMember.objects.filter(person_id__in=person_ids, end_date__isnull=True).values(
        "person_id", "household_id"
    )
    household_of = {row["person_id"]: row["household_id"] for row in own}
    members: dict[int, list[HouseholdMember]] = defaultdict(list)
    for m in HouseholdMember.objects.filter(
        household_id__in=set(household_of.values()), end_date__isnull=True
    ).select_related("person"):
        members[m.household_id].append(m)
    return {pid: _household_text(members[hid], today) for pid, hid in household_of.items()}


def _pips(person_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(leerroute label, niveau) of each person's latest PIP version."""
    from thuis.cases import selectors as case_selectors

    return case_selectors.latest_pip_by_person(person_ids=person_ids)


def _work_wishes(person_ids: set[int]) -> dict[int, str]:
    from thuis.cases import selectors as case_selectors

    return case_selectors.work_wishes_by_person(person_ids=person_ids)


def partner_view(
    referrals: Iterable[Referral], *, today: date | None = None
) -> list[dict[str, Any]]:
    """What a partner may see of each referral: fixed referral fields plus allow-listed person
    fields. Values are computed only for fields that some referral's purpose allows."""
    items = list(referrals)
    today = today or timezone.localdate()
    needed: dict[str, set[int]] = defaultdict(set)
    for r in items:
        for field in rules.allowed_person_fields(referral_type=r.referral_type):
            needed[field].add(r.person_id)
    households = (
        _households(needed["household_composition"], today)
        if needed["household_composition"]
        else {}
    )
    pips = (
        _pips(needed["leerroute"] | needed["niveau"])
        if needed["leerroute"] | needed["niveau"]
        else {}
    )
    wishes = _work_wishes(needed["work_wishes"]) if needed["work_wishes"] else {}

    providers: dict[str, Callable[[Person], Any]] = {
        "name": lambda p: p.full_name,
        "birth_date": lambda p: p.birth_date,
        "contact_language": lambda p: p.preferred_language or None,
        "preferred_language": lambda p: p.preferred_language or None,
        "household_composition": lambda p: households.get(p.pk, "Onbekend"),
        "leerroute": lambda p: pips.get(p.pk, ("", ""))[0] or None,
        "niveau": lambda p: pips.get(p.pk, ("", ""))[1] or None,
        "work_wishes": lambda p: wishes.get(p.pk) or None,
    }
    result = []
    for r in items:
        allowed = rules.allowed_person_fields(referral_type=r.referral_type)
        values = {field: providers[field](r.person) for field in allowed}
        result.append(
            {
                "id": r.pk,
                "referral_type": r.referral_type,
                "purpose": r.purpose,
                "status": r.status,
                "sent_on": r.sent_on,
                "decided_on": r.decided_on,
                "started_on": r.started_on,
                "ended_on": r.ended_on,
                "end_reason": r.end_reason,
                "status_reason": r.status_reason,
                "person": rules.project_person(referral_type=r.referral_type, values=values),
            }
        )
    return result


def reports_of_referral(*, referral: Referral) -> QuerySet[PartnerReport]:
    """Reports of a referral already fetched through a scoped selector."""
    return referral.reports.order_by("-period_start", "kind")


# --- Gemeente scope (regisseur, teamleider) ----------------------------------------------------


def referral_queryset_for_user(*, user: Any) -> QuerySet[Referral]:
    if not scope.sees_person_files(user):
        return Referral.objects.none()
    return Referral.objects.filter(person__in=people_selectors.person_queryset_for_user(user=user))


def referral_get_for_user(*, user: Any, referral_id: int, view: str = "verwijzing") -> Referral:
    return scope.get_for_user(
        referral_queryset_for_user(user=user).select_related("person", "organisation", "case"),
        referral_id,
        user=user,
        not_found="Verwijzing niet gevonden.",
        object_type="referral",
        view=view,
    )


def organisations_for_person(*, person: Person) -> QuerySet[Organisation]:
    """Organisations that work in the person's municipality (choices for a referral)."""
    return Organisation.objects.filter(municipalities=person.municipality_id).order_by("name")


def organisations_of_municipality(*, municipality: Municipality) -> QuerySet[Organisation]:
    """The organisations that work in the gemeente, by name."""
    return Organisation.objects.filter(municipalities=municipality).order_by("name")


def owner_choices(
    *, municipality: Municipality | None, keep_id: int | None
) -> QuerySet[Organisation]:
    """Organisations that may own a plan action in the gemeente (every organisation when no
    gemeente is given), plus the current owner `keep_id`, by name."""
    qs = Organisation.objects.all()
    if municipality is not None:
        qs = qs.filter(municipalities=municipality) | qs.filter(pk=keep_id or 0)
    return qs.distinct().order_by("name")


def organisations_by_name() -> dict[str, Organisation]:
    """Every partner organisation by its name, for system writers (the demo)."""
    return {o.name: o for o in Organisation.objects.order_by("name")}


def spell_queryset_for_user(*, user: Any) -> QuerySet[ParticipationSpell]:
    if not scope.sees_person_files(user):
        return ParticipationSpell.objects.none()
    return ParticipationSpell.objects.filter(
        person__in=people_selectors.person_queryset_for_user(user=user)
    )


def spells_for_facts(
    *, municipality: Municipality | None = None, municipality_ids: Iterable[int] = ()
) -> QuerySet[ParticipationSpell]:
    """All spells of persons of one or more municipalities, for the fact rebuild (no user
    scope: a job)."""
    ids = [municipality.pk] if municipality is not None else list(municipality_ids)
    return (
        ParticipationSpell.objects.filter(person__municipality_id__in=ids)
        .select_related("organisation")
        .order_by("person_id", "start_date", "id")
    )


def contact_facts(contacts: Iterable[SupportContact]) -> list[rules.ContactFact]:
    return [
        rules.ContactFact(kind=c.kind, community=c.community, start=c.start_date, end=c.end_date)
        for c in contacts
    ]


def person_section(*, user: Any, person: Person, today: date | None = None) -> dict[str, Any]:
    """Timeline, referrals and support network of one person for the regisseur's person page.

    Returns `{"visible": False}` for users who may not see the person. Logs the read.
    """
    if not people_selectors.person_queryset_for_user(user=user).filter(pk=person.pk).exists():
        return {"visible": False}
    today = today or timezone.localdate()
    spells = list(
        ParticipationSpell.objects.filter(person=person)
        .select_related("organisation")
        .order_by("-start_date", "-id")
    )
    referrals = list(
        Referral.objects.filter(person=person)
        .select_related("organisation")
        .prefetch_related("transitions")
        .order_by("-sent_on", "-id")
    )
    contacts = list(
        SupportContact.objects.filter(person=person)
        .select_related("organisation")
        .order_by("-start_date", "-id")
    )
    facts = contact_facts(contacts)
    series = rules.support_series(contacts=facts, until=today)
    current = series[-1]
    events.persons_read(user=user, persons=[person], view="deelname-en-verwijzingen")
    return {
        "visible": True,
        "person": person,
        "spells": spells,
        "referrals": referrals,
        "contacts": contacts,
        "measure": current,
        "series": series,
        "attention": [rules.ATTENTION_LABELS[a] for a in current.attention],
        "today": today,
    }


# --- Notifications -----------------------------------------------------------------------------


def notifications_for_user(*, user: Any, limit: int = 50) -> list[Notification]:
    if not scope.active_user(user):
        return []
    return list(Notification.objects.filter(recipient=user).order_by("-created_at")[:limit])


def unread_count(*, user: Any) -> int:
    if not scope.active_user(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def partner_users(*, organisation_id: int, municipality_id: int) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        Q(organisation_id=organisation_id),
        role=Role.PARTNER,
        is_active=True,
        municipalities=municipality_id,
    )


# --- Organisation tokens (beheerder) -----------------------------------------------------------


def tokens_for_beheerder(*, user: Any) -> list[Any]:
    """Every API key of the beheerder's own gemeenten (partner keys and other systems)."""
    return list(
        scope.api_tokens_for_beheerder(user).order_by("municipality__name", "-created_at", "-id")
    )


def organisations_for_tokens(*, user: Any) -> QuerySet[Organisation]:
    """Organisations a beheerder may make a key for: those working in an own gemeente."""
    if not scope.is_privacy_officer(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(municipalities__in=scope.municipality_ids(user))
        .distinct()
        .order_by("name")
    )


# --- Contracts (beheerder, beleidsmedewerker) --------------------------------------------------


def sees_contracts(user: Any) -> bool:
    return scope.is_privacy_officer(user) or (
        scope.active_user(user) and user.role == Role.BELEIDSMEDEWERKER
    )


def contract_municipalities(*, user: Any) -> QuerySet[Municipality]:
    if not sees_contracts(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=scope.municipality_ids(user)).order_by("name")


def organisations_for_contracts(*, user: Any) -> QuerySet[Organisation]:
    """Organisations a contract may be made with: those working in one of the user's own
    gemeenten (never an organisation that works only elsewhere)."""
    if not sees_contracts(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(municipalities__in=scope.municipality_ids(user))
        .distinct()
        .order_by("name")
    )


def contracts_queryset_for_user(*, user: Any) -> QuerySet[Contract]:
    """Contracts of the user's municipalities (no personal data)."""
    if not sees_contracts(user):
        return Contract.objects.none()
    return Contract.objects.filter(municipality__in=scope.municipality_ids(user))


def contracts_for_user(*, user: Any) -> list[Contract]:
    return list(
        contracts_queryset_for_user(user=user)
        .select_related("organisation", "municipality")
        .order_by("organisation__name", "-start_date", "id")
    )


# --- reads for finance (contract costs; no person leaves these) -------------------------------


def referrals_of_open_cases(
    *, municipality: Municipality, regime: str, statuses: Iterable[str]
) -> list[Referral]:
    """The gemeente's referrals in these statuses of open cases under this regime."""
    from thuis.cases.choices import OPEN_STATUSES

    return list(
        Referral.objects.filter(
            municipality=municipality,
            case__regime=regime,
            case__status__in=OPEN_STATUSES,
            status__in=list(statuses),
        )
        .select_related("contract")
        .order_by("pk")
    )


def contracts_of_municipality(*, municipality: Municipality) -> list[Contract]:
    """The gemeente's contracts, the latest start first."""
    return list(Contract.objects.filter(municipality=municipality).order_by("-start_date"))


def reported_hours_by_year(*, referral_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """Hours the partners reported per referral and calendar year (hour kinds only)."""
    from .services import HOURS_KINDS

    hours: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        PartnerReport.objects.filter(referral__in=list(referral_ids), kind__in=HOURS_KINDS)
        .annotate(y=ExtractYear("period_start"))
        .values("referral_id", "y")
        .annotate(h=Sum("hours"))
    ):
        hours[row["referral_id"]][row["y"]] = row["h"] or Decimal(0)
    return dict(hours)


def support_dependence(*, municipality: Municipality, peildatum: date) -> dict[str, int]:
    """Persons with an active support contact; of them, how many have only volunteers or
    professionals (no family, friends or neighbours). Counts only, no person leaves here."""
    active = Q(start_date__lte=peildatum) & (Q(end_date__isnull=True) | Q(end_date__gte=peildatum))
    informal = {"familie", "vriend", "buur"}
    rows = (
        SupportContact.objects.filter(active, person__municipality=municipality)
        .values("person_id")
        .annotate(total=Count("pk"), informal=Count("pk", filter=Q(kind__in=sorted(informal))))
    )
    total = dependent = 0
    for row in rows:
        total += 1
        if row["informal"] == 0:
            dependent += 1
    return {"totaal": total, "afhankelijk": dependent}
