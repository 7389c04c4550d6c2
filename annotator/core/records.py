"""The gold record: one document with one annotator's layer, independent of storage.

The store produces and consumes these; formats/ serialise them. Offsets are code points
into `text` exactly as stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

FORMAT_VERSION = 1
STATUSES = ("todo", "in_progress", "done")


@dataclass(frozen=True)
class SpanRecord:
    id: str
    start: int
    end: int
    label: str
    text: str
    value: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ArgumentRecord:
    role: str
    span: str  # a span id of the same record


@dataclass(frozen=True)
class EventRecord:
    id: str
    type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    arguments: tuple[ArgumentRecord, ...] = ()


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    start: int
    end: int
    text: str
    arguments: tuple[ArgumentRecord, ...] = ()


@dataclass(frozen=True)
class Block:
    """An n-to-m alignment block: a character range in this document and in the target.
    An empty range (x, x) means the side has no sentence in this block."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True)
class AlignmentRecord:
    target: str  # document id
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class LinkRecord:
    span: str  # span id in this record
    target_doc: str
    target_span: str


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    lang: str
    text: str
    title: str | None = None
    source: str | None = None
    spans: tuple[SpanRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    claims: tuple[ClaimRecord, ...] = ()
    group: str | None = None
    alignments: tuple[AlignmentRecord, ...] = ()
    links: tuple[LinkRecord, ...] = ()
    annotator: str | None = None
    status: str = "todo"
    schema_version: int = FORMAT_VERSION

    @property
    def checksum(self) -> str:
        return checksum(self.text)

    @property
    def has_layer(self) -> bool:
        return bool(self.spans or self.events or self.claims or self.alignments or self.links
                    or self.status != "todo")


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
