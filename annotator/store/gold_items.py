"""What an adjudication step changes in the gold layer: the items it adds and removes
(spans, events, claims of one document, and the curator's decisions on places)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.records import ClaimRecord, EventRecord
from annotator.store.spans import SpanData

REJECTED = "none"  # the decision "none of the versions"


@dataclass(frozen=True)
class Decision:
    """The curator's decision on the place [start, end) of a document, in code points."""

    start: int
    end: int
    decision: str = REJECTED


@dataclass(frozen=True)
class GoldItems:
    """Spans, events and claims of one document's gold layer (arguments name span ids),
    and decisions on places of that document."""

    doc_id: int
    spans: tuple[SpanData, ...] = ()
    events: tuple[EventRecord, ...] = ()
    claims: tuple[ClaimRecord, ...] = ()
    decisions: tuple[Decision, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spans or self.events or self.claims or self.decisions)


@dataclass(frozen=True)
class GoldChange:
    added: GoldItems
    removed: GoldItems

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class GoldStatus:
    status: str  # todo, in_progress or done
    spans: int
    events: int
    claims: int
