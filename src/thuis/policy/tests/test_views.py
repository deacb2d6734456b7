from __future__ import annotations

from typing import Any

from django.urls import reverse

import pytest

from thuis.accounts.choices import Role
from thuis.policy.models import Action, AttentionPoint, Plan, ReportVersion, Theme

from .fakes import FakeSources

pytestmark = pytest.mark.django_db


def test_home_lists_plans_and_reports_with_few_queries(
    demo_report: Any, beleid: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(beleid)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("policy:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thuis in Dalfsen" in body and "Evaluatie en doorontwikkeling" in body
    assert "Nieuw evaluatierapport" in body


def test_plan_progress_view_per_theme(
    demo_report: Any, beleid: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(beleid)
    with django_assert_max_num_queries(15):
        response = client.get(demo_report.plan.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="thuis-card pol-theme"') == 7
    assert "gemeten: 59,6%" in body and "nog niet gehaald" in body
    assert "Acties klaar: 1 van 2" in body


def test_beheerder_may_look_but_not_write(demo_report: Any, make_user: Any, login: Any) -> None:
    client = login(make_user(Role.BEHEERDER, username="beheer"))
    assert client.get(demo_report.plan.get_absolute_url()).status_code == 200
    detail = client.get(demo_report.get_absolute_url())
    assert detail.status_code == 200 and "Rapport maken</button>" not in detail.content.decode()
    assert client.get(reverse("policy:plan-edit", args=[demo_report.plan.pk])).status_code == 403
    response = client.post(
        reverse("policy:report-generate", args=[demo_report.pk]), {"peildatum": "2024-02-01"}
    )
    assert response.status_code == 403


def test_other_gemeente_sees_nothing(
    demo_report: Any, make_user: Any, other_municipality: Any, login: Any
) -> None:
    client = login(
        make_user(Role.BELEIDSMEDEWERKER, municipalities=[other_municipality], username="elders")
    )
    assert client.get(demo_report.get_absolute_url()).status_code == 404
    assert client.get(demo_report.plan.get_absolute_url()).status_code == 404
    assert "Thuis in Dalfsen" not in client.get(reverse("policy:home")).content.decode()


def test_crud_of_plan_theme_goal_and_action(
    municipality: Any, beleid: Any, login: Any, fake_sources: FakeSources
) -> None:
    client = login(beleid)
    response = client.post(
        reverse("policy:plan-create"),
        {
            "title": "Samen thuis",
            "adopted_by": "gemeenteraad",
            "adopted_on": "2017-04-18",
            "gemeente": municipality.code,
        },
    )
    plan = Plan.objects.get(title="Samen thuis")
    assert response.status_code == 302 and plan.municipality == municipality
    client.post(reverse("policy:theme-create", args=[plan.pk]), {"title": "Werk", "order": 1})
    theme = Theme.objects.get(plan=plan)
    response = client.post(
        reverse("policy:goal-create", args=[theme.pk]),
        {
            "description": "75% participeert",
            "indicator_code": "PARTICIPATIE_6M_VESTIGING",
            "comparison": "gte",
            "target_value": "120",
        },
    )
    assert response.status_code == 200 and "0 tot en met 100" in response.content.decode()
    client.post(
        reverse("policy:goal-create", args=[theme.pk]),
        {
            "description": "75% participeert",
            "indicator_code": "PARTICIPATIE_6M_VESTIGING",
            "comparison": "gte",
            "target_value": "75",
        },
    )
    assert theme.goals.count() == 1
    response = client.post(
        reverse("policy:action-create", args=[theme.pk]),
        {"title": "Werkstages", "status": "running"},
    )
    assert "Vul de echte start in" in response.content.decode()
    client.post(
        reverse("policy:action-create", args=[theme.pk]),
        {"title": "Werkstages", "status": "running", "actual_start": "2023-01-01"},
    )
    action = Action.objects.get(theme=theme)
    client.post(
        reverse("policy:action-edit", args=[action.pk]),
        {
            "title": "Werkstages",
            "status": "done",
            "actual_start": "2023-01-01",
            "actual_end": "2023-12-31",
            "evidence": "12 stages",
        },
    )
    action.refresh_from_db()
    assert action.status == "done" and action.evidence == "12 stages"
    client.post(reverse("policy:action-delete", args=[action.pk]))
    assert not Action.objects.exists()


def test_report_flow_in_the_ui(
    demo_report: Any,
    beleid: Any,
    login: Any,
    fake_sources: FakeSources,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(beleid)
    client.post(reverse("policy:report-suggest", args=[demo_report.pk]))
    assert AttentionPoint.objects.filter(rule__startswith="gender_gap").exists()
    point = AttentionPoint.objects.get(rule="low_social_network")
    client.post(
        reverse("policy:point-edit", args=[point.pk]),
        {
            "title": point.title,
            "text": "Aangepast.",
            "evidence": point.evidence,
            "include": "on",
            "order": 3,
        },
    )
    point.refresh_from_db()
    assert point.text == "Aangepast."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("policy:report-generate", args=[demo_report.pk]), {"peildatum": "2024-02-01"}
        )
    job_url = response["Location"]
    partial = client.get(job_url, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'id="job-status"' in body and "Klaar" in body and "every 2s" not in body
    version = ReportVersion.objects.get()
    pdf = client.get(
        reverse("policy:version-download", args=[version.pk]) + "?document=raad&formaat=pdf"
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    html = client.get(reverse("policy:version-download", args=[version.pk]) + "?formaat=html")
    assert "Aangepast." in html.content.decode()
    assert (
        client.get(
            reverse("policy:version-download", args=[version.pk]) + "?formaat=exe"
        ).status_code
        == 404
    )
    assert client.get(reverse("policy:version-package", args=[version.pk])).status_code == 404
    client.post(reverse("policy:version-publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.number == 1
    package = client.get(reverse("policy:version-package", args=[version.pk]))
    assert package["Content-Type"] == "application/zip"
    with django_assert_max_num_queries(15):
        detail = client.get(demo_report.get_absolute_url())
    assert "Versie 1" in detail.content.decode()


def test_running_job_partial_polls_every_two_seconds(
    demo_report: Any, beleid: Any, login: Any
) -> None:
    job = demo_report.jobs.create(
        peildatum=demo_report.peildatum, status="running", progress=40, message="Indicator ophalen"
    )
    body = (
        login(beleid)
        .get(reverse("policy:job", args=[job.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in body and 'value="40"' in body
    assert "<script" not in body


def test_distribute_screen(
    demo_report: Any, beleid: Any, login: Any, fake_sources: FakeSources, municipality: Any
) -> None:
    from thuis.partners.models import Organisation
    from thuis.policy import services

    org = Organisation.objects.create(name="Taalschool", kind="taal", email="info@taal.test")
    org.municipalities.add(municipality)
    job = services.job_run(
        job_id=demo_report.jobs.create(peildatum=demo_report.peildatum).pk, sources=fake_sources
    )
    version = services.version_publish(version=job.version, by=beleid)
    client = login(beleid)
    url = reverse("policy:version-distribute", args=[version.pk])
    assert "Taalschool" in client.get(url).content.decode()
    client.post(url, {"organisations": [org.pk]})
    assert version.distributions.get().email == "info@taal.test"
    # a distribution that failed for good shows why on the same screen
    version.distributions.update(status="failed", attempts=8, dead_reason="max_attempts")
    body = client.get(url).content.decode()
    assert "Mislukt" in body and "Opgegeven na het hoogste aantal pogingen" in body
