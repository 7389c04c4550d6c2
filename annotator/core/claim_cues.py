"""Where claims are likely to be: quotations and reporting verbs of the seed languages.

Suggestions only; the annotator accepts or ignores them. Quotation marks pair up as
typeset in the seeds (“…”, «…», „…“, "…"); a quotation left open runs to the end of its
paragraph, as news copy does when a quote continues into the next paragraph. Reporting
verbs ("said", "a déclaré", "cho biết", "izjavio", "বলেন") mark reported statements and
point at their claimant. A claimant is never a name quoted (in this quotation or any
other: "NATO" opening the next quote is not its speaker), and a pronoun speaker
("he added", "a-t-il ajouté") is the last PERSON named before the claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from annotator.core.graphemes import WORD

# Closing marks for each opening mark; a straight quote closes itself.
PAIRS = {"“": "”„", "«": "»", "„": "“”", '"': '"', "‹": "›"}
MIN_WORDS = 4  # shorter quotations are names or scare quotes ("Partnerstvo za mir")

_VERBS = {
    "en": r"said|says|added|recalled|stated|told|noted|stressed|emphasi[sz]ed|underlined|warned|announced|"
          r"explained|argued|insisted|reported|according to",
    "fr": r"a déclaré|a dit|a ajouté|a rappelé|a souligné|a affirmé|a indiqué|a estimé|a précisé|a expliqué|"
          r"déclare|souligne|rappelle|affirme|estime|selon|a-t-il (?:déclaré|ajouté|dit|souligné)|"
          r"a-t-elle (?:déclaré|ajouté|dit|souligné)",
    "vi": r"cho biết|khẳng định|nhấn mạnh|tuyên bố|nhắc lại|bày tỏ|phát biểu|cho rằng|nói|"
          r"theo (?:ông|bà)",  # bare "theo" is mostly "in accordance with"
    "sr": r"rekao|rekla|izjavio|izjavila|naveo|navela|istakao|istakla|dodao|dodala|kazao|kazala|ocijenio|"
          r"ocijenila|upozorio|upozorila|navodi se|se navodi|navodi|prema",
    "bn": r"বলেন|বলেছেন|বলেছে|জানান|জানিয়েছেন|জানিয়েছে|উল্লেখ করেন|দাবি করেন|অনুযায়ী|মতে",
}
_CUES = {lang: regex.compile(rf"(?<!\w)(?:{v})(?!\w)", regex.IGNORECASE) for lang, v in _VERBS.items()}
# What introduces the reported clause ("said that ...", "a déclaré que ...").
_THAT = regex.compile(r"(?<!\w)(?:that|que|qu'|qu’|rằng|là|da|যে)(?!\w)\s*", regex.IGNORECASE)
_SENTENCE_END = regex.compile(r"[.!?।]+(?=\s|$)")
# A pronoun speaking: "he added", "said she", "a-t-il ajouté", "ông nói", "rekao je on".
_PRONOUNS = r"he|she|they|il|elle|ils|elles|ông|bà|họ|ona|oni|তিনি|সে"
_PRONOUN_BEFORE = regex.compile(rf"(?<!\w)(?:{_PRONOUNS}|on)\s+$", regex.IGNORECASE)  # "on a dit"
_PRONOUN_AFTER = regex.compile(rf"^\s+(?:{_PRONOUNS})(?!\w)", regex.IGNORECASE)  # not "said on Monday"
_PRONOUN_INSIDE = regex.compile(r"-t-(?:il|elle)(?!\w)", regex.IGNORECASE)
_OPENING = regex.compile("[" + regex.escape("".join(PAIRS)) + "]")  # jumps to the next mark, not a step a character


@dataclass(frozen=True)
class ClaimSuggestion:
    start: int  # the claimed text, code points
    end: int
    cue: tuple[int, int] | None  # the reporting verb that attributes it, if found
    claimant: str | None  # uid of the PERSON or ORG span suggested as the claimant
    reason: str  # "quotation" or "reported statement"


def quotations(text: str) -> list[tuple[int, int]]:
    """Inside-quote ranges, trimmed of white space and of a trailing comma."""
    out, i, n, para_end = [], 0, len(text), -1
    while i < n:
        mark = _OPENING.search(text, i)
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        if para_end < i:  # once per paragraph: a search per mark is quadratic in one long line
            para_end = text.find("\n", i)
            para_end = n if para_end < 0 else para_end
        close = min((j for j in (text.find(c, i + 1, para_end) for c in PAIRS[ch]) if j >= 0), default=-1)
        end = close if close >= 0 else para_end
        start, stop = _trim(text, i + 1, end)
        if stop > start and len(WORD.findall(text, start, stop)) >= MIN_WORDS:
            out.append((start, stop))
        i = end + 1
    return out


def cues(text: str, lang: str) -> list[tuple[int, int]]:
    pattern = _CUES.get(lang.split("-")[0])
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def claim_extents(text: str, lang: str) -> list[ClaimSuggestion]:
    """Claim extents and their cues from the text alone (no claimant): computed once per
    document, as they do not change while spans are edited."""
    cue_list = cues(text, lang)
    found = [ClaimSuggestion(start, end, _nearest_cue(text, cue_list, start, end), None, "quotation")
             for start, end in quotations(text)]
    quoted = [(s.start, s.end) for s in found]
    for cue in cue_list:
        if any(a - 2 <= cue[0] <= b + 2 for a, b in quoted) or _near_quote(text, quoted, cue):
            continue
        extent = _reported_clause(text, cue)
        if extent is None or any(a < extent[1] and extent[0] < b for a, b in quoted):
            continue
        found.append(ClaimSuggestion(*extent, cue, None, "reported statement"))
    return sorted(found, key=lambda s: (s.start, s.end))


def with_claimant(text: str, suggestion: ClaimSuggestion, spans: Sequence[tuple[int, int, str, str]]) -> ClaimSuggestion:
    """The suggestion with the PERSON or ORG span suggested as its claimant (or None)."""
    quoted = _quoted(text)
    # A name inside a quotation is what is said, not who says it.
    actors = [s for s in spans if s[2] in ("PERSON", "ORG") and not any(a <= s[0] and s[1] <= b for a, b in quoted)]
    return replace(suggestion, claimant=_claimant(text, actors, suggestion.cue, suggestion.start, suggestion.end))


@lru_cache(maxsize=4)
def _quoted(text: str) -> tuple[tuple[int, int], ...]:
    """The quotations of `text`, found once per text (a suggestion is given its claimant
    each time it is shown or accepted)."""
    return tuple(quotations(text))


def suggest_claims(text: str, lang: str, spans: Sequence[tuple[int, int, str, str]],
                   existing: Sequence[tuple[int, int]] = ()) -> list[ClaimSuggestion]:
    """Claim extents with their cue and suggested claimant, in text order. `spans` are the
    layer's (start, end, label, uid); suggestions overlapping an existing claim are left out."""
    return [with_claimant(text, s, spans) for s in open_suggestions(claim_extents(text, lang), existing)]


def open_suggestions(suggestions: Sequence[ClaimSuggestion], existing: Sequence[tuple[int, int]]) -> list[ClaimSuggestion]:
    """The suggestions no existing claim overlaps."""
    taken = sorted(existing)
    return [s for s in suggestions if not any(a < s.end and s.start < b for a, b in taken)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",:;\u00a0\u202f"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",\u00a0\u202f"):
        end -= 1
    return start, end


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, len(text) if b < 0 else b


def _near_quote(text: str, quoted: list[tuple[int, int]], cue: tuple[int, int]) -> bool:
    """A cue right after or before a quotation attributes that quotation, not a clause."""
    para = _paragraph(text, cue[0])
    return any(para[0] <= a and b <= para[1] and (0 <= cue[0] - b <= 40 or 0 <= a - cue[1] <= 40) for a, b in quoted)


def _nearest_cue(text: str, cue_list: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    para = _paragraph(text, start)
    near = [c for c in cue_list if para[0] <= c[0] < para[1] and not start <= c[0] < end]
    return min(near, key=lambda c: min(abs(c[0] - end), abs(start - c[1])), default=None)


def _reported_clause(text: str, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The statement a cue reports: after "that/que/rằng" if present, else the rest of the
    sentence after the cue, else (verb-final languages) the sentence before it."""
    para = _paragraph(text, cue[0])
    stop = _SENTENCE_END.search(text, cue[1], para[1])
    sentence_end = stop.end() if stop else para[1]
    that = _THAT.match(text, cue[1] + (1 if cue[1] < len(text) and text[cue[1]] == " " else 0))
    start = that.end() if that else cue[1]
    start, end = _trim(text, start, sentence_end)
    if len(WORD.findall(text, start, end)) < MIN_WORDS:
        before = max((m.end() for m in _SENTENCE_END.finditer(text, para[0], cue[0])), default=para[0])
        start, end = _trim(text, before, cue[0])
    return (start, end) if len(WORD.findall(text, start, end)) >= MIN_WORDS else None


def _claimant(text: str, actors: Sequence[tuple[int, int, str, str]], cue: tuple[int, int] | None, start: int,
              end: int) -> str | None:
    """The PERSON or ORG nearest the cue, outside the claim, in the same paragraph; with a
    pronoun at the cue (“..., he added”), no cue or no name beside it, the last PERSON
    named before the claim (else the last ORG)."""
    para = _paragraph(text, start)
    outside = [s for s in actors if (s[1] <= start or s[0] >= end) and para[0] <= s[0] < para[1]]
    if cue is not None and outside and not _pronoun_at(text, cue):
        best = min(outside, key=lambda s: min(abs(s[0] - cue[1]), abs(cue[0] - s[1])))
        if min(abs(best[0] - cue[1]), abs(cue[0] - best[1])) <= 60:
            return best[3]
    before = [s for s in actors if s[1] <= start and s[2] == "PERSON"] or [s for s in actors if s[1] <= start]
    return max(before, key=lambda s: s[1])[3] if before else None


def _pronoun_at(text: str, cue: tuple[int, int]) -> bool:
    """The cue's subject is a pronoun: right before the verb, right after it, or inside it."""
    return bool(_PRONOUN_BEFORE.search(text[max(0, cue[0] - 12):cue[0]])
                or _PRONOUN_AFTER.match(text[cue[1]:cue[1] + 12])
                or _PRONOUN_INSIDE.search(text, cue[0], cue[1]))
