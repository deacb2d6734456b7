"""Staff pages: surveys (build, import, export, results), consultations, advice and response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thuis.accounts import scope
from thuis.core import disclosure
from thuis.core.errors import ThuisError
from thuis.people import selectors as people_selectors

from . import charts, selectors, services
from .choices import LANGUAGE_BY_CODE, Theme, VersionStatus
from .filling import check_posted
from .forms import (
    AdviceForm,
    AdvicePointForm,
    AdviceResponseForm,
    AdviceStatusForm,
    ConsultationForm,
    ConsultationSearchForm,
    ImportForm,
    QuestionForm,
    ResearchExportForm,
    SurveyCreateForm,
    WaveForm,
)
from .models import AdvicePoint
from .respondent_text import ui_text
from .respondent_views import form_items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _policy(request: HttpRequest) -> None:
    if not selectors.is_policy_staff(request.user):
        raise PermissionDenied


def _municipality(request: HttpRequest):
    from thuis.people.models import Municipality

    municipality = (
        Municipality.objects.filter(pk__in=scope.municipality_ids(request.user))
        .order_by("code")
        .first()
    )
    if municipality is None:
        raise PermissionDenied
    return municipality


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- surveys


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _policy(request)
    surveys = list(selectors.survey_list_for_user(user=request.user))
    for s in surveys:
        s.responses_text = disclosure.count_cell(s.response_count)
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@login_required
def survey_import(request: HttpRequest) -> HttpResponse:
    _policy(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = services.survey_import_xlsform(
                municipality=_municipality(request),
                content=form.cleaned_data["bestand"].read(),
                by=request.user,
            )
        except ThuisError as exc:
            errors = exc.message.splitlines()
        else:
            messages.success(
                request, _("De vragenlijst is ingelezen (versie %(n)s).") % {"n": version.number}
            )
            return redirect(version)
    return render(request, "surveys/survey_import.html", {"form": form, "errors": errors})


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    _policy(request)
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.survey_create(
                municipality=_municipality(request),
                title=form.cleaned_data["titel"],
                form_id=form.cleaned_data["formulier_id"],
                languages=form.cleaned_data["talen"],
                by=request.user,
            )
        except ThuisError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(version)
    return render(request, "surveys/survey_create.html", {"form": form})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    versions = list(survey.versions.order_by("-number"))
    for v in versions:
        v.counts = selectors.response_counts(version=v)
    return render(
        request,
        "surveys/survey_detail.html",
        {"survey": survey, "versions": versions, "wave_form": WaveForm()},
    )


@login_required
@require_POST
def survey_new_wave(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    form = WaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef de nieuwe meting een naam."))
        return redirect(survey)
    version = services.version_new_wave(survey=survey, wave_label=form.cleaned_data["meting"])
    messages.success(
        request, _("Nieuwe meting aangemaakt als versie %(n)s.") % {"n": version.number}
    )
    return redirect(version)


@login_required
def survey_compare(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    survey = selectors.survey_get_for_user(user=request.user, survey_id=pk)
    return render(
        request,
        "surveys/survey_compare.html",
        {"survey": survey, **selectors.wave_comparison(survey=survey)},
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    question_form = QuestionForm(request.POST or None, languages=list(version.languages))
    if request.method == "POST" and question_form.is_valid():
        data = question_form.cleaned_data
        try:
            services.question_add(
                version=version,
                name=data["naam"],
                type=data["soort"],
                label=question_form.labels(),
                required=data["verplicht"],
                relevant=data["tonen_als"],
                constraint=data["voorwaarde"],
                choices=question_form.choice_lines(),
                rows=question_form.row_lines(),
            )
        except (ThuisError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("Vraag toegevoegd."))
            return redirect(version)
    completeness = selectors.language_completeness(version)
    languages = [
        {
            "code": code,
            "name": LANGUAGE_BY_CODE[code].native,
            "percent": completeness.get(code, 0),
            "rtl": LANGUAGE_BY_CODE[code].rtl,
        }
        for code in version.languages
    ]
    public_url = (
        request.build_absolute_uri(
            reverse("respond:public", kwargs={"token": version.public_token})
        )
        if version.public_token
        else ""
    )
    editable = version.status == VersionStatus.DRAFT and not version.responses.exists()
    items = form_items(
        version, language=version.default_language, answers={}, errors={}, show_all=True
    )
    return render(
        request,
        "surveys/version_detail.html",
        {
            "version": version,
            "languages": languages,
            "items": items,
            "question_form": question_form if editable else None,
            "editable": editable,
            "public_url": public_url,
            "counts": selectors.response_counts(version=version),
            "VersionStatus": VersionStatus,
        },
    )


@login_required
@require_POST
def version_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    try:
        services.question_delete(
            version=version, question_id=int(request.POST.get("vraag", "0") or 0)
        )
    except (ThuisError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect(version)


@login_required
@require_POST
def version_status(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    try:
        services.version_set_status(version=version, status=request.POST.get("status", ""))
    except (ThuisError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect(version)


@login_required
@require_POST
def version_public_link(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    services.public_link_create(version=version)
    return redirect(version)


@login_required
def version_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    content = services.survey_export_xlsform(version=version)
    return _download(content, f"{version.survey.form_id}-v{version.number}.xlsx", XLSX)


@login_required
def version_results(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    data = selectors.version_results(version=version)
    for result in data["results"]:
        result.chart = charts.choice_chart_svg(result)
    return render(request, "surveys/version_results.html", data)


@login_required
def version_responses_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    header, rows = services.response_table(version=version, by=request.user)
    return _download(
        services.rows_to_csv(header, rows),
        f"{version.survey.form_id}-v{version.number}-antwoorden.csv",
        "text/csv; charset=utf-8",
    )


@login_required
def version_responses_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    header, rows = services.response_table(version=version, by=request.user)
    return _download(
        services.rows_to_xlsx(header, rows),
        f"{version.survey.form_id}-v{version.number}-antwoorden.xlsx",
        XLSX,
    )


@login_required
def version_research_export(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    version = selectors.version_get_for_user(user=request.user, version_id=pk)
    form = ResearchExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export, key = services.research_export_create(
                version=version, by=request.user, recipient=form.cleaned_data["ontvanger"]
            )
        except ThuisError as exc:
            messages.error(request, exc.message)
        else:
            return render(
                request,
                "surveys/research_export_done.html",
                {"version": version, "export": export, "key": key},
            )
    return render(request, "surveys/research_export.html", {"version": version, "form": form})


@login_required
def research_export_file(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    export = selectors.research_export_get_for_user(user=request.user, export_id=pk)
    try:
        content = services.research_export_take(export=export)
    except ThuisError as exc:
        messages.error(request, exc.message)
        return redirect(export.version)
    return _download(content, f"onderzoeksexport-{export.pk}.csv", "text/csv; charset=utf-8")


# ---------------------------------------------------------------- regisseur: person surveys


def _person(request: HttpRequest, pk: int, view: str):
    if not scope.sees_person_files(request.user):
        raise PermissionDenied
    return people_selectors.person_get_for_user(user=request.user, person_id=pk, view=view)


@login_required
def person_surveys(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "enquetes")
    return render(
        request,
        "surveys/person_surveys.html",
        {
            "person": person,
            "versions": selectors.open_versions_for_person(person=person),
            **selectors.person_survey_overview(person=person),
        },
    )


@login_required
@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "enquete-uitnodigen")
    version = (
        selectors.open_versions_for_person(person=person)
        .filter(pk=request.POST.get("versie") or 0)
        .first()
    )
    if version is None:
        messages.error(request, _("Kies een open vragenlijst."))
        return redirect("surveys:person", pk=person.pk)
    try:
        _invitation, token = services.invitation_create(
            version=version, person=person, by=request.user, language=request.POST.get("taal", "")
        )
    except ThuisError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:person", pk=person.pk)
    link = request.build_absolute_uri(reverse("respond:personal", kwargs={"token": token}))
    return render(
        request, "surveys/person_invited.html", {"person": person, "version": version, "link": link}
    )


@login_required
def person_fill(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A regisseur fills in the questionnaire together with the person (conversation)."""
    person = _person(request, pk, "enquete-gesprek")
    survey_version = selectors.open_versions_for_person(person=person).filter(pk=version).first()
    if survey_version is None:
        from django.http import Http404

        raise Http404("Vragenlijst niet gevonden.")
    languages = selectors.respondent_languages(survey_version)
    lang = request.GET.get("taal") or request.POST.get("taal") or survey_version.default_language
    if lang not in languages:
        lang = survey_version.default_language
    questions = list(survey_version.questions.order_by("order"))
    answers: dict = {}
    errors: dict = {}
    if request.method == "POST":
        shown = set(request.POST.getlist("getoond"))
        checked = check_posted(
            questions,
            get=lambda k: request.POST.get(k, ""),
            getlist=request.POST.getlist,
            choices_by_list=_choice_sets(survey_version),
            language="nl",  # messages are for the regisseur
            shown=shown,
        )
        answers, errors = checked.answers, checked.errors
        if not errors and set(checked.relevant) <= shown:
            services.response_submit_conversation(
                version=survey_version,
                person=person,
                by=request.user,
                language=lang,
                answers=answers,
                today=timezone.localdate(),
            )
            messages.success(request, _("De antwoorden zijn opgeslagen bij deze persoon."))
            return redirect("surveys:person", pk=person.pk)
    items = form_items(survey_version, language=lang, answers=answers, errors=errors)
    return render(
        request,
        "surveys/person_fill.html",
        {
            "person": person,
            "version": survey_version,
            "items": items,
            "language": lang,
            "languages": [LANGUAGE_BY_CODE[c] for c in languages],
            "errors": errors,
            "nl_ui": ui_text("nl").texts,
        },
    )


def _choice_sets(version) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for list_name, name in version.choices.values_list("list_name", "name"):
        out.setdefault(list_name, set()).add(name)
    return out


# ---------------------------------------------------------------- consultations


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    _policy(request)
    form = ConsultationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.consultation_search_for_user(
        user=request.user,
        text=filters.get("zoek") or "",
        theme=filters.get("thema") or "",
        year=filters.get("jaar"),
    )
    theme_labels = dict(Theme.choices)
    page = list(items[:100])
    for c in page:
        c.theme_labels = [theme_labels.get(t, t) for t in c.themes]
    return render(
        request,
        "surveys/consultation_list.html",
        {
            "form": form,
            "consultations": page,
            "count": items.count(),
            "themes": selectors.theme_counts(items),
        },
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    return _consultation_edit(request, None)


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _consultation_edit(request, pk)


def _consultation_edit(request: HttpRequest, pk: int | None) -> HttpResponse:
    _policy(request)
    item = (
        selectors.consultation_get_for_user(user=request.user, consultation_id=pk) if pk else None
    )
    initial = (
        {
            "datum": item.held_on,
            "onderwerp": item.title,
            "soort": item.kind,
            "met": item.with_whom,
            "organisaties": item.organisations,
            "aantal_statushouders": item.statushouders_count,
            "aantal_anderen": item.others_count,
            "themas": item.themes,
            "bevindingen": item.findings,
            "citaten": item.quotes,
        }
        if item
        else None
    )
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.consultation_save(
                municipality=item.municipality if item else _municipality(request),
                by=request.user,
                held_on=d["datum"],
                kind=d["soort"],
                with_whom=d["met"],
                title=d["onderwerp"],
                organisations=d["organisaties"],
                statushouders_count=d["aantal_statushouders"],
                others_count=d["aantal_anderen"],
                themes=d["themas"],
                findings=d["bevindingen"],
                quotes=d["citaten"],
                consultation=item,
            )
        except ThuisError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Het gesprek is opgeslagen."))
            return redirect(saved)
    return render(request, "surveys/consultation_form.html", {"form": form, "item": item})


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    item = selectors.consultation_get_for_user(user=request.user, consultation_id=pk)
    theme_labels = dict(Theme.choices)
    return render(
        request,
        "surveys/consultation_detail.html",
        {"item": item, "themes": [theme_labels.get(t, t) for t in item.themes]},
    )


# ---------------------------------------------------------------- advice and response


@login_required
def advice_list(request: HttpRequest) -> HttpResponse:
    _policy(request)
    return render(
        request,
        "surveys/advice_list.html",
        {"advices": selectors.advice_list_for_user(user=request.user)},
    )


@login_required
def advice_create(request: HttpRequest) -> HttpResponse:
    _policy(request)
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        advice = services.advice_create(
            municipality=_municipality(request),
            by=request.user,
            council=d["adviesraad"],
            title=d["onderwerp"],
            received_on=d["ontvangen"],
            introduction=d["inleiding"],
            points=d["punten"].splitlines(),
        )
        return redirect(advice)
    return render(request, "surveys/advice_form.html", {"form": form})


@login_required
def advice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    advice = selectors.advice_get_for_user(user=request.user, advice_id=pk)
    point_form = AdvicePointForm(prefix="punt")
    status_form = AdviceStatusForm(
        initial={
            "status": advice.status,
            "verstuurd_op": advice.response_sent_on,
            "inleiding_reactie": advice.response_introduction,
        }
    )
    if request.method == "POST":
        action = request.POST.get("actie")
        try:
            if action == "punt":
                point_form = AdvicePointForm(request.POST, prefix="punt")
                if point_form.is_valid():
                    services.advice_point_add(advice=advice, text=point_form.cleaned_data["tekst"])
                    return redirect(advice)
            elif action == "reactie":
                point_id = request.POST.get("punt_id", "")
                form = AdviceResponseForm(request.POST, prefix=f"p{point_id}")
                if point_id.isdigit() and form.is_valid():
                    point = AdvicePoint.objects.filter(advice=advice, pk=int(point_id)).first()
                    if point is not None:
                        d = form.cleaned_data
                        services.advice_point_respond(
                            point=point,
                            decision=d["reactie"],
                            motivation=d["motivering"],
                            plan_actions=d["acties"],
                            status=d["status"],
                        )
                        messages.success(
                            request, _("Reactie op punt %(n)s opgeslagen.") % {"n": point.number}
                        )
                        return redirect(advice)
                messages.error(request, _("Vul de reactie en de motivering in."))
            elif action == "status":
                status_form = AdviceStatusForm(request.POST)
                if status_form.is_valid():
                    d = status_form.cleaned_data
                    services.advice_set_status(
                        advice=advice,
                        status=d["status"],
                        response_sent_on=d["verstuurd_op"],
                        response_introduction=d["inleiding_reactie"],
                    )
                    return redirect(advice)
        except ThuisError as exc:
            messages.error(request, exc.message)
    points = list(advice.points.all())
    for p in points:
        p.form = AdviceResponseForm(
            initial={
                "reactie": p.decision or None,
                "motivering": p.motivation,
                "acties": p.plan_actions,
                "status": p.status if p.status != "open" else "answered",
            },
            prefix=f"p{p.pk}",
        )
    return render(
        request,
        "surveys/advice_detail.html",
        {"advice": advice, "points": points, "point_form": point_form, "status_form": status_form},
    )


@login_required
def advice_print(request: HttpRequest, pk: int) -> HttpResponse:
    _policy(request)
    advice = selectors.advice_get_for_user(user=request.user, advice_id=pk)
    return render(
        request,
        "surveys/advice_print.html",
        {"advice": advice, "points": list(advice.points.all())},
    )
