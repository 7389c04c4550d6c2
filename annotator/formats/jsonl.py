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
from annotator.core.schema_merge import merge_schema
from annotator.formats import carried_schema, gold_jsonl
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


def carried(path: Path, data: bytes) -> Schema | None:
    """The schema the file's lines name (`$.schema` of the first line), read from beside it."""
    obj = first_object(data)
    ref = obj.get("schema") if isinstance(obj, dict) else None
    if ref is None:
        return None
    if not isinstance(ref, str):
        raise InputError(str(path), "line 1", "$.schema: expected a file name (a string)")
    return carried_schema.load(path, ref)


def read(path: Path, data: bytes, schema: Schema | None = None, annotator: str | None = None) -> ReadResult:
    """The file's records, checked against `schema` widened by the schema the file carries
    (returned in the result for the import to add). Records with annotations and no
    annotator go into the layer `annotator` (default: the file's stem), said in a note."""
    own = carried(path, data)
    if own is not None and schema is not None:
        schema = merge_schema(schema, own, str(path))[0]
    checked = check_file(data, str(path), schema, layer_name=annotator or path.stem)
    if checked.errors:
        first = checked.errors[0]
        more = len({f.line for f in checked.errors}) - 1
        raise InputError(str(path), f"line {first.line}", first.message
                         + (f" (and {more} more bad line(s): `annotator validate` lists them)" if more else ""))
    note = unnamed_note(str(path), checked, annotator or path.stem, chosen=bool(annotator))
    return ReadResult([(f"{path}: line {lineno}", rec) for lineno, rec in checked.records],
                      warnings=[f"{path}: {f}" for f in checked.warnings], notes=[note] if note else [],
                      schema=own)


def write(records: Iterable[DocumentRecord], out: BinaryIO, schema: str | None = None) -> WriteResult:
    return WriteResult(gold_jsonl.write(records, out, schema))


FORMAT = Format("jsonl", "gold JSONL, this app's own: one document and layer per line (with -o, the schema "
                         "written beside it)", (".jsonl",), sniff, read, write, layers=True, schema_beside=True,
                carries=("relations", "attributes", "fragments", "entities"))
