"""The formats the app reads and writes, in one list, and the choice of a file's format by
its content (not only its name). A file that looks like something none of them reads is
refused with the reason, never imported as plain text made of its own markup."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

from annotator.core.errors import AnnotatorError, InputError
from annotator.formats.base import Format

# Each format's name and its module (whose FORMAT it is), in the order they are listed.
# A module is imported when its format is first asked for: `annotator export` of gold
# JSONL imports no other format, nor what they need (brat's grapheme clusters, the KB's
# transliteration tables, the readers' checks). spaCy: optional extra annotator[spacy];
# HF: written only.
MODULES = {"jsonl": "jsonl", "text": "text", "conll": "conll", "brat": "brat", "labelstudio": "labelstudio",
           "doccano": "doccano", "prodigy": "prodigy", "spacy": "spacy_docbin", "hf": "hf_tokens"}
HEAD = 64 * 1024  # bytes a file is judged by


def _format(name: str) -> Format:
    found: Format = import_module(f"annotator.formats.{MODULES[name]}").FORMAT
    return found


def __getattr__(attr: str) -> tuple[Format, ...]:
    """FORMATS: every format, in the order listed (their modules imported when first asked)."""
    if attr == "FORMATS":
        return tuple(_format(name) for name in MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")


def names(writable: bool = False) -> list[str]:
    return [n for n in MODULES if not writable or _format(n).write is not None]


def get(name: str, writable: bool = False) -> Format:
    if name not in MODULES:
        raise AnnotatorError(f"unknown format {name!r}; formats: {', '.join(names(writable))} "
                             "(`annotator formats` lists them)")
    found = _format(name)
    if writable and found.write is None:
        raise AnnotatorError(f"{name} is a format annotator reads, not writes; formats that write: "
                             f"{', '.join(names(writable))}")
    return found


def _supported() -> str:
    return f"supported formats: {', '.join(names())} (name one with --format)"


def refuse(path: Path, reason: str) -> InputError:
    return InputError(str(path), None, f"{reason}; nothing imported; {_supported()}")


def _lines(head: bytes) -> list[bytes]:
    return [ln.rstrip(b"\r") for ln in head.lstrip(b"\xef\xbb\xbf").split(b"\n")[:40] if ln.strip()][:20]


def detect(path: Path, data: bytes) -> Format:
    """The format of a file from its name and content (its first line, its first
    HEAD bytes); InputError for anything that looks like a format the app does not read,
    or like none it can tell apart."""
    from annotator.formats import brat, conll, jsonl, labelstudio, spacy_docbin, spans_in, text
    from annotator.formats.gold_checks import READERS

    suffix = path.suffix.lower()
    head = data[:HEAD]
    lines = _lines(head)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    obj = jsonl.first_object(data) if start == b"{" else None
    lines_of = _json_lines_tool(path, obj)
    if lines_of is not None:
        return lines_of
    if suffix == ".jsonl":
        return jsonl.FORMAT  # its checks (those of `annotator validate`) name any bad line
    if spacy_docbin.sniff(path, head):  # binary: before any reader of text judges it
        return spacy_docbin.FORMAT
    if brat.sniff(path, head):  # a .ann, a .txt with its .ann beside it, or annotation lines
        return brat.FORMAT
    foreign = jsonl.foreign_keys(obj)
    if foreign:
        tool = jsonl.FOREIGN_KEYS[foreign[0]]
        reader = READERS.get(tool)
        raise refuse(path, f"JSON lines of another tool (key(s) {', '.join(foreign)}: {tool}?), not gold JSONL; "
                     + (f"not in the shape of {tool}'s files either (--format {reader} names the problem)"
                        if reader else f"{tool} is not supported yet"))
    if (start == b"[" or start == b"{" and not isinstance(obj, dict)) and _is_json(data):
        if labelstudio.is_task(spans_in.first_element(data)):
            return labelstudio.FORMAT
        raise refuse(path, "JSON, but not Label Studio tasks (a list of objects with \"data\" and \"annotations\", "
                           "or JSON-MIN items with \"text\" and labelled regions) nor gold JSONL (one JSON object "
                           "per line); to import the file as plain text, use --format text")
    if jsonl.sniff(path, data):
        return jsonl.FORMAT
    if isinstance(obj, dict):
        raise refuse(path, "JSON lines, but not gold JSONL (each line needs at least \"id\" and \"text\")")
    if conll.sniff(path, head) or suffix in conll.EXTENSIONS:
        return conll.FORMAT
    if _token_columns(lines):
        raise refuse(path, "tab-separated columns that are not CoNLL tags; for token columns name the tag column "
                           "with --format conll --column N, or import the file as plain text with --format text")
    return text.FORMAT


def _json_lines_tool(path: Path, obj: object) -> Format | None:
    """doccano or Prodigy for a first JSON line in their shape (a Label Studio task alone
    on a line too); None for any other line (gold JSONL's checks judge it); refused when
    it has the keys of both. Gold JSONL's own keys (spans with ids, events, status, ...)
    make a line gold JSONL (doccano.GOLD_ONLY)."""
    from annotator.formats import doccano, labelstudio, prodigy

    if not isinstance(obj, dict):
        return None
    if labelstudio.is_task(obj) and isinstance(obj.get("data"), dict):
        return labelstudio.FORMAT
    tools = [f for f, yes in ((doccano.FORMAT, doccano.looks_like(obj)), (prodigy.FORMAT, prodigy.looks_like(obj)))
             if yes]
    if len(tools) > 1:
        raise refuse(path, "JSON lines with the keys of both doccano (label/entities) and Prodigy (tokens, answer, "
                           "_input_hash, spans without an id): which tool wrote them is ambiguous; name one with "
                           "--format doccano or --format prodigy")
    return tools[0] if tools else None


def _is_json(data: bytes) -> bool:
    """Whether a file starting with `[` or `{` is JSON, not text that opens with a bracket
    ("[Reuters] The minister said ..."): the whole file parses (a small one), or its first
    line is a JSON value, or it opens an array whose first element is a JSON value."""
    from annotator.formats import jsonl

    text = data.decode("utf-8-sig", errors="replace").lstrip()
    if len(data) <= HEAD:
        try:
            json.loads(text)
            return True
        except ValueError:
            pass
    if jsonl.first_object(data) is not None:
        return True
    if text.startswith("["):
        rest = text[1:].lstrip()
        try:
            json.JSONDecoder().raw_decode(rest)
            return True
        except ValueError:
            return False
    return False


def _token_columns(lines: list[bytes]) -> bool:
    """Whether most lines are tab-separated token columns: no field holds a space, none
    is empty (a tab-indented paragraph is text), and each line has as many fields."""
    rows = [ln.rstrip(b" \t").split(b"\t") for ln in lines]
    counts = [len(r) for r in rows if len(r) > 1 and all(f and b" " not in f for f in r)]
    return bool(lines) and len(counts) * 2 > len(lines) and len(set(counts)) == 1


def for_folder() -> tuple[str, ...]:
    """File name endings taken from a folder: those of the formats (brat's .ann among them,
    read with the .txt beside it)."""
    return tuple(sorted({e for name in MODULES for e in _format(name).extensions}))
