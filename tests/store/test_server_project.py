"""A project on a PostgreSQL server: what only a server has (no lock file, schema checks
against other clients, connection messages). The behaviour both share runs in the rest
of tests/store on both backends."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from annotator import __version__
from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.store import migrate
from annotator.store.location import ServerLocation, project_location
from annotator.store.models import Base
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.search import include_name
from annotator.store.spans import add_span
from tests.conftest import dump, other_engine


def test_the_migrations_give_the_models_schema_on_postgresql(pg_databases):
    location = pg_databases.fresh()
    Project.create(location).close()
    engine = other_engine(location)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
        assert migrate.current_revision(conn) == migrate.head_revision()
        extensions = set(conn.scalars(text("SELECT extname FROM pg_extension")))
    engine.dispose()
    assert "pg_trgm" in extensions


def test_two_writers_at_once_need_no_lock_file(pg_databases):
    location = pg_databases.copy_of("seeded")
    with Project.open(location) as one, Project.open(location) as two:
        with one.read() as conn:
            doc = list_documents(conn)[0].id
        add_span(one, doc, "ana", 0, 4, "ORG")
        add_span(two, doc, "bob", 0, 4, "PERSON")
        with two.read() as conn:
            assert [r.spans for r in list_documents(conn) if r.id == doc] == [2]


def test_a_newer_schema_on_the_server_is_refused_naming_the_version_to_install(pg_databases):
    location = pg_databases.copy_of("empty")
    engine = other_engine(location)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99_from_the_future'"))
        conn.execute(text("UPDATE project_meta SET value = '99.1' WHERE key = 'app_version'"))
    engine.dispose()
    before = dump(location)
    with pytest.raises(migrate.NewerProject, match=r"install annotator 99\.1 or newer") as refused:
        Project.open(location)
    assert "zz99_from_the_future" in str(refused.value) and __version__ in str(refused.value)
    assert dump(location) == before


def test_an_older_schema_is_refused_until_a_manager_upgrades_it(pg_databases, capsys):
    location = pg_databases.copy_of("empty")
    engine = other_engine(location)
    with engine.begin() as conn:
        from alembic import command

        command.downgrade(migrate.alembic_config(conn), "0003")
    engine.dispose()
    with pytest.raises(AnnotatorError, match="annotator server upgrade"):
        Project.open(location)
    assert main(["server", "upgrade", location.url]) == 0
    with Project.open(location) as project, project.read() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()


def test_a_database_without_a_project_or_missing_is_named(pg_databases, pg_cluster):
    empty = pg_databases.fresh()
    with pytest.raises(AnnotatorError, match="holds no annotator project"):
        Project.open(empty)
    with pytest.raises(AnnotatorError, match="no database 'nowhere'.*server init"):
        Project.open(ServerLocation(pg_cluster.url("nowhere")))


def test_a_wrong_password_says_where_libpq_looks_for_one(pg_databases):
    location = pg_databases.copy_of("empty")
    wrong = ServerLocation(location.url.replace("admin@", "admin:wrong@"))
    with pytest.raises(AnnotatorError, match="password file") as refused:
        Project.open(wrong)
    assert "wrong" not in str(refused.value).replace("admin:***", "")  # the password is never shown


def test_server_init_on_a_new_database_then_add_user_from_standard_input(pg_cluster, capsys, monkeypatch):
    import io

    url = pg_cluster.url("made_by_init")
    assert main(["server", "init", url]) == 0
    assert "with 5 document(s)" in capsys.readouterr().err
    assert main(["server", "init", url]) == 1
    assert "already holds a project" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert main(["server", "add-user", url, "dora", "--role", "annotator"]) == 0
    login = ServerLocation(url.replace("admin@", "dora:s3cret@"))
    with Project.open(login) as project:
        assert project.login_name() == "dora"


def test_a_url_is_a_project_location_and_its_password_is_masked():
    location = project_location("postgresql://ana:pw@db.example:5432/corpus")
    assert isinstance(location, ServerLocation) and location.database == "corpus"
    assert str(location) == "postgresql://ana:***@db.example:5432/corpus"
    with pytest.raises(AnnotatorError, match="name the database"):
        project_location("postgresql://ana@db.example:5432/")


@pytest.fixture
def seeded_project_file(tmp_path):
    """A file with the seeds and a layer of every kind: spans, an event, a claim, a link,
    a status, an alignment and a gold span."""
    from annotator.core.records import ArgumentRecord, Block
    from annotator.importer import seed
    from annotator.store import events, parallel
    from annotator.store.events import Frame
    from annotator.store.queries import document_text
    from annotator.store.spans import set_status

    path = tmp_path / "source.annotator"
    with Project.create(path) as project:
        seed(project)
        with project.read() as conn:
            docs = {d.uid[:3]: d.id for d in list_documents(conn)}
            text = document_text(conn, docs["004"])
        start = text.index("Mircea Geoană")
        person = add_span(project, docs["004"], "ana", start, start + len("Mircea Geoană"), "PERSON").result.uid
        met = text.index("met")
        events.add_frame(project, Frame("event", "", docs["004"], "ana", "MEETING", met, met + 3,
                                        (ArgumentRecord("participant", person),)))
        events.add_frame(project, Frame("claim", "", docs["004"], "ana", None, 0, 4, ()))
        add_span(project, docs["004"], "gold", start, start + len("Mircea Geoană"), "PERSON")
        set_status(project, docs["002"], "ana", "done")
        parallel.save_alignment(project, docs["004"], docs["002"], "ana",
                                [Block(0, 10, 0, 0), Block(10, 20, 0, 15), Block(20, 20, 15, 30)])
    return path


def test_push_and_pull_are_lossless(seeded_project_file, pg_databases, tmp_path, capsys):
    """File -> server -> file: the three exports are the same bytes (layers, events, claims,
    statuses, links, groups), and the pulled file still finds text."""
    source = seeded_project_file
    target = pg_databases.fresh()
    assert main(["server", "push", str(source), target.url]) == 0
    back = tmp_path / "back.annotator"
    assert main(["server", "pull", target.url, str(back)]) == 0
    capsys.readouterr()
    exports = []
    for where in (source, target.url, back):
        assert main(["export", str(where)]) == 0
        exports.append(capsys.readouterr().out.encode())
    assert exports[0] == exports[1] == exports[2]
    assert b'"annotator":"ana"' in exports[0] and b'"events":[{' in exports[0]
    from annotator.store.search import search_documents

    for where in (target, back):
        with Project.open(where) as project, project.read() as conn:
            assert len(search_documents(conn, "Geoana")) >= 1
    assert main(["server", "push", str(source), target.url]) == 1
    assert "already holds a project" in capsys.readouterr().err
    assert main(["server", "pull", target.url, str(back)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_a_server_restart_is_said_clearly_and_the_next_edit_goes_through(pg_databases, pg_cluster):
    from annotator.store import cluster

    location = pg_databases.copy_of("seeded")
    with Project.open(location) as project:
        with project.read() as conn:
            doc = list_documents(conn)[0].id
        add_span(project, doc, "ana", 0, 4, "ORG")
        cluster.stop(pg_cluster.folder)
        try:
            with pytest.raises(AnnotatorError, match="cannot be reached.*nothing was saved"):
                add_span(project, doc, "ana", 5, 9, "ORG")
        finally:
            cluster.start(pg_cluster.folder, settings={"fsync": "off", "synchronous_commit": "off",
                                                       "full_page_writes": "off"})
        add_span(project, doc, "ana", 5, 9, "ORG")  # the pool reconnects by itself
        with project.read() as conn:
            assert [r.spans for r in list_documents(conn, "ana") if r.id == doc] == [2]
