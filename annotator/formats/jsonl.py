"""Gold JSONL (ours) as a format of the registry: the checks of `annotator validate`
(formats.gold_checks) on reading, gold_jsonl on writing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import orjson

from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord
from annotator.core.schema import Schema
from annotator.formats import gold_jsonl
from annotator.formats.base import Format, ReadResult, WriteResult
from annotator.formats.gold_checks import check_file, unnamed_note


def first_object(data: bytes) -> object:
    """The first non-blank line of `data` parsed as JSON, or None."""
    rest = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        return orjson.loads(rest[: rest.find(b"\n")] if b"\n" in rest else rest)
    except orjson.JSONDecodeError:
        return None


FOREIGN_KEYS = gold_jsonl.FOREIGN_KEYS


def foreign_keys(obj: object) -> list[str]:
    return gold_jsonl.foreign_keys(obj)


def sniff(path: Path, head: bytes) -> bool:
    obj = first_object(head)
    return isinstance(obj, dict) and "text" in obj and "id" in obj and not foreign_keys(obj)


def read(path: Path, data: bytes, schema: Schema | None = None, annotator: str | None = None) -> ReadResult:
    """Records with annotations and no annotator go into the layer `annotator` (default:
    the file's stem), said in a note."""
    checked = check_file(data, str(path), schema, layer_name=annotator or path.stem)
    if checked.errors:
        first = checked.errors[0]
        more = len({f.line for f in checked.errors}) - 1
        raise InputError(str(path), f"line {first.line}", first.message
                         + (f" (and {more} more bad line(s): `annotator validate` lists them)" if more else ""))
    note = unnamed_note(str(path), checked, annotator or path.stem, chosen=bool(annotator))
    return ReadResult([(f"{path}: line {lineno}", rec) for lineno, rec in checked.records],
                      warnings=[f"{path}: {f}" for f in checked.warnings], notes=[note] if note else [])


def write(records: Iterable[DocumentRecord], out: BinaryIO) -> WriteResult:
    return WriteResult(gold_jsonl.write(records, out))


FORMAT = Format("jsonl", "gold JSONL, this app's own: one document and layer per line", (".jsonl",), sniff, read,
                write)
