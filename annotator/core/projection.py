"""Projecting spans onto a translation: for each span of the source document, its
counterpart in the aligned part of the target document, as a proposal to accept.

The counterpart is searched only inside the target side of the alignment block(s) the
span lies in; a span whose blocks have no target sentence gets no proposal.
- FIGURE: a written number in the target with the same value ("4,000" -> "4 000").
- DATE: a date with the same normalised value, or the same month and day when one side
  gives no year ("13 June 2023" -> "13 juin"). If none matches but the block has exactly
  one date value on each side, that date is proposed anyway: translations disagree on dates
  (seed 004 says 13 June where 002 says 14 juin), and the proposal, once accepted and
  linked, is what makes the disagreement visible in the report.
- PERSON, ORG and any other label: the run of up to ten words of the target whose ASCII
  transliteration is most like the span's (translit.name_similarity, at least
  MIN_SIMILARITY); a run starting with a cased letter must start with a capital (a
  Bengali word has no case and is always a candidate, even beside Latin ones).
Edges are word edges (regex \\w, which keeps Bengali vowel signs in the word) and are
checked to be grapheme boundaries. Each target range is proposed once per label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from annotator.core import graphemes
from annotator.core.anchors import find_dates, find_numbers
from annotator.core.graphemes import WORD
from annotator.core.normalise import document_year, normalise_date, normalise_figure
from annotator.core.records import Block, SpanRecord
from annotator.core.translit import name_similarity

MIN_SIMILARITY = 0.75
MAX_WORDS = 10
_JOINER = regex.compile(r"[ \u00a0\u202f'’\-‐]{1,3}")  # what may sit between words of one name


@dataclass(frozen=True)
class Proposal:
    source: str  # source span id
    start: int
    end: int
    label: str
    text: str
    value: str | None


def same_date(a: str, b: str) -> bool:
    """Equal ISO values, or equal month(-day) where one of them has no year."""
    def tail(v: str) -> str:
        return v[2:] if v.startswith("--") else v[5:]

    return a == b or ((a.startswith("--") or b.startswith("--")) and tail(a) == tail(b) != "")


def _target_region(span: SpanRecord, blocks: Sequence[Block]) -> tuple[int, int, int, int] | None:
    """(a_start, a_end, b_start, b_end) of the blocks the span lies in, or None when
    their target side is empty."""
    hit = [b for b in blocks if b.a_start < b.a_end and b.a_start < span.end and span.start < b.a_end]
    hit = [b for b in hit if b.b_start < b.b_end]
    if not hit:
        return None
    return (min(b.a_start for b in hit), max(b.a_end for b in hit), min(b.b_start for b in hit),
            max(b.b_end for b in hit))


def _rel(pos: int, start: int, end: int) -> float:
    return (pos - start) / max(1, end - start)


def _name_candidates(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = [m.span() for m in WORD.finditer(text, start, end)]
    out = []
    for i, (ws, _we) in enumerate(words):
        first = text[ws]
        if first.islower():  # cased and not a capital; caseless letters and digits pass
            continue
        for j in range(i, min(len(words), i + MAX_WORDS)):
            if j > i and not _JOINER.fullmatch(text, words[j - 1][1], words[j][0]):
                break
            out.append((ws, words[j][1]))
    return out


def project_spans(source_text: str, source_lang: str, source_spans: Sequence[SpanRecord], target_text: str,
                  target_lang: str, blocks: Sequence[Block], existing: Sequence[SpanRecord] = (),
                  crossings: Sequence[Block] = ()) -> list[Proposal]:
    """Proposals for the source spans in the target along `blocks`; a span in a sentence
    with a crossing link (untranslated in `blocks`) projects into its crossed sentence."""
    blocks = [*blocks, *crossings]
    src_year, tgt_year = document_year(source_text, source_lang), document_year(target_text, target_lang)
    tgt_dates = find_dates(target_text, target_lang, tgt_year, years=True)
    tgt_numbers = find_numbers(target_text, target_lang, [(a, b) for a, b, _ in tgt_dates])
    taken = {(s.start, s.end, s.label) for s in existing}
    proposed: dict[tuple[int, int, str], Proposal | None] = {}
    for span in sorted(source_spans, key=lambda s: (s.start, s.end, s.label, s.id)):
        region = _target_region(span, blocks)
        if region is None:
            continue
        a0, a1, b0, b1 = region
        want = _rel(span.start, a0, a1)
        if span.label == "DATE":
            value = span.value or normalise_date(span.text, source_lang, src_year)
            cands = [(s, e) for s, e, v in tgt_dates if b0 <= s and e <= b1 and value and same_date(value, v)]
            if not cands and value:
                in_block = [(s, e, v) for s, e, v in tgt_dates if b0 <= s and e <= b1 and len(v.lstrip("-")) >= 5]
                src_values = {x.value or normalise_date(x.text, source_lang, src_year) for x in source_spans
                              if x.label == "DATE" and a0 <= x.start and x.end <= a1}
                cands = [(s, e) for s, e, _v in in_block] if len({v for *_se, v in in_block}) == 1 \
                    and len(src_values) == 1 else []
            scored = [(1.0, s, e) for s, e in cands]
        elif span.label == "FIGURE":
            value = span.value or normalise_figure(span.text, source_lang)
            scored = [(1.0, s, e) for s, e, v in tgt_numbers if b0 <= s and e <= b1 and value is not None and v == value]
        else:
            scored = [(sim, s, e) for s, e in _name_candidates(target_text, b0, b1)
                      if (sim := name_similarity(span.text, target_text[s:e])) >= MIN_SIMILARITY]
        scored = [c for c in scored if (c[1], c[2], span.label) not in proposed
                  and graphemes.is_boundary(target_text, c[1]) and graphemes.is_boundary(target_text, c[2])]
        if not scored:
            continue
        # Best score; then as many words as the span ("OSCE" for "OSCE" rather than the
        # full name beside it, which scores as high); then the nearest relative position.
        words = len(WORD.findall(span.text))
        _sim, s, e = min(scored, key=lambda c: (-round(c[0], 6), abs(len(WORD.findall(target_text, c[1], c[2])) - words),
                                                abs(_rel(c[1], b0, b1) - want), c[1], c[2]))
        key = (s, e, span.label)
        if key in taken:
            proposed[key] = None  # already annotated: counts as used, proposes nothing
            continue
        text = target_text[s:e]
        value = (normalise_date(text, target_lang, tgt_year) if span.label == "DATE"
                 else normalise_figure(text, target_lang) if span.label == "FIGURE" else None)
        proposed[key] = Proposal(span.id, s, e, span.label, text, value)
    return sorted((p for p in proposed.values() if p is not None), key=lambda p: (p.start, p.end, p.label, p.source))
