"""Policy screens: thin views over selectors and services. Beleidsmedewerker edits; beheerder
may look. No screen shows a person."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from thuis.core.errors import ThuisError
from thuis.partners import selectors as partner_selectors

from . import render as renderers
from . import selectors, services
from .choices import DocumentKind, FileFormat, JobStatus, VersionStatus
from .forms import (
    ActionForm,
    AttentionPointForm,
    DistributeForm,
    GenerateForm,
    GoalForm,
    PlanForm,
    ReportCreateForm,
    ReportForm,
    ThemeForm,
)
from .models import Action, AttentionPoint, Goal, Theme


def _view(request: HttpRequest) -> None:
    if not selectors.sees_policy(request.user):
        raise PermissionDenied


def _edit(request: HttpRequest) -> None:
    if not selectors.edits_policy(request.user):
        raise PermissionDenied


def _municipality(request: HttpRequest):
    code = request.POST.get("gemeente") or request.GET.get("gemeente") or None
    return selectors.municipality_for_user(user=request.user, code=code)


def _ctx(request: HttpRequest, **extra) -> dict:
    return {"can_edit": selectors.edits_policy(request.user), **extra}


def _save_form(request: HttpRequest, form, save, success_url: str, template: str, context: dict):
    """Validate, call the service, map ThuisError to a form error."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.save(commit=False))
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Opgeslagen.")
            return redirect(success_url)
    return render(request, template, {**context, "form": form})


# --- overview and plan -----------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _view(request)
    municipality = _municipality(request)
    plans = selectors.plan_list_summary(user=request.user, municipality=municipality)
    reports = (
        selectors.reports_for_user(user=request.user)
        .filter(municipality=municipality)
        .select_related("plan")
    )
    return render(
        request,
        "policy/home.html",
        _ctx(
            request,
            municipality=municipality,
            municipalities=selectors.municipalities_for_user(user=request.user),
            plans=plans,
            reports=reports,
        ),
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    _edit(request)
    municipality = _municipality(request)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.municipality = municipality
        try:
            services.plan_save(plan=plan, by=request.user)
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Plan van aanpak aangemaakt.")
            return redirect(plan)
    return render(
        request,
        "policy/form.html",
        _ctx(
            request,
            form=form,
            title="Nieuw plan van aanpak",
            back=reverse("policy:home") + "?" + urlencode({"gemeente": municipality.code}),
            gemeente=municipality.code,
        ),
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per theme: actions by status and each goal against its indicator."""
    _view(request)
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    peildatum = timezone.localdate()
    progress = selectors.plan_progress(
        plan=plan, peildatum=peildatum, sources=services.default_sources()
    )
    return render(
        request,
        "policy/plan_detail.html",
        _ctx(request, plan=plan, progress=progress, peildatum=peildatum),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    form = PlanForm(request.POST or None, instance=plan)
    return _save_form(
        request,
        form,
        lambda p: services.plan_save(plan=p, by=request.user),
        plan.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title=f"Plan ‘{plan.title}’ wijzigen", back=plan.get_absolute_url()),
    )


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    code = plan.municipality.code
    try:
        services.plan_object_delete(obj=plan, by=request.user)
    except ThuisError as exc:
        messages.error(request, exc.message)
        return redirect(plan)
    messages.success(request, "Plan verwijderd.")
    return redirect(reverse("policy:home") + "?" + urlencode({"gemeente": code}))


# --- themes, goals, actions ------------------------------------------------------------------


@login_required
def theme_create(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    form = ThemeForm(request.POST or None, initial={"order": plan.themes.count() + 1})

    def save(theme: Theme) -> None:
        theme.plan = plan
        services.theme_save(theme=theme, by=request.user)

    return _save_form(
        request,
        form,
        save,
        plan.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title=f"Nieuw thema in ‘{plan.title}’", back=plan.get_absolute_url()),
    )


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    theme = selectors.theme_get_for_user(user=request.user, pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    return _save_form(
        request,
        form,
        lambda t: services.theme_save(theme=t, by=request.user),
        theme.plan.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title=f"Thema ‘{theme.title}’ wijzigen", back=theme.plan.get_absolute_url()),
    )


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    theme = selectors.theme_get_for_user(user=request.user, pk=pk)
    form = GoalForm(request.POST or None)

    def save(goal: Goal) -> None:
        goal.theme = theme
        services.goal_save(goal=goal, by=request.user)

    return _save_form(
        request,
        form,
        save,
        theme.plan.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title=f"Nieuw doel bij ‘{theme.title}’", back=theme.plan.get_absolute_url()),
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    goal = selectors.goal_get_for_user(user=request.user, pk=pk)
    form = GoalForm(request.POST or None, instance=goal)
    return _save_form(
        request,
        form,
        lambda g: services.goal_save(goal=g, by=request.user),
        goal.theme.plan.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title="Doel wijzigen", back=goal.theme.plan.get_absolute_url()),
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    theme = selectors.theme_get_for_user(user=request.user, pk=pk)
    form = ActionForm(request.POST or None, municipality=theme.plan.municipality)

    def save(action: Action) -> None:
        action.theme = theme
        services.action_save(action=action, by=request.user, today=timezone.localdate())

    return _save_form(
        request,
        form,
        save,
        theme.plan.get_absolute_url(),
        "policy/form.html",
        _ctx(
            request, title=f"Nieuwe actie bij ‘{theme.title}’", back=theme.plan.get_absolute_url()
        ),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    form = ActionForm(
        request.POST or None, instance=action, municipality=action.theme.plan.municipality
    )
    return _save_form(
        request,
        form,
        lambda a: services.action_save(action=a, by=request.user, today=timezone.localdate()),
        action.theme.plan.get_absolute_url(),
        "policy/form.html",
        _ctx(
            request,
            title=f"Actie ‘{action.title}’ wijzigen",
            back=action.theme.plan.get_absolute_url(),
        ),
    )


def _delete(request: HttpRequest, obj, back: str, label: str) -> HttpResponse:
    try:
        services.plan_object_delete(obj=obj, by=request.user)
    except ThuisError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{label} verwijderd.")
    return redirect(back)


@login_required
@require_POST
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    theme = selectors.theme_get_for_user(user=request.user, pk=pk)
    return _delete(request, theme, theme.plan.get_absolute_url(), "Thema")


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    goal = selectors.goal_get_for_user(user=request.user, pk=pk)
    return _delete(request, goal, goal.theme.plan.get_absolute_url(), "Doel")


@login_required
@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    return _delete(request, action, action.theme.plan.get_absolute_url(), "Actie")


# --- reports ---------------------------------------------------------------------------------


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    _edit(request)
    municipality = _municipality(request)
    plans = selectors.plans_for_user(user=request.user).filter(municipality=municipality)
    form = ReportCreateForm(
        request.POST or None, plans=plans, initial={"peildatum": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                municipality=municipality,
                by=request.user,
                peildatum=form.cleaned_data["peildatum"],
                plan=form.cleaned_data["plan"],
            )
        except ThuisError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Rapport aangemaakt. Vul de teksten aan.")
            return redirect(report)
    return render(
        request,
        "policy/form.html",
        _ctx(
            request,
            form=form,
            title="Nieuw evaluatierapport",
            gemeente=municipality.code,
            back=reverse("policy:home") + "?" + urlencode({"gemeente": municipality.code}),
        ),
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _view(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    versions = list(report.versions.prefetch_related("files").order_by("-pk")[:20])
    job = report.jobs.select_related("version").order_by("-pk").first()
    return render(
        request,
        "policy/report_detail.html",
        _ctx(
            request,
            report=report,
            points=list(report.attention_points.all()),
            versions=versions,
            job=job,
            generate_form=GenerateForm(initial={"peildatum": report.peildatum}),
            formats=list(FileFormat),
            documents=list(DocumentKind),
        ),
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    advices = services.default_sources().advices(municipality=report.municipality)
    form = ReportForm(request.POST or None, instance=report, advices=advices)
    return _save_form(
        request,
        form,
        lambda r: services.report_save(report=r, by=request.user),
        report.get_absolute_url(),
        "policy/form.html",
        _ctx(
            request,
            title="Teksten van het rapport en het raadsstuk",
            back=report.get_absolute_url(),
            wide=True,
        ),
    )


@login_required
@require_POST
def report_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        result = services.attention_points_refresh(report=report, by=request.user)
    except ThuisError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Voorstellen bekeken: {result['nieuw']} nieuw, {result['bijgewerkt']} bijgewerkt.",
        )
    return redirect(reverse("policy:report", kwargs={"pk": report.pk}) + "#aandachtspunten")


@login_required
def point_create(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    form = AttentionPointForm(
        request.POST or None, initial={"order": report.attention_points.count() + 1}
    )

    def save(point: AttentionPoint) -> None:
        point.report = report
        services.attention_point_save(point=point, by=request.user)

    return _save_form(
        request,
        form,
        save,
        report.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title="Nieuw aandachtspunt", back=report.get_absolute_url()),
    )


def _point(request: HttpRequest, pk: int) -> AttentionPoint:
    point = (
        AttentionPoint.objects.select_related("report")
        .filter(pk=pk, report__in=selectors.reports_for_user(user=request.user))
        .first()
    )
    if point is None:
        raise Http404("Aandachtspunt niet gevonden.")
    return point


@login_required
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    point = _point(request, pk)
    form = AttentionPointForm(request.POST or None, instance=point)
    return _save_form(
        request,
        form,
        lambda p: services.attention_point_save(point=p, by=request.user),
        point.report.get_absolute_url(),
        "policy/form.html",
        _ctx(request, title="Aandachtspunt wijzigen", back=point.report.get_absolute_url()),
    )


@login_required
@require_POST
def point_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    point = _point(request, pk)
    services.attention_point_delete(point=point, by=request.user)
    messages.success(request, "Aandachtspunt verwijderd.")
    return redirect(point.report.get_absolute_url())


# --- generation, versions, distribution --------------------------------------------------------


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Vul een geldige peildatum in.")
        return redirect(report)
    job = services.job_start(
        report=report, by=request.user, peildatum=form.cleaned_data["peildatum"]
    )
    return redirect(reverse("policy:job", kwargs={"pk": job.pk}))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the partial every 2 seconds until it is finished."""
    _view(request)
    job = selectors.job_get_for_user(user=request.user, pk=pk)
    template = "policy/_job.html" if request.htmx else "policy/job.html"
    return render(request, template, _ctx(request, job=job, JobStatus=JobStatus))


def _version_file_args(request: HttpRequest) -> tuple[str, str]:
    document = request.GET.get("document", DocumentKind.EVALUATION)
    fmt = request.GET.get("formaat", FileFormat.PDF)
    if document not in DocumentKind.values or fmt not in FileFormat.values:
        raise Http404("Onbekend document of formaat.")
    return document, fmt


@login_required
def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    _view(request)
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    document, fmt = _version_file_args(request)
    try:
        item = services.version_file(version=version, document=document, fmt=fmt)
    except ThuisError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(
        bytes(item.content), content_type=renderers.CONTENT_TYPES[FileFormat(fmt)]
    )
    name = renderers.file_name(version.snapshot, document, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-SHA256"] = item.sha256
    return response


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    try:
        version = services.version_publish(version=version, by=request.user)
    except ThuisError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Versie {version.number} is vastgesteld. Deze verandert niet meer."
        )
    return redirect(version.report)


@login_required
@require_POST
def version_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _edit(request)
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    report = version.report
    try:
        services.draft_delete(version=version, by=request.user)
    except ThuisError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Concept verwijderd.")
    return redirect(report)


@login_required
def version_package(request: HttpRequest, pk: int) -> HttpResponse:
    _view(request)
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    if version.status != VersionStatus.PUBLISHED:
        raise Http404("Alleen een vastgestelde versie heeft een publicatiepakket.")
    content = services.publication_package(version=version)
    response = HttpResponse(content, content_type="application/zip")
    name = renderers.file_name(version.snapshot, DocumentKind.COUNCIL, "zip")
    response["Content-Disposition"] = f'attachment; filename="publicatiepakket-{name}"'
    return response


@login_required
def version_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    _view(request)
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    organisations = partner_selectors.organisations_of_municipality(
        municipality=version.report.municipality
    ).prefetch_related("contacts")
    form = DistributeForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        _edit(request)
        if form.is_valid():
            try:
                created = services.distribution_create(
                    version=version,
                    by=request.user,
                    organisations=list(form.cleaned_data["organisations"]),
                )
            except ThuisError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"{len(created)} e-mail(s) in de outbox gezet.")
                return redirect(reverse("policy:version-distribute", kwargs={"pk": version.pk}))
    recipients = services.recipients(
        municipality=version.report.municipality, organisations=organisations
    )
    return render(
        request,
        "policy/distribute.html",
        _ctx(
            request,
            version=version,
            form=form,
            recipients=recipients,
            distributions=version.distributions.select_related("organisation"),
        ),
    )
