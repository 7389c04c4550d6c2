"""The texts of the few documents a session works on, and document lengths, read once.

A description quotes its span («Geoană»); cutting those few characters out of a 1 MB
text in SQL (substr) reads and decodes the whole text on every edit, and even reading
the stored length walks past the text. A document's text never changes once imported
and the store never deletes a document, so what was read once stays true and can be
kept: the last few texts read (the document on screen, the one beside it) and every
length read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, bindparam, select

from annotator.store.models import Document

QUOTE_LIMIT = 40  # characters of a span quoted in a description
_TEXT = select(Document.text).where(Document.id == bindparam("doc"))
_LENGTHS = select(Document.id, Document.length).where(Document.id.in_(bindparam("docs", expanding=True)))


class DocumentTexts:
    def __init__(self, keep: int = 4) -> None:
        self.keep = keep
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._lengths: dict[int, int] = {}  # code points
        self._lock = threading.Lock()  # the dashboard reads in worker threads

    def get(self, conn: Connection, doc_id: int) -> str | None:
        """The text of `doc_id` (None if there is no such document)."""
        with self._lock:
            text = self._texts.get(doc_id)
            if text is not None:
                self._texts.move_to_end(doc_id)
                return text
        text = conn.scalar(_TEXT, {"doc": doc_id})
        if text is not None:
            with self._lock:
                self._texts[doc_id] = text
                self._lengths[doc_id] = len(text)
                while len(self._texts) > self.keep:
                    self._texts.popitem(last=False)
        return text

    def lengths(self, conn: Connection, doc_ids: Iterable[int]) -> dict[int, int]:
        """The length (code points) of each of `doc_ids` that exists."""
        doc_ids = list(doc_ids)
        with self._lock:
            known = {d: self._lengths[d] for d in doc_ids if d in self._lengths}
        missing = [d for d in doc_ids if d not in known]
        if missing:
            read = dict(conn.execute(_LENGTHS, {"docs": missing}).all())
            with self._lock:
                self._lengths.update(read)
            known |= read
        return known

    def note_lengths(self, texts: Mapping[int, str]) -> None:
        """Remember the lengths of texts just read (by id), as `get` does: a corpus-wide
        label reads tens of thousands of texts, and then checks its spans against them."""
        with self._lock:
            self._lengths.update((d, len(t)) for d, t in texts.items())

    def quote(self, conn: Connection, doc_id: int, start: int, end: int) -> str:
        """“«Geoană»”: [start, end) of the document (code points), shortened."""
        piece = (self.get(conn, doc_id) or "")[start:min(end, start + QUOTE_LIMIT)]
        return f"«{piece}{'…' if end - start > QUOTE_LIMIT else ''}»"
