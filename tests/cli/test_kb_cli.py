"""`annotator kb import|list`: a knowledge-base table taken whole, or refused with every
bad row named by file and line and nothing changed; the import is one undoable change."""

from __future__ import annotations

from annotator.cli import main
from annotator.core.kb import KbEntry
from annotator.store.changes import apply
from annotator.store.kb_table import import_kb_file, kb_table
from annotator.store.project import Project

GOOD = "id,label,aliases\nQ458,European Union,EU|UE|ইইউ\nQ7184,NATO,OTAN|ন্যাটো\nQ7809,Mircea Geoană\n"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_and_a_bad_file_that_changes_nothing(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    run(capsys, "init", project, "--empty")
    good = tmp_path / "kb.csv"
    good.write_text(GOOD, encoding="utf-8")
    code, _, err = run(capsys, "kb", "import", project, good)
    assert code == 0 and "(3 rows)" in err
    code, out, _ = run(capsys, "kb", "list", project)
    assert out == GOOD.replace("Geoană\n", "Geoană,\n")

    bad = tmp_path / "bad.csv"
    bad.write_text("Q1,One\nQ2\n", encoding="utf-8")
    code, _, err = run(capsys, "kb", "import", project, bad)
    assert code == 1 and f"{bad}: 1 bad row, nothing imported: line 2: expected id,label[,aliases]" in err
    code, _, err = run(capsys, "kb", "import", project, tmp_path)
    assert code == 1 and "a folder, not a knowledge-base table" in err
    with Project.open(project, readonly=True) as p, p.read() as conn:
        assert [e.id for e in kb_table(conn)] == ["Q458", "Q7184", "Q7809"]


def test_an_empty_project_lists_nothing(tmp_path, capsys):
    project = tmp_path / "p.annotator"
    run(capsys, "init", project, "--empty")
    code, out, err = run(capsys, "kb", "list", project)
    assert code == 0 and out == "" and "no knowledge-base table" in err


def test_an_import_is_one_change_that_undoes_and_redoes(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Q1,One\n", encoding="utf-8")
    second.write_text("Q2,Two,Deux\n", encoding="utf-8")
    with Project.create(tmp_path / "p.annotator") as project:
        import_kb_file(project, first)
        change = import_kb_file(project, second)
        apply(project, change, forward=False)
        with project.read() as conn:
            assert kb_table(conn) == [KbEntry("Q1", "One")]
        apply(project, change, forward=True)
        with project.read() as conn:
            assert kb_table(conn) == [KbEntry("Q2", "Two", ("Deux",))]
