"""The rekenhulp: `thuis rekenhulp`, POST /api/v1/rekenhulp/ and the /rekenhulp/ page agree."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client

import pytest

from thuis.accounts.choices import Role

ROOT = Path(__file__).resolve().parents[4]
THUIS = ROOT / ".venv" / "bin" / "thuis"

# A leap-day PIP: the termijn starts on 1 March and 29 February + 3 years is 28 February.
FACTS = {
    "plicht_start": "2023-03-01",
    "doelgroep": "asielstatushouder",
    "kennisgeving_duo": "2023-12-01",
    "brp_vestiging": "2024-01-15",
    "pip_dagtekening": "2024-02-29",
    "leerroute": "B1",
    "niveau": "B1",
    "eerste_pip": True,
    "verlengingen": [{"maanden": 6}],
    "bijstand_start": "2024-01-31",
    "lbt_score": 29,
    "lbt_datum": "2023-03-01",
    "peildatum": "2027-07-01",
}
EXPECTED_DATES = {
    "PIP_UITERLIJK": "2024-03-25",  # 15 January + 10 weeks
    "TERMIJN_START": "2024-03-01",
    "TERMIJN_EINDE": "2027-08-28",  # 28 February 2027 + 6 months
    "ONTZORGEN_EINDE": "2024-07-30",  # 31 January + 6 months - 1 day
    "PVT_UITERLIJK": "2027-08-28",
}


def _dates(result: dict[str, Any]) -> dict[str, str | None]:
    return {code: entry["datum"] for code, entry in result["datums"].items()}


def _run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thuis.conf.test", "PYTHONIOENCODING": "ascii"}
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(THUIS), "rekenhulp", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


# --- Command ---


def test_cli_prints_pretty_json(tmp_path: Path) -> None:
    path = tmp_path / "feiten.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    out = StringIO()
    call_command("rekenhulp", str(path), stdout=out)
    text = out.getvalue()
    result = json.loads(text)
    assert result["wet"] == "Wi2021"
    assert _dates(result) == EXPECTED_DATES
    assert result["lbt_uitslag"] == "niet_haalbaar"
    assert [s["code"] for s in result["signalen"]] == ["TERMIJN_BIJNA_OM", "LBT_HERBEOORDELEN"]
    assert text.startswith('{\n  "wet": "Wi2021",')
    assert "29 februari 2024" in text  # ensure_ascii=False: Dutch text stays readable


@pytest.mark.skipif(not THUIS.exists(), reason="console script not installed")
def test_console_script_reads_stdin_and_writes_utf8() -> None:
    facts = {**FACTS, "bijstand_einde": "2024-03-31"}
    done = _run_cli("-", stdin=json.dumps(facts))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["datums"]["ONTZORGEN_EINDE"]["datum"] == "2024-03-31"
    assert "vóór" in done.stdout or "ë" in done.stdout or "februari" in done.stdout
    assert "\\u" not in done.stdout


@pytest.mark.skipif(not THUIS.exists(), reason="console script not installed")
@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{", "geen geldige JSON (regel 1, kolom 2"),
        ("[1, 2]", "INVOER_ONGELDIG"),
        ('"2023-03-01"', "INVOER_ONGELDIG"),
        ("{}", "PLICHT_START_ONTBREEKT"),
        ('{"plicht_start": "2023-02-30"}', "DATUM_ONGELDIG"),
        ('{"plicht_start": "2023-03-01", "leeftijd": 30}', "Het veld 'leeftijd' is onbekend."),
        ('{"plicht_start": "9999-12-31"}', "DATUM_BUITEN_BEREIK"),
        (
            '{"plicht_start": "2023-03-01", "pip_dagtekening": "2190-01-01", '
            '"verlengingen": ' + json.dumps([{"maanden": 60}] * 1600) + "}",
            "DATUM_BUITEN_BEREIK",
        ),
        ("[" * 100_000, "De invoer"),
    ],
)
def test_console_script_bad_input_exits_2_without_traceback(stdin: str, message: str) -> None:
    done = _run_cli("-", stdin=stdin)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("De rekenhulp kan deze invoer niet gebruiken:")
    assert message in done.stderr


@pytest.mark.skipif(not THUIS.exists(), reason="console script not installed")
def test_console_script_missing_file_exits_2(tmp_path: Path) -> None:
    done = _run_cli(str(tmp_path / "bestaat-niet.json"))
    assert done.returncode == 2
    assert "bestaat niet of kan niet worden gelezen" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "geen tekst in UTF-8"),
        (b'{"plicht_start": "2023-03-01",}', "veldnaam moet tussen dubbele aanhalingstekens"),
        (b'{"plicht_start": "2023-03-01", "lbt_score": 41, "lbt_datum": "2023-03-01"}', "0 tot"),
    ],
)
def test_call_command_bad_file_exits_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "feiten.json"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("rekenhulp", str(path), stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert message in err.getvalue()


# --- API ---


@pytest.fixture
def api(login: Any, make_user: Any) -> Client:
    client: Client = login(make_user(Role.BELEIDSMEDEWERKER, username="beleid"))
    return client


def _post(client: Client, body: object) -> Any:
    return client.post("/api/v1/rekenhulp/", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_api_gives_the_same_dates_as_the_command(api: Client, tmp_path: Path) -> None:
    response = _post(api, FACTS)
    assert response.status_code == 200
    path = tmp_path / "feiten.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    out = StringIO()
    call_command("rekenhulp", str(path), stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert _dates(response.json()) == EXPECTED_DATES


@pytest.mark.django_db
def test_api_wi2013_and_fouten_are_200(api: Client) -> None:
    response = _post(api, {"plicht_start": "2020-02-29", "leerroute": "B1"})
    assert response.status_code == 200
    body = response.json()
    assert body["wet"] == "Wi2013"
    assert body["datums"]["TERMIJN_EINDE"]["datum"] == "2023-02-28"
    assert [f["code"] for f in body["fouten"]] == ["PIP_NIET_VAN_TOEPASSING"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "name", "code"),
    [
        ({}, "plicht_start", "PLICHT_START_ONTBREEKT"),
        ([], "algemeen", "INVOER_ONGELDIG"),
        ({"plicht_start": "1-3-2023"}, "plicht_start", "DATUM_ONGELDIG"),
        ({"plicht_start": "2023-03-01", "niveau": "C1"}, "niveau", "WAARDE_ONBEKEND"),
        ({"plicht_start": "2023-03-01", "verlengingen": [{"maanden": 0}]}, "verlengingen", None),
        ({"plicht_start": "2023-03-01", "verlengingen": 6}, "verlengingen", None),
        ({"plicht_start": "2023-03-01", "bsn": "123456782"}, "bsn", "VELD_ONBEKEND"),
        ({"plicht_start": "0001-01-01"}, "plicht_start", "DATUM_BUITEN_BEREIK"),
    ],
)
def test_api_bad_input_is_problem_json(api: Client, body: object, name: str, code: str) -> None:
    response = _post(api, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Ongeldige invoer."
    assert problem["instance"] == "/api/v1/rekenhulp/"
    params = problem["invalidParams"]
    assert params and {"name", "code", "reason"} <= set(params[0])
    assert params[0]["name"] == name
    if code:
        assert params[0]["code"] == code
    assert "123456782" not in response.content.decode()


@pytest.mark.django_db
def test_api_rejects_broken_json_and_form_posts(api: Client) -> None:
    broken = api.post("/api/v1/rekenhulp/", "{", content_type="application/json")
    assert broken.status_code == 400
    assert broken["Content-Type"] == "application/problem+json"
    form = api.post("/api/v1/rekenhulp/", {"plicht_start": "2023-03-01"})
    assert form.status_code == 415


@pytest.mark.django_db
def test_api_needs_a_login() -> None:
    response = _post(Client(), FACTS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_api_accepts_a_rekenhulp_key_of_a_system(municipality: Any) -> None:
    from thuis.accounts import services as account_services
    from thuis.accounts.choices import TokenPurpose

    _, raw = account_services.api_token_create(
        by=account_services.BOOTSTRAP_KEY_ACTOR,
        purpose=TokenPurpose.REKENHULP,
        municipality=municipality,
        name="zaaksysteem",
    )
    post = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().post("/api/v1/rekenhulp/", json.dumps(FACTS), **post).status_code == 200
    # A key of another purpose opens nothing here.
    _, other = account_services.api_token_create(
        by=account_services.BOOTSTRAP_KEY_ACTOR,
        purpose=TokenPurpose.INDICATOREN,
        municipality=municipality,
        name="bi",
    )
    post["HTTP_AUTHORIZATION"] = f"Bearer {other}"
    assert Client().post("/api/v1/rekenhulp/", json.dumps(FACTS), **post).status_code == 401


@pytest.mark.django_db
def test_api_stores_and_logs_nothing(api: Client, caplog: Any) -> None:
    from django.apps import apps

    def counts() -> dict[str, int]:
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    before = counts()
    with caplog.at_level(logging.DEBUG):
        _post(api, {**FACTS, "peildatum": "2031-12-31"})
        _post(api, {"plicht_start": "2031-12-30"})
    after = counts()
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {"sessions.Session"}, changed
    assert "2031-12-3" not in caplog.text


# --- Web page ---


@pytest.mark.django_db
def test_page_shows_the_same_dates(login: Any, regisseur: Any) -> None:
    client = login(regisseur)
    page = client.get("/rekenhulp/")
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode()
    form = {
        "plicht_start": "2023-03-01",
        "doelgroep": "asielstatushouder",
        "kennisgeving_duo": "2023-12-01",
        "brp_vestiging": "2024-01-15",
        "pip_dagtekening": "2024-02-29",
        "eerste_pip": "ja",
        "leerroute": "B1",
        "niveau": "B1",
        "verlengingen": "6",
        "bijstand_start": "2024-01-31",
        "lbt_score": "29",
        "lbt_datum": "2023-03-01",
        "peildatum": "2027-07-01",
    }
    response = client.post("/rekenhulp/", form)
    assert response.status_code == 200
    html = response.content.decode()
    for code, iso in EXPECTED_DATES.items():
        assert f'data-code="{code}"' in html
        assert f'<time datetime="{iso}">' in html
    assert response.context["result"] == _post(client, FACTS).json()
    assert "Wet inburgering 2021" in html
    assert "B1-route niet haalbaar" in html
    assert "De inburgeringstermijn eindigt op 28 augustus 2027." in html


@pytest.mark.django_db
def test_page_extensions_list_and_errors(login: Any, regisseur: Any) -> None:
    client = login(regisseur)
    ok = client.post(
        "/rekenhulp/",
        {
            "plicht_start": "2023-03-01",
            "pip_dagtekening": "2023-06-01",
            "verlengingen": "6, 3",
        },  # 2026-06-01 + 9 months
    )
    assert ok.context["result"]["datums"]["TERMIJN_EINDE"]["datum"] == "2027-03-01"
    bad = client.post("/rekenhulp/", {"plicht_start": "", "verlengingen": "zes"})
    assert bad.status_code == 200
    assert "result" not in bad.context
    html = bad.content.decode()
    assert 'role="alert"' in html
    assert "heel aantal maanden" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_page_is_not_for_partners(login: Any, make_user: Any) -> None:
    assert login(make_user(Role.PARTNER, username="partner")).get("/rekenhulp/").status_code == 403
    assert Client().get("/rekenhulp/").status_code == 302
