"""Which item's attributes the attribute panel shows, and the edits of them.

The item is what the annotator last chose: a span selected in the text, or an event, a
claim or an argument made current in the events and claims panel (a span deselected
gives the list back to the current event or claim). A second panel shows the document's
labels (the attributes the schema declares on documents) of the open layer. Every edit
is store.attributes.set_attribute run by the edit runner (one undo step, named after the
attribute); both panels read again, by the item's own index, from any change of
attribute values or of the items themselves in this document, from any window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Attribute
from annotator.store.attributes import Target, set_attribute, target_attributes
from annotator.store.spans import SpanData
from annotator.ui.annotate.attributes_panel import AttributesPanel
from annotator.ui.annotate.frames import FrameController
from annotator.ui.annotate.workspace import Workspace

# The tables whose changes may change what the panels show.
_WATCHED = ("attribute_values", "spans", "events", "claims", "event_arguments", "claim_arguments")


def _quote(text: str, limit: int = 40) -> str:
    return f"«{text[:limit]}{'…' if len(text) > limit else ''}»"


class AttributeTargets(QObject):
    def __init__(self, workspace: Workspace, frames: FrameController, item_panel: AttributesPanel,
                 document_panel: AttributesPanel) -> None:
        super().__init__(item_panel)
        self.ws, self.frames = workspace, frames
        self.item_panel, self.document_panel = item_panel, document_panel
        self.target: Target | None = None
        self._schema_item: tuple[str, str | None] = ("span", None)  # the schema's item kind and name
        self._what = ""
        self._layer: tuple[int | None, str] | None = None
        self._document_stale = False  # the document panel, hidden in its tab, to be read when shown
        workspace.selectionChanged.connect(self._span_selected)
        frames.panel.rowSelected.connect(self._row_selected)
        workspace.edits.changed.connect(self._on_change)
        item_panel.edited.connect(lambda name, value: self._set(self.target, name, value))
        document_panel.edited.connect(lambda name, value: self._set(self.document_target(), name, value))
        item_panel.leave.connect(lambda: self.ws.view.setFocus())
        document_panel.leave.connect(lambda: self.ws.view.setFocus())
        document_panel.shown.connect(self._document_shown)

    # -- choosing the item -------------------------------------------------------------------
    def document_target(self) -> Target | None:
        return None if self.ws.doc_id is None else Target("document", self.ws.doc_id, self.ws.annotator)

    def _span_selected(self, span: SpanData | None, text: str) -> None:
        if self._layer != (self.ws.doc_id, self.ws.annotator):  # another document or annotator
            self._layer = (self.ws.doc_id, self.ws.annotator)
            self.target = None
            self.show_document()
        if span is not None:
            self._choose(Target("span", span.document_id, span.annotator, span.uid), ("span", span.label),
                         f"the {span.label} span {_quote(text)}")
        elif self.target is None or self.target.kind == "span":
            self._row_selected(self.frames.current)

    def _row_selected(self, row: tuple | None) -> None:
        ws = self.ws
        frame = self.frames.current_frame() if row is not None else None
        if frame is None or row is None or ws.doc_id is None:
            self._choose(None, ("span", None), "")
            return
        kind, uid, role, span = row
        named = f"the {frame.type} event" if kind == "event" else "the claim"
        trigger = _quote(ws.text[frame.start:frame.end])
        if role is None:
            self._choose(Target(kind, ws.doc_id, ws.annotator, uid), (kind, frame.type), f"{named} {trigger}")
            return
        mark = ws.highlighter.mark(span)
        filler = _quote(ws.text[mark.start:mark.end]) if mark else span
        self._choose(Target(f"{kind}_argument", ws.doc_id, ws.annotator, uid, role, span), ("argument", role),
                     f"the {role} {filler} of {named} {trigger}")

    def _choose(self, target: Target | None, schema_item: tuple[str, str | None], what: str) -> None:
        self.target, self._schema_item, self._what = target, schema_item, what
        self.show_item()

    # -- showing -------------------------------------------------------------------------------
    def declared(self) -> tuple[Attribute, ...]:
        return self.ws.project.schema.attributes_for(*self._schema_item) if self.target is not None else ()

    def show_item(self) -> None:
        declared = self.declared()
        values = self._read(self.target) if declared else {}
        if values is None:  # the item is gone (undone, deleted in another window)
            self.target, declared, values = None, (), {}
        kind, name = self._schema_item
        if self.target is None:
            empty = "Select a span, or an event, claim or argument in its panel (F6), to see its attributes"
        else:
            empty = f"The schema declares no attributes on {f'{name} ' if name else ''}{kind}s"
        self.item_panel.show_attributes(self._what if self.target is not None else "", declared, values, empty)

    def show_document(self) -> None:
        # A tab not chosen (as at launch) is read when it is shown: nobody sees it meanwhile.
        if self.document_panel.isHidden():
            self._document_stale = True
            return
        self._document_stale = False
        target = self.document_target()
        declared = self.ws.project.schema.attributes_for("document") if target is not None else ()
        values = (self._read(target) or {}) if declared and target is not None else {}
        self.document_panel.show_attributes("this document" if target is not None else "", declared, values,
                                            "The schema declares no document labels" if target is not None
                                            else "No document open")

    def _document_shown(self) -> None:
        if self._document_stale:
            self.show_document()

    def _read(self, target: Target | None) -> dict[str, Any] | None:
        if target is None:
            return None
        try:
            with self.ws.project.read() as conn:
                return target_attributes(conn, target)
        except AnnotatorError:
            return None

    # -- editing -------------------------------------------------------------------------------
    def _set(self, target: Target | None, name: str, value: object) -> None:
        if target is None:
            return
        change = self.ws.edits.run(lambda: set_attribute(self.ws.project, target, name, value), self.ws.initiator)
        if change:
            self.ws.layerChanged.emit({target.document_id})  # the list's status: a first edit starts the layer
            self.ws.saved.emit(change.description)

    def _on_change(self, change, _initiator) -> None:
        if self.ws.doc_id not in change.documents or not change.touches(*_WATCHED):
            return
        if self.target is not None and self.target.kind != "span":
            # The events and claims panel has reloaded first: a retyped event, a changed role.
            self._row_selected(self.frames.current)
        elif self.target is not None:
            self.show_item()
        if change.touches("attribute_values"):
            self.show_document()
