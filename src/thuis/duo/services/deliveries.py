"""Deliveries from the gemeente to DUO: checked against DUO's rules first, then put in the outbox.

Each function takes plain values (so the PIP model of the cases app can call `pip_deliver`
later) and raises `DeliveryRefused` with Dutch messages when DUO would refuse the delivery.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.cases import rules as law
from thuis.cases.choices import Component, Regime
from thuis.cases.selectors import completion_with_case, current_doelgroep, pip_with_case
from thuis.core.errors import ThuisError, ValidationFailed
from thuis.duo import rules
from thuis.duo.choices import EventKind
from thuis.duo.client import UREN_OPERATIONS
from thuis.duo.models import OutboxMessage

from .common import case_state, logger, safe_error, signal_raise
from .outbox import outbox_enqueue

if TYPE_CHECKING:
    from thuis.cases.models import IntegrationCase


class DeliveryRefused(ValidationFailed):
    """DUO would refuse this delivery; `problems` lists why, in Dutch."""

    code = "duo_regels"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise DeliveryRefused(problems)


def _doelgroep(case: IntegrationCase) -> str | None:
    period = current_doelgroep(case)
    return period.doelgroep if period else None


def _leerroute(case: IntegrationCase) -> str | None:
    pip = (case_state(case).resources.get("pip") or {}).get("pip") or {}
    value = pip.get("leerroute")
    return str(value) if value else None


@transaction.atomic
def pip_deliver(
    *,
    case: IntegrationCase,
    by: Any,
    dagtekening: date,
    leerroute: str,
    niveau: str | None = None,
    geschatte_intensiteit_b1: int | None = None,
    mag_opleiding_afmaken: bool | None = None,
    alfabetisering: str | None = None,
) -> OutboxMessage:
    """Deliver a PIP (PIP API, postPipByBsn). `leerroute` is DUO's B, O or Z."""
    state = case_state(case)
    payload = rules.pip_payload(
        dagtekening=dagtekening,
        leerroute=leerroute,
        niveau=niveau,
        geschatte_intensiteit_b1=geschatte_intensiteit_b1,
        mag_opleiding_afmaken=mag_opleiding_afmaken,
        alfabetisering=alfabetisering,
    )
    _refuse_if(
        rules.pip_problems(
            payload=payload,
            first_pip=state.pip_dagtekening is None,
            doelgroep=_doelgroep(case),
            plicht_start=case.plicht_start,
            vestiging=case.vestiging_date,
            previous_dagtekening=state.pip_dagtekening,
        )
    )
    return outbox_enqueue(
        operation="postPipByBsn",
        description=_("PIP doorgeven (dagtekening %(datum)s)") % {"datum": dagtekening.isoformat()},
        by=by,
        bsn=case.person.bsn,
        payload=payload,
        case=case,
    )


@transaction.atomic
def pip_withdraw(*, case: IntegrationCase, by: Any) -> OutboxMessage:
    state = case_state(case)
    _refuse_if(
        [_("DUO verwijdert een PIP alleen zolang de inburgeringstermijn nog niet loopt.")]
        if state.termijn_start
        else []
    )
    return outbox_enqueue(
        operation="deletePipByBsn",
        description=_("PIP intrekken bij DUO"),
        by=by,
        bsn=case.person.bsn,
        case=case,
    )


@transaction.atomic
def resultaat_deliver(
    *,
    case: IntegrationCase,
    by: Any,
    kind: str,
    datum: date | None,
    verwijtbaar: str | None,
    today: date,
) -> OutboxMessage:
    """MAP eindgesprek, PVT ondertekening or Z-route afronding (MAP-PVT-Zroute API)."""
    state = case_state(case)
    zroute = rules.parse_date((state.resources.get("zroute") or {}).get("datumAfrondingZroute"))
    _refuse_if(
        rules.resultaat_problems(
            kind=kind,
            datum=datum,
            verwijtbaar=verwijtbaar,
            today=today,
            has_pip=state.pip_dagtekening is not None,
            leerroute=_leerroute(case),
            termijn_start=state.termijn_start,
            termijn_end=state.termijn_end,
            zroute_done_on=zroute,
        )
    )
    operation = {"map": "updateMapByBsn", "pvt": "updatePvtByBsn"}.get(kind, "updateZrouteByBsn")
    label = {"map": _("MAP-eindgesprek"), "pvt": _("PVT-ondertekening")}.get(
        kind, _("Z-route afgerond")
    )
    return outbox_enqueue(
        operation=operation,
        description=_("%(wat)s doorgeven") % {"wat": label},
        by=by,
        bsn=case.person.bsn,
        payload=rules.resultaat_payload(kind=kind, datum=datum, verwijtbaar=verwijtbaar),
        case=case,
    )


@transaction.atomic
def uren_deliver(*, case: IntegrationCase, by: Any, soort: str, uren: int) -> OutboxMessage:
    """Gevolgde uren: taallesknm, participatieactiviteiten or participatietaalles."""
    _refuse_if(
        rules.uren_problems(
            soort=soort, uren=uren, leerroute=_leerroute(case), doelgroep=_doelgroep(case)
        )
    )
    return outbox_enqueue(
        operation=UREN_OPERATIONS[soort],
        description=_("Gevolgde uren doorgeven (%(soort)s)") % {"soort": soort},
        by=by,
        bsn=case.person.bsn,
        payload={"uren": uren},
        case=case,
    )


@transaction.atomic
def aanbod_deliver(
    *,
    case: IntegrationCase,
    by: Any,
    instellingsnummer: str,
    instelling: dict[str, Any] | None,
    datum_aanbod: date | None,
    verwachte_start: date | None,
    verwachte_eind: date | None,
    alfabetisering: str,
) -> OutboxMessage:
    """Inburgeringsaanbod at an instelling; `instelling` comes from DUO's list (instellingen)."""
    state = case_state(case)
    _refuse_if(
        rules.aanbod_problems(
            doelgroep=_doelgroep(case),
            pip_dagtekening=state.pip_dagtekening,
            leerroute=_leerroute(case),
            termijn_end=state.termijn_end,
            instelling=instelling,
            datum_aanbod=datum_aanbod,
            verwachte_start=verwachte_start,
            verwachte_eind=verwachte_eind,
            alfabetisering=alfabetisering,
        )
    )
    payload: dict[str, Any] = {"indicatorAlfabetiseringsonderwijs": alfabetisering}
    for key, value in (
        ("datumInburgeringsaanbod", datum_aanbod),
        ("verwachteStartdatumOpleiding", verwachte_start),
        ("verwachteEinddatumOpleiding", verwachte_eind),
    ):
        if value is not None:
            payload[key] = value.isoformat()
    return outbox_enqueue(
        operation="postInburgeringsaanbodByBsnAndInstellingsnummer",
        description=_("Inburgeringsaanbod doorgeven"),
        by=by,
        bsn=case.person.bsn,
        path_params={"instellingsnummer": instellingsnummer},
        payload=payload,
        case=case,
    )


@transaction.atomic
def contactpersoon_register(
    *, by: Any, naam: str, email: str, telefoonnummer: str
) -> OutboxMessage:
    """The gemeente's contactpersoon for questions from the keten (Contactpersoon API)."""
    _refuse_if(rules.contactpersoon_problems(naam=naam, email=email, telefoonnummer=telefoonnummer))
    return outbox_enqueue(
        operation="createContactpersoon",
        description=_("Contactpersoon registreren"),
        by=by,
        payload={"naam": naam, "email": email, "telefoonnummer": telefoonnummer},
    )


@transaction.atomic
def contactpersoon_link(*, case: IntegrationCase, by: Any, contactpersoon_id: int) -> OutboxMessage:
    _refuse_if([] if 1 <= contactpersoon_id <= 99999 else [_("Onbekende contactpersoon.")])
    return outbox_enqueue(
        operation="postContactpersoonByBsn",
        description=_("Contactpersoon koppelen aan inburgeraar"),
        by=by,
        bsn=case.person.bsn,
        path_params={"id": contactpersoon_id},
        case=case,
    )


@transaction.atomic
def lbt_skip(*, case: IntegrationCase, by: Any) -> OutboxMessage:
    """Tell DUO the leerbaarheidstoets is skipped (withdraws the examennummer)."""
    return outbox_enqueue(
        operation="deleteExamennummerByBsn",
        description=_("Leerbaarheidstoets overgeslagen"),
        by=by,
        bsn=case.person.bsn,
        case=case,
    )


# --- deliveries triggered by the regie flows (cases.services, after commit) ---

# Components whose completion DUO wants to know (MAP-PVT-Zroute API).
RESULTAAT_KIND = {Component.PVT: "pvt", Component.MAP: "map", Component.Z_ROUTE: "zroute"}


def duo_configured() -> bool:
    """The koppeling is switched on: both OINs are set (the base URL may follow later)."""
    return bool(settings.THUIS_DUO_OIN and settings.THUIS_GEMEENTE_OIN)


def _refused_signal(case: IntegrationCase, what: str, problems: list[str]) -> None:
    signal_raise(
        code="LEVERING_GEWEIGERD",
        kind=EventKind.INTERN,
        title=_("%(wat)s is niet aan DUO doorgegeven") % {"wat": what},
        text=" ".join(
            [
                *problems,
                _("Los dit op en geef het door via de DUO-pagina van het traject."),
            ]
        ),
        case=case,
        person=case.person,
    )


def pip_enqueue_for(*, pip_id: int) -> OutboxMessage | None:
    """Deliver a PIP that the regisseur just established (Wi2021) to DUO through the outbox.

    Called after commit when `cases` publishes `PipEstablished` (`duo.subscribers`). It never
    raises: without DUO configuration nothing is recorded; when DUO would refuse the PIP, a
    signal on the case tells the regisseur why, in Dutch. Only a PIP a user established goes
    out by itself; a system writer (the demo seed, an import) delivers through these services
    explicitly.
    """
    if not duo_configured():
        return None
    pip = pip_with_case(pip_id=pip_id)
    case = pip.case
    if case.regime != Regime.WI2021 or pip.established_by is None:
        return None
    try:
        return pip_deliver(
            case=case,
            by=pip.established_by,
            dagtekening=pip.dagtekening,
            leerroute=rules.LEERROUTE_TO_DUO[law.Leerroute(pip.leerroute)],
            niveau=pip.niveau if pip.niveau in {"A2", "B1"} else None,
            geschatte_intensiteit_b1=pip.geschatte_intensiteit_b1,
            mag_opleiding_afmaken=pip.mag_opleiding_afmaken,
            alfabetisering=pip.alfabetisering or None,
        )
    except DeliveryRefused as exc:
        _refused_signal(case, _("De PIP (versie %(v)s)") % {"v": pip.version}, exc.problems)
    except ThuisError as exc:
        _refused_signal(case, _("De PIP (versie %(v)s)") % {"v": pip.version}, [exc.message])
    return None


def resultaat_enqueue_for(
    *, completion_id: int, by: Any, today: date | None = None
) -> OutboxMessage | None:
    """Deliver a recorded PVT, MAP or Z-route completion (Wi2021) to DUO through the outbox.

    Called after commit on `ComponentCompleted` (`duo.subscribers`) with the user who recorded it;
    never raises and skips system writers (see `pip_enqueue_for`). `verwijtbaar` is sent only
    for a date after the end of the termijn, as DUO requires.
    """
    if not duo_configured() or by is None or isinstance(by, str):
        return None
    completion = completion_with_case(completion_id=completion_id)
    case = completion.case
    kind = RESULTAAT_KIND.get(Component(completion.component))
    if kind is None or case.regime != Regime.WI2021:
        return None
    state = case_state(case)
    late = state.termijn_end is not None and completion.completed_on > state.termijn_end
    verwijtbaar = completion.verwijtbaar if late and kind != "zroute" else ""
    what = str(Component(completion.component).label)
    try:
        return resultaat_deliver(
            case=case,
            by=by,
            kind=kind,
            datum=completion.completed_on,
            verwijtbaar=verwijtbaar or None,
            today=today or timezone.localdate(),
        )
    except DeliveryRefused as exc:
        _refused_signal(case, what, exc.problems)
    except ThuisError as exc:
        _refused_signal(case, what, [exc.message])
    return None


def after_commit(func: Any, **kwargs: Any) -> None:
    """Run a delivery hook; an unexpected error is logged, never shown to the regisseur."""
    try:
        func(**kwargs)
    except Exception as exc:
        logger.error("DUO-levering niet aangemaakt: %s", safe_error(exc))
