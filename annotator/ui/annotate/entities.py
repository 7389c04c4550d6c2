"""Entity clusters in the main window: select a span, press =, Tab to another span and
press Enter: both are mentions of one entity (a cluster already holding either grows; two
clusters become one, refused if they carry different knowledge-base ids). Ctrl+Shift+T puts the spans linked to the selected one in its
translations (side by side) in its cluster too. Ctrl+K gives the cluster a
knowledge-base id, picked from the project's imported table (type to filter), the ids
whose label or alias names a mention, exactly or transliterated, listed first. The
selected span's fellow mentions are boxed in the text, and the relations panel lists the
clusters with a mention in the document and all their mentions."""

from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.core.kb import KbEntry, KbIndex
from annotator.store.entities import (
    Mention,
    add_to_entity,
    cluster_mentions,
    layer_entities,
    linked_spans,
    remove_from_entity,
    set_kb,
    span_entities,
)
from annotator.store.kb_table import kb_table
from annotator.store.queries import document_name
from annotator.ui.annotate.relations import touched_spans
from annotator.ui.annotate.relations_panel import RelationsPanel
from annotator.ui.annotate.target_pick import TargetPick
from annotator.ui.document.view import Box
from annotator.ui.widgets.choice_popup import Choice, ChoicePopup

ENTITY = "#2e7d32"  # the fellow mentions of the selected span: dark green
LISTED = 500  # table rows listed in the picker at once; typing narrows the rest
NO_ID = "(no id)"


class EntityController(QObject):
    def __init__(self, workspace, panel: RelationsPanel, picker: TargetPick) -> None:
        super().__init__(panel)
        self.ws, self.panel, self.picker = workspace, panel, picker
        self.view = workspace.view
        self.by_span: dict[str, tuple[str, str | None]] = {}  # span uid -> (cluster, kb) in this document
        self.mentions: list[Mention] = []  # every mention of those clusters, in any document
        self._index: KbIndex | None = None  # the imported table, read when first needed
        self._doc_names: dict[int, str] = {}
        self.view.commandKey.connect(self.command)
        workspace.selectionChanged.connect(lambda *_: self._paint())
        workspace.edits.changed.connect(self._on_change)
        panel.deleteRequested.connect(self._delete_row)
        panel.editRequested.connect(self._edit_row)
        panel.rowSelected.connect(self._row_selected)

    def _on_change(self, change, _initiator) -> None:
        if change.touches("project_meta"):
            self._index = None  # a table imported (or its import undone): the panel's names too
        if change.touches("entities", "entity_members", "project_meta") or (
                self.by_span and not self.by_span.keys().isdisjoint(touched_spans(change))):
            self.reload()

    def reload(self) -> None:
        ws = self.ws
        if ws.doc_id is None:
            self.by_span, self.mentions = {}, []
        else:
            with ws.project.read() as conn:
                self.by_span = layer_entities(conn, ws.doc_id, ws.annotator)
                clusters = sorted({e for e, _kb in self.by_span.values()})
                self.mentions = cluster_mentions(ws.project, conn, ws.annotator, clusters)
                for doc in {m.document_id for m in self.mentions} - set(self._doc_names):
                    self._doc_names[doc] = document_name(conn, doc)
        self.panel.show_entities(self._rows)
        self._paint()

    def _rows(self) -> list:
        """A cluster: its id (or "no id") and its table label (or its first mention here)
        with how many mentions it has; then each mention, those of translations named by
        their document."""
        by_entity: dict[str, list[Mention]] = {}
        for m in self.mentions:
            by_entity.setdefault(m.entity, []).append(m)
        rows = []
        for entity, mentions in by_entity.items():
            kb = mentions[0].kb
            first = next((m for m in mentions if m.document_id == self.ws.doc_id), mentions[0])
            name = self._kb_label(kb) or first.text
            n = len(mentions)
            listed = [(("mention", m.span, m.document_id == self.ws.doc_id), m.label,
                       m.text if m.document_id == self.ws.doc_id else f"{m.text}  · {self._doc_names.get(m.document_id)}")
                      for m in mentions]
            rows.append((("entity", entity), kb or "no id", f"{name} · {n} mention{'s' if n != 1 else ''}", listed))
        return rows

    def _kb_label(self, kb: str | None) -> str:
        """The table's label of `kb` ("" for none, or an id the table no longer has)."""
        entry = next((e for e in self.index().entries if e.id == kb), None) if kb else None
        return entry.label if entry else ""

    def index(self) -> KbIndex:
        if self._index is None:
            with self.ws.project.read() as conn:
                self._index = KbIndex(kb_table(conn))
        return self._index

    def cluster_of(self, span: str | None) -> str | None:
        found = self.by_span.get(span) if span else None
        return found[0] if found else None

    def _paint(self) -> None:
        entity = self.cluster_of(self.ws.selected)
        boxes = []
        if entity is not None:
            d = self.ws.omap.to_display
            kb = self.by_span[self.ws.selected][1]
            n = sum(1 for m in self.mentions if m.entity == entity)
            for m in self.mentions:
                if m.entity == entity and m.document_id == self.ws.doc_id:
                    tag = f"{kb or 'entity'} · {n} mention{'s' if n != 1 else ''}" if m.span == self.ws.selected else ""
                    boxes.append(Box(d(m.start), d(m.end), ENTITY, dashed=m.span != self.ws.selected, width=2.0,
                                     tag=tag))
        self.view.set_boxes("entity", boxes)

    # -- commands ----------------------------------------------------------------------------
    def command(self, name: str) -> None:
        if name == "same_entity" and self.ws.doc_id is not None:
            self.same_entity()

    def _selected(self, what: str):
        mark = self.ws.highlighter.mark(self.ws.selected) if self.ws.selected else None
        if mark is None:
            self.ws.info.emit(f"Select a span (click it, or Tab to it), then {what}")
        return mark

    def same_entity(self) -> None:
        mark = self._selected("press = and choose the other mention of the same entity")
        if mark is not None:
            self.picker.start(mark.uid, "same entity", lambda other: self.join(mark.uid, other))

    def join(self, a: str, b: str) -> str | None:
        """Puts spans `a` and `b` in one cluster and returns its id: a cluster that either is
        in takes the other (two clusters become one: the one with a knowledge-base id, else
        b's); two clusters with different ids are refused, so that no id is lost."""
        ea, eb = self.cluster_of(a), self.cluster_of(b)
        if ea is not None and ea == eb:
            self.ws.info.emit("Already mentions of the same entity")
            return ea
        kb = {e: self.by_span[s][1] for e, s in ((ea, a), (eb, b)) if e is not None}
        if ea is not None and eb is not None:
            if kb[ea] and kb[eb] and kb[ea] != kb[eb]:
                self.ws.failed.emit(f"These are two entities with different ids ({kb[ea]} and {kb[eb]}): "
                                    "clear one first (Ctrl+K, “(no id)”)")
                return None
            into, other = (ea, eb) if kb[ea] and not kb[eb] else (eb, ea)
            spans = [m.span for m in self.mentions if m.entity == other]
        elif ea is not None or eb is not None:
            into, spans = (ea, [b]) if ea is not None else (eb, [a])
        else:
            into, spans = None, [a, b]
        change = self._run(lambda: add_to_entity(self.ws.project, spans, into))
        return change.result if change else None

    def add_translations(self) -> None:
        """The spans linked to the selected one in its translations join its cluster."""
        mark = self._selected("press Ctrl+Shift+T to add its linked translations to its entity")
        if mark is None:
            return
        with self.ws.project.read() as conn:
            linked = linked_spans(conn, mark.uid)
            theirs = span_entities(conn, linked)
        if not linked:
            self.ws.info.emit("This span is linked to no span in a translation (link them side by side, Ctrl+T)")
            return
        entity = self.cluster_of(mark.uid)
        mine = self.by_span[mark.uid][1] if entity else None
        other_ids = sorted({kb for e, kb in theirs.values() if kb and kb != mine and e != entity})
        if other_ids:  # moving them would take them from an entity with another id, or lose that id
            self.ws.failed.emit(f"Its translations' mentions are in an entity with id {', '.join(other_ids)}"
                                + (f", this one has {mine}" if mine else ", this one has none")
                                + ": join them with = in their own document, or clear an id first (Ctrl+K)")
            return
        spans = linked if entity else [mark.uid, *linked]
        self._run(lambda: add_to_entity(self.ws.project, spans, entity))

    def choose_kb(self) -> None:
        """Ctrl+K: the knowledge-base id of the selected span's cluster (made for it alone if
        it has none), from the imported table."""
        mark = self._selected("press Ctrl+K to give its entity a knowledge-base id")
        if mark is None:
            return
        entity = self.cluster_of(mark.uid)
        self.pick_kb(entity, [mark.uid])

    def pick_kb(self, entity: str | None, spans: list[str]) -> None:
        index = self.index()
        if not index.entries:
            self.ws.failed.emit("No knowledge-base table yet: File > Import a knowledge-base table… "
                                "(a CSV of id,label,aliases), or `annotator kb import`")
            return
        if entity is not None:
            names = [m.text for m in self.mentions if m.entity == entity]
            kb = next((m.kb for m in self.mentions if m.entity == entity), None)
        else:
            names = [self.ws.text[m.start:m.end] for m in map(self.ws.highlighter.mark, spans) if m is not None]
            kb = None
        chosen = ask_kb(index, names, kb, self.view)
        if chosen is None or chosen == (kb or NO_ID):
            return
        new = None if chosen == NO_ID else chosen
        if entity is not None:
            self._run(lambda: set_kb(self.ws.project, self.ws.annotator, entity, new))
        elif new is not None:
            self._run(lambda: add_to_entity(self.ws.project, spans, None, new))

    # -- the panel ---------------------------------------------------------------------------
    def _row_selected(self, row: tuple) -> None:
        if row[0] == "mention" and row[2]:
            mark = self.ws.highlighter.mark(row[1])
            if mark is not None:
                cursor = self.view.textCursor()
                cursor.setPosition(self.view.clamp(self.ws.omap.to_display(mark.start)))
                self.view.setTextCursor(cursor)
                self.view.ensureCursorVisible()
                self.ws.select_span(row[1])

    def _edit_row(self, row: tuple) -> None:
        if row[0] == "entity":
            self.pick_kb(row[1], [m.span for m in self.mentions if m.entity == row[1]])
        elif row[0] == "mention" and row[2]:
            self.ws.select_span(row[1])
            self.view.setFocus()

    def _delete_row(self, row: tuple) -> None:
        if row[0] == "mention":
            self._run(lambda: remove_from_entity(self.ws.project, [row[1]]))
        elif row[0] == "entity":
            spans = [m.span for m in self.mentions if m.entity == row[1]]
            self._run(lambda: remove_from_entity(self.ws.project, spans))

    def _run(self, operation):
        change = self.ws.edits.run(operation, self.ws.initiator)
        if change:
            self.ws.layerChanged.emit({self.ws.doc_id})
            self.ws.saved.emit(change.description)
        return change


def kb_choices(index: KbIndex, names: list[str], current: str | None) -> list[Choice]:
    """The suggested entries first (with why), then the rest of the table; "(no id)" to
    clear an id the cluster has."""
    suggested = index.suggest(names)
    taken = {s.entry.id for s in suggested}
    out = [Choice(NO_ID, detail="clear the id")] if current else []
    out += [_choice(s.entry, f"suggested: {s.reason} «{s.name}»") for s in suggested]
    out += [_choice(e, "") for e in index.entries if e.id not in taken]
    return out


def _choice(entry: KbEntry, why: str) -> Choice:
    aliases = ", ".join(entry.aliases)
    detail = "; ".join(x for x in (why, f"also {aliases}" if aliases else "") if x)
    return Choice(entry.id, detail=f"{entry.label}" + (f" — {detail}" if detail else ""),
                  search=" ".join(entry.names()))


def ask_kb(index: KbIndex, names: list[str], current: str | None, parent) -> str | None:
    """The id chosen (NO_ID to clear), or None if the picker was closed."""
    title = f"Knowledge-base id of “{names[0]}”" if names else "Knowledge-base id"
    popup = ChoicePopup(title, kb_choices(index, names, current), parent, keys_pick=False, limit=LISTED)
    popup.setObjectName("kbPicker")
    popup.resize(640, popup.height())  # a label and its aliases on one line
    popup.filter.setFocus()
    return popup.chosen if popup.exec() == ChoicePopup.DialogCode.Accepted else None
