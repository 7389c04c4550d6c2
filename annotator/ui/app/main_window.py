"""The main window: navigator | document view | label palette and span inspector.

Its actions, their shortcuts and menus are the MAIN area of the one action registry
(ui.widgets.actions), from which the menus and the F1 overview are built.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QActionGroup, QCloseEvent
from PySide6.QtWidgets import QInputDialog, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from annotator.core.command_keys import COMMAND_KEYS
from annotator.store.project import Project
from annotator.store.queries import annotator_names, document_id, list_documents
from annotator.store.spans import set_status
from annotator.ui.annotate.annotation_list import AnnotationList
from annotator.ui.annotate.attribute_targets import AttributeTargets
from annotator.ui.annotate.attributes_panel import AttributesPanel
from annotator.ui.annotate.entities import EntityController
from annotator.ui.annotate.find_bar import FindBar
from annotator.ui.annotate.frames import FrameController
from annotator.ui.annotate.frames_panel import FramesPanel
from annotator.ui.annotate.inspector import SpanInspector
from annotator.ui.annotate.label_picker import pick_and_label
from annotator.ui.annotate.palette import LabelPalette
from annotator.ui.annotate.relations import RelationController
from annotator.ui.annotate.relations_panel import RelationsPanel
from annotator.ui.annotate.suggestions import DEFAULT_THRESHOLD, Suggestions
from annotator.ui.annotate.target_pick import TargetPick
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.app.annotator_dialog import AnnotatorDialog
from annotator.ui.app.file_menu import FileMenu
from annotator.ui.app.guidelines_dock import GuidelinesDock
from annotator.ui.app.kb_import import import_kb_table
from annotator.ui.app.navigator import Navigator
from annotator.ui.app.other_windows import OtherWindows
from annotator.ui.app.session import Session, project_title
from annotator.ui.app.settings import ProjectSettings
from annotator.ui.app.team_mode import TeamMode
from annotator.ui.app.tour import show_tour
from annotator.ui.document.view import DocumentView
from annotator.ui.edits import Edits
from annotator.ui.widgets import fonts
from annotator.ui.widgets.actions import BOUNDARY, MAIN, ActionTable, build, key_text, show_overview
from annotator.ui.widgets.plain import esc, plain_label, rich_label
from annotator.ui.widgets.saved_label import SavedLabel
from annotator.ui.widgets.screen_fit import resize_to_fit
from annotator.ui.widgets.theme import THEMES, apply_theme, saved_theme


class MainWindow(QMainWindow):
    def __init__(self, project: Project, annotator: str, parent: QWidget | None = None,
                 session: Session | None = None) -> None:
        super().__init__(parent)
        self.project, self.annotator = project, annotator
        self.settings = ProjectSettings(project.path)
        self.setWindowTitle(project_title(project.path))
        if session is None:  # made on its own (tests): a session of its own for the File menu
            session = Session(lambda p, a, s: MainWindow(p, a, session=s))
            session.adopt(project, self)
        self.session = session
        self.files = FileMenu(self, session)
        self.setAcceptDrops(True)  # files dropped on the window are imported
        resize_to_fit(self, 1360, 820)  # then the remembered geometry, if any (_restore)
        schema = project.schema

        self.edits = Edits(project, self)  # the project's one edit runner and undo history
        self.edits.register(self)
        self.navigator = Navigator(project, annotator)
        self.view = DocumentView({lab.key: lab.name for lab in schema.labels})
        self.workspace = Workspace(project, annotator, self.view, self.edits, self)
        self.suggestions = Suggestions(self.workspace, self)  # ghost spans, retrained in the background
        self.palette = LabelPalette(schema)
        self.inspector = SpanInspector(schema)
        self.frames_panel = FramesPanel()
        self.frames = FrameController(self.workspace, self.frames_panel)
        self.annotation_list = AnnotationList(self.workspace, self.frames)
        self.relations_panel = RelationsPanel()  # relations and entity clusters, keys R, = and Ctrl+K
        self.target_pick = TargetPick(self.workspace)
        self.relations = RelationController(self.workspace, self.relations_panel, self.target_pick)
        self.entities = EntityController(self.workspace, self.relations_panel, self.target_pick)
        self.find_bar = FindBar(self.workspace)
        # The selection's attributes (F4) and the document's labels (Shift+F4), issue 14.
        self.attributes_panel, self.document_labels = AttributesPanel("Attributes"), AttributesPanel("Document labels")
        self.attribute_targets = AttributeTargets(self.workspace, self.frames, self.attributes_panel,
                                                  self.document_labels)
        self.side_tabs = side_tabs((self.frames_panel, "Events", "focus_frames"),
                                   (self.annotation_list, "List", "focus_annotations"),
                                   (self.document_labels, "Doc labels", "document_labels"),
                                   (self.relations_panel, "Relations", "focus_relations"))
        self.doc_title = rich_label()
        self.doc_title.setWordWrap(True)
        self.doc_title.setFont(fonts.with_fallbacks(self.doc_title.font()))

        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.doc_title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 6, 6)
        side_layout.addWidget(self.palette)
        side_layout.addWidget(self.inspector)
        side_layout.addWidget(self.attributes_panel)
        side_layout.addWidget(self.side_tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.navigator, 0), (centre, 1), (side, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([380, 700, 280])
        self.setCentralWidget(self.splitter)
        self.guidelines = GuidelinesDock(project, self.edits, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines)
        self.guidelines.hide()  # F9 shows it; where the user leaves it is remembered

        self.annotator_label, self.count_label, self.saved_label = plain_label(), plain_label(), SavedLabel()
        self.statusBar().addPermanentWidget(self.annotator_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self._changed_docs: set[int] = set()
        self._list_timer = QTimer(self, singleShot=True, interval=100)
        self._list_timer.timeout.connect(self._refresh_changed_documents)
        self.others = OtherWindows(self)
        self.actions_by_name = self._make_actions()
        self._connect()
        self._restore()
        self.team = TeamMode(self) if project.on_server else None  # live updates, queue, assignment

    # -- wiring ----------------------------------------------------------------------
    def _make_actions(self) -> ActionTable:
        slots = {
            "delete_span": self.workspace.delete_selected,
            "label_all_doc": lambda: self._label_all(False), "label_all_corpus": lambda: self._label_all(True),
            "focus_frames": lambda: self._show_tab(self.frames_panel, self.frames_panel.tree),
            "focus_annotations": lambda: self._show_tab(self.annotation_list, self.annotation_list.table),
            "focus_relations": lambda: (self._show_tab(self.relations_panel, self.relations_panel.tree),
                                        self.relations_panel.focus_first()),
            "relate": self.relations.relate, "kb_id": self.entities.choose_kb, "entity_translations": self.entities.add_translations,
            "import_kb": lambda: import_kb_table(self),
            "next_span": lambda: self.workspace.cycle(True), "previous_span": lambda: self.workspace.cycle(False),
            "next_document": self.navigator.next_document, "previous_document": self.navigator.previous_document,
            "done_and_next": self.mark_done_and_next, "find": self.navigator.focus_search,
            "focus_text": self._focus_text, "find_in_document": self.find_bar.open_bar,
            "find_next": lambda: self.find_bar.step(True), "find_previous": lambda: self.find_bar.step(False),
            "snap_words": self._set_snapping,
            "add_fragment": self.workspace.add_fragment, "edit_attributes": self._edit_attributes,
            "document_labels": lambda: self._show_tab(self.document_labels, self.document_labels.tree),
            "side_by_side": self.others.open_side_by_side, "adjudicate": self.others.open_adjudication,
            "statistics": self.others.open_statistics, "suggest_groups": self.others.open_group_suggestions,
            "switch_annotator": self.switch_annotator, "quit": self.close, "shortcuts": self.show_shortcuts,
            "take_next": lambda: self._team_only(lambda t: t.take_next()),
            "assign_documents": lambda: self._team_only(lambda t: t.assign()), "retry_edit": self.edits.retry,
            "pick_label": lambda: pick_and_label(self.workspace, self.project.schema, self) and self.view.setFocus(),
        }
        slots |= self.files.slots()
        slots |= {a.id: (lambda a=a: self._move_edge(a.id)) for a in BOUNDARY}
        slots |= {"zoom_in": lambda: self._zoom(self.view.zoom() + 1), "zoom_out": lambda: self._zoom(self.view.zoom() - 1),
                  "zoom_reset": lambda: self._zoom(0)}
        slots |= {f"theme_{t}": (lambda t=t: self.set_theme(t)) for t in THEMES}
        slots |= {"guidelines": self.toggle_guidelines, "tour": lambda: show_tour(self)}
        sugg = self.suggestions
        slots |= {"suggestion_accept": sugg.accept, "suggestion_reject": sugg.reject,
                  "suggestion_next": lambda: sugg.step(True), "suggestion_previous": lambda: sugg.step(False),
                  "suggestion_accept_all": sugg.accept_all, "suggestion_threshold": self._ask_threshold,
                  "uncertain_sentence": sugg.next_uncertain_sentence, "retrain": lambda: sugg.retrain(full=True),
                  "suggestions_shown": self._show_suggestions, "suggestions_learn_from_all": self._learn_from_all}
        # The command letters' actions, from the menu: what the letter does in the view.
        slots |= {k.action: (lambda a=k.action: self.view.commandKey.emit(a)) for k in COMMAND_KEYS}
        actions = build(self, MAIN, slots, text=self.view)
        self.edits.bind(self, actions["undo"], actions["redo"])
        themes = QActionGroup(self)  # one of three, ticked
        for t in THEMES:
            actions[f"theme_{t}"].setCheckable(True)
            themes.addAction(actions[f"theme_{t}"])
        actions[f"theme_{saved_theme()}"].setChecked(True)
        return actions

    def _connect(self) -> None:
        self.navigator.documentActivated.connect(self.open_document)
        self.annotation_list.openDocument.connect(self.show_document)  # its corpus scope
        self.palette.labelClicked.connect(self._palette_label)
        self.inspector.labelChosen.connect(lambda uid, label: self.workspace.relabel(uid, label))
        self.inspector.valueEdited.connect(lambda uid, value: self.workspace.update_fields(uid, value=value))
        self.inspector.noteEdited.connect(lambda uid, note: self.workspace.update_fields(uid, note=note))
        self.workspace.selectionChanged.connect(self.inspector.show_span)
        self.workspace.selectionChanged.connect(
            lambda span, _t: self.inspector.show_fragments(self.workspace.fragment_texts(span.uid if span else None)))
        self.inspector.fragmentRemoved.connect(self.workspace.remove_fragment)
        self.workspace.selectionChanged.connect(lambda *_: self._guidelines_follow())
        self.guidelines.imported.connect(lambda what: self.statusBar().showMessage(what, 5000))
        self.workspace.layerChanged.connect(self._layer_changed)
        self.workspace.saved.connect(self._saved)
        self.workspace.failed.connect(self._failed)
        self.edits.changed.connect(self._on_change)
        self.edits.failed.connect(lambda message, by: by in (self, None) and self._failed(message))
        self.edits.done.connect(lambda what, by: by is self and self.statusBar().showMessage(what, 8000))
        self.workspace.info.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.suggestions.info.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.navigator.uncertaintyOrder.connect(self.suggestions.order_by_uncertainty)
        self.suggestions.confidences.connect(self.navigator.set_confidences)

    def _restore(self) -> None:
        if (geometry := self.settings.get("geometry")) is not None:
            self.restoreGeometry(geometry)
        if (state := self.settings.get("splitter")) is not None:
            self.splitter.restoreState(state)
        snapping = str(self.settings.get("snap_words", "true")).lower() != "false"
        self.actions_by_name["snap_words"].setChecked(snapping)
        self.workspace.snap_words = snapping
        for action_id, key in (("suggestions_shown", "show_suggestions"),
                               ("suggestions_learn_from_all", "suggestions_learn_from_all")):
            action = self.actions_by_name[action_id]
            action.blockSignals(True)  # the saved state, not a toggle by the user
            action.setChecked(str(self.settings.get(key, "true")).lower() != "false")
            action.blockSignals(False)
        self.suggestions.visible = self.actions_by_name["suggestions_shown"].isChecked()
        self.suggestions.learn_from_all = self.actions_by_name["suggestions_learn_from_all"].isChecked()
        try:
            self.suggestions.threshold = min(1.0, max(0.0, float(self.settings.get("suggestion_threshold",
                                                                                   DEFAULT_THRESHOLD))))
        except (TypeError, ValueError):  # a settings file edited by hand: the default
            pass
        if (docks := self.settings.get("docks")) is not None:
            self.restoreState(docks)  # the guidelines panel: shown or not, docked where, floating
        try:
            self.view.set_zoom(int(self.settings.get("zoom", 0)))
        except (TypeError, ValueError):  # a settings file edited by hand: the normal size
            pass
        last = self.settings.get("last_document")
        with self.project.read() as conn:
            target = document_id(conn, last) if isinstance(last, str) else None
        docs = self.navigator.model.documents()  # not every document read again: 100,000 take seconds
        target = target if target is not None else docs[0][0] if docs else None
        self._update_labels()
        if target is not None:
            self.navigator.select_document(target)
        self.open_document(target)  # no-op if the navigator has already opened it
        # On a worker thread, from the event loop's first turn: the window is shown first
        # (the training imports the models and reads every layer); its suggestions follow.
        QTimer.singleShot(0, self.suggestions.retrain)

    # -- documents ---------------------------------------------------------------------
    def open_document(self, doc_id: int | None) -> None:
        if doc_id is not None and doc_id == self.workspace.doc_id:
            return
        self.inspector.commit_pending()
        self.target_pick.cancel()
        self.workspace.open_document(doc_id)
        self.frames.reload()
        self.relations.reload()
        self.entities.reload()
        self.annotation_list.reload()
        with self.project.read() as conn:
            rows = list_documents(conn, self.annotator, doc_ids=[doc_id]) if doc_id is not None else []
        row = rows[0] if rows else None
        if row is None:
            self.doc_title.clear()
        else:
            self.doc_title.setText(f"<b>{esc(row.title or row.uid)}</b>  <small>{esc(row.lang)} · {esc(row.uid)}</small>")
            self.settings.set("last_document", row.uid)
        self._update_counts()

    def reload_document(self) -> None:
        """Read the open document again (its layer may have changed out of sight)."""
        doc_id = self.workspace.doc_id
        self.workspace.doc_id = None  # open_document skips the document already open
        self.open_document(doc_id)

    def _team_only(self, action) -> None:
        if self.team is None:
            self.statusBar().showMessage("Only a project on a server has a pool and assignment (team mode)", 8000)
        else:
            action(self.team)

    def mark_done_and_next(self) -> None:
        doc_id = self.workspace.doc_id
        if doc_id is None:
            return
        if self.edits.run(lambda: set_status(self.project, doc_id, self.annotator, "done"), self) is None:
            return
        self._saved("marked done")
        self.navigator.refresh_documents([doc_id])
        self.navigator.next_document()

    # -- changes from any window, undo and redo -------------------------------------------
    def _on_change(self, change, _initiator) -> None:
        if change.touches("documents", "translation_groups"):
            self.navigator.refresh()
        if change.layers:
            self._layer_changed({s.document_id for s in change.layers})

    def shows(self, doc_id: int) -> bool:
        return doc_id == self.workspace.doc_id

    def show_document(self, doc_id: int) -> None:
        """Put `doc_id` on screen (an undo is about to change it)."""
        self.navigator.select_document(doc_id)
        self.open_document(doc_id)
        self.show()
        self.raise_()

    # -- annotators --------------------------------------------------------------------
    def switch_annotator(self) -> None:
        with self.project.read() as conn:
            known = annotator_names(conn)
        name = AnnotatorDialog.ask(self, self.annotator, known)
        if name and name != self.annotator:
            self.set_annotator(name)

    def set_annotator(self, name: str) -> None:
        self.inspector.commit_pending()
        self.annotator = name
        self.settings.set("annotator", name)
        self.navigator.set_annotator(name)
        self.edits.clear()  # another layer: the previous layer's history no longer applies
        self.target_pick.cancel()
        self.workspace.set_annotator(name)
        if not self.suggestions.learn_from_all:  # they learn from this annotator's layer
            self.suggestions.retrain()
        self.frames.reload()
        self.relations.reload()
        self.entities.reload()
        self.annotation_list.reload()
        self.others.set_annotator(name)
        self._update_labels()
        self._update_counts()

    # -- feedback ------------------------------------------------------------------------
    def _palette_label(self, label: str) -> None:
        self.workspace.label(label)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_tab(self, panel: QWidget, target: QWidget) -> None:
        self.side_tabs.setCurrentWidget(panel)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _edit_attributes(self) -> None:
        if not self.attributes_panel.focus_list():
            self.statusBar().showMessage(self.attributes_panel.hint.text(), 5000)

    def _zoom(self, level: int) -> None:
        """The text's size, remembered for this project."""
        self.settings.set("zoom", self.view.set_zoom(level))

    def _focus_text(self) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _set_snapping(self, on: bool) -> None:
        """Snapping to whole words, remembered for this project."""
        self.workspace.snap_words = on
        self.settings.set("snap_words", on)

    def _show_suggestions(self, on: bool) -> None:
        """The suggestions toggle, remembered for this project."""
        self.suggestions.set_visible(on)
        self.settings.set("show_suggestions", on)

    def _learn_from_all(self, on: bool) -> None:
        """What the recommenders learn from, remembered for this project."""
        self.suggestions.set_learn_from_all(on)
        self.settings.set("suggestions_learn_from_all", on)

    def _ask_threshold(self) -> None:
        value, ok = QInputDialog.getInt(self, "Accept-all threshold",
                                        "Accept all accepts the suggestions scored at least (%):",
                                        round(self.suggestions.threshold * 100), 0, 100)
        if ok:
            self.suggestions.threshold = value / 100
            self.settings.set("suggestion_threshold", value / 100)
            self.statusBar().showMessage(f"Accept all: suggestions scored {value} % or more", 5000)

    def _move_edge(self, action_id: str) -> None:
        """start_left, end_right_word, ...: the action's id says which edge moves where."""
        edge, way, *word = action_id.split("_")
        self.workspace.move_edge(edge, way == "right", by_word=bool(word))

    def _label_all(self, corpus: bool) -> None:
        n = self.workspace.label_occurrences(whole_corpus=corpus)
        if n:
            self.statusBar().showMessage(f"Labelled {n} more occurrence{'s' if n != 1 else ''}", 5000)

    def _layer_changed(self, doc_ids) -> None:
        self._update_counts()
        # The list's span counts and statuses: once edits pause for 100 ms, so a burst of
        # keys costs one list update and the repaint of the text always comes first.
        self._changed_docs |= set(doc_ids)
        self._list_timer.start()

    def _refresh_changed_documents(self) -> None:
        docs, self._changed_docs = self._changed_docs, set()
        self.navigator.refresh_documents(docs)

    def _saved(self, what: str) -> None:
        self.saved_label.saved(what, self.project.path)

    def _failed(self, message: str) -> None:
        self.saved_label.failed(message)
        self.statusBar().showMessage(message, 10000)
        if self.workspace.selected:  # the inspector may show a change that did not happen
            self.workspace.select_span(self.workspace.selected)

    def _update_labels(self) -> None:
        self.annotator_label.setText(f"Annotator: {self.annotator}")

    def _update_counts(self) -> None:
        counts = dict(self.workspace.highlighter.counts)
        self.palette.set_counts(counts)
        self.count_label.setText(f"{sum(counts.values())} spans in this document")

    def set_theme(self, theme: str) -> None:
        apply_theme(theme)
        self.actions_by_name[f"theme_{theme}"].setChecked(True)

    def toggle_guidelines(self) -> None:
        """F9: show the guidelines (at the selected span's label) and go to them, or hide them."""
        if self.guidelines.isVisible() and self.guidelines.browser.hasFocus():
            self.guidelines.hide()
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        self.guidelines.show()
        self.guidelines.raise_()
        self._guidelines_follow()
        self.guidelines.browser.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _guidelines_follow(self) -> None:
        uid = self.workspace.selected
        mark = self.workspace.highlighter.mark(uid) if uid else None
        self.guidelines.show_label(mark.label if mark else None)

    def show_shortcuts(self) -> None:
        show_overview(self, MAIN, [(lab.name, lab.key) for lab in self.project.schema.labels])

    def dragEnterEvent(self, event) -> None:
        self.files.drag_enter(event)

    def dragMoveEvent(self, event) -> None:
        self.files.drag_enter(event)

    def dropEvent(self, event) -> None:
        self.files.drop(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.team is not None:
            self.team.stop()
        self.files.close_dialogs()
        self.inspector.commit_pending()
        self.suggestions.close()
        self.others.close_all()
        self.settings.set("geometry", self.saveGeometry())
        self.settings.set("splitter", self.splitter.saveState())
        self.settings.set("docks", self.saveState())
        super().closeEvent(event)



def side_tabs(*tabs: tuple[QWidget, str, str]) -> QTabWidget:
    """The side column's panels under short tab names, all four in sight at the column's
    narrowest (behind scroll arrows, two of them went unseen); each tab's tooltip names
    the panel in full with the key that opens it (from the action registry)."""
    widget = QTabWidget()
    widget.setUsesScrollButtons(False)
    widget.setElideMode(Qt.TextElideMode.ElideRight)  # narrower still: the names shorten, no tab hides
    for panel, name, action_id in tabs:
        action = MAIN[action_id]
        widget.setTabToolTip(widget.addTab(panel, name), f"{action.text.replace('&', '')} ({key_text(action.keys)})")
    return widget
