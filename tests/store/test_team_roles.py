"""Team mode: roles and blind annotation enforced by the PostgreSQL server itself.

Server-only by nature (a file has no logins), so these tests take the session's cluster
directly instead of the SQLite/PostgreSQL parameter."""

from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.location import ServerLocation
from annotator.store.project import Project
from annotator.store.queries import layer_spans, list_documents
from annotator.store.roles import add_user, set_gold_visible
from annotator.store.spans import add_span


def as_login(location: ServerLocation, name: str, password: str) -> ServerLocation:
    parts = urlsplit(location.url)
    return ServerLocation(urlunsplit((parts.scheme, f"{name}:{password}@{parts.hostname}:{parts.port}",
                                      parts.path, "", "")))


@pytest.fixture
def team(pg_databases):
    location = pg_databases.copy_of("seeded")
    people = {"ana": "annotator", "bob": "annotator", "cora": "curator"}
    for name, role in people.items():
        add_user(location, name, role, f"pw-{name}")
    with Project.open(location) as project, project.read() as conn:
        doc = list_documents(conn)[0].id
    return location, doc


def test_an_annotator_cannot_read_or_change_another_layer_even_directly(team):
    location, doc = team
    for name in ("ana", "bob"):
        with Project.open(as_login(location, name, f"pw-{name}")) as project:
            assert project.login_name() == name
            add_span(project, doc, name, 0, 4, "ORG")
    # A direct connection as bob, not through the app.
    with psycopg.connect(as_login(location, "bob", "pw-bob").url) as conn:
        seen = conn.execute("SELECT a.name FROM spans s JOIN annotators a ON a.id = s.annotator_id").fetchall()
        assert seen == [("bob",)]
        ana = conn.execute("SELECT id FROM annotators WHERE name = 'ana'").fetchone()[0]
        assert conn.execute("UPDATE spans SET label = 'PERSON' WHERE annotator_id = %s", (ana,)).rowcount == 0
        assert conn.execute("DELETE FROM spans WHERE annotator_id = %s", (ana,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO spans (uid, document_id, annotator_id, start, \"end\", label) "
                         "VALUES ('forged', %s, %s, 0, 4, 'ORG')", (doc, ana))
    with Project.open(location) as owner, owner.read() as conn:  # ana's layer is whole
        assert [s[2] for s in layer_spans(conn, doc, "ana")] == ["ORG"]


def test_the_app_refuses_writing_into_another_layer_with_the_servers_reason(team):
    location, doc = team
    with Project.open(as_login(location, "ana", "pw-ana")) as project:
        with pytest.raises(AnnotatorError, match="your role may not do this"):
            add_span(project, doc, "bob", 0, 4, "ORG")


def test_a_curator_sees_every_layer_writes_gold_and_a_manager_decides_when_annotators_see_it(team):
    location, doc = team
    with Project.open(as_login(location, "ana", "pw-ana")) as project:
        add_span(project, doc, "ana", 0, 4, "ORG")
    with Project.open(as_login(location, "cora", "pw-cora")) as curator:
        with curator.read() as conn:
            assert [s[2] for s in layer_spans(conn, doc, "ana")] == ["ORG"]
        add_span(curator, doc, GOLD_ANNOTATOR, 0, 4, "PERSON")
        with pytest.raises(AnnotatorError, match="your role may not do this"):
            add_span(curator, doc, "ana", 5, 9, "ORG")
    login = as_login(location, "ana", "pw-ana")
    with Project.open(login) as project, project.read() as conn:
        assert layer_spans(conn, doc, GOLD_ANNOTATOR) == []
    set_gold_visible(location, True)
    with Project.open(login) as project, project.read() as conn:
        assert [s[2] for s in layer_spans(conn, doc, GOLD_ANNOTATOR)] == ["PERSON"]
    with pytest.raises(AnnotatorError, match="only a manager"):
        set_gold_visible(as_login(location, "ana", "pw-ana"), False)


def test_reserved_names_are_refused(pg_databases):
    location = pg_databases.copy_of("empty")
    for name in ("gold", "curator", "pg_x"):
        with pytest.raises(AnnotatorError, match="reserved name"):
            add_user(location, name, "annotator", "pw")


def test_an_annotator_takes_work_from_the_pool_under_row_level_security(team):
    from annotator.store.assignment import assign, next_document

    location, _doc = team
    with Project.open(location) as manager:
        assign(manager, 1)
    with Project.open(as_login(location, "ana", "pw-ana")) as ana:
        got = next_document(ana, "ana")
        assert got is not None and next_document(ana, "ana") == got
    with Project.open(as_login(location, "bob", "pw-bob")) as bob:
        assert next_document(bob, "bob") not in (got, None)
    with psycopg.connect(as_login(location, "bob", "pw-bob").url) as conn:  # ana's fresh place is not bob's
        assert conn.execute("UPDATE assignments SET annotator_id = team_me() WHERE document_id = %s",
                            (got,)).rowcount == 0


def test_every_table_with_an_annotator_column_is_a_blind_layer_table():
    """A table added later with an annotator_id (relations, attribute values, rejections ...)
    must get the row-level security of a layer, or every annotator reads everyone's rows."""
    from annotator.store import roles
    from annotator.store.models import Base

    owned = {t.name for t in Base.metadata.sorted_tables if "annotator_id" in t.c} - {"assignments"}
    assert owned <= set(roles.LAYER_TABLES), sorted(owned - set(roles.LAYER_TABLES))
