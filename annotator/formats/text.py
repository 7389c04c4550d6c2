"""Plain text as a format of the registry: one document per file, no annotation."""

from __future__ import annotations

from pathlib import Path

from annotator.formats import plaintext
from annotator.formats.base import Format, ReadResult


def read(path: Path, data: bytes) -> ReadResult:
    return ReadResult([(str(path), plaintext.read_txt(path, data=data))])


def _sniff(path: Path, head: bytes) -> bool:
    return True  # the detector (formats.detect) refuses what looks like markup first


FORMAT = Format("text", "plain text, one document per file (UTF-8, or UTF-16 with a BOM)", (".txt",), _sniff, read)
