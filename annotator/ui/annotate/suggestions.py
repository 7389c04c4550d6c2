"""Suggestions in the workspace: ghost spans from the project's recommenders and from
imported predictions, reviewed with keys.

- What a document shows: the trained recommenders' suggestions (recomputed, never
  stored: retrained after commits, so they follow the layers) merged with the imported
  sources' (stored: `annotator import --as-suggestions`; shown at once, before any
  training), minus what overlaps a span of the layer and what this annotator rejected
  (suggest.combine). They are in no layer, export or agreement until accepted.
- Accepting is adding a span through the edit runner (one undo step; accepting all
  above the threshold is one step too); rejecting stores a rejection (an undoable edit as
  well), which hides the suggestion for good and is negative evidence for the next
  training.
- Retraining: each commit that changes spans, statuses or rejections restarts a timer;
  when commits pause for RETRAIN_DELAY_MS the recommenders are trained again on a worker
  thread (recommenders.Retrainer), and the open document's suggestions are recomputed
  when the new models arrive. `retrained` is emitted then.
- Uncertainty: the navigator can list the least sure documents first (`confidences`,
  computed with a training when asked for); `next_uncertain_sentence` walks the open
  document's sentences from the least sure.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store import spans as ops
from annotator.store.changes import Change
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData
from annotator.store.suggestions import reject_suggestion, rejections, stored_suggestions
from annotator.suggest.base import Suggestion
from annotator.suggest.combine import combine
from annotator.ui.annotate.recommenders import Retrainer, Trained, sentence_confidences
from annotator.ui.document.suggestion_layer import Ghost, SuggestionLayer, describe

# Commits closer together than this are one burst: one training after the last.
RETRAIN_DELAY_MS = 1500
DEFAULT_THRESHOLD = 0.8
# The trained models tag about 400 characters per CPU millisecond (bench/bench_suggest_open.py),
# so a document up to this length has its suggestions at once for under 20 ms; a longer
# one's are computed on the worker thread and show when ready: opening never waits for them.
SYNC_CHARS = 6_000
UNCERTAIN = "uncertain"  # the view overlay of the sentence stepped to
_TABLES = ("spans", "document_status", "suggestion_rejections", "suggestions")


class Suggestions(QObject):
    retrained = Signal(object)  # a Trained: new models are in use and the document's suggestions recomputed
    confidences = Signal(object)  # {document id: confidence or None}, after a training that computed them
    refreshed = Signal()  # the open document's ghosts were shown anew
    info = Signal(str)  # for the status bar

    def __init__(self, workspace, parent: QObject | None = None) -> None:
        super().__init__(parent or workspace)
        self.ws = workspace
        self.project, self.edits = workspace.project, workspace.edits
        self.layer = SuggestionLayer(workspace.view, {lab.name: lab.colour for lab in self.project.schema.labels})
        self.visible = True
        self.threshold = DEFAULT_THRESHOLD
        self.trained: Trained | None = None
        self.want_confidences = False  # the navigator orders by uncertainty: score documents when training
        # Learn from every annotator's layer and gold (the command line's default), or only
        # from this annotator's and gold: in a double-annotated project another
        # annotator's layer of the same document would be suggested back (and agree with itself).
        self.learn_from_all = True
        self.trainings = 0  # trainings delivered
        # (document, annotator) whose stored suggestions and rejections were read
        self._doc: tuple[int | None, str] | None = None
        self._lang = ""
        self._imported: list[Suggestion] = []
        self._rejected: set[tuple[int, int, str]] = set()
        self._sentences: list[tuple[int, int, float]] | None = None  # the open document's, least sure first
        self._sentence = -1
        # The models' suggestions for the open document, none dropped for the layer's spans:
        # (key, suggestions); and the key a long document's were asked for on the worker.
        self._raw: tuple[object, list[Suggestion]] | None = None
        self._asked: object = None
        self.retrainer = Retrainer(self.project, self)
        self.retrainer.predicted.connect(self._predicted)
        self.retrainer.finished.connect(self._trained)
        self.retrainer.failed.connect(lambda message: self.info.emit(f"Suggestions not retrained: {message}"))
        self.timer = QTimer(self, singleShot=True, interval=RETRAIN_DELAY_MS)
        self.timer.timeout.connect(self.retrain)
        workspace.opened.connect(self._opened)
        workspace.view.acceptKey.connect(self.accept)
        workspace.caret_label = self.accept_as
        self.edits.changed.connect(self._on_change)

    # -- training ------------------------------------------------------------------------
    def retrain(self, full: bool = False) -> None:
        """Train now (on the worker thread; `full`: the CRF too, even if not due); the
        result arrives as `retrained`."""
        self.timer.stop()
        self.retrainer.request(self.want_confidences,
                               None if self.learn_from_all else [self.ws.annotator, GOLD_ANNOTATOR], full)

    def set_learn_from_all(self, on: bool) -> None:
        if on != self.learn_from_all:
            self.learn_from_all = on
            self.retrain()

    def order_by_uncertainty(self, on: bool) -> None:
        """The navigator wants (or no longer wants) every document's confidence."""
        self.want_confidences = on
        if on and self.trained is not None and self.trained.confidences:
            self.confidences.emit(self.trained.confidences)
        elif on:
            self.retrain()

    def _trained(self, trained: Trained) -> None:
        self.trained = trained
        self.trainings += 1
        self._sentences = None
        self.refresh()
        self.retrained.emit(trained)
        if trained.confidences:
            self.confidences.emit(trained.confidences)

    def close(self) -> None:
        self.timer.stop()
        self.retrainer.close()

    # -- what the document shows ------------------------------------------------------------
    def _opened(self, _doc_id) -> None:
        self._sentences, self._sentence = None, -1
        self.ws.view.set_overlay(UNCERTAIN, [])
        self.refresh(keep_current=False)

    def _read_document(self) -> None:
        doc = self.ws.doc_id
        with self.project.read() as conn:
            rows = list_documents(conn, doc_ids=[doc])
            self._imported = [Suggestion(r.start, r.end, r.label, r.score, r.source)
                              for r in stored_suggestions(conn, [doc])]
            self._rejected = rejections(conn, [doc], self.ws.annotator).get(doc, set())
        self._lang = rows[0].lang if rows else ""
        self._doc = (doc, self.ws.annotator)

    def compute(self) -> list[Ghost]:
        """The open document's suggestions as they are to be shown (see the module docstring)."""
        if self.ws.doc_id is None:
            return []
        if self._doc != (self.ws.doc_id, self.ws.annotator):
            self._read_document()
        # The layer's spans as (start, end): 50,000 of them in a 1 MB document, on every
        # edit, so only when there is something to combine with them.
        existing = [(m.start, m.end) for m in self.ws.spans()] \
            if self._imported or self.trained is not None else []
        suggester = self.trained.suggester if self.trained is not None else None
        if suggester is None:
            found = combine([self._imported], existing, self._rejected)
            return [Ghost(s.start, s.end, s.label, s.score, s.source) for s in found]
        # The models' output for this document is kept until a training, a rejection or an
        # import changes it: an accept or any other edit only filters it again.
        key = (self.ws.doc_id, self.trainings, frozenset(self._rejected), tuple(self._imported))
        if self._raw is not None and self._raw[0] == key:
            found = combine([self._raw[1]], existing, self._rejected)
        elif len(self.ws.text) <= SYNC_CHARS:
            raw = suggester.suggest(self.ws.text, self._lang, (), self._rejected, self._imported)
            self._raw = (key, raw)
            found = combine([raw], existing, self._rejected)
        else:  # from the worker thread; the imported ones meanwhile
            if self._asked != key:
                self._asked = key
                self.retrainer.predict(key, suggester, self.ws.text, self._lang, set(self._rejected),
                                       list(self._imported))
            found = combine([self._imported], existing, self._rejected)
        return [Ghost(s.start, s.end, s.label, s.score, s.source) for s in found]

    def _predicted(self, key: object, found: list[Suggestion]) -> None:
        if key == self._asked:
            self._raw = (key, found)
            self.refresh()

    def refresh(self, keep_current: bool = True) -> None:
        if not self.visible or self.ws.doc_id is None:
            self.layer.clear()
        else:
            current = self.layer.current if keep_current else None
            self.layer.show(self.compute(), self.ws.omap, current)
        self.refreshed.emit()

    def reload(self) -> None:
        """Read the stored suggestions and rejections again (written outside the edit
        runner: an import of suggestions) and show the document's anew."""
        self._doc = None
        self.refresh()

    def set_visible(self, on: bool) -> None:
        """The toggle: hidden suggestions are neither shown nor reviewed (nor computed)."""
        self.visible = on
        self.refresh()
        self.info.emit("Suggestions shown" if on else "Suggestions hidden")

    def shown(self) -> list[Ghost]:
        return list(self.layer.ghosts)

    # -- after a committed change, undo or redo -----------------------------------------------
    def _on_change(self, change: Change, _initiator) -> None:
        if not change.touches(*_TABLES):
            return
        if change.touches("spans", "document_status", "suggestion_rejections"):
            self.timer.start()  # restarts: one training once commits pause
        if self.ws.doc_id in change.documents or change.touches("suggestions"):
            if change.touches("suggestion_rejections", "suggestions"):
                self._doc = None  # read the document's rejections and stored suggestions again
            self.refresh()

    # -- reviewing ---------------------------------------------------------------------------
    def at_caret(self) -> Ghost | None:
        if not self.visible:
            return None
        pos = self.ws.omap.from_display(self.ws.view.textCursor().position())
        current = self.layer.current
        if current is not None and current.start <= pos <= current.end:
            return current
        return self.layer.at(pos)

    def _wanted(self) -> Ghost | None:
        ghost = self.at_caret()
        if ghost is None:
            self.info.emit("Suggestions are hidden (Ctrl+Shift+H shows them)" if not self.visible else
                           "No suggestion at the caret: F8 goes to the next one")
        return ghost

    def accept(self) -> bool:
        ghost = self._wanted()
        return ghost is not None and self._accept(ghost, ghost.label)

    def accept_as(self, label: str) -> bool:
        """A label key with no selection: accept the suggestion at the caret as `label`.
        False (nothing done, nothing said) when there is none."""
        ghost = self.at_caret()
        return ghost is not None and self._accept(ghost, label)

    def _accept(self, ghost: Ghost, label: str) -> bool:
        span = SpanData("", self.ws.doc_id, self.ws.annotator, ghost.start, ghost.end, label,
                        value=self.ws.suggested_value(label, ghost.start, ghost.end))
        after = self._after(ghost)
        change = self.edits.run(lambda: ops.add_spans(self.project, [span]), self.ws.initiator)
        if not change:
            return False
        self._go_to(after, quiet=True)
        self.info.emit(f"Accepted {label} «{self.ws.text[ghost.start:ghost.end]}»"
                       + (f" (suggested {ghost.label})" if label != ghost.label else ""))
        return True

    def reject(self) -> bool:
        ghost = self._wanted()
        if ghost is None:
            return False
        after = self._after(ghost)
        doc, who = self.ws.doc_id, self.ws.annotator
        change = self.edits.run(lambda: reject_suggestion(self.project, doc, who, ghost.start, ghost.end, ghost.label),
                                self.ws.initiator)
        if change is None:
            return False
        self._go_to(after, quiet=True)
        self.info.emit(f"Rejected {ghost.label} «{self.ws.text[ghost.start:ghost.end]}»: not suggested again")
        return True

    def accept_all(self) -> int:
        """Every shown suggestion scored at or above the threshold, as one undo step."""
        if not self.visible:
            self.info.emit("Suggestions are hidden (Ctrl+Shift+H shows them)")
            return 0
        chosen = [g for g in self.layer.ghosts if g.score >= self.threshold]
        if not chosen:
            self.info.emit(f"No suggestion scored {self.threshold:.0%} or more in this document")
            return 0
        spans = [SpanData("", self.ws.doc_id, self.ws.annotator, g.start, g.end, g.label,
                          value=self.ws.suggested_value(g.label, g.start, g.end)) for g in chosen]
        change = self.edits.run(lambda: ops.add_spans(self.project, spans), self.ws.initiator)
        if not change:
            return 0
        self.info.emit(f"Accepted {len(spans)} suggestion{'s' if len(spans) != 1 else ''} scored "
                       f"{self.threshold:.0%} or more (Ctrl+Z undoes them all)")
        return len(spans)

    def step(self, forward: bool = True) -> Ghost | None:
        """F8 / Shift+F8: the next (previous) suggestion after (before) the caret, wrapping."""
        ghosts = self.layer.ghosts if self.visible else []
        if not ghosts:
            self.info.emit("No suggestions in this document" if self.visible else
                           "Suggestions are hidden (Ctrl+Shift+H shows them)")
            return None
        pos = self.ws.omap.from_display(self.ws.view.textCursor().position())
        current = self.layer.current
        if forward:  # one starting at the caret counts, unless it is the current one already
            target = next((g for g in ghosts if g.start > pos or (g.start == pos and g != current)), ghosts[0])
        else:
            before = [g for g in ghosts if g.start < (current.start if current and current.start <= pos <= current.end
                                                      else pos)]
            target = before[-1] if before else ghosts[-1]
        self._go_to(target)
        return target

    def _after(self, ghost: Ghost) -> Ghost | None:
        """The suggestion the review moves on to once `ghost` is decided."""
        return next((g for g in self.layer.ghosts if g.start >= ghost.end), None)

    def _go_to(self, ghost: Ghost | None, quiet: bool = False) -> None:
        """Caret to the start of `ghost`, drawn as the current one (none: no current)."""
        if ghost is None or ghost not in self.layer.ghosts:
            self.layer.show(self.layer.ghosts, self.ws.omap, None)
            return
        self.ws.select_span(None)
        start, _end = self.layer.display_range(ghost)
        self.ws.view.select(start, start)
        self.ws.view.ensureCursorVisible()
        self.layer.show(self.layer.ghosts, self.ws.omap, ghost)
        if not quiet:
            self.info.emit(f"{describe(ghost)}: Return accepts, a label key accepts as that label, "
                           "Ctrl+Backspace rejects")

    # -- uncertainty ---------------------------------------------------------------------------
    def next_uncertain_sentence(self) -> tuple[int, int, float] | None:
        """Ctrl+F8: the open document's sentences from the least sure, one per press (wrapping)."""
        suggester = self.trained.suggester if self.trained is not None else None
        if suggester is None or self.ws.doc_id is None:
            self.info.emit("Nothing to be unsure about yet: the recommenders learn from the first spans labelled")
            return None
        if self._sentences is None:
            if self._doc != (self.ws.doc_id, self.ws.annotator):
                self._read_document()
            self._sentences = sorted(sentence_confidences(suggester, self.ws.text, self._lang),
                                     key=lambda s: (s[2], s[0]))
            self._sentence = -1
        if not self._sentences:
            return None
        self._sentence = (self._sentence + 1) % len(self._sentences)
        a, b, confidence = self._sentences[self._sentence]
        omap = self.ws.omap
        self.ws.select_span(None)
        self.ws.view.select(omap.to_display(a), omap.to_display(a))
        self.ws.view.ensureCursorVisible()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 236, 140, 90))
        self.ws.view.set_overlay(UNCERTAIN, [(omap.to_display(a), omap.to_display(b))], fmt)
        self.info.emit(f"Sentence {self._sentence + 1} of {len(self._sentences)} by uncertainty: "
                       f"{confidence:.0%} sure (Ctrl+F8: the next)")
        return a, b, confidence
