"""Normalised values of DATE and FIGURE mentions, in any of the project's languages.

Outputs pass annotator.core.values' checks: dates are ISO 8601 of the precision the
text gives ("2023-06-13", "2023-06", "2023"); a day and month with no year anywhere is
"--06-13" (ISO 8601's year-less form: deliberately not a valid span value, so the
inspector asks for the year rather than guessing). Figures are plain decimals ("4000",
"3.5", "-2"). Digits of every script are folded first (unicodedata.decimal), words are
compared after translit.to_ascii, so accents, NFD and stray Cyrillic letters do not matter.
"""

from __future__ import annotations

import calendar
import functools
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation

import regex

from annotator.core.translit import to_ascii

# -- digits ----------------------------------------------------------------------------


_OTHER_DIGIT = regex.compile(r"(?![0-9])\d")  # a decimal digit of another script (regex's \d is Unicode's Nd)


def fold_digits(text: str) -> str:
    """Every decimal digit (Bengali ০-৯, Arabic-Indic, full-width...) as ASCII; same length."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


# -- month names -----------------------------------------------------------------------
_MONTH_WORDS = (  # en, fr, hr (with its genitives), per month
    "january jan janvier janv sijecanj sijecnja", "february feb fevrier fevr fev veljaca veljace",
    "march mar mars ozujak ozujka", "april apr avril avr travanj travnja", "may mai svibanj svibnja",
    "june jun juin juni lipanj lipnja", "july jul juillet juil juli srpanj srpnja", "august aug aout kolovoz kolovoza",
    "september sep sept septembre rujan rujna", "october oct octobre listopad listopada",
    "november nov novembre studeni studenog studenoga", "december dec decembre prosinac prosinca")
# Serbian/Bosnian (Latin; Cyrillic arrives transliterated) take case endings: "13. juna".
_SLAVIC_MONTHS = ("januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust august", "septemb", "oktob",
                  "novemb", "decemb")
_BENGALI_MONTHS = ("জানুয়ারি জানুয়ারী", "ফেব্রুয়ারি ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই",
                   "আগস্ট আগষ্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর")
MONTHS: dict[str, int] = {}
for _n, _forms in enumerate(_MONTH_WORDS, start=1):
    MONTHS.update((_w, _n) for _w in _forms.split())
for _n, _forms in enumerate(_SLAVIC_MONTHS, start=1):
    for _w in _forms.split():
        stems = (_w + "ar", _w + "r") if _w.endswith("emb") or _w.endswith("ob") else (_w,)
        for _stem in stems:
            MONTHS.update((_stem + end, _n) for end in ("", "a", "u", "om"))
BENGALI_MONTHS = {unicodedata.normalize("NFC", w): n for n, forms in enumerate(_BENGALI_MONTHS, 1)
                  for w in forms.split()}
# Arabic writes the Gregorian months two ways: Egyptian/Gulf loanwords (يناير) and the
# Levantine/Iraqi Syriac names (كانون الثاني), four of which are two words; both are in
# the press. Spelled here with bare alef: hamza and diacritics are folded before lookup.
_ARABIC_MONTHS = ("يناير كانون_الثاني", "فبراير شباط", "مارس اذار", "ابريل نيسان", "مايو ايار",
                  "يونيو يونيه حزيران", "يوليو يوليه تموز", "اغسطس اب", "سبتمبر ايلول",
                  "اكتوبر تشرين_الاول", "نوفمبر تشرين_الثاني", "ديسمبر كانون_الاول")
ARABIC_MONTHS = {w.replace("_", " "): n for n, forms in enumerate(_ARABIC_MONTHS, 1) for w in forms.split()}
_ARABIC_FOLD = regex.compile(r"[\u064B-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_ARABIC_TWO_WORD_MONTH = regex.compile(r"(?:كانون|تشرين)\s+ال(?:اول|ثاني)")
_VI_NUMBERS = {"mot": 1, "gieng": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
               "tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12}
_BENGALI = regex.compile(r"\p{Bengali}")
_ARABIC = regex.compile(r"\p{Arabic}")


def _fold_arabic(text: str) -> str:
    return _ARABIC_FOLD.sub("", text).translate(str.maketrans("أإآ", "ااا"))


def month_of(word: str) -> int | None:
    """The month a single word names (any case, accents, script), or None."""
    if _BENGALI.search(word):
        return BENGALI_MONTHS.get(unicodedata.normalize("NFC", word))
    if _ARABIC.search(word):
        return ARABIC_MONTHS.get(regex.sub(r"[\s\u200c]+", " ", _fold_arabic(word)))
    return MONTHS.get(to_ascii(word).replace(" ", ""))


# -- dates -------------------------------------------------------------------------------
_WORDS = regex.compile(r"\p{L}[\p{L}\p{M}\u200c\u200d]*")
_ORD = r"(?:st|nd|rd|th|er|e)?\.?"
_DATE_PATTERNS = (  # on the canonical form: ASCII words, digits, months as "m6"
    ("ymd", regex.compile(r"\b(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b")),
    ("dmy", regex.compile(rf"\b(\d{{1,2}}){_ORD}\s*(?:de\s+|of\s+)?m(\d+)\b(?:[\s,.]*(\d{{4}})\b)?")),
    ("mdy", regex.compile(rf"\bm(\d+)\s*\.?\s*(\d{{1,2}}){_ORD}(?!\d)(?:[\s,]+(\d{{4}})\b)?")),
    ("my", regex.compile(r"\bm(\d+)\b[\s,./-]*(\d{4})\b")),
    ("num", regex.compile(r"\b(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?![\d/])")),
    ("m", regex.compile(r"\bm(\d+)\b")),
    ("y", regex.compile(r"(?<![\d.,])(\d{4})(?!\d|[.,]\d)")),
)
_VI_MONTH = regex.compile(r"\bthang\s+(\d{1,2}|muoi mot|muoi hai|" + "|".join(_VI_NUMBERS) + r")\b")
_YEAR_WORD = regex.compile(r"\bnam\s+(\d{4})\b|\b(\d{4})\.?\s*(?:godine|godinu|godina|god)\b")


@functools.lru_cache(maxsize=1 << 16)
def _canonical_word(word: str) -> str:
    """A word as the date patterns read it (words repeat: a long text is mostly cache hits)."""
    return f" m{n} " if (n := month_of(word)) else f" {to_ascii(word)} "


def _canonical(text: str) -> str:
    """ASCII words and digits, with month words replaced by "m<n>"."""
    text = fold_digits(unicodedata.normalize("NFC", text))
    if _ARABIC.search(text):
        # Joined by ZWNJ so that the word pass below sees one month word.
        text = _ARABIC_TWO_WORD_MONTH.sub(lambda m: regex.sub(r"\s+", "\u200c", m.group()),
                                          _fold_arabic(text).replace("،", ","))
    text = _WORDS.sub(lambda m: _canonical_word(m.group()), text)
    text = _VI_MONTH.sub(lambda m: f" m{int(m[1]) if m[1].isdigit() else _VI_NUMBERS[m[1]]} ", text)
    return _YEAR_WORD.sub(lambda m: f" {m[1] or m[2]} ", text)


def normalise_date(text: str, lang: str, default_year: int | None = None) -> str | None:
    """ISO 8601 for a date mention (see the module docstring), or None if it is not one."""
    s = _canonical(text)
    for kind, pattern in _DATE_PATTERNS:
        m = pattern.search(s)
        if m is None:
            continue
        if kind == "ymd":
            return _iso(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        if kind == "dmy":
            return _iso(_year(m[3], default_year), int(m[2]), int(m[1]))
        if kind == "mdy":
            return _iso(_year(m[3], default_year), int(m[1]), int(m[2]))
        if kind == "my":
            return _iso(int(m[2]), int(m[1]), None)
        if kind == "num":
            a, b = int(m[1]), int(m[3])
            # Day first everywhere except English, where month/day is read unless the
            # first number cannot be a month.
            month_first = (lang == "en" and a <= 12) or (b > 12 and a <= 12)
            day, month = (b, a) if month_first else (a, b)
            year = m[4]
            if year and len(year) == 2:
                year = str(2000 + int(year) if int(year) < 50 else 1900 + int(year))
            return _iso(_year(year, default_year), month, day)
        if kind == "m":
            return _iso(_year(None, default_year), int(m[1]), None)
        return _iso(int(m[1]), None, None)
    return None


def _year(found: str | None, default: int | None) -> int | None:
    return int(found) if found else default


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return None  # (a leap year when unknown: "29 February" may be right)
    if year is None:
        return None if month is None else f"--{month:02d}" + (f"-{day:02d}" if day else "")
    if not 1 <= year <= 9999:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def document_year(text: str, lang: str) -> int | None:
    """The year a document's undated mentions most likely belong to: the plausible year
    (1900-2100) mentioned most often, where a year inside a full date or next to a word
    for "year" counts double. A tie is None: guessing would put a wrong year into values.

    Only the text around each four-digit number is read (a date is a few words around its
    year): a 1 MB document is not made canonical whole, which took seconds."""
    votes: Counter[int] = Counter()
    for piece in _year_windows(text):
        _vote_years(_canonical(piece), votes)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


_FOUR_DIGITS = regex.compile(r"\d{4}")
_YEAR_CONTEXT = 80  # characters each side: "le vendredi 14 juin 2023", "ngày 14 tháng 6 năm 2023"


def _year_windows(text: str) -> list[str]:
    """The parts of `text` around its four-digit numbers, merged where they overlap and
    widened to whitespace so that no word or number is cut."""
    spans: list[list[int]] = []
    for m in _FOUR_DIGITS.finditer(text):
        a, b = max(0, m.start() - _YEAR_CONTEXT), min(len(text), m.end() + _YEAR_CONTEXT)
        floor, ceiling = max(0, a - _YEAR_CONTEXT), min(len(text), b + _YEAR_CONTEXT)  # scripts without spaces
        while a > floor and not text[a - 1].isspace():
            a -= 1
        while b < ceiling and not text[b].isspace():
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [text[a:b] for a, b in spans]


def _vote_years(s: str, votes: Counter[int]) -> None:
    for m in regex.finditer(r"(?<![\d.,])(\d{4})(?!\d|[.,]\d)", s):
        year = int(m[1])
        if 1900 <= year <= 2100:
            votes[year] += 1
    counted = set()  # where the year of a date was seen: "14 juin 2023" is also "juin 2023"
    for kind in ("dmy", "mdy", "my", "ymd"):
        group = 1 if kind == "ymd" else 2 if kind == "my" else 3
        for m in dict(_DATE_PATTERNS)[kind].finditer(s):
            if m[group] and 1900 <= int(m[group]) <= 2100 and m.start(group) not in counted:
                counted.add(m.start(group))
                votes[int(m[group])] += 1


# -- figures -----------------------------------------------------------------------------
_SPACE_GROUP_LANGS = {"fr", "ru", "uk", "be", "bg", "pl", "cs", "sk", "sv", "nb", "nn", "no", "fi", "et", "lv",
                      "lt", "hu", "pt", "kk"}
_THIN_SPACES = "\u00a0\u202f\u2009\u2007"
_SCALES_BY_WORD = {
    "hundred": 100, "tram": 100, "stotina": 100, "শত": 100, "শো": 100,
    "thousand": 1000, "k": 1000, "mille": 1000, "milliers": 1000, "millier": 1000, "nghin": 1000, "ngan": 1000,
    "hiljada": 1000, "hiljade": 1000, "hiljadu": 1000, "tisuca": 1000, "tisuce": 1000, "tisucu": 1000,
    "hajar": 1000, "হাজার": 1000, "লাখ": 10**5, "লক্ষ": 10**5, "lakh": 10**5, "কোটি": 10**7, "crore": 10**7,
    "million": 10**6, "millions": 10**6, "mn": 10**6, "trieu": 10**6, "milion": 10**6, "miliona": 10**6,
    "milioni": 10**6, "মিলিয়ন": 10**6, "billion": 10**9, "billions": 10**9, "bn": 10**9, "milliard": 10**9,
    "milliards": 10**9, "ty": 10**9, "ti": 10**9, "milijarda": 10**9, "milijarde": 10**9, "milijardi": 10**9,
    "বিলিয়ন": 10**9, "trillion": 10**12,
}
SCALES = {to_ascii(w): v for w, v in _SCALES_BY_WORD.items()}
# Singular scale words mean one of them with no number ("hiljadu vojnika"); plurals
# without a number ("hundreds", "hàng nghìn", "des milliers") are not a figure.
_ONE_OF = {"thousand", "mille", "hiljadu", "hiljada", "tisucu", "million", "milion", "billion", "milliard",
           "hundred"}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
                 "cinq": 5, "dix": 10, "jedan": 1, "jedna": 1, "dva": 2, "dvije": 2, "dve": 2, "tri": 3,
                 "cetiri": 4, "pet": 5, "deset": 10, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "muoi": 10,
                 "ek": 1, "dui": 2, "tin": 3, "car": 4, "pamc": 5, "ds": 10}


def _number_pattern(spaces: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?<![\d.,])(?:(?<!\w)[-\u2212])?(?:\d{{1,3}}(?:[{spaces}]\d{{3}})+(?:[.,]\d+)?"
                         r"(?![\d.,]?\d)|\d+(?:[.,'’]\d+)*)")


# Plain spaces group digits only in the languages that write "4 000"; NBSP and thin
# spaces do everywhere.
_NUMBER_SPACED = _number_pattern(" " + _THIN_SPACES)
_NUMBER_TIGHT = _number_pattern(_THIN_SPACES)


_SPACED_NUMBER = regex.compile(r"[-\u2212]?\d{1,3}(?:[ " + _THIN_SPACES + r"]\d{3})+(?:[.,]\d+)?")


def number_pattern(lang: str) -> regex.Pattern[str]:
    """The regex of a written number (digits already folded to ASCII) in `lang`."""
    return _NUMBER_SPACED if lang in _SPACE_GROUP_LANGS else _NUMBER_TIGHT


def parse_number(digits: str, lang: str) -> Decimal | None:
    """A number as written (ASCII digits; "." "," "'" NBSP or a space grouping) as a
    Decimal. The separators decide, not the locale: news copies conventions across
    languages ("4,000" in Vietnamese text), so
    - both "." and ",": the last one is the decimal separator ("1.234,5", "1,234.5");
    - one of them used twice or more: grouping ("1,000,000", "4.000.000");
    - one of them once: grouping before exactly three digits after a non-zero integer
      part ("4,000", "4.200"), else the decimal separator ("3.5", "4,5", "0,125")."""
    s = digits.replace("\u2212", "-")
    for ch in " '’" + _THIN_SPACES:
        s = s.replace(ch, "")
    dots, commas = s.count("."), s.count(",")
    point: str | None
    if dots and commas:
        point = "." if s.rfind(".") > s.rfind(",") else ","
    elif dots + commas == 1:
        sep = "." if dots else ","
        whole, frac = s.split(sep)
        point = None if len(frac) == 3 and whole.lstrip("-") not in ("", "0") else sep
    else:
        point = None
    for sep in ".,":
        if sep != point:
            s = s.replace(sep, "")
    s = s.replace(",", ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def normalise_figure(text: str, lang: str) -> str | None:
    """A plain decimal for a figure mention, or None (vague "hundreds", no number)."""
    # Arabic and Persian write their own separators: U+066C only groups, U+066B is the point.
    folded = fold_digits(unicodedata.normalize("NFC", text)).replace("\u066c", ",").replace("\u066b", ".")
    # A mention that is exactly one number grouped by spaces ("4 000", as double-click takes it)
    # is that number in any language; in running text only the languages that write so group.
    pattern = _NUMBER_SPACED if _SPACED_NUMBER.fullmatch(folded.strip()) else number_pattern(lang)
    m = pattern.search(folded)
    words = to_ascii(folded[m.end():] if m else folded).split()
    scale = next((SCALES[w] for w in words[:2] if w in SCALES), 1)
    if m is not None:
        value = parse_number(m.group(), lang)
    else:
        counts = [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]
        if not counts and not any(w in _ONE_OF for w in words):
            return None
        value = Decimal(counts[0] if counts else 1)
    if value is None:
        return None
    return _plain(value * scale)


def _plain(value: Decimal) -> str:
    s = format(value.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def normalised_value(label: str, text: str, lang: str, default_year: int | None = None) -> str | None:
    if label == "DATE":
        return normalise_date(text, lang, default_year)
    if label == "FIGURE":
        return normalise_figure(text, lang)
    return None
