"""A client for every DUO M2M API in ../shared/duo-m2m/ (requests, PKIoverheid mutual TLS).

Every call sends the headers DUO requires: `bron` (the gemeente's OIN), `doel` (DUO's OIN) and
`berichtId` (a UUID; deliveries reuse their outbox key so DUO can recognise a retry). DUO's
paths carry the BSN, so neither URLs nor exception texts from requests are ever logged or stored:
errors are rewritten to Dutch messages without the URL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

import requests

from thuis.core.errors import ThuisError

from .specs import OPERATIONS


class DuoError(ThuisError):
    code = "duo_fout"
    retry = False

    def __init__(
        self, message: str, *, status: int | None = None, foutteksten: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.foutteksten = foutteksten or []


class DuoNotConfigured(DuoError):
    code = "duo_niet_ingericht"
    retry = True  # an operator can fix the configuration; keep the message


class DuoUnavailable(DuoError):
    """Network error, timeout, 5xx or 503 (maintenance): try again later."""

    code = "duo_onbereikbaar"
    retry = True


class DuoRejected(DuoError):
    """DUO refused the request (400, 401, 403): sending it again will not help."""

    code = "duo_geweigerd"


class DuoNotFound(DuoError):
    code = "duo_niet_gevonden"


@dataclass(frozen=True, slots=True)
class DuoResponse:
    status: int
    data: Any
    api_version: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class DuoClient:
    def __init__(
        self,
        *,
        base_url: str,
        gemeente_oin: str,
        duo_oin: str,
        timeout: float = 10,
        client_cert: str = "",
        client_key: str = "",
        ca_bundle: str = "",
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.gemeente_oin = gemeente_oin
        self.duo_oin = duo_oin
        self.timeout = timeout
        self.session = session or requests.Session()
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert
        if ca_bundle:
            self.session.verify = ca_bundle

    @classmethod
    def from_settings(cls) -> DuoClient:
        if not (
            settings.THUIS_DUO_BASE_URL and settings.THUIS_DUO_OIN and settings.THUIS_GEMEENTE_OIN
        ):
            raise DuoNotConfigured(
                _(
                    "De DUO-koppeling is niet ingericht (THUIS_DUO_BASE_URL, THUIS_DUO_OIN, "
                    "THUIS_GEMEENTE_OIN)."
                )
            )
        return cls(
            base_url=settings.THUIS_DUO_BASE_URL,
            gemeente_oin=settings.THUIS_GEMEENTE_OIN,
            duo_oin=settings.THUIS_DUO_OIN,
            timeout=settings.THUIS_DUO_TIMEOUT,
            client_cert=settings.THUIS_DUO_CLIENT_CERT,
            client_key=settings.THUIS_DUO_CLIENT_KEY,
            ca_bundle=settings.THUIS_DUO_CA_BUNDLE,
        )

    # --- the generic call ---

    def call(
        self,
        operation_id: str,
        *,
        body: Any = None,
        bericht_id: str | None = None,
        **params: Any,
    ) -> DuoResponse:
        """Call one operation by its operationId. Raises DuoError subclasses on failure."""
        op = OPERATIONS[operation_id]
        headers = {
            "bron": self.gemeente_oin,
            "doel": self.duo_oin,
            "berichtId": bericht_id or str(uuid.uuid4()),
            "Accept": "application/json",
        }
        url = self.base_url + op.url_path({k: str(v) for k, v in params.items()})
        try:
            response = self.session.request(
                op.method,
                url,
                json=body if body is not None else None,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise DuoUnavailable(_("DUO antwoordde niet op tijd.")) from exc
        except requests.RequestException as exc:
            raise DuoUnavailable(
                _("DUO is niet bereikbaar (%(soort)s).") % {"soort": type(exc).__name__}
            ) from exc
        return self._answer(op.api, response)

    def _answer(self, api: str, response: requests.Response) -> DuoResponse:
        status = response.status_code
        data = _json_or_none(response)
        version = response.headers.get("API-Version", "")
        if 200 <= status < 300:
            return DuoResponse(status, data, version, dict(response.headers))
        teksten = _foutteksten(data)
        detail = (": " + " ".join(teksten)) if teksten else "."
        if status == 404:
            raise DuoNotFound(_("DUO kent dit gegeven niet") + detail, status=status)
        if status in {400, 401, 403, 409, 422}:
            raise DuoRejected(
                _("DUO weigerde het bericht (%(status)s)") % {"status": status} + detail,
                status=status,
                foutteksten=teksten,
            )
        raise DuoUnavailable(
            _("DUO gaf een fout (%(status)s)") % {"status": status} + detail, status=status
        )

    def read(self, operation_id: str, **params: Any) -> Any:
        """A read that answers None when DUO has no such resource (404)."""
        try:
            return self.call(operation_id, **params).data
        except DuoNotFound:
            return None

    # --- Inburgeringsplicht ---

    def inburgeringsplicht(self, bsn: str) -> Any:
        return self.read("getInburgeringsplichtByBsn", bsn=bsn)

    def inburgeringsplicht_historie(self, bsn: str) -> Any:
        return self.read("getInburgeringsplichthistorieByBsn", bsn=bsn)

    def doelgroep(self, bsn: str) -> Any:
        return self.read("getDoelgroepByBsn", bsn=bsn)

    def doelgroep_historie(self, bsn: str) -> Any:
        return self.read("getDoelgroephistorieByBsn", bsn=bsn)

    # --- Inburgeringstermijn ---

    def inburgeringstermijn(self, bsn: str) -> Any:
        return self.read("getInburgeringstermijnByBsn", bsn=bsn)

    def inburgeringstermijn_historie(self, bsn: str) -> Any:
        return self.read("getInburgeringstermijnhistorieByBsn", bsn=bsn)

    def verlengingsgronden(self) -> Any:
        return self.read("getVerlengingsgronden")

    # --- Leerbaarheidstoets ---

    def lbt_examennummer(self, bsn: str) -> Any:
        return self.read("getExamennummerByBsn", bsn=bsn)

    def lbt_overgeslagen(self, bsn: str, *, bericht_id: str | None = None) -> DuoResponse:
        return self.call("deleteExamennummerByBsn", bsn=bsn, bericht_id=bericht_id)

    def lbt_resultaten(self, bsn: str) -> Any:
        return self.read("getLbtResultatenByBsn", bsn=bsn)

    # --- Examen, vrijstelling, ontheffing ---

    def examenresultaten(self, bsn: str) -> Any:
        return self.read("getExamenresultatenByBsn", bsn=bsn)

    def gratis_pogingen(self, bsn: str) -> Any:
        return self.read("getGratisPogingenTegoedByBsn", bsn=bsn)

    def vrijstellingen(self, bsn: str) -> Any:
        return self.read("getVrijstellingenByBsn", bsn=bsn)

    def ontheffingen(self, bsn: str) -> Any:
        return self.read("getOntheffingenByBsn", bsn=bsn)

    # --- PIP ---

    def pip(self, bsn: str) -> Any:
        return self.read("getPipByBsn", bsn=bsn)

    def pip_deliver(
        self, bsn: str, pip: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("postPipByBsn", bsn=bsn, body=pip, bericht_id=bericht_id)

    def pip_delete(self, bsn: str, *, bericht_id: str | None = None) -> DuoResponse:
        return self.call("deletePipByBsn", bsn=bsn, bericht_id=bericht_id)

    # --- MAP, PVT, Z-route and hours ---

    def map(self, bsn: str) -> Any:
        return self.read("getMapByBsn", bsn=bsn)

    def pvt(self, bsn: str) -> Any:
        return self.read("getPvtByBsn", bsn=bsn)

    def map_deliver(
        self, bsn: str, body: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("updateMapByBsn", bsn=bsn, body=body, bericht_id=bericht_id)

    def pvt_deliver(
        self, bsn: str, body: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("updatePvtByBsn", bsn=bsn, body=body, bericht_id=bericht_id)

    def zroute_deliver(
        self, bsn: str, body: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("updateZrouteByBsn", bsn=bsn, body=body, bericht_id=bericht_id)

    def gevolgde_uren(self, bsn: str) -> Any:
        return self.read("getGevolgdeUrenByBsn", bsn=bsn)

    def uren_deliver(
        self, bsn: str, soort: str, uren: int, *, bericht_id: str | None = None
    ) -> DuoResponse:
        operation = UREN_OPERATIONS[soort]
        return self.call(operation, bsn=bsn, body={"uren": uren}, bericht_id=bericht_id)

    # --- Inburgeringsaanbod ---

    def instellingen(self) -> Any:
        return self.read("getInstellingen")

    def aanbod_deliver(
        self,
        bsn: str,
        instellingsnummer: str,
        body: dict[str, Any],
        *,
        bericht_id: str | None = None,
    ) -> DuoResponse:
        return self.call(
            "postInburgeringsaanbodByBsnAndInstellingsnummer",
            bsn=bsn,
            instellingsnummer=instellingsnummer,
            body=body,
            bericht_id=bericht_id,
        )

    def aanbod_delete(
        self, bsn: str, instellingsnummer: str, *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call(
            "deleteInburgeringsaanbodByBsnAndInstellingsnumer",
            bsn=bsn,
            instellingsnummer=instellingsnummer,
            bericht_id=bericht_id,
        )

    # --- Contactpersoon ---

    def contactpersoon_create(
        self, gegevens: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("createContactpersoon", body=gegevens, bericht_id=bericht_id)

    def contactpersoon_update(
        self, contactpersoon_id: int, gegevens: dict[str, Any], *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call(
            "updateContactpersoonById", id=contactpersoon_id, body=gegevens, bericht_id=bericht_id
        )

    def contactpersoon_delete(
        self, contactpersoon_id: int, *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call("deleteContactpersoonById", id=contactpersoon_id, bericht_id=bericht_id)

    def contactpersoon_link(
        self, contactpersoon_id: int, bsn: str, *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call(
            "postContactpersoonByBsn", id=contactpersoon_id, bsn=bsn, bericht_id=bericht_id
        )

    def contactpersoon_unlink(
        self, contactpersoon_id: int, bsn: str, *, bericht_id: str | None = None
    ) -> DuoResponse:
        return self.call(
            "deleteContactpersoonByBsn", id=contactpersoon_id, bsn=bsn, bericht_id=bericht_id
        )


UREN_OPERATIONS = {
    "taallesknm": "updateUrenTaallesEnKnmByBSN",
    "participatieactiviteiten": "updateUrenParticipatieactiviteiten",
    "participatietaalles": "updateUrenParticipatieAlsTaallesByBsn",
}


def _json_or_none(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _foutteksten(data: Any) -> list[str]:
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [str(i["fouttekst"]) for i in items if isinstance(i, dict) and i.get("fouttekst")]
