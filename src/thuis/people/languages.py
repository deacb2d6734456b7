"""Languages (ISO 639-1/639-3 codes) that Thuis offers for 'spoken' and 'preferred' language."""

LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "Engels",
    "ar": "Arabisch",
    "ti": "Tigrinya",
    "fa": "Perzisch (Farsi)",
    "prs": "Dari",
    "ps": "Pasjtoe",
    "ku": "Koerdisch",
    "tr": "Turks",
    "so": "Somalisch",
    "am": "Amhaars",
    "uk": "Oekraïens",
    "ru": "Russisch",
    "fr": "Frans",
}
LANGUAGE_CODES = frozenset(LANGUAGE_NAMES)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
