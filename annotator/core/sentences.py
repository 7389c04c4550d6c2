"""Sentence boundaries, rule-based, for the languages of news we annotate.

A sentence ends
- at a line break (every line of a news text is a paragraph, a title or a caption),
  unless the next line starts with a lower-case letter and the line before does not end
  with a sentence's or a clause's last mark (".", "!", "?", "…", ";", ":", a danda):
  then the text was hard-wrapped. A line ending "... trois sources :" followed by
  "a ) la réfraction ..." is a list, and one-sentence-per-line text keeps its lines;
- after a danda "।"/"॥" or "。", whatever follows;
- after ".", "!", "?" or "…" (with closing quotes and brackets, and a French NBSP
  before "»") followed by white space, unless:
  - the next word starts with a lower-case letter ("13. juna", "za 2023. godinu");
  - the word before the dot is an abbreviation: a single letter ("M. Geoana", "J.",
    Bengali "ড.", "ডা." are one grapheme; but not a lower-case unit after a number
    before a capital, "6200 m. Elles"), letters with inner dots ("U.S."), or a title
    in the language's list ("Mr.", "TS.", "dr.");
  - in Serbian/Croatian/Bosnian, the dot is an ordinal's and a number follows ("13. 6.").
Offsets are code points; each range is trimmed of white space, and together the ranges
cover every non-space character of the text.
"""

from __future__ import annotations

import regex

_LINE_BREAK = regex.compile(r"\r\n|[\n\r\u2028\u2029\x85\x0b\x0c]")
# What a line ends with when its break is a real one even before a lower-case letter.
_CLOSED_LINE = regex.compile(r"[.!?…;:।॥。！？](?:[\p{Pe}\p{Pf}\"'»”’]|[\s\u00a0\u202f])*$")
_ALWAYS = "।॥。！？"
# A terminator, the closing punctuation that belongs with it, then the gap.
_END = regex.compile(r"(?:[.!?…]+|[।॥。！？])(?:[\p{Pe}\p{Pf}\"'»”’]|[\u00a0\u202f][»”])*(?=(\s+)|$)")
_WORD_BEFORE = regex.compile(r"[\w.\u200c\u200d]*$")
_NEXT = regex.compile(r"[\p{Ps}\p{Pi}\"'«“‘\s\-–—]*(\X)")
_GRAPHEME = regex.compile(r"\X")

_TITLES = {
    "en": "mr mrs ms dr prof st gen col lt sgt capt gov sen rep jr sr no vs etc e.g i.e inc ltd co corp dept "
          "jan feb mar apr jun jul aug sep sept oct nov dec approx fig est",
    "fr": "m mm mme mlle dr pr me st ste gén col lt cf etc env av apr no n° p art min éd vol",
    "vi": "ts ths pgs gs bs ks tp q p tt ông bà",
    "sr": "dr mr prof ing gosp gđa gđica br sv tzv npr tj itd ul god str sl čl st min",
    "hr": "dr mr prof ing gosp br sv tzv npr tj itd ul god str sl čl st min",
    "bs": "dr mr prof ing gosp br sv tzv npr tj itd ul god str sl čl st min",
    "bn": "ড ডা মি মো মোসা খ্রি নং পৃ ইং",
}
_ORDINAL_LANGS = {"sr", "hr", "bs", "sl", "mk", "de", "cs", "sk", "pl", "hu", "fi", "da", "no", "nb", "lv", "et"}
_DIGITS = regex.compile(r"\d+")
# A number, then (after at most a space) the one lower-case letter of a unit: "8848 m", "6 h".
_UNIT_AFTER_NUMBER = regex.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?\p{Ll}$")


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Code-point ranges of the sentences of `text`, in order (see the module docstring)."""
    cuts = [0]
    for m in _LINE_BREAK.finditer(text):
        nxt = _NEXT.match(text, m.end())
        if not (nxt and nxt.group(1).islower()) or _CLOSED_LINE.search(text, max(0, m.start() - 16), m.start()):
            cuts.append(m.end())
    titles = set(_TITLES.get(lang, "").split()) | set(_TITLES["en"].split())
    for m in _END.finditer(text):
        if _is_end(text, m, lang, titles):
            cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in zip(sorted(set(cuts)), sorted(set(cuts))[1:]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _is_end(text: str, m: regex.Match[str], lang: str, titles: set[str]) -> bool:
    mark = m.group()
    if mark[0] in _ALWAYS:
        return True
    if m.end() == len(text):
        return True
    nxt = _NEXT.match(text, m.end())
    following = nxt.group(1) if nxt else ""
    if following.islower():
        return False
    if mark[0] != ".":
        return True  # "!", "?", "…" before a capital, a digit or a non-cased script
    before = _WORD_BEFORE.search(text, max(0, m.start() - 64), m.start())  # a window: no quadratic scan
    assert before is not None  # the pattern matches the empty string
    word = before.group()
    if not word:
        return True
    if _DIGITS.fullmatch(word):
        # "13. 6. 2023." in languages whose ordinals take a dot; "1." opening a list item.
        if lang in _ORDINAL_LANGS and following.isdigit():
            return False
        line_start = text.rfind("\n", 0, m.start()) + 1
        return not (len(word) <= 2 and not text[line_start:m.start() - len(word)].strip())
    if "." in word.strip("."):
        return False  # "U.S.", "e.g." (a sentence rarely ends on one; when it does, we merge)
    if len(_GRAPHEME.findall(word)) == 1 and not word.isdigit():
        # An initial ("M. Geoana", "J. Smith", Bengali "ড."), unless it is a unit after a
        # number before a capital: "... 6200 m. Elles ..." (units take no dot of their own).
        return bool(word.islower() and following.isupper()
                    and _UNIT_AFTER_NUMBER.search(text, max(0, m.start() - 24), m.start()))
    return word.lower() not in titles
