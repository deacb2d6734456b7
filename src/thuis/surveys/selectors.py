"""Reads for surveys, results, consultations and advice, scoped to the user's role.

Policy staff (beleidsmedewerker) manage surveys and see aggregates only, with small-cell
suppression on every results cell. Regisseurs reach surveys only through a person they may see.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.core import disclosure, formatting
from thuis.people.models import Municipality

from . import rules
from .choices import QuestionType, ResponseMode, Theme, VersionStatus
from .models import (
    Advice,
    Answer,
    Consultation,
    Invitation,
    Question,
    ResearchExport,
    Response,
    Survey,
    SurveyVersion,
)


def is_policy_staff(user: Any) -> bool:
    return scope.active_user(user) and user.role == Role.BELEIDSMEDEWERKER


def _municipalities(user: Any) -> QuerySet[Any]:
    return scope.municipality_ids(user)


def survey_list_for_user(*, user: Any) -> QuerySet[Survey]:
    if not is_policy_staff(user):
        return Survey.objects.none()
    return (
        Survey.objects.filter(municipality__in=_municipalities(user))
        .select_related("municipality")
        .annotate(
            version_count=Count("versions", distinct=True),
            response_count=Count("versions__responses"),
        )
        .order_by("title")
    )


def survey_get_for_user(*, user: Any, survey_id: int) -> Survey:
    return scope.get_for_user(
        survey_list_for_user(user=user),
        survey_id,
        user=user,
        not_found="Vragenlijst niet gevonden.",
    )


def version_get_for_user(*, user: Any, version_id: int) -> SurveyVersion:
    visible = (
        SurveyVersion.objects.filter(survey__municipality__in=_municipalities(user))
        if is_policy_staff(user)
        else SurveyVersion.objects.none()
    )
    return scope.get_for_user(
        visible.select_related("survey", "survey__municipality"),
        version_id,
        user=user,
        not_found="Versie niet gevonden.",
    )


def research_export_get_for_user(*, user: Any, export_id: int) -> ResearchExport:
    visible = (
        ResearchExport.objects.filter(
            created_by=user, version__survey__municipality__in=_municipalities(user)
        )
        if is_policy_staff(user)
        else ResearchExport.objects.none()
    )
    return scope.get_for_user(
        visible.select_related("version", "version__survey"),
        export_id,
        user=user,
        not_found="Export niet gevonden.",
    )


def open_versions_for_person(*, person: Any) -> QuerySet[SurveyVersion]:
    """Open questionnaires of the person's municipality (person already fetched via a selector)."""
    return (
        SurveyVersion.objects.filter(
            status=VersionStatus.OPEN, survey__municipality_id=person.municipality_id
        )
        .select_related("survey")
        .order_by("survey__title", "-number")
    )


def person_survey_overview(*, person: Any) -> dict[str, Any]:
    """Invitations and responses of one person (regisseur view; the person read is logged)."""
    return {
        "invitations": list(
            Invitation.objects.filter(person=person).select_related(
                "version", "version__survey", "response"
            )
        ),
        "responses": list(
            Response.objects.filter(person=person)
            .select_related("version", "version__survey")
            .order_by("-period")
        ),
    }


def version_public_get(*, token: str) -> SurveyVersion:
    version = (
        SurveyVersion.objects.filter(public_token=token).select_related("survey").first()
        if token
        else None
    )
    if version is None:
        raise Http404
    return version


def invitation_get_by_token(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=rules.token_hash(token))
        .select_related("version", "version__survey", "person")
        .first()
        if token
        else None
    )
    if invitation is None:
        raise Http404
    return invitation


def consultations_between(
    *, municipality: Municipality, start: date, end: date
) -> QuerySet[Consultation]:
    """The gemeente's consultations held from `start` up to and including `end`, in order."""
    return Consultation.objects.filter(
        municipality=municipality, held_on__gte=start, held_on__lte=end
    ).order_by("held_on", "pk")


def advices_of_municipality(*, municipality: Municipality) -> QuerySet[Advice]:
    """The gemeente's advices, the latest received first."""
    return Advice.objects.filter(municipality=municipality).order_by("-received_on")


def advice_with_points(*, municipality: Municipality, advice_id: int) -> Advice | None:
    """One advice of the gemeente with its points; None when there is no such advice."""
    return (
        Advice.objects.filter(municipality=municipality, pk=advice_id)
        .prefetch_related("points")
        .first()
    )


def has_responses(*, version: SurveyVersion) -> bool:
    """Whether anyone answered this version (system writers: the demo)."""
    return Response.objects.filter(version=version).exists()


def language_completeness(version: SurveyVersion) -> dict[str, int]:
    texts: list[dict[str, str]] = [version.title]
    for q in version.questions.all():
        texts += [q.label, q.hint, q.constraint_message]
        texts += [r["label"] for r in q.rows]
    texts += [c.label for c in version.choices.all()]
    return rules.completeness(texts, list(version.languages))


def respondent_languages(version: SurveyVersion) -> list[str]:
    """Languages a respondent may choose: only the complete ones."""
    done = language_completeness(version)
    return [lang for lang in version.languages if done.get(lang, 0) == 100]


# ---------------------------------------------------------------- results


@dataclass
class ResultCell:
    text: str
    percentage: str = ""
    hidden: bool = False
    share: float = 0.0  # for the chart bar, 0..1 (0 when hidden)


@dataclass
class ResultRow:
    label: str
    cells: list[ResultCell]
    total: ResultCell | None = None


@dataclass
class QuestionResult:
    question: Question
    label: str
    kind: str  # "choices", "matrix", "number", "count"
    n: ResultCell
    columns: list[str] = field(default_factory=list)
    rows: list[ResultRow] = field(default_factory=list)
    stats: list[tuple[str, str]] = field(default_factory=list)
    chart_id: str = ""


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or next(iter(labels.values()), fallback)


def _n_cell(n: int, k: int) -> ResultCell:
    return ResultCell(text=disclosure.count_cell(n, k=k), hidden=disclosure.is_small(n, k=k))


def _choice_rows(
    labels: list[str], counts: list[list[int]], totals: list[int], k: int
) -> list[ResultRow]:
    """One table: rows with counts per column; each row total is the base of the percentage."""
    protection = disclosure.protect_counts(counts, k=k, with_row_totals=True)
    rows = []
    for i, label in enumerate(labels):
        total_state = protection.row_totals[i]
        cells = []
        for j, n in enumerate(counts[i]):
            state = protection.cells[i][j]
            shown = state == disclosure.SHOWN and total_state == disclosure.SHOWN and totals[i] > 0
            cells.append(
                ResultCell(
                    text=disclosure.count_text(n, state, k=k),
                    percentage=rules.percentage_text(n, totals[i], state, total_state),
                    hidden=state != disclosure.SHOWN,
                    share=(n / totals[i]) if shown else 0.0,
                )
            )
        rows.append(
            ResultRow(
                label=label,
                cells=cells,
                total=ResultCell(
                    text=disclosure.count_text(totals[i], total_state, k=k),
                    hidden=total_state != disclosure.SHOWN,
                ),
            )
        )
    return rows


def version_results(*, version: SurveyVersion, language: str = "nl") -> dict[str, Any]:
    """Per-question tables with suppression (k) on every cell: counts, percentages and n."""
    k = disclosure.default_k()
    lang = language if language in version.languages else version.default_language
    questions = list(version.questions.order_by("order"))
    choices: dict[str, list[tuple[str, str]]] = {}
    for c in version.choices.order_by("list_name", "order"):
        choices.setdefault(c.list_name, []).append((c.name, _label(c.label, lang, c.name)))
    answers: dict[int, list[Any]] = {}
    for question_id, value in Answer.objects.filter(response__version=version).values_list(
        "question_id", "value"
    ):
        answers.setdefault(question_id, []).append(value)
    total = version.responses.count()
    results: list[QuestionResult] = []
    for q in questions:
        if q.type == QuestionType.NOTE:
            continue
        values = answers.get(q.pk, [])
        result = QuestionResult(
            question=q,
            label=_label(q.label, lang, q.name),
            kind="count",
            n=_n_cell(len(values), k),
            chart_id=f"grafiek-{q.name}",
        )
        options = choices.get(q.list_name, [])
        if q.type in {QuestionType.SINGLE, QuestionType.LIKERT, QuestionType.MULTIPLE}:
            counter: Counter[str] = Counter()
            for v in values:
                counter.update(v if isinstance(v, list) else [v])
            result.kind = "choices"
            result.columns = [label for _name, label in options]
            result.rows = _choice_rows(
                [result.label], [[counter.get(name, 0) for name, _l in options]], [len(values)], k
            )
            # The base of a multiple-choice question is respondents, not the sum of choices.
        elif q.type == QuestionType.MATRIX:
            result.kind = "matrix"
            result.columns = [label for _name, label in options]
            labels, counts, totals = [], [], []
            for row in q.rows:
                row_values: list[str] = [
                    str(v[row["name"]])
                    for v in values
                    if isinstance(v, dict) and v.get(row["name"])
                ]
                counter = Counter(row_values)
                labels.append(_label(row["label"], lang, row["name"]))
                counts.append([counter.get(name, 0) for name, _l in options])
                totals.append(len(row_values))
            result.rows = _choice_rows(labels, counts, totals, k)
        elif q.type in {QuestionType.NUMBER, QuestionType.DECIMAL}:
            result.kind = "number"
            numbers = [float(v) for v in values if isinstance(v, int | float)]
            if numbers and not disclosure.is_small(len(numbers), k=k):
                result.stats = [
                    ("Gemiddelde", formatting.number(statistics.fmean(numbers))),
                    ("Mediaan", formatting.number(statistics.median(numbers))),
                ]
        results.append(result)
    return {
        "version": version,
        "total": _n_cell(total, k),
        "results": results,
        "k": k,
        "language": lang,
    }


@dataclass
class WaveTable:
    name: str
    label: str
    waves: list[str]
    rows: list[ResultRow]
    totals: list[ResultCell]


COMPARABLE = [QuestionType.SINGLE, QuestionType.LIKERT, QuestionType.MULTIPLE]


def wave_comparison(*, survey: Survey, language: str = "nl") -> dict[str, Any]:
    """Compare the versions (waves) of one survey per choice question, matched by name.

    Columns are waves; each column's n is its base. Suppression runs over the whole table with
    column totals, so no hidden cell can be recovered from a wave's total.
    """
    k = disclosure.default_k()
    versions = list(survey.versions.order_by("number"))
    latest = versions[-1] if versions else None
    if latest is None:
        return {"tables": [], "k": k, "waves": []}
    lang = language if language in latest.languages else latest.default_language
    by_version_question: dict[int, dict[str, Question]] = {
        v.pk: {q.name: q for q in v.questions.all()} for v in versions
    }
    counts: dict[tuple[int, int], Counter[str]] = {}
    bases: Counter[tuple[int, int]] = Counter()
    for version_id, question_id, value in Answer.objects.filter(
        response__version__survey=survey, question__type__in=COMPARABLE
    ).values_list("response__version_id", "question_id", "value"):
        key = (version_id, question_id)
        counts.setdefault(key, Counter()).update(value if isinstance(value, list) else [value])
        bases[key] += 1
    tables = []
    for q in latest.questions.order_by("order"):
        if q.type not in COMPARABLE:
            continue
        options = [
            (c.name, _label(c.label, lang, c.name))
            for c in latest.choices.filter(list_name=q.list_name).order_by("order")
        ]
        matrix: list[list[int]] = [[0] * len(versions) for _ in options]
        totals = []
        for j, v in enumerate(versions):
            vq = by_version_question[v.pk].get(q.name)
            counter = (
                counts.get((v.pk, vq.pk), Counter())
                if vq is not None and vq.type == q.type
                else Counter()
            )
            totals.append(bases.get((v.pk, vq.pk), 0) if vq is not None else 0)
            for i, (name, _label_text) in enumerate(options):
                matrix[i][j] = counter.get(name, 0)
        protection = disclosure.protect_counts(
            matrix, k=k, with_row_totals=False, with_col_totals=True
        )
        rows = []
        for i, (_name, label) in enumerate(options):
            cells = []
            for j in range(len(versions)):
                state, total_state = protection.cells[i][j], protection.col_totals[j]
                cells.append(
                    ResultCell(
                        text=disclosure.count_text(matrix[i][j], state, k=k),
                        percentage=rules.percentage_text(
                            matrix[i][j], totals[j], state, total_state
                        ),
                        hidden=state != disclosure.SHOWN,
                    )
                )
            rows.append(ResultRow(label=label, cells=cells))
        total_cells = [
            ResultCell(
                text=disclosure.count_text(totals[j], protection.col_totals[j], k=k),
                hidden=protection.col_totals[j] != disclosure.SHOWN,
            )
            for j in range(len(versions))
        ]
        tables.append(
            WaveTable(
                name=q.name,
                label=_label(q.label, lang, q.name),
                waves=[v.wave_name for v in versions],
                rows=rows,
                totals=total_cells,
            )
        )
    return {"tables": tables, "k": k, "waves": versions}


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class IndicatorInput:
    """Aggregate input for an indicator: positive answers out of all answers, suppressed.

    `numerator`/`denominator` are None when suppressed; `display` is what a screen may show.
    """

    code: str
    label: str
    numerator: int | None
    denominator: int | None
    share: float | None
    display: str


# indicator code -> (label, question name, positive choice names) in the standard survey
STANDARD_INDICATORS: dict[str, tuple[str, str, frozenset[str]]] = {
    "feeling_welcome": (
        "Voelt zich welkom",
        "welkom",
        frozenset({"eens", "helemaal_eens"}),
    ),
    "satisfaction_inburgering": (
        "Tevreden over de inburgering",
        "tevreden_inburgering",
        frozenset({"tevreden", "zeer_tevreden"}),
    ),
    "social_network": (
        "Heeft een steunend sociaal netwerk",
        "steun_netwerk",
        frozenset({"eens", "helemaal_eens"}),
    ),
}


def indicator_inputs(
    *, municipality: Municipality, period: tuple[date, date]
) -> dict[str, IndicatorInput]:
    """Counts for the monitoring app from the standard survey 'Ervaringen met Thuis'.

    `period` is (first day, last day), inclusive; responses count by their month. Every figure
    is suppressed below k, and a numerator is hidden when the complement would reveal a small
    cell (secondary suppression).
    """
    k = disclosure.default_k()
    start, end = period
    base = Answer.objects.filter(
        response__version__survey__municipality=municipality,
        response__version__survey__is_standard=True,
        response__period__gte=rules.month_start(start),
        response__period__lte=end,
    )
    out: dict[str, IndicatorInput] = {}
    for code, (label, name, positive) in STANDARD_INDICATORS.items():
        values = list(base.filter(question__name=name).values_list("value", flat=True))
        yes = sum(1 for v in values if v in positive)
        no = len(values) - yes
        protection = disclosure.protect_counts([[yes, no]], k=k, with_row_totals=True)
        total_state = protection.row_totals[0]
        yes_state = protection.cells[0][0]
        denominator = len(values) if total_state == disclosure.SHOWN else None
        numerator = yes if yes_state == disclosure.SHOWN and denominator is not None else None
        share = (yes / len(values)) if numerator is not None and len(values) else None
        display = (
            f"{round(100 * share)}% ({numerator} van {denominator})"
            if share is not None
            else (f"minder dan {k} antwoorden" if denominator is None else "afgeschermd")
        )
        out[code] = IndicatorInput(code, label, numerator, denominator, share, display)
    return out


def standard_responses_stamp(*, municipalities: Iterable[Municipality]) -> str:
    """Count and last submission of the standard survey's responses of these municipalities:
    changes whenever `indicator_inputs` could change (for the monitoring dashboard's cache)."""
    agg = Response.objects.filter(
        version__survey__municipality__in=[m.pk for m in municipalities],
        version__survey__is_standard=True,
    ).aggregate(n=Count("pk"), last=Max("submitted_at"))
    last = agg["last"].isoformat() if agg["last"] else "-"
    return f"{agg['n']}@{last}"


# ---------------------------------------------------------------- consultations and advice


def consultation_search_for_user(
    *, user: Any, text: str = "", theme: str = "", year: int | None = None
) -> QuerySet[Consultation]:
    if not is_policy_staff(user):
        return Consultation.objects.none()
    qs = Consultation.objects.filter(municipality__in=_municipalities(user))
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(findings__icontains=text)
            | Q(quotes__icontains=text)
            | Q(organisations__icontains=text)
        )
    if theme and theme in Theme.values:
        # JSON list membership that works on SQLite and PostgreSQL alike.
        qs = qs.filter(themes__icontains=f'"{theme}"')
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-pk")


def consultation_get_for_user(*, user: Any, consultation_id: int) -> Consultation:
    return scope.get_for_user(
        consultation_search_for_user(user=user),
        consultation_id,
        user=user,
        not_found="Gesprek niet gevonden.",
    )


def theme_counts(consultations: QuerySet[Consultation]) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for themes in consultations.values_list("themes", flat=True):
        counter.update(themes)
    return [(str(t.label), counter.get(t.value, 0)) for t in Theme]


def advice_list_for_user(*, user: Any) -> QuerySet[Advice]:
    if not is_policy_staff(user):
        return Advice.objects.none()
    return (
        Advice.objects.filter(municipality__in=_municipalities(user))
        .annotate(point_count=Count("points"))
        .order_by("-received_on", "-pk")
    )


def advice_get_for_user(*, user: Any, advice_id: int) -> Advice:
    return scope.get_for_user(
        advice_list_for_user(user=user).prefetch_related("points"),
        advice_id,
        user=user,
        not_found="Advies niet gevonden.",
    )


def response_counts(*, version: SurveyVersion) -> dict[str, ResultCell]:
    """Responses per mode for staff screens (suppressed)."""
    k = disclosure.default_k()
    counts = dict(version.responses.values_list("mode").annotate(n=Count("id")))
    return {str(mode.label): _n_cell(counts.get(mode.value, 0), k) for mode in ResponseMode}
