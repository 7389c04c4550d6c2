"""Issue 18, start-up: commands that only print, count or export import neither
SQLAlchemy, its ORM models, Alembic, jsonschema nor Qt; `stats` and `export` read a
current project through the driver and still hand an old or newer one to the project's
own opening, which says or refuses it (tests/cli/test_export_driver.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from annotator.cli import main
from annotator.store.corpus_summary import corpus_summary, summarise
from annotator.store.project import Project
from tests.conftest import dump
from tests.store.test_attribute_counts import two_layers

HEAVY = ("sqlalchemy", "sqlalchemy.orm", "annotator.store.models", "alembic", "jsonschema", "PySide6")
PROBE = ("import sys\nfrom annotator.cli import main\ntry:\n    code = main(sys.argv[1:])\n"
         "except SystemExit as exc:\n    code = exc.code\n"
         f"print('IMPORTED', sorted(m for m in {HEAVY!r} if m in sys.modules), code)\n")


def imported_by(*argv: str) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True).stdout
    return next(line for line in out.splitlines() if line.startswith("IMPORTED"))


def test_version_imports_nothing_heavy():
    assert imported_by("--version") == "IMPORTED [] 0"


def test_stats_on_a_current_project_imports_nothing_heavy(tmp_path):
    two_layers(tmp_path).close()
    assert imported_by("stats", str(tmp_path / "p.annotator")) == "IMPORTED [] 0"


@pytest.mark.parametrize("args", [(), ("--annotator", "bob"), ("--format", "conll", "--annotator", "ana")])
def test_export_of_a_current_project_imports_nothing_heavy(tmp_path, args):
    two_layers(tmp_path).close()
    out = tmp_path / "out.txt"
    assert imported_by("export", str(tmp_path / "p.annotator"), "-o", str(out), *args) == "IMPORTED [] 0"
    assert out.stat().st_size > 0


# What gold JSONL's export does not need: the other formats (brat's grapheme clusters
# through `regex`, the KB's transliteration through `anyascii`), the readers' checks,
# OpenSSL (hashlib, and the `secrets` module through hmac).
NOT_FOR_GOLD_JSONL = ("regex", "anyascii", "annotator.core.kb", "annotator.formats.brat", "annotator.formats.conll",
                      "annotator.formats.gold_checks", "_hashlib", "secrets")


def test_export_of_gold_jsonl_imports_only_what_gold_jsonl_needs(tmp_path):
    two_layers(tmp_path).close()
    out = tmp_path / "out.jsonl"
    probe = PROBE.replace(repr(HEAVY), repr(NOT_FOR_GOLD_JSONL))
    done = subprocess.run([sys.executable, "-c", probe, "export", str(tmp_path / "p.annotator"), "-o", str(out)],
                          capture_output=True, text=True, check=True).stdout
    assert next(line for line in done.splitlines() if line.startswith("IMPORTED")) == "IMPORTED [] 0"
    assert out.stat().st_size > 0


def test_the_driver_read_counts_what_the_project_connection_counts(tmp_path):
    """The kept span counts the fast path reads are what a GROUP BY over the spans finds."""
    with two_layers(tmp_path) as project, project.read() as conn:
        through_project = summarise(lambda sql: conn.exec_driver_sql(sql).all(), "p", kept_counts=False)
    fast = corpus_summary(tmp_path / "p.annotator")
    assert fast == through_project
    assert fast.stats.spans_per_language_label and fast.attributes.values  # the counts compared are not empty


def set_meta(path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as con, con:
        con.execute(sql)


@pytest.mark.parametrize("command", ["stats", "export"])
def test_an_older_project_is_said_to_need_an_upgrade_and_left_unchanged(tmp_path, capsys, command):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    set_meta(path, "UPDATE alembic_version SET version_num = '0007_team'")
    before = dump(path)
    assert main([command, str(path)]) == 1
    assert "needs an upgrade" in capsys.readouterr().err
    assert dump(path) == before


@pytest.mark.parametrize("command", ["stats", "export"])
@pytest.mark.parametrize("change", ["UPDATE alembic_version SET version_num = '0999_future'",
                                    "UPDATE project_meta SET value = '99' WHERE key = 'format_version'"])
def test_a_newer_project_is_refused(tmp_path, capsys, change, command):
    path = tmp_path / "p.annotator"
    Project.create(path).close()
    set_meta(path, change)
    assert main([command, str(path)]) == 1
    assert "newer" in capsys.readouterr().err
