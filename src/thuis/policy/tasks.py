from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="thuis.policy.generate_report")
def generate_report(job_id: int) -> str:
    job = services.job_run(job_id=job_id)
    return str(job.status)


@shared_task(name="thuis.policy.deliver_distribution")
def deliver_distribution(distribution_id: int) -> str:
    item = services.distribution_deliver(distribution_id=distribution_id)
    return str(item.status) if item is not None else "skipped"


@shared_task(name="thuis.policy.deliver_due")
def deliver_due() -> dict[str, int]:
    return services.distributions_deliver_due()
