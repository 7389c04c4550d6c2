"""Issue 18: `annotator export` of a project file at this version's revision reads it
through the sqlite3 driver alone (store.reading, store.record_rows); what it writes is
byte for byte what the project's SQLAlchemy connection gives, for every kind of record,
and a damaged project is refused before a line is written (a project to upgrade or a
newer one: tests/cli/test_startup_imports.py)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import ArgumentRecord, Block, DocumentRecord
from annotator.exporter import write_out
from annotator.formats import gold_jsonl, registry
from annotator.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store import parallel, record_rows, spans
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.records_out import connection_query, iter_records
from annotator.store.schema_change import replace_schema
from tests.faults.test_damage_and_busy import damage_an_index_page, project_with_spans
from tests.formats.test_depth_gold import full_record

# What must be in the export of `every_kind` for the comparison to mean something.
EVERY_KIND = (b'"fragments":[{', b'"entity":"', b'"kb":"Q', b'"relations":[{', b'"attributes":{"official":true}',
              b'"attributes":{"certain":true}', b'"crossings":[{', b'"links":[{', b'"group":"', b'"note":"',
              b'"value":"', b'"status":"in_progress"', b'"status":"todo"', b'"annotator":null', b'"events":[{',
              b'"claims":[{', b'"annotator":"bob"', b'"realis":"generic"')


def every_kind(tmp_path: Path) -> Path:
    """A project with the seed gold (events, claims, alignments, links, groups, clusters,
    notes, document attributes) and two layers of one document with everything of issue
    14 (fragments, KB ids, relations, span and argument attributes), a crossing alignment,
    a layer in progress and a document in no layer (the seeds are the gold layer)."""
    path = tmp_path / "every.annotator"
    with Project.create(path) as project:
        data = json.loads(project.schema.to_json())
        data["attributes"] += [{"name": "official", "kind": "bool", "applies_to": {"labels": ["ORG"]}},
                               {"name": "certain", "kind": "bool", "applies_to": {"roles": True}}]
        replace_schema(project, json.dumps(data), "test schema")
        ana = full_record("ana")
        ana = replace(ana, spans=tuple(replace(s, attributes=(("official", True),)) if s.id == "s6" else s
                                       for s in ana.spans),
                      events=tuple(replace(e, arguments=tuple(ArgumentRecord(a.role, a.span, (("certain", True),))
                                                              for a in e.arguments)) for e in ana.events))
        bob = full_record("bob", p="b")
        bob = replace(bob, status="in_progress", attributes=(("topic", "politics"),),
                      events=tuple(replace(e, attributes=(("realis", "generic"), ("polarity", "negative")))
                                   for e in bob.events))
        pair = [DocumentRecord(id=i, lang=lang, text=t, annotator="ana") for i, lang, t in
                (("a", "en", "One. Two. Three."), ("b", "fr", "Un. Trois. Deux."))]
        lone = DocumentRecord(id="lone", lang="en", text="Nothing was marked here.")
        extra = tmp_path / "extra.jsonl"
        extra.write_bytes(b"".join(gold_jsonl.dumps(r) for r in (ana, bob, *pair, lone)))
        import_paths(project, [seeds_dir() / "gold" / "seeds.gold.jsonl", extra])
        with project.read() as conn:
            ids = {d.uid: d.id for d in list_documents(conn)}
        blocks = [Block(0, 4, 0, 3), Block(5, 9, 4, 4), Block(9, 9, 4, 10), Block(10, 16, 11, 11),
                  Block(16, 16, 11, 16)]
        parallel.save_alignment(project, ids["a"], ids["b"], "ana", blocks,
                                crossings=[Block(5, 9, 11, 16), Block(10, 16, 4, 10)])
    return path


def through_sqlalchemy(path: Path, fmt: str = "jsonl", annotator: str | None = None, arrays: bool = False) -> bytes:
    """What the export wrote before issue 18's driver path: the project's own opening and
    connection, the registry's writer (the gold layer: only the documents that have one).
    The spans a row each, as a server gives them, unless `arrays` (SQLite's JSON arrays
    of a layer, what every reader of a project file now takes)."""
    out = io.BytesIO()
    form = registry.get(fmt, writable=True)
    with Project.open(path, readonly=True) as project, project.read() as conn:
        records = (iter_records(conn, annotator=annotator) if arrays
                   else record_rows.iter_records(connection_query(conn), annotator=annotator, sqlite=False))
        if annotator == GOLD_ANNOTATOR:
            records = (rec for rec in records if rec.has_layer)
        write_out(form, records, None, False, {}, project.schema, stream=out)
    return out.getvalue()


@pytest.fixture
def exported(capsysbinary):
    def run(*argv: str) -> bytes:
        assert main(["export", *argv]) == 0
        return capsysbinary.readouterr().out
    return run


def test_every_kind_of_record_is_written_byte_for_byte_as_through_sqlalchemy(tmp_path, exported):
    path = every_kind(tmp_path)
    fast = exported(str(path))
    assert fast == through_sqlalchemy(path) == through_sqlalchemy(path, arrays=True)
    missing = [kind for kind in EVERY_KIND if kind not in fast]
    assert missing == []


def test_spans_added_out_of_order_and_one_note_come_out_as_a_row_each_gives_them(tmp_path, exported):
    """A layer's JSON arrays keep the layer index's order (start, end, label, id) however
    the spans were added, and value and note, read only when some span has one, are
    read for that layer's every span."""
    path = every_kind(tmp_path)
    with Project.open(path) as project, project.read() as conn:
        lone = {d.uid: d.id for d in list_documents(conn)}["lone"]
    for start, end, label in ((17, 23, "ORG"), (0, 7, "PERSON"), (17, 23, "DATE"), (0, 7, "ORG"), (8, 11, "ORG")):
        with Project.open(path) as project:
            spans.add_span(project, lone, "carl", start, end, label)
    plain = exported(str(path), "--annotator", "carl")
    assert plain == through_sqlalchemy(path, annotator="carl") and plain.count(b'"label":') == 5
    with Project.open(path) as project, project.read() as conn:
        uid = next(r for r in conn.exec_driver_sql("SELECT s.uid FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                                                "WHERE a.name = 'carl' AND s.label = 'DATE'"))[0]
    with Project.open(path) as project:
        spans.update_span(project, uid, note="checked twice")
    noted = exported(str(path), "--annotator", "carl")
    assert noted == through_sqlalchemy(path, annotator="carl") and noted.count(b'"note":"checked twice"') == 1
    assert exported(str(path)) == through_sqlalchemy(path)


@pytest.mark.parametrize("fmt,annotator", [("jsonl", "bob"), ("jsonl", "nobody-with-a-layer"), ("conll", "ana"),
                                           ("labelstudio", "ana")])
def test_one_layer_and_other_formats_too(tmp_path, exported, fmt, annotator):
    path = every_kind(tmp_path)
    if annotator == "nobody-with-a-layer":
        assert main(["export", str(path), "--annotator", annotator]) == 1
        return
    assert exported(str(path), "--format", fmt, "--annotator", annotator) == through_sqlalchemy(path, fmt, annotator)


def test_the_gold_layer_alone_and_none_yet(tmp_path, exported, capsysbinary):
    path = every_kind(tmp_path)
    gold = exported(str(path), "--gold")
    seeds = (seeds_dir() / "gold" / "seeds.gold.jsonl").read_bytes()
    assert gold == through_sqlalchemy(path, annotator=GOLD_ANNOTATOR) and gold.count(b"\n") == seeds.count(b"\n")
    plain = tmp_path / "plain.annotator"
    Project.create(plain).close()
    assert main(["export", str(plain), "--gold"]) == 1
    assert b"no gold layer yet" in capsysbinary.readouterr().err


def test_the_file_and_its_schema_appear_whole_and_follow_the_umask(tmp_path, exported, monkeypatch):
    import os

    path = every_kind(tmp_path)
    out = tmp_path / "gold.jsonl"
    old = os.umask(0o027)
    try:
        assert main(["export", str(path), "-o", str(out)]) == 0
    finally:
        os.umask(old)
    with Project.open(path, readonly=True) as project:
        schema = project.schema.to_json()
    assert json.loads(out.read_bytes().splitlines()[0])["schema"] == "gold.jsonl.schema.json"
    assert (tmp_path / "gold.jsonl.schema.json").read_text("utf-8") == schema + "\n"
    assert (out.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_damaged_project_is_refused_before_a_line_is_written(tmp_path, capsysbinary):
    path = project_with_spans(tmp_path / "p.annotator")
    assert main(["export", str(path)]) == 0 and capsysbinary.readouterr().out.count(b"\n") > 2
    page = damage_an_index_page(path)
    assert main(["export", str(path)]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"damaged" in err and f"page {page}".encode() in err
