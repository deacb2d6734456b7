"""The name search: one normalisation for the stored names and for what a user types.

`Person.search_name` holds the person's names in a normalised form (filled on every save and
by the bulk paths of `PersonQuerySet`); `people.selectors.filter_by_name` normalises the query
the same way and keeps the persons whose search name contains every term (AND over the terms,
in any order). So "Al-Hassan, Lina" (the form the caseload shows), "lina al-hassan",
"alhassan" and "al hassan" all find Lina Al-Hassan, and "calim akgunduz" finds Çalım Akgündüz.

The normalisation, in this order:

1. casefold; accents off (NFKD, combining marks dropped) and a few letters NFKD does not
   split (`SPECIAL_LETTERS`: ı, ø, ß, æ, ł, đ ...);
2. hyphens, apostrophes and dots are dropped inside a name ("o'neill" = "oneill"); spaces,
   commas and other separators split terms;
3. the article al-/el- (`ARTICLES`) is written "al";
4. a small table of spelling variants of the same name (`TRANSLITERATIONS`);
5. a doubled letter counts once ("Hassan" = "Hasan", "Mohammed" = "Mohamed").

The stored form keeps both the joined name and its parts ("alhasan al hasan"; an article is
also joined to its name in both spellings, "elhasan"), so a query with or without the hyphen
or space finds it. A query term that is only an article ("al", "el") is ignored when there are
other terms: "al hassan" also finds "Hassan" and "El Hassan".

Changing these rules changes the stored form: add a data migration that calls
`refresh_search_names` (as people/migrations/0005 does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from .models import Person

#: Letters that NFKD leaves whole, with the Latin letters a Dutch user types for them.
SPECIAL_LETTERS = str.maketrans(
    {
        "ı": "i",  # Turkish dotless i (Çalım)
        "ø": "o",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ʼ": "'",  # modifier apostrophe (Ge'ez and Arabic transliterations)
        "ʻ": "'",
        "ʿ": "'",  # ayn, as in Ja'far
        "ʾ": "'",  # hamza
        "‘": "'",
        "’": "'",
        "‐": "-",  # Unicode hyphens
        "‑": "-",
        "–": "-",
    }
)

#: Spelling variants of the same name, written to one form. Names from Arabic, Tigrinya, Persian
#: or Somali reach the gemeente in the spelling of whoever wrote them down first (IND, COA, an
#: earlier gemeente, a passport in French or English transliteration); a regisseur searches in
#: the spelling she heard. Kept small on purpose: each rule widens every search a little.
#: Applied after accents, hyphens and apostrophes are gone, before doubled letters collapse.
#: (pattern, replacement); patterns work on one normalised word.
TRANSLITERATIONS: tuple[tuple[str, str], ...] = (
    # French "ou" for u (Youssef/Yusuf, Mourad/Murad), Dutch "oe" for u (Moestafa/Mustafa).
    (r"ou|oe", "u"),
    # Muhammad: Mohammed, Mohamed, Mohammad, Muhamad, Mohamad, Muhammed, Mouhamed ...
    (r"m[ou]hh?amm?[ae]d", "muhamad"),
    # Abdul, Abdel, Abdoul, Abdal (prefix of Abdullah, Abdelkader, Abdulrahman ...)
    (r"^abd[uea]l", "abdul"),
    # English "ee" for i (Sameer/Samir, Fareed/Farid).
    (r"ee", "i"),
    # kh and ch for the same letter (Khalid/Chalid, Khadija/Chadija).
    (r"kh", "ch"),
)
_TRANSLITERATIONS = tuple((re.compile(p), r) for p, r in TRANSLITERATIONS)

#: An article in front of a name ("Al-Hassan", "El Amrani"): the same word in two spellings.
ARTICLES = frozenset({"al", "el"})

_SEPARATORS = re.compile(r"[^\w'.-]+")  # anything but letters, digits, ' . -
_JOINERS = re.compile(r"['.-]+")  # dropped inside a word
_DOUBLED = re.compile(r"(\w)\1+")


def _fold(text: str) -> str:
    """Casefold, accents off, the special letters replaced."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(SPECIAL_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(SPECIAL_LETTERS)  # letters that only appear after NFKD (ø from ǿ)


def _word(word: str) -> str:
    """One word (no separators or joiners left): the variant table, then doubled letters."""
    for pattern, replacement in _TRANSLITERATIONS:
        word = pattern.sub(replacement, word)
    return _DOUBLED.sub(r"\1", word)


def _article(part: str) -> str:
    return "al" if part in ARTICLES else part


def _terms(text: str) -> list[tuple[str, list[str]]]:
    """Each written word of `text` as (joined form, its parts), both normalised."""
    out = []
    for raw in _SEPARATORS.split(_fold(text)):
        parts = [_article(p) for p in _JOINERS.split(raw) if p]
        if not parts:
            continue
        joined = _word("".join(parts))
        out.append((joined, [_word(p) for p in parts]))
    return out


def normalise_name(*names: str) -> str:
    """The stored search form of a person's names: every word joined and in parts."""
    words: list[str] = []
    terms = _terms(" ".join(names))
    for i, (joined, parts) in enumerate(terms):
        forms = [joined, *parts] if len(parts) > 1 else [joined]
        glued = ""
        if len(parts) > 1 and parts[0] in ARTICLES:
            glued = "".join(parts[1:])  # "Al-Hassan"
        elif joined in ARTICLES and i + 1 < len(terms):
            glued = terms[i + 1][0]  # "El Hassan"
        if glued:
            # Typed without a hyphen or space, in either spelling: "alhassan", "elhassan".
            forms += [_word(article + glued) for article in sorted(ARTICLES)]
        for word in forms:
            if word not in words:
                words.append(word)
    return " ".join(words)


def query_terms(text: str) -> list[str]:
    """The terms of a typed query; a lone article is ignored when there are other terms."""
    terms = [joined for joined, _parts in _terms(text)]
    meaningful = [t for t in terms if t not in ARTICLES]
    return list(dict.fromkeys(meaningful or terms))


def person_search_name(person: Person) -> str:
    return normalise_name(person.given_names, person.prefix, person.family_name)


def fill_search_names(persons: Iterable[Person]) -> None:
    """Set `search_name` on unsaved or changed persons (the bulk paths call this)."""
    for person in persons:
        person.search_name = person_search_name(person)


def refresh_search_names(persons: QuerySet[Any], batch_size: int = 500) -> int:
    """Recompute the stored search names (after the rules changed). Returns the number changed."""
    changed = []
    for person in persons.only("pk", "given_names", "prefix", "family_name", "search_name"):
        value = normalise_name(person.given_names, person.prefix, person.family_name)
        if value != person.search_name:
            person.search_name = value
            changed.append(person)
    persons.model._base_manager.bulk_update(changed, ["search_name"], batch_size=batch_size)
    return len(changed)
