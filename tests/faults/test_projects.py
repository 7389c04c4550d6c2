"""What counts as a project, what a project's file name may hold, what export may replace,
and what init does with bad schema files or a second init of the same path."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from annotator import cli
from annotator.cli import commands
from annotator.store import lock as locking
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import add_span

from .conftest import assert_one_line_error, dump, listing, run, sha

APPLICATION_ID = 0x414E4E54  # "ANNT", as the README documents


def application_id(path) -> int:
    return int.from_bytes(path.read_bytes()[68:72], "big")


# -- recognition (item 4) ------------------------------------------------------------------

def test_another_sqlite_file_is_refused_saying_what_it_is_and_left_byte_identical(tmp_path):
    other = tmp_path / "mail.db"
    con = sqlite3.connect(other)
    con.executescript("CREATE TABLE messages(id, body); CREATE TABLE folders(name); "
                      "INSERT INTO messages VALUES (1, 'hello');")
    con.close()
    before = sha(other)
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    # (The GUI opens projects through the same Project.open.)
    for args in (("import", other, text), ("stats", other), ("export", other), ("schema", other),
                 ("schema", other, "--set", text)):
        result = run(*args)
        assert_one_line_error(result, str(other), "a SQLite database but not an annotator project",
                              "tables: folders, messages")
    assert sha(other) == before
    assert listing(tmp_path) == ["doc.txt", "mail.db"]  # no -wal, -shm or lock made beside it


def test_a_sqlite_file_of_another_program_is_named_by_its_application_id(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.executescript("PRAGMA application_id = 1234; CREATE TABLE project_meta(key, value); "
                      "INSERT INTO project_meta VALUES ('format_version', '1');")
    con.close()
    before = sha(other)
    assert_one_line_error(run("stats", other), "another program", "0x000004D2")
    assert sha(other) == before


def test_a_new_project_carries_the_application_id(tmp_path):
    project = tmp_path / "p.annotator"
    assert run("init", project, "--empty").returncode == 0
    assert application_id(project) == APPLICATION_ID


def test_a_project_made_before_the_application_id_is_opened_and_stamped_when_written(tmp_path):
    project = tmp_path / "old.annotator"
    Project.create(project).close()
    con = sqlite3.connect(project)
    con.execute("PRAGMA application_id = 0")
    con.close()
    assert application_id(project) == 0
    assert run("stats", project).returncode == 0
    assert application_id(project) == 0  # reading changes nothing
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    assert run("import", project, text).returncode == 0
    assert application_id(project) == APPLICATION_ID


# -- file names (item 2) -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["proj%41.annotator", "what?mode=ro.annotator", "a#b.annotator",
                                  "with space.annotator", "রাস্তার é.annotator", "file:x.annotator"])
def test_a_project_name_is_taken_literally(tmp_path, name):
    project = tmp_path / name
    assert run("init", project, "--empty", cwd=tmp_path).returncode == 0
    assert listing(tmp_path) == [name]
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    assert run("import", name, text, cwd=tmp_path).returncode == 0  # a relative name too
    assert listing(tmp_path) == sorted(["doc.txt", name])
    assert 'INSERT INTO "documents"' in "\n".join(dump(project))
    with Project.open(project):
        assert locking.lock_path(project).name == name + ".lock"
        assert sorted(listing(tmp_path)) == sorted(["doc.txt", name, name + ".lock", name + "-wal", name + "-shm"])
    exported = run("export", project)
    assert exported.returncode == 0 and exported.stdout.count("\n") == 1


# -- export targets (item 1) ----------------------------------------------------------------

def test_export_never_replaces_the_project_or_another_project(tmp_path):
    project = tmp_path / "p.annotator"
    other = tmp_path / "other.annotator"
    for path in (project, other):
        assert run("init", path).returncode == 0
    before = {p: sha(p) for p in (project, other)}
    for output in (project, other):
        for force in ((), ("--force",)):
            result = run("export", project, "-o", output, *force)
            assert_one_line_error(result, str(output), "project")
    relative = run("export", "p.annotator", "-o", "./p.annotator", "--force", cwd=tmp_path)
    assert_one_line_error(relative, "project")
    assert {p: sha(p) for p in (project, other)} == before
    assert listing(tmp_path) == ["other.annotator", "p.annotator"]


def test_export_never_replaces_the_log_or_lock_of_a_project_in_use(tmp_path):
    """Another project held open, its committed edits still in its -wal: neither that log,
    its -shm, nor either project's lock may become the export, with or without --force."""
    project = tmp_path / "p.annotator"
    other = tmp_path / "q.annotator"
    for path in (project, other):
        assert run("init", path).returncode == 0
    with Project.open(other) as held:
        with held.read() as conn:
            doc = list_documents(conn)[0].id
        add_span(held, doc, "ana", 0, 3, "ORG")  # committed, in q's -wal until it closes
        companions = [tmp_path / f"q.annotator{s}" for s in ("-wal", "-shm", ".lock")]
        assert all(c.exists() for c in companions)
        kept = [companions[0], companions[2]]  # -shm is shared memory: any reader writes to it
        before = {c: sha(c) for c in kept}
        for output in [*companions, tmp_path / "p.annotator.lock", tmp_path / "p.annotator-wal",
                       tmp_path / "q.annotator-journal"]:
            for force in ((), ("--force",)):
                result = run("export", project, "-o", output, *force)
                assert_one_line_error(result, str(output), "beside the project", "Choose another file name")
        assert {c: sha(c) for c in kept} == before
        assert not (tmp_path / "p.annotator.lock").exists() and not (tmp_path / "q.annotator-journal").exists()
    assert any("'ORG'" in row for row in dump(other))  # q's committed edit survived
    link = tmp_path / "gold.jsonl"
    link.symlink_to(tmp_path / "q.annotator-wal")  # a link to a companion: refused too
    assert_one_line_error(run("export", project, "-o", link, "--force"), str(link))


def test_export_replaces_an_existing_file_only_with_force_and_keeps_the_umask(tmp_path):
    project = tmp_path / "p.annotator"
    assert run("init", project).returncode == 0
    out = tmp_path / "gold.jsonl"
    out.write_text("previous export\n", encoding="utf-8")
    assert_one_line_error(run("export", project, "-o", out), str(out), "already exists", "--force")
    assert out.read_text(encoding="utf-8") == "previous export\n"
    forced = run("export", project, "-o", out, "--force", umask=0o027)
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 5
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.jsonl"
    assert run("export", project, "-o", fresh, umask=0o002).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o664
    # The schema each export carries, beside it, created with the same umask.
    assert stat.S_IMODE((tmp_path / "fresh.jsonl.schema.json").stat().st_mode) == 0o664
    assert stat.S_IMODE((tmp_path / "gold.jsonl.schema.json").stat().st_mode) == 0o640
    assert sorted(listing(tmp_path)) == ["fresh.jsonl", "fresh.jsonl.schema.json", "gold.jsonl",
                                         "gold.jsonl.schema.json", "p.annotator"]


def test_export_for_an_annotator_without_a_layer_says_so(tmp_path):
    project = tmp_path / "p.annotator"
    assert run("init", project).returncode == 0
    result = run("export", project, "--annotator", "nobody-here")
    assert_one_line_error(result, "no layer by annotator 'nobody-here'")
    assert result.stdout == ""


# -- init and schema files (item 10) ---------------------------------------------------------

def test_bad_schema_files_are_one_line_and_create_nothing(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"labels": [{"name": "ÉTÉ"}]}'.encode("latin-1"))
    project = tmp_path / "p.annotator"
    gold = tmp_path / "gold.jsonl"
    gold.write_text("", encoding="utf-8")
    cases = [(tmp_path / "missing.json", "no such schema file"), (deep, "nested too deeply"),
             (latin1, "byte 22: not UTF-8"), (tmp_path, "a folder")]

    def refused(*args: str, phrase: str) -> None:
        assert cli.main([*map(str, args)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and phrase in err and "Traceback" not in err, err

    for schema, phrase in cases:
        refused("init", project, "--schema", schema, phrase=phrase)
        assert not project.exists()
        refused("validate", gold, "--schema", schema, phrase=phrase)
    assert cli.main(["init", str(project), "--empty"]) == 0
    capsys.readouterr()
    before = sha(project)
    for schema, phrase in cases:
        refused("schema", project, "--set", schema, phrase=phrase)
    assert sha(project) == before
    assert sorted(listing(tmp_path)) == ["deep.json", "gold.jsonl", "latin1.json", "p.annotator"]


def test_a_second_init_of_the_same_path_fails_cleanly_while_the_first_runs(tmp_path):
    """The first init holds the new project's lock while it builds its scratch copy; the
    second must neither delete that scratch nor make a project of its own."""
    project = tmp_path / "p.annotator"
    first = locking.acquire(project)
    scratch = tmp_path / ".p.annotator.creating"
    scratch.write_bytes(b"the first init's work in progress")
    try:
        second = run("init", project)
        assert_one_line_error(second, str(project), "another process", "creating")
        assert scratch.read_bytes() == b"the first init's work in progress"
        assert not project.exists()
    finally:
        first.release()
    scratch.unlink()
    assert run("init", project, "--empty").returncode == 0
    assert run("init", project, "--empty").returncode == 1  # never replaced once it exists
    assert listing(tmp_path) == ["p.annotator"]


def test_an_os_error_nobody_foresaw_is_one_line_naming_the_file(monkeypatch, capsys):
    def stats(_args):
        raise PermissionError(13, "Permission denied", "/somewhere/p.annotator")
    monkeypatch.setitem(commands.COMMANDS, "stats", stats)
    assert cli.main(["stats", "p.annotator"]) == 1
    assert capsys.readouterr().err == "annotator: /somewhere/p.annotator: Permission denied\n"


def test_a_project_with_no_permission_to_write_it_is_refused_before_the_lock(tmp_path, monkeypatch, capsys):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if (mode & os.W_OK and str(p) == str(project))
                        else real_access(p, mode))
    assert cli.main(["import", str(project), str(project)]) == 1
    assert "the project file is read-only" in capsys.readouterr().err
    assert listing(tmp_path) == ["p.annotator"]
