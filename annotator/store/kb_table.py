"""The knowledge-base table a project's clusters take their ids from (core.kb.KbEntry
rows: id, label, aliases), kept in the project itself (a project_meta row, as the
guidelines are), so every copy of the project carries it. Importing a table replaces the
one before, in one undoable change."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, select

from annotator.core.errors import InputError
from annotator.core.kb import KbEntry, parse_kb_table
from annotator.core.textdecode import decode_text
from annotator.store.changes import Change, Recorder
from annotator.store.models import ProjectMeta
from annotator.store.project import Project

KEY = "kb_table"


def kb_table(conn: Connection) -> list[KbEntry]:
    """The project's table, in the order it was imported; [] when none was."""
    stored = conn.scalar(select(ProjectMeta.value).where(ProjectMeta.key == KEY))
    if not stored:
        return []
    return [KbEntry(i, label, tuple(aliases)) for i, label, aliases in json.loads(stored)]


def set_kb_table(project: Project, entries: list[KbEntry], where: str) -> Change:
    """Makes `entries` the project's table (`where` names their file in the change's
    description); the change's result is how many rows it holds."""
    value = json.dumps([[e.id, e.label, list(e.aliases)] for e in entries], ensure_ascii=False)
    with project.write() as conn:
        rec = Recorder(conn)
        if conn.scalar(select(ProjectMeta.key).where(ProjectMeta.key == KEY)) is None:
            rec.insert(ProjectMeta, [{"key": KEY, "value": value}])
        else:
            rec.update(ProjectMeta, {"value": value}, ProjectMeta.key == KEY)
        return rec.change(f"import the knowledge-base table {where} ({len(entries):,} rows)", len(entries))


def read_kb_file(path: Path) -> list[KbEntry]:
    """The rows of a CSV file (UTF-8, or UTF-16 with a BOM); every bad row is an error
    naming the file and its line (core.kb.parse_kb_table), and nothing is read then."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise InputError(str(path), None, "a folder, not a knowledge-base table") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the knowledge-base table ({exc.strerror or exc})") from None
    return parse_kb_table(decode_text(raw, str(path)), str(path))


def import_kb_file(project: Project, path: Path) -> Change:
    """Reads `path` whole, then makes it the project's table: a bad file changes nothing."""
    return set_kb_table(project, read_kb_file(path), path.name)
