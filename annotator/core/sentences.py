"""Sentence boundaries, rule-based, for the languages of news we annotate.

A sentence ends
- at a line break (every line of a news text is a paragraph, a title or a caption),
  unless the next line starts with a lower-case letter and the line before does not end
  with a sentence's or a clause's last mark (".", "!", "?", "…", ";", ":", a danda):
  then the text was hard-wrapped. A line ending "... trois sources :" followed by
  "a ) la réfraction ..." is a list, and one-sentence-per-line text keeps its lines.
  A line with nothing to translate (no word of two letters, no number: OCR debris such
  as "f r" under a caption) is a sentence of its own, unless it sits inside a
  hard-wrapped sentence (the lines before and after it wrap across it). A break inside
  a bracket (the line leaves one open, the next closes one it did not open: "( Zürich :"
  / "Orell Füssli 1956 ) vorliegt") ends no sentence either;
- after a danda "।"/"॥" or "。", whatever follows;
- after ".", "!", "?" or "…" (with closing quotes and brackets, and a French NBSP
  before "»") followed by white space, unless:
  - the next word starts with a lower-case letter ("13. juna", "za 2023. godinu");
  - the word before the dot is an abbreviation: a single letter ("M. Geoana", "J.",
    Bengali "ড.", "ডা." are one grapheme; but not a lower-case unit after a number
    before a capital, "6200 m. Elles"), letters with inner dots ("U.S."), or a title
    in the language's list ("Mr.", "TS.", "dr.");
  - in Serbian/Croatian/Bosnian, the dot is an ordinal's and a number follows ("13. 6.").
Punctuation alone is no sentence: a piece with no letter and no digit ("Endlich . ." has
a spaced ellipsis, "Bär ! ' )" a closing quote) stays with the sentence before it on its line.
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
# A word of two letters (with their marks), a number, or a Han character: something a
# translation could carry. A line without any is page furniture or OCR debris ("....." ,
# "h * \"", ",r m"); align_cost.contentless reads sentences with the same pattern.
CONTENT = regex.compile(r"(?:\p{L}\p{M}*){2}|\p{N}|\p{Han}")
_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
_OPEN_BRACKET = regex.compile(r"\p{Ps}")
_BRACKET = regex.compile(r"[\p{Ps}\p{Pe}]")

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
    cuts = [0] + _line_cuts(text)
    titles = set(_TITLES.get(lang, "").split()) | set(_TITLES["en"].split())
    for m in _END.finditer(text):
        if _is_end(text, m, lang, titles):
            cuts.append(m.end())
    cuts.append(len(text))
    out: list[tuple[int, int]] = []
    for a, b in zip(sorted(set(cuts)), sorted(set(cuts))[1:]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        if out and not _WORDLIKE.search(text, a, b) and not _LINE_BREAK.search(text, out[-1][1], a):
            out[-1] = (out[-1][0], b)  # ". ." of a spaced ellipsis, "' )": punctuation is no sentence
        else:
            out.append((a, b))
    return out


def _line_cuts(text: str) -> list[int]:
    """The line breaks that end a sentence (their ends), see the module docstring."""
    breaks = list(_LINE_BREAK.finditer(text))
    starts = [0] + [m.end() for m in breaks]
    ends = [m.start() for m in breaks] + [len(text)]
    wrapped = []  # per break: the next line continues the sentence of a hard-wrapped paragraph
    for k, m in enumerate(breaks):
        nxt = _NEXT.match(text, m.end())
        wrapped.append(bool(nxt and nxt.group(1).islower())
                       and not _CLOSED_LINE.search(text, max(0, m.start() - 16), m.start())
                       # a bracket opened on the line and closed on the next spans the break
                       or _left_open(text[starts[k]:ends[k]]) and _closes_earlier(text[starts[k + 1]:ends[k + 1]]))
    # A run of lines with nothing to translate (OCR debris, "f r", ",r"): its lines are
    # sentences of their own unless the run sits inside a wrapped sentence (the breaks
    # before and after it both wrap), so a caption is not joined to the debris under it.
    k = 0
    while k < len(starts):
        if CONTENT.search(text, starts[k], ends[k]) or not text[starts[k]:ends[k]].strip():
            k += 1
            continue
        last = k
        while last + 1 < len(starts) and not CONTENT.search(text, starts[last + 1], ends[last + 1]):
            last += 1
        inside = k > 0 and last < len(breaks) and wrapped[k - 1] and wrapped[last]
        if not inside:
            for b in range(max(k - 1, 0), min(last + 1, len(breaks))):
                wrapped[b] = False
        k = last + 1
    return [m.end() for m, w in zip(breaks, wrapped) if not w]


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


def _left_open(line: str) -> bool:
    """Whether `line` ends inside a bracket it opened ("... Fassung ( Zürich :")."""
    depth = 0
    for ch in _BRACKET.findall(line):  # the brackets only: most lines have none
        depth = depth + 1 if _OPEN_BRACKET.match(ch) else max(depth - 1, 0)
    return depth > 0


def _closes_earlier(line: str) -> bool:
    """Whether `line` closes a bracket it did not open ("Orell Füssli 1956 ) vorliegt")."""
    depth = 0
    for ch in _BRACKET.findall(line):
        if _OPEN_BRACKET.match(ch):
            depth += 1
        elif not depth:
            return True
        else:
            depth -= 1
    return False
