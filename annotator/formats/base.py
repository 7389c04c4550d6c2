"""The one interface of a file format: what the registry lists and the importer and the
exporter call. A format reads a file into gold records and says what it left out; it
writes records and says what the file could not hold. Nothing is dropped in silence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.records import DocumentRecord
from annotator.core.schema import Schema


@dataclass
class ReadResult:
    records: list[tuple[str, DocumentRecord]]  # (where, record): where names the file and the place
    left_out: list[str] = field(default_factory=list)  # what the file had that the records lack, counted
    warnings: list[str] = field(default_factory=list)  # "where: warning: ...", errors with --strict
    notes: list[str] = field(default_factory=list)  # decisions the reader made (the scheme it saw, ...)
    labels: list[str] = field(default_factory=list)  # labels the file declares (brat's annotation.conf)
    schema: Schema | None = None  # the schema the file carries (an export's OUT.schema.json): the import adds it


@dataclass
class WriteResult:
    count: int  # records written
    left_out: list[str] = field(default_factory=list)  # what the records had that the file cannot hold
    notes: list[str] = field(default_factory=list)  # what the reader should know (spans off token edges, ...)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]  # lower case, with the dot
    # Whether a file's first bytes are this format's, for detection by content.
    sniff: Callable[[Path, bytes], bool]
    read: Callable[..., ReadResult] | None = None  # read(path, data, **options): data are the file's bytes
    write: Callable[..., WriteResult] | None = None  # write(records, out, **options)
    writes_folder: bool = False  # write(records, folder) fills a new folder (files per document), not a stream
    options: tuple[str, ...] = ()  # import options its reader takes (e.g. "annotator": the layer of records without one)
    layers: bool = False  # holds several annotators' layers of one document (else export names one layer)
    # write(records, out, schema=NAME) names the schema file written beside the export (formats.carried_schema)
    schema_beside: bool = False
    missing: Callable[[], str | None] | None = None  # what an optional format needs that is not installed
    # The kinds of core.records.DEPTH_WORDS its writer maps (counting itself what it cannot
    # hold); the exporter counts the others as left out.
    carries: tuple[str, ...] = ()
