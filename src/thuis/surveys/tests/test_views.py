"""Pages end to end: respondent flow (language, skip logic, anonymity), staff pages, authz."""

from __future__ import annotations

import html
import re
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from thuis.accounts.choices import Role
from thuis.surveys import services, xlsform
from thuis.surveys.choices import ResponseMode, VersionStatus
from thuis.surveys.models import Response, Survey
from thuis.tests import factories

from .sample import workbook_bytes

FIRST = {
    "taal": "ar",
    "q_welkom": "eens",
    "q_cursus": "ja",
    "q_leeftijd": "31",
    "q_spreken": "goed",
    "q_lezen": "redelijk",
}
SHOWN = ["uitleg", "welkom", "cursus", "hulp", "leeftijd", "aankomst", "taal", "opmerking"]


@pytest.fixture
def version(municipality: Any) -> Any:
    v = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    services.version_set_status(version=v, status=VersionStatus.OPEN)
    services.public_link_create(version=v)
    v.refresh_from_db()
    return v


@pytest.fixture
def policy(make_user: Any) -> Any:
    return make_user(Role.BELEIDSMEDEWERKER, username="beleid")


def _html_tag(content: bytes) -> str:
    m = re.search(r"<html[^>]*>", content.decode())
    assert m
    return m.group(0)


@pytest.mark.django_db
def test_public_link_in_arabic_with_skip_logic(version: Any) -> None:
    client = Client()
    url = reverse("respond:public", kwargs={"token": version.public_token})
    choose = client.get(url)
    assert choose.status_code == 200 and b'href="?taal=ar"' in choose.content
    assert b"?taal=tr" not in choose.content  # Turkish is incomplete: not offered
    page = client.get(url + "?taal=ar")
    assert _html_tag(page.content) == '<html lang="ar" dir="rtl">'
    assert "أشعر بالترحيب." in page.content.decode()
    assert b'name="q_cursus_goed"' not in page.content  # skipped until cursus = ja
    # Answering "ja" makes a new question relevant: shown first, nothing stored yet.
    more = client.post(url, {**FIRST, "getoond": SHOWN})
    assert more.status_code == 200 and b'name="q_cursus_goed"' in more.content
    assert "أضافت إجاباتك أسئلة جديدة" in more.content.decode()
    assert not Response.objects.exists()
    done = client.post(url, {**FIRST, "q_cursus_goed": "eens", "getoond": [*SHOWN, "cursus_goed"]})
    assert done.status_code == 302 and done["Location"] == reverse("respond:thanks") + "?taal=ar"
    response = Response.objects.get()
    assert response.mode == ResponseMode.ANONYMOUS and response.language == "ar"
    assert {a.question.name: a.value for a in response.answers.all()} == {
        "welkom": "eens",
        "cursus": "ja",
        "cursus_goed": "eens",
        "leeftijd": 31,
        "taal": {"spreken": "goed", "lezen": "redelijk"},
    }
    assert "sessionid" not in done.cookies  # no session for anonymous respondents
    thanks = client.get(done["Location"])
    assert (
        _html_tag(thanks.content) == '<html lang="ar" dir="rtl">'
        and "شكرًا" in thanks.content.decode()
    )


@pytest.mark.django_db
def test_skipped_answers_are_dropped_and_errors_in_the_language(version: Any) -> None:
    client = Client()
    url = reverse("respond:public", kwargs={"token": version.public_token})
    bad = client.post(
        url,
        {
            "taal": "ar",
            "q_cursus": "nee",
            "q_leeftijd": "12",
            "q_hulp": ["geen", "taal"],
            "getoond": SHOWN,
        },
    )
    text = html.unescape(bad.content.decode())
    assert "يرجى الإجابة على هذا السؤال." in text  # welkom is required
    assert "بين 16 و 99." in text  # constraint message in Arabic
    assert "لا تجمع 'لا شيء' مع غيره." in text
    assert not Response.objects.exists()
    ok = client.post(
        url,
        {
            "taal": "nl",
            "q_welkom": "eens",
            "q_cursus": "nee",
            "q_cursus_goed": "eens",
            "q_leeftijd": "40",
            "q_spreken": "goed",
            "q_lezen": "goed",
            "getoond": SHOWN,
        },
    )
    assert ok.status_code == 302
    names = {a.question.name for a in Response.objects.get().answers.all()}
    assert "cursus_goed" not in names  # not relevant: never stored


@pytest.mark.django_db
def test_personal_link_one_response(version: Any, person: Any, regisseur: Any) -> None:
    _invitation, token = services.invitation_create(version=version, person=person, by=regisseur)
    client = Client()
    url = reverse("respond:personal", kwargs={"token": token})
    page = client.get(url + "?taal=nl")
    assert _html_tag(page.content) == '<html lang="nl" dir="ltr">'
    assert person.family_name.encode() not in page.content
    posted = client.post(url, {**FIRST, "taal": "en", "q_cursus": "nee", "getoond": SHOWN})
    assert posted.status_code == 302
    assert Response.objects.get().person == person
    again = client.get(url + "?taal=en")
    assert b"already been filled in" in again.content
    assert client.post(url, {**FIRST, "getoond": SHOWN}).status_code == 200
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_invalid_or_closed_links(version: Any) -> None:
    client = Client()
    assert client.get(reverse("respond:public", kwargs={"token": "nope"})).status_code == 404
    assert client.get(reverse("respond:personal", kwargs={"token": "nope"})).status_code == 404
    services.version_set_status(version=version, status=VersionStatus.CLOSED)
    closed = client.get(
        reverse("respond:public", kwargs={"token": version.public_token}) + "?taal=en"
    )
    assert b"This questionnaire is closed." in closed.content


def _numbers_in_tables(html: str) -> list[int]:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
    numbers = []
    for cell in cells:
        m = re.match(r"\s*(\d+)", re.sub(r"<[^>]+>", "", cell))
        if m:
            numbers.append(int(m.group(1)))
    return numbers


@pytest.mark.django_db
def test_results_never_show_a_cell_below_k(
    version: Any, policy: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    plan = [("eens", 14), ("neutraal", 3), ("oneens", 12)]
    for answer, n in plan:
        for i in range(n):
            services.response_submit_anonymous(
                version=version,
                language="nl",
                answers={
                    "welkom": answer,
                    "cursus": "ja" if i % 2 else "nee",
                    "leeftijd": 20 + i,
                    "taal": {"spreken": "goed", "lezen": "slecht" if i < 2 else "goed"},
                    "hulp": ["taal"],
                },
                today=date(2026, 4, 2),
            )
    client = login(policy)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("surveys:results", kwargs={"pk": version.pk}))
    body = page.content.decode()
    numbers = _numbers_in_tables(body)
    assert numbers, "the results page has tables with figures"
    assert all(n == 0 or n >= 10 for n in numbers), numbers
    assert "&lt;10" in body  # 3 x "neutraal": primary suppression
    assert re.search(r">x</td>", body)  # secondary suppression of the smallest other cell
    # SVG descriptions obey the same rule.
    for desc in re.findall(r"<desc[^>]*>(.*?)</desc>", body):
        for n in re.findall(r":\s*(\d+)(?!%)\b", desc):
            assert int(n) == 0 or int(n) >= 10
    assert 'role="img"' in body
    compare = client.get(
        reverse("surveys:compare", kwargs={"pk": version.survey.pk})
    ).content.decode()
    assert all(n == 0 or n >= 10 for n in _numbers_in_tables(compare))


@pytest.mark.django_db
def test_staff_pages_render(
    version: Any, policy: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(policy)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("surveys:list")).status_code == 200
    for name, kwargs in [
        ("surveys:detail", {"pk": version.survey.pk}),
        ("surveys:version", {"pk": version.pk}),
        ("surveys:research-export", {"pk": version.pk}),
        ("surveys:import", {}),
        ("surveys:create", {}),
        ("surveys:consultations", {}),
        ("surveys:consultation-create", {}),
        ("surveys:advices", {}),
        ("surveys:advice-create", {}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs or None)).status_code == 200, name
    page = client.get(reverse("surveys:version", kwargs={"pk": version.pk})).content.decode()
    assert "Turkish" not in page and "Türkçe" in page and "%" in page
    download = client.get(reverse("surveys:xlsform", kwargs={"pk": version.pk}))
    assert download["Content-Disposition"].startswith("attachment")
    assert xlsform.parse_workbook(download.content).form_id == "proef"


@pytest.mark.django_db
def test_import_page_shows_errors_in_dutch(policy: Any, login: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .sample import SURVEY

    bad = workbook_bytes(survey=[*SURVEY, ["calculate", "som", "Som"] + [""] * 14])
    client = login(policy)
    page = client.post(reverse("surveys:import"), {"bestand": SimpleUploadedFile("f.xlsx", bad)})
    assert "rij 14: type &#x27;calculate&#x27; wordt niet ondersteund" in page.content.decode()
    assert not Survey.objects.exists()
    ok = client.post(
        reverse("surveys:import"), {"bestand": SimpleUploadedFile("f.xlsx", workbook_bytes())}
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_scope_other_municipality_and_roles(
    version: Any, make_user: Any, other_municipality: Any, login: Any
) -> None:
    outsider = make_user(
        Role.BELEIDSMEDEWERKER, municipalities=[other_municipality], username="elders"
    )
    assert (
        login(outsider).get(reverse("surveys:version", kwargs={"pk": version.pk})).status_code
        == 404
    )
    assert (
        login(outsider).get(reverse("surveys:results", kwargs={"pk": version.pk})).status_code
        == 404
    )
    for role in (Role.REGISSEUR, Role.TEAMLEIDER, Role.BEHEERDER):
        user = make_user(role, username=f"u-{role}")
        assert (
            login(user).get(reverse("surveys:results", kwargs={"pk": version.pk})).status_code
            == 403
        )
        assert (
            login(user).get(reverse("surveys:responses-csv", kwargs={"pk": version.pk})).status_code
            == 403
        )


@pytest.mark.django_db
def test_regisseur_invites_and_fills_in(
    version: Any, person: Any, regisseur: Any, login: Any, make_user: Any, other_municipality: Any
) -> None:
    client = login(regisseur)
    overview = client.get(reverse("surveys:person", kwargs={"pk": person.pk}))
    assert overview.status_code == 200 and b"Proef" in overview.content
    invited = client.post(
        reverse("surveys:person-invite", kwargs={"pk": person.pk}), {"versie": version.pk}
    )
    assert invited.status_code == 200 and b"/e/" in invited.content
    fill_url = reverse("surveys:person-fill", kwargs={"pk": person.pk, "version": version.pk})
    page = client.get(fill_url + "?taal=ar")
    assert 'lang="ar" dir="rtl"' in page.content.decode()
    saved = client.post(fill_url, {**FIRST, "q_cursus": "nee", "getoond": SHOWN})
    assert saved.status_code == 302
    response = Response.objects.get(mode=ResponseMode.CONVERSATION)
    assert (
        response.person == person and response.entered_by == regisseur and response.language == "ar"
    )
    other = make_user(Role.REGISSEUR, municipalities=[other_municipality], username="r-elders")
    assert login(other).get(fill_url).status_code == 404


@pytest.mark.django_db
def test_consultation_and_advice_pages(policy: Any, login: Any) -> None:
    client = login(policy)
    created = client.post(
        reverse("surveys:consultation-create"),
        {
            "datum": "2026-03-01",
            "onderwerp": "Gesprek participatieraad",
            "soort": "group",
            "met": "participatieraad",
            "organisaties": "Participatieraad",
            "aantal_statushouders": "0",
            "aantal_anderen": "7",
            "themas": ["regierol", "finances"],
            "bevindingen": "Zorg over de financiën na 2021.",
            "citaten": "Houd vast aan de visie.",
        },
    )
    assert created.status_code == 302
    listing = client.get(reverse("surveys:consultations") + "?thema=finances")
    assert b"Gesprek participatieraad" in listing.content
    assert (
        b"Gesprek participatieraad"
        not in client.get(reverse("surveys:consultations") + "?zoek=huisvesting").content
    )
    advice = client.post(
        reverse("surveys:advice-create"),
        {
            "adviesraad": "Participatieraad",
            "onderwerp": "Evaluatie Thuis in Dalfsen",
            "ontvangen": "2026-01-15",
            "inleiding": "",
            "punten": "Meer taal na de inburgering\nMaatjes voor vrouwen",
        },
    )
    assert advice.status_code == 302
    detail_url = advice["Location"]
    from thuis.surveys.models import Advice

    point = Advice.objects.get().points.get(number=1)
    responded = client.post(
        detail_url,
        {
            "actie": "reactie",
            "punt_id": point.pk,
            f"p{point.pk}-reactie": "adopted",
            f"p{point.pk}-motivering": "Past in het plan.",
            f"p{point.pk}-acties": "Actie 3.2",
            f"p{point.pk}-status": "in_progress",
        },
    )
    assert responded.status_code == 302
    point.refresh_from_db()
    assert point.decision == "adopted" and point.plan_actions == "Actie 3.2"
    printable = client.get(
        reverse("surveys:advice-print", kwargs={"pk": point.advice_id})
    ).content.decode()
    assert (
        "Bijlage: reactie van het college" in printable
        and "Overgenomen" in printable
        and "Past in het plan." in printable
    )


@pytest.mark.django_db
def test_enquete_command_import_and_export(municipality: Any, tmp_path: Path) -> None:
    source = tmp_path / "proef.xlsx"
    source.write_bytes(workbook_bytes())
    out = StringIO()
    call_command("enquete", "import", str(source), "--gemeente", municipality.code, stdout=out)
    survey_id = int(out.getvalue().strip())
    assert Survey.objects.get(pk=survey_id).form_id == "proef"
    target = tmp_path / "uit.xlsx"
    call_command("enquete", "export", str(survey_id), str(target), stdout=StringIO())
    assert (
        xlsform.parse_workbook(target.read_bytes()).structure()
        == xlsform.parse_workbook(workbook_bytes()).structure()
    )


@pytest.mark.django_db
def test_enquete_command_errors(municipality: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    from .sample import SURVEY

    bad = tmp_path / "fout.xlsx"
    bad.write_bytes(workbook_bytes(survey=[*SURVEY, ["geopoint", "plek", "Plek"] + [""] * 14]))
    with pytest.raises(CommandError, match="rij 14"):
        call_command("enquete", "import", str(bad), "--gemeente", municipality.code)
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("enquete", "export", "999999", str(tmp_path / "x.xlsx"))
    factories.MunicipalityFactory(code="0193")
    with pytest.raises(CommandError, match="--gemeente"):
        call_command("enquete", "import", str(bad))
