"""A multilingual XLSForm (Dutch, English, Arabic; Turkish partly) used by unit and browser tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

L = ["label::Dutch (nl)", "label::English (en)", "label::Arabic (ar)", "label::Turkish (tr)"]

SURVEY = [
    ["type", "name", *L, "hint::Dutch (nl)", "hint::English (en)", "hint::Arabic (ar)", "required", "relevant", "constraint", "constraint_message::Dutch (nl)", "constraint_message::English (en)", "constraint_message::Arabic (ar)", "appearance", "$kuid"],
    ["note", "uitleg", "Welkom bij deze vragenlijst.", "Welcome to this questionnaire.", "مرحبًا بك في هذا الاستبيان.", "Ankete hoş geldiniz.", "", "", "", "", "", "", "", "", "", "", "k1"],
    ["select_one eens3", "welkom", "Ik voel me welkom.", "I feel welcome.", "أشعر بالترحيب.", "", "", "", "", "yes", "", "", "", "", "", "likert", "k2"],
    ["select_one jn", "cursus", "Volgt u een taalcursus?", "Do you take a language course?", "هل تتابع دورة لغة؟", "", "", "", "", "yes", "", "", "", "", "", "", "k3"],
    ["select_one eens3", "cursus_goed", "De cursus helpt mij.", "The course helps me.", "الدورة تساعدني.", "", "", "", "", "yes", "${cursus} = 'ja'", "", "", "", "", "likert", "k4"],
    ["select_multiple hulp", "hulp", "Waarbij wilt u hulp?", "What do you want help with?", "في أي مجال تريد المساعدة؟", "", "Meer antwoorden mogelijk.", "More answers possible.", "يمكن اختيار أكثر من إجابة.", "no", "", "not(selected(., 'geen') and count-selected(.) > 1)", "Kies niet 'geen' met iets anders.", "Do not combine 'none' with others.", "لا تجمع 'لا شيء' مع غيره.", "", "k5"],
    ["integer", "leeftijd", "Hoe oud bent u?", "How old are you?", "كم عمرك؟", "", "", "", "", "yes", "", ". >= 16 and . <= 99", "Tussen 16 en 99.", "Between 16 and 99.", "بين 16 و 99.", "", "k6"],
    ["date", "aankomst", "Wanneer kwam u hier wonen?", "When did you come to live here?", "متى أتيت للعيش هنا؟", "", "", "", "", "", "", "", "", "", "", "", "k7"],
    ["begin_group", "taal", "Hoe goed gaat uw Nederlands?", "How is your Dutch?", "كيف هي لغتك الهولندية؟", "", "", "", "", "", "${cursus} = 'ja' or ${cursus} = 'nee'", "", "", "", "", "table-list", "k8"],
    ["select_one goed", "spreken", "Spreken", "Speaking", "التحدث", "", "", "", "", "yes", "", "", "", "", "", "", "k9"],
    ["select_one goed", "lezen", "Lezen", "Reading", "القراءة", "", "", "", "", "yes", "", "", "", "", "", "", "k10"],
    ["end_group", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["text", "opmerking", "Opmerkingen", "Remarks", "ملاحظات", "", "Geen namen.", "No names.", "بدون أسماء.", "", "", "", "", "", "", "", "k11"],
]
CHOICES = [
    ["list_name", "name", *L],
    ["eens3", "oneens", "Oneens", "Disagree", "لا أوافق", "Katılmıyorum"],
    ["eens3", "neutraal", "Neutraal", "Neutral", "محايد", ""],
    ["eens3", "eens", "Eens", "Agree", "أوافق", "Katılıyorum"],
    ["jn", "ja", "Ja", "Yes", "نعم", "Evet"],
    ["jn", "nee", "Nee", "No", "لا", "Hayır"],
    ["hulp", "taal", "Taal", "Language", "اللغة", ""],
    ["hulp", "werk", "Werk", "Work", "العمل", ""],
    ["hulp", "geen", "Geen", "None", "لا شيء", ""],
    ["goed", "slecht", "Slecht", "Poor", "ضعيف", ""],
    ["goed", "redelijk", "Redelijk", "Fair", "مقبول", ""],
    ["goed", "goed", "Goed", "Good", "جيد", ""],
]
SETTINGS = [
    ["form_title", "form_id", "version", "default_language", "thuis_title::English (en)", "thuis_title::Arabic (ar)"],
    ["Proefenquête", "proef", "1", "Dutch (nl)", "Test survey", "استبيان تجريبي"],
]


def workbook_bytes(
    survey: list[list[str]] | None = None,
    choices: list[list[str]] | None = None,
    settings: list[list[str]] | None = None,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey or SURVEY:
        ws.append(row)
    cs = wb.create_sheet("choices")
    for row in choices or CHOICES:
        cs.append(row)
    st = wb.create_sheet("settings")
    for row in settings or SETTINGS:
        st.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
