"""The regie part of a synthetic case: intake, PIP, progress, exams, ontzorgen, end of the plicht.

Everything is written through thuis.cases.services, in date order, so the data obeys the same
rules as real work (DUO's PIP rules, the cesuur of the leerbaarheidstoets, the 18 months for
schakelen, "voldaan" only when the rules say so). No date lies after `today`.

Assumptions (the domain doc, ../shared/domain/wet-inburgering.md, has no figures for these):
- Leerroute mix ROUTE_MIX: B1-route 55%, onderwijsroute 10%, Z-route 35% (the doc lists the
  per-cohort distribution as UNCONFIRMED; this is close to what gemeenten report in practice
  and to the finance demo scenario's 60/10/30). Onderwijsroute only below age 35.
- Niveau B1 for the B1-route and the onderwijsroute, A2 for the Z-route (DUO does not accept
  B1 with the Z-route, §2.4).
- PIPs on time (within 10 weeks, §2.4) for most cases; LATE_PIP_SHARE of the PIPs is late,
  more in 2022 when gemeenten were starting (§9.2: more than half of the settled persons had
  no PIP at the end of 2022).
- Pass rates per attempt (EXAM_PASS), the number of extensions, no-shows and schakelen are
  invented for a lifelike demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from thuis.audit import events
from thuis.audit.models import Action
from thuis.cases import rules
from thuis.cases import services as case_services
from thuis.cases.choices import (
    Alfabetisering,
    AppointmentKind,
    AppointmentOutcome,
    CaseStatus,
    Component,
    Doelgroep,
    ExamComponent,
    ExamResultValue,
    ExtensionStatus,
    HoursKind,
    Intensiteit,
    Leerroute,
    LoanStatus,
    OntzorgenItem,
    PipReason,
    PlichtEndReason,
)
from thuis.cases.models import IntegrationCase, OntzorgenArrangement
from thuis.cases.services.intake import appointment_set_outcome
from thuis.people.choices import Sex
from thuis.people.models import Person

from .data import (
    ACTIVITY,
    BEEINDIGD,
    BY,
    ONTHEVEN,
    RUNNING,
    VOLDAAN,
    VRIJGESTELD,
    WI2021_START,
)


@dataclass(frozen=True)
class Fate:
    """How a case goes: the planned dates, and how and when the plicht ends.

    `end` may lie after `today` (the case is then still running on `today`)."""

    kind: str
    kennisgeving: date
    intake: date | None = None
    pip: date | None = None
    end: date | None = None
    end_reason: str = ""


@dataclass(frozen=True)
class CaseContext:
    """What the writer needs to know about the person and the household."""

    person: Person
    sex: str
    birth_date: date
    doelgroep: str
    detail: str
    plicht_start: date
    koppeling: date | None
    vestiging: date | None
    in_couple: bool
    has_children: bool


# --- Assumptions (see the module docstring) ---------------------------------------------------
ROUTE_MIX: dict[str, float] = {Leerroute.B1: 55, Leerroute.ONDERWIJS: 10, Leerroute.Z: 35}
ONDERWIJS_MAX_AGE = 35
# Of each final route: share that started on another route and switched (schakelen).
SWITCH_FROM: dict[str, tuple[str, float]] = {
    Leerroute.Z: (Leerroute.B1, 0.2),
    Leerroute.B1: (Leerroute.Z, 0.08),
    Leerroute.ONDERWIJS: (Leerroute.B1, 0.15),
}
LATE_PIP_SHARE: dict[int, float] = {2022: 0.45, 2023: 0.25}
LATE_PIP_SHARE_LATER = 0.15
WIJZIGING_SHARE = 0.2
AFSCHALEN_SHARE = 0.12
NO_SHOW_SHARE = 0.1
SECOND_NO_SHOW_SHARE = 0.25
TALKS_STOP_SHARE = 0.15  # the regisseur fell behind: the talks stop, a signal follows
BIJSTAND_SHARE: dict[str, float] = {
    Doelgroep.ASIELSTATUSHOUDER: 0.88,
    Doelgroep.GEZINSMIGRANT: 0.07,
}
ONTZORGEN_REFUSED_SHARE = 0.04
WI2013_LOAN_SHARE = 0.85
MAX_ATTEMPTS = 4
# Chance to pass one attempt, per level and component.
EXAM_PASS: dict[str, dict[str, float]] = {
    "B1": {
        "lezen": 0.65,
        "luisteren": 0.65,
        "schrijven": 0.55,
        "spreken": 0.5,
        "knm": 0.8,
        "ona": 0.85,
    },
    "A2": {
        "lezen": 0.8,
        "luisteren": 0.8,
        "schrijven": 0.75,
        "spreken": 0.75,
        "knm": 0.85,
        "ona": 0.85,
    },
}
NO_RESULT_SHARE = 0.03  # attempts without a result (absent)
LANGUAGE_PARTS = (
    ExamComponent.LEZEN,
    ExamComponent.LUISTEREN,
    ExamComponent.SCHRIJVEN,
    ExamComponent.SPREKEN,
)
# Monthly fixed costs paid under ontzorgen (euro, ranges): invented.
ONTZORGEN_AMOUNTS: dict[str, tuple[int, int]] = {
    OntzorgenItem.HUUR: (520, 760),
    OntzorgenItem.ENERGIE: (110, 230),
    OntzorgenItem.WATER: (18, 32),
    OntzorgenItem.ZORGVERZEKERING: (138, 162),
}
ONTZORGEN_PAYEES: dict[str, str] = {
    OntzorgenItem.HUUR: "Woningcorporatie",
    OntzorgenItem.ENERGIE: "Energieleverancier",
    OntzorgenItem.WATER: "Waterbedrijf",
    OntzorgenItem.ZORGVERZEKERING: "Zorgverzekeraar",
}

# --- Synthetic texts (generic; nothing about real persons or conditions) -----------------------
EDUCATION_BY_ROUTE: dict[str, dict[str, float]] = {
    Leerroute.Z: {"geen": 45, "basis": 40, "middelbaar": 15},
    Leerroute.B1: {"basis": 20, "middelbaar": 50, "vervolg": 30},
    Leerroute.ONDERWIJS: {"middelbaar": 40, "vervolg": 60},
}
STUDY_FIELDS = ("techniek", "economie", "verpleegkunde", "onderwijs", "ICT", "rechten", "landbouw")
WORK_MEN = (
    "Bouw (metselaar)",
    "Eigen winkel",
    "Vrachtwagenchauffeur",
    "Landbouw op het bedrijf van de familie",
    "Kapper",
    "Automonteur",
    "Kok in een restaurant",
    "Leraar",
    "Elektricien",
)
WORK_WOMEN = (
    "Naaister",
    "Kapster",
    "Lerares basisschool",
    "Verpleegkundige",
    "Administratief medewerker",
    "Verkoopster",
)
NO_WORK = ("Geen betaald werk; zorgde voor het gezin.", "Geen werkervaring; was student.")
SOCIAL = (
    "Kent een paar gezinnen uit het eigen land in de gemeente.",
    "Heeft nog weinig contacten; wil graag mensen leren kennen.",
    "Gaat naar de moskee en een buurthuis.",
    "Heeft familie in een andere gemeente.",
)
WISHES = (
    "Wil zo snel mogelijk betaald werk.",
    "Wil eerst de taal leren en daarna een opleiding volgen.",
    "Wil vrijwilligerswerk doen om Nederlands te oefenen.",
    "Wil werken in het eigen vak ({vak}).",
)
PHYSICAL = (
    "Geen bijzonderheden.",
    "Geen bijzonderheden.",
    "Rugklachten; kan niet lang stilzitten.",
    "Onder behandeling van de huisarts; geen beperking voor de lessen.",
)
MENTAL = (
    "Geen bijzonderheden.",
    "Geen bijzonderheden.",
    "Slaapt slecht; zorgen over familie in het land van herkomst.",
    "Gesprek met de praktijkondersteuner (POH-GGZ) gepland.",
)
IMPACT = (
    "Geen gevolgen voor de inburgering.",
    "Lessen liefst in de ochtend; niet meer dan drie dagdelen per week.",
    "Extra begeleiding bij de start van de lessen.",
)
TALKS = (
    (
        "De lessen gaan volgens plan; de aanwezigheid is goed.",
        "Volgend gesprek over een half jaar.",
    ),
    (
        "Aanwezigheid wisselend door ziekte; afspraken gemaakt over inhalen.",
        "Regisseur vraagt een voortgangsverslag op bij de taalschool.",
    ),
    (
        "Oefent spreken met een taalmaatje; wil binnenkort examen doen.",
        "Examen aanmelden na overleg met de docent.",
    ),
    (
        "Zoekt vrijwilligerswerk om de taal te oefenen.",
        "Verwezen naar de vrijwilligersorganisatie.",
    ),
    ("Werkt nu een paar uur per week; lessen in de avond.", "Lesrooster aanpassen aan het werk."),
    ("Zorg voor de kinderen maakt het lastig; opvang besproken.", "Kinderopvang aanvragen."),
)
SUPPORT = (
    "Kinderopvang tijdens de lessen",
    "Tolk bij de gesprekken",
    "Reiskosten naar de taalschool",
    "Taalmaatje via vrijwilligers",
)
WIJZIGING_TEXTS = (
    "Extra begeleiding naast de lessen",
    "Lesdagen aangepast aan werk",
    "Kinderopvang toegevoegd",
)

Step = Callable[[], Any]


@dataclass
class _Planned:
    on: date
    order: int
    step: Step = field(compare=False)


def _months_between(start: date, end: date) -> list[date]:
    """First days of the months from `start`'s month up to and including `end`'s month."""
    month = start.replace(day=1)
    out = []
    while month <= end:
        out.append(month)
        month = month + relativedelta(months=1)
    return out


class CaseWriter:
    """Writes one case's regie data. Use `write()`; the rng and quotas are the generator's."""

    def __init__(
        self,
        *,
        rng: random.Random,
        choose: Callable[[str, Mapping[str, float], Sequence[str] | None], str],
        today: date,
        case: IntegrationCase,
        ctx: CaseContext,
        fate: Fate,
    ) -> None:
        self.rng = rng
        self.choose = choose
        self.today = today
        self.case = case
        self.ctx = ctx
        self.fate = fate
        self.steps: list[_Planned] = []
        self._order = 0
        self.asiel = ctx.doelgroep == Doelgroep.ASIELSTATUSHOUDER
        self.wi2021 = ctx.plicht_start >= WI2021_START
        self.bijstand_start: date | None = None
        self.route: str = ""
        self.route_start: date | None = None
        self.completed: dict[str, date] = {}  # component -> date (for the partners part)

    # -- helpers ---------------------------------------------------------------------------
    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, max(low, high)))

    def _between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    @property
    def end(self) -> date | None:
        return self.fate.end

    def _before_end(self, on: date) -> bool:
        return self.end is None or on < self.end

    def _at(self, on: date, step: Step, *, at_end: bool = False) -> bool:
        """Plan a step on a date; dropped when after `today` or (unless at_end) not before the
        end of the plicht. Returns whether it was planned."""
        if on > self.today or (not at_end and not self._before_end(on)):
            return False
        self._order += 1
        self.steps.append(_Planned(on, self._order, step))
        return True

    def _horizon(self) -> date:
        """The last day regie can happen: the day before the end, or today."""
        if self.end is not None and self.end <= self.today:
            return self.end - timedelta(days=1)
        return self.today

    def _voldaan_by(self) -> date | None:
        """For a case that ends with 'voldaan' on or before today: the day everything is done."""
        if self.fate.kind == VOLDAAN and self.end is not None and self.end <= self.today:
            return self.end - timedelta(days=1)
        return None

    # -- the whole case --------------------------------------------------------------------
    def write(self) -> IntegrationCase:
        fate, ctx = self.fate, self.ctx
        self._at(fate.kennisgeving, self._set_dates(kennisgeving_date=fate.kennisgeving))
        if ctx.vestiging is not None:
            self._at(ctx.vestiging, self._set_dates(vestiging_date=ctx.vestiging))
        self._bijstand()
        if self.wi2021:
            self._wi2021()
        else:
            self._wi2013()
        if fate.end is not None and fate.end <= self.today:
            self._at(fate.end, self._plicht_end, at_end=True)
        for planned in sorted(self.steps, key=lambda p: (p.on, p.order)):
            planned.step()
        if not self.wi2021:
            self._loan_status()
        self.case.refresh_from_db()
        return self.case

    def _set_dates(self, **dates: Any) -> Step:
        def step() -> None:
            self.case.refresh_from_db()
            case_services.case_set_dates(case=self.case, by=BY, **dates)

        return step

    def _bijstand(self) -> None:
        """Bijstand from shortly after vestiging (most asielstatushouders, few gezinsmigranten)."""
        if self.ctx.vestiging is None:
            return
        if self.rng.random() >= BIJSTAND_SHARE.get(self.ctx.doelgroep, 0.0):
            return
        start = self.ctx.vestiging + self._days(0, 21)
        if start > self.today or not self._before_end(start):
            return
        self.bijstand_start = start
        if not (self.wi2021 and self.asiel):
            self._at(start, self._set_dates(recht_op_bijstand=True))
            return
        self._ontzorgen(start)

    # -- Wi2021 ----------------------------------------------------------------------------
    def _wi2021(self) -> None:
        fate = self.fate
        if fate.intake is None:
            return
        age = rules_age(self.ctx.birth_date, fate.pip or fate.intake)
        allowed = [r for r in ROUTE_MIX if r != Leerroute.ONDERWIJS or age < ONDERWIJS_MAX_AGE]
        final = self.choose("leerroute", ROUTE_MIX, allowed)
        initial, switch_on = final, None
        source, share = SWITCH_FROM[final]
        if fate.pip is not None and self.rng.random() < share:
            candidate = fate.pip + self._days(120, 500)
            horizon = min(self.today, self.end - timedelta(days=120) if self.end else self.today)
            if candidate <= horizon:
                initial, switch_on = source, candidate
        self.route = final
        self._intake(initial)
        if fate.pip is None or not self._before_end(fate.pip) or fate.pip > self.today:
            return
        self.route_start = switch_on or fate.pip
        self._pips(initial, final, switch_on)
        self._talks()
        self._requirements(final)
        self._extension_wi2021()

    def _intake(self, route: str) -> None:
        fate, ctx = self.fate, self.ctx
        assert fate.intake is not None  # noqa: S101 - checked by the caller
        start = fate.intake
        # Invitations: some no-shows first (the ladder: warning, then a fine).
        misses = []
        if self.rng.random() < NO_SHOW_SHARE:
            misses.append(start - self._days(14, 21))
            if self.rng.random() < SECOND_NO_SHOW_SHARE:
                misses.insert(0, misses[0] - self._days(14, 21))
        floor = ctx.koppeling or ctx.plicht_start
        for missed in misses:
            if floor <= missed <= self.today and self._before_end(missed):
                self._at(missed - timedelta(days=14), self._appointment_missed(missed))
        invite = max(floor, start - self._days(10, 21))
        if start > self.today:
            # Not yet held: the appointment is planned when the invitation went out.
            if start <= self.today + timedelta(days=28) and invite <= self.today:
                self._at(invite, self._appointment(AppointmentKind.INTAKE, start, invite))
            return
        self._at(invite, self._appointment(AppointmentKind.INTAKE, start, invite, held=True))
        education = self.choose("education", EDUCATION_BY_ROUTE[route], None)
        values: dict[str, Any] = {"started_on": start, **self._intake_fields(education)}
        self._at(start, self._health_note())
        pip = fate.pip or start + self._days(42, 70)
        lbt = start + self._days(3, max(3, min(21, (pip - start).days - 10)))
        score = self._lbt_score(route, lbt)
        completed = lbt + self._days(1, max(1, (pip - lbt).days - 3))
        # One intake_update with every part done by the horizon, on the day of the last part
        # (the same result as one call per part, at a third of the cost).
        horizon, on = self._horizon(), start
        if lbt <= horizon:
            values.update(lbt_score=score, lbt_date=lbt)
            on = lbt
        if completed <= horizon:
            values["completed_on"] = on = completed
        self._at(on, self._intake_step(**values))

    def _lbt_score(self, route: str, on: date) -> int:
        cesuur = rules.LBT_CESUUR_BEFORE if on < rules.LBT_CESUUR_SWITCH else rules.LBT_CESUUR_FROM
        if route == Leerroute.Z:
            return self.rng.randint(8, cesuur - 1)
        return min(rules.LBT_MAX_SCORE, round(self.rng.triangular(cesuur, 40, cesuur + 4)))

    def _appointment(self, kind: str, on: date, invited: date, *, held: bool = False) -> Step:
        def step() -> None:
            appointment = case_services.appointment_plan(
                case=self.case, by=BY, kind=kind, scheduled_on=on, invitation_sent_on=invited
            )
            if held:
                appointment_set_outcome(
                    appointment=appointment, outcome=AppointmentOutcome.VERSCHENEN
                )

        return step

    def _appointment_missed(self, on: date) -> Step:
        def step() -> None:
            appointment = case_services.appointment_plan(
                case=self.case,
                by=BY,
                kind=AppointmentKind.INTAKE,
                scheduled_on=on,
                invitation_sent_on=on - timedelta(days=14),
            )
            if on <= self.today:
                case_services.no_show_register(appointment=appointment, by=BY, today=on)

        return step

    def _intake_fields(self, education: str) -> dict[str, Any]:
        ctx = self.ctx
        work_pool = WORK_MEN if ctx.sex == Sex.MAN else WORK_WOMEN
        if self.rng.random() < (0.15 if ctx.sex == Sex.MAN else 0.45):
            work = self.rng.choice(NO_WORK)
            vak = "zorg" if ctx.sex == Sex.VROUW else "techniek"
        else:
            job = self.rng.choice(work_pool)
            work = f"{job}, ongeveer {self.rng.randint(1, 15)} jaar."
            vak = job.split(" (")[0].lower()
        study = self.rng.choice(STUDY_FIELDS)
        texts = {
            "geen": "Geen school gevolgd.",
            "basis": "Basisschool (6 jaar) in het land van herkomst.",
            "middelbaar": f"Middelbare school, {self.rng.randint(3, 6)} jaar.",
            "vervolg": self.rng.choice(
                [f"Beroepsopleiding {study}, 2 jaar.", f"Universiteit: bachelor {study}."]
            ),
        }
        fields: dict[str, Any] = {
            "education_history": texts[education],
            "work_history": work,
            "social_network": self.rng.choice(SOCIAL),
            "participation_wishes": self.rng.choice(WISHES).format(vak=vak),
        }
        if ctx.vestiging is not None and ctx.vestiging <= self.fate.intake:  # type: ignore[operator]
            fields["housing"] = "Huurwoning via de woningcorporatie."
        else:
            fields["housing"] = "Woont nog in het azc; wacht op een woning."
        if self.bijstand_start is not None:
            fields["finances"] = "Bijstand; vaste lasten via ontzorgen besproken."
        elif self.ctx.doelgroep == Doelgroep.GEZINSMIGRANT:
            fields["finances"] = "Inkomen via de partner (referent)."
        if ctx.has_children:
            fields["family_childcare"] = "Kinderen gaan naar school; opvang nodig tijdens lessen."
            fields["vve_children"] = "Ouders geïnformeerd over VVE."
        if ctx.in_couple:
            fields["talk_without_partner_offered"] = True
            fields["talk_without_partner_held"] = self.rng.random() < 0.6
        return fields

    def _health_note(self) -> Step:
        if self.fate.kind == ONTHEVEN:
            physical = "Langdurige gezondheidsklachten."
            mental = self.rng.choice(MENTAL)
            impact = "Kan de lessen waarschijnlijk niet volgen; ontheffing wordt onderzocht."
        else:
            physical, mental = self.rng.choice(PHYSICAL), self.rng.choice(MENTAL)
            impact = self.rng.choice(IMPACT)

        def step() -> None:
            case_services.health_note_add(
                case=self.case, by=BY, physical=physical, mental=mental, impact=impact
            )

        return step

    def _intake_step(self, **values: Any) -> Step:
        def step() -> None:
            case_services.intake_update(case=self.case, by=BY, today=self.today, **values)

        return step

    # -- PIP versions ----------------------------------------------------------------------
    def _pip_fields(self, route: str) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "begeleiding": "Regisseur inburgering en maatschappelijke begeleiding.",
            "ondersteuning": "; ".join(self.rng.sample(SUPPORT, self.rng.randint(1, 2))),
            "voortgangsafspraken": "Elk half jaar een voortgangsgesprek met de regisseur.",
            "ontzorgen": self.bijstand_start is not None and self.asiel,
            "pvt_intensiteit": Intensiteit.STANDAARD,
            "map_intensiteit": "" if route == Leerroute.ONDERWIJS else Intensiteit.STANDAARD,
        }
        if route == Leerroute.Z:
            fields["alfabetisering"] = self.choose(
                "alfa_z",
                {Alfabetisering.A: 30, Alfabetisering.AA: 20, Alfabetisering.NVT: 50},
                None,
            )
            fields["pvt_intensiteit"] = Intensiteit.VERHOOGD
            fields["map_intensiteit"] = Intensiteit.AANGEPAST
        elif route == Leerroute.B1:
            if self.rng.random() < 0.15:
                fields["alfabetisering"] = Alfabetisering.AA
            if self.asiel:
                fields["geschatte_intensiteit_b1"] = self.rng.randrange(400, 1650, 50)
            fields["mag_opleiding_afmaken"] = self.rng.random() < 0.05
        return fields

    @staticmethod
    def _niveau(route: str) -> str:
        return "A2" if route == Leerroute.Z else "B1"

    def _pips(self, initial: str, final: str, switch_on: date | None) -> None:
        fate = self.fate
        assert fate.pip is not None  # noqa: S101 - checked by the caller
        self._at(fate.pip, self._pip(fate.pip, initial, self._niveau(initial), PipReason.EERSTE))
        if switch_on is not None:
            self._at(
                switch_on,
                self._pip(
                    switch_on,
                    final,
                    self._niveau(final),
                    PipReason.SCHAKELEN,
                    "Leerroute past niet; geschakeld na overleg met de taalschool.",
                ),
            )
        if self.rng.random() < WIJZIGING_SHARE:
            on = fate.pip + self._days(60, 400)
            if on != switch_on:
                route = final if switch_on is None or on > switch_on else initial
                self._at(
                    on,
                    self._pip(
                        on,
                        route,
                        self._niveau(route),
                        PipReason.WIJZIGING,
                        self.rng.choice(WIJZIGING_TEXTS),
                    ),
                )

    def _pip(self, on: date, route: str, niveau: str, reason: str, text: str = "") -> Step:
        fields = self._pip_fields(route)

        def step() -> None:
            case_services.pip_establish(
                case=self.case,
                by=BY,
                dagtekening=on,
                leerroute=route,
                niveau=niveau,
                reason=reason,
                reason_text=text,
                today=self.today,
                **fields,
            )

        return step

    # -- progress --------------------------------------------------------------------------
    def _talks(self) -> None:
        assert self.fate.pip is not None  # noqa: S101
        last = self.fate.pip
        stop_after = self.rng.randint(1, 4) if self.rng.random() < TALKS_STOP_SHARE else 99
        held = 0
        horizon = self._horizon()
        while held < stop_after:
            on = last + self._days(140, 200)
            if on > horizon:
                break
            summary, agreements = self.rng.choice(TALKS)
            self._at(on, self._talk(on, summary, agreements))
            last, held = on, held + 1
        if self.end is None or self.end > self.today:
            due = last + self._days(150, 200)
            if self.today < due <= self.today + timedelta(days=90):
                invited = max(last, self.today - self._days(0, 10))
                self._at(invited, self._appointment(AppointmentKind.VOORTGANG, due, invited))

    def _talk(self, on: date, summary: str, agreements: str) -> Step:
        """Held by the case's regisseur: a talk needs a person as `held_by`, so a case without
        a regisseur gets no talks (and so, later, a VOORTGANG_GESPREK signal)."""

        def step() -> None:
            regisseur = self.case.regisseur
            if regisseur is None:
                return
            case_services.progress_talk_add(
                case=self.case,
                by=regisseur,
                held_on=on,
                summary=summary,
                agreements=agreements,
                today=self.today,
            )

        return step

    def _requirements(self, route: str) -> None:
        """Exams, hours and completions for the final route; all done in time for 'voldaan'."""
        pip = self.fate.pip
        start = self.route_start
        assert pip is not None and start is not None  # noqa: S101
        done_by = self._voldaan_by()
        horizon = self._horizon()

        def when(natural: date, floor: date) -> date | None:
            """The natural date, pulled before the end for a 'voldaan' case; None if later."""
            if done_by is not None and natural > done_by:
                low = max(floor, done_by - timedelta(days=120))
                return self._between(min(low, done_by), done_by)
            return natural if natural <= horizon else None

        termijn = pip + timedelta(days=1)
        pvt = when(pip + self._days(60, 450), termijn)
        components: dict[str, date | None] = {Component.PVT: pvt}
        if route != Leerroute.ONDERWIJS:
            components[Component.MAP] = when(pip + self._days(270, 820), termijn)
        if route == Leerroute.ONDERWIJS:
            components[Component.TAALSCHAKELTRAJECT] = when(
                start + self._days(300, 640), start + timedelta(days=30)
            )
        if route == Leerroute.Z:
            z_on = when(start + self._days(730, 1040), start + timedelta(days=60))
            if z_on is not None:
                z_on = max([z_on, *(d for d in components.values() if d is not None)])
            components[Component.Z_ROUTE] = z_on
            self._hours_z(start, z_on or horizon)
            if z_on is not None:
                self._at(
                    z_on - self._days(7, 21),
                    self._appointment(AppointmentKind.EINDGESPREK, z_on, z_on, held=True),
                )
        for component, on in components.items():
            if on is not None:
                self.completed[component] = on
                self._at(on, self._completion(component, on))
        if route == Leerroute.B1:
            self._b1_exams(start, done_by, horizon)

    def _completion(self, component: str, on: date) -> Step:
        def step() -> None:
            case_services.completion_record(
                case=self.case, by=BY, component=component, completed_on=on, today=self.today
            )

        return step

    def _quarters(self, start: date, until: date) -> list[tuple[date, date]]:
        out = []
        begin = start
        while True:
            end = begin + relativedelta(months=3) - timedelta(days=1)
            if end > until:
                break
            out.append((begin, end))
            begin = end + timedelta(days=1)
        return out

    def _hours_z(self, start: date, until: date) -> None:
        """Lessons and (for asielstatushouders) participation: 800 hours each by the end."""
        quarters = self._quarters(start + timedelta(days=14), until)
        if not quarters:
            return
        need = -(-820 // len(quarters))
        for kind, low, high in (
            (HoursKind.NT2_KNM, 70, 120),
            *(((HoursKind.PARTICIPATIE, 60, 110),) if self.asiel else ()),
        ):
            for begin, end in quarters:
                hours = max(self.rng.randint(low, high), need)
                on = min(end + timedelta(days=7), until)
                self._at(on, self._hours(kind, begin, end, hours))

    def _hours(self, kind: str, begin: date, end: date, hours: int) -> Step:
        def step() -> None:
            case_services.hours_record(
                case=self.case,
                by=BY,
                kind=kind,
                period_start=begin,
                period_end=end,
                hours=Decimal(hours),
                source="Taalschool (synthetisch)",
                today=self.today,
            )

        return step

    def _b1_exams(self, start: date, done_by: date | None, horizon: date) -> None:
        """Course hours, perhaps afschalen to A2, and exam attempts per component."""
        until = done_by or horizon
        hours_by: list[tuple[date, int]] = []
        total = 0
        for begin, end in self._quarters(start + timedelta(days=21), until):
            hours = self.rng.randint(110, 170)
            total += hours
            on = min(end + timedelta(days=7), until)
            hours_by.append((on, total))
            self._at(on, self._hours(HoursKind.CURSUS, begin, end, hours))
        afschalen: date | None = None
        if done_by is None and self.rng.random() < AFSCHALEN_SHARE:
            on = start + self._days(540, 800)
            enough = any(day < on and sum_ >= rules.AFSCHALEN_HOURS for day, sum_ in hours_by)
            if enough and on <= horizon:
                afschalen = on
                self._at(
                    on,
                    self._pip(
                        on,
                        Leerroute.B1,
                        "A2",
                        PipReason.AFSCHALEN,
                        "Na 600 uur les is B1 niet haalbaar; afgeschaald naar A2.",
                    ),
                )
        for component in (*LANGUAGE_PARTS, ExamComponent.KNM):
            first = start + (
                self._days(180, 540) if component == ExamComponent.KNM else self._days(420, 900)
            )
            self._attempts(component, first, done_by, horizon, afschalen)

    def _attempts(
        self,
        component: str,
        first: date,
        done_by: date | None,
        horizon: date,
        afschalen: date | None,
        level_before: str = "B1",
    ) -> None:
        def level(on: date) -> str:
            return "A2" if afschalen is not None and on > afschalen else level_before

        if done_by is not None:
            # Voldaan: some failed attempts, then a pass, all before the end.
            first = min(first, done_by - self._days(30, 150))
            first = max(first, self.ctx.plicht_start + timedelta(days=30))
            count = self.rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
            span = max(0, (done_by - first).days)
            dates = sorted(first + timedelta(days=span * i // count) for i in range(count))
            for i, on in enumerate(dates):
                result = ExamResultValue.GESLAAGD if i == count - 1 else ExamResultValue.GEZAKT
                self._at(on, self._exam(component, level(on), on, result))
            return
        on = first
        for _attempt in range(MAX_ATTEMPTS):
            if on > horizon:
                return
            lvl = level(on)
            roll = self.rng.random()
            if roll < NO_RESULT_SHARE:
                result = ExamResultValue.GEEN
            elif roll < NO_RESULT_SHARE + EXAM_PASS[lvl][component]:
                result = ExamResultValue.GESLAAGD
            else:
                result = ExamResultValue.GEZAKT
            self._at(on, self._exam(component, lvl, on, result))
            if result == ExamResultValue.GESLAAGD:
                return
            on = on + self._days(60, 150)

    def _exam(self, component: str, level: str, on: date, result: str) -> Step:
        def step() -> None:
            case_services.exam_record(
                case=self.case,
                by=BY,
                component=component,
                level="" if component in rules.COMPONENTS_WITHOUT_LEVEL else level,
                exam_date=on,
                result=result,
                today=self.today,
            )

        return step

    def _extension_wi2021(self) -> None:
        """DUO extends the termijn for some: always when 'voldaan' came after the termijn."""
        pip = self.fate.pip
        assert pip is not None  # noqa: S101
        termijn_end = pip + relativedelta(years=rules.TERMIJN_YEARS)
        # DUO decides close to the end of the termijn (until then: TERMIJN_BIJNA_OM).
        decided = termijn_end - self._days(0, 45)
        if decided > self.today or not self._before_end(decided):
            return
        late_voldaan = self.fate.kind == VOLDAAN and self.end is not None and self.end > termijn_end
        if late_voldaan:
            assert self.end is not None  # noqa: S101
            months = 6
            while pip + relativedelta(years=rules.TERMIJN_YEARS, months=months) < self.end:
                months += 6
            self._at(decided, self._extension(decided, min(months, 24), ExtensionStatus.TOEGEKEND))
        elif self.fate.kind == RUNNING and self.rng.random() < 0.5:
            status = self.rng.choices(
                [ExtensionStatus.TOEGEKEND, ExtensionStatus.AANGEVRAAGD, ExtensionStatus.AFGEWEZEN],
                weights=[70, 20, 10],
            )[0]
            self._at(decided, self._extension(decided, self.rng.choice([6, 12]), status))

    def _extension(
        self, decided: date, months: int, status: str, *, alfabetisering: bool = False
    ) -> Step:
        def step() -> None:
            case_services.extension_record(
                case=self.case,
                by=BY,
                months=months,
                status=status,
                decided_on=decided,
                alfabetisering=alfabetisering,
            )

        return step

    # -- ontzorgen -------------------------------------------------------------------------
    def _ontzorgen(self, bijstand_start: date) -> None:
        refused = self.rng.random() < ONTZORGEN_REFUSED_SHARE
        signed = None if refused else bijstand_start + self._days(2, 20)
        if signed is not None and signed > self.today:
            signed = None
        items = list(OntzorgenItem.values)
        if self.rng.random() < 0.15:
            items.remove(OntzorgenItem.WATER)  # water paid through the rent
        amounts = {
            item: Decimal(self.rng.randint(*ONTZORGEN_AMOUNTS[item])) + Decimal("0.50")
            for item in items
        }
        holder: dict[str, OntzorgenArrangement] = {}

        def arrange() -> None:
            holder["arrangement"] = case_services.ontzorgen_set(
                case=self.case,
                by=BY,
                bijstand_start=bijstand_start,
                machtiging_signed_on=signed,
                items=items,
                refused=refused,
            )

        self._at(bijstand_start, arrange)
        if signed is None:
            return
        last = rules.ontzorgen_window(bijstand_start=bijstand_start, bijstand_end=None).value
        for month in _months_between(bijstand_start, last):
            paid_on = max(month, signed)
            for item in items:
                self._at(paid_on, self._payment(holder, item, month, amounts[item], paid_on))

    def _payment(
        self,
        holder: dict[str, OntzorgenArrangement],
        item: str,
        month: date,
        amount: Decimal,
        paid_on: date,
    ) -> Step:
        def step() -> None:
            case_services.ontzorgen_payment_add(
                arrangement=holder["arrangement"],
                by=BY,
                item=item,
                month=month,
                amount=amount,
                payee=ONTZORGEN_PAYEES[item],
                paid_on=paid_on,
            )

        return step

    # -- Wi2013 ----------------------------------------------------------------------------
    def _wi2013(self) -> None:
        """No brede intake, PIP or LBT: an intake talk, then A2 exams, KNM, ONA and PVT."""
        fate, ctx = self.fate, self.ctx
        if fate.intake is not None:
            self._at(fate.intake, self._status(CaseStatus.INTAKE, fate.intake, "Intakegesprek"))
        if fate.pip is None or fate.pip > self.today or not self._before_end(fate.pip):
            return
        self._at(
            fate.pip,
            self._status(CaseStatus.PIP, fate.pip, "Inburgering gestart (Wi2013, zonder PIP)"),
        )
        done_by = self._voldaan_by()
        horizon = self._horizon()
        start = ctx.plicht_start
        for component in (*LANGUAGE_PARTS, ExamComponent.KNM):
            first = max(fate.pip, start + self._days(300, 900))
            self._attempts(component, first, done_by, horizon, None, level_before="A2")
        if start >= rules.WI2013_ONA_FROM:
            first = max(fate.pip, start + self._days(400, 1000))
            self._attempts(ExamComponent.ONA, first, done_by, horizon, None, level_before="A2")
        if start >= rules.WI2013_PVT_FROM and ctx.vestiging is not None:
            late = self.rng.random() < 0.15
            natural = ctx.vestiging + (self._days(365, 540) if late else self._days(60, 360))
            on: date | None = natural
            if done_by is not None and natural > done_by:
                on = self._between(max(ctx.vestiging, done_by - timedelta(days=90)), done_by)
            elif natural > horizon:
                on = None
            if on is not None:
                self.completed[Component.PVT] = on
                self._at(on, self._completion(Component.PVT, on))
        termijn_end = start + relativedelta(years=rules.TERMIJN_YEARS)
        decided = termijn_end - self._days(0, 60)
        if decided > self.today or not self._before_end(decided):
            return
        late_voldaan = fate.kind == VOLDAAN and self.end is not None and self.end > termijn_end
        if late_voldaan or (fate.kind == RUNNING and self.rng.random() < 0.5):
            alfa = self.rng.random() < 0.3
            self._at(
                decided,
                self._extension(
                    decided,
                    self.rng.choice([12, 24]) if alfa else 12,
                    ExtensionStatus.TOEGEKEND,
                    alfabetisering=alfa,
                ),
            )

    def _status(self, status: str, on: date, reason: str) -> Step:
        def step() -> None:
            self.case = case_services.case_change_status(
                case=self.case, to=status, by=BY, on=on, reason=reason, activity=ACTIVITY
            )

        return step

    def _loan_status(self) -> None:
        """Wi2013: most asielstatushouders borrowed from DUO; forgiven when the plicht ended by
        voldaan, vrijstelling or ontheffing (Besluit inburgering art. 4.13; domain doc §1.4).
        There is no service for this field, so it is set here and logged like one."""
        if self.rng.random() >= WI2013_LOAN_SHARE or self.case.status == CaseStatus.AANGEMELD:
            return
        status = LoanStatus.LOPEND
        if self.case.status in {CaseStatus.VOLDAAN, CaseStatus.VRIJGESTELD, CaseStatus.ONTHEVEN}:
            status = LoanStatus.KWIJTGESCHOLDEN
        IntegrationCase.objects.filter(pk=self.case.pk).update(loan_status=status)
        events.person_changed(
            user=BY,
            person=self.ctx.person,
            action=Action.UPDATE,
            object_type="case",
            object_id=self.case.pk,
            activity=ACTIVITY,
            reason="DUO-lening",
        )

    # -- the end ---------------------------------------------------------------------------
    def _plicht_end(self) -> None:
        assert self.end is not None  # noqa: S101
        self.case.refresh_from_db()
        self.case = case_services.plicht_end(
            case=self.case, by=BY, reason=self.fate.end_reason, on=self.end, today=self.today
        )


def rules_age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


END_REASONS: dict[str, str] = {
    VOLDAAN: PlichtEndReason.VOLDAAN,
    VRIJGESTELD: PlichtEndReason.VOLLEDIGE_VRIJSTELLING,
    ONTHEVEN: PlichtEndReason.VOLLEDIGE_ONTHEFFING,
}
BEEINDIGD_REASONS: dict[str, float] = {
    PlichtEndReason.VERHUISD: 80,
    PlichtEndReason.VERTREK: 17,
    PlichtEndReason.OVERLIJDEN: 3,
}
__all__ = [
    "BEEINDIGD",
    "BEEINDIGD_REASONS",
    "END_REASONS",
    "LATE_PIP_SHARE",
    "LATE_PIP_SHARE_LATER",
    "ONTHEVEN",
    "RUNNING",
    "VOLDAAN",
    "VRIJGESTELD",
    "CaseContext",
    "CaseWriter",
    "Fate",
]
