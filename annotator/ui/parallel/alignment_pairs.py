"""The sentence alignments between the documents on screen, and their edits.

A pair shows the stored alignment if the annotator has one, else the aligner's
suggestion, computed once per pair and kept. Aligning a long pair takes seconds, so the
suggestion is computed by an AlignJob (ui.parallel.align_worker) off the GUI thread: while
it runs the pair has no blocks (no bands), the status bar says how far it got, and when
it is done the pair's bands are refreshed. The job learns the language pair's length
model from the alignments stored for it (store.parallel.confirmed_alignments) before
aligning. Jobs of pairs no longer on screen, and all jobs when the window closes, are
cancelled. Esc stops the jobs running (the user does not want to wait): their pairs stay
without a suggestion until the user asks again (F5) or reopens the window.

An edit is computed by core.alignment_edit on what is shown, saved as the whole new
alignment in one committed transaction through the edit runner (ui.edits), whose undo
puts the previous one back; so the first edit of a suggestion stores it, edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QStatusBar

from annotator.core.alignment import align_sentences, learned_length_model
from annotator.core.alignment_edit import swapped
from annotator.core.records import Block
from annotator.store.parallel import confirmed_alignments, save_alignment, stored_alignment, stored_crossings
from annotator.store.project import Project
from annotator.ui.edits import Edits
from annotator.ui.parallel.align_worker import AlignJob
from annotator.ui.parallel.bands import AlignmentBands
from annotator.ui.parallel.panes import ParallelPane

Pair = tuple[int, int]


class PairsWindow(Protocol):
    """What of the side-by-side window this needs (typed here so as not to import it)."""

    open_panes: list[ParallelPane]
    bands: list[AlignmentBands]

    def statusBar(self) -> QStatusBar: ...
    def failed(self, message: object) -> None: ...
    def info(self, text: str) -> None: ...
    def update_current(self) -> None: ...
    def installEventFilter(self, watcher: QObject) -> None: ...


def suggest(project: Project, text_a: str, lang_a: str, text_b: str, lang_b: str,
            sents_a: list[tuple[int, int]], sents_b: list[tuple[int, int]], *,
            cancelled: Callable[[], bool], progress: Callable[[int, int], None]) -> list[Block]:
    """The suggested alignment, with the length model learned from the language pair's
    stored alignments. Runs on a worker thread: it reads the store on its own connection."""
    with project.read() as conn:
        model = learned_length_model(confirmed_alignments(conn, lang_a, lang_b))
    return align_sentences(text_a, lang_a, text_b, lang_b, sents_a, sents_b, model=model,
                           cancelled=cancelled, progress=progress)


class AlignmentPairs(QObject):
    busy = Signal(bool)  # whether a suggestion is being computed (Esc can stop it)

    def __init__(self, project: Project, annotator: str, edits: Edits, window: PairsWindow) -> None:
        super().__init__()
        self.project, self.annotator, self.edits, self.window = project, annotator, edits, window
        self._suggested: dict[Pair, list[Block]] = {}
        self.jobs: dict[Pair, AlignJob] = {}  # suggestions being computed
        self.stopped: set[frozenset[int]] = set()  # pairs whose job the user stopped: not started again unasked
        window.installEventFilter(self)

    def blocks(self, a: ParallelPane, b: ParallelPane) -> tuple[list[Block], bool]:
        """The alignment of a's document (side a) with b's (side b), and whether it is
        stored; no blocks while its suggestion is being computed."""
        with self.project.read() as conn:  # read either way round, oriented (a, b)
            stored = stored_alignment(conn, a.doc_id, b.doc_id, self.annotator)
        if stored is not None:
            return stored, True
        key = (a.doc_id, b.doc_id)
        if key not in self._suggested and (b.doc_id, a.doc_id) in self._suggested:
            self._suggested[key] = swapped(self._suggested[(b.doc_id, a.doc_id)])
        if key in self._suggested:
            return list(self._suggested[key]), False
        self._cancel_off_screen()
        if key not in self.jobs and (b.doc_id, a.doc_id) not in self.jobs and frozenset(key) not in self.stopped:
            self._start(a, b)
        return [], False

    def crossings(self, a: ParallelPane, b: ParallelPane) -> list[Block]:
        """The stored crossing links of a with b, oriented (a, b) (a suggestion has none)."""
        with self.project.read() as conn:
            return stored_crossings(conn, a.doc_id, b.doc_id, self.annotator)

    def pending(self, a: ParallelPane, b: ParallelPane) -> bool:
        """The pair's suggestion is being computed."""
        return (a.doc_id, b.doc_id) in self.jobs or (b.doc_id, a.doc_id) in self.jobs

    def is_stopped(self, a: ParallelPane, b: ParallelPane) -> bool:
        return frozenset((a.doc_id, b.doc_id)) in self.stopped

    def cancel_all(self) -> None:
        for job in list(self.jobs.values()):
            job.cancel()
        self._set_jobs_cleared()
        self.window.statusBar().clearMessage()

    def stop(self) -> list[str]:
        """Stop every job running now (Esc); their pairs keep no suggestion until asked
        again. The language pairs stopped, for the message."""
        langs = {p.doc_id: p.row.lang for p in self.window.open_panes}
        stopped = [f"{langs.get(a, '?')} ↔ {langs.get(b, '?')}" for a, b in self.jobs]
        self.stopped |= {frozenset(key) for key in self.jobs}
        self.cancel_all()
        return stopped

    def align_again(self) -> int:
        """Compute the suggestion again for every pair on screen that has no stored
        alignment (F5): after a stop, or to use alignments confirmed since. How many."""
        w = self.window
        started = 0
        for band in w.bands[:max(0, len(w.open_panes) - 1)]:
            a, b = band.left, band.right
            if band.stored or self.pending(a, b):
                continue
            self.stopped.discard(frozenset((a.doc_id, b.doc_id)))
            self._suggested.pop((a.doc_id, b.doc_id), None)
            self._suggested.pop((b.doc_id, a.doc_id), None)
            band.set_alignment(*self.blocks(a, b))
            started += 1
        w.update_current()
        return started

    def _set_jobs_cleared(self) -> None:
        was_busy = bool(self.jobs)
        self.jobs.clear()
        if was_busy:
            self.busy.emit(False)

    def _start(self, a: ParallelPane, b: ParallelPane) -> None:
        key = (a.doc_id, b.doc_id)
        job = AlignJob(suggest, self.project, a.text, a.row.lang, b.text, b.row.lang, list(a.sentences),
                       list(b.sentences), parent=self)
        langs = f"{a.row.lang} ↔ {b.row.lang}"
        job.progress.connect(lambda done, total: self._progress(job, langs, done, total))
        job.finished.connect(lambda blocks: self._finished(job, key, blocks))
        job.failed.connect(lambda message: self._failed(job, key, langs, message))
        job.cancelled.connect(job.deleteLater)
        was_idle = not self.jobs
        self.jobs[key] = job
        if was_idle:
            self.busy.emit(True)
        self._progress(job, langs, 0, 1)
        job.start()

    def _current(self, job: AlignJob, key: Pair) -> bool:
        """Whether `job` is still the one computing `key` (not cancelled meanwhile)."""
        return self.jobs.get(key) is job

    def _progress(self, job: AlignJob, langs: str, done: int, total: int) -> None:
        if job in self.jobs.values():
            self.window.statusBar().showMessage(f"Aligning… {100 * done // max(1, total)} % ({langs})")

    def _finished(self, job: AlignJob, key: Pair, blocks: list[Block]) -> None:
        job.deleteLater()
        if not self._current(job, key):
            return
        self._forget(key)
        self._suggested[key] = list(blocks)
        if not self.jobs:
            self.window.statusBar().clearMessage()
        self._refresh(key)

    def _failed(self, job: AlignJob, key: Pair, langs: str, message: str) -> None:
        job.deleteLater()
        if not self._current(job, key):
            return
        self._forget(key)
        self.window.failed(f"Could not align {langs}: {message}")

    def _forget(self, key: Pair) -> None:
        del self.jobs[key]
        if not self.jobs:
            self.busy.emit(False)

    def _refresh(self, key: Pair) -> None:
        """The bands of the pair `key` show its alignment now."""
        w = self.window
        for band in w.bands[:max(0, len(w.open_panes) - 1)]:
            if {band.left.doc_id, band.right.doc_id} == set(key):
                band.set_alignment(*self.blocks(band.left, band.right))
        w.update_current()

    def _cancel_off_screen(self) -> None:
        """Cancel the jobs of pairs that are no longer both on screen (another group opened)."""
        shown = {p.doc_id for p in self.window.open_panes}
        for key in [k for k in self.jobs if not set(k) <= shown]:
            self.jobs[key].cancel()
            self._forget(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.cancel_all()  # computing for nobody; reopening the window asks again
            self.stopped.clear()
        elif event.type() == QEvent.Type.Show:
            w = self.window
            for band in w.bands[:max(0, len(w.open_panes) - 1)]:
                if not band.stored and not band.blocks:  # cancelled when the window was closed
                    band.set_alignment(*self.blocks(band.left, band.right))
        return False

    def save(self, a: ParallelPane, b: ParallelPane, blocks: list[Block], what: str,
             crossings: list[Block] | None = None) -> bool:
        """Store `blocks` as the alignment of a with b (with `crossings`, oriented (a, b);
        None: the stored ones the new blocks keep), as one undo step. False (reported) if
        nothing was saved."""
        if self.pending(a, b):
            self.window.info(f"Alignment not changed: the {a.row.lang} ↔ {b.row.lang} alignment is still being "
                             "computed")
            return False
        ids = (a.doc_id, b.doc_id)  # replaces the pair's alignment whichever way it was stored
        return self.edits.run(lambda: save_alignment(self.project, *ids, self.annotator, blocks, what.lower(),
                                                            crossings),
                              self.window) is not None
