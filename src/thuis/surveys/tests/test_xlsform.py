"""XLSForm import/export: round trip with several languages, refusals name row and construct."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from thuis.surveys import services, xlsform
from thuis.surveys.choices import QuestionType
from thuis.surveys.models import ChoiceOption, Question, Survey, SurveyVersion
from thuis.surveys.standard import ervaringen_met_thuis

from .sample import CHOICES, SETTINGS, SURVEY, workbook_bytes


def test_parse_sample_structure() -> None:
    spec = xlsform.parse_workbook(workbook_bytes())
    assert spec.form_id == "proef"
    assert spec.languages == ["nl", "en", "ar", "tr"]
    assert spec.title == {"nl": "Proefenquête", "en": "Test survey", "ar": "استبيان تجريبي"}
    by_name = {q.name: q for q in spec.questions}
    assert by_name["welkom"].type == QuestionType.LIKERT and by_name["welkom"].required
    assert by_name["cursus_goed"].relevant == "${cursus} = 'ja'"
    assert by_name["hulp"].type == QuestionType.MULTIPLE
    assert by_name["hulp"].constraint_message["ar"] == "لا تجمع 'لا شيء' مع غيره."
    assert by_name["leeftijd"].type == QuestionType.NUMBER
    assert by_name["aankomst"].type == QuestionType.DATE
    matrix = by_name["taal"]
    assert matrix.type == QuestionType.MATRIX and matrix.required and matrix.list_name == "goed"
    assert [r.name for r in matrix.rows] == ["spreken", "lezen"]
    assert by_name["opmerking"].hint["en"] == "No names."
    assert [c.name for c in spec.choices["eens3"]] == ["oneens", "neutraal", "eens"]


def test_export_round_trip_keeps_structure_and_pyxform_accepts_it(tmp_path: Path) -> None:
    spec = xlsform.parse_workbook(workbook_bytes())
    exported = xlsform.build_workbook(spec)
    assert xlsform.parse_workbook(exported).structure() == spec.structure()
    path = tmp_path / "export.xlsx"
    path.write_bytes(exported)
    result = convert(xlsform=str(path))
    assert '<translation lang="Arabic (ar)">' in result.xform
    assert "relevant=\" /data/cursus  = 'ja'\"" in result.xform
    sheet = load_workbook(io.BytesIO(exported))["survey"]
    header = [c.value for c in sheet[1]]
    assert "label::Arabic (ar)" in header and "required" in header and "constraint" in header


@pytest.mark.django_db
def test_import_store_export_round_trip(municipality: Any) -> None:
    version = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    assert version.questions.count() == 9
    exported = services.survey_export_xlsform(version=version)
    assert (
        xlsform.parse_workbook(exported).structure()
        == xlsform.parse_workbook(workbook_bytes()).structure()
    )


@pytest.mark.django_db
def test_import_is_idempotent_and_new_structure_is_new_version(municipality: Any) -> None:
    first = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    counts = (
        Survey.objects.count(),
        SurveyVersion.objects.count(),
        Question.objects.count(),
        ChoiceOption.objects.count(),
    )
    again = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    assert again.pk == first.pk
    # Same structure, re-saved (other bytes): still nothing changes.
    resaved = xlsform.build_workbook(xlsform.parse_workbook(workbook_bytes()))
    assert services.survey_import_xlsform(municipality=municipality, content=resaved).pk == first.pk
    assert counts == (
        Survey.objects.count(),
        SurveyVersion.objects.count(),
        Question.objects.count(),
        ChoiceOption.objects.count(),
    )
    changed = [row[:] for row in SURVEY]
    changed[2][2] = "Ik voel me thuis."
    second = services.survey_import_xlsform(
        municipality=municipality, content=workbook_bytes(survey=changed)
    )
    assert second.survey_id == first.survey_id and second.number == 2


def _errors(
    survey: list[list[str]] | None = None,
    choices: list[list[str]] | None = None,
    settings: list[list[str]] | None = None,
) -> list[str]:
    with pytest.raises(xlsform.XLSFormError) as exc:
        xlsform.parse_workbook(workbook_bytes(survey, choices, settings))
    return exc.value.errors


def _with_row(row: list[str]) -> list[list[str]]:
    padded = row + [""] * (len(SURVEY[0]) - len(row))
    return [*SURVEY, padded]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (
            ["begin_repeat", "kinderen", "Kinderen"],
            "rij 14: type 'begin_repeat' wordt niet ondersteund (herhalende groepen",
        ),
        (
            ["calculate", "som", "Som"],
            "rij 14: type 'calculate' wordt niet ondersteund (berekeningen",
        ),
        (["start", "begin", ""], "rij 14: type 'start' wordt niet ondersteund (metadata 'start'"),
        (["geopoint", "plek", "Plek"], "rij 14: type 'geopoint' wordt niet ondersteund"),
        (
            ["select_one jn or_other", "x", "X"],
            "rij 14: type 'select_one jn or_other' wordt niet ondersteund",
        ),
        (
            ["select_one bestaatniet", "x", "X"],
            "de keuzelijst 'bestaatniet' staat niet in het blad 'choices'",
        ),
        (
            ["text", "x", "X", "", "", "", "", "", "", "", "today() > ${aankomst}"],
            "rij 14, kolom 'relevant'",
        ),
        (
            ["text", "x", "X", "", "", "", "", "", "", "", "${bestaatniet} = 'a'"],
            "de verwijzing '${bestaatniet}' bestaat niet",
        ),
        (
            ["text", "x", "X", "", "", "", "", "", "", "${a} = 'b'"],
            "'required' = '${a} = 'b'' wordt niet ondersteund",
        ),
        (["text", "welkom", "Dubbel"], "rij 14: de naam 'welkom' komt twee keer voor"),
        (["text", "1fout", "Fout"], "rij 14: 'name' = '1fout' is ongeldig"),
        (["text", "x", ""], "rij 14: de vraag 'x' heeft geen label"),
        (
            ["begin_group", "g", "Groep"],
            "rij 14: een groep zonder appearance 'table-list' wordt niet ondersteund",
        ),
        (
            ["text", "x", "X", "", "", "", "", "", "", "", "", "", "", "", "", "multiline"],
            "appearance 'multiline' wordt niet ondersteund",
        ),
    ],
)
def test_unsupported_constructs_name_row_and_construct(row: list[str], fragment: str) -> None:
    errors = _errors(survey=_with_row(row))
    assert any(fragment in e for e in errors), errors


def test_unknown_column_with_content_and_unknown_language() -> None:
    survey = [[*row, ""] for row in SURVEY]
    survey[0][-1] = "choice_filter"
    survey[3][-1] = "x = 1"
    errors = _errors(survey=survey)
    assert any("rij 4: de kolom 'choice_filter' wordt niet ondersteund" in e for e in errors), (
        errors
    )
    survey = [row[:] for row in SURVEY]
    survey[0][2] = "label::Klingon (tlh)"
    assert any("onbekende taal" in e for e in _errors(survey=survey))


def test_unclosed_group_and_mixed_lists_in_matrix() -> None:
    survey = [row[:] for row in SURVEY if row[0] != "end_group"]
    assert any("'begin_group' zonder 'end_group'" in e for e in _errors(survey=survey))
    survey = [row[:] for row in SURVEY]
    survey[10][0] = "select_one jn"
    assert any("dezelfde keuzelijst" in e for e in _errors(survey=survey))


def test_unsupported_settings_and_duplicate_choices() -> None:
    settings = [[*SETTINGS[0], "submission_url"], [*SETTINGS[1], "https://example.org"]]
    assert any("'submission_url'" in e for e in _errors(settings=settings))
    choices = [*CHOICES, ["jn", "ja", "Ja", "Yes", "نعم", ""]]
    assert any("keuze 'ja' staat twee keer" in e for e in _errors(choices=choices))


def test_not_an_excel_file() -> None:
    with pytest.raises(xlsform.XLSFormError) as exc:
        xlsform.parse_workbook(b"not a zip")
    assert "geen leesbaar Excel-bestand" in exc.value.errors[0]


@pytest.mark.django_db
def test_failed_import_stores_nothing(municipality: Any) -> None:
    with pytest.raises(services.SurveyError) as exc:
        services.survey_import_xlsform(
            municipality=municipality,
            content=workbook_bytes(survey=_with_row(["calculate", "som", "Som"])),
        )
    assert exc.value.code == "xlsform_ongeldig"
    assert "rij 14" in exc.value.message
    assert not Survey.objects.exists()


def test_standard_file_matches_its_python_source() -> None:
    shipped = xlsform.parse_workbook(services.STANDARD_FILE.read_bytes())
    assert (
        shipped.structure()
        == xlsform.parse_workbook(xlsform.build_workbook(ervaringen_met_thuis.spec())).structure()
    )
    assert shipped.languages[:3] == ["nl", "en", "ar"]
    assert {"ti", "prs", "fa", "tr", "uk", "so"} <= set(shipped.languages)
    names = {q.name for q in shipped.questions}
    assert {
        "welkom",
        "tevreden_inburgering",
        "tevreden_taalcursus",
        "vertrouwen_nederlands",
        "contact_nederlanders",
        "contact_eigen_gemeenschap",
        "steun_netwerk",
        "hulp_nodig",
        "wensen",
        "opmerkingen",
    } <= names
    result = convert(xlsform=str(services.STANDARD_FILE))
    assert "Arabic (ar)" in result.xform


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 4000 + "1" + ")" * 4000,
        "(" * 5000,
        "-" * 5000 + "1",
        "not(" * 1000 + "true()" + ")" * 1000,
        "${aankomst} = 'a'" + " and 1" * 1000,
        "1" + " + 1" * 2000 + " > 0",
    ],
)
@pytest.mark.parametrize("column", [10, 11])  # relevant, constraint
def test_a_deeply_nested_expression_is_refused_in_dutch(expression: str, column: int) -> None:
    row = ["text", "x", "X"] + [""] * 12
    row[column] = expression
    errors = _errors(survey=_with_row(row))
    assert any("te diep genest (meer dan 100 niveaus)" in e for e in errors), errors[:3]
    assert all(len(e) < 300 for e in errors)  # the expression is not echoed whole
