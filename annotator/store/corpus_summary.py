"""What `annotator stats` prints, read through the SQLite driver without SQLAlchemy where
it can be (store.reading: a project file at this version's revision; anything else
through `Project.open`, said or refused as every command does). A command that only
counts should start as fast as Python does: importing SQLAlchemy and the ORM models costs
more than half a second, the counts themselves milliseconds."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.schema import Schema, parse_schema
from annotator.store.location import Location
from annotator.store.reading import read_project
from annotator.store.record_rows import Query


@dataclass(frozen=True)
class Stats:
    documents: int
    documents_per_language: dict[str, int]
    spans_per_language_label: dict[tuple[str, str], int]
    status_counts: dict[str, int]
    annotators: list[str]


@dataclass(frozen=True)
class AttributeCounts:
    """Items per attribute value (issue 14): attribute name -> ((value, count), ...), the
    most frequent value first; values as gold JSONL writes them (true, 3, actual)."""

    values: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def total(self, name: str) -> int:
        return sum(n for _v, n in self.values.get(name, ()))


@dataclass(frozen=True)
class Summary:
    stats: Stats
    attributes: AttributeCounts
    schema: Schema


def count_attribute_values(rows: Iterable[Sequence[Any]]) -> AttributeCounts:
    """(name, stored JSON value, count) rows -> the counts, values shown as gold JSONL writes them."""
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for name, stored, count in rows:
        value = json.loads(stored)
        shown = value if isinstance(value, str) else json.dumps(value)
        per[name][shown] = per[name].get(shown, 0) + count
    return AttributeCounts({name: tuple(sorted(values.items(), key=lambda vc: (-vc[1], vc[0])))
                            for name, values in sorted(per.items())})


# Documents per language and spans per language and label: from the counts a SQLite
# project keeps (store/span_counts.py; a GROUP BY over every span took 4.3 s on 100,000
# documents, and checking the documents table before reading its language index 0.3 s),
# or counted (a server).
KEPT_DOCS = "SELECT lang, n FROM span_counts_docs ORDER BY lang"
COUNTED_DOCS = "SELECT lang, count(*) FROM documents GROUP BY lang ORDER BY lang"
KEPT_SPANS = "SELECT lang, label, sum(n) FROM span_counts_label GROUP BY lang, label"
COUNTED_SPANS = ("SELECT d.lang, s.label, count(*) FROM spans s JOIN documents d ON s.document_id = d.id "
                 "GROUP BY d.lang, s.label")


# What summarise reads of a current SQLite project, with the revision's own table: only
# these are checked before they are read (a few pages of a 1.2 GB project; store/reading.py
# refuses to read any other table there).
TABLES_READ = ("alembic_version", "project_meta", "span_counts_docs", "span_counts_label", "document_status",
               "annotators", "attribute_values")


def summarise(query: Query, where: str, kept_counts: bool) -> Summary:
    """The counts of the project `query` reads (one read transaction's), `where` naming it
    in messages; `kept_counts`: it is a SQLite project, which keeps span counts."""
    docs: dict[str, int] = {lang: n for lang, n in query(KEPT_DOCS if kept_counts else COUNTED_DOCS)}
    spans = {(lang, label): int(n) for lang, label, n in query(KEPT_SPANS if kept_counts else COUNTED_SPANS) if n}
    status: dict[str, int] = {s: n for s, n in query("SELECT status, count(*) FROM document_status GROUP BY status")}
    annotators = [name for (name,) in query("SELECT name FROM annotators ORDER BY name")]
    total = sum(docs.values())
    (with_status,), = query("SELECT count(DISTINCT document_id) FROM document_status")
    status["todo"] = status.get("todo", 0) + max(0, total - with_status)  # no status row in any layer: to do
    attributes = count_attribute_values(query("SELECT name, value, count(*) FROM attribute_values GROUP BY name, value"))
    (schema_text,), = query("SELECT value FROM project_meta WHERE key = 'schema'")
    schema = parse_schema(schema_text, f"{where} (project schema)")
    return Summary(Stats(total, docs, spans, status, annotators), attributes, schema)


def corpus_summary(location: Location) -> Summary:
    with read_project(location, TABLES_READ) as reading:
        return summarise(reading.query, reading.where, kept_counts=reading.sqlite)
