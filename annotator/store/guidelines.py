"""The project's annotation guidelines: one Markdown text kept in the project itself (a
project_meta row), so every copy of the project carries the rules it was annotated by."""

from __future__ import annotations

from sqlalchemy import Connection, select

from annotator.core.errors import AnnotatorError
from annotator.store.changes import Change, Recorder
from annotator.store.models import ProjectMeta
from annotator.store.project import Project

KEY = "guidelines"
MAX_CHARS = 2_000_000  # a manual, not a corpus: a larger file is almost surely the wrong one


def guidelines(conn: Connection) -> str:
    """The guidelines, or "" when the project has none yet."""
    return conn.scalar(select(ProjectMeta.value).where(ProjectMeta.key == KEY)) or ""


def set_guidelines(project: Project, text: str, where: str = "the guidelines") -> Change:
    """Make `text` the project's guidelines, one undoable change. `where` names the
    source in the change's description and in the error for a text too long."""
    if len(text) > MAX_CHARS:
        raise AnnotatorError(f"{where}: {len(text):,} characters; guidelines hold at most {MAX_CHARS:,} "
                             "(is this the right file?)")
    with project.write() as conn:
        rec = Recorder(conn)
        if conn.scalar(select(ProjectMeta.key).where(ProjectMeta.key == KEY)) is None:
            rec.insert(ProjectMeta, [{"key": KEY, "value": text}])
        else:
            rec.update(ProjectMeta, {"value": text}, ProjectMeta.key == KEY)
        return rec.change(f"set the guidelines from {where}" if where != "the guidelines" else "edit the guidelines")
