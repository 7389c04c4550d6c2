"""Assignment: each document to N annotators, the annotator's queue first, the pool next,
abandoned work back to the pool; on both backends (the PostgreSQL-only parts below)."""

from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import text, update

from annotator.core.errors import AnnotatorError
from annotator.store.assignment import assign, next_document, now, queue
from annotator.store.models import Assignment
from annotator.store.spans import set_status


def test_each_document_goes_to_n_different_annotators_and_the_queue_comes_first(seeded_project):
    p = seeded_project
    assert assign(p, 2) == 10 and assign(p, 2) == 0  # 5 seeds, 2 places each; again adds nothing
    first = next_document(p, "ana")
    assert next_document(p, "ana") == first  # unfinished: still hers
    with p.read() as conn:
        assert queue(conn, "ana") == [first]
    set_status(p, first, "ana", "done")
    second = next_document(p, "ana")
    assert second not in (first, None)
    assert next_document(p, "bob") == first  # the second place of the first document
    set_status(p, first, "bob", "done")
    taken = {}
    for name in ("cy", "di", "ed"):
        while (doc := next_document(p, name)) is not None:
            taken.setdefault(doc, []).append(name)
            set_status(p, doc, name, "done")
    with p.read() as conn:
        holders = conn.execute(text("SELECT document_id, count(*), count(DISTINCT annotator_id) FROM assignments "
                                    "GROUP BY document_id")).all()
    assert all(n == 2 and distinct == 2 for _doc, n, distinct in holders)
    assert next_document(p, "ana") == second  # her unfinished document, not a new one


def test_a_quota_stops_the_pool_and_abandoned_work_goes_back(seeded_project):
    p = seeded_project
    assign(p, 1, timeout_minutes=30, quota=1)
    mine = next_document(p, "ana")
    set_status(p, mine, "ana", "done")
    assert next_document(p, "ana") is None  # her one document is done: quota reached
    bobs = next_document(p, "bob")
    with p.write() as conn:  # bob went away an hour ago
        conn.execute(update(Assignment).where(Assignment.document_id == bobs)
                     .values(taken_at=now() - timedelta(hours=1)))
    assert next_document(p, "cy") == bobs
    with p.read() as conn:
        assert queue(conn, "bob") == [] and queue(conn, "cy") == [bobs]


def test_copies_below_one_are_refused(empty_project):
    with pytest.raises(AnnotatorError, match="at least 1"):
        assign(empty_project, 0)


def test_next_document_skips_a_place_another_annotator_is_taking(pg_databases):
    """SELECT ... FOR UPDATE SKIP LOCKED: a place locked by a transaction in flight is
    passed over at once, not waited for."""
    from annotator.store.project import Project

    location = pg_databases.copy_of("seeded")
    with Project.open(location) as p:
        assign(p, 1)
        with p.read() as conn:
            first = conn.execute(text("SELECT document_id FROM assignments ORDER BY document_id LIMIT 1")).scalar()
        with psycopg.connect(location.url) as other:
            other.execute("SELECT id FROM assignments WHERE document_id = %s FOR UPDATE", (first,))
            got = next_document(p, "ana")  # would block here without SKIP LOCKED
            assert got is not None and got != first
            other.rollback()
        assert next_document(p, "bob") == first
