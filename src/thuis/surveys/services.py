"""Changes to surveys, responses, consultations and advice. One atomic function per change.

Personal responses and invitations write processing-log records (one per person); anonymous
responses write nothing that could link them to anyone, not even a log line.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.audit import events
from thuis.audit.models import Action
from thuis.core import export
from thuis.core.errors import NotAllowed, ValidationFailed
from thuis.people.models import Municipality, Person

from . import rules, xlsform
from .choices import (
    CHOICE_TYPES,
    LANGUAGE_BY_CODE,
    AdviceDecision,
    AdvicePointStatus,
    AdviceStatus,
    QuestionType,
    ResponseMode,
    Theme,
    VersionStatus,
)
from .models import (
    Advice,
    AdvicePoint,
    Answer,
    ChoiceOption,
    Consultation,
    Invitation,
    Question,
    ResearchExport,
    Response,
    Survey,
    SurveyVersion,
)

STANDARD_FILE = Path(__file__).resolve().parent / "standard" / "ervaringen_met_thuis.xlsx"
STANDARD_FORM_ID = "ervaringen_met_thuis"


class SurveyError(ValidationFailed):
    code = "enquete"


# ---------------------------------------------------------------- versions <-> XLSForm


def version_to_spec(version: SurveyVersion) -> xlsform.FormSpec:
    choices: dict[str, list[xlsform.ChoiceSpec]] = {}
    for c in version.choices.order_by("pk"):
        choices.setdefault(c.list_name, []).append(
            xlsform.ChoiceSpec(name=c.name, label=dict(c.label))
        )
    questions = [
        xlsform.QuestionSpec(
            name=q.name,
            type=q.type,
            label=dict(q.label),
            hint=dict(q.hint),
            list_name=q.list_name,
            rows=[xlsform.RowSpec(name=r["name"], label=dict(r["label"])) for r in q.rows],
            required=q.required,
            relevant=q.relevant,
            constraint=q.constraint,
            constraint_message=dict(q.constraint_message),
            appearance=q.appearance,
        )
        for q in version.questions.order_by("order")
    ]
    return xlsform.FormSpec(
        form_id=version.survey.form_id,
        title=dict(version.title),
        version_label=version.version_label,
        default_language=version.default_language,
        languages=list(version.languages),
        questions=questions,
        choices=choices,
    )


def _save_spec(version: SurveyVersion, spec: xlsform.FormSpec) -> None:
    ChoiceOption.objects.bulk_create(
        [
            ChoiceOption(version=version, list_name=list_name, name=c.name, label=c.label, order=i)
            for list_name, items in spec.choices.items()
            for i, c in enumerate(items)
        ]
    )
    Question.objects.bulk_create(
        [
            Question(
                version=version,
                order=i,
                name=q.name,
                type=q.type,
                label=q.label,
                hint=q.hint,
                list_name=q.list_name,
                rows=[{"name": r.name, "label": r.label} for r in q.rows],
                required=q.required,
                relevant=q.relevant,
                constraint=q.constraint,
                constraint_message=q.constraint_message,
                appearance=q.appearance,
            )
            for i, q in enumerate(spec.questions)
        ]
    )


@transaction.atomic
def survey_import_xlsform(
    *, municipality: Municipality, content: bytes, by: Any = None
) -> SurveyVersion:
    """Import an XLSForm: a new survey, or a new version of the survey with the same form_id.

    All or nothing, and idempotent: a file with the same structure as the latest version
    changes nothing and returns that version.
    """
    try:
        spec = xlsform.parse_workbook(content)
    except xlsform.XLSFormError as exc:
        raise SurveyError("\n".join(exc.errors), code="xlsform_ongeldig") from exc
    sha = hashlib.sha256(content).hexdigest()
    survey = (
        Survey.objects.select_for_update()
        .filter(municipality=municipality, form_id=spec.form_id)
        .first()
    )
    if survey is None:
        survey = Survey.objects.create(
            municipality=municipality,
            form_id=spec.form_id,
            title=spec.title.get(spec.default_language, spec.form_id)[:200],
        )
    else:
        same_file = survey.versions.filter(source_sha256=sha).order_by("-number").first()
        if same_file is not None:
            return same_file
        latest = survey.versions.order_by("-number").first()
        if latest is not None and version_to_spec(latest).structure() == spec.structure():
            return latest
    number = (survey.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = SurveyVersion.objects.create(
        survey=survey,
        number=number,
        version_label=spec.version_label,
        title=spec.title,
        languages=spec.languages,
        default_language=spec.default_language,
        source_sha256=sha,
    )
    _save_spec(version, spec)
    return version


def survey_export_xlsform(*, version: SurveyVersion) -> bytes:
    return xlsform.build_workbook(version_to_spec(version))


@transaction.atomic
def survey_create(
    *, municipality: Municipality, title: str, form_id: str, languages: list[str], by: Any
) -> SurveyVersion:
    """Start a new questionnaire in the builder (version 1, concept)."""
    if Survey.objects.filter(municipality=municipality, form_id=form_id).exists():
        raise SurveyError(_("Er is al een vragenlijst met dit formulier-id."))
    unknown = [code for code in languages if code not in LANGUAGE_BY_CODE]
    if unknown or not languages:
        raise SurveyError(_("Kies een of meer ondersteunde talen."))
    survey = Survey.objects.create(municipality=municipality, form_id=form_id, title=title)
    default = "nl" if "nl" in languages else languages[0]
    ordered = [default] + [c for c in languages if c != default]
    return SurveyVersion.objects.create(
        survey=survey, number=1, title={default: title}, languages=ordered, default_language=default
    )


def _require_draft(version: SurveyVersion) -> None:
    if version.status != VersionStatus.DRAFT or version.responses.exists():
        raise SurveyError(
            _("Deze versie is al in gebruik. Maak een nieuwe meting om vragen te wijzigen."),
            code="versie_in_gebruik",
        )


def _check_expression(version: SurveyVersion, text: str, extra_names: set[str]) -> None:
    if not text:
        return
    try:
        node = rules.parse_expression(text)
    except rules.ExpressionError as exc:
        raise SurveyError(
            _("'%(expr)s' wordt niet ondersteund: %(err)s.")
            % {"expr": text if len(text) <= 80 else text[:80] + "…", "err": exc}
        ) from exc
    names = set(version.questions.values_list("name", flat=True)) | extra_names
    for q in version.questions.filter(type=QuestionType.MATRIX):
        names |= {r["name"] for r in q.rows}
    missing = rules.references(node) - names
    if missing:
        raise SurveyError(
            _("De verwijzing %(refs)s bestaat niet.")
            % {"refs": ", ".join(f"${{{m}}}" for m in sorted(missing))},
            code="verwijzing_onbekend",
        )


@transaction.atomic
def question_add(
    *,
    version: SurveyVersion,
    name: str,
    type: str,
    label: dict[str, str],
    hint: dict[str, str] | None = None,
    required: bool = False,
    relevant: str = "",
    constraint: str = "",
    choices: list[tuple[str, dict[str, str]]] | None = None,
    rows: list[tuple[str, dict[str, str]]] | None = None,
) -> Question:
    """Add a question at the end (builder). Choices get their own list named after the question."""
    _require_draft(version)
    if not xlsform.NAME_RE.match(name):
        raise SurveyError(
            _("De naam mag alleen letters, cijfers en _ bevatten en begint met een letter.")
        )
    taken = set(version.questions.values_list("name", flat=True))
    for q in version.questions.filter(type=QuestionType.MATRIX):
        taken |= {r["name"] for r in q.rows}
    row_names = [r for r, _ in rows or []]
    if name in taken or set(row_names) & taken or len(set(row_names)) != len(row_names):
        raise SurveyError(_("Deze naam is al gebruikt in de vragenlijst."), code="naam_bestaat")
    if not (label.get(version.default_language) or "").strip():
        raise SurveyError(_("Vul de vraag in de standaardtaal in."))
    qtype = QuestionType(type)
    _check_expression(version, relevant, set())
    _check_expression(version, constraint, {name})
    list_name = ""
    if qtype in CHOICE_TYPES:
        if not choices or len(choices) < 2:
            raise SurveyError(_("Geef minstens twee antwoordmogelijkheden."))
        names = [c for c, _ in choices]
        if len(set(names)) != len(names) or not all(xlsform.NAME_RE.match(c) for c in names):
            raise SurveyError(_("Elke antwoordmogelijkheid heeft een eigen, geldige code."))
        list_name = name
        ChoiceOption.objects.bulk_create(
            [
                ChoiceOption(version=version, list_name=list_name, name=c, label=lab, order=i)
                for i, (c, lab) in enumerate(choices)
            ]
        )
    if qtype == QuestionType.MATRIX:
        if not rows:
            raise SurveyError(_("Een matrix heeft minstens één regel."))
        if not all(xlsform.NAME_RE.match(r) for r in row_names):
            raise SurveyError(_("Elke regel van de matrix heeft een eigen, geldige code."))
    order = (version.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    return Question.objects.create(
        version=version,
        order=order,
        name=name,
        type=qtype,
        label={k: v for k, v in label.items() if v},
        hint={k: v for k, v in (hint or {}).items() if v},
        list_name=list_name,
        rows=[{"name": r, "label": {k: v for k, v in lab.items() if v}} for r, lab in rows or []]
        if qtype == QuestionType.MATRIX
        else [],
        required=required and qtype != QuestionType.NOTE,
        relevant=relevant,
        constraint=constraint,
        appearance="likert"
        if qtype == QuestionType.LIKERT
        else ("table-list" if qtype == QuestionType.MATRIX else ""),
    )


@transaction.atomic
def question_delete(*, version: SurveyVersion, question_id: int) -> None:
    _require_draft(version)
    question = version.questions.filter(pk=question_id).first()
    if question is None:
        raise SurveyError(_("Deze vraag bestaat niet (meer)."))
    name = question.name
    others = version.questions.exclude(pk=question.pk)
    for other in others:
        for text in (other.relevant, other.constraint):
            if text and f"${{{name}}}" in text:
                raise SurveyError(
                    _("Vraag '%(other)s' verwijst naar deze vraag. Pas die eerst aan.")
                    % {"other": other.name},
                    code="vraag_in_gebruik",
                )
    if question.list_name and not others.filter(list_name=question.list_name).exists():
        version.choices.filter(list_name=question.list_name).delete()
    question.delete()


@transaction.atomic
def version_set_status(*, version: SurveyVersion, status: str) -> SurveyVersion:
    target = VersionStatus(status)
    if target == VersionStatus.OPEN:
        if not version.questions.exclude(type=QuestionType.NOTE).exists():
            raise SurveyError(_("Voeg eerst vragen toe."))
        from .selectors import language_completeness

        if language_completeness(version).get(version.default_language, 0) < 100:
            raise SurveyError(_("De standaardtaal is nog niet compleet."))
    elif target == VersionStatus.DRAFT:
        raise SurveyError(_("Een versie kan niet terug naar concept."))
    version.status = target
    version.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def version_new_wave(*, survey: Survey, wave_label: str) -> SurveyVersion:
    """A new measurement wave: a copy of the latest version as a new version (concept)."""
    latest = survey.versions.order_by("-number").first()
    if latest is None:
        raise SurveyError(_("Deze vragenlijst heeft nog geen versie."))
    spec = version_to_spec(latest)
    version = SurveyVersion.objects.create(
        survey=survey,
        number=latest.number + 1,
        version_label=latest.version_label,
        wave_label=wave_label,
        title=latest.title,
        languages=latest.languages,
        default_language=latest.default_language,
    )
    _save_spec(version, spec)
    return version


@transaction.atomic
def version_set_wave_label(*, version: SurveyVersion, wave_label: str) -> SurveyVersion:
    version.wave_label = wave_label[:100]
    version.save(update_fields=["wave_label", "updated_at"])
    return version


@transaction.atomic
def public_link_create(*, version: SurveyVersion) -> str:
    """The anonymous link of this version (one per version; the same for every respondent)."""
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.public_token is None:
        version.public_token = secrets.token_urlsafe(24)
        version.save(update_fields=["public_token", "updated_at"])
    return version.public_token


# ---------------------------------------------------------------- invitations and responses


@transaction.atomic
def invitation_create(
    *, version: SurveyVersion, person: Person, by: Any, language: str = ""
) -> tuple[Invitation, str]:
    """A personal link for one person. The token is returned once; only its hash is stored."""
    if version.status != VersionStatus.OPEN:
        raise SurveyError(_("Deze vragenlijst is niet open."))
    if person.municipality_id != version.survey.municipality_id:
        raise NotAllowed(_("Deze vragenlijst hoort bij een andere gemeente."))
    if Invitation.objects.filter(version=version, person=person).exists():
        raise SurveyError(
            _("Deze persoon heeft al een persoonlijke link voor deze vragenlijst."),
            code="link_bestaat",
        )
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        version=version,
        person=person,
        token_hash=rules.token_hash(token),
        created_by=by,
        language=language if language in version.languages else "",
    )
    events.person_changed(
        user=by,
        person=person,
        action=Action.CREATE,
        object_type="survey_invitation",
        object_id=invitation.pk,
        reason=f"enquete {version.survey.form_id} v{version.number}",
    )
    return invitation, token


def _store_answers(response: Response, version: SurveyVersion, answers: dict[str, Any]) -> None:
    questions = {q.name: q for q in version.questions.all()}
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=questions[name], value=value)
            for name, value in answers.items()
            if name in questions and value not in (None, "", [], {})
        ]
    )


@transaction.atomic
def response_submit_anonymous(
    *, version: SurveyVersion, language: str, answers: dict[str, Any], today: date
) -> None:
    """Store an anonymous response: version, language, month and answers. Nothing else.

    Returns nothing on purpose: not even the response id leaves this function.
    """
    if version.status != VersionStatus.OPEN or version.public_token is None:
        raise SurveyError(_("Deze vragenlijst is gesloten."), code="vragenlijst_gesloten")
    response = Response.objects.create(
        version=version,
        mode=ResponseMode.ANONYMOUS,
        language=language,
        period=rules.month_start(today),
    )
    _store_answers(response, version, answers)


@transaction.atomic
def response_submit_personal(
    *, invitation: Invitation, language: str, answers: dict[str, Any], today: date
) -> Response:
    """The one response of an invitee (personal link, no login). Logged in the processing log."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("version", "person")
        .get(pk=invitation.pk)
    )
    version = invitation.version
    if version.status != VersionStatus.OPEN:
        raise SurveyError(_("Deze vragenlijst is gesloten."))
    if Response.objects.filter(invitation=invitation).exists():
        raise SurveyError(
            _("Deze vragenlijst is al ingevuld met deze link."), code="link_al_ingevuld"
        )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                version=version,
                mode=ResponseMode.PERSONAL,
                language=language,
                period=rules.month_start(today),
                person=invitation.person,
                invitation=invitation,
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise SurveyError(_("Deze vragenlijst is al ingevuld met deze link.")) from exc
    _store_answers(response, version, answers)
    events.person_changed(
        user="respondent (persoonlijke link)",
        person=invitation.person,
        action=Action.CREATE,
        object_type="survey_response",
        object_id=response.pk,
        reason=f"enquete {version.survey.form_id} v{version.number}",
    )
    return response


@transaction.atomic
def response_submit_conversation(
    *,
    version: SurveyVersion,
    person: Person,
    by: Any,
    language: str,
    answers: dict[str, Any],
    today: date,
) -> Response:
    """A regisseur fills in the questionnaire with the person during a conversation."""
    if version.status != VersionStatus.OPEN:
        raise SurveyError(_("Deze vragenlijst is niet open."))
    if person.municipality_id != version.survey.municipality_id:
        raise NotAllowed(_("Deze vragenlijst hoort bij een andere gemeente."))
    response = Response.objects.create(
        version=version,
        mode=ResponseMode.CONVERSATION,
        language=language,
        period=rules.month_start(today),
        person=person,
        entered_by=by,
        submitted_at=timezone.now(),
    )
    _store_answers(response, version, answers)
    events.person_changed(
        user=by,
        person=person,
        action=Action.CREATE,
        object_type="survey_response",
        object_id=response.pk,
        reason=f"enquete {version.survey.form_id} v{version.number} (gesprek)",
    )
    return response


# ---------------------------------------------------------------- exports


def _answer_columns(
    version: SurveyVersion, *, include_text: bool
) -> list[tuple[str, Question, str]]:
    """(column name, question, matrix row or '') in form order."""
    columns: list[tuple[str, Question, str]] = []
    for q in version.questions.order_by("order"):
        if q.type == QuestionType.NOTE or (q.type == QuestionType.TEXT and not include_text):
            continue
        if q.type == QuestionType.MATRIX:
            columns += [(r["name"], q, r["name"]) for r in q.rows]
        else:
            columns.append((q.name, q, ""))
    return columns


def _cell(question: Question, row: str, value: Any, *, month_only: bool = False) -> Any:
    if value is None:
        return ""
    if row:
        return (value or {}).get(row, "")
    if isinstance(value, list):
        return " ".join(value)  # XLSForm style for select_multiple
    if month_only and question.type == QuestionType.DATE:
        return str(value)[:7]
    return value


def response_table(
    *, version: SurveyVersion, by: Any, pseudonym_key: bytes | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Rows of responses for an export. Anonymous rows carry no identifier at all.

    Without a key: personal rows carry the response id. With a key (research export): every
    linked row carries an HMAC pseudonym of the person and free text is left out. Linked rows
    are written to the processing log, one record per person.
    """
    research = pseudonym_key is not None
    columns = _answer_columns(version, include_text=not research)
    header = ["pseudoniem" if research else "respons", "soort", "versie", "meting", "taal", "maand"]
    header += [name for name, _q, _r in columns]
    responses = list(
        version.responses.prefetch_related("answers")
        .select_related("person")
        .order_by("period", "mode", "id")
    )
    rows: list[list[Any]] = []
    logged: list[Person] = []
    for r in responses:
        values = {a.question_id: a.value for a in r.answers.all()}
        if r.mode == ResponseMode.ANONYMOUS or r.person is None:
            ident = ""
        elif research:
            ident = rules.pseudonym(key=pseudonym_key, subject=f"person:{r.person_id}")  # type: ignore[arg-type]
            logged.append(r.person)
        else:
            ident = str(r.pk)
            logged.append(r.person)
        line: list[Any] = [
            ident,
            r.mode,
            version.number,
            version.wave_name,
            r.language,
            r.period.strftime("%Y-%m"),
        ]
        line += [_cell(q, row, values.get(q.pk), month_only=research) for _n, q, row in columns]
        rows.append(line)
    if logged:
        events.record(
            user=by,
            action=Action.EXPORT,
            object_type="survey_response",
            subjects=[(str(p.pk), p.bsn) for p in {p.pk: p for p in logged}.values()],
            activity=events.Activity.MONITORING,
            municipality_code=version.survey.municipality.code,
            reason="onderzoeksexport" if research else "export antwoorden",
        )
    return header, rows


def rows_to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    return export.to_csv([header, *rows])


def rows_to_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    return export.to_xlsx([header, *rows], title="antwoorden")


@transaction.atomic
def research_export_create(
    *, version: SurveyVersion, by: Any, recipient: str
) -> tuple[ResearchExport, str]:
    """A pseudonymised export with a fresh random key. The key is returned once, never stored."""
    if not recipient.strip():
        raise SurveyError(_("Vul in voor wie de export is."))
    key = secrets.token_bytes(32)
    header, rows = response_table(version=version, by=by, pseudonym_key=key)
    export = ResearchExport.objects.create(
        version=version,
        created_by=by,
        recipient=recipient.strip()[:200],
        key_fingerprint=rules.key_fingerprint(key),
        row_count=len(rows),
        content=rows_to_csv(header, rows),
    )
    return export, key.hex()


@transaction.atomic
def research_export_take(*, export: ResearchExport) -> bytes:
    """The file, once: afterwards only the record (who, when, key fingerprint) remains."""
    export = ResearchExport.objects.select_for_update().get(pk=export.pk)
    if export.content is None:
        raise SurveyError(
            _("Dit bestand is al gedownload. Maak zo nodig een nieuwe export."),
            code="export_al_gedownload",
        )
    content = bytes(export.content)
    export.content = None
    export.downloaded_at = timezone.now()
    export.save(update_fields=["content", "downloaded_at", "updated_at"])
    return content


# ---------------------------------------------------------------- standard survey


@transaction.atomic
def standard_survey_install(municipality: Municipality) -> SurveyVersion:
    """Install (or find) the standard survey 'Ervaringen met Thuis', open with a public link."""
    version = survey_import_xlsform(municipality=municipality, content=STANDARD_FILE.read_bytes())
    survey = version.survey
    if not survey.is_standard:
        survey.is_standard = True
        survey.save(update_fields=["is_standard", "updated_at"])
    if version.status == VersionStatus.DRAFT:
        version_set_status(version=version, status=VersionStatus.OPEN)
    public_link_create(version=version)
    version.refresh_from_db()
    return version


# ---------------------------------------------------------------- consultations and advice


def _clean_themes(themes: list[str]) -> list[str]:
    valid = {t.value for t in Theme}
    unknown = [t for t in themes if t not in valid]
    if unknown:
        raise SurveyError(
            _("Onbekend thema: %(t)s.") % {"t": ", ".join(unknown)}, code="thema_onbekend"
        )
    return [t.value for t in Theme if t.value in themes]


@transaction.atomic
def consultation_save(
    *,
    municipality: Municipality,
    by: Any,
    held_on: date,
    kind: str,
    with_whom: str,
    title: str,
    organisations: str,
    statushouders_count: int,
    others_count: int,
    themes: list[str],
    findings: str,
    quotes: str,
    consultation: Consultation | None = None,
) -> Consultation:
    """Record a conversation (no names of statushouders: counts, themes, findings, quotes)."""
    if not findings.strip():
        raise SurveyError(_("Vul de bevindingen in."))
    target = consultation or Consultation(municipality=municipality, created_by=by)
    target.held_on = held_on
    target.kind = kind
    target.with_whom = with_whom
    target.title = title
    target.organisations = organisations
    target.statushouders_count = statushouders_count
    target.others_count = others_count
    target.themes = _clean_themes(themes)
    target.findings = findings
    target.quotes = quotes
    target.save()
    return target


@transaction.atomic
def advice_create(
    *,
    municipality: Municipality,
    by: Any,
    council: str,
    title: str,
    received_on: date,
    introduction: str = "",
    points: list[str] | None = None,
) -> Advice:
    advice = Advice.objects.create(
        municipality=municipality,
        created_by=by,
        council=council or "Participatieraad",
        title=title,
        received_on=received_on,
        introduction=introduction,
    )
    for text in points or []:
        if text.strip():
            advice_point_add(advice=advice, text=text)
    return advice


@transaction.atomic
def advice_point_add(*, advice: Advice, text: str) -> AdvicePoint:
    if not text.strip():
        raise SurveyError(_("Vul de tekst van het adviespunt in."))
    number = (advice.points.aggregate(m=Max("number"))["m"] or 0) + 1
    return AdvicePoint.objects.create(advice=advice, number=number, text=text.strip())


@transaction.atomic
def advice_point_respond(
    *,
    point: AdvicePoint,
    decision: str,
    motivation: str,
    plan_actions: str = "",
    status: str = AdvicePointStatus.ANSWERED,
) -> AdvicePoint:
    """The college's response to one point: adopted / partly / not adopted, with motivation."""
    AdviceDecision(decision)
    if not motivation.strip():
        raise SurveyError(_("Geef een motivering bij de reactie."), code="motivering_ontbreekt")
    point.decision = decision
    point.motivation = motivation.strip()
    point.plan_actions = plan_actions.strip()
    point.status = AdvicePointStatus(status)
    point.save(update_fields=["decision", "motivation", "plan_actions", "status", "updated_at"])
    advice = point.advice
    if advice.status == AdviceStatus.RECEIVED:
        advice.status = AdviceStatus.RESPONSE_DRAFT
        advice.save(update_fields=["status", "updated_at"])
    return point


@transaction.atomic
def advice_set_status(
    *, advice: Advice, status: str, response_sent_on: date | None, response_introduction: str
) -> Advice:
    target = AdviceStatus(status)
    if target == AdviceStatus.RESPONSE_SENT:
        if advice.points.filter(decision="").exists():
            raise SurveyError(
                _("Niet elk adviespunt heeft een reactie."), code="advies_reactie_ontbreekt"
            )
        if response_sent_on is None:
            raise SurveyError(_("Vul de datum in waarop de reactie is verstuurd."))
    advice.status = target
    advice.response_sent_on = response_sent_on
    advice.response_introduction = response_introduction
    advice.save(update_fields=["status", "response_sent_on", "response_introduction", "updated_at"])
    return advice
