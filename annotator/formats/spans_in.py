"""What the readers of other tools' files share: a span checked against its text (range,
grapheme clusters, quoted text) with a message naming the file and the place, and the
title a document gets from its first line."""

from __future__ import annotations

import json
from typing import TypeGuard

from annotator.core import graphemes
from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.records import SpanRecord


def span(text: str, start: int, end: int, label: str, where: str, place: str) -> SpanRecord:
    if not 0 <= start < end <= len(text):
        raise InputError(where, place, f"offsets {start} {end} are not a non-empty range inside the text "
                                       f"(length {len(text)} characters)")
    for pos in (start, end):
        if not graphemes.is_boundary(text, pos):
            raise InputError(where, place, f"offset {pos} is inside a grapheme cluster (a letter and its marks): "
                                           "move it to the cluster's edge")
    if not label:
        raise InputError(where, place, "empty label")
    return SpanRecord(new_id("s"), start, end, label, text[start:end])


def fits(text: str, start: int | None, end: int | None) -> bool:
    """Whether [start, end) is a non-empty range of whole grapheme clusters of `text`."""
    return (start is not None and end is not None and 0 <= start < end <= len(text)
            and graphemes.is_boundary(text, start) and graphemes.is_boundary(text, end))


def title(text: str) -> str:
    stripped = text.strip()
    first = stripped.splitlines()[0].strip() if stripped else ""
    return first if len(first) <= 80 else first[:77].rstrip() + "…"


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def json_lines(data: bytes, where: str):
    """(line number, parsed object) of each non-blank line of a JSON-lines file; a bad
    byte or a line that is not JSON raises InputError naming the line."""
    import orjson

    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for lineno, line in enumerate(data[start:].split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as bad:
                raise InputError(where, f"line {lineno}", f"invalid UTF-8 (byte 0x{line[bad.start]:02x} at "
                                                          f"character {bad.start + 1} of the line)") from None
            raise InputError(where, f"line {lineno}", f"not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(where, f"line {lineno}", "expected a JSON object on each line")
        yield lineno, obj


def first_element(data: bytes) -> object:
    """The first element of a JSON array (the whole value of a small file, or the first
    element decoded alone), or the first JSON line's object; None when neither parses."""
    text = data.decode("utf-8-sig", errors="replace").lstrip()
    rest = text[1:].lstrip() if text.startswith("[") else text
    try:
        return json.JSONDecoder().raw_decode(rest)[0]  # one task, pretty-printed, is a value too
    except ValueError:
        return None
