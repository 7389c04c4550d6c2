"""The side-by-side view of a translation group: two or three panes (each a Workspace
over a DocumentView, so labelling works as in the main window), alignment bands between
neighbours, suggestions and disagreements below.

State lives in the store. Every edit, wherever it is made (a pane, the main window, an
undo in either), goes through the project's edit runner (ui.edits), and a change that
touches a document on screen re-derives what is shown from the store: spans, alignments,
links, suggestions still open, disagreements. So the view never shows anything that was
not committed.

Re-deriving costs time on long documents, so changes are coalesced (one sync after a
burst, from a zero-interval timer, done at once before any of this window's actions);
a hidden window only notes that it is stale and syncs when shown; and the disagreement
report, the dearest part, is computed only while its tab is current."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from annotator.core.alignment_edit import block_at, swapped
from annotator.store.parallel import group_members
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.edits import Edits
from annotator.ui.parallel.actions import ParallelActions
from annotator.ui.parallel.alignment_pairs import AlignmentPairs
from annotator.ui.parallel.bands import AlignmentBands, BandLegend
from annotator.ui.parallel.disagreements import DisagreementPanel
from annotator.ui.parallel.panes import ParallelPane
from annotator.ui.parallel.suggestions import SuggestionPanel
from annotator.ui.widgets.actions import SIDE_BY_SIDE, ActionTable, build, show_overview
from annotator.ui.widgets.plain import esc, plain_label, rich_label
from annotator.ui.widgets.saved_label import SavedLabel
from annotator.ui.widgets.screen_fit import resize_to_fit

MAX_PANES = 3


class ParallelWindow(QMainWindow):
    def __init__(self, project: Project, annotator: str, edits: Edits, doc_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.annotator, self.edits = project, annotator, edits
        self.setWindowTitle(f"Side by side — {project.path.name}")
        resize_to_fit(self, 1500, 900)
        self.panes = [ParallelPane(project, annotator, edits, self) for _ in range(MAX_PANES)]
        self.bands = [AlignmentBands(a, b) for a, b in zip(self.panes, self.panes[1:])]
        self.open_panes: list[ParallelPane] = []
        self.active = 0
        self._following = False
        self._dirty = False

        # Panes and gutters in a splitter: a handle beside a gutter widens it.
        self.row = QSplitter(Qt.Orientation.Horizontal)
        self.row.setChildrenCollapsible(False)
        for i, pane in enumerate(self.panes):
            self.row.addWidget(pane)
            self.row.setStretchFactor(self.row.indexOf(pane), 1)
            if i < len(self.bands):
                self.row.addWidget(self.bands[i])
                self.row.setStretchFactor(self.row.indexOf(self.bands[i]), 0)
        self.legend = BandLegend()
        row = QWidget()
        row_layout = QVBoxLayout(row)
        row_layout.setContentsMargins(6, 6, 6, 0)
        row_layout.setSpacing(0)
        row_layout.addWidget(self.row, 1)
        row_layout.addWidget(self.legend)
        self.message = rich_label()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(row)
        self.alignments = AlignmentPairs(project, annotator, edits, self)
        self.suggestions = SuggestionPanel(project, annotator, edits, self)
        self.disagreements = DisagreementPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.suggestions, "Suggestions")
        self.tabs.addTab(self.disagreements, "Disagreements")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.tabs)
        splitter.setSizes([680, 220])
        self.setCentralWidget(splitter)
        self.pair_label, self.saved_label = plain_label(), SavedLabel()
        self.statusBar().addPermanentWidget(self.pair_label)
        self.statusBar().addPermanentWidget(self.saved_label)

        self.ops = ParallelActions(self, self.alignments, self.suggestions, self.disagreements, self.tabs)
        self.actions_by_name = self._make_actions()
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(0)
        self._sync_timer.timeout.connect(self.sync)
        self._connect()
        self.alignments.busy.connect(lambda _busy: self.set_picking(self.ops.linking is not None))
        edits.changed.connect(self._on_change)
        edits.failed.connect(lambda message, by: by is self and self.failed(message))
        edits.done.connect(lambda what, by: by is self and self.info(what))
        edits.register(self)
        self.open_document(doc_id)

    # -- wiring ----------------------------------------------------------------------------
    def _make_actions(self) -> ActionTable:
        def in_pane(run):  # the focused pane's workspace, if any pane is open
            return lambda: self.open_panes and run(self.open_panes[self.active % len(self.open_panes)].workspace)

        slots = self.ops.slots() | {"next_pane": lambda: self.focus_pane(self.active + 1),
                                    "previous_pane": lambda: self.focus_pane(self.active - 1),
                                    "delete_span": in_pane(lambda ws: ws.delete_selected()),
                                    "next_span": in_pane(lambda ws: ws.cycle(True)),
                                    "previous_span": in_pane(lambda ws: ws.cycle(False)),
                                    "close": self.close, "shortcuts": self.show_shortcuts}
        actions = build(self, SIDE_BY_SIDE, slots, wrap=self._after_sync)
        for name in ("pick", "cancel"):  # only while picking a counterpart: Return and Esc stay free
            actions[name].setEnabled(False)
        self.edits.bind(self, actions["undo"], actions["redo"])
        return actions

    def set_picking(self, on: bool) -> None:
        """Return and Esc pick and cancel while a link waits for its counterpart; Esc also
        stops a suggestion being computed."""
        self.actions_by_name["pick"].setEnabled(on)
        self.actions_by_name["cancel"].setEnabled(on or bool(self.alignments.jobs))

    def _after_sync(self, slot):
        """`slot`, run on what the store holds: a sync still pending (keys typed faster
        than the event loop idles) is done first, so no edit is computed from stale blocks."""
        def run(*_args) -> None:
            self.flush()
            slot()
        return run

    def _connect(self) -> None:
        for i, pane in enumerate(self.panes):
            pane.focused.connect(lambda i=i: self._focused(i))
            pane.view.cursorPositionChanged.connect(lambda i=i: i == self.active and self.update_current())
            pane.view.verticalScrollBar().valueChanged.connect(lambda _v, i=i: self.follow(i))
            pane.view.clicked.connect(lambda _pos, i=i: self.ops.clicked_in(i))
            pane.contextMenu.connect(lambda cp, at, i=i: self._pane_menu(i, cp, at))
            pane.workspace.selectionChanged.connect(lambda *_a, i=i: self.ops.show_linked(i))
            pane.workspace.saved.connect(self.saved)
            pane.workspace.failed.connect(self.failed)
            pane.workspace.info.connect(self.info)
        for k, band in enumerate(self.bands):
            band.blockClicked.connect(lambda b, k=k: self.ops.go_to_block(k, b))
            band.contextMenu.connect(lambda _b, at: self._menu(at, ["merge_next", "merge_previous", "keep"]))
        self.suggestions.currentChanged.connect(self.ops.show_current_suggestion)
        self.suggestions.decided.connect(self.ops.decide)
        self.suggestions.failed.connect(self.failed)
        self.disagreements.chosen.connect(self.ops.show_disagreement)
        self.tabs.currentChanged.connect(lambda _i: self.ops.disagreements_shown())

    # -- the group -------------------------------------------------------------------------------
    def open_document(self, doc_id: int) -> None:
        """Show the translation group of `doc_id`, that document first."""
        with self.project.read() as conn:
            members = group_members(conn, doc_id)
            rows = {r.id: r for r in list_documents(conn, self.annotator, doc_ids=sorted(set(members) | {doc_id}))}
        ids = [doc_id] + sorted(m for m in members if m != doc_id)
        self.suggestions.clear()
        self.ops.stop_linking("")
        self.tabs.setVisible(len(ids) > 1)  # nothing to suggest or compare in a lone document
        if len(ids) < 2:
            row = rows.get(doc_id)
            name = (row.title or row.uid) if row else f"document {doc_id}"
            self.message.setText(f"<p><b>{esc(name)}</b> is not in a translation group, so there is nothing to "
                                 "show side by side.</p><p>Use <i>Suggest translation groups…</i> in the main "
                                 "window to find its translations, or import them with a manifest.</p>")
            self.stack.setCurrentWidget(self.message)
            self.open_panes = []
            self.sync()
            return
        if len(ids) > MAX_PANES:
            self.info(f"The group has {len(ids)} documents; showing the first {MAX_PANES}")
        n = min(len(ids), MAX_PANES)
        self.open_panes = []  # until all are loaded: opening moves carets, which asks for blocks
        for i, pane in enumerate(self.panes):
            pane.setVisible(i < n)
            if i < len(self.bands):
                self.bands[i].setVisible(i + 1 < n)
            if i < n:
                pane.open(rows[ids[i]])
        self.open_panes = self.panes[:n]
        self.stack.setCurrentIndex(1)
        self.sync()
        self.focus_pane(0)

    def set_annotator(self, name: str) -> None:
        """Another annotator's layer (the main window clears the undo history then)."""
        self.annotator = self.alignments.annotator = self.suggestions.annotator = name
        for pane in self.panes:
            pane.workspace.annotator = name
        if self.open_panes:
            self.open_document(self.open_panes[0].doc_id)

    def shows(self, doc_id: int) -> bool:
        return any(p.doc_id == doc_id for p in self.open_panes)

    def show_document(self, doc_id: int) -> None:
        """Put `doc_id` on screen (an undo is about to change it)."""
        if not self.shows(doc_id):
            self.open_document(doc_id)
        self.show()
        self.raise_()

    def _on_change(self, change, _initiator) -> None:
        if change.dismissed or any(self.shows(d) for d in change.documents):
            self.schedule_sync()

    def schedule_sync(self, *_args) -> None:
        """A change touched what is shown: sync once the burst of changes is over (a
        hidden window only remembers that it is stale)."""
        self.ops.disagreements_stale()
        if not self.isVisible():
            self._dirty = True
            return
        self._sync_timer.start()

    def sync_pending(self) -> bool:
        """A sync is scheduled and not done yet."""
        return self._sync_timer.isActive()

    def flush(self) -> None:
        """Do a scheduled sync now."""
        if self._sync_timer.isActive():
            self.sync()

    def sync(self, *_args) -> None:
        """Show what the store holds now."""
        self._sync_timer.stop()  # whatever was scheduled is done by this one
        if not self.isVisible():
            self._dirty = True  # hidden: catch up when shown again
            return
        self._dirty = False
        for pane in self.open_panes:
            pane.sync_spans()
        for k, band in enumerate(self.bands[:max(0, len(self.open_panes) - 1)]):
            band.set_alignment(*self.alignments.blocks(self.panes[k], self.panes[k + 1]))
            band.set_crossings(self.alignments.crossings(self.panes[k], self.panes[k + 1]))
        self.ops.sync_links()
        self.suggestions.refresh()
        self.ops.disagreements_stale()
        self.ops.disagreements_shown()
        self.update_current()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.sync()

    # -- panes, blocks, scrolling --------------------------------------------------------------------
    def focus_pane(self, i: int) -> None:
        if self.open_panes:
            self.open_panes[i % len(self.open_panes)].view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focused(self, i: int) -> None:
        self.active = i
        self.update_current()

    def pair(self) -> tuple[int, str] | None:
        """The alignment that edits apply to: the focused pane's with its right neighbour
        (side a), or for the last pane with its left one (side b)."""
        n = len(self.open_panes)
        if n < 2:
            return None
        return (self.active, "a") if self.active < n - 1 else (self.active - 1, "b")

    def oriented(self, k: int, side: str) -> list:
        """Blocks of band k with the focused pane's document as side a."""
        return self.bands[k].blocks if side == "a" else swapped(self.bands[k].blocks)

    def update_current(self) -> None:
        """The block under the caret is current in the bands next to the focused pane."""
        pair = self.pair()
        for band in self.bands:
            band.set_current(None)
        if pair is None:
            self.pair_label.setText("")
            return
        caret = self.open_panes[self.active].caret()
        for k, side in ((self.active, "a"), (self.active - 1, "b")):
            if 0 <= k < len(self.open_panes) - 1:
                self.bands[k].set_current(block_at(self.oriented(k, side), "a", caret))
        k = pair[0]
        self.pair_label.setText(f"Alignment edits: {self.panes[k].row.lang} ↔ {self.panes[k + 1].row.lang}"
                                + ("" if self.bands[k].stored else " (suggested, not saved)"))

    def follow(self, i: int) -> None:
        """Pane i scrolled: the others scroll in step along the alignment."""
        if self._following or i >= len(self.open_panes):
            return
        self._following = True
        try:
            top = self.panes[i].top()
            cp = top
            for k in range(i, len(self.open_panes) - 1):
                cp = self.map(k, "a", cp)
                self.panes[k + 1].scroll_to(cp)
            cp = top
            for k in range(i - 1, -1, -1):
                cp = self.map(k, "b", cp)
                self.panes[k].scroll_to(cp)
        finally:
            self._following = False

    def reveal(self, pane: ParallelPane, cp: int) -> None:
        """Caret to `cp` in `pane`, scrolled into view, without the other panes following."""
        self._following = True
        try:
            pane.place_caret(cp)
        finally:
            self._following = False

    def map(self, k: int, side: str, cp: int) -> int:
        """Code point `cp` on `side` of band k, carried to the other side in proportion
        within its block."""
        blocks = self.oriented(k, side)
        i = block_at(blocks, "a", cp)
        if i is None:
            return 0
        b = blocks[i]
        if cp <= b.a_start:  # at a block's start: before any untranslated text just above it
            while i > 0 and blocks[i - 1].a_start == blocks[i - 1].a_end == b.a_start:
                i -= 1
            return blocks[i].b_start
        share = min(1.0, (cp - b.a_start) / max(1, b.a_end - b.a_start))
        return b.b_start + round(share * (b.b_end - b.b_start))

    # -- menus and feedback -------------------------------------------------------------------------
    def _pane_menu(self, i: int, cp: int, at) -> None:
        self.open_panes[i].place_caret(cp, focus=True)
        self._menu(at, ["link", "unlink", None, "split", "untranslated", "merge_next", "merge_previous", "keep",
                        None, "project"])

    def _menu(self, at, names: list[str | None]) -> None:
        menu = QMenu(self)
        for name in names:
            menu.addSeparator() if name is None else menu.addAction(self.actions_by_name[name])
        menu.exec(at)

    def saved(self, what: str) -> None:
        self.saved_label.saved(what, self.project.path)

    def failed(self, message) -> None:
        self.saved_label.failed(str(message))
        self.statusBar().showMessage(str(message), 10000)

    def info(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_shortcuts(self) -> None:
        show_overview(self, SIDE_BY_SIDE, [(lab.name, lab.key) for lab in self.project.schema.labels])
