"""File > Import a knowledge-base table…: a CSV of id,label,aliases becomes the project's
table (store.kb_table, one undoable change through the edit runner); a bad file changes
nothing and its every bad row is shown, named by line."""

from __future__ import annotations

from pathlib import Path

from annotator.store.kb_table import import_kb_file
from annotator.ui.app import file_dialogs
from annotator.ui.widgets.plain import error

FILTER = "Knowledge-base tables (*.csv *.txt);;All files (*)"


def import_kb_table(window, path: Path | None = None) -> int | None:
    """Imports `path` (asked for when None) into the window's project; the rows imported,
    or None when nothing was (cancelled, or refused: the reason shown)."""
    if path is None:
        path = file_dialogs.open_file(window, "Import a knowledge-base table", FILTER)
        if path is None:
            return None
    failures: list[str] = []
    window.edits.failed.connect(collect := lambda message, _by: failures.append(message))
    try:
        change = window.edits.run(lambda: import_kb_file(window.project, path), window)
    finally:
        window.edits.failed.disconnect(collect)
    if change is None:
        error(window, "Knowledge-base table not imported", "\n".join(failures).replace("; line ", "\nline "))
        return None
    window.statusBar().showMessage(f"Knowledge-base table imported from {path.name}: {change.result:,} rows", 8000)
    return change.result
