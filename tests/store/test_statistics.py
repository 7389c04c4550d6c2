"""The dashboard's figures (annotator.store.statistics), checked against what was put in."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import update

from annotator.core import disagreements
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store import statistics as st
from annotator.store.models import Span
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_spans, delete_span, set_status


def _docs(project):
    with project.read() as conn:
        return list_documents(conn)


def _stamp(project, uids, when: str) -> None:
    """Give spans a creation time (naive UTC, as the database stores it)."""
    with project.write() as conn:
        conn.execute(update(Span).where(Span.uid.in_(uids)).values(created_at=datetime.fromisoformat(when)))


@pytest.fixture
def two_layers(seeded_project):
    """alice annotates every seed, bob the three documents of the translation group."""
    docs = _docs(seeded_project)
    spans = []
    for i, d in enumerate(docs):
        spans += [SpanData("", d.id, "alice", 0, 4, "PERSON"), SpanData("", d.id, "alice", 10, 20, "ORG")]
        if i % 2:
            spans.append(SpanData("", d.id, "alice", 30, 34, "DATE"))
        if d.group is not None:
            # Same PERSON, ORG one character shorter: exact disagreement, overlap agreement.
            spans += [SpanData("", d.id, "bob", 0, 4, "PERSON"), SpanData("", d.id, "bob", 10, 19, "ORG")]
    spans = add_spans(seeded_project, spans).result  # with their ids
    return seeded_project, docs, spans


def test_label_counts_are_the_spans_per_language_and_label(two_layers):
    project, docs, spans = two_layers
    lang = {d.id: d.lang for d in docs}
    with project.read() as conn:
        every = st.label_counts(conn)
        bobs = st.label_counts(conn, "bob")
    assert every.counts == Counter((lang[s.document_id], s.label) for s in spans)
    assert bobs.counts == Counter((lang[s.document_id], s.label) for s in spans if s.annotator == "bob")
    assert sorted(every.languages) == sorted({d.lang for d in docs})  # every language, spans or not
    assert every.labels == ("DATE", "ORG", "PERSON")
    assert bobs.count("bn", "PERSON") == 0  # bob has no Bengali layer


def test_label_counts_follow_deletions(two_layers):
    project, docs, spans = two_layers
    with project.read() as conn:
        before = st.label_counts(conn).count(docs[0].lang, "PERSON")
    first_person = next(s for s in spans if s.document_id == docs[0].id and s.label == "PERSON")
    delete_span(project, first_person.uid)
    with project.read() as conn:
        assert st.label_counts(conn).count(docs[0].lang, "PERSON") == before - 1


def test_progress_has_every_layers_status_and_span_count(two_layers):
    project, docs, spans = two_layers
    set_status(project, docs[0].id, "alice", "done")
    set_status(project, docs[1].id, "alice", "done")
    set_status(project, docs[3].id, "alice", "todo")  # back to do, spans kept
    with project.read() as conn:
        prog = st.progress(conn)
    assert prog.annotators == ("alice", "bob")
    assert [d.uid for d in prog.documents] == [d.uid for d in docs]
    per_layer = Counter((s.document_id, s.annotator) for s in spans)
    for doc in prog.documents:
        assert doc.spans == (per_layer[(doc.id, "alice")], per_layer[(doc.id, "bob")])
    statuses = {doc.id: doc.statuses for doc in prog.documents}
    assert statuses[docs[0].id][0] == "done" and statuses[docs[3].id][0] == "todo"
    grouped = [d for d in docs if d.group is not None]
    assert all(statuses[d.id][1] == "in_progress" for d in grouped)
    assert prog.per_annotator["alice"] == {"done": 2, "in_progress": len(docs) - 3, "todo": 1}
    assert prog.per_annotator["bob"] == {"done": 0, "in_progress": len(grouped), "todo": len(docs) - len(grouped)}


def test_progress_of_an_untouched_corpus(seeded_project):
    with seeded_project.read() as conn:
        prog = st.progress(conn)
    assert prog.annotators == () and prog.per_annotator == {}
    assert len(prog.documents) == 5 and all(d.statuses == () for d in prog.documents)


def test_throughput_counts_spans_per_hour_with_empty_hours_filled(two_layers):
    project, docs, spans = two_layers
    alice = [s.uid for s in spans if s.annotator == "alice"]
    bob = [s.uid for s in spans if s.annotator == "bob"]
    _stamp(project, alice[:3], "2026-03-01 10:15:00")
    _stamp(project, alice[3:5], "2026-03-01 10:59:59.999999")  # still 10:00 (microseconds stored)
    _stamp(project, alice[5:], "2026-03-01 14:00:00")
    _stamp(project, bob, "2026-03-01 11:30:00")
    with project.read() as conn:
        tp = st.throughput(conn)
    assert tp.hours == tuple(datetime(2026, 3, 1, h) for h in (10, 11, 12, 13, 14))
    assert tp.annotators == ("alice", "bob")
    assert tp.counts["alice"] == (5, 0, 0, 0, len(alice) - 5)
    assert tp.counts["bob"] == (0, len(bob), 0, 0, 0)
    assert tp.total() == len(spans) and not tp.truncated


def test_throughput_keeps_the_latest_year(two_layers, monkeypatch):
    project, _docs_, spans = two_layers
    _stamp(project, [s.uid for s in spans[:1]], "2020-01-01 00:00:00")
    _stamp(project, [s.uid for s in spans[1:]], "2026-03-01 12:00:00")
    monkeypatch.setattr(st, "MAX_HOURS", 48)
    with project.read() as conn:
        tp = st.throughput(conn)
    assert tp.truncated and len(tp.hours) == 48
    assert tp.hours[-1] == datetime(2026, 3, 1, 12) and tp.total() == len(spans) - 1


def test_throughput_of_no_spans(seeded_project):
    with seeded_project.read() as conn:
        assert st.throughput(conn).hours == ()


@pytest.mark.parametrize("bucket", ["2026-03-01 07", "2026-03-01 07:59:59", "2026-03-01T07:00:00.5"])
def test_hour_buckets_from_sqlite_and_postgresql_text(bucket):
    assert st.parse_hour(bucket) == datetime(2026, 3, 1, 7)


def test_hour_bucket_sql_is_the_same_expression_in_select_and_group_by():
    """PostgreSQL rejects GROUP BY substr(x, $1, $2) for SELECT substr(x, $3, $4)."""
    from sqlalchemy import func, select
    from sqlalchemy.dialects import postgresql

    bucket = st._hour_bucket()
    sql = str(select(bucket, func.count()).group_by(bucket).compile(dialect=postgresql.dialect()))
    expression = "substr(CAST(spans.created_at AS VARCHAR), 1, 13)"
    assert sql.count(expression) == 2


def test_agreement_needs_two_annotators_on_the_same_documents(seeded_project):
    docs = _docs(seeded_project)
    add_spans(seeded_project, [SpanData("", docs[0].id, "alice", 0, 4, "PERSON")])
    with seeded_project.read() as conn:
        assert st.agreement(conn).reason == st.NEEDS_TWO
    # A second annotator, but on another document.
    add_spans(seeded_project, [SpanData("", docs[1].id, "bob", 0, 4, "PERSON")])
    with seeded_project.read() as conn:
        assert not st.agreement(conn).available
    # The adjudicated layer is not an annotator.
    add_spans(seeded_project, [SpanData("", docs[0].id, GOLD_ANNOTATOR, 0, 4, "PERSON")])
    with seeded_project.read() as conn:
        assert not st.agreement(conn).available


def test_agreement_per_label_on_the_shared_documents(two_layers, monkeypatch):
    project, docs, spans = two_layers
    monkeypatch.setattr(st, "CHUNK", 2)  # the three shared documents read in two chunks
    with project.read() as conn:
        ag = st.agreement(conn)
    assert ag.available and ag.annotators == ("alice", "bob") and ag.documents == 3
    per_label = ag.report.per_label
    assert per_label["PERSON"].exact_f1 == 1.0
    assert per_label["ORG"].exact_f1 == 0.0 and per_label["ORG"].overlap_f1 == 1.0
    # alice's DATEs on shared documents, which bob never drew.
    shared = {d.id for d in docs if d.group is not None}
    dates = sum(1 for s in spans if s.label == "DATE" and s.document_id in shared)
    assert per_label["DATE"].support == dates and per_label["DATE"].exact_f1 == 0.0


def test_agreement_with_three_annotators_on_no_common_document_takes_the_best_pair(two_layers):
    project, docs, _spans = two_layers
    carol = next(d for d in docs if d.group is None)
    add_spans(project, [SpanData("", carol.id, "carol", 0, 4, "PERSON")])  # shares only with alice
    with project.read() as conn:
        ag = st.agreement(conn)
    assert ag.annotators == ("alice", "bob") and ag.documents == 3


class _Found:
    def __init__(self, kind: str) -> None:
        self.kind = kind


def test_group_disagreements_per_group_and_annotator(two_layers, monkeypatch):
    """Each call of group_report gets one group's records of one annotator, all of them."""
    project, docs, spans = two_layers
    calls = []

    def fake_report(records):
        calls.append(records)
        # One "count" per document with spans, one "value" per PERSON span.
        return ([_Found("count") for r in records if r.spans]
                + [_Found("value") for r in records for s in r.spans if s.label == "PERSON"])

    monkeypatch.setattr(disagreements, "group_report", fake_report)
    with project.read() as conn:
        found = st.group_disagreements(conn)
    group = next(d.group for d in docs if d.group)
    members = sorted(d.uid for d in docs if d.group == group)
    assert [(g.group, g.annotator, g.documents) for g in found] == [(group, "alice", 3), (group, "bob", 3)]
    assert all(sorted(r.id for r in records) == members for records in calls)
    assert [{r.annotator for r in records} for records in calls] == [{"alice"}, {"bob"}]
    assert found[0].counts == {"count": 3, "value": 3} and found[1].total == 6


def test_group_disagreements_skip_groups_nobody_annotated(seeded_project, monkeypatch):
    monkeypatch.setattr(disagreements, "group_report", lambda records: [_Found("value")])
    docs = _docs(seeded_project)
    lone = next(d for d in docs if d.group is None)
    add_spans(seeded_project, [SpanData("", lone.id, "alice", 0, 4, "PERSON")])
    with seeded_project.read() as conn:
        assert st.group_disagreements(conn) == []


def test_group_disagreements_without_groups(empty_project):
    with empty_project.read() as conn:
        assert st.group_disagreements(conn) == []


def test_overview_is_all_three(two_layers):
    project, _docs_, spans = two_layers
    with project.read() as conn:
        ov = st.overview(conn, "alice")
    assert sum(ov.labels.counts.values()) == sum(1 for s in spans if s.annotator == "alice")
    assert ov.progress.annotators == ("alice", "bob") and ov.throughput.total() == len(spans)


def test_group_disagreements_with_the_real_group_report(seeded_project):
    """Spans without translation links: each is unlinked to every other document of its group."""
    docs = _docs(seeded_project)
    grouped = [d for d in docs if d.group is not None]
    add_spans(seeded_project, [SpanData("", d.id, "alice", 0, 4, "PERSON") for d in grouped])
    with seeded_project.read() as conn:
        (found,) = st.group_disagreements(conn)
    assert found.annotator == "alice" and found.documents == len(grouped)
    assert found.counts == {"unlinked": len(grouped) * (len(grouped) - 1)}


def test_progress_keeps_columns_not_an_object_per_document(seeded_project, tmp_path):
    """The rows of 100,000 documents, one object each (and two tuples), left Python's
    garbage collector 300,000 objects to go through in one go after the dashboard's
    worker made them, holding the lock the window needs: a pause of 0.2 s. The columns
    are a few objects however many documents there are."""
    import gc

    from annotator.importer import import_paths

    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(f'{{"id": "many-{i}", "lang": "en", "text": "Document number {i}."}}\n'
                              for i in range(400)), encoding="utf-8")
    import_paths(seeded_project, [corpus])
    first = _docs(seeded_project)[0]
    add_spans(seeded_project, [SpanData("", first.id, "alice", 0, 4, "PERSON")])
    set_status(seeded_project, first.id, "bob", "done")
    with seeded_project.read() as conn:
        st.progress(conn)  # the first run compiles and caches the statements
        gc.collect()
        gc.disable()
        try:
            before = len(gc.get_objects())
            prog = st.progress(conn)
            made = len(gc.get_objects()) - before
        finally:
            gc.enable()
    assert len(prog.documents) == 405 and made < 100
    assert prog.documents[0] == st.DocumentProgress(first.id, first.uid, first.lang, ("in_progress", "done"), (1, 0))
    assert prog.documents[-1].uid == "many-399" and prog.documents[-1].statuses == ("todo", "todo")
