"""Policy operations: plan van aanpak, report texts, generation jobs, publishing, distribution.

Every write is one atomic function with keyword-only arguments and Dutch ThuisError messages.
Nothing here touches personal data: the report reads aggregates only (see sources.py), so
there is no processing-log record to write.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from thuis.core import disclosure, outbox, validation
from thuis.core.errors import ConflictError, NotAllowed, ValidationFailed
from thuis.partners import selectors as partner_selectors
from thuis.people.models import Municipality

from . import render, rules
from . import report as report_builder
from .choices import (
    DeliveryStatus,
    FileFormat,
    JobStatus,
    VersionStatus,
)
from .models import (
    Action,
    AttentionPoint,
    Distribution,
    Goal,
    Plan,
    Report,
    ReportFile,
    ReportJob,
    ReportVersion,
    Theme,
)
from .sources import LiveSources, Sources

if TYPE_CHECKING:
    from thuis.partners.models import Organisation

logger = logging.getLogger(__name__)
_sources_factory: Any = LiveSources


def default_sources() -> Sources:
    """The live sources; tests may replace `_sources_factory`."""
    source: Sources = _sources_factory()
    return source


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- plan van aanpak ---------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: Plan, by: Any) -> Plan:
    validation.save(plan)
    return plan


@transaction.atomic
def theme_save(*, theme: Theme, by: Any) -> Theme:
    validation.save(theme)
    return theme


def known_indicator(code: str) -> bool | None:
    """True/False when the catalogue is available; None when it is not (cannot check)."""
    meta = default_sources().indicator_meta(code)
    if meta is not None:
        return True
    try:
        from django.apps import apps

        if not apps.is_installed("thuis.monitoring"):
            return None
        from thuis.monitoring import indicators

        return code in indicators.CATALOGUE
    except (ImportError, AttributeError, RuntimeError):
        return None


@transaction.atomic
def goal_save(*, goal: Goal, by: Any) -> Goal:
    goal.indicator_code = goal.indicator_code.strip().upper()
    if goal.indicator_code:
        if goal.target_value is None:
            raise ValidationFailed(
                "Vul een streefwaarde in bij een doel met een indicator.",
                code="streefwaarde_ontbreekt",
            )
        if not 0 <= goal.target_value <= 100:
            raise ValidationFailed(
                "De streefwaarde is een percentage van 0 tot en met 100.",
                code="streefwaarde_bereik",
            )
        if known_indicator(goal.indicator_code) is False:
            raise ValidationFailed(
                f"Indicator {goal.indicator_code} bestaat niet.", code="indicator_onbekend"
            )
    validation.save(goal)
    return goal


@transaction.atomic
def action_save(*, action: Action, by: Any, today: date) -> Action:
    problem = rules.action_dates_problem(
        status=action.status,
        planned_start=action.planned_start,
        planned_end=action.planned_end,
        actual_start=action.actual_start,
        actual_end=action.actual_end,
        today=today,
    )
    if problem:
        raise ValidationFailed(problem, code="actie_datums")
    validation.save(action)
    return action


@transaction.atomic
def plan_object_delete(*, obj: Plan | Theme | Goal | Action, by: Any) -> None:
    if (
        isinstance(obj, Plan)
        and obj.reports.filter(versions__status=VersionStatus.PUBLISHED).exists()
    ):
        raise NotAllowed("Dit plan hoort bij een vastgesteld rapport en blijft bewaard.")
    obj.delete()


# --- report ------------------------------------------------------------------------------------


def _default_texts(*, plan: Plan | None, approach: str, gemeente: str) -> dict[str, str]:
    """Starting texts in the structure of the seed raadsvoorstel; the user edits them."""
    year = plan.adopted_on.year if plan and plan.adopted_on else None
    title = f"Evaluatie en doorontwikkeling ‘{approach}’"
    return {
        "doel": f"Kennis te nemen van de ‘{title}’ en het advies van de participatieraad.",
        "inleiding": (
            (
                f"In {year} heeft uw raad het plan van aanpak ‘{approach}’ vastgesteld. "
                if year
                else ""
            )
            + "In de afgelopen jaren zijn wij, samen met de maatschappelijke organisaties, aan het "
            "werk gegaan om uitvoering te geven aan het plan van aanpak. Het is tijd om terug te "
            f"blikken en vooruit te kijken. Dit alles staat beschreven in de ‘{title}’, die als "
            "bijlage 1 bij dit voorstel is gevoegd."
        ),
        "kernboodschap": (
            "De evaluatie is tot stand gekomen door terug te blikken op de uitgevoerde acties, "
            "door met statushouders, organisaties en de participatieraad in gesprek te gaan, door "
            "enquêtes en door een analyse van de beschikbare cijfers."
        ),
        "communicatie": (
            "De evaluatie wordt na bespreking in uw commissie verspreid onder onze "
            "samenwerkingspartners."
        ),
        "vervolg": (
            "We houden u op de hoogte van de voortgang in de uitvoering via de gebruikelijke "
            "rapportages en via het RIS."
        ),
    }


@transaction.atomic
def report_create(
    *,
    municipality: Municipality,
    by: Any,
    peildatum: date,
    plan: Plan | None = None,
    approach: str = "",
) -> Report:
    if plan is not None and plan.municipality_id != municipality.pk:
        raise NotAllowed("Dit plan hoort bij een andere gemeente.")
    approach = approach or (plan.title if plan else "")
    if not approach:
        raise ValidationFailed("Geef de naam van de aanpak, of kies een plan van aanpak.")
    start = plan.adopted_on if plan and plan.adopted_on else date(peildatum.year - 3, 1, 1)
    report = Report(
        municipality=municipality,
        plan=plan,
        approach=approach,
        peildatum=peildatum,
        period_start=start,
        created_by=by if not isinstance(by, str) else None,
        **_default_texts(plan=plan, approach=approach, gemeente=municipality.name),
    )
    validation.save(report)
    return report


@transaction.atomic
def report_save(*, report: Report, by: Any) -> Report:
    if report.plan is not None and report.plan.municipality_id != report.municipality_id:
        raise NotAllowed("Dit plan hoort bij een andere gemeente.")
    if report.period_start > report.peildatum:
        raise ValidationFailed("‘Terugblik vanaf’ moet vóór de peildatum liggen.")
    validation.save(report)
    return report


def suggestions(*, report: Report, peildatum: date, sources: Sources) -> list[rules.Suggestion]:
    """Attention points that the data suggest (pure rules over suppressed aggregates)."""
    found: list[rules.Suggestion] = []
    k = disclosure.default_k()
    for fig in report_builder.figures_of(report):
        if "geslacht" not in fig["per"]:
            continue
        table = sources.indicator_table(
            code=fig["code"],
            municipality=report.municipality,
            peildatum=peildatum,
            per=fig["per"],
        )
        meta = sources.indicator_meta(fig["code"])
        if table is not None and meta is not None:
            gap = rules.gender_gap(code=fig["code"], name=meta["naam"], cells=table["cellen"])
            if gap:
                found.append(gap)
    if report.plan is not None:
        seen: set[str] = set()
        for goal in Goal.objects.filter(theme__plan=report.plan).exclude(indicator_code=""):
            if goal.indicator_code in seen or goal.target_value is None:
                continue
            seen.add(goal.indicator_code)
            table = sources.indicator_table(
                code=goal.indicator_code,
                municipality=report.municipality,
                peildatum=peildatum,
                per=[],
            )
            meta = sources.indicator_meta(goal.indicator_code)
            cell = report_builder._total_cell(table)
            hit = rules.below_target(
                goal=goal.description,
                code=goal.indicator_code,
                name=meta["naam"] if meta else goal.indicator_code,
                cell=cell,
                target=goal.target_value,
                comparison=goal.comparison,
            )
            if hit:
                found.append(hit)
    inputs = sources.survey_inputs(
        municipality=report.municipality, start=report.period_start, end=peildatum
    )
    for item in inputs or []:
        if item["code"] == "social_network":
            hit = rules.low_social_network(
                label=item["label"],
                numerator=item["teller"],
                denominator=item["noemer"],
                k=int(item.get("k", k)),
            )
            if hit:
                found.append(hit)
    support = sources.support_dependence(municipality=report.municipality, peildatum=peildatum)
    if support:
        hit = rules.volunteer_dependence(
            dependent=support["afhankelijk"], total=support["totaal"], k=k
        )
        if hit:
            found.append(hit)
    return found


@transaction.atomic
def attention_points_refresh(
    *, report: Report, by: Any, peildatum: date | None = None, sources: Sources | None = None
) -> dict[str, int]:
    """Add new suggestions; refresh the evidence of earlier ones (edited text stays)."""
    sources = sources or default_sources()
    peildatum = peildatum or report.peildatum
    existing = {p.rule: p for p in report.attention_points.exclude(rule="")}
    created = updated = 0
    order = (report.attention_points.aggregate(m=Max("order"))["m"] or 0) + 1
    for s in suggestions(report=report, peildatum=peildatum, sources=sources):
        point = existing.get(s.key)
        if point is None:
            AttentionPoint.objects.create(
                report=report,
                rule=s.key,
                title=s.title,
                text=s.text,
                evidence=s.evidence,
                order=order,
            )
            order += 1
            created += 1
        elif point.evidence != s.evidence:
            point.evidence = s.evidence
            point.save(update_fields=["evidence", "updated_at"])
            updated += 1
    return {"nieuw": created, "bijgewerkt": updated}


@transaction.atomic
def attention_point_save(*, point: AttentionPoint, by: Any) -> AttentionPoint:
    validation.save(point)
    return point


@transaction.atomic
def attention_point_delete(*, point: AttentionPoint, by: Any) -> None:
    point.delete()


# --- generation --------------------------------------------------------------------------------


def render_all(snapshot: dict[str, Any]) -> dict[tuple[str, str], bytes]:
    files: dict[tuple[str, str], bytes] = {}
    for document in render.DOCUMENTS:
        for fmt in render.FORMATS:
            files[(str(document), str(fmt))] = render.render(snapshot, document, fmt)
    return files


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode("utf-8"))


@transaction.atomic
def job_start(*, report: Report, by: Any, peildatum: date) -> ReportJob:
    """Queue a generation; the worker (eager in the embedded default) fills the progress."""
    running = report.jobs.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING]).first()
    if running is not None:
        return running
    job = ReportJob.objects.create(
        report=report,
        peildatum=peildatum,
        requested_by=by if not isinstance(by, str) else None,
        message="Wacht op een vrije plek",
    )
    transaction.on_commit(partial(_schedule, job.pk))
    return job


def _schedule(job_id: int) -> None:
    from . import tasks

    try:
        tasks.generate_report.delay(job_id)
    except Exception as exc:
        logger.warning("Rapportopdracht %s wacht: %s", job_id, type(exc).__name__)


def _progress(job_id: int, pct: int, message: str, status: str = JobStatus.RUNNING) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        progress=min(max(pct, 0), 100),
        message=message[:200],
        status=status,
        updated_at=timezone.now(),
    )


def job_run(*, job_id: int, sources: Sources | None = None) -> ReportJob:
    """Build the snapshot, render every document and format, store a draft version."""
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, progress=1, message="Gestart", updated_at=timezone.now()
    )
    job = ReportJob.objects.select_related("report__municipality", "report__plan").get(pk=job_id)
    if not claimed:
        return job
    sources = sources or default_sources()
    try:
        snapshot = report_builder.build_snapshot(
            report=job.report,
            peildatum=job.peildatum,
            sources=sources,
            progress=partial(_progress, job_id),
        )
        files: dict[tuple[str, str], bytes] = {}
        steps = [(d, f) for d in render.DOCUMENTS for f in render.FORMATS]
        for n, (document, fmt) in enumerate(steps):
            _progress(job_id, 45 + int(50 * n / len(steps)), f"{document} als {fmt} maken")
            files[(str(document), str(fmt))] = render.render(snapshot, document, fmt)
        version = _store_version(
            report=job.report,
            peildatum=job.peildatum,
            snapshot=snapshot,
            files=files,
            by=job.requested_by,
        )
    except Exception as exc:
        logger.exception("Rapportopdracht %s mislukt", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            message=f"Mislukt: {type(exc).__name__}"[:200],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    else:
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE,
            progress=100,
            message="Klaar",
            version=version,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


@transaction.atomic
def _store_version(
    *,
    report: Report,
    peildatum: date,
    snapshot: dict[str, Any],
    files: dict[tuple[str, str], bytes],
    by: Any,
) -> ReportVersion:
    version = ReportVersion.objects.create(
        report=report,
        peildatum=peildatum,
        snapshot=snapshot,
        snapshot_sha256=snapshot_hash(snapshot),
        created_by=by,
    )
    ReportFile.objects.bulk_create(
        ReportFile(
            version=version,
            document=document,
            fmt=fmt,
            content=content,
            sha256=sha256(content),
            size=len(content),
        )
        for (document, fmt), content in files.items()
    )
    return version


@transaction.atomic
def version_publish(*, version: ReportVersion, by: Any) -> ReportVersion:
    """Freeze a draft: it gets the next number and never changes again."""
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status == VersionStatus.PUBLISHED:
        raise ConflictError("Deze versie is al vastgesteld.")
    number = (
        ReportVersion.objects.filter(
            report_id=locked.report_id, status=VersionStatus.PUBLISHED
        ).aggregate(m=Max("number"))["m"]
        or 0
    ) + 1
    locked.status = VersionStatus.PUBLISHED
    locked.number = number
    locked.published_at = timezone.now()
    locked.published_by = by if not isinstance(by, str) else None
    locked.save(update_fields=["status", "number", "published_at", "published_by", "updated_at"])
    return locked


@transaction.atomic
def draft_delete(*, version: ReportVersion, by: Any) -> None:
    if version.is_published:
        raise NotAllowed("Een vastgestelde versie blijft altijd bewaard.")
    version.delete()


def version_file(*, version: ReportVersion, document: str, fmt: str) -> ReportFile:
    """The stored bytes; checked against the checksum so a changed row is noticed."""
    item = version.files.filter(document=document, fmt=fmt).first()
    if item is None:
        raise ValidationFailed("Dit bestand hoort niet bij deze versie.")
    if sha256(bytes(item.content)) != item.sha256:
        raise ConflictError("Het opgeslagen bestand klopt niet met de controlesom.")
    return item


def publication_package(*, version: ReportVersion) -> bytes:
    """A zip for the council information system: the PDFs plus metadata.json. The same version
    always gives the same bytes (fixed timestamps, fixed order)."""
    if not version.is_published:
        raise NotAllowed("Alleen een vastgestelde versie kan naar het raadsinformatiesysteem.")
    snapshot = version.snapshot
    assert version.published_at is not None  # noqa: S101 - published implies a date
    stamp = timezone.localtime(version.published_at)
    zip_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    entries: list[tuple[str, bytes]] = []
    meta_files = []
    for document in render.DOCUMENTS:
        item = version_file(version=version, document=document, fmt=FileFormat.PDF)
        name = render.file_name(snapshot, document, "pdf")
        entries.append((name, bytes(item.content)))
        meta_files.append(
            {
                "bestand": name,
                "titel": render.document_title(snapshot, document),
                "sha256": item.sha256,
                "bytes": item.size,
                "mediatype": "application/pdf",
            }
        )
    metadata = {
        "formaat": "thuis-publicatiepakket/1",
        "titel": snapshot["titel"],
        "gemeente": snapshot["gemeente"],
        "soort": snapshot["raad"]["soort"],
        "peildatum": snapshot["peildatum"],
        "versie": version.number,
        "vastgesteld_op": stamp.isoformat(),
        "taal": "nl",
        "bijlagen": snapshot["raad"]["bijlagen"],
        "momentopname_sha256": version.snapshot_sha256,
        "bestanden": meta_files,
    }
    entries.append(
        ("metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8"))
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return out.getvalue()


# --- distribution (outbox) ---------------------------------------------------------------------


def recipients(
    *, municipality: Municipality, organisations: Iterable[Organisation]
) -> list[tuple[Organisation, str, str]]:
    """(organisation, contact name, e-mail) for every contact with an e-mail address; the
    organisation's general address when it has no such contact."""
    out: list[tuple[Organisation, str, str]] = []
    for org in organisations:
        contacts = [c for c in org.contacts.all() if c.email]
        if contacts:
            out += [(org, c.name, c.email.lower()) for c in contacts]
        elif org.email:
            out.append((org, "", org.email.lower()))
    return out


@transaction.atomic
def distribution_create(
    *, version: ReportVersion, by: Any, organisations: Sequence[Organisation]
) -> list[Distribution]:
    """Queue one e-mail per contact. Idempotent: a contact already queued is not queued again."""
    if not version.is_published:
        raise NotAllowed("Verstuur alleen een vastgestelde versie.")
    allowed = set(
        partner_selectors.organisations_of_municipality(
            municipality=version.report.municipality
        ).values_list("pk", flat=True)
    )
    if any(o.pk not in allowed for o in organisations):
        raise NotAllowed("Kies alleen partners van deze gemeente.")
    if not organisations:
        raise ValidationFailed("Kies minstens één partnerorganisatie.")
    now = timezone.now()
    created: list[Distribution] = []
    taken = set(version.distributions.values_list("email", flat=True))
    for org, name, email in recipients(
        municipality=version.report.municipality, organisations=organisations
    ):
        if email in taken:
            continue
        taken.add(email)
        item = Distribution.objects.create(
            version=version,
            organisation=org,
            contact_name=name,
            email=email,
            idempotency_key=uuid.uuid4(),
            next_attempt_at=now,
            created_by=by if not isinstance(by, str) else None,
        )
        created.append(item)
        transaction.on_commit(partial(_schedule_delivery, item.pk))
    return created


def _schedule_delivery(distribution_id: int) -> None:
    from . import tasks

    try:
        tasks.deliver_distribution.delay(distribution_id)
    except Exception as exc:
        logger.warning("Verzending %s wacht in de outbox: %s", distribution_id, type(exc).__name__)


DISTRIBUTIONS = outbox.Outbox(
    name="policy_distribution",
    model=Distribution,
    count_names=(
        ("verzonden", DeliveryStatus.SENT),
        ("mislukt", DeliveryStatus.FAILED),
        ("opnieuw", DeliveryStatus.PENDING),
    ),
)


def distribution_deliver(
    *, distribution_id: int, now: datetime | None = None
) -> Distribution | None:
    """Send one due e-mail with the PDFs attached. None when not due or claimed elsewhere."""
    now = now or timezone.now()
    if not outbox.claim(DISTRIBUTIONS, distribution_id, now=now):
        return None
    item = Distribution.objects.select_related("version__report", "organisation").get(
        pk=distribution_id
    )
    snapshot = item.version.snapshot
    subject = f"[{snapshot['gemeente']['naam']}] {snapshot['titel']} (versie {item.version.number})"
    message = EmailMessage(
        subject=subject,
        body=(
            f"Beste {item.contact_name or item.organisation.name},\n\n"
            f"Hierbij ontvangt u de {snapshot['titel']} met peildatum "
            f"{snapshot['peildatum_tekst']}. U krijgt dit bericht omdat "
            f"{item.organisation.name} samenwerkt met de gemeente {snapshot['gemeente']['naam']}."
            "\n\nHet rapport bevat alleen cijfers over groepen; kleine aantallen zijn afgeschermd."
        ),
        to=[item.email],
    )
    for document in render.DOCUMENTS:
        pdf = version_file(version=item.version, document=document, fmt=FileFormat.PDF)
        message.attach(
            render.file_name(snapshot, document, "pdf"), bytes(pdf.content), "application/pdf"
        )
    return outbox.send_email(DISTRIBUTIONS, item, message, now=now)


def distributions_deliver_due(
    *, now: datetime | None = None, limit: int | None = None
) -> dict[str, int]:
    """Send the due e-mails, one batch (the worker and `thuis rapport outbox` call this)."""
    return outbox.process_due(
        DISTRIBUTIONS,
        lambda pk, at: distribution_deliver(distribution_id=pk, now=at),
        now=now or timezone.now(),
        limit=limit,
    )


# --- CLI -----------------------------------------------------------------------------------


def report_for_cli(*, municipality: Municipality, peildatum: date) -> Report:
    """The gemeente's latest report, or a new one for its latest plan (so the command always
    works for a seeded gemeente)."""
    report = Report.objects.filter(municipality=municipality).order_by("-pk").first()
    if report is not None:
        return report
    plan = Plan.objects.filter(municipality=municipality).order_by("-adopted_on", "-pk").first()
    return report_create(
        municipality=municipality,
        by="systeem:rapport",
        peildatum=peildatum,
        plan=plan,
        approach="" if plan else f"Inburgering en participatie {municipality.name}",
    )


def documents_for(
    *,
    report: Report,
    peildatum: date,
    sources: Sources | None = None,
    formats: Sequence[str] = tuple(render.FORMATS),
    documents: Sequence[str] = tuple(render.DOCUMENTS),
) -> tuple[dict[str, Any], dict[tuple[str, str], bytes]]:
    sources = sources or default_sources()
    snapshot = report_builder.build_snapshot(report=report, peildatum=peildatum, sources=sources)
    files = {(str(d), str(f)): render.render(snapshot, d, f) for d in documents for f in formats}
    return snapshot, files
