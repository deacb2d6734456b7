from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.cases import services
from thuis.cases.choices import CaseStatus, Regime
from thuis.core.errors import ConflictError, NotAllowed, ValidationFailed
from thuis.tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("plicht_start", "regime"),
    [(date(2021, 12, 31), Regime.WI2013), (date(2022, 1, 1), Regime.WI2021)],
)
def test_case_open_sets_regime_from_rules(person: Any, plicht_start: date, regime: str) -> None:
    case = factories.CaseFactory(person=person, plicht_start=plicht_start)
    assert case.regime == regime
    assert case.status == CaseStatus.AANGEMELD
    assert case.status_changes.count() == 1
    assert case.doelgroepen.get().end_date is None


@pytest.mark.django_db
def test_status_workflow(case: Any, regisseur: Any) -> None:
    with pytest.raises(NotAllowed) as exc:
        services.case_change_status(
            case=case, to=CaseStatus.VOLDAAN, by=regisseur, on=date(2023, 4, 1)
        )
    assert exc.value.code == "STATUS_OVERGANG"
    with pytest.raises(ValidationFailed) as early:
        services.case_change_status(
            case=case, to=CaseStatus.INTAKE, by=regisseur, on=date(2023, 1, 1)
        )
    assert early.value.code == "STATUS_DATUM_VOOR_VORIGE"
    case = services.case_change_status(
        case=case, to=CaseStatus.INTAKE, by=regisseur, on=date(2023, 4, 1), expected_version=1
    )
    assert case.version == 2
    with pytest.raises(ConflictError) as exc:
        services.case_change_status(
            case=case, to=CaseStatus.PIP, by=regisseur, on=date(2023, 5, 1), expected_version=1
        )
    assert exc.value.code == "conflict"
    case = services.case_change_status(
        case=case, to=CaseStatus.PIP, by=regisseur, on=date(2023, 5, 1)
    )
    case = services.case_change_status(
        case=case, to=CaseStatus.VOLDAAN, by=regisseur, on=date(2025, 5, 1)
    )
    assert [c.to_status for c in case.status_changes.all()] == [
        "aangemeld",
        "intake",
        "pip",
        "voldaan",
    ]
    with pytest.raises(NotAllowed) as exc:
        services.case_change_status(case=case, to=CaseStatus.PIP, by=regisseur, on=date(2025, 6, 1))
    assert exc.value.code == "STATUS_OVERGANG"


@pytest.mark.django_db
def test_doelgroep_history(case: Any, regisseur: Any) -> None:
    services.case_change_doelgroep(
        case=case,
        by=regisseur,
        doelgroep="gezinsmigrant",
        gedetailleerde_doelgroep="overig",
        on=date(2024, 2, 29),
    )
    periods = list(case.doelgroepen.order_by("start_date"))
    assert periods[0].end_date == date(2024, 2, 28)
    assert periods[1].start_date == date(2024, 2, 29) and periods[1].end_date is None
    with pytest.raises(ValidationFailed) as pair:
        services.case_change_doelgroep(
            case=case,
            by=regisseur,
            doelgroep="asielstatushouder",
            gedetailleerde_doelgroep="overig",
            on=date(2024, 6, 1),
        )
    assert pair.value.code == "DOELGROEP_DETAIL"


@pytest.mark.django_db
def test_assign_only_within_municipality(
    case: Any, regisseur: Any, make_user: Any, other_municipality: Any
) -> None:
    stranger = make_user(municipalities=[other_municipality], username="elders")
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign(case=case, by=regisseur, regisseur=stranger)
    assert exc.value.code == "regisseur_gemeente"
    colleague = make_user(username="collega")
    assert services.case_assign(case=case, by=regisseur, regisseur=colleague).regisseur == colleague


@pytest.mark.django_db
def test_services_raise_the_rules_error_codes(case: Any, regisseur: Any) -> None:
    """The services call the rules; each refusal carries the rule's stable code."""
    with pytest.raises(NotAllowed) as refused:
        services.case_change_status(case=case, to=CaseStatus.PIP, by=regisseur, on=date(2023, 4, 1))
    assert refused.value.code == "STATUS_OVERGANG"
    with pytest.raises(ValidationFailed) as early:
        services.case_change_status(
            case=case, to=CaseStatus.INTAKE, by=regisseur, on=date(2023, 2, 28)
        )
    assert early.value.code == "STATUS_DATUM_VOOR_VORIGE"
    with pytest.raises(ValidationFailed) as pair:
        services.case_change_doelgroep(
            case=case,
            by=regisseur,
            doelgroep="asielstatushouder",
            gedetailleerde_doelgroep="gezinshereniger",
            on=date(2024, 2, 29),
        )
    assert pair.value.code == "DOELGROEP_DETAIL"
    with pytest.raises(ValidationFailed) as too_long:
        services.extension_record(
            case=case, by=regisseur, months=61, status="aangevraagd", decided_on=date(2024, 2, 29)
        )
    assert too_long.value.code == "VERLENGING_ONGELDIG"
    with pytest.raises(ValidationFailed) as no_intake:
        services.pip_establish(
            case=case,
            by=regisseur,
            dagtekening=date(2023, 4, 12),
            leerroute="B1",
            niveau="B1",
            today=date(2023, 4, 12),
        )
    assert no_intake.value.code == "PIP_VOOR_INTAKE"
    wi2013 = factories.CaseFactory(person=case.person, plicht_start=date(2021, 12, 31))
    with pytest.raises(ValidationFailed) as wrong_law:
        services.pip_establish(
            case=wi2013,
            by=regisseur,
            dagtekening=date(2022, 1, 1),
            leerroute="B1",
            today=date(2022, 1, 1),
        )
    assert wrong_law.value.code == "PIP_WI2013"


@pytest.mark.django_db
def test_doelgroep_change_must_start_after_the_current_period(case: Any, regisseur: Any) -> None:
    with pytest.raises(ValidationFailed) as same_day:
        services.case_change_doelgroep(
            case=case,
            by=regisseur,
            doelgroep="gezinsmigrant",
            gedetailleerde_doelgroep="overig",
            on=case.plicht_start,
        )
    assert same_day.value.code == "DOELGROEP_DATUM"
    assert case.doelgroepen.count() == 1
