"""Exporting a project's records to a file (or a new folder) in one of the registry's
formats, for the GUI's Export dialog. It applies the rules of `annotator export`: the
target is checked before anything is read (never the project, one of its companions or
another project; an existing file only when replacing), the registry's writers write, and
the file appears atomically, complete or not at all.

Layers: every layer (one record per document and layer), one annotator's, the gold layer
(only the documents that have one), or several chosen annotators; formats other than
gold JSONL hold one layer per document, as on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import DocumentRecord
from annotator.formats import carried_schema, registry
from annotator.output_file import atomic_folder, atomic_output, check_target
from annotator.store.layers import has_gold_layer, layer_annotators
from annotator.store.project import Project
from annotator.store.records_out import iter_records


class ExportCancelled(Exception):
    """Stopped by the caller; nothing was written (the output is atomic)."""


@dataclass
class ExportChoice:
    output: Path
    fmt: str = "jsonl"
    layers: list[str] | None = None  # annotator names (GOLD_ANNOTATOR for gold); None: every layer
    document_ids: list[int] | None = None  # None: every document
    force: bool = False  # replace an existing regular file (never a project)
    options: dict = field(default_factory=dict)  # the writer's (CoNLL: scheme, tokenise)


@dataclass
class ExportSummary:
    output: Path
    fmt: str
    count: int
    left_out: list[str]


def export(project: Project, choice: ExportChoice, cancelled: Callable[[], bool] = lambda: False,
           progress: Callable[[int], object] = lambda n: None) -> ExportSummary:
    """Write the chosen records; `progress(records so far)` now and then, and stop with
    ExportCancelled (nothing written) once `cancelled()` is true."""
    form = registry.get(choice.fmt, writable=True)
    write = form.write
    assert write is not None  # registry.get(writable=True) gives a format that writes
    own_file = project.path if isinstance(project.path, Path) else None  # a server project has no file to guard
    if not form.writes_folder:  # before reading anything: the project is never the target
        check_target(choice.output, choice.force, project=own_file)
    options = dict(choice.options)
    beside = form.schema_beside  # the schema a new project reads it back with, as `annotator export -o`
    if beside:
        check_target(carried_schema.sidecar(choice.output), choice.force, project=own_file)
        options["schema"] = carried_schema.sidecar(choice.output).name
    with project.read() as conn:
        known = layer_annotators(conn)
        layers = choice.layers
        if layers is not None:
            if GOLD_ANNOTATOR in layers and not has_gold_layer(conn):
                raise AnnotatorError(f"{project.path}: no gold layer yet; adjudicate first, or export "
                                     "an annotator's layer")
            unknown = [n for n in layers if n != GOLD_ANNOTATOR and n not in known]
            if unknown:
                raise AnnotatorError(f"{project.path}: no layer by annotator {unknown[0]!r}; annotators with "
                                     f"a layer: {', '.join(known) or '(none)'}")
            if not layers:
                raise AnnotatorError("no layer chosen: choose at least one layer to export")
        one = layers[0] if layers is not None and len(layers) == 1 else None
        if not form.layers and one is None and (layers is not None or len(known) > 1):
            raise AnnotatorError(f"{form.name} holds one layer per document; choose one layer "
                                 f"(annotators with a layer: {', '.join(known)})")
        records: Iterator[DocumentRecord] = iter_records(conn, annotator=one, document_ids=choice.document_ids)
        if one == GOLD_ANNOTATOR:  # a document not adjudicated yet is no gold negative example
            records = (rec for rec in records if rec.has_layer)
        elif layers is not None and one is None:
            wanted = set(layers)
            records = (rec for rec in records if rec.annotator in wanted)
        records = _watched(records, cancelled, progress)
        if form.writes_folder:
            if form.name == "hf":  # tag numbers from the schema's labels, the same for every export
                options["labels"] = [lab.name for lab in project.schema.labels]
            with atomic_folder(choice.output) as folder:
                result = write(records, folder, **options)
        else:
            with atomic_output(choice.output, choice.force) as out:
                result = write(records, out, **options)
                if beside:  # written before the export is moved into place, so it never names a missing file
                    with atomic_output(carried_schema.sidecar(choice.output), choice.force) as side:
                        side.write(project.schema.to_json().encode("utf-8") + b"\n")
    return ExportSummary(choice.output, form.name, result.count, list(result.left_out))


def _watched(records: Iterator[DocumentRecord], cancelled: Callable[[], bool],
             progress: Callable[[int], object]) -> Iterator[DocumentRecord]:
    for n, rec in enumerate(records):
        if cancelled():
            raise ExportCancelled()
        if n % 200 == 0:
            progress(n)
        yield rec
