"""The regie flows of issue 3 through services and the web UI, with frozen time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord
from thuis.cases import rules, selectors, services
from thuis.cases.choices import CaseStatus
from thuis.cases.models import CaseSignal, EnforcementMeasure
from thuis.core.errors import ValidationFailed
from thuis.tests import factories


@pytest.fixture
def wi2021_case(municipality: Any, regisseur: Any) -> Any:
    person = factories.PersonFactory(municipality=municipality, family_name="Tesfay")
    case = factories.CaseFactory(
        person=person,
        regisseur=regisseur,
        plicht_start=date(2024, 1, 10),
        koppeling_date=date(2024, 1, 24),
        vestiging_date=date(2024, 4, 2),
    )
    services.case_set_dates(case=case, by=regisseur, kennisgeving_date=date(2024, 1, 10))
    return case


def _complete_intake(case: Any, by: Any) -> None:
    services.appointment_plan(case=case, by=by, kind="intake", scheduled_on=date(2024, 4, 8))
    services.health_note_add(case=case, by=by, physical="Rugklachten", mental="Slaapt slecht")
    services.intake_update(
        case=case,
        by=by,
        today=date(2024, 4, 20),
        started_on=date(2024, 4, 8),
        lbt_score=29,
        lbt_date=date(2024, 4, 8),
        education_history="12 jaar school",
        work_history="Kapper",
    )
    services.intake_update(
        case=case, by=by, today=date(2024, 4, 20), completed_on=date(2024, 4, 20)
    )


@pytest.mark.django_db
def test_pip_deadline_and_signals_over_time(wi2021_case: Any, regisseur: Any) -> None:
    # 10 weeks after the later of kennisgeving (2024-01-10) and vestiging (2024-04-02).
    dates = services.case_dates(wi2021_case, today=date(2024, 5, 1))
    assert dates["datums"]["PIP_UITERLIJK"]["datum"] == "2024-06-11"
    assert services.signals_refresh(case=wi2021_case, today=date(2024, 5, 1)) == (0, 0)
    opened, _ = services.signals_refresh(case=wi2021_case, today=date(2024, 5, 30))
    assert opened == 1
    assert CaseSignal.objects.get(case=wi2021_case, resolved_on=None).code == "PIP_BIJNA"
    services.signals_refresh(case=wi2021_case, today=date(2024, 6, 12))
    assert CaseSignal.objects.get(case=wi2021_case, resolved_on=None).code == "PIP_TE_LAAT"
    _complete_intake(wi2021_case, regisseur)
    services.pip_establish(
        case=wi2021_case,
        by=regisseur,
        dagtekening=date(2024, 6, 12),
        leerroute="B1",
        niveau="B1",
        today=date(2024, 6, 12),
    )
    services.signals_refresh(case=wi2021_case, today=date(2024, 6, 12))
    assert not CaseSignal.objects.filter(
        case=wi2021_case, resolved_on=None, code__startswith="PIP"
    ).exists()


@pytest.mark.django_db
def test_intake_needs_three_statutory_parts(wi2021_case: Any, regisseur: Any) -> None:
    with pytest.raises(ValidationFailed, match="leerbaarheidstoets") as exc:
        services.intake_update(
            case=wi2021_case,
            by=regisseur,
            today=date(2024, 5, 1),
            started_on=date(2024, 4, 8),
            completed_on=date(2024, 4, 20),
        )
    assert exc.value.code == "intake_onvolledig"
    _complete_intake(wi2021_case, regisseur)
    wi2021_case.refresh_from_db()
    assert wi2021_case.status == CaseStatus.INTAKE
    assert wi2021_case.intake.lbt_outcome == "haalbaar"  # 29 >= 28 from 2023-04-12


@pytest.mark.django_db
def test_pip_versions_never_move_the_termijn(wi2021_case: Any, regisseur: Any) -> None:
    _complete_intake(wi2021_case, regisseur)
    with pytest.raises(ValidationFailed) as first:  # DUO rule: B1-route with A2 on the first PIP
        services.pip_establish(
            case=wi2021_case,
            by=regisseur,
            dagtekening=date(2024, 4, 30),
            leerroute="B1",
            niveau="A2",
            today=date(2024, 5, 1),
        )
    assert first.value.code == "PIP_B1_A2_EERSTE"
    services.pip_establish(
        case=wi2021_case,
        by=regisseur,
        dagtekening=date(2024, 4, 30),
        leerroute="B1",
        niveau="B1",
        today=date(2024, 5, 1),
    )
    end = services.case_dates(wi2021_case, today=date(2024, 6, 1))["datums"]["TERMIJN_EINDE"]
    assert end["datum"] == "2027-04-30"
    with pytest.raises(ValidationFailed, match="schakelen") as late:
        services.pip_establish(
            case=wi2021_case,
            by=regisseur,
            dagtekening=date(2024, 7, 1),
            leerroute="Z",
            niveau="A2",
            reason="wijziging",
            today=date(2024, 7, 1),
        )
    assert late.value.code == "LEERROUTE_GELIJK"
    services.pip_establish(
        case=wi2021_case,
        by=regisseur,
        dagtekening=date(2024, 7, 1),
        leerroute="Z",
        niveau="A2",
        reason="schakelen",
        today=date(2024, 7, 1),
    )
    assert wi2021_case.pips.count() == 2
    again = services.case_dates(wi2021_case, today=date(2024, 8, 1))["datums"]["TERMIJN_EINDE"]
    assert again["datum"] == "2027-04-30"
    # Afschalen needs 600 course hours in the B1-route; this case is in the Z-route now.
    with pytest.raises(ValidationFailed) as exc:
        services.pip_establish(
            case=wi2021_case,
            by=regisseur,
            dagtekening=date(2024, 9, 1),
            leerroute="Z",
            niveau="A2",
            reason="afschalen",
            today=date(2024, 9, 1),
        )
    assert exc.value.code == "AFSCHALEN_NIET_TOEGESTAAN"
    services.extension_record(
        case=wi2021_case, by=regisseur, months=6, status="aangevraagd", decided_on=date(2027, 1, 5)
    )
    assert (
        services.case_dates(wi2021_case, today=date(2027, 1, 6))["datums"]["TERMIJN_EINDE"]["datum"]
        == "2027-04-30"
    )
    services.extension_record(
        case=wi2021_case, by=regisseur, months=6, status="toegekend", decided_on=date(2027, 2, 1)
    )
    assert (
        services.case_dates(wi2021_case, today=date(2027, 2, 2))["datums"]["TERMIJN_EINDE"]["datum"]
        == "2027-10-30"
    )


@pytest.mark.django_db
def test_full_trajectory_to_plicht_voldaan(wi2021_case: Any, regisseur: Any) -> None:
    _complete_intake(wi2021_case, regisseur)
    services.pip_establish(
        case=wi2021_case,
        by=regisseur,
        dagtekening=date(2024, 5, 15),
        leerroute="B1",
        niveau="B1",
        today=date(2024, 5, 15),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.plicht_end(
            case=wi2021_case,
            by=regisseur,
            reason="voldaan",
            on=date(2026, 1, 5),
            today=date(2026, 1, 5),
        )
    assert exc.value.code == "plicht_niet_voldaan"
    for component in ("lezen", "luisteren", "schrijven", "spreken"):
        services.exam_record(
            case=wi2021_case,
            by=regisseur,
            component=component,
            level="B1",
            exam_date=date(2025, 11, 3),
            result="geslaagd",
        )
    services.exam_record(
        case=wi2021_case,
        by=regisseur,
        component="knm",
        level="",  # KNM has no level (rules.exam_validate)
        exam_date=date(2025, 11, 3),
        result="geslaagd",
    )
    for component in ("pvt", "map"):
        services.completion_record(
            case=wi2021_case,
            by=regisseur,
            component=component,
            completed_on=date(2025, 6, 1),
            today=date(2025, 7, 1),
        )
    with pytest.raises(ValidationFailed) as exc:  # DUO: not before the termijn started
        services.completion_record(
            case=wi2021_case,
            by=regisseur,
            component="z_route",
            completed_on=date(2024, 5, 1),
            today=date(2025, 7, 1),
        )
    assert exc.value.code == "DATUM_VOOR_TERMIJN"
    case = services.plicht_end(
        case=wi2021_case,
        by=regisseur,
        reason="voldaan",
        on=date(2026, 1, 5),
        today=date(2026, 1, 5),
    )
    assert case.status == CaseStatus.VOLDAAN
    services.signals_refresh(case=case, today=date(2026, 1, 6))
    assert not case.signals.filter(resolved_on=None).exists()


@pytest.mark.django_db
def test_no_show_ladder(wi2021_case: Any, regisseur: Any) -> None:
    kinds = []
    for day in (1, 8, 15, 22):
        appointment = services.appointment_plan(
            case=wi2021_case, by=regisseur, kind="intake", scheduled_on=date(2024, 5, day)
        )
        measures = services.no_show_register(
            appointment=appointment, by=regisseur, today=date(2024, 5, day)
        )
        kinds.append([(m.kind, m.amount) for m in measures])
    assert kinds[0] == [("waarschuwing", None)]
    assert kinds[1] == [("boete_gemeente", Decimal("250.00"))]
    assert kinds[2] == [("boete_gemeente", Decimal("250.00")), ("pip_zonder_inbreng", None)]
    assert kinds[3] == kinds[2]
    assert EnforcementMeasure.objects.filter(case=wi2021_case).count() == 6


@pytest.mark.django_db
def test_no_fine_from_duo_for_asielstatushouders(wi2021_case: Any, regisseur: Any) -> None:
    with pytest.raises(ValidationFailed, match="Raad van State") as exc:
        services.enforcement_record(
            case=wi2021_case,
            by=regisseur,
            kind="boete_duo",
            on_date=date(2027, 6, 1),
            amount=Decimal("1000"),
        )
    assert exc.value.code == "geen_boete_asiel"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "ok"),
    [
        (date(2024, 3, 1), True),
        (date(2024, 8, 31), True),
        (date(2024, 9, 1), False),
        (date(2024, 2, 1), False),
    ],
)
def test_ontzorgen_payments_within_window(
    wi2021_case: Any, regisseur: Any, month: date, ok: bool
) -> None:
    arrangement = services.ontzorgen_set(
        case=wi2021_case,
        by=regisseur,
        bijstand_start=date(2024, 3, 1),
        machtiging_signed_on=date(2024, 3, 1),
    )
    call = lambda: services.ontzorgen_payment_add(  # noqa: E731
        arrangement=arrangement,
        by=regisseur,
        item="huur",
        month=month,
        amount=Decimal("612.40"),
        payee="Woonstichting",
        paid_on=month,
    )
    if ok:
        assert call().amount == Decimal("612.40")
    else:
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert exc.value.code == "ontzorgen_buiten_periode"


@pytest.mark.django_db
def test_ontzorgen_not_for_gezinsmigranten(municipality: Any, regisseur: Any) -> None:
    case = factories.CaseFactory(
        person=factories.PersonFactory(municipality=municipality),
        plicht_start=date(2024, 1, 10),
        doelgroep="gezinsmigrant",
        gedetailleerde_doelgroep="gezinsvormer",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.ontzorgen_set(case=case, by=regisseur, bijstand_start=date(2024, 3, 1))
    assert exc.value.code == "ontzorgen_geldt_niet"


@pytest.mark.django_db
def test_health_notes_only_for_regisseur_and_teamleider(
    wi2021_case: Any, regisseur: Any, make_user: Any, login: Any
) -> None:
    services.health_note_add(case=wi2021_case, by=regisseur, mental="Vertrouwelijk-detail")
    colleague = make_user(Role.REGISSEUR, username="collega")
    lead = make_user(Role.TEAMLEIDER, username="lead")
    assert (
        "Vertrouwelijk-detail"
        in login(regisseur).get(f"/trajecten/{wi2021_case.pk}/").content.decode()
    )
    assert (
        "Vertrouwelijk-detail" in login(lead).get(f"/trajecten/{wi2021_case.pk}/").content.decode()
    )
    page = login(colleague).get(f"/trajecten/{wi2021_case.pk}/")
    assert page.status_code == 200
    assert "Vertrouwelijk-detail" not in page.content.decode()
    assert ProcessingRecord.objects.filter(object_type="health_note", action="read").count() == 2


@pytest.mark.django_db
def test_case_page_and_calculator_agree(wi2021_case: Any, regisseur: Any, login: Any) -> None:
    services.case_set_dates(case=wi2021_case, by=regisseur, vestiging_date=date(2024, 2, 1))
    services.intake_update(
        case=wi2021_case, by=regisseur, today=date(2024, 2, 5), started_on=date(2024, 2, 5)
    )
    services.pip_establish(
        case=wi2021_case,
        by=regisseur,
        dagtekening=date(2024, 2, 29),
        leerroute="Z",
        niveau="A2",
        today=date(2024, 5, 1),
    )
    facts = services.case_facts(wi2021_case, today=date(2024, 6, 1))
    expected = rules.calculate(facts).as_json()["datums"]
    with time_machine.travel(date(2024, 6, 1)):
        page = login(regisseur).get(f"/trajecten/{wi2021_case.pk}/")
    html = page.content.decode()
    for code, entry in expected.items():
        assert f'data-code="{code}">{entry["datum"] or "nog niet bekend"}<' in html
    assert expected["TERMIJN_EINDE"]["datum"] == "2027-02-28"


@pytest.mark.django_db
def test_browserless_flow_through_forms(wi2021_case: Any, regisseur: Any, login: Any) -> None:
    client = login(regisseur)
    url = f"/trajecten/{wi2021_case.pk}"
    with time_machine.travel(date(2024, 6, 1)):
        assert client.get(f"{url}/intake/").status_code == 200
        bad = client.post(f"{url}/intake/", {"lbt_score": "55", "lbt_date": "2024-04-08"})
        assert bad.status_code == 200 and "40" in bad.content.decode()
        ok = client.post(f"{url}/afspraak/", {"kind": "intake", "scheduled_on": "2024-04-08"})
        assert ok.status_code == 302
        client.post(f"{url}/gezondheid/", {"physical": "Goed"})
        client.post(
            f"{url}/intake/",
            {
                "started_on": "2024-04-08",
                "lbt_score": "30",
                "lbt_date": "2024-04-08",
                "education_history": "Basisschool",
            },
        )
        pip = client.post(
            f"{url}/pip/",
            {
                "reason": "eerste",
                "dagtekening": "2024-05-20",
                "leerroute": "B1",
                "niveau": "B1",
                "pvt_intensiteit": "standaard",
                "map_intensiteit": "standaard",
                "alfabetisering": "NVT",
            },
        )
        assert pip.status_code == 302, pip.content.decode()[:2000]
    wi2021_case.refresh_from_db()
    assert wi2021_case.status == CaseStatus.PIP
    assert wi2021_case.pips.get().leerroute == "B1"


@pytest.mark.django_db
def test_case_page_query_count_is_bounded(wi2021_case: Any, regisseur: Any, login: Any) -> None:
    _complete_intake(wi2021_case, regisseur)
    client = login(regisseur)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/trajecten/{wi2021_case.pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(5):
        services.exam_record(
            case=wi2021_case,
            by=regisseur,
            component="lezen",
            level="A2",
            exam_date=date(2024, 6, 1 + n),
            result="gezakt",
        )
        services.progress_talk_add(
            case=wi2021_case,
            by=regisseur,
            held_on=date(2024, 6, 1 + n),
            summary="Gaat goed",
            today=date(2024, 7, 1),
        )
    assert count() <= before + 2


@pytest.mark.django_db
def test_work_queue_per_regisseur(
    wi2021_case: Any, regisseur: Any, make_user: Any, login: Any
) -> None:
    services.signals_refresh(case=wi2021_case, today=date(2024, 6, 12))
    mine = login(regisseur).get("/trajecten/werkvoorraad/")
    assert "Tesfay" in mine.content.decode()
    other = make_user(Role.REGISSEUR, username="ander")
    assert "Tesfay" not in login(other).get("/trajecten/werkvoorraad/").content.decode()
    assert "Tesfay" in login(other).get("/trajecten/werkvoorraad/?alles=1").content.decode()
    assert list(selectors.work_queue_for_user(user=other, only_mine=False))


@pytest.mark.django_db
def test_signalen_command_and_task(wi2021_case: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("signalen", "--datum", "2024-06-12", stdout=out)
    assert "1 nieuw" in out.getvalue()
    assert wi2021_case.signals.filter(code="PIP_TE_LAAT", resolved_on=None).exists()
    from thuis.cases.tasks import refresh_signals

    with time_machine.travel(date(2024, 6, 13)):
        assert refresh_signals.delay().get()["trajecten"] == 1


@pytest.mark.django_db
def test_wi2013_case_dates_and_no_pip(municipality: Any, regisseur: Any) -> None:
    case = factories.CaseFactory(
        person=factories.PersonFactory(municipality=municipality),
        plicht_start=date(2020, 2, 29),
        vestiging_date=date(2020, 6, 30),
    )
    assert case.regime == "Wi2013"
    dates = services.case_dates(case, today=date(2021, 1, 1))["datums"]
    assert dates["TERMIJN_EINDE"]["datum"] == "2023-02-28"
    assert dates["PVT_UITERLIJK"]["datum"] == "2021-06-30"
    services.intake_update(
        case=case, by=regisseur, today=date(2020, 7, 1), started_on=date(2020, 7, 1)
    )
    with pytest.raises(ValidationFailed, match="2021") as wrong_law:
        services.pip_establish(
            case=case,
            by=regisseur,
            dagtekening=date(2020, 8, 1),
            leerroute="B1",
            niveau="B1",
            today=date(2020, 8, 1),
        )
    assert wrong_law.value.code == "PIP_WI2013"


@pytest.mark.django_db
def test_wi2013_loan_status(
    municipality: Any, regisseur: Any, login: Any, wi2021_case: Any
) -> None:
    old = factories.CaseFactory(
        person=factories.PersonFactory(municipality=municipality),
        plicht_start=date(2019, 5, 1),
        regisseur=regisseur,
    )
    response = login(regisseur).post(f"/trajecten/{old.pk}/lening/", {"loan_status": "lopend"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.loan_status == "lopend"
    with pytest.raises(ValidationFailed) as exc:
        services.loan_status_set(case=wi2021_case, by=regisseur, loan_status="lopend")
    assert exc.value.code == "lening_regime"
