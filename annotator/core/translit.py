"""Names compared across scripts: everything transliterated to plain ASCII (anyascii,
pinned), then compared as strings.

- A word that mixes Latin with Cyrillic or Greek letters is Latin with look-alikes typed
  by mistake (seed 003 writes "ЕU" with a Cyrillic "Е"): those letters are read as the
  Latin letters they look like, not transliterated ("р" is "p" there, not "r").
- A few organisations are written with their letters reversed or respelled in other
  languages (French OTAN/UE/ONU, Bengali ন্যাটো/ইইউ/জাতিসংঘ). A small table maps those
  spellings to one form, and the full names of the same few international
  organisations in the project's languages (Union européenne, Liên minh châu Âu, ...) to
  their acronym. It only ever equates a whole word or a whole name, so it cannot make two
  different names similar; it is a gazetteer of six organisations, not a dictionary.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

import regex
from anyascii import anyascii

from annotator.core.graphemes import WORD

# Cyrillic and Greek letters that look like Latin ones, read as those Latin letters
# inside an otherwise Latin word.
_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ј": "J", "І": "I", "Ѕ": "S", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
    "у": "y", "х": "x", "ј": "j", "і": "i", "ѕ": "s", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H",
    "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "ο": "o",
})
_LATIN = regex.compile(r"\p{Latin}")
_FOREIGN_LOOKALIKE = regex.compile(r"[\p{Cyrillic}\p{Greek}]")
_NOT_ALNUM = regex.compile(r"[^a-z0-9]+")

# Whole-word spellings of the same organisation (after to_ascii), mapped to one form.
ALIASES = {
    "otan": "nato", "nyato": "nato", "nato": "nato",
    "ue": "eu", "iiu": "eu", "eu": "eu",
    "onu": "un", "oun": "un", "jatismgh": "un", "un": "un",
    "oebs": "osce", "ocse": "osce", "osce": "osce",
    "keephoar": "kfor", "kfor": "kfor",
}


_PHRASES = {
    "nato": "north atlantic treaty organization|north atlantic treaty organisation|organisation du traite de l "
            "atlantique nord|to chuc hiep uoc bac dai tay duong|sjevernoatlantski savez|sjevernoatlantska alijansa",
    "eu": "european union|union europeenne|lien minh chau au|evropska unija|evropske unije|europska unija|"
          "iuropiy iuniyn|iuropiy iuniyner",
    "un": "united nations|nations unies|organisation des nations unies|lien hop quoc|ujedinjene nacije|"
          "ujedinjenih nacija|organizacija ujedinjenih nacija",
    "osce": "organization for security and co operation in europe|organisation for security and co operation in "
            "europe|organization for security and cooperation in europe|organisation pour la securite et la "
            "cooperation en europe|to chuc an ninh va hop tac chau au|organizacija za evropsku bezbjednost i "
            "saradnju|organizacija za europsku sigurnost i suradnju",
    "unsc": "united nations security council|un security council|conseil de securite de l onu|conseil de "
            "securite des nations unies|hoi dong bao an lien hop quoc|savjet bezbjednosti un|savjeta "
            "bezbjednosti un|savjeta bezbednosti un|savet bezbednosti un",
}
PHRASE_ALIASES = {name: key for key, names in _PHRASES.items() for name in names.split("|")}


def fold_lookalikes(word: str) -> str:
    """A Latin word with stray Cyrillic/Greek look-alike letters, as all Latin."""
    if _FOREIGN_LOOKALIKE.search(word) and _LATIN.search(word):
        return word.translate(_LOOKALIKES)
    return word


@lru_cache(maxsize=65536)
def to_ascii(text: str) -> str:
    """Lower-case ASCII letters and digits, words separated by single spaces.
    Words are cut in the source script first (so "l’OTAN" gives "l otan"); inside a word
    the apostrophes anyascii writes for some Bengali signs (মিরসিয়া -> "mirsiy'a") are
    dropped, not split on."""
    words = (anyascii(fold_lookalikes(w)).lower().replace("'", "") for w in WORD.findall(text))
    return _NOT_ALNUM.sub(" ", " ".join(words)).strip()


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """to_ascii with the organisation aliases applied (a whole known name, else word by
    word): the form two names must share to be the same name exactly."""
    ascii_text = to_ascii(text)
    if ascii_text in PHRASE_ALIASES:
        return PHRASE_ALIASES[ascii_text]
    return " ".join(ALIASES.get(w, w) for w in ascii_text.split())


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """How alike two names are, in [0, 1], whatever their scripts: the better of the
    ratio of the whole ASCII forms and a word-by-word score (each word of the shorter
    name matched to its best word in the longer one, weighted by length), so that word
    order ("Union européenne" / "European Union") and a missing first name count less."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if min(len(ka), len(kb)) < 0.4 * max(len(ka), len(kb)):
        return 0.0  # so different in length that neither score below could reach 0.6
    whole = _ratio(ka.replace(" ", ""), kb.replace(" ", ""))
    wa, wb = ka.split(), kb.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    total = sum(len(w) for w in short)
    by_word: float = sum(len(w) * max(_ratio(w, o) for o in long_) for w in short) / total
    # Words of the longer name left unmatched lower the word score a little.
    by_word *= (len(short) / len(long_)) ** 0.5
    return max(whole, by_word)
