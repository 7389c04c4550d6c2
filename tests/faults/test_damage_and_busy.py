"""A damaged page is refused before anything is read; a busy project is one line."""

from __future__ import annotations

import sqlite3

import pytest

from annotator import cli
from annotator.importer import seed
from annotator.store import engine as engine_module
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.spans import add_span

from .conftest import assert_one_line_error, dump, listing, run, sha


def project_with_spans(path):
    """Enough spans that the layer index has several leaf pages."""
    with Project.create(path) as project:
        seed(project)
        with project.read() as conn:
            docs = list_documents(conn)
        for doc in docs:
            for name in ("ana", "bob", "cy", "dee"):
                for i in range(0, 60, 2):
                    add_span(project, doc.id, name, i, i + 1, "ORG")
        project.checkpoint()
    return path


def damage_an_index_page(path, index: str = "ix_spans_layer", pages_at_least: int = 3) -> int:
    """Claim one leaf page of `index` holds a single entry: a reader using the index then
    silently misses the rest (what a torn write or a bad sector does)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                       "AND ncell > 1 ORDER BY pageno", (index,))]
    con.close()
    assert len(pages) >= pages_at_least
    page = pages[min(1, len(pages) - 1)]
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size + 3)  # the b-tree page header's cell count
        fh.write((1).to_bytes(2, "big"))
    return page


def test_a_damaged_index_page_is_refused_with_what_to_do(tmp_path):
    project = project_with_spans(tmp_path / "p.annotator")
    whole = run("export", project)
    assert whole.returncode == 0
    backup = tmp_path / "p.annotator.before-0003.20240101T000000Z.bak"
    backup.write_bytes(project.read_bytes())
    page = damage_an_index_page(project)
    before = sha(project)
    exported = run("export", project)
    line = assert_one_line_error(exported, str(project), "damaged", f"page {page}", backup.name, ".recover")
    assert exported.stdout == "", "no partial export"
    out = tmp_path / "gold.jsonl"
    assert_one_line_error(run("export", project, "-o", out), "damaged")
    assert not out.exists()
    assert_one_line_error(run("import", project, backup), "damaged")
    assert sha(project) == before and "nothing was read from it or written to it" in line


@pytest.mark.parametrize("btree", ["ix_spans_layer", "ix_documents_lang"])
def test_stats_counts_a_project_damaged_where_it_does_not_read(tmp_path, btree):
    """`stats` checks only the tables it reads (their pages and indexes), not the spans
    nor the documents, whose counts the project keeps: a damaged page of the span index
    or the documents' language index changes none of its figures, so it prints them;
    export and import still refuse the project."""
    project = project_with_spans(tmp_path / "p.annotator")
    counted = run("stats", project)
    assert counted.returncode == 0 and "documents: " in counted.stdout
    gold = tmp_path / "gold.jsonl"
    assert run("export", project, "-o", gold).returncode == 0
    damage_an_index_page(project, btree, pages_at_least=1)
    before = sha(project)
    assert run("stats", project).stdout == counted.stdout
    for command in (("export", project), ("import", project, gold)):
        assert_one_line_error(run(*command), "damaged")
    assert sha(project) == before


@pytest.mark.parametrize("btree", ["span_counts_docs", "span_counts_label", "document_status", "annotators"])
def test_stats_refuses_a_project_damaged_where_it_reads(tmp_path, btree):
    """The documents per language and the spans come from their kept counts, the
    statuses and names from their tables: damage to any is refused."""
    project = project_with_spans(tmp_path / "p.annotator")
    page = damage_an_index_page(project, btree, pages_at_least=1)
    before = sha(project)
    line = assert_one_line_error(run("stats", project), str(project), "damaged", f"page {page}", ".recover")
    assert "nothing was read from it" in line and sha(project) == before


def test_a_busy_project_is_one_line_and_readers_go_on(tmp_path, monkeypatch, capsys):
    project = tmp_path / "p.annotator"
    Project.create(project).close()
    text = tmp_path / "doc.txt"
    text.write_text("Un document.\n", encoding="utf-8")
    before = dump(project)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    writer = sqlite3.connect(project, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
    try:
        assert cli.main(["import", str(project), str(text)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "busy" in err and "try again" in err, err
        assert cli.main(["stats", str(project)]) == 0  # WAL: reading does not wait for the writer
        assert capsys.readouterr().out.startswith("documents: 0")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert dump(project) == before
    assert not [n for n in listing(tmp_path) if n.endswith(".lock")]
