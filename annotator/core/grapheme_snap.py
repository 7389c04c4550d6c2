"""Widening a record's ranges (spans, event triggers, claims) that split a grapheme
cluster to the cluster edges, for predictions scored by `annotator eval`.

Another tool's output may cut a Bengali conjunct or an emoji ZWJ sequence in the middle;
import refuses such an offset, but a score can still be given once the range covers whole
clusters. Each change is returned, so the caller says which ranges moved and where to.
A range outside the text or whose quoted text does not match is left as it is: that is a
different fault (offsets in other units), for the checks to report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.core import graphemes
from annotator.core.records import DocumentRecord


@dataclass(frozen=True)
class Snapped:
    document: str
    what: str  # "span 's1'", "event 'e1' trigger", "claim 'c1'"
    old: tuple[int, int]
    new: tuple[int, int]
    old_text: str
    new_text: str

    def describe(self, widened: bool) -> str:
        """What splits a cluster, and what it was (or would be) widened to."""
        (s, e), (ns, ne) = self.old, self.new
        to = f"[{ns}, {ne}) {self.new_text!r}"
        return (f"document {self.document!r}: {self.what} [{s}, {e}) {self.old_text!r} splits a grapheme cluster"
                + (f"; widened to {to}" if widened else f" (whole clusters: {to})"))


def _widened(text: str, start: int, end: int, quoted: str) -> tuple[int, int] | None:
    """The range widened to cluster edges, or None if it needs no change (or is not
    a range of the text that `quoted` matches)."""
    if not 0 <= start < end <= len(text) or text[start:end] != quoted:
        return None
    if graphemes.is_boundary(text, start) and graphemes.is_boundary(text, end):
        return None
    return graphemes.snap(text, start, end)


def snap_record(rec: DocumentRecord) -> tuple[DocumentRecord, list[Snapped]]:
    """`rec` with every range that splits a grapheme cluster widened to whole clusters,
    and the list of what moved (empty: `rec` itself is returned)."""
    text = rec.text
    moved: list[Snapped] = []

    def note(what: str, start: int, end: int, new: tuple[int, int]) -> str:
        moved.append(Snapped(rec.id, what, (start, end), new, text[start:end], text[new[0]:new[1]]))
        return text[new[0]:new[1]]

    spans = list(rec.spans)
    for i, s in enumerate(spans):
        new = _widened(text, s.start, s.end, s.text)
        if new is not None:
            spans[i] = replace(s, start=new[0], end=new[1], text=note(f"span {s.id!r}", s.start, s.end, new))
    events = list(rec.events)
    for i, e in enumerate(events):
        new = _widened(text, e.trigger_start, e.trigger_end, e.trigger_text)
        if new is not None:
            events[i] = replace(e, trigger_start=new[0], trigger_end=new[1],
                                trigger_text=note(f"event {e.id!r} trigger", e.trigger_start, e.trigger_end, new))
    claims = list(rec.claims)
    for i, c in enumerate(claims):
        new = _widened(text, c.start, c.end, c.text)
        if new is not None:
            claims[i] = replace(c, start=new[0], end=new[1], text=note(f"claim {c.id!r}", c.start, c.end, new))
    if not moved:
        return rec, moved
    return replace(rec, spans=tuple(spans), events=tuple(events), claims=tuple(claims)), moved
