"""The standard survey 'Ervaringen met Thuis' as Python data; writes the versioned XLSForm.

Dutch, English and Arabic are complete; Tigrinya, Dari, Farsi, Turkish, Ukrainian and Somali
are listed as columns so a gemeente can add translations (in Excel, KoboToolbox or the builder).
Regenerate the shipped file after a change:

    python -m thuis.surveys.standard.ervaringen_met_thuis

Question names are stable across versions: the indicators (feeling welcome, satisfaction,
social network) and the wave comparison match on them.
"""

from __future__ import annotations

from pathlib import Path

from thuis.surveys.choices import QuestionType
from thuis.surveys.xlsform import ChoiceSpec, FormSpec, QuestionSpec, RowSpec, build_workbook

FILE = Path(__file__).resolve().parent / "ervaringen_met_thuis.xlsx"
LANGUAGES = ["nl", "en", "ar", "ti", "prs", "fa", "tr", "uk", "so"]
VERSION = "2026.1"


def _t(nl: str, en: str, ar: str) -> dict[str, str]:
    return {"nl": nl, "en": en, "ar": ar}


def _choices(*items: tuple[str, str, str, str]) -> list[ChoiceSpec]:
    return [ChoiceSpec(name=name, label=_t(nl, en, ar)) for name, nl, en, ar in items]


CHOICES: dict[str, list[ChoiceSpec]] = {
    "eens5": _choices(
        ("helemaal_oneens", "Helemaal oneens", "Strongly disagree", "لا أوافق بشدة"),
        ("oneens", "Oneens", "Disagree", "لا أوافق"),
        ("neutraal", "Niet eens, niet oneens", "Neither agree nor disagree", "محايد"),
        ("eens", "Eens", "Agree", "أوافق"),
        ("helemaal_eens", "Helemaal eens", "Strongly agree", "أوافق بشدة"),
    ),
    "tevreden5": _choices(
        ("zeer_ontevreden", "Zeer ontevreden", "Very dissatisfied", "غير راضٍ جدًا"),
        ("ontevreden", "Ontevreden", "Dissatisfied", "غير راضٍ"),
        (
            "neutraal",
            "Niet tevreden, niet ontevreden",
            "Neither satisfied nor dissatisfied",
            "محايد",
        ),
        ("tevreden", "Tevreden", "Satisfied", "راضٍ"),
        ("zeer_tevreden", "Zeer tevreden", "Very satisfied", "راضٍ جدًا"),
    ),
    "ja_nee": _choices(("ja", "Ja", "Yes", "نعم"), ("nee", "Nee", "No", "لا")),
    "zeker4": _choices(
        ("heel_onzeker", "Heel onzeker", "Very unsure", "غير واثق جدًا"),
        ("onzeker", "Onzeker", "Unsure", "غير واثق"),
        ("zeker", "Zeker", "Confident", "واثق"),
        ("heel_zeker", "Heel zeker", "Very confident", "واثق جدًا"),
    ),
    "vaak": _choices(
        ("dagelijks", "(Bijna) elke dag", "(Almost) every day", "(تقريبًا) كل يوم"),
        ("wekelijks", "Elke week", "Every week", "كل أسبوع"),
        ("maandelijks", "Elke maand", "Every month", "كل شهر"),
        (
            "minder",
            "Minder dan één keer per maand",
            "Less than once a month",
            "أقل من مرة في الشهر",
        ),
        ("nooit", "Nooit", "Never", "أبدًا"),
    ),
    "steun": _choices(
        ("taal", "De Nederlandse taal", "The Dutch language", "اللغة الهولندية"),
        ("werk", "Werk vinden", "Finding work", "إيجاد عمل"),
        ("geld", "Geld en rekeningen", "Money and bills", "المال والفواتير"),
        ("wonen", "Wonen", "Housing", "السكن"),
        ("gezondheid", "Gezondheid", "Health", "الصحة"),
        ("post", "Post en formulieren", "Letters and forms", "الرسائل والاستمارات"),
        ("kinderen_school", "Kinderen en school", "Children and school", "الأطفال والمدرسة"),
        ("contacten", "Mensen leren kennen", "Meeting people", "التعرف على الناس"),
        ("geen", "Ik heb geen hulp nodig", "I do not need help", "لا أحتاج إلى مساعدة"),
    ),
    "wensen": _choices(
        ("betaald_werk", "Betaald werk", "Paid work", "عمل مدفوع الأجر"),
        ("vrijwilligerswerk", "Vrijwilligerswerk", "Volunteering", "عمل تطوعي"),
        ("opleiding", "Een opleiding of cursus", "Education or a course", "دراسة أو دورة تدريبية"),
        ("sport_vereniging", "Sport of een vereniging", "Sports or a club", "رياضة أو نادٍ"),
        ("buurt", "Activiteiten in de buurt", "Activities in the neighbourhood", "أنشطة في الحي"),
        ("niets", "Nu niets", "Nothing at the moment", "لا شيء حاليًا"),
    ),
}

MORE_ANSWERS = _t(
    "U kunt meer antwoorden kiezen.",
    "You can choose more than one answer.",
    "يمكنك اختيار أكثر من إجابة.",
)

QUESTIONS: list[QuestionSpec] = [
    QuestionSpec(
        name="intro",
        type=QuestionType.NOTE,
        label=_t(
            "Deze vragenlijst gaat over hoe het met u gaat in onze gemeente. Het invullen duurt "
            "ongeveer 5 minuten. Er zijn geen goede of foute antwoorden.",
            "This questionnaire is about how you are doing in our municipality. It takes about "
            "5 minutes. There are no right or wrong answers.",
            "يدور هذا الاستبيان حول أحوالك في بلديتنا. يستغرق ملؤه حوالي 5 دقائق. "
            "لا توجد إجابات صحيحة أو خاطئة.",
        ),
    ),
    QuestionSpec(
        name="welkom",
        type=QuestionType.LIKERT,
        list_name="eens5",
        appearance="likert",
        required=True,
        label=_t(
            "Ik voel me welkom in mijn gemeente.",
            "I feel welcome in my municipality.",
            "أشعر بالترحيب في بلديتي.",
        ),
    ),
    QuestionSpec(
        name="tevreden_inburgering",
        type=QuestionType.LIKERT,
        list_name="tevreden5",
        appearance="likert",
        required=True,
        label=_t(
            "Hoe tevreden bent u over uw inburgering?",
            "How satisfied are you with your civic integration (inburgering)?",
            "ما مدى رضاك عن برنامج الاندماج (inburgering) الخاص بك؟",
        ),
    ),
    QuestionSpec(
        name="taalcursus",
        type=QuestionType.SINGLE,
        list_name="ja_nee",
        required=True,
        label=_t(
            "Volgt u een taalcursus, of heeft u die gevolgd?",
            "Are you taking a language course, or did you take one?",
            "هل تتابع دورة لغة، أو هل تابعت واحدة؟",
        ),
    ),
    QuestionSpec(
        name="tevreden_taalcursus",
        type=QuestionType.LIKERT,
        list_name="tevreden5",
        appearance="likert",
        required=True,
        relevant="${taalcursus} = 'ja'",
        label=_t(
            "Hoe tevreden bent u over de taalcursus?",
            "How satisfied are you with the language course?",
            "ما مدى رضاك عن دورة اللغة؟",
        ),
    ),
    QuestionSpec(
        name="vertrouwen_nederlands",
        type=QuestionType.MATRIX,
        list_name="zeker4",
        appearance="table-list",
        required=True,
        label=_t(
            "Hoe zeker voelt u zich in het Nederlands?",
            "How confident do you feel in Dutch?",
            "ما مدى ثقتك في استخدام اللغة الهولندية؟",
        ),
        rows=[
            RowSpec("nl_spreken", _t("Spreken", "Speaking", "التحدث")),
            RowSpec("nl_verstaan", _t("Verstaan", "Understanding", "الفهم")),
            RowSpec("nl_lezen", _t("Lezen", "Reading", "القراءة")),
            RowSpec("nl_schrijven", _t("Schrijven", "Writing", "الكتابة")),
        ],
    ),
    QuestionSpec(
        name="contact_nederlanders",
        type=QuestionType.SINGLE,
        list_name="vaak",
        required=True,
        label=_t(
            "Hoe vaak heeft u contact met Nederlanders (buiten instanties)?",
            "How often are you in contact with Dutch people (outside organisations)?",
            "كم مرة تتواصل مع هولنديين (خارج المؤسسات)؟",
        ),
    ),
    QuestionSpec(
        name="contact_eigen_gemeenschap",
        type=QuestionType.SINGLE,
        list_name="vaak",
        required=True,
        label=_t(
            "Hoe vaak heeft u contact met mensen uit uw eigen gemeenschap?",
            "How often are you in contact with people from your own community?",
            "كم مرة تتواصل مع أشخاص من مجتمعك؟",
        ),
    ),
    QuestionSpec(
        name="steun_netwerk",
        type=QuestionType.LIKERT,
        list_name="eens5",
        appearance="likert",
        required=True,
        label=_t(
            "Als ik hulp nodig heb, ken ik mensen die mij helpen (geen hulpverleners of "
            "vrijwilligers).",
            "When I need help, I know people who help me (not professionals or volunteers).",
            "عندما أحتاج إلى المساعدة، أعرف أشخاصًا يساعدونني (ليسوا مختصين أو متطوعين).",
        ),
    ),
    QuestionSpec(
        name="hulp_nodig",
        type=QuestionType.MULTIPLE,
        list_name="steun",
        required=True,
        constraint="not(selected(., 'geen') and count-selected(.) > 1)",
        constraint_message=_t(
            "'Ik heb geen hulp nodig' kunt u niet samen met andere antwoorden kiezen.",
            "You cannot choose 'I do not need help' together with other answers.",
            "لا يمكنك اختيار 'لا أحتاج إلى مساعدة' مع إجابات أخرى.",
        ),
        hint=MORE_ANSWERS,
        label=_t(
            "Waarbij wilt u (meer) hulp?",
            "What would you like (more) help with?",
            "في أي مجال تريد (مزيدًا من) المساعدة؟",
        ),
    ),
    QuestionSpec(
        name="wensen",
        type=QuestionType.MULTIPLE,
        list_name="wensen",
        required=True,
        hint=MORE_ANSWERS,
        label=_t(
            "Wat zou u (meer) willen doen?",
            "What would you like to do (more of)?",
            "ماذا تود أن تفعل (أكثر)؟",
        ),
    ),
    QuestionSpec(
        name="uren_werk",
        type=QuestionType.NUMBER,
        relevant="selected(${wensen}, 'betaald_werk')",
        constraint=". >= 1 and . <= 60",
        constraint_message=_t(
            "Vul een aantal uren in van 1 tot en met 60.",
            "Enter a number of hours from 1 to 60.",
            "أدخل عدد ساعات من 1 إلى 60.",
        ),
        label=_t(
            "Hoeveel uur per week zou u willen werken?",
            "How many hours a week would you like to work?",
            "كم ساعة في الأسبوع تود أن تعمل؟",
        ),
    ),
    QuestionSpec(
        name="opmerkingen",
        type=QuestionType.TEXT,
        hint=_t(
            "Schrijf geen namen op.",
            "Please do not write down any names.",
            "يرجى عدم كتابة أي أسماء.",
        ),
        label=_t(
            "Wilt u nog iets zeggen over wonen, meedoen of de hulp in onze gemeente?",
            "Is there anything else you would like to say about living, taking part or the "
            "help in our municipality?",
            "هل تود أن تضيف شيئًا عن السكن أو المشاركة أو المساعدة في بلديتنا؟",
        ),
    ),
]


def spec() -> FormSpec:
    return FormSpec(
        form_id="ervaringen_met_thuis",
        title=_t("Ervaringen met Thuis", "Experiences with Thuis", "تجاربك مع Thuis"),
        version_label=VERSION,
        default_language="nl",
        languages=list(LANGUAGES),
        questions=QUESTIONS,
        choices=CHOICES,
    )


def write(path: Path = FILE) -> Path:
    path.write_bytes(build_workbook(spec()))
    return path


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    print(write())
