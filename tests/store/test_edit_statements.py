"""How many statements one edit of a span sends to the database: each costs a round trip
and, through SQLAlchemy, more Python than SQLite's own work, so a change that adds
statements to every add, relabel or delete shows here instead of as a slower key press.
Counted by SQLAlchemy's before_cursor_execute event (BEGIN included)."""

import pytest
from sqlalchemy import event

from annotator.core.errors import AnnotatorError
from annotator.store.changes import apply
from annotator.store.queries import list_documents
from annotator.store.relations import add_relation
from annotator.store.spans import add_span, delete_span, relabel_span
from tests.conftest import dump

# A delete sent 13 statements before the span and what hangs on it were read in one; now
# each edit sends 6 (a server's relabel 7: the change log). One more is let through.
MOST = {"sqlite": 7, "postgresql": 8}


class Counter:
    def __init__(self, project) -> None:
        self.n = 0
        self.statements: list[str] = []
        event.listen(project.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        self.n += 1
        self.statements.append(statement.split("\n")[0])

    def of(self, operation):
        self.n, self.statements = 0, []
        result = operation()
        return result, self.n


def test_an_edit_of_a_span_sends_a_few_statements(seeded_project, backend):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[4]
    add_span(p, doc.id, "ana", 0, 4, "ORG")  # the layer exists: its first span also marks it in progress
    counter = Counter(p)
    change, n_add = counter.of(lambda: add_span(p, doc.id, "ana", 5, 9, "ORG"))
    _, n_relabel = counter.of(lambda: relabel_span(p, change.result.uid, "PERSON"))
    _, n_delete = counter.of(lambda: delete_span(p, change.result.uid))
    assert max(n_add, n_relabel, n_delete) <= MOST[backend], (n_add, n_relabel, n_delete, counter.statements)


def test_a_span_in_a_relation_is_checked_and_its_relation_removed(seeded_project):
    """The one-statement read finds what hangs on the span, so the checks a bare span
    does without still refuse a label the relation does not take, and a delete still
    removes the relation in the same change (undone with it)."""
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[4]
    person = add_span(p, doc.id, "ana", 0, 4, "PERSON").result
    org = add_span(p, doc.id, "ana", 5, 9, "ORG").result
    add_relation(p, "member_of", person.uid, org.uid)
    with pytest.raises(AnnotatorError, match="this span is in a relation"):
        relabel_span(p, person.uid, "DATE")
    before = dump(p.path)
    change = delete_span(p, person.uid)
    assert [r.table for r in change.rows if r.after is None] == ["relations", "spans"]
    apply(p, change, forward=False)
    assert dump(p.path) == before
