"""DUO's rules as pure functions: notification checks, delivery checks, payloads.

No database, no clock, no I/O: plain values in, a decision out. Thuis runs the delivery checks
before it sends anything, so a regisseur sees the problem in Dutch before DUO rejects it; the
local simulator applies the same checks on DUO's side. The law itself (PIP validity, termijn,
10-week deadline) comes from `thuis.cases.rules`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from thuis.cases import rules as law
from thuis.core.bsn import is_valid_bsn

OIN_LENGTH = 20
MAX_FOUTTEKST = 200
_GEBEURTENIS = re.compile(r"^[0-9A-Z]{1,6}$")
_BSN = re.compile(r"^\d{9}$")
_TELEFOON = re.compile(r"^(\+|[0-9])((\s|\s?(-|\(0\))\s?)?[0-9]){2,15}([,][1-9][0-9]{1,8})?$")

# DUO's value for each leerroute in the PIP API, and back.
LEERROUTE_TO_DUO = {law.Leerroute.B1: "B", law.Leerroute.ONDERWIJS: "O", law.Leerroute.Z: "Z"}
LEERROUTE_FROM_DUO = {v: k for k, v in LEERROUTE_TO_DUO.items()}

# DUO `Doelgroepindeling` / `GedetailleerdeDoelgroep` -> the stored values in cases.choices.
DOELGROEP_FROM_DUO = {
    "Asielstatushouder": "asielstatushouder",
    "Gezinsmigrant en overige migrant": "gezinsmigrant",
}
DETAIL_FROM_DUO = {
    "Asielstatushouder": "asielstatushouder",
    "Geestelijk bedienaar": "geestelijk_bedienaar",
    "Gezinshereniger": "gezinshereniger",
    "Gezinshereniger met Asielstatushouder": "gezinshereniger_asiel",
    "Gezinsvormer": "gezinsvormer",
    "Gezinsvormer met Asielstatushouder": "gezinsvormer_asiel",
    "Overig": "overig",
}
DEFAULT_DETAIL = {"asielstatushouder": "asielstatushouder", "gezinsmigrant": "overig"}


# --- Notificatie API (DUO -> gemeente) ---


@dataclass(frozen=True, slots=True)
class Rejection:
    status: int
    fouttekst: str


@dataclass(frozen=True, slots=True)
class Notification:
    registratie_datum_tijd: datetime
    gebeurtenis_id: str
    bsn: str
    v_nummer: int | None


def check_notification_headers(
    *, bron: str | None, doel: str | None, bericht_id: str | None
) -> Rejection | None:
    """The three required headers are present and well-formed (else 400)."""
    for name, value in (("bron", bron), ("doel", doel), ("berichtId", bericht_id)):
        if not value:
            return Rejection(400, f"De header '{name}' ontbreekt.")
    for name, value in (("bron", bron), ("doel", doel)):
        if len(value or "") != OIN_LENGTH:
            return Rejection(400, f"De header '{name}' is geen OIN van 20 tekens.")
    try:
        uuid.UUID(bericht_id or "")
    except ValueError:
        return Rejection(400, "De header 'berichtId' is geen UUID.")
    return None


def check_notification_parties(
    *, bron: str, doel: str, duo_oin: str, gemeente_oin: str
) -> Rejection | None:
    """Only DUO may send (401 otherwise), and only to this gemeente (403 otherwise)."""
    if not duo_oin or not gemeente_oin:
        return Rejection(503, "De DUO-koppeling is bij deze gemeente nog niet ingericht.")
    if bron != duo_oin:
        return Rejection(401, "De afzender (bron) is niet bekend als DUO.")
    if doel != gemeente_oin:
        return Rejection(403, "Dit bericht is niet voor deze gemeente (doel).")
    return None


def check_client_certificate(
    *, certificate_oin: str | None, duo_oin: str, header_configured: bool, production: bool
) -> Rejection | None:
    """The OIN of the verified client certificate (passed on by the TLS proxy) is DUO's.

    `certificate_oin` is the value of the configured proxy header. Without a configured header
    the check is off, except in production, where the koppeling then stays closed (503: the
    system check `thuis.E201` reports the missing setting). A missing header or another OIN is
    401: the sender cannot be authenticated (the headers `bron` and `doel` alone prove nothing).
    """
    if not header_configured:
        if production:
            return Rejection(503, "De DUO-koppeling is bij deze gemeente nog niet ingericht.")
        return None
    if not duo_oin:
        return Rejection(503, "De DUO-koppeling is bij deze gemeente nog niet ingericht.")
    if (certificate_oin or "").strip() != duo_oin:
        return Rejection(401, "Het certificaat van de afzender is niet dat van DUO.")
    return None


def check_body_size(content_length: str | None, *, limit: int | None) -> Rejection | None:
    """A body over the limit is refused before it is read (400: the spec has no 413)."""
    if limit is None:
        return None
    try:
        length = int(content_length or 0)
    except ValueError:
        return Rejection(400, "De header 'Content-Length' is geen getal.")
    if length > limit:
        return Rejection(400, f"Het bericht is te groot (meer dan {limit} bytes).")
    return None


def parse_notification(raw: bytes, *, content_type: str) -> Notification | Rejection:
    """Read a `Notificatie` body as the spec defines it; a Rejection (400) when it does not fit."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        return Rejection(400, "Het bericht moet JSON zijn (Content-Type: application/json).")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Rejection(400, "Het bericht is geen geldige JSON.")
    if not isinstance(data, dict):
        return Rejection(400, "Het bericht moet een JSON-object zijn.")
    gebeurtenis = data.get("gebeurtenisId")
    if not isinstance(gebeurtenis, str) or not _GEBEURTENIS.match(gebeurtenis):
        return Rejection(400, "gebeurtenisId ontbreekt of is ongeldig (1-6 tekens 0-9 of A-Z).")
    moment = _parse_datetime(data.get("registratieDatumTijd"))
    if moment is None:
        return Rejection(400, "registratieDatumTijd ontbreekt of is geen datum-tijd (RFC 3339).")
    bsn = data.get("bsn", "")
    if bsn != "" and (not isinstance(bsn, str) or not _BSN.match(bsn)):
        return Rejection(400, "bsn moet uit 9 cijfers bestaan.")
    if bsn and not is_valid_bsn(bsn):
        return Rejection(400, "bsn is geen geldig burgerservicenummer (elfproef).")
    v_nummer = data.get("vNummer")
    if v_nummer is not None and (
        isinstance(v_nummer, bool)
        or not isinstance(v_nummer, int)
        or not 0 <= v_nummer <= 9999999999
    ):
        return Rejection(400, "vNummer moet een getal van 0 tot en met 9999999999 zijn.")
    if not bsn and v_nummer is None:
        return Rejection(400, "Het bericht noemt geen persoon (bsn of vNummer).")
    return Notification(moment, gebeurtenis, bsn, v_nummer)


def _parse_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# --- PIP clock and termijn ---


def pip_clock(*, kennisgeving: date, vestiging: date | None) -> law.RuleResult[date | None]:
    """The 10-week PIP deadline after SS139: `cases.rules.pip_deadline` with its fallbacks
    (without a known BRP vestiging the kennisgeving alone; docs/rekenhulp.md)."""
    return law.pip_deadline(kennisgeving_duo=kennisgeving, brp_vestiging=vestiging)


def termijn_for_first_pip(*, dagtekening: date) -> tuple[date, date]:
    """Start and last day of the Wi2021 termijn set by the first PIP (what DUO registers)."""
    start = law.termijn_start(pip_dagtekening=dagtekening).value
    end = law.termijn_end(wet=law.Wet.WI2021, plicht_start=dagtekening, pip_dagtekening=dagtekening)
    return start, end.value or start


def extension_months(*, thuis_end: date, duo_end: date) -> int | None:
    """Whole months DUO added to the termijn (SS103/SS104), or None when it is not whole months.

    `thuis_end` is the last day Thuis computes (first PIP + 3 years + granted extensions);
    `duo_end` the einddatum DUO now reports. 0 means Thuis already knew this end. Months are
    added the way `cases.rules.termijn_end` adds them (calendar months, end of month clipped).
    """
    if duo_end <= thuis_end:
        return 0 if duo_end == thuis_end else None
    diff = relativedelta(duo_end, thuis_end)
    whole = int(diff.years) * 12 + int(diff.months)
    for months in (whole, whole + 1):
        if months >= 1 and thuis_end + relativedelta(months=months) == duo_end:
            return months
    return None


# --- Deliveries (gemeente -> DUO): checks before sending, and the payloads ---


def pip_payload(
    *,
    dagtekening: date,
    leerroute: str,
    niveau: str | None = None,
    geschatte_intensiteit_b1: int | None = None,
    mag_opleiding_afmaken: bool | None = None,
    alfabetisering: str | None = None,
) -> dict[str, object]:
    """The `PIP` schema of PIP.openapi.yml. `leerroute` is DUO's B, O or Z."""
    payload: dict[str, object] = {"dagtekeningPip": dagtekening.isoformat(), "leerroute": leerroute}
    if niveau:
        payload["niveau"] = niveau
    if geschatte_intensiteit_b1 is not None:
        payload["geschatteIntensiteitB1Route"] = geschatte_intensiteit_b1
    if mag_opleiding_afmaken is not None:
        payload["indicatorMagOpleidingAfmaken"] = mag_opleiding_afmaken
    if alfabetisering:
        payload["indicatorAlfabetiseringsonderwijs"] = alfabetisering
    return payload


def pip_problems(
    *,
    payload: Mapping[str, object],
    first_pip: bool,
    doelgroep: str | None,
    plicht_start: date,
    vestiging: date | None,
    previous_dagtekening: date | None,
) -> list[str]:
    """DUO's PIP rules (Wi2021 art. 15; DUO README), as Dutch messages. Empty = DUO accepts."""
    problems: list[str] = []
    leerroute = LEERROUTE_FROM_DUO.get(str(payload.get("leerroute", "")))
    if leerroute is None:
        return ["Kies een leerroute: B1-route, onderwijsroute of Z-route."]
    niveau_raw = payload.get("niveau")
    if niveau_raw not in (None, "A2", "B1"):
        problems.append("Het niveau moet A2 of B1 zijn.")
        niveau_raw = None
    alfa = payload.get("indicatorAlfabetiseringsonderwijs")
    if alfa not in (None, "A", "AA", "NVT"):
        problems.append("Alfabetiseringsonderwijs moet A, AA of NVT zijn.")
    dagtekening = _date(payload.get("dagtekeningPip"))
    if dagtekening is None:
        problems.append("De dagtekening van de PIP ontbreekt of is geen datum.")
    intensiteit = payload.get("geschatteIntensiteitB1Route")
    errors = law.pip_validate(
        leerroute=leerroute,
        niveau=law.Niveau(niveau_raw) if isinstance(niveau_raw, str) else None,
        first_pip=first_pip,
        doelgroep=law.Doelgroep(doelgroep) if doelgroep in set(law.Doelgroep) else None,
        dagtekening=dagtekening,
        plicht_start=plicht_start,
        vestiging=vestiging,
        previous_dagtekening=previous_dagtekening,
        geschatte_intensiteit_b1=intensiteit if isinstance(intensiteit, int) else None,
    )
    return problems + [e.melding for e in errors]


def resultaat_payload(
    *, kind: str, datum: date | None, verwijtbaar: str | None = None
) -> dict[str, object]:
    """`ResultaatMap`, `ResultaatPvt` or `ResultaatZroute` of MAP-PVT-Zroute.openapi.yml."""
    field = {"map": "datumEindgesprekMap", "pvt": "datumOndertekeningPvt"}.get(
        kind, "datumAfrondingZroute"
    )
    payload: dict[str, object] = {}
    if datum is not None:
        payload[field] = datum.isoformat()
    if verwijtbaar and kind in {"map", "pvt"}:
        payload["verwijtbaar"] = verwijtbaar
    return payload


def resultaat_problems(
    *,
    kind: str,
    datum: date | None,
    verwijtbaar: str | None,
    today: date,
    has_pip: bool,
    leerroute: str | None,
    termijn_start: date | None,
    termijn_end: date | None,
    zroute_done_on: date | None = None,
) -> list[str]:
    """DUO's rules for MAP, PVT and Z-route results (DUO README, §3.2 of the domain notes)."""
    if kind not in {"map", "pvt", "zroute"}:
        return ["Onbekend soort resultaat."]
    if not has_pip:
        return ["DUO neemt dit alleen aan als uw gemeente het actuele PIP heeft doorgegeven."]
    if termijn_start is None or termijn_end is None:
        return [
            "De inburgeringstermijn is nog niet bekend bij DUO. Wacht op de start van de termijn."
        ]
    problems: list[str] = []
    if kind == "zroute" and leerroute not in (None, "Z"):
        problems.append("Afronding van de Z-route kan alleen als de leerroute de Z-route is.")
    if kind == "map" and leerroute == "O":
        problems.append("In de onderwijsroute is er geen MAP om door te geven.")
    if datum is None and not verwijtbaar:
        problems.append(
            "Vul een datum in (of, bij MAP en PVT, of het te laat zijn verwijtbaar is)."
        )
    if datum is None and kind == "zroute":
        problems.append("Vul de datum van afronding van de Z-route in.")
    if datum is not None:
        problems += [
            e.melding
            for e in law.mapvt_date_validate(
                datum=datum,
                termijn_start=termijn_start,
                today=today,
                z_route_done_on=zroute_done_on if kind != "zroute" else None,
            )
        ]
    if verwijtbaar:
        if kind == "zroute":
            problems.append("Bij de Z-route geeft u geen verwijtbaarheid door.")
        elif verwijtbaar not in {"Ja", "Nee"}:
            problems.append("Verwijtbaar moet Ja of Nee zijn.")
        elif datum is not None and datum <= termijn_end:
            problems.append("De datum ligt binnen de termijn. Laat 'verwijtbaar' dan leeg.")
        else:
            allowed = law.mapvt_verwijtbaarheid(termijn_end=termijn_end, today=today).value
            if allowed is None:
                problems.append(
                    "De termijn eindigt later dan over 2 maanden. Geef 'verwijtbaar' nog niet door."
                )
            elif verwijtbaar == "Ja" and allowed != "Ja":
                problems.append("'Verwijtbaar: Ja' kan pas als de termijn voorbij is.")
    return problems


def uren_problems(
    *, soort: str, uren: object, leerroute: str | None, doelgroep: str | None
) -> list[str]:
    problems: list[str] = []
    if soort not in {"taallesknm", "participatieactiviteiten", "participatietaalles"}:
        problems.append("Onbekend soort uren.")
    if isinstance(uren, bool) or not isinstance(uren, int) or not 0 <= uren <= 9999:
        problems.append("Het aantal uren moet een heel getal van 0 tot en met 9999 zijn.")
    if soort == "participatieactiviteiten" and (
        leerroute != "Z" or doelgroep != law.Doelgroep.ASIELSTATUSHOUDER
    ):
        problems.append(
            "Uren participatieactiviteiten gelden alleen voor een asielstatushouder in de Z-route."
        )
    return problems


def aanbod_problems(
    *,
    doelgroep: str | None,
    pip_dagtekening: date | None,
    leerroute: str | None,
    termijn_end: date | None,
    instelling: Mapping[str, object] | None,
    datum_aanbod: date | None,
    verwachte_start: date | None,
    verwachte_eind: date | None,
    alfabetisering: str,
) -> list[str]:
    """DUO's rules for an inburgeringsaanbod (Wi2021 art. 16; DUO README)."""
    problems: list[str] = []
    if doelgroep != law.Doelgroep.ASIELSTATUSHOUDER:
        problems.append("Een inburgeringsaanbod geeft u alleen door voor een asielstatushouder.")
    if pip_dagtekening is None:
        problems.append("Geef eerst de PIP door. Een inburgeringsaanbod kan pas daarna.")
    if alfabetisering not in {"A", "AA", "NVT"}:
        problems.append("Alfabetiseringsonderwijs moet A, AA of NVT zijn.")
    if instelling is None:
        problems.append("Deze instelling is niet bekend bij DUO.")
    elif leerroute == "O" and not instelling.get("indicatieTstKeurmerk"):
        problems.append("Voor de onderwijsroute moet de instelling een TST-keurmerk hebben.")
    elif leerroute != "O" and not instelling.get("indicatieBowKeurmerk"):
        problems.append("De instelling heeft geen keurmerk van Blik op Werk.")
    dates = [d for d in (datum_aanbod, verwachte_start, verwachte_eind) if d is not None]
    if pip_dagtekening is not None and any(d < pip_dagtekening for d in dates):
        problems.append("Een datum ligt vóór de dagtekening van de PIP.")
    if termijn_end is not None and any(d > termijn_end for d in dates):
        problems.append("Een datum ligt na het einde van de inburgeringstermijn.")
    if verwachte_start and verwachte_eind and verwachte_eind < verwachte_start:
        problems.append("De einddatum van de opleiding ligt vóór de startdatum.")
    return problems


def contactpersoon_problems(*, naam: str, email: str, telefoonnummer: str) -> list[str]:
    problems: list[str] = []
    if not naam.strip() or len(naam) > 100:
        problems.append("Vul een naam in van hoogstens 100 tekens.")
    if not 4 <= len(email) <= 241 or "@" not in email:
        problems.append("Vul een geldig e-mailadres in.")
    if not _TELEFOON.match(telefoonnummer):
        problems.append("Vul een geldig telefoonnummer in (bijvoorbeeld 0529 123456).")
    return problems


def foutmeldingen(problems: list[str]) -> list[dict[str, str]]:
    """DUO's `Foutmelding` array (fouttekst at most 200 characters)."""
    return [{"fouttekst": p[:MAX_FOUTTEKST]} for p in problems]


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """An ISO date from a DUO resource, or None."""
    return _date(value)
