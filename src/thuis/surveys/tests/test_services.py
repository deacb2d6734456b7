"""Services: anonymity by design, personal links, processing log, exports, indicators."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.core.bsn import bsn_hash
from thuis.surveys import rules, selectors, services
from thuis.surveys.choices import ResponseMode, VersionStatus
from thuis.surveys.models import Answer, ResearchExport, Response
from thuis.tests import factories

from .sample import workbook_bytes

ANSWERS = {
    "welkom": "eens",
    "cursus": "ja",
    "cursus_goed": "eens",
    "leeftijd": 30,
    "taal": {"spreken": "goed", "lezen": "redelijk"},
}


@pytest.fixture
def version(municipality: Any) -> Any:
    v = services.survey_import_xlsform(municipality=municipality, content=workbook_bytes())
    services.version_set_status(version=v, status=VersionStatus.OPEN)
    services.public_link_create(version=v)
    v.refresh_from_db()
    return v


@pytest.mark.django_db
def test_anonymous_response_row_holds_nothing_linkable(
    version: Any, person: Any, regisseur: Any
) -> None:
    # An invitation exists for someone: the anonymous row must not point to it in any way.
    invitation, token = services.invitation_create(version=version, person=person, by=regisseur)
    log_before = ProcessingRecord.objects.count()
    services.response_submit_anonymous(
        version=version, language="ar", answers=ANSWERS, today=date(2026, 5, 17)
    )
    assert ProcessingRecord.objects.count() == log_before  # not even a log line
    response = Response.objects.get(mode=ResponseMode.ANONYMOUS)
    # Inspect every column of the stored row, straight from the database.
    columns = [f.column for f in Response._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {Response._meta.db_table} WHERE mode = %s",  # noqa: S608
            ["anonymous"],
        )
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    expected_columns = {
        "id",
        "version_id",
        "mode",
        "language",
        "period",
        "person_id",
        "invitation_id",
        "entered_by_id",
        "submitted_at",
    }
    assert set(columns) == expected_columns, "a new column on Response needs an anonymity review"
    assert row["person_id"] is None and row["invitation_id"] is None
    assert row["entered_by_id"] is None and row["submitted_at"] is None
    assert str(row["period"])[:10] == "2026-05-01"  # the month, no day, no time
    assert row["mode"] == "anonymous" and row["language"] == "ar"
    assert row["version_id"] == version.pk
    values = " ".join(str(v) for v in row.values())
    assert token not in values and invitation.token_hash not in values
    assert str(invitation.pk) not in {str(row["person_id"]), str(row["invitation_id"])}
    assert "127.0.0.1" not in values
    assert len(str(row["id"]).replace("-", "")) == 32  # random UUID, not a sequence number
    # Answers carry a random id, the response and the question: nothing else.
    answer_columns = {f.column for f in Answer._meta.concrete_fields}
    assert answer_columns == {"id", "response_id", "question_id", "value"}
    assert response.answers.count() == 5


@pytest.mark.django_db
def test_database_refuses_a_linked_anonymous_row(version: Any, person: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            version=version,
            mode=ResponseMode.ANONYMOUS,
            language="nl",
            period=date(2026, 5, 1),
            person=person,
        )


@pytest.mark.django_db
def test_personal_link_once_and_logged(version: Any, person: Any, regisseur: Any) -> None:
    invitation, token = services.invitation_create(
        version=version, person=person, by=regisseur, language="ar"
    )
    assert invitation.token_hash == rules.token_hash(token) and token not in invitation.token_hash
    assert selectors.invitation_get_by_token(token=token).pk == invitation.pk
    services.response_submit_personal(
        invitation=invitation, language="ar", answers=ANSWERS, today=date(2026, 5, 17)
    )
    with pytest.raises(services.SurveyError) as exc:
        services.response_submit_personal(
            invitation=invitation, language="ar", answers=ANSWERS, today=date(2026, 5, 17)
        )
    assert exc.value.code == "link_al_ingevuld"
    assert Response.objects.filter(invitation=invitation).count() == 1
    records = ProcessingRecord.objects.filter(
        object_type__in=["survey_invitation", "survey_response"]
    )
    assert {r.object_type for r in records} == {"survey_invitation", "survey_response"}
    assert all(
        r.data_subject_id == bsn_hash(person.bsn, key="test-audit-hash-key") for r in records
    )
    assert not any(person.bsn in (r.reason + r.object_id) for r in records)
    with pytest.raises(services.SurveyError) as exc:
        services.invitation_create(version=version, person=person, by=regisseur)
    assert exc.value.code == "link_bestaat"


@pytest.mark.django_db
def test_invitation_other_municipality_refused(
    version: Any, other_municipality: Any, regisseur: Any
) -> None:
    stranger = factories.PersonFactory(municipality=other_municipality)
    with pytest.raises(services.NotAllowed) as exc:
        services.invitation_create(version=version, person=stranger, by=regisseur)
    assert exc.value.code == "niet_toegestaan"


@pytest.mark.django_db
def test_conversation_entry_is_linked_and_logged(version: Any, person: Any, regisseur: Any) -> None:
    response = services.response_submit_conversation(
        version=version,
        person=person,
        by=regisseur,
        language="nl",
        answers=ANSWERS,
        today=date(2026, 5, 17),
    )
    assert response.person == person and response.entered_by == regisseur
    assert ProcessingRecord.objects.filter(
        object_type="survey_response", object_id=str(response.pk), actor_id=regisseur.pk
    ).exists()


@pytest.mark.django_db
def test_closed_version_takes_no_answers(version: Any) -> None:
    services.version_set_status(version=version, status=VersionStatus.CLOSED)
    with pytest.raises(services.SurveyError) as exc:
        services.response_submit_anonymous(
            version=version, language="nl", answers=ANSWERS, today=date(2026, 5, 1)
        )
    assert exc.value.code == "vragenlijst_gesloten"


@pytest.mark.django_db
def test_response_export_anonymous_rows_without_identifier(
    version: Any, person: Any, regisseur: Any, make_user: Any
) -> None:
    policy = make_user("beleidsmedewerker", username="beleid")
    services.response_submit_anonymous(
        version=version, language="nl", answers=ANSWERS, today=date(2026, 5, 17)
    )
    personal = services.response_submit_conversation(
        version=version,
        person=person,
        by=regisseur,
        language="nl",
        answers={**ANSWERS, "opmerking": "prima"},
        today=date(2026, 5, 17),
    )
    header, rows = services.response_table(version=version, by=policy)
    assert header[:6] == ["respons", "soort", "versie", "meting", "taal", "maand"]
    assert "spreken" in header and "opmerking" in header and "uitleg" not in header
    anonymous = next(r for r in rows if r[1] == "anonymous")
    assert anonymous[0] == "" and anonymous[5] == "2026-05"
    linked = next(r for r in rows if r[1] == "conversation")
    assert linked[0] == str(personal.pk)
    text = services.rows_to_csv(header, rows).decode()
    assert person.bsn not in text and person.family_name not in text
    assert ProcessingRecord.objects.filter(action="export", actor_id=policy.pk).count() == 1


@pytest.mark.django_db
def test_research_export_pseudonyms_key_once(
    version: Any, person: Any, regisseur: Any, make_user: Any
) -> None:
    policy = make_user("beleidsmedewerker", username="beleid")
    for _ in range(2):
        services.response_submit_anonymous(
            version=version, language="nl", answers=ANSWERS, today=date(2026, 5, 17)
        )
    services.response_submit_conversation(
        version=version,
        person=person,
        by=regisseur,
        language="nl",
        answers={**ANSWERS, "opmerking": "Mijn naam is X", "aankomst": "2024-02-17"},
        today=date(2026, 5, 17),
    )
    export, key_hex = services.research_export_create(
        version=version, by=policy, recipient="Windesheim"
    )
    export2, key2 = services.research_export_create(
        version=version, by=policy, recipient="Windesheim"
    )
    assert key_hex != key2
    stored = ResearchExport.objects.get(pk=export.pk)
    assert (
        key_hex not in stored.key_fingerprint
        and stored.key_fingerprint == rules.key_fingerprint(bytes.fromhex(key_hex))
    )
    content = services.research_export_take(export=export).decode("utf-8-sig")
    with pytest.raises(services.SurveyError) as exc:
        services.research_export_take(export=export)
    assert exc.value.code == "export_al_gedownload"
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[0] == "pseudoniem" and "opmerking" not in header  # free text left out
    linked = [r for r in data if r[1] == "conversation"]
    assert linked[0][0] == rules.pseudonym(
        key=bytes.fromhex(key_hex), subject=f"person:{person.pk}"
    )
    assert all(r[0] == "" for r in data if r[1] == "anonymous")
    assert linked[0][header.index("aankomst")] == "2024-02"
    # Re-identification test: neither the BSN, the name nor the log's BSN hash appear.
    assert person.bsn not in content and person.family_name not in content
    assert bsn_hash(person.bsn, key="test-audit-hash-key") not in content
    content2 = services.research_export_take(export=export2).decode("utf-8-sig")
    assert linked[0][0] not in content2  # another export, another key, another pseudonym


@pytest.mark.django_db
def test_standard_survey_install_is_idempotent(municipality: Any) -> None:
    first = services.standard_survey_install(municipality)
    second = services.standard_survey_install(municipality)
    assert first.pk == second.pk
    assert first.survey.is_standard and first.status == VersionStatus.OPEN and first.public_token
    done = selectors.language_completeness(first)
    assert done["nl"] == done["en"] == done["ar"] == 100
    assert done["ti"] == 0
    assert selectors.respondent_languages(first) == ["nl", "en", "ar"]


def _standard_answers(welkom: str, tevreden: str, steun: str) -> dict[str, Any]:
    return {"welkom": welkom, "tevreden_inburgering": tevreden, "steun_netwerk": steun}


@pytest.mark.django_db
def test_indicator_inputs_with_suppression(municipality: Any, other_municipality: Any) -> None:
    version = services.standard_survey_install(municipality)
    for i in range(32):
        services.response_submit_anonymous(
            version=version,
            language="ar",
            answers=_standard_answers(
                "eens" if i < 20 else "oneens", "tevreden" if i < 3 else "ontevreden", "eens"
            ),
            today=date(2026, 3, 10),
        )
    out = selectors.indicator_inputs(
        municipality=municipality, period=(date(2026, 1, 1), date(2026, 12, 31))
    )
    assert out["feeling_welcome"].numerator == 20 and out["feeling_welcome"].denominator == 32
    assert out["feeling_welcome"].display == "62% (20 van 32)"
    # 3 satisfied out of 32: the numerator is a small cell, so it is hidden (and not recoverable).
    assert (
        out["satisfaction_inburgering"].numerator is None
        and out["satisfaction_inburgering"].share is None
    )
    # All 32 agree: the complement is 0, which is not a small cell.
    assert out["social_network"].numerator == 32
    empty = selectors.indicator_inputs(
        municipality=other_municipality, period=(date(2026, 1, 1), date(2026, 12, 31))
    )
    assert empty["feeling_welcome"].denominator == 0
    # 28 yes and 4 no: the 4 is hidden, so the 28 must go too (it would reveal 32 - 28).
    version2 = services.standard_survey_install(other_municipality)
    for i in range(32):
        services.response_submit_anonymous(
            version=version2,
            language="nl",
            answers=_standard_answers("eens" if i < 28 else "oneens", "tevreden", "eens"),
            today=date(2026, 3, 10),
        )
    secondary = selectors.indicator_inputs(
        municipality=other_municipality, period=(date(2026, 1, 1), date(2026, 12, 31))
    )
    assert (
        secondary["feeling_welcome"].numerator is None
        and secondary["feeling_welcome"].denominator == 32
    )
    outside = selectors.indicator_inputs(
        municipality=municipality, period=(date(2025, 1, 1), date(2025, 12, 31))
    )
    assert outside["feeling_welcome"].denominator == 0


@pytest.mark.django_db
def test_indicator_inputs_small_total_is_suppressed(municipality: Any) -> None:
    version = services.standard_survey_install(municipality)
    for _ in range(4):
        services.response_submit_anonymous(
            version=version,
            language="nl",
            answers=_standard_answers("eens", "tevreden", "eens"),
            today=date(2026, 3, 10),
        )
    out = selectors.indicator_inputs(
        municipality=municipality, period=(date(2026, 1, 1), date(2026, 12, 31))
    )
    assert out["feeling_welcome"].denominator is None and out["feeling_welcome"].numerator is None
    assert "minder dan 10" in out["feeling_welcome"].display


@pytest.mark.django_db
def test_builder_adds_questions_and_checks_expressions(municipality: Any, make_user: Any) -> None:
    policy = make_user("beleidsmedewerker", username="beleid")
    version = services.survey_create(
        municipality=municipality, title="Buurt", form_id="buurt", languages=["nl", "ar"], by=policy
    )
    services.question_add(
        version=version,
        name="kent",
        type="single",
        label={"nl": "Kent u buren?", "ar": "هل تعرف جيرانك؟"},
        choices=[("ja", {"nl": "Ja", "ar": "نعم"}), ("nee", {"nl": "Nee", "ar": "لا"})],
        required=True,
    )
    services.question_add(
        version=version,
        name="hoeveel",
        type="number",
        label={"nl": "Hoeveel?"},
        relevant="${kent} = 'ja'",
        constraint=". >= 0",
    )
    with pytest.raises(services.SurveyError) as exc:
        services.question_add(
            version=version,
            name="x",
            type="text",
            label={"nl": "X"},
            relevant="${bestaatniet} = 'a'",
        )
    assert exc.value.code == "verwijzing_onbekend"
    with pytest.raises(services.SurveyError) as exc:
        services.question_add(version=version, name="kent", type="text", label={"nl": "Dubbel"})
    assert exc.value.code == "naam_bestaat"
    with pytest.raises(services.SurveyError) as exc:
        services.question_delete(version=version, question_id=version.questions.get(name="kent").pk)
    assert exc.value.code == "vraag_in_gebruik"
    assert selectors.language_completeness(version)["ar"] < 100
    services.version_set_status(version=version, status=VersionStatus.OPEN)
    with pytest.raises(services.SurveyError) as exc:
        services.question_add(version=version, name="later", type="text", label={"nl": "Later"})
    assert exc.value.code == "versie_in_gebruik"
    wave = services.version_new_wave(survey=version.survey, wave_label="Najaar")
    assert wave.number == 2 and wave.questions.count() == 2 and wave.status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_consultations_and_advice(municipality: Any, make_user: Any) -> None:
    from thuis.surveys.choices import Theme

    policy = make_user("beleidsmedewerker", username="beleid")
    c = services.consultation_save(
        municipality=municipality,
        by=policy,
        held_on=date(2026, 2, 3),
        kind="group",
        with_whom="statushouders",
        title="Groepsgesprek vrouwen",
        organisations="VluchtelingenWerk\nTaalhuis",
        statushouders_count=8,
        others_count=2,
        themes=[Theme.WOMEN_WORK, Theme.LANGUAGE_AFTER],
        findings="Taal blijft lastig na de inburgering.",
        quotes="Ik wil werken.",
    )
    assert c.organisation_list == ["VluchtelingenWerk", "Taalhuis"]
    assert list(selectors.consultation_search_for_user(user=policy, theme=Theme.WOMEN_WORK)) == [c]
    assert list(selectors.consultation_search_for_user(user=policy, theme=Theme.HOUSING)) == []
    assert list(selectors.consultation_search_for_user(user=policy, text="taalhuis")) == [c]
    with pytest.raises(services.SurveyError) as exc:
        services.consultation_save(
            municipality=municipality,
            by=policy,
            held_on=date(2026, 2, 3),
            kind="group",
            with_whom="mixed",
            title="x",
            organisations="",
            statushouders_count=0,
            others_count=0,
            themes=["onbekend"],
            findings="x",
            quotes="",
        )
    assert exc.value.code == "thema_onbekend"
    advice = services.advice_create(
        municipality=municipality,
        by=policy,
        council="Participatieraad",
        title="Evaluatie Thuis",
        received_on=date(2026, 1, 10),
        points=["Meer taalles", "", "Maatjes"],
    )
    assert [p.number for p in advice.points.all()] == [1, 2]
    with pytest.raises(services.SurveyError) as exc:
        services.advice_set_status(
            advice=advice,
            status="response_sent",
            response_sent_on=date(2026, 2, 1),
            response_introduction="",
        )
    assert exc.value.code == "advies_reactie_ontbreekt"
    for point in advice.points.all():
        services.advice_point_respond(
            point=point, decision="partly", motivation="Binnen budget deels mogelijk."
        )
    services.advice_set_status(
        advice=advice,
        status="response_sent",
        response_sent_on=date(2026, 2, 1),
        response_introduction="Dank.",
    )
    advice.refresh_from_db()
    assert advice.status == "response_sent"
    with pytest.raises(services.SurveyError) as exc:
        services.advice_point_respond(
            point=advice.points.first(), decision="adopted", motivation=" "
        )
    assert exc.value.code == "motivering_ontbreekt"
