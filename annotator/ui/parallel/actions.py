"""What the side-by-side view's keys do: alignment edits at the caret, block navigation,
linking a span to its counterpart (a key, then pick), projection into suggestions, and
showing links and disagreements; their keys and menus are the SIDE_BY_SIDE area of the
action registry (ui.widgets.actions). Kept apart from the window, which lays out and keeps
the panes in step and gives the actions what they need as a SideBySide; everything here
works in code points on the window's open panes."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QTabWidget

from annotator.core import alignment_edit as edit
from annotator.core.errors import AnnotatorError
from annotator.store.parallel import add_link, document_links, remove_links
from annotator.store.project import Project
from annotator.ui.edits import Edits
from annotator.ui.parallel.alignment_pairs import AlignmentPairs
from annotator.ui.parallel.bands import AlignmentBands
from annotator.ui.parallel.disagreements import DisagreementPanel
from annotator.ui.parallel.panes import ParallelPane, emphasis_format
from annotator.ui.parallel.suggestions import SuggestionPanel


class SideBySide(Protocol):
    """What the actions need of the side-by-side window: its panes and bands, the focused
    pane and the alignment pair it edits, and its feedback lines."""

    project: Project
    annotator: str
    edits: Edits
    panes: list[ParallelPane]  # all of them, shown or not
    open_panes: list[ParallelPane]  # those showing the group's documents, left to right
    active: int  # the focused pane's index
    bands: list[AlignmentBands]  # bands[k] lies between panes k and k + 1

    def pair(self) -> tuple[int, str] | None: ...
    def oriented(self, k: int, side: str) -> list: ...
    def focus_pane(self, i: int) -> None: ...
    def reveal(self, pane: ParallelPane, cp: int) -> None: ...
    def set_picking(self, on: bool) -> None: ...
    def info(self, text: str) -> None: ...
    def saved(self, what: str) -> None: ...


class ParallelActions:
    def __init__(self, window: SideBySide, alignments: AlignmentPairs, suggestions: SuggestionPanel,
                 disagreements: DisagreementPanel, tabs: QTabWidget) -> None:
        self.w = window
        self.alignments, self.suggestions, self.disagreements, self.tabs = alignments, suggestions, disagreements, tabs
        self.linking: tuple[int, str] | None = None  # pane index and span uid waiting for a counterpart
        self.links: list[tuple[int, str, int, str]] = []  # (doc id, span uid, doc id, span uid), both ways
        self.stale_disagreements = True  # the report may not be what the store holds now

    def slots(self) -> dict:
        return {"merge_next": lambda: self.edit_alignment("merge_next"),
                "merge_previous": lambda: self.edit_alignment("merge_previous"),
                "split": lambda: self.edit_alignment("split"),
                "untranslated": lambda: self.edit_alignment("untranslated"),
                "cross": self.cross, "keep": self.keep, "next_block": lambda: self.step_block(True),
                "previous_block": lambda: self.step_block(False),
                "link": self.link, "pick": self.pick, "cancel": self.cancel, "align_again": self.align_again,
                "unlink": self.unlink, "project": self.project,
                "next_suggestion": lambda: self.step_suggestion(True),
                "previous_suggestion": lambda: self.step_suggestion(False),
                "accept": lambda: self.decide(True, False), "reject": lambda: self.decide(False, False),
                "accept_all": lambda: self.decide(True, True), "reject_all": lambda: self.decide(False, True),
                "disagreements": self.focus_disagreements}

    # -- alignment -------------------------------------------------------------------------------
    def edit_alignment(self, what: str) -> None:
        pair = self.w.pair()
        if pair is None:
            return
        k, side = pair
        panes = self.w.open_panes
        here, there = panes[self.w.active], panes[k + 1 if side == "a" else k]
        blocks = self.w.oriented(k, side)
        caret = here.caret()
        i = edit.block_at(blocks, "a", caret)
        sa, sb = here.sentences, there.sentences
        try:
            if i is None:
                raise AnnotatorError("no sentence of this document is aligned")
            if what == "merge_next":
                new, text = edit.merge(blocks, i), "Merge alignment blocks"
            elif what == "merge_previous":
                if i == 0:
                    raise AnnotatorError("there is no previous block to merge with")
                new, text = edit.merge(blocks, i - 1), "Merge alignment blocks"
            elif what == "split":
                u = edit.unit_at(blocks[i], "a", caret, sa)
                if u + 1 >= len(edit.units(blocks[i].a_start, blocks[i].a_end, sa)):
                    raise AnnotatorError("the caret is in the block's last sentence on this side: "
                                         "put it in the sentence after which to split")
                new = edit.split(blocks, i, u + 1, edit.proportional(blocks[i], u + 1, sa, sb), sa, sb)
                text = "Split alignment block"
            else:
                u = edit.unit_at(blocks[i], "a", caret, sa)
                new, text = edit.untranslated(blocks, i, u, sa, sb), "Mark sentence untranslated"
        except AnnotatorError as exc:
            self.w.info(f"Alignment not changed: {exc}")
            return
        if self.alignments.save(panes[k], panes[k + 1], new if side == "a" else edit.swapped(new), text):
            self.w.saved(text.lower())

    def cross(self) -> None:
        """The sentence at the caret of the focused pane and the one at the caret of the
        other pane of its alignment translate each other out of order: both leave the
        monotone alignment (untranslated in place) and a crossing link joins them. On a
        sentence already crossed: the crossing link goes (the sentences stay untranslated)."""
        pair = self.w.pair()
        if pair is None:
            return
        k, side = pair
        panes = self.w.open_panes
        here, there = panes[self.w.active], panes[k + 1 if side == "a" else k]
        blocks = self.w.oriented(k, side)
        crossings = self.alignments.crossings(here, there)  # oriented (here, there)
        n = edit.crossing_at(crossings, "a", here.caret())
        try:
            if n is not None:
                new, kept, text = blocks, crossings[:n] + crossings[n + 1:], "Remove crossing link"
            else:
                new, link = edit.cross(blocks, here.caret(), there.caret(), here.sentences, there.sentences)
                kept = [c for c in edit.kept_crossings(new, crossings) if c.a_start != link.a_start
                        and c.b_start != link.b_start] + [link]
                text = "Mark a crossing link"
        except AnnotatorError as exc:
            self.w.info(f"Alignment not changed: {exc}")
            return
        a, b = (panes[k], panes[k + 1])
        if side == "b":
            new, kept = edit.swapped(new), edit.swapped(kept)
        if self.alignments.save(a, b, new, text, sorted(kept, key=lambda c: (c.a_start, c.b_start))):
            self.w.saved(text.lower())

    def keep(self) -> None:
        pair = self.w.pair()
        if pair is None:
            return
        band = self.w.bands[pair[0]]
        if band.stored:
            self.w.info("This alignment is already saved; every edit saves it")
        elif self.alignments.save(self.w.panes[pair[0]], self.w.panes[pair[0] + 1], band.blocks,
                                    "Keep the suggested alignment"):
            self.w.saved("alignment kept")

    def step_block(self, forward: bool) -> None:
        pair = self.w.pair()
        if pair is None:
            return
        blocks = self.w.oriented(*pair)
        i = edit.block_at(blocks, "a", self.w.open_panes[self.w.active].caret())
        order = range((i if i is not None else -1) + 1, len(blocks)) if forward else range((i or 0) - 1, -1, -1)
        j = next((j for j in order if blocks[j].a_start < blocks[j].a_end), None)
        if j is not None:
            pane = self.w.open_panes[self.w.active]
            pane.place_caret(blocks[j].a_start)
            pane.scroll_to(blocks[j].a_start)

    def go_to_block(self, k: int, i: int) -> None:
        """A band was clicked: its block becomes current, the caret goes to its left side
        (the right one if the left is empty)."""
        b = self.w.bands[k].blocks[i]
        pane, start = (self.w.panes[k], b.a_start) if b.a_start < b.a_end else (self.w.panes[k + 1], b.b_start)
        pane.place_caret(start, focus=True)

    # -- links -------------------------------------------------------------------------------------
    def link(self) -> None:
        if self.linking is not None:
            self.pick()
            return
        if not self.w.open_panes:
            return
        pane = self.w.open_panes[self.w.active]
        uid = pane.workspace.selected
        if uid is None:
            self.w.info("Select a span first (click it, or Tab to it), then press Ctrl+L")
            return
        self.linking = (self.w.active, uid)
        self.w.set_picking(True)
        mark = pane.workspace.highlighter.mark(uid)
        self.w.info(f"Link {mark.label} “{pane.text[mark.start:mark.end]}”: click its counterpart in another pane, "
                    "or F6 to it, Tab to the span and press Return; Esc cancels")
        target = (self.w.active + 1) % len(self.w.open_panes)
        self.w.focus_pane(target)

    def clicked_in(self, i: int) -> None:
        if self.linking is not None and i != self.linking[0] and self.w.panes[i].workspace.selected:
            self.pick()

    def pick(self) -> None:
        if self.linking is None:
            return
        source_pane, source = self.linking
        pane = self.w.open_panes[self.w.active]
        target = pane.workspace.selected
        if self.w.active == source_pane or target is None:
            self.w.info("Pick the counterpart in another pane: click it, or Tab to it and press Return")
            return
        self.stop_linking("")
        change = self.w.edits.run(lambda: add_link(self.w.project, source, target), self.w)
        if change is not None and not change:
            self.w.info("These spans are already linked")
        elif change:
            self.w.saved("spans linked")

    def cancel(self) -> None:
        """Esc: stop linking if a link waits for its counterpart, else stop aligning."""
        if self.linking is not None:
            self.stop_linking("Linking cancelled")
            return
        stopped = self.alignments.stop()
        if stopped:
            self.w.info(f"Aligning stopped ({', '.join(stopped)}): no suggestion shown; F5 aligns again")

    def align_again(self) -> None:
        n = self.alignments.align_again()
        self.w.info(f"Aligning {n} pair(s) again…" if n else "Every pair on screen has a stored alignment or is "
                    "being aligned already")

    def stop_linking(self, message: str) -> None:
        """Linking ends: the "click its counterpart" prompt goes (replaced by `message`)."""
        was_linking, self.linking = self.linking is not None, None
        self.w.set_picking(False)
        if message or was_linking:
            self.w.info(message)

    def unlink(self) -> None:
        pane = self.w.open_panes[self.w.active] if self.w.open_panes else None
        uid = pane.workspace.selected if pane else None
        pairs = sorted({(a, b) for _da, a, _db, b in self.links if uid == a})  # removed whichever way stored
        if not pairs:
            self.w.info("The selected span has no links" if uid else "Select a linked span first")
            return
        # All the span's links in one transaction: none is removed if one fails.
        change = self.w.edits.run(lambda: remove_links(self.w.project, pairs), self.w)
        if change is not None and not change:
            self.w.info("The selected span has no links")
        elif change:
            self.w.saved("links removed")

    def sync_links(self) -> None:
        """Read the links among the open documents; draw those between neighbours."""
        panes = self.w.open_panes
        by_uid = {p.row.uid: p for p in panes}
        self.links = []
        with self.w.project.read() as conn:
            for pane in panes:
                for span, other_doc, other_span in document_links(conn, pane.doc_id, self.w.annotator):
                    other = by_uid.get(other_doc)
                    if other is not None:  # document_links reads both ways: each link comes from both ends
                        self.links.append((pane.doc_id, span, other.doc_id, other_span))
        colours = {lab.name: lab.colour for lab in self.w.project.schema.labels}
        for k, band in enumerate(self.w.bands[:max(0, len(panes) - 1)]):
            left, right = panes[k], panes[k + 1]
            drawn = []
            for da, a, db, b in self.links:
                ma, mb = left.workspace.highlighter.mark(a), right.workspace.highlighter.mark(b)
                if da == left.doc_id and db == right.doc_id and ma and mb:
                    drawn.append(((ma.start, ma.end), (mb.start, mb.end), colours.get(ma.label, "#888888")))
            band.set_links(drawn)
        self.show_linked(self.w.active)

    def show_linked(self, i: int) -> None:
        """The counterparts of the span selected in pane i, emphasised in the other panes."""
        panes = self.w.open_panes
        if i >= len(panes):
            return
        uid = panes[i].workspace.selected
        for pane in panes:
            marks = [pane.workspace.highlighter.mark(b) for _da, a, db, b in self.links
                     if uid and a == uid and db == pane.doc_id]
            pane.show_ranges("linked", [(m.start, m.end) for m in marks if m], emphasis_format())

    # -- suggestions ------------------------------------------------------------------------------------
    def project(self) -> None:
        panes = self.w.open_panes
        if len(panes) > 1:
            source = panes[self.w.active]
            waiting = [t.row.lang for t in panes if t is not source and self.alignments.pending(source, t)]
            if waiting:  # projection rides on the alignment: none yet, so no suggestion would be honest
                self.w.info(f"The {source.row.lang} ↔ {', '.join(waiting)} alignment is still being computed: "
                            "press Ctrl+P again when it is done (Esc stops aligning)")
                return
            stopped = [t.row.lang for t in panes if t is not source and self.alignments.is_stopped(source, t)]
            if stopped:
                self.w.info(f"The {source.row.lang} ↔ {', '.join(stopped)} pair has no alignment (aligning was "
                            "stopped): F5 aligns it, then Ctrl+P projects")
                return
            found = self.suggestions.project_from(source, panes, self.alignments.blocks,
                                                       self.alignments.crossings)
            self.tabs.setCurrentWidget(self.suggestions)
            self.w.info(found)

    def step_suggestion(self, forward: bool) -> None:
        s = self.suggestions.step(forward)
        if s is not None:
            s.target.place_caret(s.proposal.start, focus=True)

    def decide(self, accept: bool, all_shown: bool) -> None:
        """Accept or reject, then show the suggestion that is current now (the next one)."""
        panel = self.suggestions
        if (panel.accept if accept else panel.reject)(all_shown):
            self.show_current_suggestion()

    def show_current_suggestion(self) -> None:
        """The caret to the current suggestion in its pane; the other panes follow."""
        s = self.suggestions.current()
        if s is not None:
            s.target.place_caret(s.proposal.start)

    # -- disagreements -------------------------------------------------------------------------------
    def focus_disagreements(self) -> None:
        self.tabs.setCurrentWidget(self.disagreements)
        self.disagreements.focus_list()

    def disagreements_stale(self) -> None:
        """The store may have changed: the report is to be recomputed when next seen (its
        count in the tab's title is dropped meanwhile rather than left wrong)."""
        self.stale_disagreements = True
        if self.tabs.currentWidget() is not self.disagreements:
            self.tabs.setTabText(1, "Disagreements")

    def disagreements_shown(self) -> None:
        """Recompute a stale report, but only while its tab is the current one: the
        report reads every record of the group and costs far more than the rest of a sync."""
        if self.stale_disagreements and self.tabs.currentWidget() is self.disagreements:
            self.sync_disagreements()

    def sync_disagreements(self) -> None:
        self.stale_disagreements = False
        panes = self.w.open_panes
        n = self.disagreements.refresh(self.w.project, self.w.annotator, [p.doc_id for p in panes])
        self.tabs.setTabText(1, f"Disagreements ({n})" if n else "Disagreements")

    def show_disagreement(self, doc, span, other_doc, other_span) -> None:
        """Emphasise the item's spans; the first pane with one scrolls to it and leads,
        the others only reveal theirs (no following, which would undo that)."""
        first = True
        for pane in self.w.open_panes:
            uids = [s for d, s in ((doc, span), (other_doc, other_span)) if d == pane.row.uid and s]
            marks = [m for u in uids if (m := pane.workspace.highlighter.mark(u))]
            pane.show_ranges("disagreement", [(m.start, m.end) for m in marks], emphasis_format())
            if marks and first:
                pane.place_caret(marks[0].start)
                first = False
            elif marks:
                self.w.reveal(pane, marks[0].start)
