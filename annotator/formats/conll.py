"""CoNLL / IOB columns: one token per line, the tag in the last column (or `column`), a
blank line between sentences, `-DOCSTART-` between documents.

Reading builds each document's text from its tokens: tokens joined by `joiner` (" " by
default; "" for scripts written without spaces), sentences one per line ("\\n"), so every
span's offsets are exact by construction. One document per `-DOCSTART-` (a file without
one is one document), or one per `sentences_per_document` sentences when given. Tags in
IOB1, IOB2 or BIOES/BILOU (seen from the tags, or named); a bare tag (`PER`) is read as
inside (IO). WikiANN's language prefix (`en:Paris`) is taken off the tokens when every
token has one, and gives the document's language.

Writing cuts each line of a text into tokens with the app's word segmentation
(core.graphemes.WORD; any other character that is not a space is a token of its own) and
each line is a sentence. What CoNLL cannot hold is counted in the result, never dropped
in silence: spans nested in or overlapping another, spans whose edges are not token
edges, spans across a line break, and events, claims, values, notes, alignments, links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import regex

from annotator.core import graphemes
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.ids import new_id
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.core.textdecode import decode_text
from annotator.formats.base import Format, ReadResult, WriteResult

NAME = "conll"
EXTENSIONS = (".conll", ".iob", ".bio", ".bioes", ".conll03")
READ_SCHEMES = ("auto", "iob1", "iob2", "bioes", "bilou")
WRITE_SCHEMES = ("iob2", "iob1", "bioes", "bilou")
DOCSTART = "-DOCSTART-"

_PREFIXED = re.compile(r"^([BIESLU])[-_](.+)$")
_LANG_PREFIX = re.compile(r"^([a-z]{2,3}):(.+)$", re.DOTALL)
_TAG_LIKE = re.compile(r"^(?:O|[BIESLU][-_][^\W\d_]\S*)$")
_LINE_BREAK = regex.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_CLUSTER = regex.compile(r"\X", regex.DOTALL)
_RUN = regex.compile(r"\S+")

Token = tuple[str, str, int]  # token, tag, line number


def sniff(path: Path, head: bytes) -> bool:
    """Lines of a few columns, as many on each line, whose last column is an IOB tag (`O`
    or PREFIX-LABEL, the label starting with a letter), with an `O` or a B-/I- span over
    lines among them; or `-DOCSTART-` lines alone. Text whose lines happen to end in
    "S-400" or "U-turn" is not CoNLL."""
    try:
        text = head.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as exc:  # the head may end inside a character
        text = head[: exc.start].decode("utf-8-sig", errors="replace")
    lines = [ln for ln in text.split("\n")[:40] if ln.strip()][:20]
    rows = [_columns(ln.rstrip()) for ln in lines if not ln.startswith(DOCSTART)]
    if not rows:
        return bool(lines)
    if len(rows) < 2 and len(lines) < 2:
        return False
    width = len(rows[0])
    if not 2 <= width <= 10 or any(len(r) != width for r in rows):
        return False
    if any("\t" in ln and any(not f or " " in f for f in _columns(ln.rstrip()))
           for ln in lines if not ln.startswith(DOCSTART)):
        return False
    tags = [r[-1] for r in rows]
    if not all(_TAG_LIKE.match(t) for t in tags):
        return False
    return "O" in tags or any(_split_tag(a)[0] in "BI" and _split_tag(b)[0] == "I" and
                              _split_tag(a)[1] == _split_tag(b)[1] for a, b in zip(tags, tags[1:], strict=False))


def _columns(line: str) -> list[str]:
    # CoNLL-2003 separates columns by spaces, most later files by tabs (which lets a token
    # hold a space).
    return line.split("\t") if "\t" in line else line.split()


def _parse_lines(text: str, where: str, column: int | None) -> tuple[list[list[list[Token]]], int]:
    """Documents of sentences of (token, tag, line), and the most columns a line had
    besides its token and its tag (read, not kept: counted, not dropped in silence)."""
    docs: list[list[list[Token]]] = [[]]
    sentence: list[Token] = []
    extra = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()  # a trailing tab is no empty column, a trailing \r no part of the tag
        if not line:
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            continue
        cols = line.split("\t") if "\t" in line else line.split()  # _columns, inlined: once per line
        if len(cols) == 2 and column is None and cols[0] and cols[1] and cols[0].strip() == cols[0] \
                and cols[1].strip() == cols[1] and cols[0] != DOCSTART:
            sentence.append((cols[0], cols[1], lineno))  # the usual line: a token and its tag, nothing to trim
            continue
        if cols[0] == DOCSTART:
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            if docs[-1]:
                docs.append([])
            continue
        if len(cols) < 2:
            raise InputError(where, f"line {lineno}", "one column only: CoNLL needs a token and a tag on each "
                                                      "line (columns separated by tabs or spaces)")
        if column is not None and column > len(cols):
            raise InputError(where, f"line {lineno}", f"has {len(cols)} columns, no column {column} "
                                                      "(--column counts from 1)")
        tag = (cols[-1] if column is None else cols[column - 1]).strip()
        token = cols[0].strip()
        if not cols[0]:
            raise InputError(where, f"line {lineno}", "empty token")
        if not token:
            raise InputError(where, f"line {lineno}", "the token is only whitespace: each line needs a token "
                                                      "(a word, not spaces) and its tag")
        if not tag:
            raise InputError(where, f"line {lineno}", f"empty tag in column {column or len(cols)}: each token needs "
                                                      "a tag (O outside spans)")
        extra = max(extra, len(cols) - 2)
        sentence.append((token, tag, lineno))
    if sentence:
        docs[-1].append(sentence)
    return [d for d in docs if d], extra


@lru_cache(maxsize=4096)  # a file has few distinct tags, each on many lines
def _split_tag(tag: str) -> tuple[str, str | None]:
    """(prefix, label): ("O", None) outside; a bare label is inside (IO)."""
    if tag == "O":
        return "O", None
    m = _PREFIXED.match(tag)
    return (m.group(1), m.group(2)) if m else ("I", tag)


def _seen_scheme(sentences: Iterable[list[Token]]) -> str:
    """bioes when any tag is E/S/L/U; iob1 when an I- begins a span; iob2 otherwise."""
    iob1 = False
    for sentence in sentences:
        prev: str | None = None
        for _tok, tag, _ln in sentence:
            prefix, label = _split_tag(tag)
            if prefix in "ESLU":
                return "bilou" if prefix in "LU" else "bioes"
            if prefix == "I" and label != prev:
                iob1 = True
            prev = label
    return "iob1" if iob1 else "iob2"


def _entities(sentence: list[Token], scheme: str, where: str) -> tuple[list[tuple[int, int, str]], int]:
    """Token ranges [i, j) with their label, and how many tags did not fit the scheme (read
    leniently: a span that is not closed ends where the next begins or at O)."""
    out: list[tuple[int, int, str]] = []
    repaired = 0
    open_at: int | None = None
    open_label: str | None = None

    def close(end: int) -> None:
        nonlocal open_at, open_label
        if open_at is not None and open_label is not None:
            out.append((open_at, end, open_label))
        open_at = open_label = None

    for k, (_tok, tag, line) in enumerate(sentence):
        prefix, label = _split_tag(tag)
        if prefix != "O" and scheme in ("iob1", "iob2") and prefix not in "BI":
            raise InputError(where, f"line {line}", f"tag {tag!r} is not {scheme.upper()} "
                                                        "(leave the scheme to be seen from the tags)")
        if prefix == "O":
            if scheme in ("bioes", "bilou") and open_at is not None:
                repaired += 1  # a span without its E-/L-
            close(k)
        elif prefix == "B":
            if scheme in ("bioes", "bilou") and open_at is not None:
                repaired += 1
            close(k)
            open_at, open_label = k, label
        elif prefix == "I":
            if open_at is None or open_label != label:
                if scheme != "iob1":
                    repaired += 1
                close(k)
                open_at, open_label = k, label
        elif prefix in "EL":
            if open_at is None or open_label != label:
                repaired += 1
                close(k)
                open_at, open_label = k, label
            close(k + 1)
        else:  # S, U
            close(k)
            out.append((k, k + 1, label or ""))
    if scheme in ("bioes", "bilou") and open_at is not None:
        repaired += 1
    close(len(sentence))
    return out, repaired


def read(path: Path, data: bytes, *, column: int | None = None, joiner: str = " ", scheme: str = "auto",
         sentences_per_document: int | None = None, annotator: str | None = None) -> ReadResult:
    where = str(path)
    if scheme not in READ_SCHEMES:
        raise InputError(where, None, f"unknown tag scheme {scheme!r}; one of {', '.join(READ_SCHEMES)}")
    if column is not None and column < 1:
        raise InputError(where, None, f"--column {column}: columns count from 1")
    docs, extra = _parse_lines(decode_text(data, where), where, column)
    if not docs:
        raise InputError(where, None, "no tokens: not a CoNLL file (one token and its tag per line)")
    every = [s for d in docs for s in d]
    prefixed = all(_LANG_PREFIX.match(tok) for s in every for tok, _t, _l in s)
    seen = _seen_scheme(every) if scheme == "auto" else scheme
    if sentences_per_document:
        docs = [d[i:i + sentences_per_document] for d in docs for i in range(0, len(d), sentences_per_document)]
    layer = annotator or path.stem
    result = ReadResult(records=[])
    if extra:
        result.left_out.append(f"{extra} column(s) besides the token and the tag (part-of-speech, chunk or other "
                               "tags; --column N reads another column as the tag)")
    repaired = 0
    for n, sentences in enumerate(docs, 1):
        rec, fixed = _document(sentences, scheme=seen, joiner=joiner, prefixed=prefixed, where=where,
                               doc_id=path.stem if len(docs) == 1 else f"{path.stem}-{n}", annotator=layer,
                               source=path.name)
        repaired += fixed
        result.records.append((f"{where}: line {sentences[0][0][2]}", rec))
    how = "seen from the tags" if scheme == "auto" else "as asked"
    result.notes.append(f"{where}: {len(result.records)} document(s), {len(every)} sentence(s); tags read as "
                        f"{seen.upper()} ({how}); spans in {layer}'s layer"
                        + ("; language prefixes (xx:) taken off the tokens" if prefixed else ""))
    if repaired:
        result.warnings.append(f"{where}: warning: {repaired} tag(s) did not follow {seen.upper()}; "
                               "each was read as beginning or ending a span where it stands")
    return result


def _document(sentences: list[list[Token]], *, scheme: str, joiner: str, prefixed: bool, where: str, doc_id: str,
              annotator: str, source: str) -> tuple[DocumentRecord, int]:
    parts: list[str] = []
    ranges: list[tuple[int, int, str]] = []
    langs: set[str] = set()
    pos = 0
    step = len(joiner)
    repaired = 0
    for s_index, sentence in enumerate(sentences):
        if s_index:
            parts.append("\n")
            pos += 1
        toks = [tok for tok, _tag, _ln in sentence]
        if prefixed:
            toks = [_unprefixed(tok, langs) for tok in toks]
        starts, ends = [], []
        for tok in toks:  # offsets only; the sentence's text is joined once
            starts.append(pos)
            pos += len(tok)
            ends.append(pos)
            pos += step
        pos -= step
        parts.append(joiner.join(toks))
        entities, fixed = _entities(sentence, scheme, where)
        repaired += fixed
        ranges.extend((starts[i], ends[j - 1], label) for i, j, label in entities)
    text = "".join(parts)
    spans = [SpanRecord(new_id("s"), start, end, label, text[start:end]) for start, end, label in ranges]
    first = text.split("\n", 1)[0]
    title = first if len(first) <= 80 else first[:77].rstrip() + "…"
    rec = DocumentRecord(id=doc_id, lang=langs.pop() if len(langs) == 1 else "", text=text, title=title,
                         source=source, spans=tuple(spans), annotator=annotator, status="done")
    return rec, repaired


def _unprefixed(tok: str, langs: set[str]) -> str:
    """The token without its `xx:` prefix; xx added to `langs`."""
    m = _LANG_PREFIX.match(tok)
    assert m is not None  # checked for every token
    langs.add(m.group(1))
    return m.group(2)


def tokens(text: str, start: int, end: int, how: str = "words") -> list[tuple[int, int]]:
    """Tokens of text[start:end]: words (core.graphemes.WORD) and every other grapheme
    cluster that is not a space; or, with how="spaces", the runs between spaces."""
    if how == "spaces":
        return [m.span() for m in _RUN.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    pos = start
    for ws, we in graphemes.words(text, start, end) + [(end, end)]:
        for m in _CLUSTER.finditer(text, pos, ws):
            if not m.group()[0].isspace():
                out.append(m.span())
        if we > ws:
            out.append((ws, we))
        pos = we
    return out


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _tags(n: int, label: str, scheme: str, after_same: bool) -> list[str]:
    if scheme == "iob1":
        return [("B-" if after_same and i == 0 else "I-") + label for i in range(n)]
    if scheme == "iob2" or n > 1 and scheme in ("bioes", "bilou"):
        first, last = "B", ("E" if scheme == "bioes" else "L" if scheme == "bilou" else "I")
        return [f"{first if i == 0 else last if i == n - 1 else 'I'}-{label}" for i in range(n)]
    return [("S-" if scheme == "bioes" else "U-") + label]


# What CoNLL tags cannot hold, in the order it is reported (the Hugging Face export's too).
LOST_ORDER = ("nested", "off", "across", "events", "claims", "values", "notes", "alignments", "links")
LOST_WORDS = {"nested": "span(s) nested in or overlapping another span (CoNLL tags one span per token)",
              "off": "span(s) whose start or end is not a token edge",
              "across": "span(s) across a line break (each line is a sentence)",
              "events": "event(s)", "claims": "claim(s)", "values": "normalised value(s) of spans",
              "notes": "note(s) on spans", "alignments": "alignment(s)", "links": "link(s) between spans"}


def lost_lines(lost: Counter[str]) -> list[str]:
    return [f"{lost[k]} {LOST_WORDS[k]}" for k in LOST_ORDER if lost[k]]


def write(records: Iterable[DocumentRecord], out: BinaryIO, *, scheme: str = "iob2",
          tokenise: str = "words") -> WriteResult:
    if scheme not in WRITE_SCHEMES:
        raise AnnotatorError(f"unknown tag scheme {scheme!r}; one of {', '.join(WRITE_SCHEMES)}")
    lost: Counter[str] = Counter()
    n = 0
    for rec in records:
        out.write(f"{DOCSTART}\tO\n\n".encode())
        for line, line_tags in tagged_lines(rec, scheme, tokenise, lost):
            out.write("".join(f"{rec.text[s:e]}\t{t}\n" for (s, e), t in zip(line, line_tags, strict=True))
                      .encode("utf-8") + b"\n")
        n += 1
    return WriteResult(n, lost_lines(lost))


def tagged_lines(rec: DocumentRecord, scheme: str, tokenise: str, lost: Counter[str]
                 ) -> list[tuple[list[tuple[int, int]], list[str]]]:
    """(tokens, tags) of each line of the text that has a token; what the tags cannot hold
    is counted in `lost` (keys of LOST_WORDS)."""
    text = rec.text
    lost["events"] += len(rec.events)
    lost["claims"] += len(rec.claims)
    lost["alignments"] += len(rec.alignments)
    lost["links"] += len(rec.links)
    lost["values"] += sum(s.value is not None for s in rec.spans)
    lost["notes"] += sum(s.note is not None for s in rec.spans)
    lines = list(_lines(text))
    toks = [tokens(text, a, b, tokenise) for a, b in lines]
    where_start = {s: (li, ti) for li, line in enumerate(toks) for ti, (s, _e) in enumerate(line)}
    where_end = {e: (li, ti) for li, line in enumerate(toks) for ti, (_s, e) in enumerate(line)}
    tags = [["O"] * len(line) for line in toks]
    taken_end = -1  # spans are taken in text order, so one that starts before this end overlaps
    for span in sorted(rec.spans, key=lambda s: (s.start, -s.end)):
        first, last = where_start.get(span.start), where_end.get(span.end)
        if first is None or last is None:
            lost["off"] += 1
            continue
        if first[0] != last[0]:
            lost["across"] += 1
            continue
        if span.start < taken_end:
            lost["nested"] += 1
            continue
        taken_end = span.end
        li, i, j = first[0], first[1], last[1] + 1
        before = tags[li][i - 1] if i else "O"
        tags[li][i:j] = _tags(j - i, span.label, scheme, before != "O" and _split_tag(before)[1] == span.label)
    return [(line, line_tags) for line, line_tags in zip(toks, tags, strict=True) if line]


FORMAT = Format(NAME, "CoNLL / IOB token columns (IOB1, IOB2, BIOES, BILOU)", EXTENSIONS, sniff, read, write)
