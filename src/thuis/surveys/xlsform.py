"""XLSForm (KoboToolbox / ODK) import and export with openpyxl.

Supported: sheets `survey`, `choices`, `settings`; columns `type`, `name`, `label`, `hint`,
`required`, `relevant`, `constraint`, `constraint_message`, `appearance` (translated columns as
`label::Arabic (ar)`); types select_one, select_multiple (appearance `likert` = Likert scale),
integer, decimal, date, text, note, and a matrix as a `begin_group` with appearance `table-list`
or `field-list` holding select_one rows of one list. Everything else is refused with a Dutch
message naming the row and the construct, never silently dropped. Kobo's own bookkeeping columns
(names starting with `$`) are ignored. Title translations travel in the extra settings columns
`thuis_title::Language (code)`, which pyxform and ODK ignore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from thuis.core import export, tabular

from . import rules
from .choices import CHOICE_TYPES, LANGUAGE_BY_CODE, LANGUAGE_NAME_ALIASES, QuestionType

Labels = dict[str, str]
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
TRANSLATABLE = {"label", "hint", "constraint_message"}
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "appearance"} | TRANSLATABLE
UNSUPPORTED_TYPES = {
    "begin_repeat": "herhalende groepen (begin_repeat)",
    "begin repeat": "herhalende groepen (begin_repeat)",
    "calculate": "berekeningen (calculate)",
    "geopoint": "locaties (geopoint)",
    "geotrace": "locaties (geotrace)",
    "geoshape": "locaties (geoshape)",
    "image": "foto's (image)",
    "audio": "geluid (audio)",
    "video": "video",
    "file": "bestanden (file)",
    "barcode": "barcodes",
    "time": "tijd (time)",
    "datetime": "datum met tijd (datetime)",
    "range": "schuifbalk (range)",
    "rank": "rangschikken (rank)",
    "acknowledge": "akkoordvraag (acknowledge)",
    "hidden": "verborgen velden (hidden)",
    "start": "metadata 'start': Thuis slaat geen tijdstippen op bij anonieme antwoorden",
    "end": "metadata 'end': Thuis slaat geen tijdstippen op bij anonieme antwoorden",
    "today": "metadata 'today'",
    "deviceid": "metadata 'deviceid': een apparaatnummer maakt antwoorden herleidbaar",
    "phonenumber": "metadata 'phonenumber'",
    "username": "metadata 'username'",
    "email": "metadata 'email'",
    "audit": "metadata 'audit'",
}
SIMPLE_TYPES = {
    "integer": QuestionType.NUMBER,
    "decimal": QuestionType.DECIMAL,
    "date": QuestionType.DATE,
    "text": QuestionType.TEXT,
    "note": QuestionType.NOTE,
}
EXPORT_TYPES = {v: k for k, v in SIMPLE_TYPES.items()}


class XLSFormError(ValueError):
    """The file cannot be imported. `errors` lists every problem in Dutch (row and construct)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class RowSpec:
    name: str
    label: Labels


@dataclass
class QuestionSpec:
    name: str
    type: str
    label: Labels
    hint: Labels = field(default_factory=dict)
    list_name: str = ""
    rows: list[RowSpec] = field(default_factory=list)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: Labels = field(default_factory=dict)
    appearance: str = ""


@dataclass
class ChoiceSpec:
    name: str
    label: Labels


@dataclass
class FormSpec:
    form_id: str
    title: Labels
    version_label: str
    default_language: str
    languages: list[str]
    questions: list[QuestionSpec]
    choices: dict[str, list[ChoiceSpec]]

    def structure(self) -> dict[str, Any]:
        """Everything that defines the form, as plain data (for round-trip comparisons)."""
        from dataclasses import asdict

        return asdict(self)


# ---------------------------------------------------------------- helpers


def language_header(code: str) -> str:
    lang = LANGUAGE_BY_CODE[code]
    return f"{lang.xlsform_name} ({lang.code})"


_LANG_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")


def parse_language(text: str) -> str | None:
    """'Arabic (ar)' -> 'ar'; 'Nederlands' -> 'nl'; unknown -> None."""
    text = text.strip()
    m = _LANG_WITH_CODE.match(text)
    if m:
        code = m.group("code").lower()
        return code if code in LANGUAGE_BY_CODE else None
    lowered = text.lower()
    if lowered in LANGUAGE_BY_CODE:
        return lowered
    return LANGUAGE_NAME_ALIASES.get(lowered)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Sheet:
    title: str
    headers: list[str]
    rows: list[tuple[int, dict[int, str]]]  # (excel row number, {column index: value})


# An XLSForm is read with the limits of every upload (core/tabular): its size, the archive
# checks against zip bombs, and rows, columns and cells while streaming.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


def _limits() -> tabular.Limits:
    return tabular.Limits.from_settings(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def _read_sheet(ws: Any, limits: tabular.Limits) -> _Sheet:
    rows = tabular.xlsx_rows(ws, limits)
    first = next(rows, None)
    if first is None:
        return _Sheet(ws.title, [], [])
    headers = [_cell(h) for h in first]
    if len(headers) > limits.max_columns and headers[limits.max_columns]:
        raise XLSFormError(
            [f"Blad '{ws.title}': meer dan {limits.max_columns} kolommen wordt niet ondersteund."]
        )
    while headers and not headers[-1]:
        headers.pop()
    data = []
    for number, row in enumerate(rows, start=2):
        values = {i: _cell(v) for i, v in enumerate(row) if i < len(headers) and _cell(v)}
        if values:
            data.append((number, values))
    return _Sheet(ws.title, headers, data)


@dataclass
class _Columns:
    plain: dict[str, int]  # column -> index
    translated: dict[str, dict[str, int]]  # column -> {lang: index}
    unknown: dict[int, str]  # index -> header


def _columns(
    sheet: _Sheet, known: set[str], default_lang: str, errors: list[str], languages: list[str]
) -> _Columns:
    cols = _Columns({}, {}, {})
    for i, raw in enumerate(sheet.headers):
        if not raw or raw.startswith("$"):
            continue
        base, _, lang_part = raw.partition("::")
        base = base.strip().lower().replace(" ", "_")
        if base in TRANSLATABLE and base in known:
            lang = parse_language(lang_part) if lang_part else default_lang
            if lang is None:
                errors.append(
                    f"Blad '{sheet.title}', kolom '{raw}': onbekende taal '{lang_part}'. Schrijf "
                    "bijvoorbeeld 'label::Arabic (ar)'. Ondersteunde talen: "
                    + ", ".join(language_header(c) for c in LANGUAGE_BY_CODE)
                    + "."
                )
                continue
            cols.translated.setdefault(base, {})[lang] = i
            if lang not in languages:
                languages.append(lang)
        elif base in known and not lang_part:
            cols.plain[base] = i
        else:
            cols.unknown[i] = raw
    return cols


def _labels(values: dict[int, str], cols: _Columns, column: str) -> Labels:
    return {lang: values[i] for lang, i in cols.translated.get(column, {}).items() if values.get(i)}


def _get(values: dict[int, str], cols: _Columns, column: str) -> str:
    i = cols.plain.get(column)
    return values.get(i, "") if i is not None else ""


# ---------------------------------------------------------------- import


def parse_workbook(content: bytes) -> FormSpec:
    """Read an XLSForm. Raises XLSFormError with every problem found (Dutch, row and column)."""
    limits = _limits()
    if len(content) > limits.max_bytes:
        raise XLSFormError([f"Het bestand is groter dan {MAX_BYTES // 2**20} MB."])
    unreadable = "Het bestand is geen leesbaar Excel-bestand (.xlsx)."
    try:
        # data_only: a formula in a form counts as the value Excel saved with it.
        with tabular.open_xlsx(content, limits, data_only=True) as wb:
            return _parse(wb, limits)
    except tabular.ImportFailed as exc:
        invalid = tabular.invalid_xlsx_message()
        raise XLSFormError([unreadable if e == invalid else e for e in exc.errors]) from exc


def _parse(wb: Any, limits: tabular.Limits) -> FormSpec:
    sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
    if "survey" not in sheets:
        raise XLSFormError(["Het werkblad 'survey' ontbreekt."])
    errors: list[str] = []

    # settings
    settings = {"form_title": "", "form_id": "", "version": "", "default_language": ""}
    title: Labels = {}
    title_columns: dict[str, int] = {}
    if "settings" in sheets:
        s = _read_sheet(sheets["settings"], limits)
        first = s.rows[0][1] if s.rows else {}
        for i, raw in enumerate(s.headers):
            key = raw.strip().lower()
            if key in settings:
                settings[key] = first.get(i, "")
            elif key.startswith("thuis_title::"):
                lang = parse_language(raw.split("::", 1)[1])
                if lang is None:
                    errors.append(f"Blad 'settings', kolom '{raw}': onbekende taal.")
                else:
                    title_columns[lang] = i
            elif key in {"style", ""} or key.startswith("$"):
                continue
            elif first.get(i):
                errors.append(
                    f"Blad 'settings', kolom '{raw}': deze instelling wordt niet ondersteund."
                )
        for lang, i in title_columns.items():
            if first.get(i):
                title[lang] = first[i]
    default_lang = "nl"
    if settings["default_language"]:
        parsed = parse_language(settings["default_language"])
        if parsed is None:
            errors.append(
                f"Blad 'settings', kolom 'default_language': onbekende taal "
                f"'{settings['default_language']}'."
            )
        else:
            default_lang = parsed
    form_id = settings["form_id"] or "vragenlijst"
    if not re.match(r"^[A-Za-z0-9_\-]+$", form_id):
        errors.append("Blad 'settings', kolom 'form_id': gebruik alleen letters, cijfers, - en _.")
    if settings["form_title"]:
        title[default_lang] = settings["form_title"]
    languages: list[str] = [default_lang]

    # survey
    survey = _read_sheet(sheets["survey"], limits)
    cols = _columns(survey, SURVEY_COLUMNS, default_lang, errors, languages)
    if "type" not in cols.plain:
        errors.append("Blad 'survey': de kolom 'type' ontbreekt.")
        raise XLSFormError(errors)
    questions: list[QuestionSpec] = []
    group: QuestionSpec | None = None
    group_row = 0
    group_required: set[bool] = set()
    names: set[str] = set()
    for number, values in survey.rows:
        where = f"Blad 'survey', rij {number}"
        for i, header in cols.unknown.items():
            if values.get(i):
                errors.append(f"{where}: de kolom '{header}' wordt niet ondersteund.")
        raw_type = _get(values, cols, "type")
        type_key = " ".join(raw_type.split()).lower()
        name = _get(values, cols, "name")
        label = _labels(values, cols, "label")
        required = rules.parse_required(_get(values, cols, "required"))
        if required is None:
            errors.append(
                f"{where}: 'required' = '{_get(values, cols, 'required')}' wordt niet "
                "ondersteund; gebruik yes of no."
            )
            required = False
        relevant = _get(values, cols, "relevant")
        constraint = _get(values, cols, "constraint")
        appearance = _get(values, cols, "appearance")
        if not type_key:
            errors.append(f"{where}: 'type' is leeg.")
            continue
        if type_key in {"end_group", "end group"}:
            if group is None:
                errors.append(f"{where}: 'end_group' zonder 'begin_group'.")
            else:
                if not group.rows:
                    errors.append(f"Blad 'survey', rij {group_row}: de matrix heeft geen rijen.")
                if len(group_required) > 1:
                    errors.append(
                        f"Blad 'survey', rij {group_row}: in een matrix zijn alle rijen verplicht "
                        "of geen enkele."
                    )
                group.required = group_required == {True}
                questions.append(group)
                group, group_required = None, set()
            continue
        if type_key in UNSUPPORTED_TYPES or type_key.split(" ")[0] in UNSUPPORTED_TYPES:
            what = UNSUPPORTED_TYPES.get(type_key) or UNSUPPORTED_TYPES[type_key.split(" ")[0]]
            errors.append(f"{where}: type '{raw_type}' wordt niet ondersteund ({what}).")
            continue
        if not name or not NAME_RE.match(name):
            errors.append(
                f"{where}: 'name' = '{name}' is ongeldig; begin met een letter en gebruik "
                "letters, cijfers en _."
            )
            continue
        if name in names:
            errors.append(f"{where}: de naam '{name}' komt twee keer voor.")
            continue
        names.add(name)
        if not label:
            errors.append(f"{where}: de vraag '{name}' heeft geen label.")
        for column, text in (("relevant", relevant), ("constraint", constraint)):
            if text:
                try:
                    rules.parse_expression(text)
                except rules.ExpressionError as exc:
                    shown = text if len(text) <= 80 else text[:80] + "…"
                    errors.append(
                        f"{where}, kolom '{column}': '{shown}' wordt niet ondersteund: {exc}."
                    )
        if type_key in {"begin_group", "begin group"}:
            if group is not None:
                errors.append(f"{where}: groepen binnen groepen worden niet ondersteund.")
                continue
            if not {"table-list", "field-list"} & set(appearance.split()):
                errors.append(
                    f"{where}: een groep zonder appearance 'table-list' wordt niet ondersteund; "
                    "Thuis kent groepen alleen als matrix (rijen met dezelfde keuzelijst)."
                )
                continue
            if constraint:
                errors.append(f"{where}: een 'constraint' op een groep wordt niet ondersteund.")
            group = QuestionSpec(
                name=name,
                type=QuestionType.MATRIX,
                label=label,
                hint=_labels(values, cols, "hint"),
                relevant=relevant,
                appearance="table-list",
            )
            group_row = number
            continue
        parts = type_key.split(" ")
        if parts[0] in {"select_one", "select_multiple"}:
            if len(parts) != 2 or parts[1] == "or_other":
                errors.append(
                    f"{where}: type '{raw_type}' wordt niet ondersteund; gebruik "
                    "'select_one lijstnaam' of 'select_multiple lijstnaam' (geen or_other)."
                )
                continue
            list_name = parts[1]
            if parts[0] == "select_multiple":
                qtype = QuestionType.MULTIPLE
            elif "likert" in appearance.split():
                qtype = QuestionType.LIKERT
            else:
                qtype = QuestionType.SINGLE
        elif type_key in SIMPLE_TYPES:
            list_name, qtype = "", SIMPLE_TYPES[type_key]
        else:
            errors.append(f"{where}: type '{raw_type}' wordt niet ondersteund.")
            continue
        if group is not None:
            if qtype != QuestionType.SINGLE and qtype != QuestionType.LIKERT:
                errors.append(f"{where}: in een matrix kunnen alleen select_one-vragen staan.")
                continue
            if appearance.split() and appearance not in {"label", "list-nolabel"}:
                errors.append(
                    f"{where}: appearance '{appearance}' in een matrix wordt niet ondersteund."
                )
            if relevant or constraint:
                errors.append(
                    f"{where}: 'relevant' of 'constraint' op een matrixrij wordt niet "
                    "ondersteund; zet 'relevant' op de groep."
                )
            if appearance == "label":
                names.discard(name)  # ODK header row: the choices give the column headings
                continue
            if group.list_name and group.list_name != list_name:
                errors.append(f"{where}: alle rijen van een matrix gebruiken dezelfde keuzelijst.")
            group.list_name = list_name
            group.rows.append(RowSpec(name=name, label=label))
            group_required.add(required)
            continue
        if qtype == QuestionType.NOTE and (required or constraint):
            errors.append(f"{where}: een toelichting (note) kan niet verplicht zijn.")
        kept_appearance = "likert" if qtype == QuestionType.LIKERT else ""
        if appearance and appearance != kept_appearance:
            errors.append(f"{where}: appearance '{appearance}' wordt niet ondersteund.")
        questions.append(
            QuestionSpec(
                name=name,
                type=qtype,
                label=label,
                hint=_labels(values, cols, "hint"),
                list_name=list_name,
                required=required,
                relevant=relevant,
                constraint=constraint,
                constraint_message=_labels(values, cols, "constraint_message"),
                appearance=kept_appearance,
            )
        )
    if group is not None:
        errors.append(f"Blad 'survey', rij {group_row}: 'begin_group' zonder 'end_group'.")

    # references in relevant / constraint
    known_names = {q.name for q in questions} | {r.name for q in questions for r in q.rows}
    for q in questions:
        for column, text in (("relevant", q.relevant), ("constraint", q.constraint)):
            if not text:
                continue
            try:
                node = rules.parse_expression(text)
            except rules.ExpressionError:
                continue
            for ref in sorted(rules.references(node) - known_names):
                errors.append(
                    f"Vraag '{q.name}', kolom '{column}': de verwijzing '${{{ref}}}' bestaat niet."
                )

    # choices
    choices: dict[str, list[ChoiceSpec]] = {}
    if "choices" in sheets:
        sheet = _read_sheet(sheets["choices"], limits)
        ccols = _columns(sheet, {"list_name", "name", "label"}, default_lang, errors, languages)
        list_col = "list_name" if "list_name" in ccols.plain else None
        if list_col is None and sheet.rows:
            errors.append("Blad 'choices': de kolom 'list_name' ontbreekt.")
        for number, values in sheet.rows:
            where = f"Blad 'choices', rij {number}"
            for i, header in ccols.unknown.items():
                if values.get(i):
                    errors.append(
                        f"{where}: de kolom '{header}' wordt niet ondersteund (bijvoorbeeld "
                        "choice_filter of media)."
                    )
            list_name = _get(values, ccols, "list_name")
            cname = _get(values, ccols, "name")
            if not list_name or not cname:
                errors.append(f"{where}: 'list_name' en 'name' zijn verplicht.")
                continue
            items = choices.setdefault(list_name, [])
            if any(c.name == cname for c in items):
                errors.append(f"{where}: keuze '{cname}' staat twee keer in lijst '{list_name}'.")
                continue
            clabel = _labels(values, ccols, "label")
            if not clabel:
                errors.append(f"{where}: keuze '{cname}' heeft geen label.")
            items.append(ChoiceSpec(name=cname, label=clabel))
    for q in questions:
        if q.type in CHOICE_TYPES and q.list_name not in choices:
            errors.append(
                f"Vraag '{q.name}': de keuzelijst '{q.list_name}' staat niet in het blad 'choices'."
            )
    if not questions and not errors:
        errors.append("Blad 'survey': er staan geen vragen in.")
    if errors:
        raise XLSFormError(errors)
    if not title:
        title[default_lang] = form_id
    return FormSpec(
        form_id=form_id,
        title=title,
        version_label=settings["version"],
        default_language=default_lang,
        languages=languages,
        questions=questions,
        choices=choices,
    )


# ---------------------------------------------------------------- export


def build_workbook(spec: FormSpec) -> bytes:
    """Write the form as an XLSForm that pyxform, KoboToolbox and ODK read."""
    langs = spec.languages
    has_hint = any(q.hint for q in spec.questions)
    has_msg = any(q.constraint_message for q in spec.questions)
    survey: list[list[str]] = []
    header = ["type", "name"] + [f"label::{language_header(lang)}" for lang in langs]
    if has_hint:
        header += [f"hint::{language_header(lang)}" for lang in langs]
    header += ["required", "relevant", "constraint"]
    if has_msg:
        header += [f"constraint_message::{language_header(lang)}" for lang in langs]
    header += ["appearance"]
    survey.append(header)

    def row(
        type_: str,
        name: str,
        label: Labels,
        *,
        hint: Labels | None = None,
        required: bool = False,
        relevant: str = "",
        constraint: str = "",
        message: Labels | None = None,
        appearance: str = "",
    ) -> list[str]:
        out = [type_, name] + [label.get(lang, "") for lang in langs]
        if has_hint:
            out += [(hint or {}).get(lang, "") for lang in langs]
        out += ["yes" if required else "", relevant, constraint]
        if has_msg:
            out += [(message or {}).get(lang, "") for lang in langs]
        return [*out, appearance]

    for q in spec.questions:
        if q.type == QuestionType.MATRIX:
            survey.append(
                row(
                    "begin_group",
                    q.name,
                    q.label,
                    hint=q.hint,
                    relevant=q.relevant,
                    appearance="table-list",
                )
            )
            for r in q.rows:
                survey.append(
                    row(f"select_one {q.list_name}", r.name, r.label, required=q.required)
                )
            survey.append(row("end_group", "", {}))
            continue
        if q.type in {QuestionType.SINGLE, QuestionType.LIKERT}:
            type_ = f"select_one {q.list_name}"
        elif q.type == QuestionType.MULTIPLE:
            type_ = f"select_multiple {q.list_name}"
        else:
            type_ = EXPORT_TYPES[QuestionType(q.type)]
        survey.append(
            row(
                type_,
                q.name,
                q.label,
                hint=q.hint,
                required=q.required,
                relevant=q.relevant,
                constraint=q.constraint,
                message=q.constraint_message,
                appearance="likert" if q.type == QuestionType.LIKERT else "",
            )
        )
    choices = [["list_name", "name"] + [f"label::{language_header(lang)}" for lang in langs]]
    for list_name, items in spec.choices.items():
        for c in items:
            choices.append([list_name, c.name] + [c.label.get(lang, "") for lang in langs])
    extra = [lang for lang in langs if lang != spec.default_language]
    settings = [
        ["form_title", "form_id", "version", "default_language"]
        + [f"thuis_title::{language_header(lang)}" for lang in extra],
        [
            spec.title.get(spec.default_language, spec.form_id),
            spec.form_id,
            spec.version_label,
            language_header(spec.default_language),
        ]
        + [spec.title.get(lang, "") for lang in extra],
    ]
    # Texts exactly as written (pyxform reads them), but always as text, never as a formula.
    return export.to_xlsx_sheets(
        [("survey", survey), ("choices", choices), ("settings", settings)], exact_text=True
    )
