"""Anchors: the parts of a text that survive translation unchanged in meaning, found
with offsets so the aligner, the grouping and the projection can use them.

- "number": a written number (digits of any script, the locale's separators, a scale
  word after it); key: its plain decimal value ("4.200" and "4 200" are both "4200").
- "date": a day-month, month-year or numeric date; key: the month-day ("06-13") when the
  day is known, else the ISO value. The year is left out because translations drop it
  ("le 14 juin" for "14 June 2023") far more often than they change it.
- "name": a capitalised word that does not only open a sentence, or an acronym; key: its
  ASCII transliteration with organisation aliases (OTAN -> nato). Scripts without case
  (Bengali) give names only for words written in Latin letters or in the alias table:
  every other word would be a candidate, and false anchors cost more than missing ones.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from annotator.core import normalise
from annotator.core.graphemes import WORD
from annotator.core.sentences import split_sentences
from annotator.core.translit import ALIASES, name_key, to_ascii


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    kind: str  # "number" | "date" | "name"
    key: str


_LEFT_DAY = regex.compile(r"(\d{1,2})(?:st|nd|rd|th|er|e)?\.?\s+(?:de\s+|of\s+)?$")
_RIGHT_DAY = regex.compile(r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?![\d.,]\d)(?!\d)")
_RIGHT_YEAR = regex.compile(r"\.?,?\s+\d{4}(?!\d)")
_VI_DATE = regex.compile(r"(?<!\d)\d{1,2}\s+tháng\s+(?:\d{1,2}|\w+)(?:\s*,?\s*năm\s+\d{4})?|(?<=tháng\s+)\d{1,2}"
                         r"(?:\s*[/,]?\s*(?:năm\s+)?\d{4})?", regex.IGNORECASE)
_NUMERIC_DATE = regex.compile(r"(?<![\d.,/])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{4}|/\d{2})?"
                              r"|\d{1,2}\.\d{1,2}\.\d{4})(?![\d/])")
_YEAR = regex.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d|2100)(?![\d]|[.,]\d)")
_SCALE_AFTER = regex.compile(r"[\s\u00a0]+(\w+)")


# Both asked again and again for the same text and the same words (a long document,
# its dates and then its numbers).
_fold = lru_cache(maxsize=8)(normalise.fold_digits)
_month = lru_cache(maxsize=65536)(normalise.month_of)


def find_dates(text: str, lang: str, default_year: int | None = None,
               years: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, ISO value) of the date mentions of `text`, left to right, not
    overlapping; with `years`, bare years (1900-2100) too. Digits of any script."""
    folded = _fold(text)  # same length: offsets stay valid
    found: list[tuple[int, int]] = []
    for m in WORD.finditer(folded):
        if _month(m.group()) is None or m.group().isdigit():
            continue
        start, end = m.start(), m.end()
        left = _LEFT_DAY.search(folded, max(0, start - 12), start)
        if left:
            start = left.start()
        else:
            right = _RIGHT_DAY.match(folded, end)
            end = right.end() if right else end
        year = _RIGHT_YEAR.match(folded, end)
        end = year.end() if year else end
        if start == m.start() and end == m.end():
            continue  # a bare month name ("may", "mars") is too often something else
        found.append((start, end))
    found += [m.span() for m in _VI_DATE.finditer(folded)]
    found += [m.span() for m in _NUMERIC_DATE.finditer(folded)]
    if years:
        found += [m.span() for m in _YEAR.finditer(folded)]
    out: list[tuple[int, int, str]] = []
    for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
        if out and start < out[-1][1]:
            continue
        value = normalise.normalise_date(text[start:end], lang, default_year)
        if value is not None:
            out.append((start, end, value))
    return out


def find_numbers(text: str, lang: str, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """(start, end, decimal value) of the written numbers outside the `skip` ranges; a
    scale word right after a number belongs to it ("3,5 millions")."""
    folded = _fold(text)
    out = []
    for m in normalise.number_pattern(lang).finditer(folded):
        if _overlaps(skip, m.start(), m.end()):
            continue
        end = m.end()
        scale = _SCALE_AFTER.match(folded, end)
        if scale and to_ascii(scale.group(1)) in normalise.SCALES:
            end = scale.end()
        value = normalise.normalise_figure(text[m.start():end], lang)
        if value is not None:
            out.append((m.start(), end, value))
    return out


def _overlaps(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `ranges`, sorted and disjoint (find_dates'
    output): a binary search, so a long document's numbers are not checked against
    every date."""
    k = bisect_left(ranges, (end,))
    return k > 0 and ranges[k - 1][1] > start


def date_key(value: str) -> str:
    """"2023-06-13" and "--06-13" -> "06-13"; "2023-06" and "2023" stay as they are."""
    parts = value.lstrip("-").split("-")
    return "-".join(parts[-2:]) if len(parts) == 3 or value.startswith("--") and len(parts) == 2 else value


def _cased(word: str) -> bool:
    return word.lower() != word.upper()


def find_names(text: str, lang: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, key) of name-like words (see the module docstring)."""
    sentences = split_sentences(text, lang) if sentences is None else sentences
    words = [m for m in WORD.finditer(text) if not m.group()[0].isdigit()]
    # The first word of each sentence, after any opening quote or bracket.
    starts = [m.start() for m in words]
    openers = {starts[i] for s, _ in sentences if (i := bisect_left(starts, s)) < len(starts)}
    # A capitalised word that only ever opens sentences is an ordinary word ("The", "Le").
    mid = {m.group() for m in words if m.start() not in openers and m.group()[0].isupper()}
    out = []
    for m in words:
        word = m.group()
        if _cased(word):
            if not word[0].isupper() or len(word) < 2:
                continue
            acronym = word.isupper()
            if not acronym and m.start() in openers and word not in mid:
                continue
        elif to_ascii(word) not in ALIASES:
            continue
        out.append((m.start(), m.end(), name_key(word)))
    return out


def find_anchors(text: str, lang: str) -> list[Anchor]:
    """Every anchor of `text`, ordered by position."""
    return list(_anchors(text, lang))


@lru_cache(maxsize=256)
def _anchors(text: str, lang: str) -> tuple[Anchor, ...]:
    """Cached: the aligner and the grouping ask for the same texts again and again."""
    dates = find_dates(text, lang, normalise.document_year(text, lang))
    date_ranges = [(a, b) for a, b, _ in dates]
    anchors = [Anchor(a, b, "date", date_key(v)) for a, b, v in dates]
    anchors += [Anchor(a, b, "number", v) for a, b, v in find_numbers(text, lang, date_ranges)]
    anchors += [Anchor(a, b, "name", k) for a, b, k in find_names(text, lang)
                if not _overlaps(date_ranges, a, b)]
    return tuple(sorted(anchors, key=lambda x: (x.start, x.end, x.kind, x.key)))


def nfc_length(text: str) -> int:
    """Length in characters as a reader counts them (NFD Vietnamese is not longer)."""
    return len(unicodedata.normalize("NFC", text))
