"""The gold annotation of the seeds (seeds/gold/seeds.gold.jsonl, built by
scripts/build_seed_gold.py): valid, faithful to the seed texts, complete for the
translation group, and right on the facts a user would check first."""

import importlib.util
import json
from pathlib import Path

import pytest
import regex
from jsonschema import Draft202012Validator

from annotator.core.records import DocumentRecord
from annotator.core.schema import parse_schema
from annotator.core.values import value_problem
from annotator.formats import gold_checks, gold_jsonl
from annotator.formats.validate import validate_bytes
from annotator.paths import resources_dir, seeds_dir

GOLD = seeds_dir() / "gold" / "seeds.gold.jsonl"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_seed_gold.py"
BN, VI, FR, SR, EN = ("000_00eeb79877075e28", "001_4b158e7d9e1f12f6", "002_348658bd2cc7c365",
                      "003_9d79371e2d62a488", "004_8ff92d06c738168c")
GROUP = [VI, FR, EN]


@pytest.fixture(scope="module")
def records() -> dict[str, DocumentRecord]:
    return {rec.id: rec for _line, rec in gold_checks.read(GOLD.read_bytes(), str(GOLD))}


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_seed_gold", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict]:
    data = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


def spans_by_id(rec):
    return {s.id: s for s in rec.spans}


def test_the_gold_validates_against_the_json_schema_and_the_annotation_schema():
    schema = parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")
    count, problems = validate_bytes(GOLD.read_bytes(), schema, strict=True)
    assert count == 5
    assert [str(p) for p in problems] == []
    json_schema = Draft202012Validator(json.loads((resources_dir() / "gold.schema.json").read_text(encoding="utf-8")))
    assert [e.message for line in GOLD.read_bytes().splitlines() for e in json_schema.iter_errors(json.loads(line))] == []


def test_one_done_gold_record_per_seed_document(records, manifest):
    assert list(records) == list(manifest)
    for doc, entry in manifest.items():
        rec = records[doc]
        assert (rec.lang, rec.group, rec.title, rec.annotator, rec.status) == (
            entry["lang"], entry["group"], entry["title"], "gold", "done")
        assert rec.text == (seeds_dir() / entry["file"]).read_bytes().decode("utf-8")


def test_spans_quote_the_seed_text_trimmed_and_dates_and_figures_have_values(records):
    edge = regex.compile(r"[\p{P}\p{Z}\s]")
    for rec in records.values():
        assert rec.spans, rec.id
        for s in rec.spans:
            assert rec.text[s.start:s.end] == s.text, s.id
            assert not edge.fullmatch(s.text[0]) and not edge.fullmatch(s.text[-1]), s.id
            if s.label in ("DATE", "FIGURE"):
                assert s.value is not None, s.id
            assert value_problem(s.label, s.value) is None, s.id


def test_person_spans_leave_titles_out(records):
    titles = ("Secretary", "Ambassador", "Mr.", "secrétaire", "ambassadeur", "M.", "Tổng thư ký", "Đại sứ",
              "ông ", "generalni", "সেক্রেটারি", "মিঃ")
    for rec in records.values():
        for s in rec.spans:
            if s.label == "PERSON":
                assert not any(t in s.text for t in titles), s.text


def test_the_file_is_what_the_build_script_decides(build):
    """The readable decisions in the script resolve to exactly the bytes of the file (the
    script also runs them through `annotator import`/`export`, which must not change them)."""
    out = b"".join(gold_jsonl.dumps(rec) for rec in build.build_records())
    assert out == GOLD.read_bytes()


def test_import_and_export_again_give_the_same_bytes(tmp_path):
    from annotator.importer import create_project, import_paths
    from annotator.store.records_out import iter_records

    data = GOLD.read_bytes()
    with create_project(tmp_path / "p.annotator") as project:
        import_paths(project, [GOLD])
        with project.read() as conn:
            out = b"".join(gold_jsonl.dumps(rec) for rec in iter_records(conn, annotator="gold"))
    assert out == data


@pytest.mark.parametrize("a,b", [(VI, FR), (VI, EN), (FR, EN)])
def test_group_alignments_cover_every_sentence_of_both_sides(records, build, a, b):
    alignment = [al for al in records[a].alignments if al.target == b]
    assert len(alignment) == 1  # stored once, in the lower id's record
    assert not [al for al in records[b].alignments if al.target == a]
    blocks = alignment[0].blocks
    for side, doc, ranges in (("a", a, [(bl.a_start, bl.a_end) for bl in blocks]),
                              ("b", b, [(bl.b_start, bl.b_end) for bl in blocks])):
        text = records[doc].text
        # Monotone and disjoint.
        for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:]):
            assert e1 <= s2, (doc, side)
        # Every sentence lies inside one block, and the sentences cover all the text.
        sentences = build.sentence_ranges(doc, text)
        for start, end in sentences:
            assert any(s <= start and end <= e for s, e in ranges if s < e), (doc, text[start:end])
        covered = set()
        for s, e in ranges:
            covered.update(range(s, e))
        assert all(text[i].isspace() for i in range(len(text)) if i not in covered), doc
        # A block edge is a sentence edge.
        edges = {p for r in sentences for p in r}
        for s, e in ranges:
            if s < e:
                assert s in edges and e in edges, (doc, s, e)
    assert all(bl.a_start < bl.a_end or bl.b_start < bl.b_end for bl in blocks)


def test_links_join_counterparts_of_the_same_label_from_the_lower_id_to_the_higher(records):
    pairs = set()
    for rec in records.values():
        for lk in rec.links:
            assert rec.id in GROUP and lk.target_doc in GROUP and rec.id < lk.target_doc
            src, dst = spans_by_id(rec)[lk.span], spans_by_id(records[lk.target_doc])[lk.target_span]
            assert src.label == dst.label
            assert (rec.id, lk.span, lk.target_doc, lk.target_span) not in pairs
            pairs.add((rec.id, lk.span, lk.target_doc, lk.target_span))
    for a, b in ((VI, FR), (VI, EN), (FR, EN)):
        assert any(p[0] == a and p[2] == b for p in pairs), (a, b)


def _meeting_dates(rec, trigger):
    spans = spans_by_id(rec)
    [event] = [e for e in rec.events if e.trigger_text == trigger]
    assert event.type == "MEETING"
    participants = {spans[a.span].text for a in event.arguments if a.role == "participant"}
    return participants, {spans[a.span].value for a in event.arguments if a.role == "time"}


def test_the_meeting_dates_as_each_text_gives_them(records):
    # English says 13 June; French and Vietnamese say 14 June: the gold keeps both.
    participants, dates = _meeting_dates(records[EN], "met")
    assert participants == {"Mircea Geoană", "Miroslav Lajcak"} and dates == {"2023-06-13"}
    participants, dates = _meeting_dates(records[FR], "rencontré")
    assert participants == {"Mircea Geoana", "Miroslav Lajcak"} and dates == {"2023-06-14"}
    vi = records[VI]
    spans = spans_by_id(vi)
    first = min((e for e in vi.events if e.trigger_text == "cuộc gặp"), key=lambda e: e.trigger_start)
    assert {spans[a.span].value for a in first.arguments if a.role == "time"} == {"2023-06-14"}
    # Bengali: a different meeting, on Monday 9 January 2023.
    participants, dates = _meeting_dates(records[BN], "বৈঠকটি")
    assert dates == {"2023-01-09"}
    assert "মিরসিয়া জিওনা" in participants


def test_the_disagreeing_dates_are_linked_not_hidden(records):
    vi, en = records[VI], records[EN]
    [d14] = [s for s in vi.spans if s.label == "DATE" and s.text == "14/6" and s.start > 160]
    [link] = [lk for lk in vi.links if lk.span == d14.id and lk.target_doc == EN]
    target = spans_by_id(en)[link.target_span]
    assert (d14.value, target.text, target.value) == ("2023-06-14", "13 June 2023", "2023-06-13")


def test_figures_read_per_locale_and_linked_across_the_group(records):
    values = {doc: sorted(s.value for s in records[doc].spans if s.label == "FIGURE") for doc in records}
    assert values[EN] == ["4000", "500"]
    assert values[VI] == ["27", "4000", "4200", "500"]            # 4.200, 4.000: dot groups thousands
    assert values[FR] == ["0", "27", "4000", "4200", "500"]       # 4 200, 4 000; Comment (0)
    assert values[SR] == ["1000", "13", "27", "40", "4700"]        # hiljadu, 4.700
    figures = {s.id: s for rec in records.values() for s in rec.spans if s.label == "FIGURE"}
    linked = {(figures[lk.span].text, figures[lk.target_span].text)
              for rec in records.values() for lk in rec.links if lk.span in figures}
    assert {("4.000", "4 000"), ("4.000", "4,000"), ("4 000", "4,000")} <= linked


def test_claims_name_their_claimant_and_quote_the_text(records):
    for rec in records.values():
        spans = spans_by_id(rec)
        for c in rec.claims:
            assert rec.text[c.start:c.end] == c.text
            claimants = [spans[a.span] for a in c.arguments if a.role == "claimant"]
            assert claimants and all(s.label in ("PERSON", "ORG") for s in claimants), c.id
    en = records[EN]
    first = min(en.claims, key=lambda c: c.start)
    assert first.text.startswith("The long-standing") and first.text.endswith("make a difference")
    assert [spans_by_id(en)[a.span].text for a in first.arguments if a.role == "claimant"] == ["Geoană"]


def test_serbian_keeps_the_cyrillic_letter_in_its_eu_spans(records):
    eu = [s.text for s in records[SR].spans if s.label == "ORG" and s.text.endswith("U") and len(s.text) == 2]
    assert eu == ["\u0415U", "\u0415U", "\u0415U"]


# -- issue 14: attributes, relations, clusters (GUIDELINES.md from "Event attributes") ----

def test_every_event_and_claim_has_its_attributes_and_every_document_its_labels(records):
    schema = parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")
    for rec in records.values():
        assert dict(rec.attributes).keys() == {"topic", "genre"}
        for e in rec.events:
            assert [k for k, _v in e.attributes] == ["realis", "polarity", "tense"], e.id
        for c in rec.claims:
            values = dict(c.attributes)
            assert values.keys() == {"stance", "check_worthy", "claim_type"} and values["stance"] == "asserts", c.id
            assert "verdict" not in values  # nothing has been checked against a source
        required = [a.name for a in schema.attributes if a.required]
        for item in (*rec.events, *rec.claims):
            assert all(name in dict(item.attributes) for name in required
                       if schema.attribute(name).applies("event" if item in rec.events else "claim",
                                                         getattr(item, "type", None))), item.id
    # what the guidelines single out
    en = {e.trigger_text: dict(e.attributes) for e in records[EN].events}
    assert en["deployed"]["realis"] == en["deployment"]["realis"] == "other"
    assert en["arrived"] == {"realis": "actual", "polarity": "positive", "tense": "past"}
    statistic = [c for c in records[EN].claims if dict(c.attributes)["claim_type"] == "statistic"]
    assert [c.text.count("4,000") for c in statistic] == [1] and dict(statistic[0].attributes)["check_worthy"]


def test_claims_of_one_statement_have_the_same_attributes_across_the_translation_group(records):
    by_doc = {doc: [dict(c.attributes) for c in records[doc].claims] for doc in GROUP}
    assert by_doc[VI] == by_doc[FR] == by_doc[EN]


def test_relations_join_spans_of_one_sentence_with_pairs_the_schema_accepts(records):
    schema = parse_schema((resources_dir() / "schema.json").read_text(encoding="utf-8"), "schema.json")
    for rec in records.values():
        spans = spans_by_id(rec)
        assert rec.relations, rec.id
        for r in rec.relations:
            a, b = spans[r.from_span], spans[r.to_span]
            assert schema.relation(r.type).problem(a.label, b.label) is None
            between = rec.text[min(a.start, b.start):max(a.end, b.end)]
            assert "\n" not in between and len(between) < 140, (r.id, between)
    en = spans_by_id(records[EN])
    assert ("member_of", "Mircea Geoană", "NATO") in {(r.type, en[r.from_span].text, en[r.to_span].text)
                                                       for r in records[EN].relations}


def test_clusters_run_across_the_translation_group_and_linked_mentions_share_one(records):
    entities = {e.id: e.kb for rec in records.values() for e in rec.entities}
    assert entities["nato"] == "Q7184" and entities["eu"] == "Q458" and entities["un"] == "Q1065"
    for entity in ("nato", "eu", "kfor", "geoana", "lajcak", "osce", "un", "unsc"):
        assert all(any(s.entity == entity for s in records[doc].spans) for doc in GROUP), entity
    for rec in records.values():  # a linked PERSON or ORG mention and its counterpart: one entity
        for lk in rec.links:
            a, b = spans_by_id(rec)[lk.span], spans_by_id(records[lk.target_doc])[lk.target_span]
            if a.label in ("PERSON", "ORG"):
                assert a.entity == b.entity is not None, (a.text, b.text)
    names = {s.text for s in records[EN].spans if s.entity == "geoana"}
    assert names == {"Mircea Geoană", "Geoană", "Geoana"}


def test_the_export_loads_in_datasets_as_it_is(tmp_path):
    import datasets

    table = datasets.load_dataset("json", data_files=str(GOLD), split="train", cache_dir=str(tmp_path / "hf"))
    assert table.num_rows == 5
    row = table[[r["id"] for r in table].index(EN)]
    assert row["attributes"] == {"topic": "security", "genre": "news"}
    assert {"type": "member_of"}.items() <= row["relations"][0].items()
    assert any(e["id"] == "nato" and e["kb"] == "Q7184" for e in row["entities"])
    assert all(set(e["attributes"]) >= {"realis", "polarity", "tense"} for e in row["events"])
