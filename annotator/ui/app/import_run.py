"""What the Import dialog runs on its worker thread: the importer's public API
(annotator.importer), with a way to stop that leaves the project as it was.

The importer reads, checks and writes batch by batch in one transaction (gold JSONL a line
at a time), calling `progress` with an importer.Progress after each file read and each batch
written: the bar follows the bytes read of the files' total (the number of records is known
only at the end), the line says how many records are written so far, and a cancel raises
Cancelled from that callback, which rolls the transaction back.

With a suggestion source named, the files' spans are loaded as that source's suggestions
instead (importer.import_suggestions, as `annotator import --as-suggestions --source`):
read and checked whole before its one transaction, which replaces what the source held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator import importer
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


def run_import(project: Project, choice: ImportChoice, cancelled: Callable[[], bool],
               progress: Callable[[int, int, str], object]) -> ImportReport | importer.SuggestionImport:
    """Runs the import `choice` names; `progress(done, total, line)` is the bar's value and
    range (total 0: busy) and the line to show."""
    def check() -> None:
        if cancelled():
            raise Cancelled()

    paths = list(choice.paths)
    if choice.suggestion_source is not None:
        check()
        progress(0, 0, "Reading and checking the files…")
        return importer.import_suggestions(project, paths, choice.suggestion_source, fmt=choice.fmt,
                                           options=choice.options)

    def report(p: importer.Progress) -> None:
        check()
        progress(*progress_line(p))

    return importer.import_paths(project, paths, progress=report, strict=choice.strict, fmt=choice.fmt,
                                 options=choice.options, add_labels=choice.add_labels)


def progress_line(p: importer.Progress) -> tuple[int, int, str]:
    """(done, total, line) of an importer.Progress: kB read of the files' total (the
    bar's range is a C int, and a file may pass 2 GB; rounded up, so that a file under
    1 kB still has a range), and the records written so far."""
    done, total = -(-p.bytes_done // 1000), -(-p.bytes_total // 1000)
    return done, total, f"Read {done:,} of {total:,} kB; {p.records:,} record(s) written so far"


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
