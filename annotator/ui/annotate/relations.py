"""Relations between spans in the main window: select a span, press Ctrl+R, pick the type (by
its digit, or typed when the schema has more than nine), then Tab to the other span and
press Enter (annotate/target_pick.py). The store's schema check refuses a pair the type
does not accept, and the reason goes to the status bar. The relations of the selected
span are drawn in the text (both ends boxed, an arrow with the type between them,
document/relation_overlay.py) and every relation of the document is listed in the
relations panel, where Del removes it. Every edit goes through the edit runner, so each
is one undoable step; the panel follows a change by the rows of the relations it wrote."""

from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.core.schema import RelationType
from annotator.store.relations import RelationData, add_relation, delete_relation, relation_rows, span_relations
from annotator.ui.annotate.relations_panel import RelationRow, RelationsPanel
from annotator.ui.annotate.target_pick import TargetPick
from annotator.ui.document.relation_overlay import Arc
from annotator.ui.document.view import Box
from annotator.ui.widgets.choice_popup import Choice, ChoicePopup

RELATION = "#c2185b"  # the ends and arrow of a relation: dark pink, apart from the frames' colours
DIGIT_KEYS = 9  # types past the ninth are typed, not keyed
FOLLOW_AT_MOST = 500  # relations one change may write for the list to follow them row by row
KNOWN_AT_MOST = 1000  # spans whose relations are remembered between two changes of relations


class RelationController(QObject):
    def __init__(self, workspace, panel: RelationsPanel, picker: TargetPick) -> None:
        super().__init__(panel)
        self.ws, self.panel, self.picker = workspace, panel, picker
        self.view = workspace.view
        self.relations: dict[str, RelationRow] = {}  # by uid, as the list last read them
        self._ends: set[str] | None = None  # their spans; None: not read since the last change
        self.current: str | None = None  # the relation chosen in the panel
        # The relations of spans drawn since the last change of relations, by span uid: a
        # span selected again, relabelled or just made is drawn without a read.
        self._known: dict[str, list[RelationData]] = {}
        panel.set_span_text(self._span_text)
        workspace.selectionChanged.connect(lambda *_: self._paint())
        workspace.edits.changed.connect(self._on_change)
        panel.rowSelected.connect(self._row_selected)
        panel.deleteRequested.connect(self._delete_row)
        panel.editRequested.connect(self._edit_row)

    def _on_change(self, change, _initiator) -> None:
        # A span edit matters to the list only where it is an end of a relation (its text
        # or label quoted there): labelling stays as fast with 10,000 relations as with none.
        # A relation made, removed or put back changes its own row, not the whole list.
        if change.touches("relations"):  # of any document: what is remembered is by span
            self._known.clear()
        if self.ws.doc_id not in change.documents:
            return
        touched = touched_spans(change)
        if change.touches("relations"):
            self._follow(change)
        else:  # a span this change made (or put back) is an end of no relation
            self._known.update((row["uid"], []) for r in change.rows if r.table == "spans" and r.before is None
                               for row in (r.after,) if row is not None and "uid" in row)
        ends_touched = self._ends is not None and not self._ends.isdisjoint(touched)
        if ends_touched:
            self.panel.quotes_changed()
        if change.touches("relations") or ends_touched or self._ends is None or self.ws.selected in touched:
            self._paint()

    def _follow(self, change) -> None:
        """The rows of the relations `change` wrote, read again (those left) or taken out."""
        if self._ends is None:  # the list is not read yet: its read will see the change
            return
        written = {row["uid"] for r in change.rows if r.table == "relations"
                   for row in (r.before, r.after) if row is not None and "uid" in row}
        if len(written) > FOLLOW_AT_MOST:  # a bulk change: one read is cheaper than thousands of rows
            self.reload()
            return
        with self.ws.project.read() as conn:
            found = relation_rows(conn, self.ws.doc_id, self.ws.annotator, written)
        for row in found:
            self.relations[row[1]] = row
            self._ends.update((row[2], row[4]))
        gone = written - {row[1] for row in found}
        for uid in gone:
            self.relations.pop(uid, None)
        if self.current in gone:
            self.current = None
        self.panel.update_relations(gone, found)

    def reload(self) -> None:
        """The document's relations, read when the list is seen (or asked for), and those
        of the selected span drawn."""
        self._ends = None  # not known until the whole layer is read again
        self._known.clear()
        self.panel.show_relations(self._rows)
        self._paint()

    def layer(self) -> list[RelationData]:
        """Every relation of the document's layer (one read of the layer)."""
        return [self._data(row) for row in self._read()]

    def _read(self) -> list[RelationRow]:
        ws = self.ws
        if ws.doc_id is None:
            return []
        with ws.project.read() as conn:
            found = relation_rows(conn, ws.doc_id, ws.annotator)
        self._ends = {u for row in found for u in (row[2], row[4])}
        return found

    def _rows(self) -> list[RelationRow]:
        found = self._read()
        self.relations = {row[1]: row for row in found}
        if self.current not in self.relations:
            self.current = None
        return found

    def _data(self, row: RelationRow) -> RelationData:
        _key, uid, a, type_, b = row
        return RelationData(uid, self.ws.doc_id, self.ws.annotator, type_, a, b)

    def _span_text(self, uid: str) -> str:
        mark = self.ws.highlighter.mark(uid)
        return f"{self.ws.text[mark.start:mark.end]} ({mark.label})" if mark else uid

    def shown(self) -> list[RelationData]:
        """The relations drawn now: those of the selected span (read for it alone), else the
        one chosen in the list."""
        sel = self.ws.selected
        if sel is not None:
            if sel not in self._known:
                if len(self._known) >= KNOWN_AT_MOST:
                    self._known.clear()
                with self.ws.project.read() as conn:
                    self._known[sel] = span_relations(conn, sel)
            return list(self._known[sel])
        return [self._data(self.relations[self.current])] if self.current in self.relations else []

    def _paint(self) -> None:
        d = self.ws.omap.to_display
        boxes, arcs = [], []
        for r in self.shown():
            a, b = self.ws.highlighter.mark(r.from_span), self.ws.highlighter.mark(r.to_span)
            if a is None or b is None:
                continue
            boxes += [Box(d(a.start), d(a.end), RELATION, width=2.0), Box(d(b.start), d(b.end), RELATION, width=2.0)]
            arcs.append(Arc((d(a.start), d(a.end)), (d(b.start), d(b.end)), RELATION, r.type))
        self.view.set_boxes("relations", boxes)
        self.view.set_arcs(arcs)

    # -- making one ------------------------------------------------------------------------
    def relate(self) -> None:
        if self.ws.doc_id is None:
            return
        source = self.ws.highlighter.mark(self.ws.selected) if self.ws.selected else None
        if source is None:
            self.ws.info.emit("Select a span (click it, or Tab to it), then press Ctrl+R to relate it to another")
            return
        types = self.ws.project.schema.relations
        if not types:
            self.ws.failed.emit("The schema declares no relations (add them under \"relations\" in the schema)")
            return
        choices = [Choice(t.type, str(i + 1) if i < DIGIT_KEYS else "", _pairs(t), _starts(t, source.label),
                          t.guidance, search=_pairs(t)) for i, t in enumerate(types)]
        open_types = [c for c in choices if not c.refused]
        if not open_types:
            self.ws.failed.emit(f"No relation of the schema starts from a {source.label} span: "
                                + "; ".join(f"{t.type} takes {_pairs(t)}" for t in types))
            return
        text = self.ws.text[source.start:source.end]
        chosen = open_types[0].name if len(open_types) == 1 else ChoicePopup.ask(
            f"Relation from “{text}” ({source.label})", choices, self.view, keys_pick=len(types) <= DIGIT_KEYS)
        if chosen is None:
            return
        declared = self.ws.project.schema.relation(chosen)
        assert declared is not None  # chosen from the schema's own list
        self.picker.start(source.uid, chosen, lambda target: self.add(chosen, source.uid, target),
                          lambda target: self.refusal(declared, source.label, target))

    def refusal(self, declared: RelationType, from_label: str, target: str) -> str:
        mark = self.ws.highlighter.mark(target)
        return (declared.problem(from_label, mark.label) or "") if mark else ""

    def add(self, type_: str, source: str, target: str) -> RelationData | None:
        change = self._run(lambda: add_relation(self.ws.project, type_, source, target))
        return change.result if change else None

    # -- the panel -------------------------------------------------------------------------
    def _row_selected(self, row: tuple) -> None:
        if row[0] != "relation":
            return
        found = self.relations.get(row[1])
        if found is None:
            return
        self.current = found[1]
        self.ws.select_span(None)  # the panel's relation is drawn, not the spans' own
        mark = self.ws.highlighter.mark(found[2])
        if mark is not None:
            cursor = self.view.textCursor()
            cursor.setPosition(self.view.clamp(self.ws.omap.to_display(mark.start)))
            self.view.setTextCursor(cursor)
            self.view.ensureCursorVisible()
        self._paint()

    def _edit_row(self, row: tuple) -> None:
        if row[0] == "relation" and (found := self.relations.get(row[1])):
            self.ws.select_span(found[2])
            self.view.setFocus()

    def _delete_row(self, row: tuple) -> None:
        if row[0] == "relation":
            self._run(lambda: delete_relation(self.ws.project, row[1]))

    def _run(self, operation):
        change = self.ws.edits.run(operation, self.ws.initiator)
        if change:
            self.ws.layerChanged.emit({self.ws.doc_id})
            self.ws.saved.emit(change.description)
        return change


def touched_spans(change) -> set[str]:
    """The uids of the spans a change inserted, updated or deleted."""
    # Two passes without a tuple a row: a corpus-wide label's change has 100,000 rows.
    rows = [r for r in change.rows if r.table == "spans"]
    return ({r.before["uid"] for r in rows if r.before is not None and "uid" in r.before}
            | {r.after["uid"] for r in rows if r.after is not None and "uid" in r.after})


def _pairs(t: RelationType) -> str:
    arrow = "→" if t.directed else "—"
    return ", ".join(f"{a} {arrow} {b}" for a, b in t.pairs)


def _starts(t: RelationType, label: str) -> str:
    """Why a span of `label` cannot be the first of a `t` relation ("" if it can)."""
    if any(a == label or not t.directed and b == label for a, b in t.pairs):
        return ""
    return f"starts from {', '.join(sorted({a for a, _b in t.pairs}))}"
