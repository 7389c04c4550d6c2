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

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import DEPTH_WORDS, DocumentRecord, depth_counts
from annotator.core.schema import Schema
from annotator.formats import carried_schema, registry
from annotator.formats.base import Format, WriteResult
from annotator.output_file import atomic_folder, atomic_output, check_target

if TYPE_CHECKING:  # `annotator export` writes through check_targets and write_out without SQLAlchemy
    from annotator.store.project import Project


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
    from annotator.store.layers import has_gold_layer, layer_annotators
    from annotator.store.records_out import iter_records

    form = registry.get(choice.fmt, writable=True)
    own_file = project.path if isinstance(project.path, Path) else None  # a server project has no file to guard
    options = dict(choice.options)
    check_targets(form, choice.output, choice.force, own_file, options)
    if project.integrity is not None:  # opened with its damage check still running: whole, or refused
        project.integrity.require_whole()
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
        result, left_out = write_out(form, records, choice.output, choice.force, options, project.schema)
    return ExportSummary(choice.output, form.name, result.count, left_out)


def _watched(records: Iterator[DocumentRecord], cancelled: Callable[[], bool],
             progress: Callable[[int], object]) -> Iterator[DocumentRecord]:
    for n, rec in enumerate(records):
        if cancelled():
            raise ExportCancelled()
        if n % 200 == 0:
            progress(n)
        yield rec


def check_targets(form: Format, output: Path | None, force: bool, project_file: Path | None, options: dict) -> bool:
    """Before anything is read: the target, and the schema file written beside it, may be
    written (never a project, one of its files, or anything but a regular file). Names the
    schema file in the writer's `options`; whether one is written."""
    if output is None:
        return False
    if not form.writes_folder:
        check_target(output, force, project=project_file)
    if not form.schema_beside:
        return False
    side = carried_schema.sidecar(output)
    check_target(side, force, project=project_file)
    options["schema"] = side.name
    return True


def write_out(form: Format, records: Iterable[DocumentRecord], output: Path | None, force: bool, options: dict,
              schema: Schema, stream: BinaryIO | None = None) -> tuple[WriteResult, list[str]]:
    """Write `records` as `form` to a new folder, a file (atomically, with the schema beside
    it when check_targets said so) or `stream`; the result and what the format had no
    place for, counted (issue 14's relations, attributes, fragments, clusters included)."""
    write = form.write
    assert write is not None  # registry.get(writable=True) gives a format that writes
    depth: Counter[str] = Counter()
    if any(k not in form.carries for k in DEPTH_WORDS):  # what the format's writer does not map, counted here
        records = _tallied(records, depth, form.carries)
    if form.writes_folder:
        assert output is not None
        if form.name == "hf":  # tag numbers from the schema's labels, the same for every export
            options["labels"] = [lab.name for lab in schema.labels]
        with atomic_folder(output) as folder:
            result = write(records, folder, **options)
    elif output is None:
        assert stream is not None
        result = write(records, stream, **options)
        stream.flush()
    else:
        with atomic_output(output, force) as out:
            result = write(records, out, **options)
            if "schema" in options:  # written before the export is moved into place, so it never names a missing file
                with atomic_output(carried_schema.sidecar(output), force) as side:
                    side.write(schema.to_json().encode("utf-8") + b"\n")
    left_out = list(result.left_out) + [f"{depth[k]} {words}" for k, words in DEPTH_WORDS.items() if depth[k]]
    return result, left_out


def _tallied(records: Iterable[DocumentRecord], depth: Counter[str], carried: tuple[str, ...]
             ) -> Iterator[DocumentRecord]:
    """`records`, counting into `depth` what issue 14 adds to them (core.records.depth_counts)
    that the format does not carry."""
    for rec in records:
        depth.update({k: n for k, n in depth_counts(rec).items() if k not in carried})
        yield rec
