"""The year a document's undated DATE mentions belong to, worked out ahead of the first
DATE labelled in it.

`document_year` reads every year mention of the text: 0.18 s of CPU in the 1 MB benchmark
document (7,800 years), which the first DATE labelled there paid inside its edit, on the
GUI thread (an edit's budget is 8 ms). For a long text the year is computed on a worker
thread a moment after the document opens (not at once: the first paint comes first); a
DATE labelled before it is ready waits for it, which is never longer than computing it
then. A short text's year costs less than a frame and is computed when first needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from annotator.core.normalise import document_year
from annotator.ui.widgets.worker_threads import quick_lock_handoff

# Texts longer than this get their year ahead: document_year reads about 5 characters a
# microsecond here (1 MB in 0.18 s), so this many cost about 8 ms, one edit's budget.
LONG_TEXT = 40_000
# How long after opening the worker starts: the open's first paint (80 ms in the 1 MB
# document) is done by then, so the two do not share Python's lock.
START_AFTER_MS = 250



class _Worker(threading.Thread):
    # A daemon: a year half worked out when the app quits is nothing to keep.
    def __init__(self, text: str, lang: str) -> None:
        super().__init__(name="document-year", daemon=True)
        self.text, self.lang = text, lang
        self.result: int | None = None
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with quick_lock_handoff():  # the window takes Python's lock back at once (worker_threads.py)
                self.result = document_year(self.text, self.lang)
        except BaseException as exc:  # handed to the GUI thread, which raises it where the value is made
            self.failure = exc

    def outcome(self) -> int | None:
        self.join()
        if self.failure is not None:
            raise self.failure
        return self.result


class YearAhead(QObject):
    """One document's year at a time: open() for each document shown, year() when a DATE
    needs it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key: tuple[int, int] | None = None  # (document id, id of its text)
        self._worker: _Worker | None = None
        self._known: tuple[int | None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)
        self._pending: tuple[str, Callable[[], str]] | None = None

    def open(self, doc_id: int | None, text: str, lang_of: Callable[[], str]) -> None:
        """A new document is shown; `lang_of` reads its language (only when needed)."""
        self._timer.stop()
        self._key = None if doc_id is None else (doc_id, id(text))
        self._worker, self._known, self._pending = None, None, None
        if doc_id is not None and len(text) > LONG_TEXT:
            self._pending = (text, lang_of)
            self._timer.start(START_AFTER_MS)

    def _start(self) -> None:
        if self._pending is not None:
            text, lang_of = self._pending
            self._pending = None
            self._worker = _Worker(text, lang_of())
            self._worker.start()

    def ready(self) -> bool:
        """True once the year is known without computing anything more."""
        return self._known is not None or (self._worker is not None and not self._worker.is_alive())

    def year(self, doc_id: int, text: str, lang: str) -> int | None:
        """The year of `doc_id`'s undated dates: from the worker when it ran (waiting for it
        if it is running), else computed now."""
        if self._key != (doc_id, id(text)):
            return document_year(text, lang)
        if self._known is None:
            if self._worker is None:  # labelled before the worker started: no reason to wait
                self._timer.stop()
                self._pending = None
                self._known = (document_year(text, lang),)
            else:
                self._known = (self._worker.outcome(),)
        return self._known[0]
