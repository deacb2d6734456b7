from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core import mail
from django.utils import timezone

import pytest

from thuis.core.errors import NotAllowed, ValidationFailed
from thuis.demo.policy import seed_policy_demo
from thuis.partners.models import Organisation, OrganisationContact
from thuis.policy import services
from thuis.policy.models import (
    Action,
    AttentionPoint,
    Distribution,
    Goal,
    Plan,
    ReportJob,
    ReportVersion,
    Theme,
)

from .conftest import PEILDATUM
from .fakes import FakeSources

pytestmark = pytest.mark.django_db


def test_seed_policy_demo_builds_the_dalfsen_plan_once(municipality: Any) -> None:
    plan = seed_policy_demo(municipality, today=PEILDATUM)
    assert plan.title == "Thuis in Dalfsen" and plan.adopted_on == date(2017, 4, 18)
    titles = list(plan.themes.values_list("title", flat=True))
    assert titles == [
        "Taal",
        "Werk en participatie",
        "Sociale netwerken en welkom voelen",
        "Vrouwen",
        "Vrijwilligers en professionals",
        "Regierol Wet inburgering 2021",
        "Financiën",
    ]
    goal = Goal.objects.get(indicator_code="PARTICIPATIE_6M_VESTIGING")
    assert goal.target_value == Decimal("75") and goal.comparison == "gte"
    assert set(Action.objects.values_list("status", flat=True)) == {"planned", "running", "done"}
    report = municipality.policy_reports.get()
    assert report.burgemeester == "drs. E. van Lente"
    seed_policy_demo(municipality, today=PEILDATUM)
    assert Plan.objects.count() == 1 and Theme.objects.count() == 7
    assert municipality.policy_reports.count() == 1


def test_seed_links_action_owners_to_partner_organisations(municipality: Any) -> None:
    org = Organisation.objects.create(name="VluchtelingenWerk (demo)", kind="mb")
    seed_policy_demo(municipality, today=PEILDATUM)
    assert Action.objects.filter(owner=org).count() == 2


@pytest.mark.parametrize(
    ("code", "target", "message", "error"),
    [
        ("PARTICIPATIE_6M_VESTIGING", None, "streefwaarde", "streefwaarde_ontbreekt"),
        ("PARTICIPATIE_6M_VESTIGING", Decimal("120"), "0 tot en met 100", "streefwaarde_bereik"),
        ("BESTAAT_NIET", Decimal("50"), "bestaat niet", "indicator_onbekend"),
    ],
)
def test_goal_save_checks_target_and_indicator(
    municipality: Any, code: str, target: Decimal | None, message: str, error: str
) -> None:
    plan = Plan.objects.create(municipality=municipality, title="P")
    theme = Theme.objects.create(plan=plan, title="T")
    with pytest.raises(ValidationFailed, match=message) as exc:
        services.goal_save(
            goal=Goal(theme=theme, description="d", indicator_code=code, target_value=target),
            by=None,
        )
    assert exc.value.code == error


def test_action_save_checks_dates(municipality: Any) -> None:
    theme = Theme.objects.create(
        plan=Plan.objects.create(municipality=municipality, title="P"), title="T"
    )
    with pytest.raises(ValidationFailed, match="echte start") as exc:
        services.action_save(
            action=Action(theme=theme, title="a", status="running"), by=None, today=PEILDATUM
        )
    assert exc.value.code == "actie_datums"
    action = services.action_save(
        action=Action(theme=theme, title="a", status="running", actual_start=date(2023, 1, 1)),
        by=None,
        today=PEILDATUM,
    )
    assert action.pk


def test_report_create_refuses_a_plan_of_another_gemeente(
    municipality: Any, other_municipality: Any
) -> None:
    plan = Plan.objects.create(municipality=other_municipality, title="Elders")
    with pytest.raises(NotAllowed) as exc:
        services.report_create(municipality=municipality, by=None, peildatum=PEILDATUM, plan=plan)
    assert exc.value.code == "niet_toegestaan"


def test_attention_points_are_suggested_with_evidence_and_keep_edits(
    demo_report: Any, fake_sources: FakeSources
) -> None:
    result = services.attention_points_refresh(report=demo_report, by=None, peildatum=PEILDATUM)
    assert result == {"nieuw": 4, "bijgewerkt": 0}
    rules_found = set(demo_report.attention_points.exclude(rule="").values_list("rule", flat=True))
    assert rules_found == {
        "gender_gap:WERK_12M",
        "below_target:PARTICIPATIE_6M_VESTIGING",
        "low_social_network",
        "volunteer_dependence",
    }
    gap = AttentionPoint.objects.get(rule="gender_gap:WERK_12M")
    assert "vrouwen 12,0% (95%-interval 5,6–23,8%, n = 50)" in gap.evidence
    gap.text = "Eigen tekst van de beleidsmedewerker."
    gap.save()
    again = services.attention_points_refresh(report=demo_report, by=None, peildatum=PEILDATUM)
    assert again == {"nieuw": 0, "bijgewerkt": 0}
    gap.refresh_from_db()
    assert gap.text == "Eigen tekst van de beleidsmedewerker."


def test_job_runs_eagerly_with_progress_and_stores_a_draft(
    demo_report: Any,
    fake_sources: FakeSources,
    beleid: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(report=demo_report, by=beleid, peildatum=PEILDATUM)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.finished_at
    version = job.version
    assert version.status == "draft" and version.number is None
    assert version.files.count() == 6
    assert all(services.sha256(bytes(f.content)) == f.sha256 for f in version.files.all())
    assert version.snapshot["peildatum"] == "2024-02-01"


def test_failed_job_is_marked_failed(demo_report: Any, beleid: Any) -> None:
    class Broken(FakeSources):
        def indicator_table(self, **kwargs: Any) -> Any:
            raise RuntimeError("stuk")

    job = ReportJob.objects.create(report=demo_report, peildatum=PEILDATUM)
    job = services.job_run(job_id=job.pk, sources=Broken())
    assert job.status == "failed" and "RuntimeError" in job.message
    assert not ReportVersion.objects.exists()


def test_publish_numbers_versions_and_drafts_can_be_deleted(
    demo_report: Any, fake_sources: FakeSources, beleid: Any
) -> None:
    drafts = [
        services.job_run(
            job_id=ReportJob.objects.create(report=demo_report, peildatum=PEILDATUM).pk,
            sources=fake_sources,
        ).version
        for _ in range(3)
    ]
    assert services.version_publish(version=drafts[0], by=beleid).number == 1
    assert services.version_publish(version=drafts[1], by=beleid).number == 2
    with pytest.raises(NotAllowed) as exc:
        services.draft_delete(version=ReportVersion.objects.get(pk=drafts[0].pk), by=beleid)
    assert exc.value.code == "niet_toegestaan"
    services.draft_delete(version=drafts[2], by=beleid)
    assert ReportVersion.objects.count() == 2


@pytest.fixture
def published(demo_report: Any, fake_sources: FakeSources, beleid: Any, municipality: Any) -> Any:
    job = services.job_run(
        job_id=ReportJob.objects.create(report=demo_report, peildatum=PEILDATUM).pk,
        sources=fake_sources,
    )
    return services.version_publish(version=job.version, by=beleid)


@pytest.fixture
def partners(municipality: Any) -> list[Organisation]:
    mb = Organisation.objects.create(name="VluchtelingenWerk", kind="mb")
    school = Organisation.objects.create(name="Taalschool", kind="taal", email="info@taal.test")
    for org in (mb, school):
        org.municipalities.add(municipality)
    OrganisationContact.objects.create(organisation=mb, name="Anna", email="Anna@vwn.test")
    OrganisationContact.objects.create(organisation=mb, name="Bram", email="bram@vwn.test")
    OrganisationContact.objects.create(organisation=mb, name="Zonder mail")
    return [mb, school]


def test_distribution_sends_once_per_contact_with_idempotency_key(
    published: Any,
    partners: list[Organisation],
    beleid: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = services.distribution_create(version=published, by=beleid, organisations=partners)
    assert sorted(d.email for d in created) == ["anna@vwn.test", "bram@vwn.test", "info@taal.test"]
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    keys = {m.extra_headers["X-Thuis-Idempotentiesleutel"] for m in mail.outbox}
    assert keys == {str(d.idempotency_key) for d in Distribution.objects.all()}
    assert [a[0].endswith(".pdf") for a in message.attachments] == [True, True]
    assert set(Distribution.objects.values_list("status", flat=True)) == {"sent"}
    with django_capture_on_commit_callbacks(execute=True):
        again = services.distribution_create(version=published, by=beleid, organisations=partners)
    assert again == [] and len(mail.outbox) == 3


def test_distribution_retries_after_a_mail_failure(
    published: Any, partners: list[Organisation], beleid: Any, settings: Any
) -> None:
    created = services.distribution_create(version=published, by=beleid, organisations=partners[1:])
    settings.EMAIL_BACKEND = "thuis.policy.tests.test_services.FailingBackend"
    item = services.distribution_deliver(distribution_id=created[0].pk)
    assert item.status == "pending" and item.attempts == 1 and item.last_error
    assert services.distribution_deliver(distribution_id=item.pk) is None  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + timedelta(minutes=5)
    assert services.distributions_deliver_due(now=later) == {
        "verzonden": 1,
        "mislukt": 0,
        "opnieuw": 0,
    }
    assert len(mail.outbox) == 1


def test_distribution_only_for_published_versions_and_own_partners(
    demo_report: Any,
    fake_sources: FakeSources,
    beleid: Any,
    published: Any,
    other_municipality: Any,
) -> None:
    draft = services.job_run(
        job_id=ReportJob.objects.create(report=demo_report, peildatum=PEILDATUM).pk,
        sources=fake_sources,
    ).version
    elsewhere = Organisation.objects.create(name="Elders", kind="mb", email="x@elders.test")
    elsewhere.municipalities.add(other_municipality)
    with pytest.raises(NotAllowed) as exc:
        services.distribution_create(version=draft, by=beleid, organisations=[elsewhere])
    assert exc.value.code == "niet_toegestaan"
    with pytest.raises(NotAllowed) as exc:
        services.distribution_create(version=published, by=beleid, organisations=[elsewhere])
    assert exc.value.code == "niet_toegestaan"


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("smtp down")
