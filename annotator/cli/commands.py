"""Command line. `annotator` with no arguments opens the GUI on the default project.

Errors go to stderr as one message naming the file and the place, with exit status 1
(2 for usage errors, from argparse).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar, cast

from annotator import __version__
from annotator.cli.args import project_arg
from annotator.core.errors import AnnotatorError
from annotator.paths import default_project_path

if TYPE_CHECKING:
    from annotator.core.records import DocumentRecord
    from annotator.core.schema import Schema
    from annotator.formats.gold_jsonl import Lines

# Each command imports what it needs in its own function: `annotator --version` or
# `annotator stats` start without SQLAlchemy, jsonschema, Alembic or Qt
# (tests/cli/test_startup_imports.py).

_T = TypeVar("_T")


def build_parser(gui_only: bool = False) -> argparse.ArgumentParser:
    """The command line's parser; with `gui_only`, of the global options and `gui` alone
    (the GUI's launch: the other commands' parsers take about 10 ms to build)."""
    parser = argparse.ArgumentParser(prog="annotator", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="headless check of this installation: migrations, import, export, validation")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the GUI on a project file")
    p.add_argument("project", type=project_arg, nargs="?", help="project file (default: the default project)")
    p.add_argument("--annotator", help="annotate as NAME (default: ask on first start)")
    if gui_only:
        return parser

    p = sub.add_parser("init", help="create a project (with the seed documents unless --empty)")
    p.add_argument("project", type=project_arg)
    p.add_argument("--empty", action="store_true", help="no seed documents")
    p.add_argument("--schema", type=Path, help="annotation schema JSON (default: resources/schema.json)")

    p = sub.add_parser("import", help="import .txt, gold .jsonl, CoNLL, brat, Label Studio, doccano and Prodigy files "
                                      "and folders")
    p.add_argument("project", type=project_arg)
    p.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true",
                   help="refuse the import on any warning (an unknown key, a probable duplicate text) and on "
                        "labels, event types or roles the schema lacks")
    p.add_argument("--format", dest="fmt", metavar="F",
                   help="read the files named as F (default: decided by each file's content; `annotator formats`)")
    p.add_argument("--add-labels", action="store_true",
                   help="with --strict, still add the labels, event types and roles the project's schema lacks "
                        "(without --strict they are added anyway and listed; --strict alone refuses them)")
    p.add_argument("--annotator", help="the layer for annotations that name no annotator: another tool's file's "
                                       "(CoNLL, brat, Label Studio, doccano, Prodigy, spaCy), gold JSONL records "
                                       "without \"annotator\" (default: the file's name)")
    p.add_argument("--as-suggestions", action="store_true",
                   help="load the files' spans as suggestions (predictions made elsewhere), not as a layer: "
                        "matched to the documents with the same text, shown for review, never exported unless accepted")
    p.add_argument("--source", metavar="NAME",
                   help="with --as-suggestions: the suggestion source's name (default: the first file's name); "
                        "loading a source again replaces its suggestions")
    p.add_argument("--progress", action="store_true",
                   help="print a progress line per batch read and written and per file on stderr (on by default, "
                        "rewritten in place, when stderr is a terminal)")
    conll_options = p.add_argument_group("CoNLL")
    conll_options.add_argument("--column", type=int, metavar="N", help="the tag is in column N, from 1 (default: last)")
    conll_options.add_argument("--scheme", help="iob1, iob2, bioes or bilou (default: seen from the tags)")
    conll_options.add_argument("--joiner", help="put this between tokens (default: one space; '' for scripts "
                                                "written without spaces)")
    conll_options.add_argument("--sentences-per-document", type=int, metavar="N",
                               help="a document per N sentences (default: one per -DOCSTART-)")
    p.add_argument_group("doccano").add_argument(
        "--offsets", choices=("auto", "codepoints", "utf16", "graphemes"),
        help="the unit of the offsets (default: per line, the one its spans fit; see README)")

    p = sub.add_parser("export", help="export gold JSONL (stdout by default)")
    p.add_argument("project", type=project_arg)
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never a project)")
    p.add_argument("--format", dest="fmt", default="jsonl", metavar="F",
                   help="jsonl (default), conll, labelstudio, doccano, prodigy, spacy, or brat and hf (a new "
                        "folder, with -o) (`annotator formats` lists them)")
    p.add_argument("--scheme", default="iob2", help="CoNLL and hf tags: iob2 (default), iob1, bioes or bilou")
    p.add_argument("--tokens", default="words", choices=("words", "spaces"),
                   help="CoNLL and hf tokens: words and punctuation marks (default), or runs between spaces "
                        "(the tokens of an imported CoNLL file)")
    layer = p.add_mutually_exclusive_group()
    layer.add_argument("--annotator", help="only this annotator's layer, one line per document")
    layer.add_argument("--gold", action="store_true", help="only the gold (adjudicated) layer: one line per document that has one")

    p = sub.add_parser("validate", help="check a gold JSONL file against the schema and the offsets")
    p.add_argument("file", type=Path)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--schema", type=Path,
                       help="check labels and argument roles against this annotation schema "
                            "(default: the schema the file carries, else resources/schema.json)")
    which.add_argument("--project", type=project_arg, help="check them against this project's schema")
    p.add_argument("--strict", action="store_true", help="count warnings (unknown keys, BOM, CRLF) as errors")

    p = sub.add_parser("schema", help="print a project's annotation schema, or replace it (--set FILE)")
    p.add_argument("project", type=project_arg)
    p.add_argument("--set", type=Path, metavar="FILE",
                   help="make FILE the schema: add event types, roles or labels; refused if annotations would not fit")

    sub.add_parser("formats", help="the file formats import and export know")

    p = sub.add_parser("stats", help="documents, spans per language and label, status")
    p.add_argument("project", type=project_arg)
    # Commands of the parallel-text and quality areas live beside this module.
    from annotator.cli import guidelines as cli_guidelines
    from annotator.cli import kb as cli_kb
    from annotator.cli import parallel as cli_parallel
    from annotator.cli import quality as cli_quality
    from annotator.cli import server as cli_server
    from annotator.cli import suggest as cli_suggest

    for area in (cli_parallel, cli_quality, cli_guidelines, cli_kb, cli_suggest, cli_server):
        COMMANDS.update(area.register(sub))
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(gui_only=not words or words[0] == "gui").parse_args(argv)
    if args.self_test:
        from annotator.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return run_gui(default_project_path(), None, default=True)
    try:
        return COMMANDS[args.command](args)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `annotator export ... | head`
        return 0
    except OSError as exc:  # last resort: the specific messages are raised where the file is known
        where = exc.filename or getattr(args, "project", None) or "annotator"
        print(f"annotator: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def process_main() -> int:
    """main() as the whole work of its process: the `annotator` console script, `python -m
    annotator` and the bundle's command line. (Not main itself: tests call main in their
    own process, many times.)"""
    status = main()
    # The process ends next: the interpreter's last collection would walk every object
    # the command made only to free what the exit frees anyway (about 0.06 s after an
    # import of 10,000 documents, measured alternately). It does not walk frozen ones.
    gc.freeze()
    return status


def read_schema_file(path: Path) -> str:
    """The text of a schema file named on the command line, or one clear line why not."""
    from annotator.cli.text_files import read_text_file
    from annotator.core.errors import InputError

    data = read_text_file(path, "schema file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"byte {exc.start}",
                         f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save the schema as UTF-8") from None


def gui_main() -> int:
    return main(sys.argv[1:] or [])


def run_gui(project: Path, annotator: str | None, default: bool = False) -> int:
    from annotator.ui.app.launch import launch  # Qt is imported only for the GUI

    return launch(project, annotator, default=default)


def _gui(args) -> int:
    if args.project is None:
        return run_gui(default_project_path(), args.annotator, default=True)
    return run_gui(args.project, args.annotator)


def _init(args) -> int:
    from annotator.core.schema import parse_schema
    from annotator.importer import create_project
    from annotator.store.queries import list_documents

    schema_text = None
    if args.schema:
        schema_text = read_schema_file(args.schema)
        parse_schema(schema_text, str(args.schema))
    with create_project(args.project, with_seeds=not args.empty, schema_text=schema_text) as project, \
            project.read() as conn:
        added = len(list_documents(conn))
    print(f"created {args.project} with {added} document(s)", file=sys.stderr)
    return 0


def _import(args) -> int:
    if args.as_suggestions:
        return _import_suggestions(args)
    from annotator.import_reading import read_early

    options = {"column": args.column, "scheme": args.scheme, "joiner": args.joiner,
               "sentences_per_document": args.sentences_per_document, "annotator": args.annotator,
               "offsets": args.offsets}
    add_labels = True if args.add_labels else None
    show = _progress_printer(sys.stderr, args.progress)
    early = None
    try:
        # the reading process begins before the database's modules are imported: the two overlap
        early = read_early(args.project, args.paths, strict=args.strict, fmt=args.fmt, options=options,
                           add_labels=add_labels)
        from annotator.importer import import_paths
        from annotator.store.project import Project

        with Project.open(args.project) as project:
            report = import_paths(project, args.paths, strict=args.strict, fmt=args.fmt, options=options,
                                  add_labels=add_labels, progress=show, early=early)
    except KeyboardInterrupt:  # Ctrl+C: the one transaction was rolled back, or never began
        show.end()
        print(f"annotator: {args.project}: import cancelled; nothing was written", file=sys.stderr)
        return 130
    finally:
        if early is not None:  # not taken (the project could not be opened, or changed): stopped
            early.close()
    show.end()
    for line in report.notes + report.warnings:
        print(line, file=sys.stderr)
    for where, existing in report.duplicates:
        print(f"{where}: duplicate of document {existing}, not added", file=sys.stderr)
    for doc, annotator in report.layers:
        print(f"added {annotator}'s layer to existing document {doc}", file=sys.stderr)
    print(f"imported {len(report.added)} document(s), {report.layer_count} layer(s); "
          f"{len(report.duplicates)} duplicate(s) skipped; {len(report.warnings)} warning(s)", file=sys.stderr)
    return 0


def _import_suggestions(args) -> int:
    from annotator.importer import import_suggestions
    from annotator.store.project import Project

    source = args.source or args.paths[0].stem
    with Project.open(args.project) as project:
        report = import_suggestions(project, args.paths, source, fmt=args.fmt,
                                    options={"column": args.column, "scheme": args.scheme, "joiner": args.joiner,
                                             "sentences_per_document": args.sentences_per_document,
                                             "annotator": args.annotator})
    for line in report.warnings:
        print(line, file=sys.stderr)
    for where in report.unmatched:
        print(f"{where}: no document in the project has this text; its spans were not loaded", file=sys.stderr)
    print(f"loaded {report.loaded} suggestion(s) for {report.documents} document(s) as source «{source}»; "
          f"{len(report.unmatched)} record(s) matched no document", file=sys.stderr)
    return 0


class _ProgressPrinter:
    """The import's progress on stderr: one line rewritten in place on a terminal, or a
    line per report with --progress when stderr is not one (a log, a test)."""

    def __init__(self, out, enabled: bool, in_place: bool) -> None:
        self.out, self.enabled, self.in_place, self.shown = out, enabled, in_place, False

    def __call__(self, p) -> None:
        if not self.enabled:
            return
        share = f"{100 * p.bytes_done / p.bytes_total:.0f} %, " if p.bytes_total else ""
        line = (f"importing: {share}{p.bytes_done / 1e6:.1f} of {p.bytes_total / 1e6:.1f} MB read and checked, "
                f"{p.records} record(s) written")
        line += " (Ctrl+C cancels)"
        self.out.write(f"\r{line}\x1b[K" if self.in_place else line + "\n")
        self.out.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown and self.in_place:
            self.out.write("\n")
            self.out.flush()


def _progress_printer(out, asked: bool) -> _ProgressPrinter:
    tty = out.isatty()
    return _ProgressPrinter(out, asked or tty, in_place=tty)


def _export(args) -> int:
    from annotator.exporter import check_targets, write_out
    from annotator.formats import carried_schema, registry
    from annotator.output_file import HeldOutput
    from annotator.store.reading import read_project  # the driver alone for a current project file
    from annotator.store.record_rows import has_gold_layer, iter_records, layer_annotators

    form = registry.get(args.fmt, writable=True)
    options = {"scheme": args.scheme, "tokenise": args.tokens} if form.name in ("conll", "hf") else {}
    if form.writes_folder and args.output is None:
        raise AnnotatorError(f"{form.name} writes a folder of files: name a new folder with -o FOLDER")
    # Before anything is read: the target, and the schema file a new project reads it back with.
    project_file = args.project if isinstance(args.project, Path) else None
    beside = check_targets(form, args.output, args.force, project_file, options)
    # The damage check runs beside the reads (on the other core) and must pass before the
    # output is moved into place (a file or folder) or its first byte is passed on (stdout,
    # held until then: HeldOutput).
    with read_project(args.project, check_beside=True) as reading:
        query = reading.query
        if args.gold:
            from annotator.core.identity import GOLD_ANNOTATOR

            if not has_gold_layer(query):
                raise AnnotatorError(f"{args.project}: no gold layer yet (annotator {GOLD_ANNOTATOR!r}); "
                                     "adjudicate first, or export an annotator's layer with --annotator")
            args.annotator = GOLD_ANNOTATOR
        elif args.annotator is not None and args.annotator not in (known := layer_annotators(query)):
            raise AnnotatorError(f"{args.project}: no layer by annotator {args.annotator!r}; "
                                 f"annotators with a layer: {', '.join(known) or '(none)'}")
        if not form.layers and args.annotator is None and len(known := layer_annotators(query)) > 1:
            raise AnnotatorError(f"{args.project}: {form.name} holds one layer per document; name one with "
                                 f"--annotator or --gold (annotators with a layer: {', '.join(known)})")
        stream = None if args.output is not None else HeldOutput(sys.stdout.buffer, reading.whole, reading.checked)
        with ExitStack() as parts:  # left first: a forked second process ends before the transaction it reads
            records: Iterable[DocumentRecord | bytes | Lines]
            if form.name == "jsonl":  # on both cores where it pays (cli.export_parts)
                from annotator.cli.export_parts import gold_lines

                records = parts.enter_context(gold_lines(reading, args.annotator, args.gold, options.get("schema")))
            else:
                reading.start_check()
                records = iter_records(query, annotator=args.annotator, sqlite=reading.sqlite)
                if args.gold:  # a document not adjudicated yet is no gold negative example: leave it out
                    records = (rec for rec in records if rec.has_layer)
            # cast: gold JSONL's writer takes a plain layer's line as it is (gold_jsonl.write)
            result, left_out = write_out(form, cast(Iterable["DocumentRecord"], _then(records, reading.whole)),
                                         args.output, args.force, options, reading.schema(),
                                         stream=cast(BinaryIO, stream))
    for what in left_out:  # what the format cannot hold: counted, never dropped in silence
        print(f"annotator: {form.name} has no place for {what}: left out", file=sys.stderr)
    for note in result.notes:
        print(f"annotator: {form.name}: {note}", file=sys.stderr)
    if args.output is not None:
        print(f"exported {result.count} record(s) to {args.output}"
              + (f", its schema to {carried_schema.sidecar(args.output)}" if beside else ""), file=sys.stderr)
    return 0


def _then(records: Iterable[_T], last: Callable[[], None]) -> Iterator[_T]:
    """`records`, then `last()` once they are all read, inside the writer: an exception
    there leaves the output unwritten (atomic_output removes what it wrote)."""
    yield from records
    last()


def _formats(args) -> int:
    from annotator.formats import registry

    for form in registry.FORMATS:
        ways = "read/write" if form.read and form.write else "read" if form.read else "write"
        needs = form.missing() if form.missing else None
        print(f"{form.name}\t{ways}\t{' '.join(form.extensions)}\t{form.description}"
              + (f" [not available: {needs}]" if needs else ""))
    return 0


def _validate(args) -> int:
    from annotator.core.schema import parse_schema
    from annotator.formats.jsonl import carried
    from annotator.formats.plaintext import read_regular
    from annotator.formats.validate import validate_bytes

    data = read_regular(args.file)
    own = carried(args.file, data)  # the schema an export carries (OUT.schema.json beside it)
    if args.project:
        from annotator.core.schema_merge import merge_schema
        from annotator.store.project import Project

        with Project.open(args.project, readonly=True) as project:
            label_schema = project.schema  # widened by the file's own, as its import would
        if own is not None:
            label_schema = merge_schema(label_schema, own, str(args.file))[0]
    elif own is not None and args.schema is None:
        label_schema = own
    else:
        from annotator.paths import resources_dir

        path = args.schema or resources_dir() / "schema.json"
        label_schema = parse_schema(read_schema_file(path), str(path))
    notes: list[str] = []
    count, findings = validate_bytes(data, label_schema, strict=args.strict, layer_name=args.file.stem, notes=notes,
                                     grow_schema=True)  # as import: what the schema lacks is added
    for f in findings:
        print(f"{args.file}: {f}", file=sys.stderr)
    for note in notes:  # as import would name them
        print(f"{args.file}: {note.replace('their layer is', 'import puts their layer in')}", file=sys.stderr)
    bad = len({f.line for f in findings if not f.warning})
    warnings = sum(f.warning for f in findings)
    print(f"{args.file}: {count} record(s), {bad} bad; {warnings} warning(s)", file=sys.stderr)
    return 1 if bad else 0


def _schema(args) -> int:
    from annotator.store.project import Project
    from annotator.store.schema_change import replace_schema

    if args.set is None:
        with Project.open(args.project, readonly=True) as project:
            print(project.schema.to_json())
        return 0
    text = read_schema_file(args.set)
    with Project.open(args.project) as project:
        schema = cast("Schema", replace_schema(project, text, str(args.set)).result)  # the schema now in force
    print(f"{args.project}: schema replaced ({len(schema.labels)} labels, {len(schema.event_types)} event types, "
          f"{len(schema.claim_roles)} claim roles)", file=sys.stderr)
    return 0


def _stats(args) -> int:
    from annotator.store.corpus_summary import corpus_summary  # the driver alone: no SQLAlchemy to import

    summary = corpus_summary(args.project)
    st, attributes, schema = summary.stats, summary.attributes, summary.schema
    labels = [lab.name for lab in schema.labels]
    print(f"documents: {st.documents}")
    print(f"annotators: {', '.join(st.annotators) or '(none)'}")
    print("layer status: " + ", ".join(f"{k} {st.status_counts.get(k, 0)}" for k in ("todo", "in_progress", "done")))
    header = ["lang", "docs"] + labels + ["total"]
    print("\t".join(header))
    for lang in sorted(st.documents_per_language):
        counts = [st.spans_per_language_label.get((lang, lab), 0) for lab in labels]
        print("\t".join([lang, str(st.documents_per_language[lang])] + [str(c) for c in counts] + [str(sum(counts))]))
    if attributes.values:  # issue 14: items per attribute value, in all layers
        order = [a.name for a in schema.attributes]
        print("attribute values (items per value, all layers):")
        for name in sorted(attributes.values, key=lambda n: (order.index(n) if n in order else len(order), n)):
            shown = ", ".join(f"{v} {n}" for v, n in attributes.values[name])
            print(f"  {name}: {shown}")
    return 0


COMMANDS = {"gui": _gui, "init": _init, "import": _import, "export": _export, "validate": _validate, "stats": _stats,
            "schema": _schema, "formats": _formats}
