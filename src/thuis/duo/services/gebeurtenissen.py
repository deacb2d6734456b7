"""What Thuis does per DUO gebeurtenis: read the matching DUO resources, then change the case.

`process` is called by `inbox.inbox_process` after it claimed the message. DUO reads happen
first (each read is logged); all changes to person, case, signals and the message status are
then made in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit.events import Activity
from thuis.audit.models import Action
from thuis.cases import rules as law
from thuis.cases import selectors as case_selectors
from thuis.cases import services as case_services
from thuis.cases.choices import OPEN_STATUSES, CaseStatus, ExtensionStatus
from thuis.cases.services.facts import date_of
from thuis.core.errors import ValidationFailed
from thuis.duo import rules
from thuis.duo.choices import (
    ATTENTIESIGNALEN,
    EventKind,
    InboxStatus,
    event_description,
    event_kind,
)
from thuis.duo.client import DuoClient
from thuis.duo.models import InboxMessage
from thuis.people import services as people_services
from thuis.people.models import Municipality, Person

from .common import SYSTEM_ACTOR, case_state, log, signal_raise

if TYPE_CHECKING:
    from thuis.cases.models import IntegrationCase

# A person DUO reports is created with these placeholders until the BRP data is filled in.
UNKNOWN_BIRTH_DATE = date(1900, 1, 1)
UNKNOWN_NAME = "Onbekend (via DUO)"

# resource name -> DUO client method
READERS: dict[str, str] = {
    "inburgeringsplicht": "inburgeringsplicht",
    "doelgroep": "doelgroep",
    "termijn": "inburgeringstermijn",
    "pip": "pip",
    "lbt": "lbt_resultaten",
    "examens": "examenresultaten",
    "vrijstellingen": "vrijstellingen",
    "ontheffingen": "ontheffingen",
}


@dataclass
class Context:
    message: InboxMessage
    resources: dict[str, Any]
    municipality: Municipality | None
    person: Person | None
    case: IntegrationCase | None
    day: date
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.message.gebeurtenis_id


@dataclass(frozen=True)
class Handler:
    reads: tuple[str, ...]
    apply: Callable[[Context], None]
    needs_case: bool = True  # False: creates person and case when they are missing


def process(message: InboxMessage, client: DuoClient) -> None:
    handler = HANDLERS.get(message.gebeurtenis_id)
    person = _person_of(message)
    resources: dict[str, Any] = {}
    if handler is not None and message.bsn:
        for name in handler.reads:
            resources[name] = getattr(client, READERS[name])(message.bsn)
            log(
                user=SYSTEM_ACTOR,
                action=Action.READ,
                object_type=f"duo_{name}",
                object_id=message.pk,
                bsn=message.bsn,
                reason=f"{message.gebeurtenis_id}: {name} gelezen bij DUO",
                municipality=message.municipality,
            )
    if (
        message.bsn
        and handler
        and "inburgeringsplicht" in handler.reads
        and not resources.get("inburgeringsplicht")
    ):
        raise ValidationFailed(_("DUO kent geen inburgeringsplicht bij deze persoon (404)."))
    with transaction.atomic():
        ctx = Context(
            message=message,
            resources=resources,
            municipality=message.municipality or (person.municipality if person else None),
            person=person,
            case=_current_case(person),
            day=timezone.localtime(message.registratie_datum_tijd).date(),
        )
        status = InboxStatus.PROCESSED
        if handler is None:
            status = InboxStatus.UNKNOWN_CODE
            _unknown(ctx)
        elif not message.bsn:
            raise ValidationFailed(
                _("Het bericht heeft geen BSN; Thuis koppelt nog niet op v-nummer.")
            )
        elif handler.needs_case and ctx.case is None:
            raise ValidationFailed(_unknown_person())
        else:
            if ctx.case is not None:
                _store_resources(ctx)
            handler.apply(ctx)
        InboxMessage.objects.filter(pk=message.pk).update(
            status=status,
            error="",
            processed_at=timezone.now(),
            person=ctx.person,
            case=ctx.case,
            municipality=ctx.municipality,
            claimed_at=None,
        )


def _unknown_person() -> str:
    """The answer for a BSN that is no person of the message's gemeente: the same whether Thuis
    does not know the BSN at all or knows it in another gemeente (no existence across them)."""
    return _(
        "Thuis kent deze persoon niet (geen traject bij dit BSN). Leg de persoon vast en "
        "verwerk het bericht opnieuw."
    )


def _person_of(message: InboxMessage) -> Person | None:
    """The person with the message's BSN, only in the message's gemeente: a person of another
    gemeente is treated as unknown (never read or changed for this gemeente's OIN)."""
    if not message.bsn:
        return None
    persons = Person.objects.filter(bsn=message.bsn)
    if message.municipality_id is not None:
        persons = persons.filter(municipality_id=message.municipality_id)
    return persons.first()


def _current_case(person: Person | None) -> IntegrationCase | None:
    return None if person is None else case_selectors.current_case_of_person(person=person)


def _store_resources(ctx: Context) -> None:
    if ctx.case is None:
        return
    state = case_state(ctx.case)
    for name, data in ctx.resources.items():
        state.resources[name] = data
    state.save(update_fields=["resources", "updated_at"])


def _signal(ctx: Context, text: str = "", *, due: date | None = None, code: str = "") -> None:
    signal_raise(
        code=code or ctx.code,
        kind=event_kind(ctx.code) if not code else EventKind.INTERN,
        title=event_description(code or ctx.code) or _("Gebeurtenis %(code)s") % {"code": ctx.code},
        text=text,
        municipality=ctx.municipality,
        person=ctx.person,
        case=ctx.case,
        inbox_message=ctx.message,
        due_date=due,
    )


def _unknown(ctx: Context) -> None:
    signal_raise(
        code=ctx.code,
        kind=EventKind.GEBEURTENIS,
        title=_("Onbekende gebeurtenis %(code)s van DUO") % {"code": ctx.code},
        text=_(
            "Thuis kent deze code nog niet. Het bericht is bewaard. Kijk in de DUO-documentatie "
            "wat er moet gebeuren."
        ),
        municipality=ctx.municipality,
        person=ctx.person,
        case=ctx.case,
        inbox_message=ctx.message,
    )


# --- creating person and case ---


def _doelgroep(data: Any) -> tuple[str, str, bool]:
    """(doelgroep, gedetailleerde doelgroep, known) from DUO's `Doelgroep`."""
    data = data if isinstance(data, dict) else {}
    doelgroep = rules.DOELGROEP_FROM_DUO.get(str(data.get("indeling", "")))
    if doelgroep is None:
        return "gezinsmigrant", "overig", False
    detail = rules.DETAIL_FROM_DUO.get(str(data.get("gedetailleerdeDoelgroep", "")))
    if detail is None or detail not in case_services.DETAIL_FOR_DOELGROEP[doelgroep]:
        detail = rules.DEFAULT_DETAIL[doelgroep]
    return doelgroep, detail, True


def _ensure_case(ctx: Context) -> IntegrationCase | None:
    """The open case of this person, opened (with the person) when DUO reports a new one."""
    if ctx.case is not None and ctx.case.status in OPEN_STATUSES:
        return ctx.case
    plicht = ctx.resources.get("inburgeringsplicht") or {}
    if plicht and plicht.get("indicatorInburgeringsplicht") is False:
        reden = plicht.get("redenGeenInburgeringsplicht") or _("geen reden genoemd")
        _signal(
            ctx,
            _("DUO meldt nu geen inburgeringsplicht (%(reden)s). Er is geen traject geopend.")
            % {"reden": reden},
        )
        return None
    if ctx.municipality is None:
        raise ValidationFailed(
            _("Thuis weet niet bij welke gemeente dit OIN hoort. Stel THUIS_DUO_GEMEENTECODE in.")
        )
    if ctx.person is None:
        # A record of the same BSN in another gemeente is that gemeente's: this gemeente gets
        # its own person (people.models.Person), and nothing of the other is read or revealed.
        ctx.person = people_services.person_create(
            by=SYSTEM_ACTOR,
            municipality=ctx.municipality,
            bsn=ctx.message.bsn,
            given_names="Onbekend",
            family_name=UNKNOWN_NAME,
            birth_date=UNKNOWN_BIRTH_DATE,
            sex="O",
            nationality="XX",
            country_of_birth="XX",
            activity=Activity.DUO,
        )
        signal_raise(
            code="PERSOONSGEGEVENS",
            kind=EventKind.INTERN,
            title=_("Nieuwe persoon via DUO: vul de gegevens aan"),
            text=_(
                "DUO geeft alleen het BSN door. Vul naam, geboortedatum, geslacht en "
                "nationaliteit aan uit de BRP."
            ),
            person=ctx.person,
            municipality=ctx.municipality,
            inbox_message=ctx.message,
        )
    elif ctx.person.municipality_id != ctx.municipality.pk:
        raise ValidationFailed(_unknown_person())
    start = (
        rules.parse_date(plicht.get("begindatum"))
        or rules.parse_date(plicht.get("datumKennisgevingInburgeringsplicht"))
        or ctx.day
    )
    doelgroep, detail, known = _doelgroep(ctx.resources.get("doelgroep"))
    ctx.case = case_services.case_open(
        by=SYSTEM_ACTOR,
        person=ctx.person,
        plicht_start=start,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=detail,
        activity=Activity.DUO,
    )
    if not known:
        ctx.notes.append(_("DUO gaf geen doelgroep door; controleer de doelgroep."))
    _store_resources(ctx)
    return ctx.case


# --- handlers ---


def _new(ctx: Context) -> None:
    case = _ensure_case(ctx)
    if case is None:
        return
    text = " ".join([_("Nieuw traject in Thuis."), *ctx.notes])
    if ctx.code == "SS128":
        text += " " + _("Let op: de persoon bereikt binnen 6 maanden de AOW-leeftijd.")
    _signal(ctx, text)


def _pip_clock(ctx: Context) -> None:
    case = _ensure_case(ctx)
    if case is None:
        return
    case = case_services.case_set_dates(case=case, by=SYSTEM_ACTOR, kennisgeving_date=ctx.day)
    ctx.case = case
    state = case_state(case)
    result = rules.pip_clock(kennisgeving=ctx.day, vestiging=case.vestiging_date)
    state.kennisgeving_date = ctx.day
    state.pip_deadline = result.value
    state.save(update_fields=["kennisgeving_date", "pip_deadline", "updated_at"])
    _signal(ctx, " ".join([result.toelichting, *ctx.notes]), due=result.value)


def _settled(ctx: Context) -> None:
    case = _ensure_case(ctx)
    if case is None:
        return
    text = _("De persoon woont nu in uw gemeente.")
    if case.vestiging_date is None and (
        case.koppeling_date is None or case.koppeling_date <= ctx.day
    ):
        case = case_services.case_set_dates(case=case, by=SYSTEM_ACTOR, vestiging_date=ctx.day)
        ctx.case = case
        text += " " + _(
            "Thuis heeft %(datum)s als datum van vestiging ingevuld; controleer die in de BRP."
        ) % {"datum": law.nl_date(ctx.day)}
        state = case_state(case)
        if state.kennisgeving_date is not None:
            state.pip_deadline = rules.pip_clock(
                kennisgeving=state.kennisgeving_date, vestiging=case.vestiging_date
            ).value
            state.save(update_fields=["pip_deadline", "updated_at"])
    if ctx.code == "SS121":
        pip = (ctx.resources.get("pip") or {}).get("pip") or {}
        if pip:
            state = case_state(case)
            state.pip_dagtekening = state.pip_dagtekening or rules.parse_date(
                pip.get("dagtekeningPip")
            )
            state.save(update_fields=["pip_dagtekening", "updated_at"])
            text += " " + _(
                "De vorige gemeente stelde een PIP vast (leerroute %(route)s). Stel een "
                "nieuwe PIP op; de leerroute blijft gelijk."
            ) % {"route": pip.get("leerroute", "?")}
        _termijn_from(ctx, ctx.resources.get("termijn"))
    else:
        text += " " + _("Er is nog geen PIP. Plan de brede intake.")
    _signal(ctx, " ".join([text, *ctx.notes]))


def _doelgroep_changed(ctx: Context) -> None:
    if ctx.case is None:
        return
    doelgroep, detail, known = _doelgroep(ctx.resources.get("doelgroep"))
    if not known:
        raise ValidationFailed(_("DUO gaf geen doelgroep terug; de doelgroep is niet gewijzigd."))
    current = case_services.current_doelgroep(ctx.case)
    data = ctx.resources.get("doelgroep") or {}
    on = rules.parse_date(data.get("begindatum")) or ctx.day
    if current is not None and (current.doelgroep, current.gedetailleerde_doelgroep) == (
        doelgroep,
        detail,
    ):
        _signal(ctx, _("De doelgroep in Thuis was al goed."))
        return
    if current is not None and on <= current.start_date:
        on = date.fromordinal(current.start_date.toordinal() + 1)
    case_services.case_change_doelgroep(
        case=ctx.case,
        by=SYSTEM_ACTOR,
        doelgroep=doelgroep,
        gedetailleerde_doelgroep=detail,
        on=on,
        activity=Activity.DUO,
    )
    _signal(
        ctx, _("Thuis heeft de doelgroep aangepast vanaf %(datum)s.") % {"datum": law.nl_date(on)}
    )


def _termijn_from(ctx: Context, data: Any) -> str:
    if not isinstance(data, dict) or ctx.case is None:
        return ""
    state = case_state(ctx.case)
    state.termijn_start = rules.parse_date(data.get("startdatum")) or state.termijn_start
    state.termijn_end = rules.parse_date(data.get("einddatum")) or state.termijn_end
    grond = data.get("verlengingsgrondomschrijving") or data.get("verlengingsgrondcode") or ""
    state.verlengingsgrond = str(grond)[:200]
    state.save(update_fields=["termijn_start", "termijn_end", "verlengingsgrond", "updated_at"])
    if state.termijn_start and state.termijn_end:
        return _("Inburgeringstermijn: %(start)s tot en met %(eind)s.") % {
            "start": law.nl_date(state.termijn_start),
            "eind": law.nl_date(state.termijn_end),
        }
    return ""


def _termijn(ctx: Context) -> None:
    text = _termijn_from(ctx, ctx.resources.get("termijn"))
    state = case_state(ctx.case) if ctx.case else None
    _signal(ctx, text or _("DUO gaf geen termijn terug."), due=state.termijn_end if state else None)


def _termijn_extended(ctx: Context) -> None:
    """SS103/SS104: DUO extended the termijn. Record it as a granted extension in Thuis."""
    data = ctx.resources.get("termijn")
    text = _termijn_from(ctx, data)
    note = _extension_from_duo(ctx, data if isinstance(data, dict) else {})
    state = case_state(ctx.case) if ctx.case else None
    _signal(
        ctx,
        " ".join(p for p in (text or _("DUO gaf geen termijn terug."), note) if p),
        due=state.termijn_end if state else None,
    )


def _extension_from_duo(ctx: Context, data: dict[str, Any]) -> str:
    """A granted TermijnExtension for the months DUO added; a note for the regisseur."""
    duo_end = rules.parse_date(data.get("einddatum"))
    if ctx.case is None or duo_end is None:
        return ""
    dates = case_services.case_dates(ctx.case, today=ctx.day)
    thuis_end = date_of(dates, "TERMIJN_EINDE")
    if thuis_end is None:
        return _(
            "Thuis kent de termijn van dit traject nog niet (geen eerste PIP in Thuis). Leg de "
            "verlenging zelf vast als de PIP er is."
        )
    months = rules.extension_months(thuis_end=thuis_end, duo_end=duo_end)
    if months == 0:
        return _("Thuis had deze einddatum al.")
    if months is None:
        return _(
            "De einddatum bij DUO (%(duo)s) is geen heel aantal maanden later dan in Thuis "
            "(%(thuis)s). Controleer de termijn en leg de verlenging zelf vast."
        ) % {"duo": law.nl_date(duo_end), "thuis": law.nl_date(thuis_end)}
    decided_on = rules.parse_date(data.get("wijzigingsdatum")) or ctx.day
    grond = str(data.get("verlengingsgrondcode") or "")[:10]
    try:
        case_services.extension_record(
            case=ctx.case,
            by=SYSTEM_ACTOR,
            months=months,
            status=ExtensionStatus.TOEGEKEND,
            decided_on=decided_on,
            grondcode=grond,
        )
    except ValidationFailed as exc:
        return _("Thuis kon de verlenging niet vastleggen: %(fout)s") % {"fout": exc.message}
    return _("Thuis heeft een toegekende verlenging van %(n)s maanden vastgelegd.") % {"n": months}


def _close(to: str) -> Callable[[Context], None]:
    def apply(ctx: Context) -> None:
        if ctx.case is None:
            return
        plicht = ctx.resources.get("inburgeringsplicht") or {}
        reden = plicht.get("redenGeenInburgeringsplicht") or event_description(ctx.code)
        on = rules.parse_date(plicht.get("einddatum")) or ctx.day
        if ctx.case.status not in OPEN_STATUSES:
            _signal(ctx, _("Het traject was al afgesloten."))
            return
        if to not in case_services.ALLOWED_TRANSITIONS.get(ctx.case.status, set()):
            _signal(
                ctx,
                _("Zet de status van het traject zelf op '%(status)s' als dat klopt.")
                % {"status": CaseStatus(to).label},
            )
            return
        ctx.case = case_services.case_change_status(
            case=ctx.case,
            to=to,
            by=SYSTEM_ACTOR,
            on=max(on, ctx.case.status_since),
            reason=f"DUO {ctx.code}: {reden}",
            activity=Activity.DUO,
        )
        _signal(
            ctx,
            _("Thuis heeft het traject afgesloten: %(status)s.") % {"status": CaseStatus(to).label},
        )

    return apply


def _inform(ctx: Context) -> None:
    """Store what DUO says and tell the regisseur (LBT, exams, requests, vrijstelling, ...)."""
    parts: list[str] = []
    for resultaat in ctx.resources.get("lbt") or []:
        parts.append(
            _("Leerbaarheidstoets %(datum)s: %(uitslag)s (score %(score)s).")
            % {
                "datum": resultaat.get("datumAfname", "?"),
                "uitslag": resultaat.get("resultaat", "?"),
                "score": resultaat.get("behaaldeScore", "?"),
            }
        )
    for examen in ctx.resources.get("examens") or []:
        parts.append(
            _("Examen %(onderdeel)s %(niveau)s op %(datum)s: %(resultaat)s.")
            % {
                "onderdeel": examen.get("onderdeel", "?"),
                "niveau": examen.get("niveau", ""),
                "datum": examen.get("examendatum", "?"),
                "resultaat": examen.get("resultaat", "?"),
            }
        )
    if "termijn" in ctx.resources:
        parts.append(_termijn_from(ctx, ctx.resources.get("termijn")))
    _signal(ctx, " ".join(p for p in parts if p))


def _attention(ctx: Context) -> None:
    _signal(ctx, ATTENTIESIGNALEN.get(ctx.code, ""))


_NEW = ("inburgeringsplicht", "doelgroep")

HANDLERS: dict[str, Handler] = {
    "SS101": Handler(_NEW, _new, needs_case=False),
    "SS128": Handler(_NEW, _new, needs_case=False),
    "SS139": Handler(_NEW, _pip_clock, needs_case=False),
    "SS129": Handler((*_NEW, "vrijstellingen"), _new, needs_case=False),
    "SS120": Handler(_NEW, _settled, needs_case=False),
    "SS121": Handler((*_NEW, "termijn", "pip"), _settled, needs_case=False),
    "SS130": Handler(("inburgeringsplicht", "termijn", "pip", "vrijstellingen"), _inform),
    "SS124": Handler(("doelgroep",), _doelgroep_changed),
    "SS125": Handler(("doelgroep",), _doelgroep_changed),
    "SS137": Handler((), _inform),
    "SS131": Handler(("lbt",), _inform),
    "SS199": Handler(("examens",), _inform),
    "SS102": Handler(("termijn",), _termijn),
    "SS103": Handler(("termijn",), _termijn_extended),
    "SS104": Handler(("termijn",), _termijn_extended),
    "SS112": Handler(("termijn",), _inform),
    "SS113": Handler(("termijn",), _inform),
    "SS106": Handler(("inburgeringsplicht",), _close(CaseStatus.VOLDAAN)),
    "SS107": Handler(("inburgeringsplicht", "vrijstellingen"), _close(CaseStatus.VRIJGESTELD)),
    "SS108": Handler(("inburgeringsplicht", "ontheffingen"), _close(CaseStatus.ONTHEVEN)),
    "SS109": Handler(("inburgeringsplicht", "vrijstellingen"), _inform),
    "SS110": Handler(("inburgeringsplicht",), _close(CaseStatus.BEEINDIGD)),
    "SS111": Handler(("inburgeringsplicht",), _close(CaseStatus.BEEINDIGD)),
    "SS114": Handler(("vrijstellingen",), _inform),
    "SS115": Handler(("vrijstellingen",), _inform),
    "SS116": Handler(("vrijstellingen",), _inform),
    "SS117": Handler(("vrijstellingen",), _inform),
    "SS118": Handler(("ontheffingen",), _inform),
    "SS119": Handler(("ontheffingen",), _inform),
    **{code: Handler((), _attention) for code in ATTENTIESIGNALEN},
}
