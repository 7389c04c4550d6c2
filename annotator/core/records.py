"""The gold record: one document with one annotator's layer, independent of storage.

The store produces and consumes these; formats/ serialise them. Offsets are code points
into `text` exactly as stored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload

FORMAT_VERSION = 1
STATUSES = ("todo", "in_progress", "done")

# An item's attributes as (name, value) pairs in the order written (the `attributes`
# object of gold JSONL); values are JSON strings, numbers or booleans.
Attributes = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class SpanRecord:
    id: str
    start: int
    end: int
    label: str
    text: str
    value: str | None = None
    note: str | None = None
    # A discontinuous span's fragments, in order; start and end are then its outer bounds.
    fragments: tuple[tuple[int, int], ...] = ()
    entity: str | None = None  # the id of its cluster (an EntityRecord of the record)
    attributes: Attributes = ()


_new = object.__new__


def plain_span(id: str, start: int, end: int, label: str, text: str, value: str | None = None,
               note: str | None = None) -> SpanRecord:
    """SpanRecord(id, start, end, label, text, value, note), equal in every way, made
    without the frozen dataclass's object.__setattr__ per field: imports and exports make
    one per span, and that call was a sixth of an export. (The other fields keep their
    defaults, which a dataclass holds on the class.)"""
    span: SpanRecord = _new(SpanRecord)
    d = span.__dict__
    d["id"], d["start"], d["end"], d["label"], d["text"], d["value"], d["note"] = id, start, end, label, text, value, note
    return span


class SpanColumns(Sequence[SpanRecord]):
    """A record's plain spans (no fragments, cluster or attributes) as columns: what an
    import's reading process hands its writer (annotator.read_ahead). The writer binds
    the columns as the spans' rows (ids, labels, counts) without a SpanRecord per span,
    the hand-over's largest cost; anything else that reads the spans gets SpanRecords
    made once, equal to those the reader made (a span's text is its record's text at
    its offsets: the reader's checks refused any other)."""

    __slots__ = ("ids", "starts", "ends", "labels", "values", "notes", "_text", "_made")

    def __init__(self, ids: tuple[str, ...], starts: tuple[int, ...], ends: tuple[int, ...],
                 labels: tuple[str, ...], values: tuple[str | None, ...], notes: tuple[str | None, ...],
                 text: str) -> None:
        self.ids, self.starts, self.ends, self.labels, self.values, self.notes = ids, starts, ends, labels, values, notes
        self._text = text
        self._made: tuple[SpanRecord, ...] | None = None

    @property
    def spans(self) -> tuple[SpanRecord, ...]:
        if self._made is None:
            text = self._text
            self._made = tuple([plain_span(i, a, b, lab, text[a:b], v, n) for i, a, b, lab, v, n in
                                zip(self.ids, self.starts, self.ends, self.labels, self.values, self.notes,
                                    strict=True)])
        return self._made

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[SpanRecord]:
        return iter(self.spans)

    @overload
    def __getitem__(self, i: int) -> SpanRecord: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[SpanRecord, ...]: ...

    def __getitem__(self, i: int | slice) -> SpanRecord | tuple[SpanRecord, ...]:
        return self.spans[i]

    def __eq__(self, other: object) -> bool:  # as the tuple of its spans (a record's equality, layer checks)
        if isinstance(other, SpanColumns):
            other = other.spans
        return self.spans == other

    def __hash__(self) -> int:  # a frozen record hashes its fields
        return hash(self.spans)

    def __repr__(self) -> str:
        return repr(self.spans)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as the plain tuple it stands for
        return (tuple, (self.spans,))


@dataclass(frozen=True)
class ArgumentRecord:
    role: str
    span: str  # a span id of the same record
    attributes: Attributes = ()


@dataclass(frozen=True)
class EventRecord:
    id: str
    type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    arguments: tuple[ArgumentRecord, ...] = ()
    attributes: Attributes = ()


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    start: int
    end: int
    text: str
    arguments: tuple[ArgumentRecord, ...] = ()
    attributes: Attributes = ()


@dataclass(frozen=True)
class RelationRecord:
    id: str
    type: str
    from_span: str  # span ids of the same record ("from" and "to" in gold JSONL)
    to_span: str


@dataclass(frozen=True)
class EntityRecord:
    """A cluster some spans of the record belong to; the same id in another record of the
    same annotator is the same cluster (coreference across a translation group)."""

    id: str
    kb: str | None = None  # a Wikidata QID


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
    relations: tuple[RelationRecord, ...] = ()
    entities: tuple[EntityRecord, ...] = ()
    attributes: Attributes = ()  # document labels of this layer

    @cached_property  # an import asks for it several times (checks, duplicates, twins)
    def digest(self) -> bytes:
        """The SHA-256 of the text, 32 bytes: what the import's maps keep of each document
        (less than half the size of the hex string, one object shared by the maps)."""
        return text_digest(self.text)

    @cached_property
    def checksum(self) -> str:
        return self.digest.hex()

    @cached_property
    def nfc_digest(self) -> bytes | None:
        """The digest of the text's NFC form when the text is not in NFC (the import's
        check for NFC and NFD copies of one text); None when it is."""
        return nfc_digest(self.text)

    @cached_property
    def folded(self) -> tuple[bytes, bytes]:
        """The title and the text as the search index holds them (core.fold), in UTF-8: an
        import's reading process computes them, and the writer binds the bytes as they
        came (no decoding them out of the hand-over, no encoding them again to bind)."""
        from annotator.core.fold import fold  # here: the commands that write no index need not compile its patterns

        return fold(self.title or "").encode(), fold(self.text).encode()

    @property
    def has_layer(self) -> bool:
        return bool(self.spans or self.events or self.claims or self.alignments or self.links
                    or self.relations or self.attributes or self.status != "todo")


def plain_record(id: str, lang: str, text: str, title: str | None, source: str | None,
                 spans: tuple[SpanRecord, ...], group: str | None, annotator: str | None,
                 status: str) -> DocumentRecord:
    """DocumentRecord(id, lang, text, title, source, spans, group=..., annotator=...,
    status=...), equal in every way, made as plain_span makes a span (the other fields
    keep their defaults, held on the class): an export makes one per document and layer."""
    rec: DocumentRecord = _new(DocumentRecord)
    d = rec.__dict__
    d["id"], d["lang"], d["text"], d["title"], d["source"] = id, lang, text, title, source
    d["spans"], d["group"], d["annotator"], d["status"] = spans, group, annotator, status
    return rec


# What issue 14 adds to a layer, in words, for the formats that have no place for it.
DEPTH_WORDS = {"relations": "relation(s) between spans", "attributes": "attribute value(s)",
               "fragments": "discontinuous span(s) (written with their outer bounds)",
               "entities": "entity cluster membership(s) of spans"}


def depth_counts(rec: DocumentRecord) -> dict[str, int]:
    """How many of each kind of DEPTH_WORDS the record holds."""
    attrs = len(rec.attributes) + sum(len(s.attributes) for s in rec.spans)
    frames: list[EventRecord | ClaimRecord] = [*rec.events, *rec.claims]
    attrs += sum(len(f.attributes) + sum(len(a.attributes) for a in f.arguments) for f in frames)
    return {"relations": len(rec.relations), "attributes": attrs,
            "fragments": sum(1 for s in rec.spans if s.fragments),
            "entities": sum(1 for s in rec.spans if s.entity is not None)}


def text_digest(text: str) -> bytes:
    import hashlib  # here: loading OpenSSL is a tenth of an export's start-up, which digests nothing

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def nfc_digest(text: str) -> bytes | None:
    """Digest of the NFC form of a text that is not in NFC; None for one that is."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return None
    return text_digest(unicodedata.normalize("NFC", text))


def checksum(text: str) -> str:
    """The hex form of text_digest: the documents table's `checksum`."""
    return text_digest(text).hex()


def layer_signature(rec: DocumentRecord) -> tuple[object, ...]:
    """What a layer says, independent of the ids the store may have given its spans, events
    and claims: two records with the same signature are the same annotation of the text."""
    where = {s.id: (s.start, s.end, s.label) for s in rec.spans}

    def args(arguments: tuple[ArgumentRecord, ...]) -> tuple[object, ...]:
        return tuple((a.role, where.get(a.span, ()), _attrs(a.attributes)) for a in arguments)

    kb = {e.id: e.kb or "" for e in rec.entities}
    return (
        rec.status,
        tuple(sorted((s.start, s.end, s.label, s.value or "", s.note or "", s.fragments, _attrs(s.attributes),
                      s.entity is not None, kb.get(s.entity or "", "")) for s in rec.spans)),
        tuple(sorted((e.type, e.trigger_start, e.trigger_end, args(e.arguments), _attrs(e.attributes))
                     for e in rec.events)),
        tuple(sorted((c.start, c.end, args(c.arguments), _attrs(c.attributes)) for c in rec.claims)),
        tuple(sorted((r.type, where.get(r.from_span, ()), where.get(r.to_span, ())) for r in rec.relations)),
        _attrs(rec.attributes),
        # Which spans share a cluster, whatever the clusters' ids.
        tuple(sorted(tuple(sorted(where.get(s.id, ()) for s in rec.spans if s.entity == e.id))
                     for e in rec.entities)),
        tuple(sorted((al.target, tuple((b.a_start, b.a_end, b.b_start, b.b_end) for b in al.blocks))
                     for al in rec.alignments)),
        tuple(sorted((where.get(lk.span, ()), lk.target_doc, lk.target_span) for lk in rec.links)),
    )


def _attrs(attributes: Attributes) -> tuple[tuple[str, str], ...]:
    """Attributes comparable whatever their order and type (True and 1 differ)."""
    return tuple(sorted((k, f"{type(v).__name__}:{v!r}") for k, v in attributes))
