"""Policy screens (plan van aanpak, evaluation report) with axe-core: zero violations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.demo.policy import seed_policy_demo
from thuis.policy import services
from thuis.policy.tests.fakes import FakeSources
from thuis.tests import factories

from .test_pages import login


@pytest.fixture
def policy_world(transactional_db: Any, monkeypatch: Any) -> dict[str, Any]:
    fake = FakeSources(support={"totaal": 40, "afhankelijk": 30})
    monkeypatch.setattr(services, "_sources_factory", lambda: fake)
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    users = {
        role: factories.UserFactory(username=role, role=role, municipalities=[home])
        for role in (Role.BELEIDSMEDEWERKER, Role.BEHEERDER)
    }
    plan = seed_policy_demo(home, today=date(2024, 2, 1))
    report = home.policy_reports.get()
    services.attention_points_refresh(report=report, by=None)
    job = services.job_run(job_id=report.jobs.create(peildatum=report.peildatum).pk, sources=fake)
    services.version_publish(version=job.version, by=users[Role.BELEIDSMEDEWERKER])
    return {"plan": plan, "report": report, "job": job, "users": users}


def test_beleidsmedewerker_pages(
    page: Any, live_server: Any, policy_world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.BELEIDSMEDEWERKER, axe_check)
    visit("/beleid/")
    assert page.get_by_role("link", name="Beleid").is_visible()
    plan, report = policy_world["plan"], policy_world["report"]
    visit(f"/beleid/plannen/{plan.pk}/")
    visit(f"/beleid/plannen/{plan.pk}/wijzigen/")
    theme = plan.themes.first()
    visit(f"/beleid/themas/{theme.pk}/actie/")
    visit(f"/beleid/themas/{theme.pk}/doel/")
    visit(f"/beleid/rapporten/{report.pk}/")
    visit(f"/beleid/rapporten/{report.pk}/wijzigen/")
    visit(f"/beleid/opdrachten/{policy_world['job'].pk}/")
    visit(f"/beleid/versies/{policy_world['job'].version_id}/verzenden/")
    visit("/beleid/rapporten/nieuw/")
    # generate from the UI: the job page shows the finished progress (eager task)
    page.goto(f"{live_server.url}/beleid/rapporten/{report.pk}/")
    page.get_by_role("button", name="Rapport maken").click()
    page.wait_for_url("**/beleid/opdrachten/**")
    assert page.get_by_text("Het concept staat klaar").is_visible()
    axe_check(page)


def test_beheerder_views_read_only(
    page: Any, live_server: Any, policy_world: dict[str, Any], visit: Any, axe_check: Any
) -> None:
    login(page, live_server.url, Role.BEHEERDER, axe_check)
    visit("/beleid/")
    visit(f"/beleid/rapporten/{policy_world['report'].pk}/")
    assert page.get_by_role("button", name="Rapport maken").count() == 0
    visit(f"/beleid/plannen/{policy_world['plan'].pk}/wijzigen/", status=403)
