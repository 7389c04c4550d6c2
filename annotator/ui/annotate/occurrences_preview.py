"""The preview of "Label every occurrence": every match with its context, per document,
each with a checkbox. Enter labels the ticked ones (one undoable step, run by the
workspace); Esc closes with nothing written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.store.spans import SpanData
from annotator.ui.widgets import fonts
from annotator.ui.widgets.plain import plain_label

CONTEXT = 40  # characters shown either side of a match


@dataclass(frozen=True)
class Occurrence:
    span: SpanData
    document: str  # how the list names its document
    context: str  # the match in «» with its surroundings, on one line


def context_of(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    left, right = text[max(0, start - width):start], text[end:end + width]
    one_line = " ".join  # line breaks would split a row of the list
    return (("…" if start > width else "") + one_line(left.split()) + (" " if left[-1:].isspace() else "")
            + f"«{text[start:end]}»" + (" " if right[:1].isspace() else "") + one_line(right.split())
            + ("…" if end + width < len(text) else ""))


class OccurrencesPreview(QDialog):
    def __init__(self, needle: str, label: str, found: list[Occurrence], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Label every occurrence as {label}")
        self._found = found
        per_doc = Counter(o.document for o in found)  # in order of first occurrence
        head = plain_label(f"{len(found)} unlabelled occurrence{'s' if len(found) != 1 else ''} of “{needle}” in "
                           f"{len(per_doc)} document{'s' if len(per_doc) != 1 else ''}. Untick those that are not {label} "
                           "(Space), then Enter labels the ticked ones in one step (Ctrl+Z undoes it); Esc cancels.")
        head.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Occurrence in its context"])
        self.tree.setFont(fonts.with_fallbacks(self.tree.font()))
        self._items: list[QTreeWidgetItem] = []
        parents: dict[str, QTreeWidgetItem] = {}
        for doc, n in per_doc.items():
            parents[doc] = QTreeWidgetItem(self.tree, [f"{doc} ({n})"])
            parents[doc].setFlags(parents[doc].flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable)
        for occ in found:
            item = QTreeWidgetItem(parents[occ.document], [occ.context])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            self._items.append(item)
        self.tree.expandAll()
        self.tree.setCurrentItem(self._items[0] if self._items else None)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tree.itemChanged.connect(self._count)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 480)
        self._count()

    def _count(self) -> None:
        n = len(self.chosen())
        self.ok.setText(f"Label {n}")
        self.ok.setEnabled(n > 0)

    def chosen(self) -> list[SpanData]:
        return [o.span for o, item in zip(self._found, self._items) if item.checkState(0) == Qt.CheckState.Checked]
