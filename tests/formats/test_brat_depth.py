"""brat standoff and issue 14: discontinuous T lines (fragments), A/M attributes (binary
and multi-valued), R relations, `*` equivalences and N Wikidata ids (entity clusters),
in both directions; what brat cannot hold is counted by the writer, and the exporter no
longer counts what brat carries.

The line shapes are those of brat's documentation, https://brat.nlplab.org/standoff.html:
"T1 Location 0 5;16 23 North America" (text-bound, discontinuous), "A1 Negation E1" and
"A2 Confidence E2 L1" (binary and multi-valued attributes), "R1 Origin Arg1:T3 Arg2:T4"
(relations), "* Equiv T1 T2 T3" (equivalence), "N1 Reference T1 Wikipedia:534366 Barack
Obama" (normalisation)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.records import (
    DocumentRecord,
    EntityRecord,
    EventRecord,
    RelationRecord,
    SpanRecord,
    layer_signature,
)
from annotator.core.schema import parse_schema
from annotator.exporter import ExportChoice, export
from annotator.formats import brat
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.formats.test_depth_gold import full_record

SCHEMA_OBJ = {
    "version": 1,
    "labels": [{"name": n, "key": k, "colour": "#336699"} for n, k in (("PER", "1"), ("ORG", "2"), ("LOC", "3"))],
    "event_types": [{"name": "MEET", "key": "m", "roles": []}],
    "attributes": [
        {"name": "negated", "kind": "bool", "applies_to": {"labels": True}},
        {"name": "certainty", "kind": "enum", "values": ["high", "low"], "applies_to": {"labels": ["PER", "ORG"]}},
        {"name": "weight", "kind": "number", "applies_to": {"labels": True}},
        {"name": "gloss", "kind": "text", "applies_to": {"labels": True}},
        {"name": "realis", "kind": "enum", "values": ["actual", "other"], "applies_to": {"event_types": True}},
    ],
    "relations": [{"type": "member_of", "directed": True, "pairs": [["PER", "ORG"]]},
                  {"type": "near", "directed": False, "pairs": [["LOC", "ORG"]]}],
}
SCHEMA_TEXT = orjson.dumps(SCHEMA_OBJ).decode()
SCHEMA = parse_schema(SCHEMA_TEXT, "schema.json")
TEXT = "Ana of the 𝔘N mission met Bob in 😀 Paris.\nBob of the UN stayed.\n"


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def span(sid: str, needle: str, label: str, nth: int = 0, **kw) -> SpanRecord:
    s, e = at(needle, nth)
    return SpanRecord(sid, s, e, label, TEXT[s:e], **kw)


def record() -> DocumentRecord:
    un, mission = at("𝔘N"), at("mission")
    return DocumentRecord(
        id="d1", lang="en", text=TEXT, annotator="ana", status="done",
        spans=(span("s1", "Ana", "PER", attributes=(("negated", True), ("certainty", "high"), ("weight", 2.5))),
               SpanRecord("s2", un[0], mission[1], "ORG", TEXT[un[0]:mission[1]], fragments=(un, mission),
                          attributes=(("negated", False), ("weight", 3))),
               span("s3", "Bob", "PER", entity="bob"),
               span("s4", "Paris", "LOC", entity="paris", attributes=(("gloss", "the capital"),)),
               span("s5", "Bob", "PER", 1, entity="bob"),
               span("s6", "UN", "ORG", entity="un")),
        events=(EventRecord("e1", "MEET", *at("met"), "met", attributes=(("realis", "actual"),)),),
        relations=(RelationRecord("r1", "member_of", "s1", "s2"), RelationRecord("r2", "member_of", "s5", "s6"),
                   RelationRecord("r3", "near", "s4", "s6")),
        entities=(EntityRecord("bob", None), EntityRecord("paris", None), EntityRecord("un", "Q1065")),
        attributes=(("topic", "x"),))


def read_back(folder: Path, schema=SCHEMA) -> list[brat.ReadResult]:
    return [brat.read(ann, ann.read_bytes(), annotator="ana", schema=schema) for ann in sorted(folder.glob("*.ann"))]


def test_every_kind_is_written_in_brat_lines_and_read_back(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = brat.write([record()], out)
    assert result.left_out == [
        "1 attribute value(s) with a space or a line break, or empty",  # gloss "the capital"
        "1 event(s)", "2 attribute value(s) of events, claims, their arguments and documents",
        "1 cluster membership(s) of a span alone in its cluster in its document, without a Wikidata id"]  # paris
    un, mission = at("𝔘N"), at("mission")
    assert (out / "d1.ann").read_text(encoding="utf-8") == (
        "T1\tPER 0 3\tAna\nA1\tnegated T1\nA2\tcertainty T1 high\nA3\tweight T1 2.5\n"
        f"T2\tORG {un[0]} {un[1]};{mission[0]} {mission[1]}\t𝔘N mission\nA4\tnegated T2 false\nA5\tweight T2 3\n"
        f"T3\tPER {at('Bob')[0]} {at('Bob')[1]}\tBob\n"
        f"T4\tLOC {at('Paris')[0]} {at('Paris')[1]}\tParis\n"
        f"T5\tPER {at('Bob', 1)[0]} {at('Bob', 1)[1]}\tBob\n"
        f"T6\tORG {at('UN')[0]} {at('UN')[1]}\tUN\nN1\tReference T6 Wikidata:Q1065\tUN\n"
        "R1\tmember_of Arg1:T1 Arg2:T2\nR2\tmember_of Arg1:T5 Arg2:T6\nR3\tnear Arg1:T4 Arg2:T6\n"
        "*\tEquiv T3 T5\n")
    [back] = read_back(out)
    assert back.left_out == []
    [(_where, rec)] = back.records
    expected = replace(record(), events=(), attributes=(),
                       spans=tuple(replace(s, attributes=(), entity=None) if s.id == "s4" else s
                                   for s in record().spans),
                       entities=tuple(e for e in record().entities if e.id != "paris"))
    assert layer_signature(rec) == layer_signature(expected)
    assert dict(rec.spans[1].attributes) == {"negated": False, "weight": 3}  # typed by the schema
    assert isinstance(dict(rec.spans[0].attributes)["weight"], float)
    assert "ent-Q1065" in {e.id for e in rec.entities}


def test_without_a_schema_values_stay_words_and_every_relation_is_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    brat.write([record()], out)
    [back] = read_back(out, schema=None)
    rec = back.records[0][1]
    assert dict(rec.spans[1].attributes) == {"negated": "false", "weight": "3"}
    assert dict(rec.spans[0].attributes)["negated"] is True and len(rec.relations) == 3


def test_what_the_schema_does_not_declare_is_counted_not_kept(tmp_path):
    ann = tmp_path / "d.ann"
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    loc, ana = at("Paris"), at("Ana")
    ann.write_text(f"T1\tPER {ana[0]} {ana[1]}\tAna\nT2\tLOC {loc[0]} {loc[1]}\tParis\n"
                   "R1\tmember_of Arg1:T1 Arg2:T2\n"  # PER -> LOC: a pair member_of refuses
                   "R2\tlives_in Arg1:T1 Arg2:T2\n"  # not a relation of the schema
                   "R3\tnear Arg1:T2 Arg2:T1\n"  # LOC -> PER: refused
                   "A1\tcertainty T2 high\n"  # certainty is declared on PER and ORG only
                   "A2\tcertainty T1 middling\n"  # not one of its values
                   "A3\tweight T1 heavy\n"  # not a number
                   "A4\tmood T1 calm\n"  # not declared
                   "A5\tnegated T1\nA6\tnegated T1\n", encoding="utf-8")  # the second is a repeat
    result = brat.read(ann, ann.read_bytes(), schema=SCHEMA)
    rec = result.records[0][1]
    assert rec.relations == () and rec.spans[0].attributes == (("negated", True),)
    assert result.left_out[0].startswith("3 relation(s) (R lines)")
    assert result.left_out[1].startswith("5 attribute(s) (A and M lines)")


def test_the_exporter_counts_only_what_brat_has_no_place_for(tmp_path):
    path = tmp_path / "in.jsonl"
    from annotator.formats import gold_jsonl

    path.write_bytes(gold_jsonl.dumps(full_record()))
    with Project.create(tmp_path / "p.annotator") as project:
        import_paths(project, [path])
        summary = export(project, ExportChoice(tmp_path / "out", fmt="brat"))
    text = " | ".join(summary.left_out)
    for words in ("relation(s) between spans", "discontinuous span(s)", "entity cluster membership(s) of spans"):
        assert words not in text, text
    # the event's 3 and the claim's 5 attributes and the record's 3 document labels have no place in brat
    assert "11 attribute value(s) of events, claims, their arguments and documents" in summary.left_out
    assert "1 event(s)" in summary.left_out and "1 claim(s)" in summary.left_out
    assert not any(w.startswith("11 attribute value(s)") and "of events" not in w for w in summary.left_out)
    ann = (tmp_path / "out" / "doc-depth.ann").read_text(encoding="utf-8")
    assert "R1\tmember_of" in ann and "Wikidata:Q2071493" in ann and ";" in ann


def test_a_brat_folder_with_every_kind_imports_into_a_project_and_exports_again(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    brat.write([record()], out)
    with Project.create(tmp_path / "p.annotator", schema_text=SCHEMA_TEXT) as project:
        report = import_paths(project, [out / "d1.ann"], options={"annotator": "ana"})
        assert report.warnings == []
        with project.read() as conn:
            [stored] = [r for r in iter_records(conn) if r.has_layer]
        again = tmp_path / "again"
        export(project, ExportChoice(again, fmt="brat"))
    assert (again / "d1.ann").read_bytes() == (out / "d1.ann").read_bytes()
    assert len(stored.relations) == 3 and stored.spans[1].fragments == (at("𝔘N"), at("mission"))


_CHARS = st.sampled_from(["a", "b", " ", "\n", "😀", "𝔘", "e\u0301", "\u0915\u094d\u0937", "ß", "🇸🇪"])


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(_CHARS, min_size=4, max_size=30),
       cuts=st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=6, unique=True), max_size=5),
       links=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=4))
def test_fragments_relations_and_clusters_survive_the_round_trip_with_astral_characters(tmp_path_factory, pieces,
                                                                                       cuts, links):
    """Discontinuous spans whose fragments start and end on grapheme clusters (astral
    characters, combining marks, conjuncts, flags): every fragment's offsets exact after
    a write and a read; relations and a cluster between them too."""
    text = "".join(pieces)
    edges = [0]
    for p in pieces:
        edges.append(edges[-1] + len(p))
    spans: list[SpanRecord] = []
    for i, cut in enumerate(cuts):
        marks = sorted(min(c, len(pieces)) for c in cut)
        frags = tuple((edges[a], edges[b]) for a, b in zip(marks[::2], marks[1::2], strict=False) if a < b)
        if not frags or any("\n" in text[a:b] for a, b in frags):
            continue
        spans.append(SpanRecord(f"s{i}", frags[0][0], frags[-1][1], "PER", text[frags[0][0]:frags[-1][1]],
                                fragments=frags if len(frags) > 1 else (), entity="e" if i % 2 else None))
    ids = [s.id for s in spans]
    relations = tuple(RelationRecord(f"r{k}", "member_of", ids[a], ids[b])
                      for k, (a, b) in enumerate(links) if a < len(ids) and b < len(ids))
    members = [s for s in spans if s.entity]
    entities = (EntityRecord("e", "Q42"),) if members else ()
    rec = DocumentRecord(id="h", lang="", text=text + "x", spans=tuple(spans), relations=relations,
                         entities=entities, annotator="ana")
    out = tmp_path_factory.mktemp("brat")
    assert brat.write([rec], out).left_out == []
    [back] = read_back(out, schema=None)
    got = back.records[0][1]
    assert back.left_out == []
    assert sorted((s.start, s.end, s.fragments, s.text) for s in got.spans) == sorted(
        (s.start, s.end, s.fragments, s.text) for s in spans)
    assert layer_signature(got) == layer_signature(replace(rec, status="done"))
