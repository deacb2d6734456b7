"""Participation spells (work, volunteering, stage, education, bijstand) and referrals.

Written through thuis.partners.services when that app offers `spell_create` (and
`referral_share`/`referral_transition` for referrals); otherwise nothing is written.

Shape (domain doc ../shared/domain/wet-inburgering.md):
- Work: men about 47% and women about 17% working some years after settling (Divosa 2022,
  §9.5 Table D); about 20-30% of a cohort working after 3 years (§9.4 Table C). WORK_EVER is
  the share that ever works; with job ends and gaps about 85% of them work on a given day.
  The first job starts 4-84 months after vestiging (mode 20 months). Gezinsmigranten work more
  often and sooner (Divosa: 57% working, §9.5) - the exact figures are an ASSUMPTION.
- Participation (work, stage or vrijwilligerswerk) six months after vestiging: 44% and 60%
  for Dalfsen's 2018 and 2019 cohorts (§10); EARLY gives about half of the asielstatushouders
  a stage or volunteer work starting within six months.
- Bijstand: most asielstatushouders (85-90%, §9.3) from vestiging until a job of 24 hours or
  more a week; the other shares and durations are ASSUMPTIONS.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thuis.cases.choices import Doelgroep, Leerroute
from thuis.partners.choices import (
    ContractType,
    DeliveryStatus,
    EndReason,
    OrganisationKind,
    ReferralStatus,
    ReferralType,
    SpellKind,
)
from thuis.partners.models import Notification, Organisation
from thuis.people.choices import Sex

from .data import BY
from .regie import BEEINDIGD, ONTHEVEN, CaseWriter

try:  # the partners app may not offer these services (yet)
    from thuis.partners import rules as partner_rules
    from thuis.partners import services as partner_services
except ImportError:  # pragma: no cover - the partners app is installed in this project
    partner_services = None  # type: ignore[assignment]
    partner_rules = None  # type: ignore[assignment]

WORK_EVER: dict[str, dict[str, float]] = {
    Doelgroep.ASIELSTATUSHOUDER: {Sex.MAN: 0.62, Sex.VROUW: 0.22},
    Doelgroep.GEZINSMIGRANT: {Sex.MAN: 0.75, Sex.VROUW: 0.55},
}
EARLY: dict[str, dict[str, float]] = {
    Doelgroep.ASIELSTATUSHOUDER: {Sex.MAN: 0.58, Sex.VROUW: 0.42},
    Doelgroep.GEZINSMIGRANT: {Sex.MAN: 0.35, Sex.VROUW: 0.3},
}
LATER_VOLUNTEERING = 0.3
TAALCOACH_SHARE = 0.2
FULL_TIME_HOURS = 24  # a job of this many hours a week ends the bijstand
SECTORS: dict[str, dict[str, float]] = {
    Sex.MAN: {
        "Horeca": 28,
        "Productie (uitzendwerk)": 22,
        "Logistiek": 18,
        "Bouw": 12,
        "Schoonmaak": 8,
        "Zorg": 4,
        "Detailhandel": 8,
    },
    Sex.VROUW: {
        "Horeca": 25,
        "Schoonmaak": 20,
        "Zorg": 25,
        "Detailhandel": 15,
        "Kinderopvang": 10,
        "Productie (uitzendwerk)": 5,
    },
}
CONTRACTS: dict[str, float] = {
    ContractType.UITZEND: 35,
    ContractType.TIJDELIJK: 40,
    ContractType.VAST: 10,
    ContractType.OPROEP: 15,
}
REFERRAL_WINDOW_DAYS = 240  # only referrals of the last months (older ones: closed, archived)
UNREAD_DAYS = 14  # notifications about referral steps of the last two weeks stay unread


@dataclass
class SpellPlan:
    kind: str
    start: date
    end: date | None
    hours: int | None = None
    organisation: Organisation | None = None
    sector: str = ""
    contract: str = ""
    description: str = ""


def available() -> bool:
    return partner_services is not None and hasattr(partner_services, "spell_create")


def referrals_available() -> bool:
    return (
        partner_services is not None
        and partner_rules is not None
        and hasattr(partner_services, "referral_share")
        and hasattr(partner_services, "referral_transition")
    )


class ParticipationWriter:
    """Spells and referrals for one case's person, after the case's regie is written."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        organisations: Mapping[str, Organisation],
    ) -> None:
        self.rng = rng
        self.today = today
        self.organisations = organisations
        self.spells = 0
        self.referrals = 0

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, max(low, high)))

    def _months(self, low: float, high: float, mode: float) -> timedelta:
        return timedelta(days=round(30.4 * self.rng.triangular(low, high, mode)))

    def _weighted(self, weights: Mapping[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # -- plans -----------------------------------------------------------------------------
    def _jobs(self, w: CaseWriter, settle: date) -> list[SpellPlan]:
        ctx = w.ctx
        share = WORK_EVER.get(ctx.doelgroep, WORK_EVER[Doelgroep.ASIELSTATUSHOUDER])[ctx.sex]
        age = (settle - ctx.birth_date).days // 365
        if age >= 50:
            share *= 0.5
        if w.fate.kind == ONTHEVEN:
            share *= 0.3
        if self.rng.random() >= share:
            return []
        if ctx.doelgroep == Doelgroep.GEZINSMIGRANT:
            start = settle + self._months(2, 48, 10)
        else:
            start = settle + self._months(4, 84, 20)
        jobs = []
        contract = self._weighted(CONTRACTS)
        for number in range(3):
            if start > self.today:
                break
            hours = round(
                self.rng.triangular(16, 40, 36)
                if ctx.sex == Sex.MAN
                else self.rng.triangular(8, 36, 20)
            )
            end: date | None = None
            if contract != ContractType.VAST and self.rng.random() < 0.5:
                end = start + self._months(3, 24, 8)
            sector = self._weighted(SECTORS[ctx.sex])
            werkgever = self.organisations.get(OrganisationKind.WERKGEVER)
            jobs.append(
                SpellPlan(
                    SpellKind.WERK,
                    start,
                    end,
                    hours=hours,
                    organisation=werkgever if self.rng.random() < 0.15 else None,
                    sector=sector,
                    contract=contract,
                    description=f"Baan {number + 1} ({sector.lower()})",
                )
            )
            if end is None or self.rng.random() >= 0.8:
                break
            start = end + self._months(1, 9, 3)
            contract = self._weighted({**CONTRACTS, ContractType.VAST: 30})
        return jobs

    def _participation(self, w: CaseWriter, settle: date) -> list[SpellPlan]:
        ctx = w.ctx
        share = EARLY.get(ctx.doelgroep, EARLY[Doelgroep.ASIELSTATUSHOUDER])[ctx.sex]
        volunteers = self.organisations.get(OrganisationKind.VRIJWILLIGERS)
        werkgever = self.organisations.get(OrganisationKind.WERKGEVER)
        plans = []
        kind: str = ""
        start, end = settle, None
        if self.rng.random() < share:
            start = settle + self._days(20, 175)
            if self.rng.random() < 0.7:
                kind, end = SpellKind.VRIJWILLIGERSWERK, start + self._days(180, 720)
            else:
                kind, end = SpellKind.STAGE, start + self._days(120, 240)
        elif self.rng.random() < LATER_VOLUNTEERING:
            start = settle + self._days(200, 900)
            kind, end = SpellKind.VRIJWILLIGERSWERK, start + self._days(120, 720)
        if kind == SpellKind.VRIJWILLIGERSWERK:
            organisation = volunteers if self.rng.random() < 0.5 else None
            hours = self.rng.randint(4, 16)
            plans.append(
                SpellPlan(
                    kind,
                    start,
                    end,
                    hours=hours,
                    organisation=organisation,
                    description="Vrijwilligerswerk",
                )
            )
        elif kind == SpellKind.STAGE:
            organisation = werkgever if self.rng.random() < 0.4 else None
            plans.append(
                SpellPlan(
                    kind,
                    start,
                    end,
                    hours=self.rng.randint(12, 32),
                    organisation=organisation,
                    description="Taal- en werkstage",
                )
            )
        if ctx.doelgroep == Doelgroep.ASIELSTATUSHOUDER and self.rng.random() < TAALCOACH_SHARE:
            start = settle + self._days(30, 300)
            plans.append(
                SpellPlan(
                    SpellKind.TAALCOACH,
                    start,
                    start + self._days(180, 540),
                    hours=2,
                    organisation=volunteers,
                    description="Taalmaatje",
                )
            )
        return plans

    def _education(self, w: CaseWriter, settle: date) -> list[SpellPlan]:
        plans = []
        if w.route == Leerroute.ONDERWIJS and w.route_start is not None:
            start = w.route_start + self._days(20, 60)
            end = w.completed.get("taalschakeltraject") or start + self._days(300, 640)
            plans.append(
                SpellPlan(
                    SpellKind.OPLEIDING, start, end, hours=20, description="Taalschakeltraject"
                )
            )
            if self.rng.random() < 0.6:
                plans.append(
                    SpellPlan(
                        SpellKind.OPLEIDING,
                        end + self._days(30, 120),
                        None,
                        hours=24,
                        description="Mbo-opleiding",
                    )
                )
        elif (settle - w.ctx.birth_date).days < 30 * 365 and self.rng.random() < 0.1:
            start = settle + self._days(500, 1500)
            plans.append(
                SpellPlan(
                    SpellKind.OPLEIDING,
                    start,
                    start + self._days(300, 1100),
                    hours=20,
                    description="Mbo-opleiding",
                )
            )
        return plans

    def _bijstand(self, w: CaseWriter, jobs: list[SpellPlan]) -> list[SpellPlan]:
        if w.bijstand_start is None:
            return []
        end = None
        for job in jobs:
            if job.hours is not None and job.hours >= FULL_TIME_HOURS:
                end = job.start + self._days(30, 90)
                break
        return [SpellPlan(SpellKind.BIJSTAND, w.bijstand_start, end, description="Bijstand")]

    # -- writing ---------------------------------------------------------------------------
    def write(self, w: CaseWriter) -> None:
        if not available() or w.ctx.vestiging is None or w.ctx.vestiging > self.today:
            return
        settle = w.ctx.vestiging
        stop = None
        if w.fate.kind == BEEINDIGD and w.fate.end is not None and w.fate.end <= self.today:
            stop = w.fate.end  # moved, left or died: nothing known after that
        jobs = self._jobs(w, settle)
        plans = [
            *self._bijstand(w, jobs),
            *self._participation(w, settle),
            *self._education(w, settle),
            *jobs,
        ]
        created: list[tuple[SpellPlan, Any]] = []
        for plan in sorted(plans, key=lambda p: (p.start, p.kind)):
            last = min(self.today, stop) if stop else self.today
            if plan.start > last:
                continue
            end = plan.end
            if stop is not None and (end is None or end > stop):
                end = stop
            if end is not None and end > self.today:
                end = None  # still going on today
            spell = partner_services.spell_create(
                by=BY,
                person=w.ctx.person,
                kind=plan.kind,
                start_date=plan.start,
                end_date=end,
                hours_per_week=Decimal(plan.hours) if plan.hours is not None else None,
                organisation=plan.organisation,
                sector=plan.sector,
                contract_type=plan.contract,
                description=plan.description,
            )
            plan.end = end
            created.append((plan, spell))
            self.spells += 1
        if referrals_available():
            self._referrals(w, [plan for plan, _spell in created])

    # -- referrals -------------------------------------------------------------------------
    def _referrals(self, w: CaseWriter, spells: list[SpellPlan]) -> None:
        ctx = w.ctx
        window = self.today - timedelta(days=REFERRAL_WINDOW_DAYS)
        wanted: list[tuple[str, Organisation | None, date, date, date | None, str]] = []
        mb = self.organisations.get(OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING)
        if ctx.doelgroep == Doelgroep.ASIELSTATUSHOUDER and ctx.vestiging is not None:
            start = ctx.vestiging + self._days(0, 10)
            wanted.append(
                (
                    ReferralType.MB,
                    mb,
                    ctx.vestiging - self._days(0, 14),
                    start,
                    start + self._days(330, 450),
                    "Maatschappelijke begeleiding na de vestiging",
                )
            )
        taal = self.organisations.get(OrganisationKind.TAALAANBIEDER)
        if w.route in {Leerroute.B1, Leerroute.Z} and w.route_start is not None:
            start = w.route_start + self._days(14, 35)
            wanted.append(
                (
                    ReferralType.TAAL,
                    taal,
                    w.route_start + self._days(1, 7),
                    start,
                    None,
                    f"Taallessen {Leerroute(w.route).label}",
                )
            )
        for spell in spells:
            if spell.organisation is None:
                continue
            kind: str
            if spell.kind == SpellKind.VRIJWILLIGERSWERK:
                kind = ReferralType.VRIJWILLIGERS
            elif spell.kind == SpellKind.STAGE:
                kind = ReferralType.WERKGEVER
            else:
                continue
            wanted.append(
                (
                    kind,
                    spell.organisation,
                    spell.start - self._days(7, 21),
                    spell.start,
                    spell.end,
                    spell.description,
                )
            )
        for kind, organisation, sent, start, end, purpose in wanted:
            if organisation is None or sent < window or sent > self.today:
                continue
            self._referral(w, kind, organisation, sent, start, end, purpose)

    def _referral(
        self,
        w: CaseWriter,
        kind: str,
        organisation: Organisation,
        sent: date,
        start: date,
        end: date | None,
        purpose: str,
    ) -> None:
        consent = sent if partner_rules.consent_required(referral_type=kind) else None
        referral, created = partner_services.referral_share(
            by=BY,
            person=w.ctx.person,
            organisation=organisation,
            referral_type=kind,
            today=sent,
            purpose=purpose,
            consent_on=consent,
            case=w.case,
        )
        if not created:
            return
        self.referrals += 1
        accepted = sent + self._days(1, 7)
        start = max(start, accepted)
        steps = [(ReferralStatus.ACCEPTED, accepted), (ReferralStatus.ACTIVE, start)]
        if end is not None:
            steps.append((ReferralStatus.ENDED, max(end, start)))
        for to, on in steps:
            if on > self.today:
                break
            referral = partner_services.referral_transition(
                by=BY,
                referral=referral,
                to=to,
                actor=partner_rules.PARTNER,
                on=on,
                end_reason=EndReason.FINISHED if to == ReferralStatus.ENDED else "",
            )


def settle_notifications(*, since_pk: int, today: date) -> int:
    """The referrals' notifications describe synthetic history: none is e-mailed, and those
    about steps more than two weeks before `today` count as read. Returns the number left
    unread. (Marked before the seed commits, so the e-mail jobs after commit find nothing.)"""
    notes = Notification.objects.filter(pk__gt=since_pk).select_related("referral")
    unread, old = 0, []
    for note in notes:
        referral = note.referral
        last = None
        if referral is not None:
            steps = [referral.sent_on, referral.decided_on, referral.started_on, referral.ended_on]
            last = max(d for d in steps if d is not None)
        if last is None or last < today - timedelta(days=UNREAD_DAYS):
            old.append(note.pk)
        else:
            unread += 1
    notes.update(email_status=DeliveryStatus.NOT_NEEDED, next_attempt_at=None)
    Notification.objects.filter(pk__in=old).update(read_at=timezone.now())
    return unread


__all__ = ["ParticipationWriter", "available", "referrals_available", "settle_notifications"]
