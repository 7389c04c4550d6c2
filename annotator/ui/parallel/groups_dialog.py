"""Suggested translation groups for the documents that have none (core.grouping), each
with its score and its documents; the user accepts or rejects them one by one.

Both are edits run by the project's edit runner (ui.edits). The list is derived from the
store whenever a change touches groups: an accepted group's documents are no longer
unassigned, so it drops out, and comes back when the acceptance is undone. Rejections are
this dialog's own memory, undoable too (a change that only dismisses suggestions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.grouping import GroupSuggestion, suggest_groups
from annotator.core.ids import new_id
from annotator.store.changes import Change
from annotator.store.parallel import documents_for_grouping, set_group
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.ui.edits import Edits
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label
from annotator.ui.widgets.screen_fit import resize_to_fit


class GroupsDialog(QDialog):
    def __init__(self, project: Project, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.edits = project, edits
        self.setWindowTitle("Suggested translation groups")
        resize_to_fit(self, 720, 460)
        self.rejected: set[tuple[str, ...]] = set()
        self.suggestions: list[GroupSuggestion] = []
        self.heading = plain_label()
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Documents", "Language", "Score"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self.tree.setColumnWidth(0, 520)
        self.status = plain_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.accept_button = QPushButton("&Accept group")
        self.reject_button = QPushButton("&Reject")
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reject_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.accept_button.setAutoDefault(False)
        self.reject_button.setAutoDefault(False)
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button.clicked.connect(self.reject_current)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # Return accepts the selected group, Del rejects it: no mouse needed.
        self.tree.itemActivated.connect(lambda *_: self.accept_current())
        QShortcut(QKeySequence("Del"), self.tree, self.reject_current)
        QShortcut(QKeySequence.StandardKey.Undo, self, lambda: edits.undo(self))
        QShortcut(QKeySequence("Ctrl+Shift+Z"), self, lambda: edits.redo(self))
        QShortcut(QKeySequence("Ctrl+Y"), self, lambda: edits.redo(self))
        edits.changed.connect(self._on_change)
        edits.failed.connect(lambda message, by: by is self and self.status.setText(f"✗ {message}"))
        self.refresh()

    # -- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.project.read() as conn:
            rows = {r.uid: r for r in list_documents(conn)}
            # Only documents without a group: a grouped one has its translations already.
            docs = [d for d in documents_for_grouping(conn) if rows[d[0]].group is None]
        self.rows = rows
        keep = self.current()
        self.suggestions = [g for g in suggest_groups(docs) if g.documents not in self.rejected]
        self.tree.clear()
        for g in self.suggestions:
            langs = " · ".join(rows[d].lang for d in g.documents if d in rows)
            item = QTreeWidgetItem([f"{len(g.documents)} documents: {langs}", "", f"{g.score:.2f}"])
            item.setToolTip(2, "How much the documents share numbers, dates and names, weighted by rarity (0-1)")
            for d in g.documents:
                row = rows.get(d)
                QTreeWidgetItem(item, [f"{row.title or d}  ({d})" if row else d, row.lang if row else "", ""])
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        again = next((i for i, g in enumerate(self.suggestions) if keep and g.documents == keep.documents), 0)
        if self.suggestions:
            self.tree.setCurrentItem(self.tree.topLevelItem(min(again, len(self.suggestions) - 1)))
        n, free = len(self.suggestions), len(docs)
        self.heading.setText(f"{n} suggested group{'s' if n != 1 else ''} among the {free} documents without a "
                             "group. Return or Accept makes the selected one a translation group; Del or Reject "
                             "drops the suggestion. Ctrl+Z undoes either." if n else
                             f"No group to suggest among the {free} documents without a group.")
        self.accept_button.setEnabled(bool(n))
        self.reject_button.setEnabled(bool(n))

    def current(self) -> GroupSuggestion | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        i = self.tree.indexOfTopLevelItem(item) if item is not None else -1
        return self.suggestions[i] if 0 <= i < len(self.suggestions) else None

    def _on_change(self, change, _initiator) -> None:
        keys = {k[1] for k in change.dismissed if k[0] == "group"}
        (self.rejected.update if change.forward else self.rejected.difference_update)(keys)
        if (keys or change.touches("translation_groups", "documents")) and self.isVisible():
            self.refresh()

    # -- decisions --------------------------------------------------------------------------------
    def accept_current(self) -> None:
        g = self.current()
        if g is None:
            return
        ids = [self.rows[d].id for d in g.documents]
        if self.edits.run(lambda: set_group(self.project, ids, new_id("g")), self):
            self.status.setText(f"✓ Saved: {len(ids)} documents are now one translation group")

    def reject_current(self) -> None:
        g = self.current()
        if g is None:
            return
        self.edits.run(lambda: Change("reject a group suggestion", dismissed=frozenset({("group", g.documents)})), self)
        self.status.setText("Suggestion rejected")

    def keyPressEvent(self, event) -> None:
        # Return belongs to the list (accept), not to a default button that would close.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            return
        super().keyPressEvent(event)
