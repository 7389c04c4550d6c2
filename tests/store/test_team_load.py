"""The shorter load test of bench/team_load.py: several annotator processes, each its own
login, and a curator, editing at once on a real server; every acknowledged edit must be
in the database and no annotator may read another's layer."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_concurrent_annotators_lose_and_duplicate_nothing_when_one_is_killed_and_the_server_restarts(pg_cluster):  # pg_cluster: fails without PostgreSQL
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "team_load.py"), "--clients", "3", "--edits", "30", "--kill-one",
                           "--restart-server"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lost_or_extra=0" in done.stdout and "ok=True" in done.stdout
    # The restart half way through was met by some client, said in words, and resumed from.
    assert "outages=0 " not in done.stdout
    assert "the server is back; resuming" in done.stderr
