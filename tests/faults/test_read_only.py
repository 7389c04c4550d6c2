"""A project in a folder the user may not write in: reading works, writing says why in one line."""

from __future__ import annotations

import orjson

from annotator.store.project import Project

from .conftest import IS_ROOT, assert_one_line_error, listing, make_read_only, run, sha


def project_in_read_only_folder(shared_dir):
    folder = shared_dir / "ro"
    folder.mkdir()
    project = folder / "news.annotator"
    assert run("init", project).returncode == 0
    make_read_only(folder)
    return folder, project


def test_export_and_stats_work_in_a_read_only_folder(shared_dir, writable_by_runner):
    folder, project = project_in_read_only_folder(shared_dir)
    before, files = sha(project), listing(folder)
    stats = run("stats", project, as_nobody=True)
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.startswith("documents: 5")
    exported = run("export", project, as_nobody=True)
    assert exported.returncode == 0, exported.stderr
    assert len([orjson.loads(line) for line in exported.stdout.splitlines()]) == 5
    out = writable_by_runner / "gold.jsonl"
    to_file = run("export", project, "-o", out, as_nobody=True)
    assert to_file.returncode == 0, to_file.stderr
    assert [orjson.loads(line) for line in out.read_bytes().splitlines()] == [
        {**orjson.loads(line), "schema": "gold.jsonl.schema.json"} for line in exported.stdout.splitlines()]
    assert sha(project) == before and listing(folder) == files  # no -wal, -shm or lock made


def test_writing_in_a_read_only_folder_is_one_line_and_changes_nothing(shared_dir, writable_by_runner):
    folder, project = project_in_read_only_folder(shared_dir)
    before, files = sha(project), listing(folder)
    text = writable_by_runner / "new.txt"
    text.write_text("A new document.\n", encoding="utf-8")
    imported = run("import", project, text, as_nobody=True)
    assert_one_line_error(imported, str(project), f"the folder {folder} is read-only",
                          "copy the project somewhere writable")
    schema = writable_by_runner / "schema.json"
    schema.write_text(run("schema", project).stdout, encoding="utf-8")
    replaced = run("schema", project, "--set", schema, as_nobody=True)
    assert_one_line_error(replaced, "read-only")
    created = run("init", folder / "another.annotator", as_nobody=True)
    assert_one_line_error(created, "read-only")
    assert sha(project) == before and listing(folder) == files


def test_an_unreadable_project_file_is_one_line(shared_dir):
    folder = shared_dir / "private"
    folder.mkdir()
    project = folder / "p.annotator"
    assert run("init", project, "--empty").returncode == 0
    # Root's file, 0600, read as nobody; as an ordinary user our own file with no permissions.
    project.chmod(0o600 if IS_ROOT else 0o000)
    for command in ("stats", "export", "import"):
        args = (command, project) if command != "import" else (command, project, project)
        result = run(*args, as_nobody=True)
        assert_one_line_error(result, str(project))
        assert "permission denied" in result.stderr.lower()


def test_export_into_a_read_only_or_missing_folder_is_one_line(shared_dir):
    folder, project = project_in_read_only_folder(shared_dir)
    files = listing(folder)
    into_ro = run("export", project, "-o", folder / "gold.jsonl", as_nobody=True)
    assert_one_line_error(into_ro, str(folder / "gold.jsonl"), "read-only")
    missing = run("export", project, "-o", shared_dir / "no" / "such" / "gold.jsonl")
    assert_one_line_error(missing, "does not exist")
    assert listing(folder) == files and not (shared_dir / "no").exists()


def test_the_gui_names_the_read_only_folder(qapp, read_only_place, monkeypatch, capsys):
    """The window cannot open a project it cannot write: a dialog says why and what to do."""
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.app.launch import launch

    folder, seal = read_only_place
    project = folder / "p.annotator"
    Project.create(project).close()
    seal()
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    assert launch(project, "ana") == 1
    assert len(shown) == 1 and "read-only" in shown[0] and "copy the project somewhere writable" in shown[0]
    assert str(project) in capsys.readouterr().err
    # ... while reading it still works (what export and stats do).
    with Project.open(project, readonly=True) as opened:
        assert opened.languages
