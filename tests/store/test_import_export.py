import io

import orjson
import pytest

from annotator.core.errors import InputError
from annotator.core.records import (
    AlignmentRecord,
    ArgumentRecord,
    Block,
    ClaimRecord,
    DocumentRecord,
    EventRecord,
    LinkRecord,
    SpanRecord,
)
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from tests.conftest import TRICKY, dump


def export(project, annotator=None) -> bytes:
    buf = io.BytesIO()
    with project.read() as conn:
        gold_jsonl.write(iter_records(conn, annotator=annotator), buf)
    return buf.getvalue()


def span(text, needle, label, sid, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return SpanRecord(sid, start, start + len(needle), label, needle)


def tricky_records():
    """Two annotated documents of one group with every construct, and one unannotated."""
    en = "Mircea Geoană met NATO 😀 on 13\u00a0June 2023 👨\u200d👩\u200d👧.\r\n" + TRICKY["emoji_zwj"]
    bn = "ক্ষমতা রাস্তার ৯ জানুয়ারী ২০২৩ ন্যাটো বৈঠক"
    en_spans = (span(en, "Mircea Geoană", "PERSON", "s-en-1"), span(en, "NATO", "ORG", "s-en-2"),
                span(en, "13\u00a0June 2023", "DATE", "s-en-3"))
    bn_spans = (span(bn, "রাস্তার", "FIGURE", "s-bn-3"), span(bn, "৯ জানুয়ারী ২০২৩", "DATE", "s-bn-1"),
                span(bn, "ন্যাটো", "ORG", "s-bn-2"))  # in export order: by offset
    met = en.index("met")
    return [
        DocumentRecord(
            id="en-1", lang="en", text=en, title="English", source="en.txt", spans=en_spans,
            events=(EventRecord("e-1", "MEETING", met, met + 3, "met",
                                (ArgumentRecord("participant", "s-en-1"), ArgumentRecord("participant", "s-en-2"),
                                 ArgumentRecord("time", "s-en-3"))),),
            claims=(ClaimRecord("c-1", 0, en.index("."), en[: en.index(".")],
                                (ArgumentRecord("claimant", "s-en-2"),)),),
            group="g1",
            alignments=(AlignmentRecord("bn-1", (Block(0, en.index(".") + 1, 0, len(bn)),
                                                 Block(en.index(".") + 3, len(en), len(bn), len(bn)))),),
            links=(LinkRecord("s-en-2", "bn-1", "s-bn-2"), LinkRecord("s-en-3", "bn-1", "s-bn-1")),
            annotator="ana", status="done"),
        DocumentRecord(id="bn-1", lang="bn", text=bn, title="বাংলা", spans=bn_spans, group="g1", annotator="ana",
                       status="in_progress"),
        DocumentRecord(id="bn-1", lang="bn", text=bn, title="বাংলা", spans=(span(bn, "৯ জানুয়ারী ২০২৩", "DATE", "s-bn-z1"),), group="g1", annotator="zed"),
        DocumentRecord(id="vi-nfd", lang="vi", text=TRICKY["vi_nfd"] + "\r\n" + TRICKY["fr_nbsp"] + TRICKY["separators"]),
    ]


@pytest.fixture
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(r) for r in tricky_records()))
    return path


def test_round_trip_gives_the_same_bytes(empty_project, gold_file, tmp_path):
    report = import_paths(empty_project, [gold_file])
    # zed's layer goes into bn-1, which this same import adds: not an "existing" document.
    assert report.added == ["en-1", "bn-1", "vi-nfd"] and report.layers == [] and report.layer_count == 3
    first = export(empty_project)
    assert first == gold_file.read_bytes()
    assert export(empty_project) == first  # byte-identical when exported twice
    from annotator.store.project import Project
    again = tmp_path / "again.jsonl"
    again.write_bytes(first)
    with Project.create(tmp_path / "second.annotator") as second:
        import_paths(second, [again])
        assert export(second) == first


def test_export_contract(empty_project, gold_file):
    import_paths(empty_project, [gold_file])
    data = export(empty_project)
    assert b"\r\n" not in data.replace(b"\\r\\n", b"")
    lines = data.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 5
    for line in lines[:-1]:
        obj = orjson.loads(line)
        assert list(obj)[:4] == ["id", "lang", "text", "spans"]
        for s in obj["spans"]:
            assert obj["text"][s["start"]:s["end"]] == s["text"]
        for e in obj["events"]:
            assert obj["text"][e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
            assert {a["span"] for a in e["arguments"]} <= {s["id"] for s in obj["spans"]}
    # The unannotated document is exported too, with empty lists and no annotator.
    last = orjson.loads(lines[3])
    assert (last["id"], last["annotator"], last["spans"], last["status"]) == ("vi-nfd", None, [], "todo")


def test_export_of_one_annotator_has_one_line_per_document(empty_project, gold_file):
    import_paths(empty_project, [gold_file])
    objs = [orjson.loads(line) for line in export(empty_project, "zed").splitlines()]
    assert [(o["id"], o["annotator"], len(o["spans"])) for o in objs] == [("en-1", "zed", 0), ("bn-1", "zed", 1),
                                                                         ("vi-nfd", "zed", 0)]


def test_plain_text_folder_import_guesses_languages(empty_project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Le secrétaire général adjoint de l'OTAN a rencontré le représentant spécial.")
    (folder / "b.txt").write_bytes("\ufeffন্যাটো-নেতৃত্বাধীন কেএফওআর মিশন এবং ইইউ-নেতৃত্বাধীন রুল অফ ল মিশন".encode("utf-8"))
    report = import_paths(empty_project, [folder])
    assert report.added == ["a", "b"]
    with empty_project.read() as conn:
        assert [(d.uid, d.lang) for d in list_documents(conn)] == [("a", "fr"), ("b", "bn")]


def test_same_text_twice_is_a_duplicate(seeded_project, tmp_path):
    copy = tmp_path / "copy-of-004.txt"
    from annotator.paths import seeds_dir
    copy.write_bytes((seeds_dir() / "004_8ff92d06c738168c.txt").read_bytes())
    before = dump(seeded_project.path)
    report = import_paths(seeded_project, [copy])
    assert report.added == [] and report.duplicates == [(str(copy), "004_8ff92d06c738168c")]
    assert dump(seeded_project.path) == before


@pytest.mark.parametrize("content,place", [
    (b"good start \xc3\x28 then bad", "byte 11"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "byte"),
])
def test_bad_file_in_a_folder_refuses_the_whole_import(seeded_project, tmp_path, content, place):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "1-good.txt").write_text("A perfectly good new document about NATO.")
    (folder / "2-bad.txt").write_bytes(content)
    (folder / "3-good.txt").write_text("Another good document, never imported because 2 is bad.")
    before = dump(seeded_project.path)
    with pytest.raises(InputError) as err:
        import_paths(seeded_project, [folder])
    assert err.value.where == str(folder / "2-bad.txt") and err.value.place.startswith(place)
    assert dump(seeded_project.path) == before


def test_bad_jsonl_line_refuses_the_whole_file(empty_project, gold_file):
    lines = gold_file.read_bytes().split(b"\n")
    broken = orjson.loads(lines[1])
    broken["spans"][0]["end"] += 1  # text no longer matches the offsets
    lines[1] = orjson.dumps(broken)
    gold_file.write_bytes(b"\n".join(lines))
    before = dump(empty_project.path)
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [gold_file])
    assert err.value.place == "line 2" and "does not match" in str(err.value)
    assert dump(empty_project.path) == before


def test_label_outside_the_project_schema_is_refused(empty_project, tmp_path):
    rec = DocumentRecord(id="x", lang="en", text="Paris is nice", spans=(SpanRecord("s1", 0, 5, "LOC", "Paris"),),
                         annotator="ana")
    path = tmp_path / "loc.jsonl"
    path.write_bytes(gold_jsonl.dumps(rec))
    with pytest.raises(InputError, match="'LOC' is not a label of the schema"):
        import_paths(empty_project, [path], strict=True)  # without --strict it is added to the schema


def test_span_ending_inside_a_grapheme_cluster_is_refused(empty_project, tmp_path):
    text = "ক্ষমতা"
    rec = DocumentRecord(id="x", lang="bn", text=text, spans=(SpanRecord("s1", 0, 1, "ORG", text[:1]),), annotator="a")
    path = tmp_path / "cut.jsonl"
    path.write_bytes(gold_jsonl.dumps(rec))
    with pytest.raises(InputError, match="inside a grapheme cluster"):
        import_paths(empty_project, [path])


def test_same_id_with_other_text_is_refused_for_jsonl(seeded_project, tmp_path):
    rec = DocumentRecord(id="004_8ff92d06c738168c", lang="en", text="A different text under a taken id.")
    path = tmp_path / "clash.jsonl"
    path.write_bytes(gold_jsonl.dumps(rec))
    before = dump(seeded_project.path)
    with pytest.raises(InputError, match="already used"):
        import_paths(seeded_project, [path])
    assert dump(seeded_project.path) == before


def test_colliding_span_ids_are_rekeyed_and_references_follow(empty_project, tmp_path):
    text = "NATO met NATO"
    first = DocumentRecord(id="a", lang="en", text=text, spans=(SpanRecord("s1", 0, 4, "ORG", "NATO"),), annotator="x")
    second = DocumentRecord(id="b", lang="en", text=text + ".", spans=(SpanRecord("s1", 9, 13, "ORG", "NATO"),),
                            events=(EventRecord("e1", "MEETING", 5, 8, "met", (ArgumentRecord("participant", "s1"),)),),
                            annotator="x")
    path = tmp_path / "two.jsonl"
    path.write_bytes(gold_jsonl.dumps(first) + gold_jsonl.dumps(second))
    import_paths(empty_project, [path])
    a, b = [orjson.loads(line) for line in export(empty_project).splitlines()]
    assert a["spans"][0]["id"] == "s1"
    new_id = b["spans"][0]["id"]
    assert new_id != "s1" and b["events"][0]["arguments"] == [{"role": "participant", "span": new_id}]


def test_links_point_into_the_named_document_even_when_span_ids_clash(empty_project, tmp_path):
    a = DocumentRecord(id="a", lang="en", text="NATO and EU", annotator="x",
                       spans=(SpanRecord("s1", 0, 4, "ORG", "NATO"), SpanRecord("s2", 9, 11, "ORG", "EU")),
                       links=(LinkRecord("s2", "b", "s1"),))
    b = DocumentRecord(id="b", lang="fr", text="UE", annotator="x", spans=(SpanRecord("s1", 0, 2, "ORG", "UE"),))
    path = tmp_path / "ab.jsonl"
    path.write_bytes(gold_jsonl.dumps(a) + gold_jsonl.dumps(b))
    import_paths(empty_project, [path])
    out_a, out_b = [orjson.loads(line) for line in export(empty_project).splitlines()]
    (link,) = out_a["links"]
    target = next(s for s in out_b["spans"] if s["id"] == link["target_span"])
    assert (link["span"], link["target_doc"], target["text"]) == ("s2", "b", "UE")


def test_a_layer_with_only_a_status_is_not_added_to(empty_project, tmp_path):
    text = "NATO met the EU."
    first = tmp_path / "1.jsonl"
    first.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="en", text=text, annotator="x", status="done")))
    second = tmp_path / "2.jsonl"
    second.write_bytes(gold_jsonl.dumps(DocumentRecord(id="d", lang="en", text=text, annotator="x", status="done",
                                                       spans=(SpanRecord("s9", 0, 4, "ORG", "NATO"),))))
    import_paths(empty_project, [first])
    assert import_paths(empty_project, [first]).duplicates == [(str(first) + ": line 1", "d")]  # the same again
    before = dump(empty_project.path)
    with pytest.raises(InputError, match="already has x's layer, and this one differs"):
        import_paths(empty_project, [second])
    assert dump(empty_project.path) == before


def test_crossing_links_export_and_import_back_and_an_alignment_without_them_exports_as_before(empty_project,
                                                                                               tmp_path):
    """A crossing link adds "crossings" to its alignment, and only then: the export of an
    alignment without one keeps the keys it always had."""
    from annotator.store import parallel

    a_text, b_text = "One. Two. Three.", "Un. Trois. Deux."
    path = tmp_path / "pair.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord(id=i, lang=lang, text=t, annotator="ana")) + b"\n"
                              for i, lang, t in (("a", "en", a_text), ("b", "fr", b_text))))
    import_paths(empty_project, [path])
    with empty_project.read() as conn:
        ids = {d.uid: d.id for d in list_documents(conn)}
    plain = [Block(0, 4, 0, 3), Block(5, 9, 4, 10), Block(10, 16, 11, 16)]
    parallel.save_alignment(empty_project, ids["a"], ids["b"], "ana", plain)
    line = [orjson.loads(x) for x in export(empty_project, "ana").splitlines() if orjson.loads(x)["id"] == "a"][0]
    assert list(line["alignments"][0]) == ["target", "blocks"]
    # "Two." and "Deux." translate each other out of order; so do "Three." and "Trois.".
    blocks = [Block(0, 4, 0, 3), Block(5, 9, 4, 4), Block(9, 9, 4, 10), Block(10, 16, 11, 11),
              Block(16, 16, 11, 16)]
    crossings = [Block(5, 9, 11, 16), Block(10, 16, 4, 10)]
    parallel.save_alignment(empty_project, ids["a"], ids["b"], "ana", blocks, crossings=crossings)
    exported = export(empty_project, "ana")
    line = [orjson.loads(x) for x in exported.splitlines() if orjson.loads(x)["id"] == "a"][0]
    assert line["alignments"][0]["crossings"] == [{"a": [5, 9], "b": [11, 16]}, {"a": [10, 16], "b": [4, 10]}]
    from annotator.store.project import Project
    again = tmp_path / "again.jsonl"
    again.write_bytes(exported)
    with Project.create(tmp_path / "second.annotator") as second:
        import_paths(second, [again])
        with second.read() as conn:
            sid = {d.uid: d.id for d in list_documents(conn)}
            assert parallel.stored_crossings(conn, sid["a"], sid["b"], "ana") == crossings
        assert export(second, "ana") == exported


def test_a_crossing_link_that_is_not_two_untranslated_sentences_is_refused(empty_project, tmp_path):
    recs = [orjson.loads(gold_jsonl.dumps(DocumentRecord(id=i, lang=lang, text=t, annotator="ana")))
            for i, lang, t in (("b", "fr", "Un. Deux."), ("a", "en", "One. Two."))]
    recs[1]["alignments"] = [{"target": "b", "blocks": [{"a": [0, 4], "b": [0, 3]}, {"a": [5, 9], "b": [4, 9]}],
                              "crossings": [{"a": [0, 4], "b": [4, 9]}]}]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    before = dump(empty_project.path)
    with pytest.raises(InputError, match=r"line 2.*crossings\[0\].*not a pair of sentences left untranslated"):
        import_paths(empty_project, [path])
    assert dump(empty_project.path) == before
