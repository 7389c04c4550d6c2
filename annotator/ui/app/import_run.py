"""What the Import dialog runs on its worker thread: the importer's public API
(annotator.importer), with a way to stop that leaves the project as it was.

The importer reads and checks every file before its one transaction, so stopping before
that transaction writes nothing, and stopping inside it rolls it back. When `import_paths`
takes a `progress` callback (an importer.Progress after each file read and each batch
written), it is given one that reports how far the import is and stops it (by raising
Cancelled) once the user has cancelled. Until it does, each input is read and checked here first, one
at a time, with its name shown and a chance to cancel between inputs; the import itself
(one all-or-nothing transaction) follows.

With a suggestion source named, the files' spans are loaded as that source's suggestions
instead (importer.import_suggestions, as `annotator import --as-suggestions --source`):
read and checked whole before its one transaction, which replaces what the source held.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import importer
from annotator.core.schema_add import Additions
from annotator.store.project import Project
from annotator.store.records_in import ImportReport
from annotator.ui.app.file_job import Cancelled


@dataclass(frozen=True)
class ImportChoice:
    paths: tuple[Path, ...]
    fmt: str | None = None  # None: decided by each file's content
    annotator: str | None = None  # the layer of records that carry none (default: the file's name)
    add_labels: bool = True
    strict: bool = False
    suggestion_source: str | None = None  # set: the spans are that source's suggestions, not a layer

    @property
    def options(self) -> dict:
        return {"annotator": self.annotator or None}


def importer_reports_progress() -> bool:
    return "progress" in inspect.signature(importer.import_paths).parameters


def run_import(project: Project, choice: ImportChoice, cancelled: Callable[[], bool],
               progress: Callable[[int, int, str], object]) -> ImportReport | importer.SuggestionImport:
    def check() -> None:
        if cancelled():
            raise Cancelled()

    paths = list(choice.paths)
    if choice.suggestion_source is not None:
        check()
        progress(0, 0, "reading and checking the files")
        return importer.import_suggestions(project, paths, choice.suggestion_source, fmt=choice.fmt,
                                           options=choice.options)
    kwargs = dict(strict=choice.strict, fmt=choice.fmt, options=choice.options, add_labels=choice.add_labels)
    if importer_reports_progress():
        def report(*args, **named) -> None:
            check()
            done, total, what = _progress_args(args, named)
            progress(done, total, what)

        return importer.import_paths(project, paths, progress=report, **kwargs)
    for n, path in enumerate(paths):
        check()
        progress(n, len(paths), str(path))
        importer.read_inputs([path], project.languages, project.schema, [], choice.fmt, choice.options, [],
                             Additions() if choice.add_labels else None)
    check()
    progress(len(paths), len(paths), "writing to the project")
    return importer.import_paths(project, paths, **kwargs)


def _progress_args(args: tuple, named: dict) -> tuple[int, int, str]:
    """(done, total, what) from whatever the importer reports: an importer.Progress
    (bytes read, then records written), or numbers (done and total) and a path or a
    string that says what is being read."""
    values = list(args) + list(named.values())
    if values and isinstance(values[0], importer.Progress):
        p = values[0]
        if p.records_total:
            return p.records, p.records_total, "writing to the project"
        # In kB: the bar's range is a C int, and a file may pass 2 GB.
        return p.bytes_done // 1000, p.bytes_total // 1000, "reading and checking the files"
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    words = [str(v) for v in values if isinstance(v, str | Path)]
    done = numbers[0] if numbers else 0
    total = numbers[1] if len(numbers) > 1 else 0
    return done, total, words[0] if words else ""


def summary_lines(report: ImportReport) -> list[str]:
    """What was added, skipped and why, and every warning and note: nothing left unsaid."""
    lines = [f"Added {len(report.added)} document(s) and {report.layer_count} layer(s); "
             f"skipped {len(report.duplicates)} duplicate(s); {len(report.warnings)} warning(s)."]
    lines += [f"Added: {doc}" for doc in report.added]
    lines += [f"Added {who}'s layer to the existing document {doc}" for doc, who in report.layers]
    lines += [f"Skipped {where}: the same text as document {existing}, already in the project"
              for where, existing in report.duplicates]
    lines += report.warnings
    lines += report.notes
    return lines


def suggestion_summary_lines(report: importer.SuggestionImport, source: str) -> list[str]:
    """How many suggestions were loaded for how many documents, and each record that
    matched no document (its spans not loaded) and every warning."""
    lines = [f"Loaded {report.loaded} suggestion(s) for {report.documents} document(s) as source «{source}»; "
             f"{len(report.unmatched)} record(s) matched no document."]
    lines += [f"{where}: no document in the project has this text; its spans were not loaded"
              for where in report.unmatched]
    lines += report.warnings
    return lines
