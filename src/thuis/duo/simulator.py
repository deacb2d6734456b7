"""A local DUO: serves DUO's read and delivery APIs from the specs on loopback, applies DUO's
delivery rules, and pushes notifications to Thuis. For demos and tests only, never production.

Plain WSGI (wsgiref with one thread per request); state lives in memory. The request log never
shows paths, because DUO's paths carry the BSN. Control endpoints under /_simulator/ (not part
of DUO's specs) add persons and push notifications.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from dateutil.relativedelta import relativedelta

from thuis.core.bsn import is_valid_bsn

from . import rules
from .specs import APIS, OPERATIONS, find_operation

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Params = dict[str, str]
Answer = tuple[int, Any]
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}
INSTELLINGEN = [
    {
        "instellingsnummer": "0000012345",
        "naam": "Taalschool Vechtdal",
        "postcode": "7721AB",
        "huisnummer": 12,
        "plaatsnaam": "Dalfsen",
        "bow": "1234",
        "indicatieBowKeurmerk": True,
        "indicatieTstKeurmerk": False,
    },
    {
        "instellingsnummer": "0000067890",
        "naam": "Schakelinstituut Zwolle",
        "postcode": "8011AA",
        "huisnummer": 1,
        "plaatsnaam": "Zwolle",
        "brin": "25AB",
        "indicatieBowKeurmerk": False,
        "indicatieTstKeurmerk": True,
    },
]
VERLENGINGSGRONDEN = [
    {"code": "ZIEK", "omschrijving": "Ziekte of andere persoonlijke omstandigheden"},
    {"code": "ALFA", "omschrijving": "Alfabetisering"},
]


@dataclass
class SimPerson:
    bsn: str
    begindatum: date
    doelgroep: str = "Asielstatushouder"
    gedetailleerde_doelgroep: str = "Asielstatushouder"
    kennisgeving: date | None = None
    plichtig: bool = True
    reden_geen_plicht: str | None = None
    pip: dict[str, Any] | None = None
    termijn: dict[str, Any] | None = None
    termijn_historie: list[dict[str, Any]] = field(default_factory=list)
    lbt: list[dict[str, Any]] = field(default_factory=list)
    examens: list[dict[str, Any]] = field(default_factory=list)
    vrijstellingen: list[dict[str, Any]] = field(default_factory=list)
    ontheffingen: list[dict[str, Any]] = field(default_factory=list)
    resultaten: dict[str, dict[str, Any]] = field(default_factory=dict)
    uren: dict[str, int] = field(default_factory=dict)
    aanbod: dict[str, dict[str, Any]] = field(default_factory=dict)
    examennummer: str = ""


#: DUO's view of a person of a demo gemeente in Thuis: (bsn, gemeentecode) -> person or None.
DemoSource = Callable[[str, str], SimPerson | None]
_demo_sources: list[DemoSource] = []


def register_demo_source(source: DemoSource) -> None:
    """Let `thuis duo_simulator --demo` know the demo gemeente's persons. The demo app (above
    duo in the layers) registers its source in `AppConfig.ready()`; duo never imports it."""
    if source not in _demo_sources:
        _demo_sources.append(source)


def demo_source() -> DemoSource | None:
    """The registered demo source; None when the demo app is not installed."""
    return _demo_sources[-1] if _demo_sources else None


@dataclass
class SimulatorState:
    duo_oin: str
    gemeente_oin: str
    gemeentecode: str = "0148"
    thuis_url: str = ""
    today: Callable[[], date] = date.today
    persons: dict[str, SimPerson] = field(default_factory=dict)
    contactpersonen: dict[int, dict[str, Any]] = field(default_factory=dict)
    contact_links: set[tuple[int, str]] = field(default_factory=set)
    seen: dict[str, tuple[int, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # (operationId, berichtId, status)
    pushed: list[tuple[str, int]] = field(default_factory=list)  # (gebeurtenisId, status)
    push_sync: bool = False  # push before answering (tests) instead of shortly after
    queued: list[tuple[str, str]] = field(default_factory=list)  # (gebeurtenisId, bsn)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Demo only: find a person DUO does not know yet (the command reads the demo gemeente).
    lookup: Callable[[str], SimPerson | None] | None = None

    def add_person(self, bsn: str, *, begindatum: date, **kwargs: Any) -> SimPerson:
        person = SimPerson(bsn=bsn, begindatum=begindatum, **kwargs)
        self.persons[bsn] = person
        return person

    def person(self, bsn: str) -> SimPerson | None:
        """A known person, or (demo) one `lookup` finds, e.g. in the demo gemeente of Thuis."""
        found = self.persons.get(bsn)
        if found is None and self.lookup is not None:
            found = self.lookup(bsn)
            if found is not None:
                self.persons[bsn] = found
        return found

    def extend_termijn(
        self, *, bsn: str, months: int, gebeurtenis_id: str = "SS104", grondcode: str = "ZIEK"
    ) -> SimPerson:
        """DUO extends the termijn (SS103 ambtshalve, SS104 op verzoek) and queues the event."""
        if gebeurtenis_id not in {"SS103", "SS104"}:
            raise ValueError("Een verlenging meldt DUO met SS103 of SS104.")
        if not 1 <= months <= 60:
            raise ValueError("Een verlenging is 1 tot en met 60 maanden.")
        person = self.person(bsn)
        if person is None or person.termijn is None:
            raise LookupError("Deze persoon heeft bij de simulator nog geen termijn.")
        end = date.fromisoformat(person.termijn["einddatum"]) + relativedelta(months=months)
        grond = next((g for g in VERLENGINGSGRONDEN if g["code"] == grondcode), None)
        person.termijn = {
            **person.termijn,
            "einddatum": end.isoformat(),
            "wijzigingsdatum": self.today().isoformat(),
            "verlengingsgrondcode": grondcode,
            **({"verlengingsgrondomschrijving": grond["omschrijving"]} if grond else {}),
        }
        person.termijn_historie.append(
            {k: v for k, v in person.termijn.items() if k != "startdatum"}
        )
        self.queued.append((gebeurtenis_id, bsn))
        return person

    def push(self, *, bsn: str, gebeurtenis_id: str, when: datetime | None = None) -> int:
        """POST a Notificatie to Thuis (as DUO) and return the HTTP status Thuis answered."""
        if not self.thuis_url:
            raise RuntimeError("Geen Thuis-adres ingesteld (--thuis-url).")
        moment = (when or datetime.now(UTC)).isoformat().replace("+00:00", "Z")
        response = requests.post(
            self.thuis_url.rstrip("/") + "/duo/v1/notificaties",
            json={"registratieDatumTijd": moment, "gebeurtenisId": gebeurtenis_id, "bsn": bsn},
            headers={
                "bron": self.duo_oin,
                "doel": self.gemeente_oin,
                "berichtId": str(uuid.uuid4()),
            },
            timeout=30,
        )
        self.pushed.append((gebeurtenis_id, response.status_code))
        return response.status_code


def handler_name(operation_id: str) -> str:
    """The simulator method for a DUO operationId (getPipByBsn -> op_get_pip_by_bsn)."""
    return "op_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", operation_id).lower()


class Simulator:
    """The WSGI application."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if path.startswith("/_simulator/"):
            status, body = self._control(method, path, raw)
            return _respond(start_response, status, body, "0.0.0")
        if path.startswith("/v1/"):
            path = path[3:]
        found = find_operation(method, path)
        if found is None:
            return _respond(start_response, 404, None, "1.0.0")
        operation_id, params = found
        version = APIS[OPERATIONS[operation_id].api][1]
        with self.state.lock:
            status, body = self._handle(operation_id, params, environ, raw)
            queued, self.state.queued = self.state.queued, []
        for gebeurtenis_id, bsn in queued:  # outside the lock: Thuis will call back
            self._notify(gebeurtenis_id, bsn)
        return _respond(start_response, status, body, version)

    # --- DUO's APIs ---

    def _handle(
        self, operation_id: str, params: dict[str, str], environ: dict[str, Any], raw: bytes
    ) -> tuple[int, Any]:
        bron = environ.get("HTTP_BRON", "")
        doel = environ.get("HTTP_DOEL", "")
        bericht_id = environ.get("HTTP_BERICHTID", "")
        problem = rules.check_notification_headers(bron=bron, doel=doel, bericht_id=bericht_id)
        if problem is not None:
            return self._log(operation_id, bericht_id, 400, None)
        if bron != self.state.gemeente_oin or doel != self.state.duo_oin:
            return self._log(operation_id, bericht_id, 403, None)
        if bericht_id in self.state.seen:  # a retry of a delivery DUO already handled
            status, previous = self.state.seen[bericht_id]
            return self._log(operation_id, bericht_id, status, previous)
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return self._log(operation_id, bericht_id, 400, None)
        bsn = params.get("bsn")
        person = None
        if bsn is not None:
            if not is_valid_bsn(bsn):
                return self._log(operation_id, bericht_id, 400, None)
            person = self.state.person(bsn)
            if person is None:
                return self._log(operation_id, bericht_id, 404, None)
        handler = getattr(self, handler_name(operation_id))
        status, answer = handler(person, params, body)
        if OPERATIONS[operation_id].method != "GET":
            self.state.seen[bericht_id] = (status, answer)
        return self._log(operation_id, bericht_id, status, answer)

    def _log(self, operation_id: str, bericht_id: str, status: int, body: Any) -> tuple[int, Any]:
        self.state.requests.append((operation_id, bericht_id, status))
        return status, body

    def op_get_inburgeringsplicht_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        data: dict[str, Any] = {
            "indicatorInburgeringsplicht": p.plichtig,
            "begindatum": p.begindatum.isoformat(),
        }
        if p.kennisgeving:
            data["datumKennisgevingInburgeringsplicht"] = p.kennisgeving.isoformat()
        if p.reden_geen_plicht:
            data["redenGeenInburgeringsplicht"] = p.reden_geen_plicht
        return 200, data

    def op_get_inburgeringsplichthistorie_by_bsn(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        return 200, [{"indicatorInburgeringsplicht": True, "begindatum": p.begindatum.isoformat()}]

    def op_get_doelgroep_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, {
            "indeling": p.doelgroep,
            "begindatum": p.begindatum.isoformat(),
            "gedetailleerdeDoelgroep": p.gedetailleerde_doelgroep,
        }

    def op_get_doelgroephistorie_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, [{"indeling": p.doelgroep, "begindatum": p.begindatum.isoformat()}]

    def op_get_inburgeringstermijn_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return (200, p.termijn) if p.termijn else (404, None)

    def op_get_inburgeringstermijnhistorie_by_bsn(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        return 200, p.termijn_historie

    def op_get_verlengingsgronden(self, p: None, params: Params, body: Any) -> Answer:
        return 200, VERLENGINGSGRONDEN

    def op_get_examennummer_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        p.examennummer = p.examennummer or p.bsn[-6:] + "LBT"
        return 200, {"examennummer": p.examennummer}

    def op_delete_examennummer_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        if not p.examennummer:
            return 404, None
        p.examennummer = ""
        return 200, None

    def op_get_lbt_resultaten_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, p.lbt

    def op_get_gratis_pogingen_tegoed_by_bsn(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        free = 2 if p.doelgroep == "Asielstatushouder" else 0
        used = {e["onderdeel"] for e in p.examens}
        return 200, [
            {"onderdeel": o, "gratisPogingenTegoed": max(free - (o in used), 0)}
            for o in ("KNM", "LE", "LU", "SC", "SP")
        ]

    def op_get_examenresultaten_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, p.examens

    def op_get_vrijstellingen_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, p.vrijstellingen

    def op_get_ontheffingen_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return 200, p.ontheffingen

    def op_get_pip_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return (
            (200, {"gemeentecode": self.state.gemeentecode, "pip": p.pip}) if p.pip else (404, None)
        )

    def op_post_pip_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        if not isinstance(body, dict) or "dagtekeningPip" not in body or "leerroute" not in body:
            return 400, None
        previous = rules.parse_date((p.pip or {}).get("dagtekeningPip"))
        doelgroep = rules.DOELGROEP_FROM_DUO.get(p.doelgroep)
        problems = rules.pip_problems(
            payload=body,
            first_pip=p.termijn is None,
            doelgroep=doelgroep,
            plicht_start=p.begindatum,
            vestiging=None,
            previous_dagtekening=previous,
        )
        if problems:
            return 403, rules.foutmeldingen(problems)
        if p.pip is None and body.get("leerroute") in {"B", "O"} and "niveau" not in body:
            body = {**body, "niveau": "B1"}  # DUO: niveau omitted -> B1 for B and O
        p.pip = body
        if p.termijn is None:
            dagtekening = rules.parse_date(body["dagtekeningPip"]) or self.state.today()
            start, end = rules.termijn_for_first_pip(dagtekening=dagtekening)
            p.termijn = {
                "startdatum": start.isoformat(),
                "einddatum": end.isoformat(),
                "wijzigingsdatum": self.state.today().isoformat(),
            }
            p.termijn_historie.append(
                {"einddatum": end.isoformat(), "wijzigingsdatum": self.state.today().isoformat()}
            )
            self.state.queued.append(("SS102", p.bsn))
        return 201, None

    def op_delete_pip_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        if p.pip is None:
            return 404, None
        if p.termijn is not None:
            return 403, rules.foutmeldingen(
                ["De termijn loopt al; het PIP kan niet worden verwijderd."]
            )
        p.pip = None
        return 200, None

    def _resultaat(self, kind: str, p: SimPerson, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 400, None
        field_name = {"map": "datumEindgesprekMap", "pvt": "datumOndertekeningPvt"}.get(
            kind, "datumAfrondingZroute"
        )
        termijn = p.termijn or {}
        problems = rules.resultaat_problems(
            kind=kind,
            datum=rules.parse_date(body.get(field_name)),
            verwijtbaar=body.get("verwijtbaar"),
            today=self.state.today(),
            has_pip=p.pip is not None,
            leerroute=(p.pip or {}).get("leerroute"),
            termijn_start=rules.parse_date(termijn.get("startdatum")),
            termijn_end=rules.parse_date(termijn.get("einddatum")),
            zroute_done_on=rules.parse_date(
                p.resultaten.get("zroute", {}).get("datumAfrondingZroute")
            ),
        )
        if problems:
            return 403, rules.foutmeldingen(problems)
        p.resultaten[kind] = body
        return 200, None

    def op_get_map_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        data = p.resultaten.get("map", {})
        return (
            (200, {"datumEindgesprekMap": data["datumEindgesprekMap"]})
            if "datumEindgesprekMap" in data
            else (404, None)
        )

    def op_get_pvt_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        data = p.resultaten.get("pvt", {})
        return (
            (200, {"datumOndertekeningPvt": data["datumOndertekeningPvt"]})
            if "datumOndertekeningPvt" in data
            else (404, None)
        )

    def op_update_map_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return self._resultaat("map", p, body)

    def op_update_pvt_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return self._resultaat("pvt", p, body)

    def op_update_zroute_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        return self._resultaat("zroute", p, body)

    def op_get_gevolgde_uren_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        names = {
            "taallesknm": "TaallesEnKnmBredeIntake",
            "participatieactiviteiten": "ParticipatieactiviteitenBredeIntake",
            "participatietaalles": "ParticipatieAlsTaalles",
        }
        entry: dict[str, Any] = {"gemeentecode": self.state.gemeentecode}
        entry.update({names[k]: {"uren": v} for k, v in p.uren.items()})
        return 200, [entry]

    def _uren(self, soort: str, p: SimPerson, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or "uren" not in body:
            return 400, None
        problems = rules.uren_problems(
            soort=soort,
            uren=body["uren"],
            leerroute=(p.pip or {}).get("leerroute"),
            doelgroep=rules.DOELGROEP_FROM_DUO.get(p.doelgroep),
        )
        if problems:
            return 403, rules.foutmeldingen(problems)
        p.uren[soort] = body["uren"]
        return 200, None

    def op_update_uren_taalles_en_knm_by_bsn(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        return self._uren("taallesknm", p, body)

    def op_update_uren_participatieactiviteiten(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        return self._uren("participatieactiviteiten", p, body)

    def op_update_uren_participatie_als_taalles_by_bsn(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        return self._uren("participatietaalles", p, body)

    def op_get_instellingen(self, p: None, params: Params, body: Any) -> Answer:
        return 200, INSTELLINGEN

    def op_post_inburgeringsaanbod_by_bsn_and_instellingsnummer(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        if not isinstance(body, dict) or "indicatorAlfabetiseringsonderwijs" not in body:
            return 400, None
        instelling = next(
            (i for i in INSTELLINGEN if i["instellingsnummer"] == params["instellingsnummer"]), None
        )
        termijn = p.termijn or {}
        problems = rules.aanbod_problems(
            doelgroep=rules.DOELGROEP_FROM_DUO.get(p.doelgroep),
            pip_dagtekening=rules.parse_date((p.pip or {}).get("dagtekeningPip")),
            leerroute=(p.pip or {}).get("leerroute"),
            termijn_end=rules.parse_date(termijn.get("einddatum")),
            instelling=instelling,
            datum_aanbod=rules.parse_date(body.get("datumInburgeringsaanbod")),
            verwachte_start=rules.parse_date(body.get("verwachteStartdatumOpleiding")),
            verwachte_eind=rules.parse_date(body.get("verwachteEinddatumOpleiding")),
            alfabetisering=str(body.get("indicatorAlfabetiseringsonderwijs")),
        )
        if problems:
            return 403, rules.foutmeldingen(problems)
        p.aanbod[params["instellingsnummer"]] = body
        return 201, None

    def op_delete_inburgeringsaanbod_by_bsn_and_instellingsnumer(
        self, p: SimPerson, params: Params, body: Any
    ) -> Answer:
        if p.aanbod.pop(params["instellingsnummer"], None) is None:
            return 404, None
        return 204, None

    def op_create_contactpersoon(self, p: None, params: Params, body: Any) -> Answer:
        if not isinstance(body, dict):
            return 400, None
        problems = rules.contactpersoon_problems(
            naam=str(body.get("naam", "")),
            email=str(body.get("email", "")),
            telefoonnummer=str(body.get("telefoonnummer", "")),
        )
        if problems:
            return 403, rules.foutmeldingen(problems)
        new_id = max(self.state.contactpersonen, default=0) + 1
        self.state.contactpersonen[new_id] = body
        return 201, {"id": new_id, "contactpersoongegevens": body}

    def op_update_contactpersoon_by_id(self, p: None, params: Params, body: Any) -> Answer:
        cid = int(params["id"])
        if cid not in self.state.contactpersonen:
            return 404, None
        if not isinstance(body, dict):
            return 400, None
        self.state.contactpersonen[cid] = body
        return 200, None

    def op_delete_contactpersoon_by_id(self, p: None, params: Params, body: Any) -> Answer:
        if self.state.contactpersonen.pop(int(params["id"]), None) is None:
            return 404, None
        return 200, None

    def op_post_contactpersoon_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        cid = int(params["id"])
        if cid not in self.state.contactpersonen:
            return 404, None
        self.state.contact_links.add((cid, p.bsn))
        return 201, None

    def op_delete_contactpersoon_by_bsn(self, p: SimPerson, params: Params, body: Any) -> Answer:
        key = (int(params["id"]), p.bsn)
        if key not in self.state.contact_links:
            return 404, None
        self.state.contact_links.discard(key)
        return 200, None

    # --- notifications after DUO answered ---

    def _notify(self, gebeurtenis_id: str, bsn: str) -> None:
        """Push a notification to Thuis (DUO works asynchronously: shortly after answering)."""
        if not self.state.thuis_url:
            return

        def push() -> None:
            try:
                self.state.push(bsn=bsn, gebeurtenis_id=gebeurtenis_id)
            except requests.RequestException:
                self.state.pushed.append((gebeurtenis_id, 0))

        if self.state.push_sync:
            push()
        else:
            threading.Timer(0.2, push).start()

    # --- control endpoints (not DUO's) ---

    def _control(self, method: str, path: str, raw: bytes) -> tuple[int, Any]:
        if method != "POST":
            return 405, None
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return 400, None
        if not isinstance(data, dict):
            return 400, None
        with self.state.lock:
            if path == "/_simulator/personen":
                if not is_valid_bsn(str(data.get("bsn", ""))):
                    return 400, {"fout": "Geen geldig BSN."}
                if self.state.person(data["bsn"]) is not None:
                    return 200, {"aangemaakt": False}
                person = self.state.add_person(
                    data["bsn"],
                    begindatum=date.fromisoformat(
                        data.get("begindatum") or self.state.today().isoformat()
                    ),
                    doelgroep=data.get("doelgroep", "Asielstatushouder"),
                    gedetailleerde_doelgroep=data.get(
                        "gedetailleerdeDoelgroep", "Asielstatushouder"
                    ),
                )
                return 201, {"aangemaakt": person.bsn == data["bsn"]}  # always True
        if path == "/_simulator/verlengingen":
            with self.state.lock:
                try:
                    person = self.state.extend_termijn(
                        bsn=str(data.get("bsn", "")),
                        months=int(data.get("maanden", 0)),
                        gebeurtenis_id=str(data.get("gebeurtenisId", "SS104")),
                        grondcode=str(data.get("verlengingsgrondcode", "ZIEK")),
                    )
                except (LookupError, ValueError) as exc:
                    return 400, {"fout": str(exc)}
                queued, self.state.queued = self.state.queued, []
            statuses = [self._push_now(code, bsn) for code, bsn in queued]
            return 200, {"termijn": person.termijn, "thuis_status": statuses[-1]}
        if path == "/_simulator/notificaties":
            status = self.state.push(bsn=data["bsn"], gebeurtenis_id=data["gebeurtenisId"])
            return 200, {"thuis_status": status}
        return 404, None

    def _push_now(self, gebeurtenis_id: str, bsn: str) -> int:
        try:
            return self.state.push(bsn=bsn, gebeurtenis_id=gebeurtenis_id)
        except (requests.RequestException, RuntimeError):
            self.state.pushed.append((gebeurtenis_id, 0))
            return 0


def _respond(start_response: StartResponse, status: int, body: Any, version: str) -> list[bytes]:
    payload = b"" if body is None else json.dumps(body).encode()
    headers = [("API-Version", version)]
    if payload:
        headers.append(("Content-Type", "application/json"))
    headers.append(("Content-Length", str(len(payload))))
    start_response(f"{status} {_REASONS.get(status, 'Status')}", headers)
    return [payload]


class _QuietHandler(WSGIRequestHandler):
    """Logs nothing: DUO's paths carry the BSN."""

    def log_message(self, format: str, *args: Any) -> None:
        return


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(
    state: SimulatorState, *, host: str = "127.0.0.1", port: int = 0
) -> tuple[WSGIServer, threading.Thread]:
    """Start the simulator in a background thread; `server.server_port` is the chosen port."""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("De DUO-simulator luistert alleen op loopback.")
    server = make_server(
        host, port, Simulator(state), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="duo-simulator", daemon=True)
    thread.start()
    return server, thread


__all__ = ["SimPerson", "Simulator", "SimulatorState", "serve"]
