"""Events and claims in the workspace: creating them by key, attaching arguments, showing
the selected one in the text, and the claim suggestions.

The flow is the one for spans: select text, press a key. E makes an event of the
selection (its trigger) and asks for the type; C makes a claim of the selection, or
accepts the claim suggestion at the caret (its extent and its claimant, one undo step);
A attaches the selected span to the current event or claim in a role that takes its
label. Every change is a store operation run by the edit runner (ui.edits); this panel
reloads from any change of its document's events, claims or arguments.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.claim_cues import ClaimSuggestion, claim_extents, open_suggestions, with_claimant
from annotator.core.command_keys import COMMAND_KEYS
from annotator.core.records import ArgumentRecord
from annotator.store import events as ops
from annotator.store.attributes import frame_attribute_names
from annotator.store.events import Frame
from annotator.store.queries import list_documents
from annotator.ui.annotate.frames_panel import FramesPanel
from annotator.ui.annotate.workspace import Workspace
from annotator.ui.document.long_paragraphs import LONGEST_WHOLE
from annotator.ui.document.view import Box
from annotator.ui.widgets.choice_popup import Choice, ChoicePopup

TRIGGER, ARGUMENT, SUGGESTION, CLAIM = "#b3261e", "#1f5fbf", "#7a7a7a", "#6a3d9a"
CURRENT_SUGGESTION = "#8a5a00"  # the suggestion Q went to: dark amber, apart from grey and purple
# Claim cues are found by regular expressions over the whole text when it opens (about
# 0.2 s a million characters), and each looks over its paragraph: beyond this size, or with
# a paragraph too long to show whole (long_paragraphs), the window would stall for
# minutes, so none are suggested.
MAX_SUGGESTED_TEXT = 2_000_000


class FrameController(QObject):
    changed = Signal()

    def __init__(self, workspace: Workspace, panel: FramesPanel) -> None:
        super().__init__(panel)
        self.ws, self.panel, self.view = workspace, panel, workspace.view
        self.frames: list[Frame] = []
        self.suggestions: list[ClaimSuggestion] = []
        self._attribute_names: dict[tuple[str, str], set[str]] = {}  # set on each frame, for the reminders
        self._extents: tuple[int | None, list[ClaimSuggestion]] = (None, [])  # per document: text only
        self.current: tuple | None = None  # (kind, uid, role, span) of the panel's current row
        self.current_suggestion: ClaimSuggestion | None = None  # the one Q / Shift+Q went to
        # core's key table: schema validation keeps its letters from labels.
        self.view.set_command_keys({k.letter: k.action for k in COMMAND_KEYS})
        self.view.commandKey.connect(self.command)
        self.view.clicked.connect(self._clicked)
        panel.rowSelected.connect(self._row_selected)
        panel.deleteRequested.connect(self.delete_row)
        panel.editRequested.connect(self.edit_row)
        workspace.edits.changed.connect(self._on_change)

    def _on_change(self, change, _initiator) -> None:
        # A span edit matters here only if an argument may show or lose it: with no event
        # or claim in the document, labelling stays as fast as without this panel.
        if self.ws.doc_id not in change.documents:
            return
        if change.touches("events", "claims", "event_arguments", "claim_arguments") or (
                self.frames and change.touches("spans", "attribute_values")):
            self.reload()

    # -- reading and showing ---------------------------------------------------------------
    def reload(self) -> None:
        ws = self.ws
        if ws.doc_id is None:
            self.frames, self.suggestions = [], []
        else:
            with ws.project.read() as conn:
                self.frames = (ops.layer_frames(conn, "event", ws.doc_id, ws.annotator)
                               + ops.layer_frames(conn, "claim", ws.doc_id, ws.annotator))
                self._attribute_names = frame_attribute_names(conn, ws.doc_id, ws.annotator) if self.frames else {}
            self.frames.sort(key=lambda f: (f.start, f.end, f.kind))
            if self._extents[0] != ws.doc_id:
                self._extents = (ws.doc_id, claim_extents(ws.text, self._lang()) if self._suggesting() else [])
            claims = [(f.start, f.end) for f in self.frames if f.kind == "claim"]
            self.suggestions = open_suggestions(self._extents[1], claims)
        uids = {f.uid for f in self.frames}
        if self.current is not None and self.current[1] not in uids:
            self.current = None
        self.panel.show_frames([self._row(f) for f in self.frames], self.current, self._describe)
        self._paint()
        self.changed.emit()

    def _suggesting(self) -> bool:
        return len(self.ws.text) <= MAX_SUGGESTED_TEXT and not self.view.long_paragraphs

    def _lang(self) -> str:
        with self.ws.project.read() as conn:
            rows = list_documents(conn, doc_ids=[self.ws.doc_id])
        return rows[0].lang if rows else ""

    def _row(self, f: Frame):
        text = self.ws.text
        args = [((f.kind, f.uid, a.role, a.span), a.role, self._span_text(a.span), False) for a in f.arguments]
        filled = {a.role for a in f.arguments}
        args += [(None, r.name, "—", True) for r in ops.allowed_roles(self.ws.project, f.kind, f.type)
                 if r.name not in filled]
        # Required attributes not set yet, reminded like roles not filled (F4 edits them).
        have = self._attribute_names.get((f.kind, f.uid), set())
        args += [(None, a.name, "— required attribute, not set (F4)", True)
                 for a in self.ws.project.schema.attributes_for(f.kind, f.type) if a.required and a.name not in have]
        snippet = text[f.start:f.end]
        if f.kind == "event":
            return (f.kind, f.uid, None, None), f.type, snippet, args
        return (f.kind, f.uid, None, None), "CLAIM", f"“{snippet[:80]}{'…' if len(snippet) > 80 else ''}”", args

    def _describe(self, row: tuple, role: str | None) -> str:
        """The schema's definition of a frame's type (role None) or of one of its roles."""
        kind, uid = row[0], row[1]
        frame = next((f for f in self.frames if f.uid == uid), None)
        if frame is None:
            return ""
        if role is None:
            et = self.ws.project.schema.event_type(frame.type or "") if kind == "event" else None
            return et.description if et else ""
        found = next((r for r in ops.allowed_roles(self.ws.project, kind, frame.type) if r.name == role), None)
        if found is None:  # a required attribute's reminder row: its guidance
            attr = self.ws.project.schema.attribute(role)
            return attr.guidance if attr else ""
        return found.description

    def _span_text(self, uid: str) -> str:
        mark = self.ws.highlighter.mark(uid)
        return f"{self.ws.text[mark.start:mark.end]} ({mark.label})" if mark else uid

    def _paint(self) -> None:
        """Triggers and accepted claims always boxed thinly in solid lines; the current one
        and its arguments boldly, with role tags; suggestions dashed grey, the one Q went
        to boldly dashed with a tag saying which of how many it is."""
        d = self.ws.omap.to_display
        base = [Box(d(f.start), d(f.end), TRIGGER if f.kind == "event" else CLAIM, width=1.5) for f in self.frames]
        self.view.set_boxes("frames", base)
        frame = self.current_frame()
        focus = []
        if frame is not None:
            # First, so that its type tag sits right above it; a role tag that would cover
            # it moves along.
            focus.append(Box(d(frame.start), d(frame.end), TRIGGER if frame.kind == "event" else CLAIM,
                             tag=frame.type or "CLAIM", width=2.5))
            for a in frame.arguments:
                mark = self.ws.highlighter.mark(a.span)
                if mark is not None:
                    focus.append(Box(d(mark.start), d(mark.end), ARGUMENT, tag=a.role, width=2.5))
        self.view.set_boxes("current", focus)
        if self.current_suggestion not in self.suggestions:
            self.current_suggestion = None
        self.view.set_boxes("suggestions", [Box(d(s.start), d(s.end), SUGGESTION, dashed=True, width=1.5)
                                            for s in self.suggestions if s != self.current_suggestion])
        current = []
        if (s := self.current_suggestion) is not None:
            n = self.suggestions.index(s) + 1
            current = [Box(d(s.start), d(s.end), CURRENT_SUGGESTION, dashed=True, width=2.5,
                           tag=f"suggested claim {n}/{len(self.suggestions)} · C accepts")]
        self.view.set_boxes("current_suggestion", current)

    def current_frame(self) -> Frame | None:
        if self.current is None:
            return None
        return next((f for f in self.frames if f.uid == self.current[1]), None)

    def select(self, row: tuple | None) -> None:
        self.current = row
        self.panel.select_row(row)
        self._paint()

    def _row_selected(self, row: tuple | None) -> None:
        if row is None:
            return
        self.current = row
        self._paint()
        frame = self.current_frame()
        if frame is not None:  # bring it into view without taking the keyboard from the panel
            target = frame.start
            if row[3] is not None and (mark := self.ws.highlighter.mark(row[3])) is not None:
                target = mark.start
            cursor = self.view.textCursor()
            cursor.setPosition(self.view.clamp(self.ws.omap.to_display(target)))
            self.view.setTextCursor(cursor)
            self.view.ensureCursorVisible()

    def _clicked(self, pos: int) -> None:
        """A click on a trigger or claimed text (outside any span) makes it current."""
        if self.ws.selected is not None:
            return
        cp = self.ws.omap.from_display(pos)
        hit = [f for f in self.frames if f.start <= cp < f.end]
        if hit:
            f = min(hit, key=lambda f: f.end - f.start)
            self.select((f.kind, f.uid, None, None))

    # -- commands --------------------------------------------------------------------------
    def command(self, name: str) -> None:
        if self.ws.doc_id is None:
            return
        handler = {"new_event": self.new_event, "new_claim": self.new_claim, "attach": self.attach,
                   "next_suggestion": lambda: self.jump_suggestion(True),
                   "previous_suggestion": lambda: self.jump_suggestion(False)}.get(name)
        if handler is not None:  # the other letters are the entity clusters' (annotate/entities.py)
            handler()

    def new_event(self) -> None:
        rng = self.ws.selection_range()
        if rng is None:
            self.ws.info.emit("Select the trigger word (e.g. “met”), then press E")
            return
        schema = self.ws.project.schema
        choices = [Choice(et.name, et.key, ", ".join(r.name for r in et.roles), description=et.description)
                   for et in schema.event_types]
        kind = ChoicePopup.ask("Event type", choices, self.view)
        if kind is None:
            return
        self._create(Frame("event", "", self.ws.doc_id, self.ws.annotator, kind, *rng), f"Add {kind} event")

    def new_claim(self) -> None:
        rng = self.ws.selection_range()
        args: tuple[ArgumentRecord, ...] = ()
        what = "Add claim"
        if rng is None:
            s = self.suggestion_at(self.ws.omap.from_display(self.view.textCursor().position()))
            if s is None:
                self.ws.info.emit("Select the claimed text, or put the caret in a suggested claim (Q), then press C")
                return
            s = with_claimant(self.ws.text, s, self._spans())
            rng, what = (s.start, s.end), "Accept claim suggestion"
            if s.claimant and self.ws.highlighter.mark(s.claimant) is not None:
                args = (ArgumentRecord("claimant", s.claimant),)
        self._create(Frame("claim", "", self.ws.doc_id, self.ws.annotator, None, *rng, args), what)

    def _create(self, frame: Frame, what: str) -> None:
        change = self._run(lambda: ops.add_frame(self.ws.project, frame))
        if change is None:
            return
        made = change.result
        self._clear_selection()
        self.select((made.kind, made.uid, None, None))
        extra = " with its suggested claimant" if made.arguments else ""
        self.ws.info.emit(f"{what}{extra}: now select its arguments (click or Tab) and press A")

    def attach(self) -> None:
        frame, span_uid = self.current_frame(), self.ws.selected
        if frame is None:
            self.ws.info.emit("Choose an event or claim first (make one with E or C, or pick it in the panel)")
            return
        mark = self.ws.highlighter.mark(span_uid) if span_uid else None
        if mark is None:
            self.ws.info.emit("Select a span (click it, or Tab to it), then press A to attach it")
            return
        roles = ops.allowed_roles(self.ws.project, frame.kind, frame.type)
        choices = [Choice(r.name, str(i + 1) if i < 9 else "", " or ".join(r.labels),
                          ops.refusal(self.ws.project, frame.kind, frame.type, r.name, mark.label) or "",
                          r.description)
                   for i, r in enumerate(roles)]
        owner = frame.type or "claim"
        if not any(not c.refused for c in choices):
            self.ws.failed.emit(f"A {mark.label} span cannot be an argument of this {owner}: "
                                + "; ".join(f"{c.name} takes {c.detail}" for c in choices))
            return
        open_roles = [c for c in choices if not c.refused]
        role = open_roles[0].name if len(open_roles) == 1 else ChoicePopup.ask(
            f"Role of “{self.ws.text[mark.start:mark.end]}” ({mark.label}) in this {owner}", choices, self.view)
        if role is None:
            return
        self._run(lambda: ops.add_argument(self.ws.project, frame.kind, frame.uid, role, mark.uid))

    # -- the panel's edits -----------------------------------------------------------------
    def delete_row(self, row: tuple | None) -> None:
        if row is None:
            return
        kind, uid, role, span = row
        if role is None:
            self._run(lambda: ops.delete_frame(self.ws.project, kind, uid))
            return
        if self._run(lambda: ops.remove_argument(self.ws.project, kind, uid, role, span)) is not None:
            self.select((kind, uid, None, None))

    def edit_row(self, row: tuple | None) -> None:
        frame = self.current_frame() if row is not None else None
        if frame is None or row is None:
            return
        kind, uid, role, span = row
        if role is None and kind == "event":
            choices = [Choice(et.name, et.key, description=et.description)
                       for et in self.ws.project.schema.event_types if et.name != frame.type]
            new = ChoicePopup.ask("Change the event type to", choices, self.panel)
            if new:
                self._run(lambda: ops.set_event_type(self.ws.project, uid, new))
            return
        if role is None:
            return
        mark = self.ws.highlighter.mark(span)
        label = mark.label if mark else ""
        choices = [Choice(r.name, str(i + 1), " or ".join(r.labels),
                          ops.refusal(self.ws.project, kind, frame.type, r.name, label) or "", r.description)
                   for i, r in enumerate(ops.allowed_roles(self.ws.project, kind, frame.type)) if r.name != role]
        new = ChoicePopup.ask("Change the role to", choices, self.panel)
        if new and self._run(lambda: ops.set_argument_role(self.ws.project, kind, uid, span, role, new)) is not None:
            self.select((kind, uid, new, span))

    # -- suggestions -------------------------------------------------------------------------
    def suggestion_at(self, pos: int) -> ClaimSuggestion | None:
        return next((s for s in self.suggestions if s.start <= pos <= s.end), None)

    def jump_suggestion(self, forward: bool) -> None:
        if not self.suggestions:
            self.ws.info.emit("No claim suggestions left in this document" if self._suggesting() else
                              f"No claim suggestions in documents over {MAX_SUGGESTED_TEXT:,} characters "
                              f"or with a paragraph over {LONGEST_WHOLE:,}")
            return
        pos = self.ws.omap.from_display(self.view.textCursor().position())
        after = [s for s in self.suggestions if (s.start > pos if forward else s.end < pos)]
        s = (after[0] if forward else after[-1]) if after else self.suggestions[0 if forward else -1]
        caret = self.ws.omap.to_display(s.start)
        self.view.select(caret, caret)
        self.view.ensureCursorVisible()
        self.current_suggestion = s
        self._paint()
        n = self.suggestions.index(s) + 1
        s = with_claimant(self.ws.text, s, self._spans())
        who = ""
        if s.claimant and (m := self.ws.highlighter.mark(s.claimant)) is not None:
            who = f", claimant “{self.ws.text[m.start:m.end]}”"
        self.ws.info.emit(f"Suggested claim {n} of {len(self.suggestions)} ({s.reason}{who}): C accepts it")

    def _spans(self) -> list[tuple[int, int, str, str]]:
        return [(m.start, m.end, m.label, m.uid) for m in self.ws.spans()]

    # -- plumbing ----------------------------------------------------------------------------
    def _run(self, operation):
        """The edit through the runner (this panel reloads from its change); None if refused."""
        change = self.ws.edits.run(operation, self.ws.initiator)
        if change:
            self.ws.layerChanged.emit({self.ws.doc_id})  # the list's counts and status
            self.ws.saved.emit(change.description)
        return change

    def _clear_selection(self) -> None:
        cursor = self.view.textCursor()
        cursor.clearSelection()
        self.view.setTextCursor(cursor)
