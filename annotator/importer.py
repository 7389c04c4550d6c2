"""Importing files into a project: read and check everything first, then write it all in
one transaction. Any error leaves the project exactly as it was.

Glue between formats/ (files -> records) and store/ (records -> rows), used by the CLI
and the GUI alike.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from annotator.core.checks import record_problems
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.langid import guess_language
from annotator.formats import gold_jsonl, plaintext
from annotator.paths import seeds_dir
from annotator.store import lock as locking
from annotator.store.project import Project, make_folder, refuse_existing
from annotator.store.records_in import ImportReport, Incoming, write_records

MANIFEST = "manifest.json"


def read_inputs(paths: list[Path], languages: tuple[str, ...], schema=None) -> list[Incoming]:
    items: list[Incoming] = []
    for path in paths:
        if path.is_dir() and (path / MANIFEST).is_file():
            items.extend(_from_manifest(path))
            continue
        for file in plaintext.expand([path]):
            if file.suffix.lower() == ".jsonl":
                for lineno, rec in gold_jsonl.read(file.read_bytes(), str(file)):
                    where = f"{file}: line {lineno}"
                    problems = record_problems(rec, schema)
                    if problems:
                        raise InputError(str(file), f"line {lineno}", "; ".join(problems[:5]))
                    items.append(Incoming(rec, where))
            else:
                items.append(Incoming(plaintext.read_txt(file), str(file), rename_on_clash=True))
    return [_with_language(it, languages) for it in items]


def _from_manifest(folder: Path) -> list[Incoming]:
    where = str(folder / MANIFEST)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = manifest["documents"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(where, None, f"not a valid manifest ({exc})") from None
    items = []
    for i, entry in enumerate(entries):
        try:
            file = folder / entry["file"]
        except (KeyError, TypeError):
            raise InputError(where, f"$.documents[{i}].file", "missing") from None
        rec = plaintext.read_txt(file, lang=entry.get("lang") or "", title=entry.get("title"),
                                 doc_id=entry.get("id"), group=entry.get("group"))
        items.append(Incoming(rec, str(file), rename_on_clash=True))
    return items


def _with_language(item: Incoming, languages: tuple[str, ...]) -> Incoming:
    if item.record.lang:
        return item
    return Incoming(replace(item.record, lang=guess_language(item.record.text, languages)), item.where,
                    item.rename_on_clash)


def import_paths(project: Project, paths: list[Path]) -> ImportReport:
    items = read_inputs([Path(p) for p in paths], project.languages, project.schema)
    with project.write() as conn:
        return write_records(conn, items)


def seed(project: Project) -> ImportReport:
    """Add the bundled seed documents; a second call adds nothing (duplicates by checksum)."""
    return import_paths(project, [seeds_dir()])


def create_project(path: Path, with_seeds: bool = True, schema_text: str | None = None) -> Project:
    """Create a project (with the seed documents) as one step: it is built beside the
    target and linked into place only when complete, so a crash or a kill half-way leaves
    no half-made project behind, just a scratch file the next attempt removes. The new
    project's own lock is held throughout, so a second creator of the same path waits
    for nothing and fails cleanly; the final link never replaces a file."""
    path = Path(path)
    refuse_existing(path)
    make_folder(path.parent)
    try:
        guard = locking.acquire(path)
    except locking.ProjectLocked as exc:
        raise AnnotatorError(f"{path}: another process (pid {exc.owner.get('pid', '?')}) is creating or using "
                             "this project; wait for it to finish") from None
    scratch = path.with_name(f".{path.name}.creating")
    leftovers = (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm"))
    try:
        refuse_existing(path)  # made by another process before the lock was ours
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        with Project.create(scratch, schema_text=schema_text) as project:
            if with_seeds:
                seed(project)
            project.checkpoint()  # everything into the main file before it moves
        _link_into_place(scratch, path)
    except OSError as exc:
        raise AnnotatorError(f"{exc.filename or path}: cannot create the project ({exc.strerror})") from exc
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        guard.release()
    return Project.open(path)


def _link_into_place(scratch: Path, path: Path) -> None:
    """A hard link never replaces an existing file (a rename would); where links are not
    supported, the existence check made under the lock has to do."""
    if os.path.lexists(path) and os.lstat(path).st_size == 0 and path.is_file():
        os.replace(scratch, path)  # an empty file was a name kept free for the project
        return
    try:
        os.link(scratch, path)
    except FileExistsError:
        raise AnnotatorError(f"{path}: a file already exists there; choose another name") from None
    except OSError:
        refuse_existing(path)
        os.replace(scratch, path)


def open_default_project(path: Path) -> Project:
    """The project a new user sees: created from the seeds on first start, reopened after."""
    path = Path(path)
    if path.is_file() and path.stat().st_size > 0:
        return Project.open(path)
    return create_project(path)
