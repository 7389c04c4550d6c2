"""Links, FIFOs, devices and folders where a file is expected: refused, never followed or
opened (a FIFO opened for writing would block the command forever)."""

from __future__ import annotations

import os

from annotator.store import lock as locking
from annotator.store.project import Project

from .conftest import assert_one_line_error, is_regular, listing, run, sha


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    precious = tmp_path / "precious.txt"
    precious.write_text("do not overwrite me\n", encoding="utf-8")
    locking.lock_path(project).symlink_to(precious)
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    result = run("import", project, text)
    assert_one_line_error(result, f"{project}.lock", "symbolic link", "Remove the link")
    assert precious.read_text(encoding="utf-8") == "do not overwrite me\n"
    assert locking.lock_path(project).is_symlink()


def test_a_lock_file_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    os.mkfifo(locking.lock_path(project))
    assert_one_line_error(run("import", project, project), f"{project}.lock", "not a plain file")


def test_export_never_writes_through_a_link_a_fifo_a_device_or_a_folder(tmp_path):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    target = tmp_path / "elsewhere.txt"
    target.write_text("kept\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    for output, kind in ((link, "a symbolic link"), (fifo, "a FIFO"), (folder, "a folder"),
                         ("/dev/null", "a device")):
        for force in ((), ("--force",)):
            result = run("export", project, "-o", output, *force)
            assert_one_line_error(result, str(output), kind)
    assert target.read_text(encoding="utf-8") == "kept\n" and link.is_symlink()
    assert not is_regular(fifo) and listing(folder) == []
    assert not [n for n in listing(tmp_path) if n.endswith(".tmp")]


def test_a_fifo_or_a_folder_named_as_a_project_or_schema_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "p.annotator"
    os.mkfifo(fifo)
    for command in ("stats", "export", "schema"):
        assert_one_line_error(run(command, fifo), str(fifo), "a FIFO")
    assert_one_line_error(run("import", fifo, tmp_path), str(fifo), "a FIFO")
    assert_one_line_error(run("init", fifo), str(fifo), "a FIFO")
    assert_one_line_error(run("stats", tmp_path), "a folder")
    schema_fifo = tmp_path / "schema.json"
    os.mkfifo(schema_fifo)
    assert_one_line_error(run("init", tmp_path / "new.annotator", "--schema", schema_fifo), "a FIFO")
    assert not (tmp_path / "new.annotator").exists()


def test_a_project_reached_through_a_link_has_one_lock_beside_the_file(tmp_path):
    project = tmp_path / "real.annotator"
    Project.create(project).close()
    link = tmp_path / "link.annotator"
    link.symlink_to(project)
    with Project.open(link):
        assert locking.lock_path(project).exists() and not (tmp_path / "link.annotator.lock").exists()
        result = run("import", project, project)  # by its real name, while open by the link
        assert_one_line_error(result, "open in another process")
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    before = sha(project)
    assert run("import", link, text).returncode == 0
    assert sha(project) != before and link.is_symlink()
