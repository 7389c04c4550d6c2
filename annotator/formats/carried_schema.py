"""The schema an export carries: `annotator export -o OUT` writes the project's annotation
schema to `OUT.schema.json` beside OUT, and each gold JSONL record names that file in its
`schema` key. Each line stays one document record (Hugging Face `datasets` and pandas read
it as is, the key a plain string column), and a new project reads the export back with
no manual step: the import adds the labels, event types and roles it lacks
(core.schema_merge) with their colours and keys.

The reference is a file name in the export's own folder, never a path: a record cannot
make the import read a file elsewhere."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.schema import Schema, parse_schema

SUFFIX = ".schema.json"


def sidecar(out: Path) -> Path:
    """Where the schema of an export to `out` is written."""
    return out.with_name(out.name + SUFFIX)


def load(path: Path, ref: str, place: str = "line 1") -> Schema:
    """The schema file `ref` that the records of `path` name; InputError naming `path` and
    the place of the reference when it is no file name, is missing or is no schema."""
    where = str(path)
    if not ref or ref != Path(ref).name or ref in (".", ".."):
        raise InputError(where, place, f"$.schema: {ref!r} is not a file name; it names the schema file beside "
                                       "the export, in the same folder")
    file = path.parent / ref
    try:
        text = file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(where, place, f"$.schema: no file {ref} beside it; the export's schema is written there: "
                                       "copy it with the export, or take the \"schema\" key out of the lines to "
                                       "read them with the project's schema") from None
    except IsADirectoryError:
        raise InputError(where, place, f"$.schema: {ref} is a folder, not a schema file") from None
    except OSError as exc:
        raise InputError(where, place, f"$.schema: cannot read {ref} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(file), f"byte {exc.start}", "not UTF-8 text: not a schema file") from None
    return parse_schema(text, str(file))
