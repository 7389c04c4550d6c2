"""The command-line suite runs every test on a SQLite file and on the session's PostgreSQL server;
a test marked `sqlite_only` checks what only a file has (WAL, pragmas, the lock file)."""


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("backend", ["sqlite"] if only else ["sqlite", "postgresql"])
