"""Plain .txt files and folders of them, decoded by the import policy (core.textdecode)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord
from annotator.core.textdecode import decode_text


def expand(paths: list[Path]) -> list[Path]:
    """Files to import: the given files, and the .txt/.jsonl files of given folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in (".txt", ".jsonl")))
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(str(p), None, "no such file or folder")
    return out


def read_txt(path: Path, lang: str = "", title: str | None = None, doc_id: str | None = None,
             group: str | None = None) -> DocumentRecord:
    text = decode_text(path.read_bytes(), str(path))
    if not text.strip():
        raise InputError(str(path), None, "the file has no text")
    return DocumentRecord(id=doc_id or path.stem, lang=lang, text=text, title=title or _title(text, path),
                          source=path.name, group=group)


def _title(text: str, path: Path) -> str:
    first = text.strip().splitlines()[0].strip()
    return first if len(first) <= 80 else first[:77].rstrip() + "…"
