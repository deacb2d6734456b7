"""Texts of the respondent pages (buttons, errors) per language.

Dutch, English and Arabic are complete. For a language without its own texts the page falls
back to English and marks those texts with lang="en", so screen readers pronounce them right.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import LANGUAGE_BY_CODE

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "choose_language": "Kies uw taal",
        "submit": "Versturen",
        "next": "Verder",
        "optional": "(niet verplicht)",
        "required": "Beantwoord deze vraag.",
        "invalid_choice": "Kies een van de antwoorden.",
        "invalid_number": "Vul een getal in.",
        "invalid_date": "Vul een datum in.",
        "constraint": "Dit antwoord is niet mogelijk.",
        "errors_title": "Er ontbreekt nog iets",
        "more_questions": (
            "Door uw antwoorden zijn er vragen bijgekomen. Beantwoord ze en verstuur opnieuw."
        ),
        "thanks_title": "Bedankt!",
        "thanks": "Uw antwoorden zijn opgeslagen. U kunt deze pagina sluiten.",
        "already": "Deze vragenlijst is al ingevuld met deze link. Bedankt!",
        "closed": "Deze vragenlijst is gesloten.",
        "anonymous_note": (
            "Uw antwoorden zijn anoniem. We bewaren niet wie u bent, "
            "geen IP-adres en geen tijdstip."
        ),
        "personal_note": (
            "Deze link is persoonlijk. Uw antwoorden worden gebruikt om u beter te helpen."
        ),
        "skip_link": "Naar de vragen",
        "matrix_hint": "Kies per regel één antwoord.",
    },
    "en": {
        "choose_language": "Choose your language",
        "submit": "Send",
        "next": "Continue",
        "optional": "(optional)",
        "required": "Please answer this question.",
        "invalid_choice": "Please choose one of the answers.",
        "invalid_number": "Please enter a number.",
        "invalid_date": "Please enter a date.",
        "constraint": "This answer is not possible.",
        "errors_title": "Something is still missing",
        "more_questions": "Your answers added new questions. Please answer them and send again.",
        "thanks_title": "Thank you!",
        "thanks": "Your answers have been saved. You can close this page.",
        "already": "This questionnaire has already been filled in with this link. Thank you!",
        "closed": "This questionnaire is closed.",
        "anonymous_note": (
            "Your answers are anonymous. We do not keep who you are, your IP address or the time."
        ),
        "personal_note": "This link is personal. Your answers are used to help you better.",
        "skip_link": "Go to the questions",
        "matrix_hint": "Choose one answer on each line.",
    },
    "ar": {
        "choose_language": "اختر لغتك",
        "submit": "إرسال",
        "next": "متابعة",
        "optional": "(اختياري)",
        "required": "يرجى الإجابة على هذا السؤال.",
        "invalid_choice": "يرجى اختيار إحدى الإجابات.",
        "invalid_number": "يرجى إدخال رقم.",
        "invalid_date": "يرجى إدخال تاريخ.",
        "constraint": "هذه الإجابة غير ممكنة.",
        "errors_title": "لا يزال هناك شيء ناقص",
        "more_questions": "أضافت إجاباتك أسئلة جديدة. يرجى الإجابة عليها ثم الإرسال مرة أخرى.",
        "thanks_title": "شكرًا لك!",
        "thanks": "تم حفظ إجاباتك. يمكنك إغلاق هذه الصفحة.",
        "already": "تم ملء هذا الاستبيان بالفعل باستخدام هذا الرابط. شكرًا لك!",
        "closed": "هذا الاستبيان مغلق.",
        "anonymous_note": "إجاباتك مجهولة الهوية. لا نحتفظ بهويتك ولا بعنوان IP ولا بالوقت.",
        "personal_note": "هذا الرابط شخصي. تُستخدم إجاباتك لمساعدتك بشكل أفضل.",
        "skip_link": "انتقل إلى الأسئلة",
        "matrix_hint": "اختر إجابة واحدة في كل سطر.",
    },
}


@dataclass(frozen=True)
class UiText:
    lang: str  # language of these texts (may differ from the form language: fallback)
    texts: dict[str, str]


def ui_text(language: str) -> UiText:
    if language in TEXTS:
        return UiText(language, TEXTS[language])
    return UiText("en", TEXTS["en"])


def text_direction(language: str) -> str:
    lang = LANGUAGE_BY_CODE.get(language)
    return "rtl" if lang is not None and lang.rtl else "ltr"
