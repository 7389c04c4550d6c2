"""The one action registry: every window's actions, their menus, texts and shortcuts.

Each window (an `Area`) builds its menus and shortcuts from its specs with `build`, given a
handler per action id, and its F1 overview from `overview_rows`, which lists every area's
actions, so no key is declared twice and the overview never misses one. The single letters
the document view takes for commands come from core's key table (core.command_keys), which
schema validation reads too.

Shortcuts are strings or standard keys: a QKeySequence made before the QApplication exists
crashes Qt, so they become QKeySequences only when a window is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from annotator.core.command_keys import keys_of
from annotator.ui.widgets.shortcuts_dialog import Row, ShortcutsDialog

Key = str | QKeySequence.StandardKey
UNDO, CLOSE, FIND = QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Close, QKeySequence.StandardKey.Find
# Written out: Qt's standard Quit, New and Open are empty or carry extra keys on some
# desktops (no Ctrl+Q without a desktop theme), and these three are the ones users know.
QUIT = "Ctrl+Q"


@dataclass(frozen=True)
class Action:
    id: str
    menu: str
    text: str  # with its & mnemonic
    keys: tuple[Key, ...] = ()
    in_view: bool = False  # the document view handles the keys: listed and in the menu, not bound here
    per_key: bool = False  # one menu entry per key; its handler gets the key's index (0 for the first)
    checkable: bool = False  # an option: its handler gets the new state (True when ticked)
    # Bound to the document text only (build's `text`): the keys edit in a text field
    # (Ctrl+Backspace deletes a word in the search box, not a suggestion).
    in_text: bool = False


@dataclass(frozen=True)
class Area:
    """One window's actions, in menu order."""
    title: str  # names the area in another window's overview
    menus: tuple[str, ...]
    actions: tuple[Action, ...]
    # Alt+letters a panel's labels take for their fields (Qt binds them, the registry does
    # not): listed in the F1 overview, (panel, field, key).
    fields: tuple[tuple[str, str, str], ...] = ()

    def __getitem__(self, action_id: str) -> Action:
        return next(a for a in self.actions if a.id == action_id)


def _command(action_id: str, text: str) -> Action:
    """An action the document view runs on a single letter of core's key table."""
    return Action(action_id, "Edit", text, keys_of(action_id), in_view=True)


# The File menu's project actions, in the main window and in the start window (no project).
_PROJECT_FILES = (
    Action("new_project", "File", "&New project…", ("Ctrl+N",)),
    Action("open_project", "File", "&Open project…", ("Ctrl+O",)),
    Action("open_recent", "File", "Open &recent…", ("Ctrl+Shift+O",)),
)

# Boundary editing: the selected span's start (Alt+arrow) or end (Alt+Shift+arrow) moves by a
# grapheme cluster, with Ctrl by a word; the span keeps its id, value, note and arguments.
BOUNDARY = tuple(
    Action(f"{edge}_{way}{'_word' if word else ''}", "Edit",
           f"Move the span's {edge} {way} by a {'word' if word else 'character'}",
           (f"{'Ctrl+' if word else ''}Alt+{'Shift+' if edge == 'end' else ''}{way.title()}",))
    for edge in ("start", "end") for word in (False, True) for way in ("left", "right"))

# Ghost spans (the recommenders' suggestions, ui/annotate/suggestions.py). A label key with
# the caret on one and nothing selected accepts it as that label.
SUGGESTIONS = (
    Action("suggestion_accept", "Suggestions", "&Accept the suggestion at the caret (a label key: accept it as "
           "that label)", ("Return",), in_view=True),
    Action("suggestion_reject", "Suggestions", "&Reject the suggestion at the caret (not suggested again)",
           ("Ctrl+Backspace",), in_text=True),
    Action("suggestion_next", "Suggestions", "&Next suggestion", ("F8",)),
    Action("suggestion_previous", "Suggestions", "&Previous suggestion", ("Shift+F8",)),
    Action("suggestion_accept_all", "Suggestions", "Accept all suggestions above the &threshold in this document",
           ("Ctrl+Shift+Return",), in_text=True),
    Action("suggestion_threshold", "Suggestions", "Set the accept-all thre&shold…"),
    Action("uncertain_sentence", "Suggestions", "Next sentence the recommenders are least &sure of", ("Ctrl+F8",)),
    Action("retrain", "Suggestions", "Retrain the recommenders &now"),
    Action("suggestions_shown", "Suggestions", "S&how suggestions", ("Ctrl+Shift+H",), checkable=True),
    Action("suggestions_learn_from_all", "Suggestions", "&Learn from every annotator's layer (off: yours and gold)",
           checkable=True),
)

MAIN = Area("Main window", ("File", "Edit", "View", "Suggestions", "Go", "Help"), (
    Action("undo", "Edit", "&Undo", (UNDO,)),
    Action("redo", "Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Action("retry_edit", "Edit", "Make my refused edit &again (after a version conflict)", ("Ctrl+Shift+Y",)),
    Action("delete_span", "Edit", "&Delete span", ("Del",), in_view=True),
    Action("label_all_doc", "Edit", "Label every occurrence in this &document", ("Ctrl+E",)),
    Action("label_all_corpus", "Edit", "Label every occurrence in the &corpus", ("Ctrl+Shift+E",)),
    Action("pick_label", "Edit", "&Label with… (any label: type to filter)", ("Ctrl+L",)),
    _command("new_event", "New &event from the selection (its trigger)"),
    _command("new_claim", "New &claim from the selection, or accept the suggested claim"),
    _command("attach", "&Attach the selected span to the current event or claim"),
    _command("next_suggestion", "Next claim suggestion"),
    _command("previous_suggestion", "Previous claim suggestion"),
    Action("relate", "Edit", "&Relate the selected span to another (its type, then Tab to the other, Enter)",
           ("Ctrl+R",)),
    _command("same_entity", "Same entit&y as another span (Tab to it, Enter)"),
    Action("entity_translations", "Edit", "Put the span's linked &translations in its entity", ("Ctrl+Shift+T",)),
    Action("kb_id", "Edit", "&Knowledge-base id of the span's entity…", ("Ctrl+K",)),
    Action("next_span", "Edit", "Next span under the caret", ("Tab",), in_view=True),
    Action("previous_span", "Edit", "Previous span under the caret", ("Shift+Tab",), in_view=True),
    *BOUNDARY,
    Action("add_fragment", "Edit", "Add the selected text to the selected span as a frag&ment (discontinuous span)",
           ("Ctrl+Shift+D",)),
    Action("edit_attributes", "Edit", "A&ttributes of the selected span, event, claim or argument", ("F4",)),
    Action("document_labels", "Edit", "Document la&bels (topic, genre, publication date)", ("Shift+F4",)),
    *SUGGESTIONS,
    Action("find_in_document", "Edit", "&Find in the document…", (FIND,)),
    Action("find_next", "Edit", "Find ne&xt (select the match)", ("F3",)),
    Action("find_previous", "Edit", "Find pre&vious", ("Shift+F3",)),
    Action("snap_words", "View", "&Snap a dragged selection to whole words", checkable=True),
    Action("zoom_in", "View", "Zoom &in", ("Ctrl++", "Ctrl+=")),
    Action("zoom_out", "View", "Zoom &out", ("Ctrl+-",)),
    Action("zoom_reset", "View", "&Normal size", ("Ctrl+0",)),
    Action("theme_system", "View", "Theme: follow the &system"),
    Action("theme_light", "View", "Theme: &light"),
    Action("theme_dark", "View", "Theme: &dark"),
    Action("next_document", "Go", "&Next document", ("Alt+Down",)),
    Action("previous_document", "Go", "&Previous document", ("Alt+Up",)),
    Action("done_and_next", "Go", "Mark &done and go to the next", ("Ctrl+Return",)),
    Action("take_next", "Go", "&Take the next document from the pool (team)", ("Ctrl+Alt+N",)),
    Action("find", "Go", "&Search the corpus", ("Ctrl+Shift+F",)),
    Action("focus_text", "Go", "Back to the &text (closes the find bar)", ("Esc",)),
    Action("focus_frames", "Go", "Events and claims &panel", ("F6",)),
    Action("focus_annotations", "Go", "Annotation &list (spans, events, claims)", ("F7",)),
    Action("focus_relations", "Go", "&Relations and entities panel", ("F10",)),
    Action("side_by_side", "Go", "Side by side with its &translations", ("Ctrl+T",)),
    Action("adjudicate", "Go", "&Adjudicate this document", ("Ctrl+J",)),
    Action("statistics", "Go", "&Statistics", ("Ctrl+Shift+S",)),
    Action("suggest_groups", "Edit", "Suggest translation &groups…", ("Ctrl+G",)),
    *_PROJECT_FILES,
    Action("import_documents", "File", "&Import documents…", ("Ctrl+I",)),
    Action("import_kb", "File", "Import a &knowledge-base table…"),
    Action("export", "File", "&Export…", ("Ctrl+Shift+X",)),
    Action("close_project", "File", "&Close project", ("Ctrl+Shift+W",)),
    Action("switch_annotator", "File", "Switch &annotator…", ("Ctrl+Shift+A",)),
    Action("assign_documents", "File", "Assign &documents to annotators… (team)"),
    Action("quit", "File", "&Quit", (QUIT,)),
    Action("shortcuts", "Help", "&Keyboard shortcuts", ("F1", "?")),
    Action("guidelines", "Help", "&Guidelines (show or hide the panel)", ("F9",)),
    Action("tour", "Help", "&Tour of the window (five steps)"),
), fields=(
    ("Span inspector", "its label", "Alt+L"),
    ("Span inspector", "its normalised value", "Alt+U"),
    ("Span inspector", "its note", "Alt+O"),
    ("Span inspector", "its fragments (Del removes the current one)", "Alt+R"),
))

# The window shown while no project is open.
START = Area("No project open", ("File", "Help"), (
    *_PROJECT_FILES,
    Action("quit", "File", "&Quit", (QUIT,)),
    Action("shortcuts", "Help", "&Keyboard shortcuts", ("F1",)),
))

SIDE_BY_SIDE = Area("Side by side", ("File", "Edit", "Alignment", "Suggestions", "Go", "Help"), (
    Action("undo", "Edit", "&Undo", (UNDO,)),
    Action("redo", "Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Action("delete_span", "Edit", "&Delete span", ("Del",), in_view=True),
    Action("next_span", "Edit", "Next span under the caret", ("Tab",), in_view=True),
    Action("previous_span", "Edit", "Previous span under the caret", ("Shift+Tab",), in_view=True),
    Action("link", "Edit", "&Link the selected span to its counterpart…", ("Ctrl+L",)),
    Action("pick", "Edit", "Take the selected span as the counterpart (while linking)", ("Return", "Enter")),
    Action("cancel", "Edit", "Stop linking, or stop aligning", ("Esc",)),
    Action("unlink", "Edit", "U&nlink the selected span", ("Ctrl+Shift+L",)),
    Action("merge_next", "Alignment", "&Merge the block with the next", ("Ctrl+M",)),
    Action("merge_previous", "Alignment", "Merge the block with the &previous", ("Ctrl+Shift+M",)),
    Action("split", "Alignment", "&Split the block after the sentence at the caret", ("Ctrl+B",)),
    Action("untranslated", "Alignment", "Mark the sentence at the caret &untranslated", ("Ctrl+U",)),
    Action("cross", "Alignment", "Mark the sentences at the two carets as each other's translation, out of "
           "order (a &crossing link; again: remove it)", ("Ctrl+Shift+X",)),
    Action("keep", "Alignment", "&Keep the suggested alignment as it is", ("Ctrl+K",)),
    Action("align_again", "Alignment", "Suggest the alignment &again (pairs not stored)", ("F5",)),
    Action("next_block", "Go", "&Next block", ("Alt+Down",)),
    Action("previous_block", "Go", "&Previous block", ("Alt+Up",)),
    Action("next_pane", "Go", "Next p&ane", ("F6",)),
    Action("previous_pane", "Go", "Previous pane", ("Shift+F6",)),
    Action("disagreements", "Go", "&Disagreements", ("Ctrl+D",)),
    Action("project", "Suggestions", "&Project this pane's spans into the others", ("Ctrl+P",)),
    Action("next_suggestion", "Suggestions", "&Next suggestion", ("F8",)),
    Action("previous_suggestion", "Suggestions", "&Previous suggestion", ("Shift+F8",)),
    Action("accept", "Suggestions", "&Accept the suggestion", ("Ctrl+Return",)),
    Action("reject", "Suggestions", "&Reject the suggestion", ("Ctrl+Backspace",)),
    Action("accept_all", "Suggestions", "Accept a&ll suggestions", ("Ctrl+Shift+Return",)),
    Action("reject_all", "Suggestions", "Reject all suggestions", ("Ctrl+Shift+Backspace",)),
    Action("close", "File", "&Close", (CLOSE,)),
    Action("shortcuts", "Help", "&Keyboard shortcuts", ("F1",)),
))

# N in a text is the annotator's pane number (1-9, top down); the window names them.
ADJUDICATION = Area("Adjudication", ("File", "Edit", "Go", "Gold", "Help"), (
    Action("next_disagreement", "Go", "&Next disagreement", ("F8", "N")),
    Action("previous_disagreement", "Go", "&Previous disagreement", ("Shift+F8", "P")),
    Action("next_document", "Go", "Next &document", ("Alt+Down",)),
    Action("previous_document", "Go", "Previous d&ocument", ("Alt+Up",)),
    Action("focus_list", "Go", "The disagreement &list", ("Ctrl+L",)),
    Action("focus_depth_list", "Go", "The list of a&ttributes, relations and clusters", ("Ctrl+Shift+L",)),
    Action("focus_gold", "Go", "Back to the &gold text", ("Esc",)),
    Action("accept_version", "Gold", "Accept annotator N's version", tuple(f"Alt+{n}" for n in range(1, 10)),
           per_key=True),
    Action("reject_versions", "Gold", "&Reject every version (none in gold)", ("Alt+0",)),
    Action("accept_agreed", "Gold", "Accept every &agreed span", ("Ctrl+G",)),
    Action("accept_layer", "Gold", "Start gold from annotator N's whole layer",
           tuple(f"Ctrl+{n}" for n in range(1, 10)), per_key=True),
    Action("gold_done", "Gold", "Mark the gold layer &done", ("Ctrl+Return",)),
    Action("undo", "Edit", "&Undo", (UNDO,)),
    Action("redo", "Edit", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Action("delete_span", "Edit", "&Delete the selected gold span", ("Del",), in_view=True),
    Action("next_span", "Edit", "Next gold span under the caret", ("Tab",), in_view=True),
    Action("close", "File", "&Close", (CLOSE,)),
    Action("shortcuts", "Help", "&Keyboard shortcuts", ("F1",)),
))

AREAS = (MAIN, SIDE_BY_SIDE, ADJUDICATION, START)
# Bound by the edit runner (Edits.bind), not by a handler.
EDIT_RUNNER = frozenset({"undo", "redo"})


class ActionTable(dict[str, QAction]):
    """Action id -> its QAction (a per-key action's first); `group` gives all of one id."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, list[QAction]] = {}

    def group(self, action_id: str) -> list[QAction]:
        return self.groups[action_id]


def build(window: QMainWindow, area: Area, handlers: Mapping[str, Callable[..., object]],
          wrap: Callable[[Callable[[], object]], Callable[[], object]] = lambda run: run,
          text: QWidget | None = None) -> ActionTable:
    """The window's menus and actions from `area`; each runs handlers[id] through `wrap`
    (a per-key one with its key's index); the keys of an `in_text` action work in the
    widget `text` only. Every action but undo and redo needs a handler, and every handler
    an action: a mismatch is a programming error, found at once."""
    expected = {a.id for a in area.actions} - EDIT_RUNNER
    if set(handlers) != expected:
        raise ValueError(f"{area.title}: handlers missing for {sorted(expected - set(handlers))}, "
                         f"unknown {sorted(set(handlers) - expected)}")
    refuse_clashes(area)
    menus = {menu: window.menuBar().addMenu(f"&{menu}") for menu in area.menus}
    table = ActionTable()
    for spec in area.actions:
        groups: list[tuple[Key, ...]] = [(k,) for k in spec.keys] if spec.per_key else [spec.keys]
        table.groups[spec.id] = []
        for n, keys in enumerate(groups):
            # Keys the view handles show in the menu all the same (after a tab: the shortcut column).
            action = QAction(spec.text + ("\t" + key_text(keys) if spec.in_view else ""), window)
            action.setCheckable(spec.checkable)
            if spec.id in handlers:
                slot = handlers[spec.id]
                if spec.checkable:
                    action.toggled.connect(slot)
                else:
                    run = wrap((lambda slot=slot, n=n: slot(n)) if spec.per_key else slot)
                    action.triggered.connect(lambda _checked=False, run=run: run())
            if not spec.in_view:
                action.setShortcuts([QKeySequence(k) for k in keys])
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if spec.in_text:
                if text is None:
                    raise ValueError(f"{area.title}: {spec.id} is bound to the text, and no text widget was given")
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                text.addAction(action)
            menus[spec.menu].addAction(action)
            table.groups[spec.id].append(action)
        table[spec.id] = table.groups[spec.id][0]
    return table


def key_names(key: Key) -> list[str]:
    """A key as Qt writes it; a standard key as every sequence it stands for here."""
    if isinstance(key, QKeySequence.StandardKey):
        return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in QKeySequence.keyBindings(key)]
    return [QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)]


def refuse_clashes(area: Area) -> None:
    """No key may run two actions of one window: Qt would run neither ("ambiguous
    shortcut") and say nothing. A programming error, found when the window is built."""
    owner: dict[str, str] = {}
    for spec in area.actions:
        for key in spec.keys:
            for name in key_names(key):
                if owner.setdefault(name, spec.id) != spec.id:
                    raise ValueError(f"{area.title}: {name} is the key of both {owner[name]!r} and {spec.id!r}")
    for panel, field, key in area.fields:
        for name in key_names(key):
            if name in owner:
                raise ValueError(f"{area.title}: {name} is the key of both {owner[name]!r} and {panel}'s {field}")
            owner[name] = f"{panel}'s {field}"


def key_text(keys: Iterable[Key]) -> str:
    """Keys as the user reads them; a long run (Alt+1 … Alt+9) by its ends."""
    shown = [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
    return f"{shown[0]} … {shown[-1]}" if len(shown) > 3 else " / ".join(shown)


def overview_rows(area: Area, labels: Iterable[tuple[str, str]]) -> list[Row]:
    """The F1 overview of a window of `area`: its actions under their menus, the label
    keys (name, key), then every other area's actions under "<area>: <menu>"."""
    rows = [(a.menu, a.text, key_text(a.keys)) for a in area.actions]
    rows += [(panel, f"Go to {field}", key) for panel, field, key in area.fields]
    # A label without a key is chosen by name ("Label with…", pick_label).
    picker = key_text(next((a.keys for a in area.actions if a.id == "pick_label"), ()))
    rows += [("Labels", name, key or (f"{picker}, then its name" if picker else "click it in the palette"))
             for name, key in labels]
    for other in AREAS:
        if other is not area:
            rows += [(f"{other.title}: {a.menu}", a.text, key_text(a.keys)) for a in other.actions]
    return rows


def show_overview(window: QMainWindow, area: Area, labels: Iterable[tuple[str, str]]) -> None:
    ShortcutsDialog(overview_rows(area, labels), window).exec()
