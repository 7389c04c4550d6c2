"""Shared by every test layer: no real screen, no real user data."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from annotator.importer import seed
from annotator.store import cluster
from annotator.store.location import ServerLocation
from annotator.store.project import Project

# Before pytest-qt creates the QApplication; an explicit choice (e.g. xcb under Xvfb) wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    """ANNOTATOR_DATA_DIR points into the session's tmp dir, so the default project and
    anything else under the user data directory never touch the real one."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATOR_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        yield


# Strings every text test should include (docs/ARCHITECTURE.md, "Text and offsets").
TRICKY = {
    "bengali": "ক্ষমতা রাস্তার বাধা",
    "vi_nfc": "Phó Tổng thư ký gặp",
    "vi_nfd": "Pho\u0301 T\u00f4\u0309ng thu\u031b ky\u0301",
    "fr_nbsp": "«\u00a0Bonjour\u00a0» dit-il",
    "sr_cyrillic_e": "\u0415U i NATO",
    "emoji_zwj": "A😀B 👨\u200d👩\u200d👧 done",
    "crlf": "line one\r\nline two\r\n",
    "separators": "para\u2029next\u2028line",
}


# -- PostgreSQL (team mode) ----------------------------------------------------------------
class Databases:
    """Fresh databases on the session's cluster: empty ones, or copies of a template
    project (CREATE DATABASE ... TEMPLATE copies files, far faster than migrating)."""

    def __init__(self, server: cluster.Cluster) -> None:
        self.server = server
        self._names = itertools.count(1)
        self._templates: dict[str, ServerLocation] = {}

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def fresh(self, template: str = "template0") -> ServerLocation:
        name = f"t{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return ServerLocation(self.server.url(name))

    def drop(self, location: ServerLocation) -> None:
        """Remove a test's database (sessions still open on it are ended)."""
        self._admin(f'DROP DATABASE IF EXISTS "{location.database}" WITH (FORCE)')

    def copy_of(self, kind: str) -> ServerLocation:
        """A copy of a project made once per session: 'empty' or 'seeded'."""
        if kind not in self._templates:
            location = self.fresh()
            with Project.create(location) as project:
                if kind == "seeded":
                    seed(project)
            self._templates[kind] = location
        return self.fresh(self._templates[kind].database)


# Durability across a power cut is not what these tests check; without fsync each
# CREATE DATABASE takes milliseconds instead of seconds.
TEST_SERVER_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@pytest.fixture(scope="session")
def pg_cluster():
    """One PostgreSQL 15 cluster for the session, on a free loopback port, stopped and
    removed at the end. A machine without the server programs fails here (no skip):
    `apt-get install postgresql` (.ci/run does)."""
    try:
        cluster.binaries()
    except cluster.ClusterError as exc:
        pytest.fail(str(exc))
    # Not under pytest's tmp dir: it is closed to other users, and as root the server runs as one.
    folder = Path(tempfile.mkdtemp(prefix="annotator-test-pg-"))
    server = cluster.start(folder, cluster.free_port(), TEST_SERVER_SETTINGS)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PGPASSFILE", str(server.passfile))
            yield server
    finally:
        cluster.stop(folder, mode="immediate")  # thrown away: no checkpoint needed
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_databases(pg_cluster):
    return Databases(pg_cluster)


@pytest.fixture
def backend() -> str:
    """Where projects of a test live; tests/store and tests/cli run each test on both."""
    return "sqlite"


@pytest.fixture
def new_location(backend, tmp_path, request):
    """new_location(name) -> where a new project may be created: a file in tmp_path, or a
    fresh empty database on the test server (dropped after the test)."""
    made: list[ServerLocation] = []

    def make(name: str = "p"):
        if backend == "postgresql":
            made.append(request.getfixturevalue("pg_databases").fresh())
            return made[-1]
        return tmp_path / f"{name}.annotator"
    yield make
    for location in made:
        request.getfixturevalue("pg_databases").drop(location)


def _project_of(kind: str, backend: str, tmp_path: Path, request):
    if backend == "postgresql":
        return Project.open(request.getfixturevalue("pg_databases").copy_of(kind))
    project = Project.create(tmp_path / f"{kind}.annotator")
    if kind == "seeded":
        seed(project)
    return project


def _project_fixture(kind: str, backend: str, tmp_path: Path, request):
    project = _project_of(kind, backend, tmp_path, request)
    with project:
        yield project
    if isinstance(project.path, ServerLocation):
        request.getfixturevalue("pg_databases").drop(project.path)


@pytest.fixture
def empty_project(backend, tmp_path: Path, request):
    yield from _project_fixture("empty", backend, tmp_path, request)


@pytest.fixture
def seeded_project(backend, tmp_path: Path, request):
    yield from _project_fixture("seeded", backend, tmp_path, request)


# Bookkeeping, not content: shared items' versions only ever count up (an undo is a change
# too) and the change log is what live updates read. tests/store/test_versions.py checks them.
BOOKKEEPING = ("item_versions", "change_log")


def dump(path) -> list[str]:
    """Every row of every table but the bookkeeping, to prove a refused operation changed
    nothing, and an undo restored the content."""
    if isinstance(path, ServerLocation):
        return _dump_server(path)
    con = sqlite3.connect(path)
    try:
        lines = [line for line in con.iterdump() if not line.startswith(tuple(f'INSERT INTO "{t}"' for t in BOOKKEEPING))]
    finally:
        con.close()
    # Indexes and triggers as a set: their order in sqlite_master is the order they were
    # last made (an import builds the spans' indexes again after loading), not content.
    made = sorted(line for line in lines if line.startswith(_MADE))
    return [line for line in lines if not line.startswith(_MADE)] + made


_MADE = ("CREATE INDEX", "CREATE UNIQUE INDEX", "CREATE TRIGGER")


def _dump_server(location: ServerLocation) -> list[str]:
    import psycopg

    # Sequences are left out: PostgreSQL never takes back a number a rolled-back insert drew.
    lines = []
    with psycopg.connect(location.url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename") if r[0] not in BOOKKEEPING]
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            lines += sorted(f"{table}: {row!r}" for row in rows)
    return lines


def stored(project, sql: str, **params) -> list[tuple]:
    """Rows of `sql` as the database holds them, on either backend (named :parameters)."""
    from sqlalchemy import text

    with project.read() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def other_engine(location):
    """A second connection to a project, as another program would open it."""
    from sqlalchemy import create_engine

    if isinstance(location, ServerLocation):
        return create_engine(location.sqlalchemy_url())
    return create_engine(f"sqlite:///{location}")
