"""Public respondent pages: no login, mobile first, in the respondent's language (lang/dir).

Anonymous link: nothing about the respondent is stored (no token, IP, time; only the month).
Personal link: one response per invitee, recorded in the processing log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from thuis.core import ratelimit
from thuis.core.client_ip import client_ip
from thuis.core.errors import ThuisError

from . import selectors, services
from .choices import LANGUAGE_BY_CODE, QuestionType, VersionStatus
from .filling import check_posted, field_name, relevant_names
from .models import Response, SurveyVersion
from .respondent_text import text_direction, ui_text


def _text(labels: dict[str, str], lang: str, default: str) -> tuple[str, str]:
    """(text, language of that text): falls back to the form's default language."""
    if labels.get(lang):
        return labels[lang], lang
    if labels.get(default):
        return labels[default], default
    for code, value in labels.items():
        if value:
            return value, code
    return "", lang


def form_items(
    version: SurveyVersion,
    *,
    language: str,
    answers: dict[str, Any],
    errors: dict[str, str],
    show_all: bool = False,
) -> list[dict[str, Any]]:
    """What the form template needs, question by question (only the relevant ones)."""
    questions = list(version.questions.order_by("order"))
    default = version.default_language
    visible = (
        set(q.name for q in questions) if show_all else set(relevant_names(questions, answers))
    )
    options_by_list: dict[str, list[tuple[str, str, str]]] = {}
    for c in version.choices.order_by("list_name", "order"):
        text, text_lang = _text(c.label, language, default)
        options_by_list.setdefault(c.list_name, []).append((c.name, text, text_lang))
    items = []
    for q in questions:
        if q.name not in visible:
            continue
        label, label_lang = _text(q.label, language, default)
        hint, hint_lang = _text(q.hint, language, default)
        value = answers.get(q.name)
        name = field_name(q.name)
        item: dict[str, Any] = {
            "q": q,
            "name": q.name,
            "field": name,
            "type": q.type,
            "label": label,
            "label_lang": label_lang if label_lang != language else "",
            "hint": hint,
            "hint_lang": hint_lang if hint_lang != language else "",
            "required": q.required,
            "error": errors.get(name, ""),
            "value": "" if value is None or isinstance(value, list | dict) else value,
            "rows": [],
            "options": [],
            "is_choice": q.type
            in {QuestionType.SINGLE, QuestionType.LIKERT, QuestionType.MULTIPLE},
            "input_type": "checkbox" if q.type == QuestionType.MULTIPLE else "radio",
        }
        chosen = value if isinstance(value, list) else [value]
        item["options"] = [
            {
                "value": v,
                "label": t,
                "lang": tl if tl != language else "",
                "checked": v in chosen,
                "id": f"{name}-{i}",
            }
            for i, (v, t, tl) in enumerate(options_by_list.get(q.list_name, []))
        ]
        if q.type == QuestionType.MATRIX:
            for r in q.rows:
                rlabel, rlang = _text(r["label"], language, default)
                rfield = field_name(r["name"])
                picked = (value or {}).get(r["name"])
                item["rows"].append(
                    {
                        "field": rfield,
                        "label": rlabel,
                        "lang": rlang if rlang != language else "",
                        "error": errors.get(rfield, ""),
                        "options": [
                            {
                                "value": v,
                                "label": t,
                                "lang": tl if tl != language else "",
                                "checked": v == picked,
                                "id": f"{rfield}-{i}",
                            }
                            for i, (v, t, tl) in enumerate(options_by_list.get(q.list_name, []))
                        ],
                    }
                )
            item["error"] = next((row["error"] for row in item["rows"] if row["error"]), "")
        items.append(item)
    return items


def _page(
    request: HttpRequest, template: str, lang: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    ui = ui_text(lang)
    return render(
        request,
        template,
        {
            "lang": lang,
            "dir": text_direction(lang),
            "ui": ui.texts,
            "ui_lang": ui.lang if ui.lang != lang else "",
            **context,
        },
        status=status,
    )


def _choice_sets(version: SurveyVersion) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for list_name, name in version.choices.values_list("list_name", "name"):
        out.setdefault(list_name, set()).add(name)
    return out


def _respond(
    request: HttpRequest, version: SurveyVersion, *, submit: Any, anonymous: bool
) -> HttpResponse:
    languages = selectors.respondent_languages(version)
    lang = request.POST.get("taal") or request.GET.get("taal") or ""
    if lang not in languages:
        if len(languages) > 1 and request.method == "GET" and "taal" not in request.GET:
            return _page(
                request,
                "surveys/respond_language.html",
                version.default_language,
                {
                    "version": version,
                    "languages": [LANGUAGE_BY_CODE[c] for c in languages],
                    "title": version.title_in(version.default_language),
                },
            )
        lang = version.default_language
    context = {
        "version": version,
        "title": version.title_in(lang),
        "anonymous": anonymous,
        "taal": lang,
    }
    if version.status != VersionStatus.OPEN:
        return _page(
            request, "surveys/respond_message.html", lang, {**context, "message_key": "closed"}
        )
    questions = list(version.questions.order_by("order"))
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    more = False
    if request.method == "POST":
        shown = set(request.POST.getlist("getoond"))
        checked = check_posted(
            questions,
            get=lambda k: request.POST.get(k, ""),
            getlist=request.POST.getlist,
            choices_by_list=_choice_sets(version),
            language=lang,
            shown=shown,
        )
        answers, errors = checked.answers, checked.errors
        more = not set(checked.relevant) <= shown
        if not errors and not more:
            try:
                submit(lang, answers)
            except ThuisError:
                return _page(
                    request,
                    "surveys/respond_message.html",
                    lang,
                    {**context, "message_key": "already"},
                )
            return redirect(reverse("respond:thanks") + f"?taal={lang}")
    items = form_items(version, language=lang, answers=answers, errors=errors)
    return _page(
        request,
        "surveys/respond_form.html",
        lang,
        {
            **context,
            "items": items,
            "errors": errors,
            "more": more and not errors,
            "error_items": [i for i in items if i["error"]],
        },
    )


@never_cache
def respond_public(request: HttpRequest, token: str) -> HttpResponse:
    version = selectors.version_public_get(token=token)

    def submit(lang: str, answers: dict[str, Any]) -> None:
        # Submissions only (not the pages before): per client address and per link (issue 15).
        ratelimit.hit("survey-ip", client_ip(request))
        ratelimit.hit("survey-link", token)
        services.response_submit_anonymous(
            version=version, language=lang, answers=answers, today=timezone.localdate()
        )

    return _respond(request, version, submit=submit, anonymous=True)


@never_cache
def respond_personal(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    version = invitation.version
    if Response.objects.filter(invitation=invitation).exists():
        lang = request.GET.get("taal") or invitation.language or version.default_language
        lang = lang if lang in version.languages else version.default_language
        return _page(
            request,
            "surveys/respond_message.html",
            lang,
            {"version": version, "title": version.title_in(lang), "message_key": "already"},
        )

    def submit(lang: str, answers: dict[str, Any]) -> None:
        services.response_submit_personal(
            invitation=invitation, language=lang, answers=answers, today=timezone.localdate()
        )

    return _respond(request, version, submit=submit, anonymous=False)


def respond_thanks(request: HttpRequest) -> HttpResponse:
    lang = request.GET.get("taal", "nl")
    if lang not in LANGUAGE_BY_CODE:
        lang = "nl"
    return _page(
        request,
        "surveys/respond_message.html",
        lang,
        {"message_key": "thanks", "title": ui_text(lang).texts["thanks_title"]},
    )
