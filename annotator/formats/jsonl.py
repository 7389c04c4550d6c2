"""Gold JSONL (ours) as a format of the registry: the checks of `annotator validate`
(formats.gold_checks) on reading, gold_jsonl on writing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import orjson

from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord
from annotator.core.schema import Schema
from annotator.formats import carried_schema, gold_jsonl
from annotator.formats.base import Format, ReadResult, WriteResult

if TYPE_CHECKING:  # the readers' checks are imported where read: an export of gold JSONL needs none of them
    from annotator.formats.gold_checks import LayerLines


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
    from annotator.core.schema_merge import merge_schema
    from annotator.formats.gold_checks import check_file, unnamed_note

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


class Stream:
    """A gold JSONL file read a line at a time, its records given a batch at a time, with
    the checks of `read` (and of `annotator validate`): an import of a large file keeps
    one batch of records in memory, not the file. The first bad line raises InputError
    once the whole file is checked (the message counts the others), so what a caller wrote
    of the earlier batches is for its transaction to roll back."""

    def __init__(self, path: Path, fh: BinaryIO, annotator: str | None = None) -> None:
        from annotator.formats.gold_checks import LayerLines

        self.path, self.fh = path, fh
        self.layer_name, self.chosen = annotator or path.stem, bool(annotator)
        self.first = self._line()
        self.own = carried(path, self.first)  # the schema the file carries, named on its first line
        self.bytes_read = 0
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.layers: LayerLines = LayerLines()  # the file's layers by document id, filled as its lines are read

    def where(self, lineno: int) -> str:
        """How a message names line `lineno` of the file (the place given with its record)."""
        return f"{self.path}: line {lineno}"

    def _line(self) -> bytes:
        try:
            return self.fh.readline()
        except OSError as exc:
            raise InputError(str(self.path), None, exc.strerror or str(exc)) from None

    def batches(self, schema: Schema | None, size: int,
                max_bytes: int | None = None) -> Iterator[list[tuple[str, DocumentRecord]]]:
        """Lists of (where, record) of up to `size` records (and no more lines than make
        `max_bytes`, but for a single line), checked against `schema` widened by the
        schema the file carries."""
        from annotator.core.schema_merge import merge_schema
        from annotator.formats.gold_checks import LineChecker, unnamed_note

        path = self.path
        if self.own is not None and schema is not None:
            schema = merge_schema(schema, self.own, str(path))[0]
        checker = LineChecker(schema, None, self.layer_name)
        self.layers = checker.layers
        batch: list[tuple[str, DocumentRecord]] = []
        bad = False
        lineno = offset = begun = 0  # `begun`: the offset of the batch's first line
        line = self.first
        while line:
            lineno += 1
            start, offset = offset, offset + len(line)
            body = line[:-1] if line.endswith(b"\n") else line
            if lineno == 1 and body.startswith(b"\xef\xbb\xbf"):
                checker.bom()
                body, start = body[3:], 3
            rec = checker.check(lineno, body, start)
            if rec is None:
                bad = bad or bool(body.strip())
            elif not bad:
                batch.append((self.where(lineno), rec))
                if len(batch) >= size or max_bytes is not None and offset - begun >= max_bytes:
                    self.bytes_read = begun = offset
                    yield batch
                    batch = []
            line = self._line()
        self.bytes_read = offset
        self.first = b""  # not kept with the file's layers past its end (an import keeps those)
        checked = checker.out
        if checked.errors:
            first = checked.errors[0]
            more = len({f.line for f in checked.errors}) - 1
            raise InputError(str(path), f"line {first.line}", first.message
                             + (f" (and {more} more bad line(s): `annotator validate` lists them)" if more else ""))
        note = unnamed_note(str(path), checked, self.layer_name, chosen=self.chosen)
        self.warnings = [f"{path}: {f}" for f in checked.warnings]
        self.notes = [note] if note else []
        if batch:
            yield batch


FORMAT = Format("jsonl", "gold JSONL, this app's own: one document and layer per line (with -o, the schema "
                         "written beside it)", (".jsonl",), sniff, read, write, layers=True, schema_beside=True,
                carries=("relations", "attributes", "fragments", "entities"))
