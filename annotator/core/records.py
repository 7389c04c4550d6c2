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
    # Sentences that translate each other out of order, each untranslated in `blocks`.
    crossings: tuple[Block, ...] = ()


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


def layer_signature(rec: DocumentRecord) -> tuple[object, ...]:
    """What a layer says, independent of the ids the store may have given its spans, events
    and claims: two records with the same signature are the same annotation of the text."""
    where = {s.id: (s.start, s.end, s.label) for s in rec.spans}

    def args(arguments: tuple[ArgumentRecord, ...]) -> tuple[object, ...]:
        return tuple((a.role, where.get(a.span, ())) for a in arguments)

    return (
        rec.status,
        tuple(sorted((s.start, s.end, s.label, s.value or "", s.note or "") for s in rec.spans)),
        tuple(sorted((e.type, e.trigger_start, e.trigger_end, args(e.arguments)) for e in rec.events)),
        tuple(sorted((c.start, c.end, args(c.arguments)) for c in rec.claims)),
        tuple(sorted((al.target, tuple((b.a_start, b.a_end, b.b_start, b.b_end) for b in al.blocks))
                     for al in rec.alignments)),
        tuple(sorted((where.get(lk.span, ()), lk.target_doc, lk.target_span) for lk in rec.links)),
    )
