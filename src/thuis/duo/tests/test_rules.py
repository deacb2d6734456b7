"""Pure rule checks: no database, no clock."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from thuis.core.outbox import policy_for
from thuis.duo import rules

BSN = "111222333"  # elfproef-valid
OIN_A = "A" * 20
OIN_B = "B" * 20
UUID = "0b7e2f4c-7d4a-4c2a-9a53-3f1d2b0f6a11"


@pytest.mark.parametrize(
    ("bron", "doel", "bericht_id", "status", "fragment"),
    [
        (None, OIN_B, UUID, 400, "'bron' ontbreekt"),
        (OIN_A, "", UUID, 400, "'doel' ontbreekt"),
        (OIN_A, OIN_B, None, 400, "'berichtId' ontbreekt"),
        ("kort", OIN_B, UUID, 400, "'bron' is geen OIN"),
        (OIN_A, OIN_B, "geen-uuid", 400, "geen UUID"),
    ],
)
def test_notification_headers(
    bron: str | None, doel: str | None, bericht_id: str | None, status: int, fragment: str
) -> None:
    rejection = rules.check_notification_headers(bron=bron, doel=doel, bericht_id=bericht_id)
    assert rejection is not None
    assert rejection.status == status
    assert fragment in rejection.fouttekst


def test_notification_headers_ok() -> None:
    assert rules.check_notification_headers(bron=OIN_A, doel=OIN_B, bericht_id=UUID) is None


@pytest.mark.parametrize(
    ("bron", "doel", "duo", "gemeente", "status"),
    [
        (OIN_A, OIN_B, "", OIN_B, 503),
        (OIN_B, OIN_B, OIN_A, OIN_B, 401),
        (OIN_A, OIN_A, OIN_A, OIN_B, 403),
    ],
)
def test_notification_parties(bron: str, doel: str, duo: str, gemeente: str, status: int) -> None:
    rejection = rules.check_notification_parties(
        bron=bron, doel=doel, duo_oin=duo, gemeente_oin=gemeente
    )
    assert rejection is not None and rejection.status == status
    assert (
        rules.check_notification_parties(bron=OIN_A, doel=OIN_B, duo_oin=OIN_A, gemeente_oin=OIN_B)
        is None
    )


def _body(**fields: object) -> bytes:
    data: dict[str, object] = {
        "registratieDatumTijd": "2026-03-02T09:15:00Z",
        "gebeurtenisId": "SS139",
        "bsn": BSN,
    }
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not None}).encode()


@pytest.mark.parametrize(
    ("raw", "content_type", "fragment"),
    [
        (b"{", "application/json", "geen geldige JSON"),
        (b"[]", "application/json", "JSON-object"),
        (_body(), "text/plain", "Content-Type"),
        (_body(gebeurtenisId="ss139"), "application/json", "gebeurtenisId"),
        (_body(gebeurtenisId="SS1234567"), "application/json", "gebeurtenisId"),
        (_body(gebeurtenisId=None), "application/json", "gebeurtenisId"),
        (_body(registratieDatumTijd="2026-03-02"), "application/json", "registratieDatumTijd"),
        (_body(registratieDatumTijd="2026-03-02T09:15:00"), "application/json", "RFC 3339"),
        (_body(bsn="12345678"), "application/json", "9 cijfers"),
        (_body(bsn="123456789"), "application/json", "elfproef"),
        (_body(vNummer=-1), "application/json", "vNummer"),
        (_body(vNummer=True), "application/json", "vNummer"),
        (_body(bsn=None), "application/json", "geen persoon"),
    ],
)
def test_parse_notification_rejects(raw: bytes, content_type: str, fragment: str) -> None:
    result = rules.parse_notification(raw, content_type=content_type)
    assert isinstance(result, rules.Rejection)
    assert result.status == 400
    assert fragment in result.fouttekst
    assert len(result.fouttekst) <= rules.MAX_FOUTTEKST


def test_parse_notification_accepts() -> None:
    result = rules.parse_notification(
        _body(vNummer=1234567890, extra="mag"), content_type="application/json; charset=utf-8"
    )
    assert result == rules.Notification(
        datetime(2026, 3, 2, 9, 15, tzinfo=UTC), "SS139", BSN, 1234567890
    )


def test_pip_clock_is_ten_weeks_after_the_later_date() -> None:
    assert rules.pip_clock(kennisgeving=date(2026, 3, 2), vestiging=None).value == date(2026, 5, 11)
    later = rules.pip_clock(kennisgeving=date(2026, 3, 2), vestiging=date(2026, 4, 1))
    assert later.value == date(2026, 6, 10)


def test_termijn_for_first_pip() -> None:
    assert rules.termijn_for_first_pip(dagtekening=date(2022, 7, 15)) == (
        date(2022, 7, 16),
        date(2025, 7, 15),
    )


def _pip_problems(**kw: object) -> list[str]:
    payload = rules.pip_payload(
        dagtekening=kw.pop("dagtekening", date(2026, 4, 1)),  # type: ignore[arg-type]
        leerroute=kw.pop("leerroute", "B"),  # type: ignore[arg-type]
        niveau=kw.pop("niveau", None),  # type: ignore[arg-type]
        geschatte_intensiteit_b1=kw.pop("intensiteit", None),  # type: ignore[arg-type]
    )
    args: dict[str, object] = {
        "first_pip": True,
        "doelgroep": "asielstatushouder",
        "plicht_start": date(2026, 1, 10),
        "vestiging": date(2026, 2, 1),
        "previous_dagtekening": None,
    }
    args.update(kw)
    return rules.pip_problems(payload=payload, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"leerroute": "O", "niveau": "A2"}, "onderwijsroute"),
        ({"leerroute": "Z", "niveau": "B1"}, "Z-route"),
        ({"leerroute": "B", "niveau": "A2"}, "eerste PIP"),
        ({"dagtekening": date(2026, 1, 1)}, "start van de plicht"),
        ({"dagtekening": date(2026, 1, 20)}, "vestiging"),
        ({"first_pip": False, "previous_dagtekening": date(2026, 5, 1)}, "vorige PIP"),
        ({"intensiteit": 500, "doelgroep": "gezinsmigrant"}, "asielstatushouder"),
        ({"leerroute": "X"}, "Kies een leerroute"),
    ],
)
def test_pip_problems(kwargs: dict[str, object], fragment: str) -> None:
    problems = _pip_problems(**kwargs)
    assert any(fragment in p for p in problems), problems


def test_pip_without_problems_and_payload() -> None:
    assert _pip_problems(intensiteit=800) == []
    assert _pip_problems(leerroute="B", niveau="A2", first_pip=False) == []
    assert rules.pip_payload(
        dagtekening=date(2026, 4, 1), leerroute="Z", mag_opleiding_afmaken=False, alfabetisering="A"
    ) == {
        "dagtekeningPip": "2026-04-01",
        "leerroute": "Z",
        "indicatorMagOpleidingAfmaken": False,
        "indicatorAlfabetiseringsonderwijs": "A",
    }


TERMIJN = {"termijn_start": date(2023, 5, 2), "termijn_end": date(2026, 5, 1)}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"has_pip": False}, "actuele PIP"),
        ({"termijn_start": None}, "termijn is nog niet bekend"),
        ({"datum": date(2023, 5, 1)}, "vóór de start"),
        ({"datum": date(2026, 2, 2)}, "toekomst"),
        ({"datum": date(2024, 1, 1), "verwijtbaar": "Nee"}, "Laat 'verwijtbaar' dan leeg"),
        (
            {"datum": None, "verwijtbaar": "Ja", "today": date(2026, 4, 1)},
            "pas als de termijn voorbij",
        ),
        ({"datum": None, "verwijtbaar": "Nee", "today": date(2025, 1, 1)}, "later dan over 2"),
        ({"kind": "zroute", "leerroute": "B"}, "Z-route"),
        ({"kind": "map", "leerroute": "O"}, "onderwijsroute"),
        ({"datum": None}, "Vul een datum in"),
        ({"datum": date(2024, 6, 1), "zroute_done_on": date(2024, 5, 1)}, "Z-route"),
    ],
)
def test_resultaat_problems(kwargs: dict[str, object], fragment: str) -> None:
    args: dict[str, object] = {
        "kind": "pvt",
        "datum": date(2024, 1, 1),
        "verwijtbaar": None,
        "today": date(2026, 2, 1),
        "has_pip": True,
        "leerroute": "B",
        **TERMIJN,
    }
    args.update(kwargs)
    problems = rules.resultaat_problems(**args)  # type: ignore[arg-type]
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"datum": date(2024, 1, 1)},
        {"datum": None, "verwijtbaar": "Nee", "today": date(2026, 3, 15)},
        {"datum": None, "verwijtbaar": "Ja", "today": date(2026, 5, 2)},
        {"datum": date(2026, 5, 2), "verwijtbaar": "Ja", "today": date(2026, 5, 3)},
        {"kind": "zroute", "leerroute": "Z", "datum": date(2025, 1, 1)},
    ],
)
def test_resultaat_accepted(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {
        "kind": "pvt",
        "verwijtbaar": None,
        "today": date(2026, 2, 1),
        "has_pip": True,
        "leerroute": "B",
        **TERMIJN,
    }
    args.update(kwargs)
    assert rules.resultaat_problems(**args) == []  # type: ignore[arg-type]


def test_uren_aanbod_and_contactpersoon() -> None:
    assert rules.uren_problems(soort="taallesknm", uren=120, leerroute="B", doelgroep=None) == []
    assert rules.uren_problems(soort="taallesknm", uren=10000, leerroute="B", doelgroep=None)
    assert rules.uren_problems(
        soort="participatieactiviteiten", uren=10, leerroute="B", doelgroep="asielstatushouder"
    )
    instelling = {"indicatieBowKeurmerk": True, "indicatieTstKeurmerk": False}
    base = {
        "doelgroep": "asielstatushouder",
        "pip_dagtekening": date(2026, 4, 1),
        "leerroute": "B",
        "termijn_end": date(2029, 4, 1),
        "instelling": instelling,
        "datum_aanbod": date(2026, 4, 10),
        "verwachte_start": date(2026, 5, 1),
        "verwachte_eind": date(2027, 5, 1),
        "alfabetisering": "NVT",
    }
    assert rules.aanbod_problems(**base) == []  # type: ignore[arg-type]
    assert any(
        "TST" in p
        for p in rules.aanbod_problems(**{**base, "leerroute": "O"})  # type: ignore[arg-type]
    )
    assert any(
        "vóór de dagtekening" in p
        for p in rules.aanbod_problems(**{**base, "datum_aanbod": date(2026, 3, 1)})  # type: ignore[arg-type]
    )
    assert (
        rules.contactpersoon_problems(
            naam="J. de Vries", email="inburgering@dalfsen.nl", telefoonnummer="0529 488 388"
        )
        == []
    )
    assert len(rules.contactpersoon_problems(naam="", email="x", telefoonnummer="abc")) == 3


def test_backoff_grows_and_is_capped() -> None:
    policy = policy_for("duo_outbox")  # the outbox's limits come from THUIS_OUTBOXES
    delays = [policy.delay(n) for n in range(1, 10)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(delays) == timedelta(hours=1)
    assert not policy.gives_up(policy.max_attempts - 1)
    assert policy.gives_up(policy.max_attempts)
    assert policy.max_attempts == 24
    # the retries together outlast a DUO outage of many hours (SECURITY.md G15: >= 10 minutes)
    total = sum((policy.delay(n) for n in range(1, policy.max_attempts)), timedelta())
    assert total > timedelta(hours=12)


def test_foutmeldingen_are_at_most_200_characters() -> None:
    assert rules.foutmeldingen(["x" * 300]) == [{"fouttekst": "x" * 200}]
