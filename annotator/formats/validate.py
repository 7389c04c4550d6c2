"""Checking a gold JSONL file: the JSON Schema, the offsets and texts, the references
between lines, and (with a label schema) the roles. Every bad line is reported."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from annotator.core.checks import record_problems
from annotator.core.schema import Schema
from annotator.formats import gold_jsonl


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@lru_cache(maxsize=1)
def _validator(schema_path: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(Path(schema_path).read_text(encoding="utf-8")))


def validate_bytes(data: bytes, json_schema: Path, label_schema: Schema | None = None) -> tuple[int, list[Problem]]:
    """(number of records, problems)."""
    validator = _validator(str(json_schema))
    problems: list[Problem] = []
    seen: dict[tuple[str, str | None], int] = {}
    spans_of: dict[str, set[str]] = {}
    pending_refs: list[tuple[int, str, str | None]] = []  # (line, document id, span id or None)
    count = 0
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(1, "the file starts with a byte-order mark; gold JSONL is UTF-8 without BOM"))
        data = data[3:]
    if b"\r\n" in data:
        problems.append(Problem(data[: data.index(b"\r\n")].count(b"\n") + 1, "CRLF line end; gold JSONL uses LF"))
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        count += 1
        obj, rec, err = gold_jsonl.parse_line(line)
        if obj is not None:
            for e in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path)):
                path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
                problems.append(Problem(lineno, f"{path}: {e.message}"))
        if err:
            problems.append(Problem(lineno, err))
            continue
        if obj is not None and rec is not None:
            problems.extend(Problem(lineno, p) for p in record_problems(rec, label_schema))
            key = (rec.id, rec.annotator)
            if key in seen:
                problems.append(Problem(lineno, f"document {rec.id!r} layer {rec.annotator!r} already on line {seen[key]}"))
            seen[key] = lineno
            spans_of.setdefault(rec.id, set()).update(s.id for s in rec.spans)
            pending_refs.extend((lineno, al.target, None) for al in rec.alignments)
            pending_refs.extend((lineno, lk.target_doc, lk.target_span) for lk in rec.links)
    for lineno, doc, span in pending_refs:
        if doc not in spans_of:
            problems.append(Problem(lineno, f"refers to document {doc!r}, which is not in the file"))
        elif span is not None and span not in spans_of[doc]:
            problems.append(Problem(lineno, f"refers to span {span!r} of document {doc!r}, which is not in the file"))
    problems.sort(key=lambda p: p.line)
    return count, problems
