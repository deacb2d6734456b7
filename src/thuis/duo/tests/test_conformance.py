"""Conformance with DUO's specs (../shared/duo-m2m): every request Thuis sends, every answer.

Skips with a clear message when the specs folder is absent (see conftest.specs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from thuis.duo.client import DuoClient, DuoError, DuoNotFound, DuoRejected
from thuis.duo.specs import APIS, OPERATIONS, find_operation

from .conftest import Recorder


def test_every_operation_in_the_specs_is_known_to_thuis(specs: Path) -> None:
    found: dict[str, tuple[str, str, str]] = {}
    for api, (filename, version) in APIS.items():
        spec = yaml.safe_load((specs / filename).read_text(encoding="utf-8"))
        assert spec["info"]["version"] == version, f"{api}: spec version changed"
        if api == "Notificatie":
            continue  # served by Thuis, not called
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method in {"get", "post", "put", "delete", "patch"}:
                    found[op["operationId"]] = (api, method.upper(), path)
    known = {k: (v.api, v.method, v.path) for k, v in OPERATIONS.items()}
    assert known == found


def test_every_operation_has_a_client_method_and_a_simulator_handler() -> None:
    from thuis.duo.simulator import Simulator, handler_name

    source = Path(__file__).parents[1].joinpath("client.py").read_text()
    for operation_id in OPERATIONS:
        assert hasattr(Simulator, handler_name(operation_id)), operation_id
        assert f'"{operation_id}"' in source, f"no DuoClient method calls {operation_id}"


def _exercise_every_operation(client: DuoClient, bsn: str, z_bsn: str) -> None:
    """Call each DUO operation once, the way Thuis does."""
    client.inburgeringsplicht(bsn)
    client.inburgeringsplicht_historie(bsn)
    client.doelgroep(bsn)
    client.doelgroep_historie(bsn)
    assert client.inburgeringstermijn(bsn) is None  # 404 before the first PIP
    client.verlengingsgronden()
    assert client.lbt_examennummer(bsn)["examennummer"]
    client.lbt_overgeslagen(bsn)
    client.lbt_resultaten(bsn)
    client.examenresultaten(bsn)
    client.gratis_pogingen(bsn)
    client.vrijstellingen(bsn)
    client.ontheffingen(bsn)
    with pytest.raises(DuoRejected) as refused:
        client.pip_deliver(bsn, {"dagtekeningPip": "2026-03-01", "leerroute": "O", "niveau": "A2"})
    assert refused.value.code == "duo_geweigerd"
    assert refused.value.status == 403 and refused.value.foutteksten
    client.pip_deliver(bsn, {"dagtekeningPip": "2026-03-01", "leerroute": "B"})
    assert client.pip(bsn)["pip"]["niveau"] == "B1"
    assert client.inburgeringstermijn(bsn)["einddatum"] == "2029-03-01"
    client.inburgeringstermijn_historie(bsn)
    with pytest.raises(DuoRejected) as exc:
        client.pip_delete(bsn)  # the termijn runs: DUO keeps the PIP
    assert exc.value.code == "duo_geweigerd"
    client.pvt_deliver(bsn, {"datumOndertekeningPvt": "2026-04-01"})
    client.map_deliver(bsn, {"datumEindgesprekMap": "2026-05-01"})
    assert client.pvt(bsn) == {"datumOndertekeningPvt": "2026-04-01"}
    assert client.map(bsn) == {"datumEindgesprekMap": "2026-05-01"}
    client.uren_deliver(bsn, "taallesknm", 40)
    client.uren_deliver(bsn, "participatietaalles", 12)
    client.gevolgde_uren(bsn)
    instellingen = client.instellingen()
    nummer = instellingen[0]["instellingsnummer"]
    client.aanbod_deliver(
        bsn,
        nummer,
        {"indicatorAlfabetiseringsonderwijs": "NVT", "verwachteStartdatumOpleiding": "2026-04-01"},
    )
    client.aanbod_delete(bsn, nummer)
    created = client.contactpersoon_create(
        {
            "naam": "Team Inburgering",
            "email": "inburgering@example.nl",
            "telefoonnummer": "0529 488 388",
        }
    ).data
    cid = created["id"]
    client.contactpersoon_update(
        cid, {**created["contactpersoongegevens"], "naam": "Team Integratie"}
    )
    client.contactpersoon_link(cid, bsn)
    client.contactpersoon_unlink(cid, bsn)
    client.contactpersoon_delete(cid)
    # Z-route for a second person
    client.pip_deliver(z_bsn, {"dagtekeningPip": "2026-03-01", "leerroute": "Z", "niveau": "A2"})
    client.zroute_deliver(z_bsn, {"datumAfrondingZroute": "2026-06-01"})
    client.uren_deliver(z_bsn, "participatieactiviteiten", 100)
    with pytest.raises(DuoNotFound) as exc:
        client.call("getPipByBsn", bsn="111222333")  # DUO does not know this person
    assert exc.value.code == "duo_niet_gevonden"


@pytest.mark.django_db
def test_every_request_thuis_sends_and_every_answer_conforms(
    simulator: Any,
    sim_person: Callable[..., str],
    recorder: Recorder,
    openapi: Callable[[str, str], Any],
    duo_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

    monkeypatch.setattr(simulator, "today", lambda: date(2026, 7, 1))
    bsn = sim_person(begindatum=date(2026, 1, 5))
    z_bsn = sim_person(begindatum=date(2026, 1, 5))
    _exercise_every_operation(DuoClient.from_settings(), bsn, z_bsn)
    base = duo_settings.THUIS_DUO_BASE_URL
    seen: set[str] = set()
    for response in recorder.exchanges:
        path = urlsplit(response.request.url).path.removeprefix(urlsplit(base).path)
        found = find_operation(response.request.method or "", path)
        assert found is not None, "Thuis called a path that is not in DUO's specs"
        operation_id, _params = found
        seen.add(operation_id)
        api = openapi(OPERATIONS[operation_id].api, base)
        request = RequestsOpenAPIRequest(response.request)
        api.validate_request(request)
        api.validate_response(request, RequestsOpenAPIResponse(response))
    assert seen == set(OPERATIONS), sorted(set(OPERATIONS) - seen)


@pytest.mark.django_db
def test_conformance_check_can_fail(
    simulator: Any,
    sim_person: Callable[..., str],
    recorder: Recorder,
    openapi: Callable[[str, str], Any],
    duo_settings: Any,
) -> None:
    """A request without `doel` or with a bad body is reported by the validator."""
    from openapi_core.contrib.requests import RequestsOpenAPIRequest

    client = DuoClient.from_settings()
    bsn = sim_person()
    client.session.headers["doel"] = None  # type: ignore[assignment]
    client.doel_oin = ""
    with pytest.raises(DuoError) as exc:
        client.pip_deliver(bsn, {"leerroute": "Q"})
    assert exc.value.code == "duo_geweigerd"
    response = recorder.exchanges[-1]
    assert response.status_code == 400
    api = openapi("PIP", duo_settings.THUIS_DUO_BASE_URL)
    with pytest.raises(Exception, match=r"(?i)(doel|leerroute|dagtekeningPip|header|body)"):
        api.validate_request(RequestsOpenAPIRequest(response.request))


@pytest.mark.django_db
def test_a_repeated_bericht_id_is_handled_once_by_duo(
    simulator: Any, sim_person: Callable[..., str], duo_settings: Any
) -> None:
    client = DuoClient.from_settings()
    bsn = sim_person(begindatum=date(2026, 1, 5))
    key = "6f0c2b9a-5d1e-4c8b-9a37-0e2f4b1d8c55"
    first = client.pip_deliver(
        bsn, {"dagtekeningPip": "2026-03-01", "leerroute": "B"}, bericht_id=key
    )
    again = client.pip_deliver(
        bsn, {"dagtekeningPip": "2026-03-01", "leerroute": "B"}, bericht_id=key
    )
    assert first.status == again.status == 201
    assert len(simulator.persons[bsn].termijn_historie) == 1
