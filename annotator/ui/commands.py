"""Undo commands: thin wrappers whose redo/undo call store operations via the workspace.

A command is pushed only after its first execution has committed, so a failure is
reported before anything is shown as done; the push then skips that first redo.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.store.spans import SpanData


class StoreCommand(QUndoCommand):
    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 report: Callable[[Exception], None]) -> None:
        super().__init__(text)
        self._do, self._undo, self._report = do, undo, report
        self._first = True

    def redo(self) -> None:
        if self._first:  # already done and committed before the push
            self._first = False
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, fn: Callable[[], object]) -> None:
        # Exceptions must not escape into Qt's virtual call, where they would be lost.
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - shown to the user, and the stack is left as is
            self._report(exc)


def describe(verb: str, spans: list[SpanData]) -> str:
    if len(spans) == 1:
        return f"{verb} {spans[0].label}"
    docs = len({s.document_id for s in spans})
    return f"{verb} {len(spans)} spans" + (f" in {docs} documents" if docs > 1 else "")
