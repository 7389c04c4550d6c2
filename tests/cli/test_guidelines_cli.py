"""`annotator guidelines PROJECT [--set FILE]`: the project's guidelines travel with it."""

from __future__ import annotations

from annotator.cli import main
from annotator.paths import seeds_dir
from annotator.store.changes import apply
from annotator.store.guidelines import guidelines, set_guidelines
from annotator.store.project import Project


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_seeded_project_carries_the_seed_guidelines_and_set_replaces_them(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    run(capsys, "init", project)
    code, out, _ = run(capsys, "guidelines", project)
    assert code == 0 and out == (seeds_dir() / "gold" / "GUIDELINES.md").read_text(encoding="utf-8")
    rules = tmp_path / "rules.md"
    rules.write_bytes("\ufeff# Règles\r\n\r\nদাঁড়ি । ends a sentence.\r\n".encode())  # BOM dropped, CRLF kept
    code, _, err = run(capsys, "guidelines", project, "--set", rules)
    assert code == 0 and "guidelines set from" in err
    code, out, _ = run(capsys, "guidelines", project)
    assert out == "# Règles\r\n\r\nদাঁড়ি । ends a sentence.\r\n"


def test_an_empty_project_has_none_and_a_bad_file_changes_nothing(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    run(capsys, "init", project, "--empty")
    code, out, err = run(capsys, "guidelines", project)
    assert code == 0 and out == "" and "no guidelines yet" in err
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF\x00\x01")
    code, _, err = run(capsys, "guidelines", project, "--set", binary)
    assert code == 1 and str(binary) in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "guidelines", project, "--set", tmp_path)
    assert code == 1 and "a folder, not a guidelines file" in err
    with Project.open(project, readonly=True) as p, p.read() as conn:
        assert guidelines(conn) == ""


def test_setting_guidelines_is_one_change_that_undoes_and_redoes(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        first = set_guidelines(project, "# One\n")
        second = set_guidelines(project, "# Two\n")
        apply(project, second, forward=False)
        with project.read() as conn:
            assert guidelines(conn) == "# One\n"
        apply(project, first, forward=False)
        with project.read() as conn:
            assert guidelines(conn) == ""
        apply(project, first, forward=True)
        apply(project, second, forward=True)
        with project.read() as conn:
            assert guidelines(conn) == "# Two\n"
