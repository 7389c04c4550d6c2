"""The annotation workspace: one document, one annotator's layer, and every edit of it.

Widget positions stop here: selections are converted to code points (core.offsets),
trimmed of edge space and punctuation, and snapped to grapheme clusters before anything
reaches the store. Every edit is a store operation run by the project's edit runner
(ui.edits); what any window commits, undoes or redoes comes back as a Change, and only
the spans it touched in this document and layer are repainted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from annotator.core import graphemes, values
from annotator.core.errors import Cancelled
from annotator.core.normalise import document_year, normalised_value
from annotator.core.occurrences import find_occurrences
from annotator.core.offsets import OffsetMap
from annotator.store import fragments as fragment_ops
from annotator.store import spans as ops
from annotator.store.changes import Change
from annotator.store.events import ArgumentUse, delete_spans_and_uses, span_uses
from annotator.store.project import Project
from annotator.store.queries import (
    annotator_key,
    document_heads,
    documents_holding,
    label_extents,
    layer_columns,
)
from annotator.store.search import candidate_documents
from annotator.store.spans import SpanData
from annotator.ui.annotate.occurrences_preview import Occurrence, OccurrencesPreview, context_of
from annotator.ui.annotate.year_ahead import YearAhead
from annotator.ui.document.highlighter import Mark, SpanHighlighter, marks_of
from annotator.ui.document.long_paragraphs import LONGEST_WHOLE
from annotator.ui.document.view import DocumentView
from annotator.ui.edits import Edits
from annotator.ui.widgets.plain import ask
from annotator.ui.widgets.worker_threads import cyclic_gc_paused

# Documents read at once when labelling every occurrence across the corpus, and how long
# finding them may take before a progress dialog shows.
OCCURRENCE_BATCH = 500
_SPAN_FIELDS = ("start", "end", "label", "value", "note")  # a span's columns an update may set
PROGRESS_AFTER_MS = 300


class Workspace(QObject):
    selectionChanged = Signal(object, str)  # SpanData | None, its text
    layerChanged = Signal(object)  # set of document ids whose spans changed
    saved = Signal(str)  # what was committed
    failed = Signal(str)  # why an edit was not made
    info = Signal(str)  # a hint for the status bar
    opened = Signal(object)  # the document id now shown (None: none), its text and spans in place

    def __init__(self, project: Project, annotator: str, view: DocumentView, edits: Edits,
                 initiator: object = None) -> None:
        super().__init__(view)
        self.project, self.annotator, self.view, self.edits = project, annotator, view, edits
        self.initiator = initiator  # the window that edits through this workspace
        self._ann_key: int | None = None
        self.doc_id: int | None = None
        self.text = ""
        self.omap = OffsetMap.for_text("")
        self.selected: str | None = None
        self._selected_data: SpanData | None = None  # the selected span as last read or written
        self._lang: str | None = None
        self.year_ahead = YearAhead(self)  # the year a DATE's value needs, off the GUI thread
        self.preview: OccurrencesPreview | None = None  # the open preview of a bulk label
        # A label key with no selection and no selected span: the suggestions take it if one
        # is at the caret (accepted as that label); returns whether it did.
        self.caret_label: Callable[[str], bool] | None = None
        self.progress: QProgressDialog | None = None  # finding occurrences across the corpus
        self.progress_seen: list[tuple[int, int]] = []  # (documents read, to read) of the last search
        self.write_progress_seen: list[tuple[int, int]] = []  # (spans written, to write) of the last bulk label
        self.highlighter = SpanHighlighter(view, {lab.name: lab.colour for lab in project.schema.labels})
        view.labelKey.connect(self.label)
        view.deleteKey.connect(self.delete_selected)
        view.cycleKey.connect(self.cycle)
        view.clicked.connect(self.click)
        view.wordRequested.connect(self.select_word)
        view.dragSelected.connect(self._snap_drag)
        view.edges_draggable = True  # the selected span's edges move with the mouse too
        view.edgeDragged.connect(self.drag_edge)
        # Snapping (View menu, on by default): a drag's selection is widened to whole words
        # when the mouse is released, so the extent a label key will take is on screen first.
        self.snap_words = True
        edits.changed.connect(self._on_change)

    # -- loading -------------------------------------------------------------------
    def open_document(self, doc_id: int | None) -> None:
        self.doc_id = doc_id
        # The layer's marks are 50,000 new tuples in a 1 MB document, none in a
        # cycle: the cyclic collections their making started took 100 ms of CPU of its open.
        with cyclic_gc_paused():
            with self.project.read() as conn:
                self.text = self.project.texts.get(conn, doc_id) if doc_id is not None else ""
                layer = layer_columns(conn, doc_id, self.annotator) if doc_id is not None else None
                parts = fragment_ops.layer_fragments(conn, doc_id, self.annotator) if doc_id is not None else {}
            self.omap = OffsetMap.for_text(self.text)
            # Nothing is highlighted ahead: the view paints the marks of the lines it shows.
            self.highlighter.set_fragments(parts, repaint=False)
            marks = marks_of(layer.starts, layer.ends, layer.labels, layer.uids) if layer is not None else []
            self.highlighter.set_marks(marks, self.omap, repaint=False)
        self.selected = None
        self._lang: str | None = None  # the document's language, read when a value is first made
        self.year_ahead.open(doc_id, self.text, self._document_lang)
        # The name is needed only for a note on a text too long to show as it is.
        note = self.view.show_text(self.text, self._name(doc_id) if len(self.text) > LONGEST_WHOLE else "")
        self.selectionChanged.emit(None, "")
        self.opened.emit(doc_id)
        if note:
            self.info.emit(note)

    def _name(self, doc_id: int | None) -> str:
        if doc_id is None:
            return ""
        with self.project.read() as conn:
            heads = document_heads(conn, [doc_id])  # not list_documents: it counts 50,000 spans
        return heads[0][1] if heads else f"document {doc_id}"

    def suggested_value(self, label: str, start: int, end: int) -> str | None:
        """The normalised value of a DATE or FIGURE (ISO date, number) as core reads it;
        None when there is none, or when it would not pass the value check (a date whose
        year nothing in the document tells)."""
        if label not in ("DATE", "FIGURE") or self.doc_id is None:
            return None
        lang = self._document_lang()
        # Only a date needs the document's year, which reads every year mention of the text
        # (0.37 s of CPU in a 1 MB document: the first FIGURE there paid it for nothing);
        # a long text's is worked out ahead, off the GUI thread (year_ahead.py).
        year = self.year_ahead.year(self.doc_id, self.text, lang) if label == "DATE" else None
        return checked_value(label, self.text[start:end], lang, year)

    def _document_lang(self) -> str:
        if self._lang is None:
            heads = []
            if self.doc_id is not None:
                with self.project.read() as conn:
                    heads = document_heads(conn, [self.doc_id])  # not list_documents: it counts the spans
            self._lang = heads[0][3] if heads else ""
        return self._lang

    def set_annotator(self, name: str) -> None:
        self.annotator, self._ann_key = name, None
        self.open_document(self.doc_id)

    def sync_from_store(self) -> bool:
        """Show what the store holds now (another window or its undo may have changed the
        layer); True if anything changed. One indexed read of the layer."""
        if self.doc_id is None:
            return False
        with cyclic_gc_paused():  # 50,000 marks in the 1 MB document (see open_document)
            with self.project.read() as conn:
                layer = layer_columns(conn, self.doc_id, self.annotator)
                parts = fragment_ops.layer_fragments(conn, self.doc_id, self.annotator)
            refragmented = self.highlighter.set_fragments(parts)
            if self.highlighter.holds(layer.starts, layer.ends, layer.labels, layer.uids):
                if refragmented:
                    self.select_span(self.selected)
                return bool(refragmented)
            self.highlighter.set_marks(marks_of(layer.starts, layer.ends, layer.labels, layer.uids), self.omap)
        self.select_span(self.selected)  # unselected if it is gone
        return True

    def spans(self) -> list[Mark]:
        """The layer's spans, in code points, sorted."""
        return self.highlighter.marks()

    def to_code_points(self, start: int, end: int) -> tuple[int, int]:
        return self.omap.from_display(start), self.omap.from_display(end)

    # -- selecting spans -----------------------------------------------------------
    def select_span(self, uid: str | None, data: SpanData | None = None) -> None:
        """Select span `uid` (or none); `data` saves a read when the caller has it."""
        self.selected = uid
        mark = self.highlighter.mark(uid)
        if mark is None:
            self.selected = None
            self.view.set_outline(None)
            self.selectionChanged.emit(None, "")
            return
        d = self.omap.to_display
        self.view.set_outline(self.highlighter.display_range(mark),
                              [(d(s), d(e)) for s, e in self.highlighter.fragments(uid)])
        if data is None:
            with self.project.read() as conn:
                data = ops.get_span(conn, uid)
        self._selected_data = data
        # A discontinuous span's text is its fragments' (“EU … Representative”), not the gap's.
        parts = self.highlighter.fragments(uid)
        shown = " … ".join(self.text[s:e] for s, e in parts) if parts else self.text[data.start:data.end] if data else ""
        self.selectionChanged.emit(data, shown if data else "")

    def click(self, pos: int) -> None:
        under = self.highlighter.marks_at(self.omap.from_display(pos))
        uids = [m.uid for m in under]
        if not uids:
            self.select_span(None)
        elif self.selected in uids:  # clicking again walks down through nested spans
            self.select_span(uids[(uids.index(self.selected) + 1) % len(uids)])
        else:
            self.select_span(uids[0])

    def cycle(self, forward: bool = True) -> None:
        """Tab: the next span under the caret; with none there, the next span in the text."""
        pos = self.omap.from_display(self.view.textCursor().position())
        under = [m.uid for m in self.highlighter.marks_at(pos)]
        if not under and pos > 0:  # the caret right after a span counts as on it
            under = [m.uid for m in self.highlighter.marks_at(pos - 1)]
        if under:
            i = under.index(self.selected) if self.selected in under else -1
            self.select_span(under[(i + (1 if forward else -1)) % len(under)] if i >= 0 or forward else under[-1])
            return
        marks = self.spans()
        if not marks:
            return
        after = [m for m in marks if m.start > pos] if forward else [m for m in marks if m.start < pos]
        target = (after[0] if forward else after[-1]) if after else (marks[0] if forward else marks[-1])
        caret = self.omap.to_display(target.start)
        self.view.select(caret, caret)
        self.select_span(target.uid)

    def select_word(self, pos: int) -> None:
        cp = self.omap.from_display(pos)
        start, end = graphemes.word_at(self.text, cp)
        if start == end:
            return
        self.view.select(self.omap.to_display(start), self.omap.to_display(end))

    def _snap_drag(self) -> None:
        if not self.snap_words:
            return
        start, end = self.view.selection()
        cp_start, cp_end = self.to_code_points(start, end)
        snapped = graphemes.snap_to_words(self.text, cp_start, cp_end)
        if snapped[0] < snapped[1] and snapped != (cp_start, cp_end):
            self.view.select(self.omap.to_display(snapped[0]), self.omap.to_display(snapped[1]))

    # -- editing ---------------------------------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as a code-point range, trimmed and on grapheme boundaries."""
        start, end = self.view.selection()
        if start == end:
            return None
        start, end = self.to_code_points(start, end)
        start, end = graphemes.trim(self.text, start, end)
        if start >= end:
            return None
        return graphemes.snap(self.text, start, end)

    def label(self, label: str) -> None:
        if self.doc_id is None:
            return
        rng = self.selection_range()
        if rng is None:
            if self.selected:
                self.relabel(self.selected, label)
            elif self.view.textCursor().hasSelection():
                self.info.emit("Only spaces or punctuation selected: nothing to label")
            elif self.caret_label is not None and self.caret_label(label):
                pass  # a suggestion at the caret, accepted as this label
            else:
                self.info.emit("Select some text, or a span, then press a label key")
            return
        existing = next((m for m in self.highlighter.marks_in(*rng) if (m.start, m.end, m.label) == (*rng, label)),
                        None)
        if existing is not None:
            self.select_span(existing.uid)
            self.info.emit(f"Already a {label} span")
            return
        span = SpanData("", self.doc_id, self.annotator, rng[0], rng[1], label,
                        value=self.suggested_value(label, *rng))
        change = self.edits.run(lambda: ops.add_spans(self.project, [span]), self.initiator)
        if not change:
            return
        added = change.result
        cursor = self.view.textCursor()
        cursor.clearSelection()
        self.view.setTextCursor(cursor)
        self.select_span(added[0].uid, added[0])

    def relabel(self, uid: str, label: str) -> None:
        mark = self.highlighter.mark(uid)
        if mark is not None and mark.label != label:
            self.edits.run(lambda: ops.relabel_span(self.project, uid, label), self.initiator)

    def delete_selected(self) -> None:
        if self.selected is None:
            self.info.emit("Select a span (click it, or Tab), then press Delete")
            return
        uid = self.selected
        with self.project.read() as conn:
            uses = span_uses(conn, [uid])
        if uses:
            self._delete_used(uid, uses)
            return
        self.edits.run(lambda: ops.delete_spans(self.project, [uid]), self.initiator)

    def _delete_used(self, uid: str, uses: list[ArgumentUse]) -> None:
        """A span that events or claims use: ask, then remove it and those arguments in one
        transaction and one undo step (undo puts the span back, then its arguments)."""
        roles = ", ".join(sorted({f"the {u.role} of {'an event' if u.kind == 'event' else 'a claim'}" for u in uses}))
        if not ask(self.view, "Delete a span in use",
                   f"This span is {roles} ({len(uses)} argument{'s' if len(uses) != 1 else ''}).\n"
                   "Delete it and remove it from them? (Ctrl+Z brings both back.)"):
            return
        self.edits.run(lambda: delete_spans_and_uses(self.project, [uid]), self.initiator)

    def move_edge(self, edge: str, forward: bool, by_word: bool = False) -> None:
        """Moves the selected span's start or end (`edge`) one grapheme cluster, or to the
        next word edge, right (`forward`) or left; the span stays the same span."""
        mark = self.highlighter.mark(self.selected)
        if mark is None:
            self.info.emit("Select a span (click it, or Tab), then move its edges with Alt+arrows")
            return
        pos = mark.start if edge == "start" else mark.end
        if by_word:
            new = graphemes.word_edge(self.text, pos, forward, starts=edge == "start")
        else:
            new = graphemes.next_boundary(self.text, pos) if forward else graphemes.previous_boundary(self.text, pos)
        if new is None or new == pos:
            self.info.emit(f"No {'word' if by_word else 'character'} further {'right' if forward else 'left'}")
            return
        self._resize(mark, edge, new)

    def drag_edge(self, edge: str, pos: int) -> None:
        """The selected span's `edge` dragged with the mouse to widget position `pos`:
        widened to a whole grapheme cluster (never inside a conjunct), one undo step."""
        mark = self.highlighter.mark(self.selected)
        if mark is None:
            return
        cp = self.omap.from_display(pos)
        before, after = graphemes.snap(self.text, cp, cp)  # both cp when it is a cluster edge
        new = before if edge == "start" else after
        if new != (mark.start if edge == "start" else mark.end):
            self._resize(mark, edge, new)

    def _resize(self, mark: Mark, edge: str, new: int) -> None:
        start, end = (new, mark.end) if edge == "start" else (mark.start, new)
        if start >= end:
            self.info.emit("A span cannot be made empty: press Delete to remove it")
            return
        self.edits.run(lambda: ops.resize_span(self.project, mark.uid, start, end), self.initiator)

    def update_fields(self, uid: str, **fields) -> None:
        self.edits.run(lambda: ops.update_span(self.project, uid, **fields), self.initiator)

    def add_fragment(self) -> None:
        """The selected text becomes one more fragment of the selected span ("the EU …
        mission"): select the span (Tab), then the text (Shift+arrows), then the key."""
        mark = self.highlighter.mark(self.selected)
        rng = self.selection_range()
        if mark is None or rng is None:
            self.info.emit("Select a span (click it, or Tab), then select the text to add to it, then press "
                           "the fragment key")
            return
        if self.edits.run(lambda: fragment_ops.add_fragment(self.project, mark.uid, *rng), self.initiator):
            cursor = self.view.textCursor()
            cursor.clearSelection()
            self.view.setTextCursor(cursor)

    def remove_fragment(self, uid: str, index: int) -> None:
        """Removes fragment `index` of span `uid`; with one left the span is continuous over it."""
        self.edits.run(lambda: fragment_ops.remove_fragment(self.project, uid, index), self.initiator)

    def fragment_texts(self, uid: str | None) -> list[tuple[int, int, str]]:
        """The selected span's fragments with their text, for the inspector; empty when continuous."""
        return [(s, e, self.text[s:e]) for s, e in self.highlighter.fragments(uid)]

    def label_occurrences(self, whole_corpus: bool = False, preview: bool = True) -> int:
        """Labels the other occurrences of the selected span's text (whole words) with its
        label, in this document or in every document, as one undo step. With `preview`,
        the preview dialog opens and only what the user keeps ticked there is labelled when
        it is accepted (returns 0); without, all of them at once (returns how many)."""
        source = self.highlighter.mark(self.selected)
        if source is None:
            self.info.emit("Select a span first: its text and label are what gets repeated")
            return 0
        needle = self.text[source.start:source.end]
        progress, self.progress_seen = None, []
        if whole_corpus:  # thousands of documents to read: a progress dialog, with Cancel
            progress = QProgressDialog(f"Finding “{needle}” in the corpus…", "Cancel", 0, 0, self.view.window())
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(PROGRESS_AFTER_MS)
            self.progress = progress
        try:
            found = self.occurrences(source, whole_corpus, self._progressed, contexts=preview)
        finally:
            if progress is not None:
                progress.close()
                self.progress = None
        if found is None:
            self.info.emit("Cancelled: nothing labelled")
            return 0
        if not found:
            self.info.emit(f"No other unlabelled occurrence of “{needle}”")
            return 0
        if not preview:
            return self._add_occurrences([o.span for o in found])
        # Window-modal, not a nested event loop: the rest of the app keeps painting.
        self.preview = OccurrencesPreview(needle, source.label, found, self.view.window())
        self.preview.finished.connect(lambda result, dialog=self.preview: self._previewed(dialog, result))
        self.preview.open()
        return 0

    def _previewed(self, dialog: OccurrencesPreview, result: int) -> None:
        chosen = dialog.chosen() if result == OccurrencesPreview.DialogCode.Accepted else []
        self.preview = None
        dialog.deleteLater()
        self.view.setFocus()
        if not chosen:
            self.info.emit("Nothing labelled")
            return
        n = self._add_occurrences(chosen)
        if n:
            self.info.emit(f"Labelled {n} more occurrence{'s' if n != 1 else ''} (Ctrl+Z undoes it)")

    def _add_occurrences(self, spans: list[SpanData]) -> int:
        """Writes `spans` as one change; a progress dialog (after PROGRESS_AFTER_MS) counts
        them as they are written, a chunk at a time, and Cancel rolls all of it back."""
        self.write_progress_seen = []
        progress = QProgressDialog(f"Labelling {len(spans):,} occurrences…", "Cancel", 0, len(spans),
                                   self.view.window())
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(PROGRESS_AFTER_MS)
        progress.setAutoReset(False)  # a reset at the last chunk would forget a Cancel pressed during it
        self.progress = progress
        try:
            with cyclic_gc_paused():  # the change's 100,000 new rows and records: none in a cycle
                change = self.edits.run(lambda: ops.add_spans(self.project, spans, self._write_progressed),
                                        self.initiator)
        except Cancelled:
            self.info.emit("Cancelled: nothing labelled")
            return 0
        finally:
            progress.close()
            self.progress = None
        return len(change.result) if change else 0

    def _write_progressed(self, done: int, total: int) -> bool:
        self.write_progress_seen.append((done, total))
        return self._show_progress(done, total)

    def _progressed(self, done: int, total: int) -> bool:
        """Documents read so far: shown in the progress dialog, if any; False once cancelled."""
        self.progress_seen.append((done, total))
        return self._show_progress(done, total)

    def _show_progress(self, done: int, total: int) -> bool:
        if self.progress is None:
            return True
        self.progress.setMaximum(total)
        self.progress.setValue(done)  # a window-modal dialog handles its events here (Cancel)
        return not self.progress.wasCanceled()

    def occurrences(self, source: Mark, whole_corpus: bool,
                    progress: Callable[[int, int], bool] | None = None,
                    contexts: bool = True) -> list[Occurrence] | None:
        """Every unlabelled whole-word occurrence of `source`'s text, as spans of its label
        (with their values) and, with `contexts`, the context the preview shows; None if
        `progress` (told the documents read and to read after each batch) answered False:
        cancelled.

        Across the corpus, the search index names the documents that may hold the text
        (a superset, each checked exactly below), and the texts that hold it, with their
        names and spans, are read a batch at a time: a few reads, not three per document
        of the corpus."""
        needle = self.text[source.start:source.end]
        found: list[Occurrence] = []
        # 100,000 new objects, none in a cycle: no cyclic collections of the window's heap
        with cyclic_gc_paused(), self.project.read() as conn:
            ids = candidate_documents(conn, needle) if whole_corpus else [self.doc_id]
            for i in range(0, len(ids), OCCURRENCE_BATCH):
                if progress is not None and not progress(i, len(ids)):
                    return None
                batch = [d for d in ids[i:i + OCCURRENCE_BATCH] if d is not None]
                holding = documents_holding(conn, batch, needle)
                if not holding:
                    continue
                self.project.texts.note_lengths({d: text for d, *_n, text in holding})  # the write checks against them
                taken = label_extents(conn, [d for d, *_r in holding], self.annotator, source.label, len(needle))
                for doc_id, uid, title, lang, text in holding:
                    year = document_year(text, lang) if doc_id != self.doc_id and source.label == "DATE" else None
                    name = f"{uid} · {title}" if title else uid
                    done = taken.get(doc_id, set())
                    for s, e in find_occurrences(text, needle):
                        if (s, e) in done:
                            continue
                        value = (self.suggested_value(source.label, s, e) if doc_id == self.doc_id
                                 else checked_value(source.label, text[s:e], lang, year))
                        found.append(Occurrence(SpanData("", doc_id, self.annotator, s, e, source.label, value=value),
                                                name, context_of(text, s, e) if contexts else ""))
        if progress is not None:
            progress(len(ids), len(ids))
        return found

    # -- after a committed change, undo or redo (from any window) ---------------------
    def _on_change(self, change: Change, _initiator) -> None:
        """Repaints only the spans of this document and layer that the change touched."""
        mine = None
        if change.touches("annotators"):
            # An undo may remove this annotator's row and a later edit give its id to another
            # annotator: read the id again next time; for this change, the row it carries.
            self._ann_key = None
            mine = next((row["id"] for r in change.rows if r.table == "annotators"
                         for row in (r.after or r.before,) if row and row["name"] == self.annotator), None)
        refragmented = self.doc_id in change.documents and change.touches("span_fragments")
        if self.doc_id not in change.documents or not (change.touches("spans") or refragmented):
            return
        mine = mine if mine is not None else self._annotator_key()
        selected_touched = False
        selected_now = self._selected_data if self._selected_data and self._selected_data.uid == self.selected else None
        if refragmented:  # one indexed read of the layer's fragments; only the changed spans repaint
            with self.project.read() as conn:
                parts = fragment_ops.layer_fragments(conn, self.doc_id, self.annotator)
            selected_touched = self.selected in self.highlighter.set_fragments(parts)
        for r in change.rows:
            row = r.after or r.before
            if r.table != "spans":
                continue
            selected_touched |= row["uid"] == self.selected
            if r.before is None or r.after is None:
                if row["uid"] == self.selected:  # removed or put back: read as it is now
                    selected_now = None
                if row["document_id"] != self.doc_id or row["annotator_id"] != mine:
                    continue
                if r.after is None:
                    self.highlighter.remove(row["uid"])
                else:
                    self.highlighter.add(Mark(row["start"], row["end"], row["label"], row["uid"]))
            else:  # an update: its row holds the id and the columns it set
                if selected_now is not None and row["uid"] == self.selected:  # shown as written, not read again
                    selected_now = replace(selected_now, **{k: row[k] for k in _SPAN_FIELDS if k in row})
                if "label" in row:
                    self.highlighter.relabel(row["uid"], row["label"])
                if "start" in row or "end" in row:  # boundary editing
                    mark = self.highlighter.mark(row["uid"])
                    if mark is not None:
                        self.highlighter.move(mark.uid, row.get("start", mark.start), row.get("end", mark.end))
        if selected_touched:  # the inspector shows it as it is now, or nothing if it is gone
            self.select_span(self.selected, None if refragmented else selected_now)
        # The window's counts and document list follow the change's layers (its own handler).
        self.saved.emit(change.description)

    def _annotator_key(self) -> int | None:
        if self._ann_key is None:
            with self.project.read() as conn:
                self._ann_key = annotator_key(conn, self.annotator)
        return self._ann_key


def checked_value(label: str, text: str, lang: str, year: int | None) -> str | None:
    """The normalised value of a DATE or FIGURE text, if it passes the value check."""
    value = normalised_value(label, text, lang, year)
    return value if value is not None and values.value_problem(label, value) is None else None
