"""Plausibility of recorded facts (issue 16): no past event in the future or before birth, KNM
and ONA without a level, ONA only in the Wi2013, hours per day within THUIS_MAX_HOURS_PER_DAY."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from thuis.cases import rules, services
from thuis.cases.choices import ExamComponent, HoursKind, Regime
from thuis.cases.models import ExamResult, HoursRecord, ProgressTalk
from thuis.core.errors import ValidationFailed

TODAY = date(2024, 2, 29)  # a leap day
BIRTH = date(1990, 1, 31)


def _codes(errors: list[rules.RuleError]) -> list[str]:
    return [e.code for e in errors]


@pytest.mark.parametrize(
    ("on", "codes"),
    [
        (TODAY, []),
        (date(2024, 3, 1), ["DATUM_IN_TOEKOMST"]),
        (date(2027, 1, 1), ["DATUM_IN_TOEKOMST"]),
        (BIRTH, []),
        (date(1990, 1, 30), ["DATUM_VOOR_GEBOORTE"]),
        (date(1900, 1, 1), ["DATUM_VOOR_GEBOORTE"]),
        (date(2022, 1, 1), []),
        (date(2023, 4, 12), []),
    ],
)
def test_past_date(on: date, codes: list[str]) -> None:
    assert _codes(rules.past_date_validate(on=on, today=TODAY, birth_date=BIRTH)) == codes


def test_past_date_without_a_birth_date() -> None:
    assert rules.past_date_validate(on=date(1900, 1, 1), today=TODAY, birth_date=None) == []


@pytest.mark.parametrize(
    ("component", "level", "exam_date", "regime", "codes"),
    [
        (ExamComponent.LEZEN, "B1", date(2023, 4, 12), Regime.WI2021, []),
        (ExamComponent.LEZEN, "", date(2023, 4, 12), Regime.WI2021, ["NIVEAU_ONTBREEKT"]),
        (ExamComponent.KNM, "", date(2023, 4, 12), Regime.WI2021, []),
        (ExamComponent.KNM, "B2", date(2023, 4, 12), Regime.WI2021, ["NIVEAU_NIET_VAN_TOEPASSING"]),
        (ExamComponent.ONA, "", date(2023, 4, 12), Regime.WI2013, []),
        (ExamComponent.ONA, "", date(2023, 4, 12), Regime.WI2021, ["ONDERDEEL_NIET_IN_REGIME"]),
        (ExamComponent.SPREKEN, "A2", date(2027, 1, 1), Regime.WI2021, ["DATUM_IN_TOEKOMST"]),
        (ExamComponent.SPREKEN, "A2", date(2022, 1, 1), Regime.WI2021, ["EXAMEN_VOOR_PLICHT"]),
        (ExamComponent.SPREKEN, "A2", date(2022, 3, 1), Regime.WI2021, []),  # the plicht start
        (ExamComponent.SPREKEN, "A2", TODAY, Regime.WI2021, []),
    ],
)
def test_exam(component: str, level: str, exam_date: date, regime: str, codes: list[str]) -> None:
    errors = rules.exam_validate(
        component=component,
        level=level,
        exam_date=exam_date,
        today=TODAY,
        birth_date=BIRTH,
        plicht_start=date(2022, 3, 1),
        regime=regime,
    )
    assert _codes(errors) == codes


@pytest.mark.parametrize(
    ("start", "end", "hours", "codes"),
    [
        (date(2024, 2, 1), date(2024, 2, 29), "100", []),
        (date(2024, 2, 28), date(2024, 2, 29), "24", []),  # 12 per day, two days
        (date(2024, 2, 28), date(2024, 2, 29), "24.5", ["UREN_TE_VEEL"]),
        (date(2024, 2, 28), date(2024, 2, 29), "5000", ["UREN_TE_VEEL"]),
        (date(2024, 2, 29), date(2024, 2, 29), "12", []),
        (date(2024, 2, 29), date(2024, 3, 1), "4", ["PERIODE_IN_TOEKOMST"]),
        (date(2024, 2, 29), date(2024, 2, 28), "4", ["PERIODE_EINDE_VOOR_START"]),
        (date(2024, 1, 31), date(2024, 1, 31), "0", ["UREN_NIET_POSITIEF"]),
    ],
)
def test_hours(start: date, end: date, hours: str, codes: list[str]) -> None:
    errors = rules.hours_validate(
        period_start=start,
        period_end=end,
        hours=Decimal(hours),
        today=TODAY,
        max_per_day=Decimal(12),
    )
    assert _codes(errors) == codes


def test_every_refusal_has_a_dutch_message() -> None:
    errors = rules.hours_validate(
        period_start=date(2024, 2, 28),
        period_end=date(2024, 2, 29),
        hours=Decimal(5000),
        today=TODAY,
        max_per_day=Decimal(12),
    )
    assert errors[0].melding == "Dat is meer dan 12 uur per dag (2 dagen)."


# --- Through the services (web form and API share them) --------------------------------------


@pytest.mark.django_db
def test_services_refuse_implausible_facts_at_the_field(case: Any, regisseur: Any) -> None:
    today = date(2025, 6, 1)
    with pytest.raises(ValidationFailed) as exc:
        services.progress_talk_add(
            case=case, by=regisseur, held_on=date(1900, 1, 1), summary="x", today=today
        )
    assert exc.value.code == "DATUM_VOOR_GEBOORTE"
    assert "held_on" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.exam_record(
            case=case,
            by=regisseur,
            component=ExamComponent.KNM,
            level="B2",
            exam_date=date(2024, 5, 1),
            result="geslaagd",
            today=today,
        )
    assert exc.value.code == "NIVEAU_NIET_VAN_TOEPASSING"
    assert "level" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.exam_record(
            case=case,
            by=regisseur,
            component=ExamComponent.ONA,
            level="",
            exam_date=date(2024, 5, 1),
            result="geslaagd",
            today=today,
        )
    assert exc.value.code == "ONDERDEEL_NIET_IN_REGIME"
    with pytest.raises(ValidationFailed) as exc:
        services.exam_record(
            case=case,
            by=regisseur,
            component=ExamComponent.LEZEN,
            level="B1",
            exam_date=date(2027, 1, 1),
            result="geslaagd",
            today=today,
        )
    assert exc.value.code == "DATUM_IN_TOEKOMST"
    with pytest.raises(ValidationFailed) as exc:
        services.hours_record(
            case=case,
            by=regisseur,
            kind=HoursKind.NT2_KNM,
            period_start=date(2025, 5, 1),
            period_end=date(2025, 5, 2),
            hours=Decimal(5000),
            today=today,
        )
    assert exc.value.code == "UREN_TE_VEEL"
    assert "hours" in exc.value.fields
    assert not ProgressTalk.objects.exists()
    assert not ExamResult.objects.exists()
    assert not HoursRecord.objects.exists()
    knm = services.exam_record(
        case=case,
        by=regisseur,
        component=ExamComponent.KNM,
        level="",
        exam_date=date(2024, 5, 1),
        result="geslaagd",
        today=today,
    )
    assert knm.level == ""


@pytest.mark.django_db
def test_the_web_form_shows_the_refusal_at_the_field(case: Any, regisseur: Any, login: Any) -> None:
    from django.urls import reverse

    client = login(regisseur)
    url = reverse("cases:action", kwargs={"pk": case.pk, "action": "examen"})
    response = client.post(
        url,
        {"component": "knm", "level": "B2", "exam_date": "01-05-2024", "result": "geslaagd"},
    )
    assert response.status_code in {200, 400}
    assert "Dit examen heeft geen niveau." in response.content.decode()
    assert not ExamResult.objects.exists()
    # KNM without a level (the form leaves the empty choice out of its data) is saved.
    saved = client.post(
        url, {"component": "knm", "level": "", "exam_date": "01-05-2024", "result": "geslaagd"}
    )
    assert saved.status_code == 302
    assert ExamResult.objects.get().level == ""


@pytest.mark.django_db
def test_the_api_answers_400_problem_json(case: Any, regisseur: Any, login: Any) -> None:
    client = login(regisseur)
    response = client.post(
        f"/api/v1/trajecten/{case.pk}/uren/",
        {
            "kind": "nt2_knm",
            "period_start": "2025-05-01",
            "period_end": "2025-05-02",
            "hours": "5000",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not HoursRecord.objects.exists()
