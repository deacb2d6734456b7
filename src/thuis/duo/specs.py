"""The DUO M2M APIs as Thuis knows them: versions, operations and where the specs live.

The OpenAPI files themselves stay in ../shared/duo-m2m/ (DUO's publication); they are read by
the conformance tests, never copied into the repository. `THUIS_DUO_SPECS` overrides the folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# API name -> (spec file, info.version of that file). A test checks both against the specs.
APIS: dict[str, tuple[str, str]] = {
    "Notificatie": ("Notificatie.openapi.yml", "1.8.0"),
    "Inburgeringsplicht": ("Inburgeringsplicht.openapi.yml", "1.2.2"),
    "Inburgeringstermijn": ("Inburgeringstermijn.openapi.yml", "1.0.0"),
    "Leerbaarheidstoets": ("Leerbaarheidstoets.openapi.yml", "1.2.0"),
    "Examen": ("Examen.openapi.yml", "1.0.0"),
    "Vrijstelling": ("Vrijstelling.openapi.yml", "1.0.0"),
    "Ontheffing": ("Ontheffing.openapi.yml", "1.0.0"),
    "PIP": ("PIP.openapi.yml", "1.2.0"),
    "Contactpersoon": ("Contactpersoon.openapi.yml", "1.0.0"),
    "Inburgeringsaanbod": ("Inburgeringsaanbod.openapi.yml", "1.2.0"),
    "MAP-PVT-Zroute": ("MAP-PVT-Zroute.openapi.yml", "1.0.0"),
    "GevolgdeUren": ("GevolgdeUren.openapi.yml", "1.0.0"),
}

NOTIFICATIE_API_VERSION = APIS["Notificatie"][1]


@dataclass(frozen=True, slots=True)
class Operation:
    api: str
    method: str
    path: str

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)
        return re.compile(f"^{regex}$")

    def url_path(self, params: dict[str, str]) -> str:
        return self.path.format(**params)


# Every operation DUO publishes for gemeenten (operationId -> API, method, path).
OPERATIONS: dict[str, Operation] = {
    # Inburgeringsplicht (SDI005)
    "getInburgeringsplichtByBsn": Operation(
        "Inburgeringsplicht", "GET", "/personen/{bsn}/inburgeringsplicht"
    ),
    "getInburgeringsplichthistorieByBsn": Operation(
        "Inburgeringsplicht", "GET", "/personen/{bsn}/inburgeringsplicht/historie"
    ),
    "getDoelgroepByBsn": Operation("Inburgeringsplicht", "GET", "/personen/{bsn}/doelgroep"),
    "getDoelgroephistorieByBsn": Operation(
        "Inburgeringsplicht", "GET", "/personen/{bsn}/doelgroep/historie"
    ),
    # Inburgeringstermijn (SDI007)
    "getInburgeringstermijnByBsn": Operation(
        "Inburgeringstermijn", "GET", "/personen/{bsn}/inburgeringstermijn"
    ),
    "getInburgeringstermijnhistorieByBsn": Operation(
        "Inburgeringstermijn", "GET", "/personen/{bsn}/inburgeringstermijn/historie"
    ),
    "getVerlengingsgronden": Operation("Inburgeringstermijn", "GET", "/verlengingsgronden"),
    # Leerbaarheidstoets (SDI006)
    "getExamennummerByBsn": Operation(
        "Leerbaarheidstoets", "GET", "/personen/{bsn}/lbt/examennummer"
    ),
    "deleteExamennummerByBsn": Operation(
        "Leerbaarheidstoets", "DELETE", "/personen/{bsn}/lbt/examennummer"
    ),
    "getLbtResultatenByBsn": Operation(
        "Leerbaarheidstoets", "GET", "/personen/{bsn}/lbt/resultaten"
    ),
    # Examen (SDI017)
    "getGratisPogingenTegoedByBsn": Operation(
        "Examen", "GET", "/personen/{bsn}/examens/gratispogingen"
    ),
    "getExamenresultatenByBsn": Operation("Examen", "GET", "/personen/{bsn}/examens/resultaten"),
    # Vrijstelling (SDI012), Ontheffing (SDI013)
    "getVrijstellingenByBsn": Operation("Vrijstelling", "GET", "/personen/{bsn}/vrijstellingen"),
    "getOntheffingenByBsn": Operation("Ontheffing", "GET", "/personen/{bsn}/ontheffingen"),
    # PIP (SDI014)
    "getPipByBsn": Operation("PIP", "GET", "/personen/{bsn}/PIP"),
    "postPipByBsn": Operation("PIP", "POST", "/personen/{bsn}/PIP"),
    "deletePipByBsn": Operation("PIP", "DELETE", "/personen/{bsn}/PIP"),
    # Contactpersoon (SDI014)
    "createContactpersoon": Operation("Contactpersoon", "POST", "/contactpersonen"),
    "updateContactpersoonById": Operation("Contactpersoon", "PUT", "/contactpersonen/{id}"),
    "deleteContactpersoonById": Operation("Contactpersoon", "DELETE", "/contactpersonen/{id}"),
    "postContactpersoonByBsn": Operation(
        "Contactpersoon", "POST", "/contactpersonen/{id}/personen/{bsn}"
    ),
    "deleteContactpersoonByBsn": Operation(
        "Contactpersoon", "DELETE", "/contactpersonen/{id}/personen/{bsn}"
    ),
    # Inburgeringsaanbod (SDI014)
    "getInstellingen": Operation("Inburgeringsaanbod", "GET", "/instellingen"),
    "postInburgeringsaanbodByBsnAndInstellingsnummer": Operation(
        "Inburgeringsaanbod", "POST", "/personen/{bsn}/Inburgeringsaanbod/{instellingsnummer}"
    ),
    "deleteInburgeringsaanbodByBsnAndInstellingsnumer": Operation(
        "Inburgeringsaanbod", "DELETE", "/personen/{bsn}/Inburgeringsaanbod/{instellingsnummer}"
    ),
    # MAP, PVT, Z-route (SDI016)
    "getMapByBsn": Operation("MAP-PVT-Zroute", "GET", "/personen/{bsn}/map"),
    "updateMapByBsn": Operation("MAP-PVT-Zroute", "PUT", "/personen/{bsn}/map"),
    "getPvtByBsn": Operation("MAP-PVT-Zroute", "GET", "/personen/{bsn}/pvt"),
    "updatePvtByBsn": Operation("MAP-PVT-Zroute", "PUT", "/personen/{bsn}/pvt"),
    "updateZrouteByBsn": Operation("MAP-PVT-Zroute", "PUT", "/personen/{bsn}/zroute"),
    # Gevolgde uren (SDI016)
    "getGevolgdeUrenByBsn": Operation("GevolgdeUren", "GET", "/personen/{bsn}/uren"),
    "updateUrenTaallesEnKnmByBSN": Operation(
        "GevolgdeUren", "PUT", "/personen/{bsn}/uren/bredeintake/taallesknm"
    ),
    "updateUrenParticipatieactiviteiten": Operation(
        "GevolgdeUren", "PUT", "/personen/{bsn}/uren/participatieactiviteiten"
    ),
    "updateUrenParticipatieAlsTaallesByBsn": Operation(
        "GevolgdeUren", "PUT", "/personen/{bsn}/uren/participatietaalles"
    ),
}


def api_version(api: str) -> str:
    return APIS[api][1]


def find_operation(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The operationId and path parameters for a request path (without the base path)."""
    for operation_id, op in OPERATIONS.items():
        if op.method != method:
            continue
        match = op.pattern.match(path)
        if match:
            return operation_id, match.groupdict()
    return None


def spec_dir() -> Path | None:
    """../shared/duo-m2m next to the checkout (or THUIS_DUO_SPECS); None when absent."""
    override = os.environ.get("THUIS_DUO_SPECS")
    path = Path(override) if override else Path(settings.BASE_DIR).parent / "shared" / "duo-m2m"
    return path if path.is_dir() else None
