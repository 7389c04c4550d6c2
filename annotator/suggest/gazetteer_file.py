"""Gazetteers the user imports: CSV or TSV rows of term, label, language (an empty
language: every language). A header row `term,label,language` is optional."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.textdecode import decode_text


@dataclass(frozen=True)
class GazetteerEntry:
    term: str
    label: str
    lang: str


def read_gazetteer(path: Path, labels: set[str] | None = None) -> list[GazetteerEntry]:
    """The entries of `path`; a bad row (too few columns, an empty term, a label not in
    `labels`) is an error naming the file and the line, and nothing is read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the gazetteer: {exc.strerror or exc}") from exc
    text = decode_text(raw, str(path))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in first else ","
    out = []
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or all(not c.strip() for c in row):
            continue
        if n == 1 and [c.strip().lower() for c in row[:3]] == ["term", "label", "language"]:
            continue
        if len(row) < 2 or len(row) > 3:
            raise InputError(str(path), f"line {n}", f"expected term{delimiter!r}label[{delimiter!r}language], "
                                                     f"found {len(row)} column(s)")
        term, label = row[0].strip(), row[1].strip()
        lang = row[2].strip() if len(row) == 3 else ""
        if not term or not label:
            raise InputError(str(path), f"line {n}", "empty term or label")
        if labels is not None and label not in labels:
            raise InputError(str(path), f"line {n}", f"label {label!r} is not in the project's schema "
                                                     f"({', '.join(sorted(labels))})")
        out.append(GazetteerEntry(term, label, lang))
    return out
