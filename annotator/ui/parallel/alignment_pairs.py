"""The sentence alignments between the documents on screen, and their edits.

A pair shows the stored alignment if the annotator has one, else the aligner's
suggestion (computed once per pair and kept, since Gale-Church over a long pair is not
free). An edit is computed by core.alignment_edit on what is shown, saved as the whole
new alignment in one committed transaction through the edit runner (ui.edits), whose
undo puts the previous one back; so the first edit of a suggestion stores it, edited."""

from __future__ import annotations

from annotator.core.alignment import align_sentences
from annotator.core.alignment_edit import swapped
from annotator.core.records import Block
from annotator.store.parallel import save_alignment, stored_alignment
from annotator.store.project import Project
from annotator.ui.edits import Edits
from annotator.ui.parallel.panes import ParallelPane


class AlignmentPairs:
    def __init__(self, project: Project, annotator: str, edits: Edits, window: object) -> None:
        self.project, self.annotator, self.edits, self.window = project, annotator, edits, window
        self._suggested: dict[tuple[int, int], list[Block]] = {}

    def blocks(self, a: ParallelPane, b: ParallelPane) -> tuple[list[Block], bool]:
        """The alignment of a's document (side a) with b's (side b), and whether it is stored."""
        with self.project.read() as conn:  # read either way round, oriented (a, b)
            stored = stored_alignment(conn, a.doc_id, b.doc_id, self.annotator)
        if stored is not None:
            return stored, True
        key = (a.doc_id, b.doc_id)
        if key not in self._suggested:
            flipped = self._suggested.get((b.doc_id, a.doc_id))
            self._suggested[key] = swapped(flipped) if flipped is not None else align_sentences(
                a.text, a.row.lang, b.text, b.row.lang, a.sentences, b.sentences)
        return list(self._suggested[key]), False

    def save(self, a: ParallelPane, b: ParallelPane, blocks: list[Block], what: str) -> bool:
        """Store `blocks` as the alignment of a with b, as one undo step. False (reported)
        if nothing was saved."""
        ids = (a.doc_id, b.doc_id)  # replaces the pair's alignment whichever way it was stored
        return self.edits.run(lambda: save_alignment(self.project, *ids, self.annotator, blocks, what.lower()),
                              self.window) is not None
