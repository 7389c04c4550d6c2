"""How long a committed change takes to reach another person's listener (live updates):
from the return of the store operation in one session to the logged change read by the
listener of another login (store/live_listener.py, what the GUI's thread runs).

    python bench/live_latency.py [--edits 50]

Starts a throw-away cluster, a seeded project, a curator who writes gold and a second
curator who listens; prints p50/p95/max in milliseconds. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from team_load import DOC_UID, login_url, percentile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=50)
    args = ap.parse_args()

    from annotator.core.identity import GOLD_ANNOTATOR
    from annotator.importer import create_project
    from annotator.store import cluster
    from annotator.store.live_listener import Listener
    from annotator.store.location import ServerLocation
    from annotator.store.project import Project
    from annotator.store.queries import list_documents
    from annotator.store.roles import add_user
    from annotator.store.spans import add_span

    folder = Path(tempfile.mkdtemp(prefix="annotator-live-"))
    server = cluster.start(folder, cluster.free_port())
    os.environ["PGPASSFILE"] = str(server.passfile)
    try:
        location = ServerLocation(server.url("live"))
        create_project(location).close()
        for name in ("writer", "watcher"):
            add_user(location, name, "curator", f"pw-{name}")
        writer = Project.open(ServerLocation(login_url(location.url, "writer", "pw-writer")))
        watcher = Project.open(ServerLocation(login_url(location.url, "watcher", "pw-watcher")))
        listener = Listener(watcher.path, watcher.session)
        listener.connect()
        with writer.read() as conn:
            doc = next(d.id for d in list_documents(conn) if d.uid == DOC_UID)
        delays = []
        for i in range(args.edits):
            add_span(writer, doc, GOLD_ANNOTATOR, i * 3, i * 3 + 2, "ORG")
            committed = time.perf_counter()
            while not listener.wait(0.05):
                pass
            delays.append((time.perf_counter() - committed) * 1000)
        listener.close()
        writer.close()
        watcher.close()
        print(f"live update delay over {len(delays)} gold edits, ms: p50 {percentile(delays, 50):.1f}  "
              f"p95 {percentile(delays, 95):.1f}  max {max(delays):.1f}")
    finally:
        cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
