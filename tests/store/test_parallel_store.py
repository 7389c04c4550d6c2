"""Groups, alignments and links in the store: one transaction each, undo information
returned, refused operations change nothing."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.records import Block
from annotator.store import parallel
from annotator.store.changes import apply
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from annotator.store.spans import add_span, delete_span
from tests.conftest import dump
from tests.core.test_grouping import IDS


@pytest.fixture
def docs(seeded_project):
    with seeded_project.read() as conn:
        return {row.uid[:3]: row.id for row in list_documents(conn)}


BLOCKS = [Block(0, 10, 0, 0), Block(10, 20, 0, 15), Block(20, 20, 15, 30)]


def test_an_alignment_is_saved_read_both_ways_replaced_and_cleared(seeded_project, docs):
    en, fr = docs["004"], docs["002"]
    assert parallel.save_alignment(seeded_project, en, fr, "ann", BLOCKS).result is None
    with seeded_project.read() as conn:
        assert parallel.stored_alignment(conn, en, fr, "ann") == BLOCKS
        assert parallel.stored_alignment(conn, fr, en, "ann") == [Block(b.b_start, b.b_end, b.a_start, b.a_end)
                                                                  for b in BLOCKS]
        assert parallel.stored_alignment(conn, en, fr, "other") is None
        assert parallel.alignment_annotators(conn, fr, en) == ["ann"]
    # Saved from the other side: replaces the stored one, returns it oriented as asked.
    swapped = [Block(0, 5, 0, 5)]
    previous = parallel.save_alignment(seeded_project, fr, en, "ann", swapped).result
    assert previous == [Block(b.b_start, b.b_end, b.a_start, b.a_end) for b in BLOCKS]
    with seeded_project.read() as conn:
        assert parallel.stored_alignment(conn, en, fr, "ann") == swapped
        records = {r.id: r for r in iter_records(conn, annotator="ann")}
    assert [a.target for a in records[IDS["002"]].alignments] == [IDS["004"]]
    assert records[IDS["004"]].alignments == ()
    assert parallel.save_alignment(seeded_project, en, fr, "ann", None).result == swapped
    with seeded_project.read() as conn:
        assert parallel.stored_alignment(conn, en, fr, "ann") is None


def test_a_bad_alignment_is_refused_and_changes_nothing(seeded_project, docs):
    parallel.save_alignment(seeded_project, docs["004"], docs["002"], "ann", BLOCKS)
    before = dump(seeded_project.path)
    with pytest.raises(AnnotatorError, match="not inside the two documents"):
        parallel.save_alignment(seeded_project, docs["004"], docs["002"], "ann", [Block(0, 10**6, 0, 1)])
    with pytest.raises(AnnotatorError, match="itself"):
        parallel.save_alignment(seeded_project, docs["004"], docs["004"], "ann", BLOCKS)
    assert dump(seeded_project.path) == before


def test_groups_members_and_undo_information(seeded_project, docs):
    with seeded_project.read() as conn:
        assert parallel.group_members(conn, docs["002"]) == [docs["001"], docs["002"], docs["004"]]
        assert parallel.group_members(conn, docs["000"]) == [docs["000"]]
    previous = parallel.set_group(seeded_project, [docs["000"], docs["004"]], "new-group").result
    assert previous == {docs["000"]: None, docs["004"]: "nato-eu-kosovo-2023-06"}
    with seeded_project.read() as conn:
        assert parallel.group_members(conn, docs["004"]) == [docs["000"], docs["004"]]
        assert parallel.group_members(conn, docs["001"]) == [docs["001"], docs["002"]]
    # Undo: put each back where it was; a group left empty disappears.
    parallel.set_group(seeded_project, [docs["004"]], "nato-eu-kosovo-2023-06")
    parallel.set_group(seeded_project, [docs["000"]], None)
    with seeded_project.read() as conn:
        assert parallel.groups(conn) == [("nato-eu-kosovo-2023-06", [IDS["001"], IDS["002"], IDS["004"]])]
        assert [d for d, _l, _t in parallel.documents_for_grouping(conn)] == [IDS[k] for k in sorted(IDS)]
    with pytest.raises(AnnotatorError, match="no document"):
        parallel.set_group(seeded_project, [10**6], "x")


def test_links_between_counterparts_in_both_directions(seeded_project, docs):
    en = add_span(seeded_project, docs["004"], "ann", 6, 10, "ORG").result  # NATO
    fr = add_span(seeded_project, docs["002"], "ann", 33, 37, "ORG").result  # OTAN
    vi = add_span(seeded_project, docs["001"], "ann", 16, 20, "ORG").result  # Nato
    assert parallel.add_link(seeded_project, en.uid, fr.uid).result
    assert not parallel.add_link(seeded_project, fr.uid, en.uid).result  # already linked, the other way
    assert parallel.add_link(seeded_project, vi.uid, en.uid).result
    with seeded_project.read() as conn:
        assert parallel.document_links(conn, docs["004"], "ann") == sorted(
            [(en.uid, IDS["002"], fr.uid), (en.uid, IDS["001"], vi.uid)])
        assert parallel.document_links(conn, docs["002"], "ann") == [(fr.uid, IDS["004"], en.uid)]
        assert parallel.document_links(conn, docs["002"], "nobody") == []
    assert parallel.remove_link(seeded_project, fr.uid, en.uid).result
    assert not parallel.remove_link(seeded_project, fr.uid, en.uid).result
    with seeded_project.read() as conn:
        assert parallel.document_links(conn, docs["002"], "ann") == []
    # Deleting a span takes its links with it (and gives them back on undo).
    change = delete_span(seeded_project, vi.uid)
    assert [r.table for r in change.rows] == ["span_links", "spans"]
    apply(seeded_project, change, False)
    with seeded_project.read() as conn:
        assert parallel.document_links(conn, docs["001"], "ann") == [(vi.uid, IDS["004"], en.uid)]


def test_links_that_make_no_sense_are_refused_with_a_reason(seeded_project, docs):
    en = add_span(seeded_project, docs["004"], "ann", 6, 10, "ORG").result
    en2 = add_span(seeded_project, docs["004"], "ann", 15, 17, "ORG").result
    bn = add_span(seeded_project, docs["000"], "ann", 0, 6, "ORG").result
    fr_other = add_span(seeded_project, docs["002"], "bob", 33, 37, "ORG").result
    before = dump(seeded_project.path)
    for a, b, reason in ((en.uid, en2.uid, "same document"), (en.uid, bn.uid, "same translation group"),
                         (en.uid, fr_other.uid, "different annotators"), (en.uid, "s-missing", "no span")):
        with pytest.raises(AnnotatorError, match=reason):
            parallel.add_link(seeded_project, a, b)
    assert dump(seeded_project.path) == before


def test_links_are_added_and_removed_together_all_or_nothing(seeded_project, docs, monkeypatch):
    en = add_span(seeded_project, docs["004"], "ann", 6, 10, "ORG").result  # NATO
    fr = add_span(seeded_project, docs["002"], "ann", 33, 37, "ORG").result  # OTAN
    vi = add_span(seeded_project, docs["001"], "ann", 16, 20, "ORG").result  # Nato
    en2 = add_span(seeded_project, docs["004"], "ann", 15, 17, "ORG").result
    assert parallel.add_link(seeded_project, en.uid, fr.uid).result
    before = dump(seeded_project.path)
    # One pair refused (same document): the good pair before it is not linked either.
    with pytest.raises(AnnotatorError, match="same document"):
        parallel.add_links(seeded_project, [(en.uid, vi.uid), (en.uid, en2.uid)])
    with pytest.raises(AnnotatorError, match="no span"):
        parallel.add_links(seeded_project, [(vi.uid, fr.uid), (en.uid, "s-missing")])
    assert dump(seeded_project.path) == before
    # Pairs already linked (either way) are left out of what is returned.
    assert parallel.add_links(seeded_project, [(fr.uid, en.uid), (en.uid, vi.uid), (vi.uid, fr.uid)]).result == [
        (en.uid, vi.uid), (vi.uid, fr.uid)]
    with seeded_project.read() as conn:
        assert len(parallel.document_links(conn, docs["004"], "ann")) == 2
    linked = dump(seeded_project.path)
    # A failure part-way through removing: the removals before it are rolled back.
    real, seen = parallel._unlink, []

    def failing(rec, a, b):
        seen.append((a, b))
        if len(seen) == 2:
            raise AnnotatorError("disk on fire")
        return real(rec, a, b)

    monkeypatch.setattr(parallel, "_unlink", failing)
    with pytest.raises(AnnotatorError, match="disk on fire"):
        parallel.remove_links(seeded_project, [(en.uid, fr.uid), (en.uid, vi.uid)])
    assert seen and dump(seeded_project.path) == linked
    monkeypatch.setattr(parallel, "_unlink", real)
    # Removed whichever way stored; pairs not linked (or of missing spans) are not returned.
    assert parallel.remove_links(seeded_project, [(fr.uid, en.uid), (en.uid, en2.uid), (en.uid, "s-missing"),
                                                  (en.uid, vi.uid)]).result == [(fr.uid, en.uid), (en.uid, vi.uid)]
    with seeded_project.read() as conn:
        assert parallel.document_links(conn, docs["004"], "ann") == []
        assert parallel.document_links(conn, docs["002"], "ann") == [(fr.uid, IDS["001"], vi.uid)]
    assert parallel.remove_links(seeded_project, []).result == [] and parallel.add_links(seeded_project, []).result == []


def test_small_reads_for_the_command_line(seeded_project, docs):
    add_span(seeded_project, docs["004"], "zoe", 6, 10, "ORG")
    add_span(seeded_project, docs["004"], "ann", 6, 10, "ORG")
    with seeded_project.read() as conn:
        assert parallel.document_ids(conn, [IDS["004"], "nope"]) == {IDS["004"]: docs["004"]}
        texts = parallel.document_texts(conn, [docs["002"], docs["000"]])
        assert [lang for _t, lang in texts] == ["fr", "bn"] and texts[1][0].startswith("ন্যাটো")
        assert parallel.span_annotators(conn, docs["004"]) == ["ann", "zoe"]
        assert parallel.span_annotators(conn, docs["002"]) == []


def test_confirmed_alignments_of_a_language_pair_are_read_oriented_newest_first(seeded_project, docs):
    en, vi, fr = docs["004"], docs["001"], docs["002"]
    with seeded_project.read() as conn:
        texts = dict(zip((en, vi, fr), (t for t, _lang in parallel.document_texts(conn, [en, vi, fr]))))
    parallel.save_alignment(seeded_project, fr, en, "ann", [Block(0, 10, 0, 20)])  # stored (fr, en)
    parallel.save_alignment(seeded_project, en, fr, "bob", [Block(0, 5, 0, 3)])  # another annotator's
    parallel.save_alignment(seeded_project, en, vi, "ann", [Block(0, 5, 0, 5)])  # another language pair
    with seeded_project.read() as conn:
        got = parallel.confirmed_alignments(conn, "en", "fr")
        assert got == [(texts[en], texts[fr], [Block(0, 5, 0, 3)]),
                       (texts[en], texts[fr], [Block(0, 20, 0, 10)])]
        assert parallel.confirmed_alignments(conn, "fr", "en")[1] == (texts[fr], texts[en], [Block(0, 10, 0, 20)])
        assert parallel.confirmed_alignments(conn, "en", "fr", limit=1) == got[:1]
        assert parallel.confirmed_alignments(conn, "fr", "vi") == []


def test_crossing_links_are_saved_with_the_alignment_read_both_ways_and_undone(seeded_project, docs):
    en, fr = docs["004"], docs["002"]
    blocks = [Block(0, 10, 0, 0), Block(10, 20, 0, 15), Block(20, 20, 15, 30)]
    crossing = Block(0, 10, 15, 30)
    parallel.save_alignment(seeded_project, en, fr, "ann", [Block(0, 10, 0, 15), Block(10, 20, 15, 30)])
    parallel.save_alignment(seeded_project, en, fr, "ann", blocks, crossings=[crossing])
    with seeded_project.read() as conn:
        assert parallel.stored_alignment(conn, en, fr, "ann") == blocks
        assert parallel.stored_crossings(conn, en, fr, "ann") == [crossing]
        assert parallel.stored_crossings(conn, fr, en, "ann") == [Block(15, 30, 0, 10)]
        assert parallel.stored_crossings(conn, en, fr, "other") == []
    # An edit without crossings keeps those the new blocks still leave untranslated...
    parallel.save_alignment(seeded_project, fr, en, "ann", [Block(b.b_start, b.b_end, b.a_start, b.a_end)
                                                             for b in blocks])
    with seeded_project.read() as conn:
        assert parallel.stored_crossings(conn, en, fr, "ann") == [crossing]
    # ... and drops one whose sentence went back into a block.
    parallel.save_alignment(seeded_project, en, fr, "ann", [Block(0, 10, 0, 15), Block(10, 20, 15, 30)])
    with seeded_project.read() as conn:
        assert parallel.stored_crossings(conn, en, fr, "ann") == []
    after = dump(seeded_project.path)
    with pytest.raises(AnnotatorError, match="crossing link"):
        parallel.save_alignment(seeded_project, en, fr, "ann", [Block(0, 10, 0, 15)], crossings=[crossing])
    assert dump(seeded_project.path) == after  # refused: nothing written


def test_undoing_a_crossing_puts_the_previous_alignment_back(seeded_project, docs):
    en, fr = docs["004"], docs["002"]
    parallel.save_alignment(seeded_project, en, fr, "ann", [Block(0, 10, 0, 15), Block(10, 20, 15, 30)])
    before = dump(seeded_project.path)
    change = parallel.save_alignment(seeded_project, en, fr, "ann",
                                     [Block(0, 10, 0, 0), Block(10, 20, 0, 15), Block(20, 20, 15, 30)],
                                     crossings=[Block(0, 10, 15, 30)])
    apply(seeded_project, change, False)
    assert dump(seeded_project.path) == before
