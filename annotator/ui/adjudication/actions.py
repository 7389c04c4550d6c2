"""The adjudication window's actions: one registry, name -> (menu, text, shortcuts), in the
style of main_window.ACTIONS, from which the menus are built and the lead's shortcut
overview can list them. N in a text is the annotator's pane number (1-9, top down)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from annotator.ui.widgets.plain import plain_mnemonic

# Shortcuts are strings or standard keys: a QKeySequence made before the QApplication
# exists crashes Qt.
ADJUDICATION_ACTIONS = {
    "next_disagreement": ("Go", "&Next disagreement", ["F8", "N"]),
    "previous_disagreement": ("Go", "&Previous disagreement", ["Shift+F8", "P"]),
    "next_document": ("Go", "Next &document", ["Alt+Down"]),
    "previous_document": ("Go", "Previous d&ocument", ["Alt+Up"]),
    "focus_list": ("Go", "The disagreement &list", ["Ctrl+L"]),
    "focus_gold": ("Go", "Back to the &gold text", ["Esc"]),
    "accept_version": ("Gold", "Accept annotator N's version", [f"Alt+{n}" for n in range(1, 10)]),
    "reject_versions": ("Gold", "&Reject every version (none in gold)", ["Alt+0"]),
    "accept_agreed": ("Gold", "Accept every &agreed span", ["Ctrl+G"]),
    "accept_layer": ("Gold", "Start gold from annotator N's whole layer", [f"Ctrl+{n}" for n in range(1, 10)]),
    "gold_done": ("Gold", "Mark the gold layer &done", ["Ctrl+Return"]),
    "undo": ("Edit", "&Undo", [QKeySequence.StandardKey.Undo]),
    "redo": ("Edit", "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"]),
    "delete_span": ("Edit", "&Delete the selected gold span", ["Del"]),
    "next_span": ("Edit", "Next gold span under the caret", ["Tab"]),
    "close": ("File", "&Close", [QKeySequence.StandardKey.Close]),
}
# Keys the gold view handles itself (listed in the overview, not bound as actions).
ADJUDICATION_VIEW_KEYS = {"delete_span", "next_span"}
# One action per key: the key's digit picks the annotator.
PER_ANNOTATOR = {"accept_version", "accept_layer"}


def make_actions(window: QMainWindow, slots: dict[str, Callable]) -> dict[str, list[QAction]]:
    """Menus and actions for every registry entry; per-annotator slots get the index."""
    menus = {m: window.menuBar().addMenu(f"&{m}") for m in ("File", "Edit", "Go", "Gold")}
    actions: dict[str, list[QAction]] = {}
    for name, (menu, text, keys) in ADJUDICATION_ACTIONS.items():
        groups = [[k] for k in keys] if name in PER_ANNOTATOR else [keys]
        actions[name] = []
        for n, group in enumerate(groups):
            action = QAction(text, window)
            slot = slots[name]
            run = (lambda slot=slot, n=n: slot(n)) if name in PER_ANNOTATOR else slot
            action.triggered.connect(lambda _checked=False, run=run: run())
            if name not in ADJUDICATION_VIEW_KEYS:
                action.setShortcuts([QKeySequence(k) for k in group])
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menus[menu].addAction(action)
            actions[name].append(action)
    return actions


def name_actions(actions: dict[str, list[QAction]], annotators: list[str]) -> None:
    """Per-annotator entries name the annotator; those beyond the document's are hidden."""
    for n, (accept, layer) in enumerate(zip(actions["accept_version"], actions["accept_layer"])):
        name = annotators[n] if n < len(annotators) else ""
        accept.setText(f"Accept {plain_mnemonic(name)}'s version")
        layer.setText(f"Start gold from {plain_mnemonic(name)}'s whole layer")
        for action in (accept, layer):
            action.setVisible(bool(name))
            action.setEnabled(bool(name))


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, text, keys) for a shortcut overview, as main_window.show_shortcuts lists them."""
    rows = []
    for _name, (menu, text, keys) in ADJUDICATION_ACTIONS.items():
        shown = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
        rows.append((f"Adjudication: {menu}", text.replace("&", ""),
                     f"{shown[0]} … {shown[-1]}" if len(shown) > 3 else " / ".join(shown)))
    return rows
