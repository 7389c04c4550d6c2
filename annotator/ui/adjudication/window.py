"""The adjudication window: the annotators' layers of one document one above the other,
their disagreements in a list, and the gold layer (GOLD_ANNOTATOR) that the curator builds
by accepting a version, rejecting them all, or labelling gold directly with the usual keys
(the gold pane is a Workspace on the gold layer).

Decisions are store operations run by the project's edit runner (adjudication_gold,
ui.edits); the keys are in the ADJUDICATION area of ui.widgets.actions. Offsets are code points up to the panes, which convert them.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QSplitter, QTreeView, QVBoxLayout, QWidget

from annotator.core.agreement import layer_disagreements
from annotator.core.depth_diff import depth_disagreements, gold_places
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.adjudication import REJECTED, gold_status, read_decisions
from annotator.store.adjudication_depth import accept_depth
from annotator.store.layers import annotator_layers
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from annotator.ui.adjudication.depth_list import DepthModel
from annotator.ui.adjudication.gold import GoldEditor
from annotator.ui.adjudication.model import DisagreementModel, build_rows
from annotator.ui.adjudication.panes import LayerPane, Pane, ScrollSync
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.document.highlighter import Mark
from annotator.ui.document.view import DocumentView
from annotator.ui.edits import Edits
from annotator.ui.widgets import fonts
from annotator.ui.widgets.actions import ADJUDICATION, ActionTable, build, show_overview
from annotator.ui.widgets.plain import ask, esc, plain_mnemonic, rich_label
from annotator.ui.widgets.saved_label import SavedLabel
from annotator.ui.widgets.screen_fit import resize_to_fit


def name_actions(actions: ActionTable, annotators: list[str]) -> None:
    """Per-annotator entries name the annotator; those beyond the document's are hidden."""
    for n, (accept, layer) in enumerate(zip(actions.group("accept_version"), actions.group("accept_layer"))):
        name = annotators[n] if n < len(annotators) else ""
        accept.setText(f"Accept {plain_mnemonic(name)}'s version")
        layer.setText(f"Start gold from {plain_mnemonic(name)}'s whole layer")
        for action in (accept, layer):
            action.setVisible(bool(name))
            action.setEnabled(bool(name))


class AdjudicationWindow(QMainWindow):
    """Adjudicates document `doc_id` (and others, with Alt+Down/Up) as `curator`.

    Every gold decision and gold edit runs through `edits`, the project's edit runner, so
    it shares the project's undo history; the window refreshes from the changes of its
    document, wherever they come from.
    """

    layerChanged = Signal(object)  # ids of the documents whose gold layer changed

    def __init__(self, project: Project, curator: str, edits: Edits, doc_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.curator, self.edits = project, curator, edits
        self.doc_id: int | None = None
        self.annotators: list[str] = []
        self.panes: list[LayerPane] = []
        self._agreed: set[tuple[int, int, str]] = set()  # spans every layer has
        resize_to_fit(self, 1500, 900)
        labels = project.schema.labels
        self._colours = {lab.name: lab.colour for lab in labels}

        self.model = DisagreementModel(self)
        self.list = QTreeView()
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFont(fonts.with_fallbacks(self.list.font()))
        # Attributes, relations and clusters (issue 14): Alt+N accepts there while it has focus.
        self.depth_model = DepthModel(self)
        self.depth_list = QTreeView()
        self.depth_list.setModel(self.depth_model)
        self.depth_list.setRootIsDecorated(False)
        self.depth_list.setUniformRowHeights(True)
        self.depth_list.setAllColumnsShowFocus(True)
        self.depth_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.depth_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.depth_list.setFont(fonts.with_fallbacks(self.depth_list.font()))
        self.title, self.summary, self.detail = rich_label(), rich_label(), rich_label()
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.title, self.summary, self.detail):
            label.setWordWrap(True)
            label.setFont(fonts.with_fallbacks(label.font()))
        self.gold_view = DocumentView({lab.key: lab.name for lab in labels})
        self.gold = Workspace(project, GOLD_ANNOTATOR, self.gold_view, edits, self)
        self.gold_pane = Pane(self.gold_view)
        self.editor = GoldEditor(project, self.gold, edits, self)
        self.sync = ScrollSync(self)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        for widget, stretch in ((self.title, 0), (self.summary, 0), (self.list, 1), (self.detail, 0),
                                (self.depth_list, 1)):
            left_layout.addWidget(widget, stretch)
        self.pane_splitter = QSplitter(Qt.Orientation.Vertical)
        self.pane_splitter.addWidget(self.gold_pane)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pane_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 940])
        self.setCentralWidget(self.splitter)
        self.saved_label = SavedLabel()
        self.statusBar().addPermanentWidget(self.saved_label)

        self.actions_by_name = build(self, ADJUDICATION, {
            "next_disagreement": lambda: self.go(+1), "previous_disagreement": lambda: self.go(-1),
            "next_document": lambda: self._other_document(+1), "previous_document": lambda: self._other_document(-1),
            "focus_list": lambda: self.list.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "focus_depth_list": self.focus_depth_list,
            "focus_gold": lambda: self.gold_view.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "accept_version": self.accept_version, "reject_versions": self.reject_versions,
            "accept_agreed": self.editor.accept_agreed, "accept_layer": self.editor.accept_layer,
            "gold_done": self.mark_gold_done,
            "delete_span": self.gold.delete_selected, "next_span": lambda: self.gold.cycle(True), "close": self.close,
            "shortcuts": lambda: show_overview(self, ADJUDICATION, [(lab.name, lab.key) for lab in labels]),
        })
        edits.bind(self, self.actions_by_name["undo"], self.actions_by_name["redo"])
        edits.changed.connect(self._on_change)
        edits.failed.connect(lambda message, by: by is self and self._failed(message))
        edits.done.connect(lambda what, by: by is self and self.statusBar().showMessage(what, 8000))
        edits.register(self)
        self.list.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_row(current.row()))
        for source in (self.gold, self.editor):
            source.saved.connect(self._saved)
            source.failed.connect(self._failed)
            source.info.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.open_document(doc_id)

    # -- the document ----------------------------------------------------------------------
    def open_document(self, doc_id: int) -> None:
        with self.project.read() as conn:
            doc = list_documents(conn, doc_ids=[doc_id])[0]
            # Everyone's layer but gold's, in name order: pane and key numbers follow it.
            records = [recs[0] for recs in annotator_layers(conn, document_ids=[doc_id]).values() if recs]
        self.doc_id = doc_id
        self.annotators = [r.annotator for r in records]
        self.editor.set_document(doc_id, self.annotators)
        layers = {r.annotator: r for r in records}
        self.model.set_rows(build_rows(layer_disagreements(layers), self.annotators), self.annotators)
        with self.project.read() as conn:
            gold = next(iter_records(conn, annotator=GOLD_ANNOTATOR, document_ids=[doc_id]), None)
        quote = {(s.start, s.end, s.label): s.text for r in records for s in r.spans}
        self.depth_model.set_rows(depth_disagreements(layers, gold), self.annotators, quote)
        keys = [{(s.start, s.end, s.label) for s in r.spans} for r in records]
        self._agreed = set.intersection(*keys) if len(keys) > 1 else set()
        self.setWindowTitle(f"Adjudicate {doc.uid} — {self.project.path.name}")
        self.title.setText(f"<b>{esc(doc.title or doc.uid)}</b>  <small>{esc(doc.lang)} · {esc(doc.uid)} · "
                           f"curator {esc(self.curator)}</small>")
        for pane in self.panes:
            pane.setParent(None)
            pane.deleteLater()
        self.panes = []
        self.gold.open_document(doc_id)
        self.gold_pane.omap = omap = self.gold.omap  # one text, so one map for every pane
        for i, rec in enumerate(records):
            pane = LayerPane(self._colours)
            pane.show_layer(rec.text, omap, [Mark(s.start, s.end, s.label, s.id) for s in rec.spans])
            pane.set_header(f"<b>{i + 1}</b> · {esc(rec.annotator)} — {len(rec.spans)} spans · "
                            f"{esc(rec.status.replace('_', ' '))}  <small style='color:#6b6b6b'>Alt+{i + 1} accepts "
                            f"this version</small>" if i < 9 else esc(rec.annotator))
            pane.view.clicked.connect(lambda pos, pane=pane: self._clicked(pane, pos))
            self.pane_splitter.insertWidget(i, pane)
            self.panes.append(pane)
        self.pane_splitter.setSizes([1] * (len(self.panes) + 1))
        self.sync.set_views([p.view for p in self.panes] + [self.gold_view])
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        name_actions(self.actions_by_name, self.annotators)
        self._refresh_gold()
        if self.model.rowCount():
            self.select_row(self._next_open(-1) or 0)
        self.gold_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _other_document(self, step: int) -> None:
        with self.project.read() as conn:
            ids = [d.id for d in list_documents(conn)]
        i = ids.index(self.doc_id) + step
        if 0 <= i < len(ids):
            self.open_document(ids[i])

    # -- the list --------------------------------------------------------------------------
    def current_row(self) -> int | None:
        index = self.list.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, i: int) -> None:
        index = self.model.index(i, 0)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.list.scrollTo(index)

    def go(self, step: int) -> None:
        if not self.model.rowCount():
            self.statusBar().showMessage("No disagreements in this document", 5000)
            return
        i = self.current_row()
        i = (0 if step > 0 else self.model.rowCount() - 1) if i is None else i + step
        if 0 <= i < self.model.rowCount():
            self.select_row(i)
        else:
            self.statusBar().showMessage("No more disagreements " + ("below" if step > 0 else "above"), 5000)

    def _next_open(self, after: int) -> int | None:
        n = self.model.rowCount()
        order = [*range(after + 1, n), *range(0, max(after, 0))]
        return next((i for i in order if not self.model.state(i).decided), None)

    def _show_row(self, i: int) -> None:
        if not 0 <= i < self.model.rowCount():
            return
        row, state = self.model.row(i), self.model.state(i)
        with self.sync.paused():
            for pane, v in zip(self.panes, row.versions):
                pane.show_place(row.start, row.end, None if v is None else (v.start, v.end))
            # Gold: its span here is selected (digits relabel, Del removes it); with none,
            # the place's text is selected, so a label key writes the curator's own span.
            here = [m for m in self.gold.spans() if m.uid in state.gold_uids
                    or (state.own and m.start < row.end and m.end > row.start)]
            self.gold_pane.show_place(row.start, row.end, None, select=not here)
            self.gold.select_span(here[0].uid if here else None)
        self._show_detail()

    def _clicked(self, pane: LayerPane, pos: int) -> None:
        i = self.model.row_at(pane.omap.from_display(pos))
        if i is not None:
            self.select_row(i)

    # -- decisions on the selected disagreement ----------------------------------------------
    # A decision stays on its row (the curator sees it and goes on with N, as the README
    # says); jumping to the next open row as well made accept-then-N skip every second one.
    def accept_version(self, n: int) -> None:
        if self.depth_list.hasFocus():
            self._accept_depth(n)
            return
        i = self.current_row()
        if i is not None and self.editor.accept_version(self.model.row(i), self.model.state(i), n):
            self._show_row(i)  # its new gold span is selected: a digit relabels it, Del removes it

    def reject_versions(self) -> None:
        if self.depth_list.hasFocus():
            self._accept_depth(None)
            return
        i = self.current_row()
        if i is not None and self.editor.reject(self.model.row(i), self.model.state(i)):
            self._show_row(i)

    def focus_depth_list(self) -> None:
        self.depth_list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.depth_list.currentIndex().isValid() and self.depth_model.rowCount():
            self.depth_list.setCurrentIndex(self.depth_model.index(0, 0))

    def _accept_depth(self, n: int | None) -> None:
        """Gold takes annotator n's version of the selected attribute, relation or cluster
        (n None: none of them)."""
        index = self.depth_list.currentIndex()
        if not index.isValid() or n is not None and n >= len(self.annotators):
            return
        d = self.depth_model.row(index.row())
        if n is None:
            who, version = "no one", (False if d.kind == "relation" else None)
        elif self.annotators[n] not in d.versions:
            self.statusBar().showMessage(f"{self.annotators[n]} has no such item here", 5000)
            return
        else:
            who, version = self.annotators[n], d.versions[self.annotators[n]]
        change = self.edits.run(lambda: accept_depth(self.project, self.doc_id, d, version, who), self)
        if change:
            self._saved(change.description)

    def mark_gold_done(self) -> None:
        """Marks the gold layer done; with disagreements still open, only if the curator says so."""
        n = self.model.rowCount()
        still_open = sum(not self.model.state(i).decided for i in range(n))
        if still_open and not ask(self, "Mark gold done",
                                  f"{still_open} of {n} disagreement{'s' if n != 1 else ''} "
                                  f"{'is' if still_open == 1 else 'are'} still open in this document.\n"
                                  "Mark the gold layer done anyway?"):
            self.statusBar().showMessage(f"Gold not marked done: {still_open} disagreement"
                                         f"{'s' if still_open != 1 else ''} open", 8000)
            return
        self.editor.mark_done()

    # -- feedback --------------------------------------------------------------------------
    def _on_change(self, change, _initiator) -> None:
        if self.doc_id not in change.documents:
            return
        if any(s.document_id == self.doc_id and s.annotator != GOLD_ANNOTATOR for s in change.layers):
            # An annotator's layer changed under the curator (the main window, or a
            # teammate's edit arriving live): the disagreements are no longer these.
            self._reload_layers()
        else:
            self._refresh_gold()
        self.layerChanged.emit({self.doc_id})

    def _reload_layers(self) -> None:
        """Read every layer of the document again, keeping the disagreement the curator
        was on when it is still one, and the focus where it was."""
        i = self.current_row()
        place = (self.model.row(i).start, self.model.row(i).end) if i is not None else None
        focus = QApplication.focusWidget()
        self.open_document(self.doc_id)
        same = [j for j, r in enumerate(self.model.rows()) if (r.start, r.end) == place]
        if same:
            self.select_row(same[0])
        if focus is not None and shiboken6.isValid(focus) and focus.window() is self:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def shows(self, doc_id: int) -> bool:
        return doc_id == self.doc_id

    def show_document(self, doc_id: int) -> None:
        """Put `doc_id` on screen (an undo is about to change it)."""
        if doc_id != self.doc_id:
            self.open_document(doc_id)
        self.show()
        self.raise_()

    def _refresh_gold(self) -> None:
        gold = [(m.start, m.end, m.label, m.uid) for m in self.gold.spans()]
        rows = self.model.rows()
        with self.project.read() as conn:
            status = gold_status(conn, self.doc_id)
            rejected = {(d.start, d.end) for d in read_decisions(conn, self.doc_id) if d.decision == REJECTED}
        self.model.set_gold(gold, {i: True for i, r in enumerate(rows) if (r.start, r.end) in rejected})
        with self.project.read() as conn:
            gold_layer = next(iter_records(conn, annotator=GOLD_ANNOTATOR, document_ids=[self.doc_id]), None)
        self.depth_model.set_gold(gold_places(gold_layer) if gold_layer is not None else {})
        open_places = [(r.start, r.end) for i, r in enumerate(rows) if not self.model.state(i).decided]
        for pane in (*self.panes, self.gold_pane):
            pane.show_open(open_places)
        decided = len(rows) - len(open_places)
        in_gold = len(self._agreed & {g[:3] for g in gold})
        if len(self.annotators) < 2:
            self.summary.setText(f"{len(self.annotators) or 'No'} annotator layer{'s' * (not self.annotators)} "
                                 "on this document: nothing to compare."
                                 + (" Ctrl+1 starts gold from it." if self.annotators else ""))
        else:
            self.summary.setText(
                f"{len(rows)} disagreement{'s' if len(rows) != 1 else ''} among {len(self.annotators)} annotators: "
                f"<b>{len(rows) - decided} open</b>, {decided} decided · {len(self._agreed)} agreed spans, "
                f"<b>{in_gold} in gold</b> (Ctrl+G accepts them)")
        self.gold_pane.set_header(f"<b>Gold</b> — {status.spans} spans · {esc(status.status.replace('_', ' '))}  "
                                  "<small style='color:#6b6b6b'>editable: label keys, Del, Tab, Ctrl+Z</small>")
        self._show_detail()

    def _show_detail(self) -> None:
        """The selected disagreement in full: each version with the key that accepts it."""
        i = self.current_row()
        if i is None:
            self.detail.setText("")
            return
        row, state = self.model.row(i), self.model.state(i)
        lines = [f"<b>{i + 1} · {esc(row.kind)}</b> at [{row.start}, {row.end})"]
        for n, (name, v) in enumerate(zip(self.annotators, row.versions)):
            what = "no span" if v is None else f"{esc(v.label)} «{esc(v.text)}» [{v.start}, {v.end})"
            tick = " <b style='color:#1a7f37'>✓ in gold</b>" if n in state.accepted else ""
            lines.append(f"<tt>Alt+{n + 1}</tt> {esc(name)}: {what}{tick}")
        lines.append("<tt>Alt+0</tt> none of them" + (" <b style='color:#1a7f37'>✓ rejected</b>"
                                                      if state.rejected and not state.accepted else ""))
        self.detail.setText("<br>".join(lines))

    def _saved(self, what: str) -> None:
        self.saved_label.saved(what, self.project.path)

    def _failed(self, message: str) -> None:
        self.saved_label.failed(message)
        self.statusBar().showMessage(message, 10000)

