import subprocess
import sys
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from annotator.core.errors import AnnotatorError
from annotator.store import lock as locking
from annotator.store import migrate
from annotator.store.changes import apply
from annotator.store.models import Base, Span
from annotator.store.project import Project
from annotator.store.queries import layer_spans, list_documents
from annotator.store.search import include_name
from annotator.store.spans import add_span, delete_span, relabel_span, set_status
from tests.conftest import dump, other_engine


def schema_of(engine):
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table),
            "fks": sorted(str(fk) for fk in insp.get_foreign_keys(table)),
            "indexes": sorted(str(ix) for ix in insp.get_indexes(table)),
            "uniques": sorted(str(u) for u in insp.get_unique_constraints(table)),
            "checks": sorted(str(c) for c in insp.get_check_constraints(table)),
        }
    return out


def test_upgrade_from_empty_gives_the_same_schema_as_create(tmp_path):
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate.create_at_head(fresh)
    upgraded = create_engine(f"sqlite:///{tmp_path / 'upgraded.db'}")
    with upgraded.begin() as conn:
        from alembic import command
        command.upgrade(migrate.alembic_config(conn), "head")
    assert schema_of(fresh) == schema_of(upgraded)
    with upgraded.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
        assert migrate.current_revision(conn) == migrate.head_revision()


def test_the_fast_path_head_is_alembics_head():
    assert migrate.HEAD_REVISION == migrate.head_revision()


@pytest.mark.sqlite_only
def test_pragmas_wal_foreign_keys_busy_timeout(empty_project):
    with empty_project.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_span_operations_are_committed_and_reversible(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[4]
    span = add_span(p, doc.id, "ana", 0, 4, "ORG").result
    # A second connection (another reader) sees it: the operation was committed.
    other = other_engine(p.path)
    with other.connect() as conn:
        assert conn.execute(text("SELECT label FROM spans WHERE uid = :u"), {"u": span.uid}).scalar() == "ORG"
    assert relabel_span(p, span.uid, "PERSON").result == "ORG"
    with p.read() as conn:
        assert [tuple(r[:3]) for r in layer_spans(conn, doc.id, "ana")] == [(0, 4, "PERSON")]
        assert list_documents(conn, "ana")[4].status == "in_progress"
    removed = delete_span(p, span.uid).result
    assert (removed.start, removed.end, removed.label) == (0, 4, "PERSON")
    add_span(p, removed.document_id, removed.annotator, removed.start, removed.end, removed.label, uid=removed.uid)
    with p.read() as conn:
        assert [r[3] for r in layer_spans(conn, doc.id, "ana")] == [span.uid]
    set_status(p, doc.id, "ana", "done")
    with p.read() as conn:
        assert list_documents(conn, "ana")[4].status == "done"


def test_span_outside_the_text_or_with_unknown_label_is_refused(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[0]
    before = dump(p.path)
    with pytest.raises(AnnotatorError, match="outside"):
        add_span(p, doc.id, "ana", 0, doc.length + 1, "ORG")
    with pytest.raises(AnnotatorError, match="unknown label"):
        add_span(p, doc.id, "ana", 0, 3, "LOCATION")
    assert dump(p.path) == before


LOCK_HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from annotator.store.project import Project
    p = Project.open(Path(sys.argv[1]))
    print("locked", flush=True)
    if sys.argv[2] == "crash":
        import os; os._exit(0)   # dies without releasing anything
    time.sleep(60)
""")


def test_second_process_gets_a_clear_message_and_nothing_changes(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    before = dump(path)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(path), "hold"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(locking.ProjectLocked) as err:
            Project.open(path)
        message = str(err.value)
        assert str(path) in message and f"pid {holder.pid}" in message and "host" in message
        # Readers (export, stats) still work while the project is open elsewhere.
        with Project.open(path, readonly=True) as ro:
            assert ro.languages == ("bn", "vi", "fr", "sr", "en")
    finally:
        holder.kill()
        holder.wait()
    assert dump(path) == before


def test_stale_lock_from_a_crash_is_recovered(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    crashed = subprocess.run([sys.executable, "-c", LOCK_HOLDER, str(path), "crash"], capture_output=True, text=True)
    assert crashed.stdout.strip() == "locked"
    assert locking.lock_path(path).exists()  # the crash left its lock file behind
    with Project.open(path) as project:
        assert project.lock.recovered_stale


def test_newer_project_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99_from_the_future'"))
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(migrate.NewerProject, match="newer version"):
        Project.open(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_not_a_project_is_refused(tmp_path):
    bogus = tmp_path / "notes.annotator"
    bogus.write_text("hello")
    with pytest.raises(AnnotatorError, match="not an annotator project"):
        Project.open(bogus)


EXTRA_REVISION = '''
from alembic import op
import sqlalchemy as sa
revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None
def upgrade():
    with op.batch_alter_table("documents", recreate="always") as batch:  # a full table rebuild
        batch.add_column(sa.Column("{column}", sa.Text(), nullable=True))
    {extra}
def downgrade():
    pass
'''


def scripts_with_extra_revision(tmp_path, monkeypatch, extra="pass"):
    import shutil

    from annotator import paths
    scripts = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test.py").write_text(
        EXTRA_REVISION.format(column="reviewer", extra=extra, head=migrate.HEAD_REVISION))
    monkeypatch.setattr(migrate, "migrations_dir", lambda: scripts)
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0099")


def seeded_with_a_layer(path, *annotators: str):
    """A seeded project at `path` where each annotator has labelled [0, 4) of the English
    seed ORG, and ana has marked it done. Returns the document."""
    from annotator.importer import seed

    with Project.create(path) as p:
        seed(p)
        with p.read() as conn:
            doc = list_documents(conn)[4]
        for name in annotators:
            add_span(p, doc.id, name, 0, 4, "ORG")
        set_status(p, doc.id, "ana", "done")
    return doc


def test_project_behind_head_is_backed_up_then_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "old.annotator"
    doc = seeded_with_a_layer(path, "ana")
    old_head = migrate.HEAD_REVISION
    scripts_with_extra_revision(tmp_path, monkeypatch)
    with Project.open(path) as project:
        assert project.backup is not None and project.backup.exists()
        with project.read() as conn:
            assert "reviewer" in [c["name"] for c in inspect(conn).get_columns("documents")]
            assert migrate.current_revision(conn) == "0099"
            assert len(list_documents(conn)) == 5
            # Rebuilding `documents` cascaded nothing away: the span and status are still there.
            assert [(r[0], r[1], r[2]) for r in layer_spans(conn, doc.id, "ana")] == [(0, 4, "ORG")]
            assert list_documents(conn, "ana")[4].status == "done"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    backup_engine = create_engine(f"sqlite:///{project.backup}")
    with backup_engine.connect() as conn:
        assert migrate.current_revision(conn) == old_head
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 5


def test_a_project_at_0002_upgrades_to_0003_keeping_every_row(tmp_path):
    """A project written before adjudication decisions existed: downgraded to 0002 for real
    (its spans, statuses and gold in place), then opened: backed up, given the new table,
    every other row as it was."""
    from alembic import command

    from annotator.core.identity import GOLD_ANNOTATOR

    path = tmp_path / "old.annotator"
    doc = seeded_with_a_layer(path, "ana", GOLD_ANNOTATOR)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0002")
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0002"
        assert not inspect(conn).has_table("adjudication_decisions")
    engine.dispose()

    def rows():
        # The span counts are derived (revision 0009 fills them): tests/store/test_span_counts.py checks them.
        return sorted(line for line in dump(path) if line.startswith("INSERT") and "alembic_version" not in line
                      and not line.startswith('INSERT INTO "span_counts_'))
    before = rows()
    assert any('INSERT INTO "spans"' in line for line in before)
    with Project.open(path) as project:
        assert project.backup is not None and project.backup.exists()
        with project.read() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()  # opened: upgraded to the head (0003 and after)
            assert conn.exec_driver_sql("SELECT count(*) FROM adjudication_decisions").scalar() == 0
            assert [tuple(r[:3]) for r in layer_spans(conn, doc.id, "ana")] == [(0, 4, "ORG")]
        from annotator.store.adjudication import read_decisions, reject_spans
        reject_spans(project, doc.id, [], place=(5, 9))  # the new table works at once
        with project.read() as conn:
            assert [(d.start, d.end, d.decision) for d in read_decisions(conn, doc.id)] == [(5, 9, "none")]
    after = [line for line in rows() if "adjudication_decisions" not in line]
    assert after == before
    with create_engine(f"sqlite:///{project.backup}").connect() as conn:
        assert migrate.current_revision(conn) == "0002"


def test_failed_upgrade_restores_the_project(tmp_path, monkeypatch):
    path = tmp_path / "old.annotator"
    with Project.create(path) as p:
        from annotator.importer import seed
        seed(p)
    before = dump(path)
    scripts_with_extra_revision(tmp_path, monkeypatch, extra='raise RuntimeError("disk on fire")')
    with pytest.raises(AnnotatorError, match="upgrade failed.*restored"):
        Project.open(path)
    assert dump(path) == before
    assert not locking.lock_path(path).exists()


def test_a_contender_holding_the_released_file_cannot_win(tmp_path):
    import fcntl
    import os

    path = tmp_path / "p.annotator"
    first = locking.acquire(path)
    with pytest.raises(locking.ProjectLocked):
        locking.acquire(path)
    stale_fd = os.open(locking.lock_path(path), os.O_RDWR)  # opened just before the release
    first.release()
    assert not locking.lock_path(path).exists()
    fcntl.flock(stale_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # it can lock the orphaned file ...
    assert not locking._same_file(stale_fd, locking.lock_path(path))  # ... and acquire() sees that
    second = locking.acquire(path)  # the real lock is still free for exactly one owner
    assert not second.recovered_stale
    second.release()
    os.close(stale_fd)


def test_a_busy_database_gives_a_clear_error_and_changes_nothing(tmp_path, monkeypatch):
    from annotator.store import engine as engine_module
    from annotator.store.project import StoreError

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    with Project.create(tmp_path / "p.annotator") as p:
        from annotator.importer import seed
        seed(p)
        with p.read() as conn:
            doc = list_documents(conn)[0]
        before = dump(p.path)
        other = create_engine(f"sqlite:///{p.path}", connect_args={"isolation_level": None})
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # another writer holds the project
            with pytest.raises(StoreError, match="busy.*nothing was saved"):
                add_span(p, doc.id, "ana", 0, 4, "ORG")
            conn.exec_driver_sql("ROLLBACK")
        assert dump(p.path) == before


def test_deleting_a_linked_span_and_undoing_restores_the_link(seeded_project):
    from sqlalchemy import func, select

    from annotator.store.models import SpanLink
    from annotator.store.spans import delete_spans

    p = seeded_project
    with p.read() as conn:
        docs = list_documents(conn)
    en = add_span(p, docs[4].id, "ana", 0, 4, "ORG").result
    fr = add_span(p, docs[2].id, "ana", 0, 6, "ORG").result
    with p.write() as conn:
        conn.execute(SpanLink.__table__.insert().values(
            source_span_id=conn.scalar(select(Span.id).where(Span.uid == en.uid)),
            target_span_id=conn.scalar(select(Span.id).where(Span.uid == fr.uid))))
    change = delete_spans(p, [fr.uid])
    with p.read() as conn:
        assert conn.scalar(select(func.count()).select_from(SpanLink)) == 0
    apply(p, change, False)  # what undo does
    with p.read() as conn:
        assert conn.scalar(select(func.count()).select_from(SpanLink)) == 1
