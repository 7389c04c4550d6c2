"""A record read for an import, with where it came from: what the reading hands the
writer (importer, read_ahead, store.records_in). Apart from the store so that an
import's reading runs without the database's modules loaded (read_ahead forks it first)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.records import DocumentRecord


@dataclass
class Incoming:
    """A record with where it came from (file and line), for messages."""

    record: DocumentRecord
    where: str
    rename_on_clash: bool = False  # plain-text imports take a free id; JSONL ids are references
    defer: bool = False  # write its layer last (finish), with those that hold references
