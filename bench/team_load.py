"""Team-mode load test: many annotator processes, each its own login, editing their own
layer on one PostgreSQL server at the same time, with a curator writing gold meanwhile.

    python bench/team_load.py                          # 50 annotators x 500 edits
    python bench/team_load.py --clients 3 --edits 30 --kill-one --restart-server   # tests/store/test_team_load.py

It starts a throw-away cluster (annotator server start; as root the server runs as the
postgres user), makes a seeded project and the logins, and starts one process per
annotator (`--client`). Each client labels, relabels, deletes and undoes spans through
the store API (the operations the GUI's edit runner calls) and, after every
acknowledged edit, appends the layer it now expects to its log. An edit the server
refuses as a collision ("try again") is retried and counted, never logged as done.
At the end the parent checks, for every client, that the database holds exactly the
layer its log says (nothing lost, nothing duplicated), that a direct connection as each
annotator reads no row of another layer, and prints commit latency p50/p95/p99. With
--kill-one the first annotator is killed with SIGKILL a third of the way through: every
edit it had logged as saved must be in the database (one committed but not yet logged
edit may differ). With --restart-server the server is stopped (fast: every session
ended) and started again half way through: a client whose edit meets the server gone
prints the app's message, waits for the server, reads its layer back to learn whether
the edit was committed before the connection broke (so nothing is made twice), and
resumes; the run fails if no client noticed.
Figures are printed, not asserted; the exit status is 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LABELS = ("PERSON", "ORG", "FIGURE")
# How store/server.py words a server that went away (restart, stop, unreachable).
GONE = ("cannot be reached", "restarted or stopped", "restarting or stopping", "server closed the connection", "terminating connection",
        "the database system is")
DOC_UID = "004_8ff92d06c738168c"  # the English seed: every offset is a character boundary


def login_url(url: str, name: str, password: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, f"{name}:{password}@{parts.hostname}:{parts.port}", parts.path, "", ""))


def seed_document(project, who: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The English seed's id and length. A client started late may meet the restart at this
    first read: it is said and waited out as an edit's is, not a failure of the client."""
    from annotator.store.project import StoreError
    from annotator.store.queries import document_text, list_documents

    while True:
        try:
            with project.read() as conn:
                doc = next(d.id for d in list_documents(conn) if d.uid == DOC_UID)
                return doc, len(document_text(conn, doc) or "")
        except StoreError as exc:
            if not any(s in str(exc) for s in GONE):
                raise
            print(f"{who}: {exc}", file=sys.stderr, flush=True)
            time.sleep(0.2)


def client(url: str, name: str, edits: int, log_path: Path, seed: int) -> int:
    from sqlalchemy import select

    from annotator.store.changes import apply
    from annotator.store.location import ServerLocation
    from annotator.store.models import Annotator, Span
    from annotator.store.project import Project, StoreError
    from annotator.store.spans import add_span, delete_span, relabel_span

    rng = random.Random(seed)
    retries = outages = 0
    with Project.open(ServerLocation(url)) as project, open(log_path, "a", encoding="utf-8") as log:
        doc, length = seed_document(project, name)
        layer: dict[str, str] = {}  # uid -> label, as acknowledged
        undo: list[tuple[object, dict[str, str]]] = []  # (change, layer before it)

        def stored_layer() -> dict[str, str]:
            with project.read() as conn:
                return {uid: label for uid, label in conn.execute(
                    select(Span.uid, Span.label).join(Annotator, Annotator.id == Span.annotator_id)
                    .where(Annotator.name == name))}

        def attempt(op, before):  # type: ignore[no-untyped-def]
            """(the change, seconds) once committed; (None, seconds) if the server went away
            during the commit and the edit turned out to be in: the layer is then re-read."""
            nonlocal retries, outages
            while True:
                t0 = time.perf_counter()
                try:
                    result = op()
                    return result, time.perf_counter() - t0
                except StoreError as exc:
                    if "at the same moment" in str(exc):
                        retries += 1
                        continue
                    if not any(s in str(exc) for s in GONE):
                        raise
                    outages += 1
                    print(f"{name}: {exc}", file=sys.stderr, flush=True)  # what a user is told
                    while True:  # wait for the server, then find out whether the edit was made
                        time.sleep(0.2)
                        try:
                            now = stored_layer()
                            break
                        except StoreError:
                            continue
                    print(f"{name}: the server is back; resuming", file=sys.stderr, flush=True)
                    if now != before:  # committed before the connection broke: not made twice
                        return now, time.perf_counter() - t0

        for i in range(edits):
            kind = rng.choice(["label", "label", "relabel", "delete", "undo"]) if layer else "label"
            before = dict(layer)
            if kind == "undo" and undo:
                change, previous = undo.pop()
                _, took = attempt(lambda c=change: apply(project, c, False), before)
                layer = previous
                change = None
            elif kind == "relabel":
                uid = rng.choice(sorted(layer))
                label = rng.choice([lab for lab in LABELS if lab != layer[uid]])
                change, took = attempt(lambda u=uid, lab=label: relabel_span(project, u, lab), before)
                layer[uid] = label
            elif kind == "delete":
                uid = rng.choice(sorted(layer))
                change, took = attempt(lambda u=uid: delete_span(project, u), before)
                del layer[uid]
            else:
                start = rng.randrange(0, length - 8)
                end, label = start + rng.randint(1, 8), rng.choice(LABELS)
                change, took = attempt(lambda s=start, e=end, lab=label: add_span(project, doc, name, s, e, lab),
                                       before)
                if isinstance(change, dict):  # made during an outage: its uid is read back
                    layer = change
                else:
                    layer[change.result.uid] = label
            if isinstance(change, dict):  # the layer as re-read after an outage: no undo of it
                layer, change = change, None
            if change is not None:
                undo.append((change, before))
            # Written only once the commit returned: what the user has seen as saved.
            log.write(json.dumps({"i": i, "op": kind, "ms": round(took * 1000, 3), "layer": layer}) + "\n")
            log.flush()
    print(json.dumps({"client": name, "retries": retries, "outages": outages}), flush=True)
    return 0


def curator(url: str, edits: int, seed: int) -> int:
    from annotator.core.identity import GOLD_ANNOTATOR
    from annotator.store.location import ServerLocation
    from annotator.store.project import Project, StoreError
    from annotator.store.spans import add_span

    rng = random.Random(seed)
    done = 0
    with Project.open(ServerLocation(url)) as project:
        doc, length = seed_document(project, "curator")
        while done < edits:
            start = rng.randrange(0, length - 8)
            try:
                add_span(project, doc, GOLD_ANNOTATOR, start, start + 4, rng.choice(LABELS))
                done += 1
            except StoreError as exc:
                if any(s in str(exc) for s in GONE):  # a restart: say so, wait, go on
                    print(f"curator: {exc}", file=sys.stderr, flush=True)
                    time.sleep(0.2)
                elif "at the same moment" not in str(exc):
                    raise
    print(json.dumps({"curator": done}), flush=True)
    return 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--edits", type=int, default=500)
    ap.add_argument("--kill-one", action="store_true",
                    help="kill -9 the first annotator a third of the way through; it must lose nothing it logged")
    ap.add_argument("--restart-server", action="store_true",
                    help="stop and start the server half way through; clients say so and resume, losing nothing")
    ap.add_argument("--client", nargs=5, metavar=("URL", "NAME", "EDITS", "LOG", "SEED"), help=argparse.SUPPRESS)
    ap.add_argument("--curator", nargs=3, metavar=("URL", "EDITS", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        url, name, edits, log, seed = args.client
        return client(url, name, int(edits), Path(log), int(seed))
    if args.curator:
        url, edits, seed = args.curator
        return curator(url, int(edits), int(seed))

    import psycopg

    from annotator.importer import create_project
    from annotator.store import cluster
    from annotator.store.location import ServerLocation
    from annotator.store.roles import add_user

    folder = Path(tempfile.mkdtemp(prefix="annotator-load-"))
    logs = Path(tempfile.mkdtemp(prefix="annotator-load-logs-"))
    settings = {"max_connections": str(args.clients * 3 + 20)}
    server = cluster.start(folder, cluster.free_port(), settings)
    os.environ["PGPASSFILE"] = str(server.passfile)
    failures: list[str] = []
    try:
        location = ServerLocation(server.url("load"))
        create_project(location).close()
        names = [f"load{i:02d}" for i in range(args.clients)]
        for name in names:
            add_user(location, name, "annotator", f"pw-{name}")
        add_user(location, "loadcurator", "curator", "pw-loadcurator")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, __file__, "--client", login_url(location.url, n, f"pw-{n}"), n,
                                   str(args.edits), str(logs / f"{n}.log"), str(i)], env=env,
                                  stdout=subprocess.PIPE, text=True) for i, n in enumerate(names)]
        procs.append(subprocess.Popen([sys.executable, __file__, "--curator",
                                       login_url(location.url, "loadcurator", "pw-loadcurator"),
                                       str(args.edits // 5), "999"], env=env, stdout=subprocess.PIPE, text=True))
        killed = None
        if args.kill_one:  # wait (on its log) until a third of its edits are saved, then kill it
            log0 = logs / f"{names[0]}.log"
            while procs[0].poll() is None and (not log0.exists() or
                                               len(log0.read_text().splitlines()) < args.edits // 3):
                time.sleep(0.05)
            procs[0].kill()  # SIGKILL: no clean-up of any kind
            killed = names[0]
        restarted = False
        if args.restart_server:  # half way through the last annotator's edits: stop, then start again
            log_last = logs / f"{names[-1]}.log"
            while procs[-2].poll() is None and (not log_last.exists() or
                                                len(log_last.read_text().splitlines()) < args.edits // 2):
                time.sleep(0.05)
            cluster.stop(folder, mode="fast")  # ends every session, as a restart by its administrator does
            time.sleep(1)  # clients find the server gone in the meantime
            cluster.start(folder, settings=settings)
            restarted = True
        outputs = [p.communicate()[0] for p in procs]  # a client's own errors go to stderr, shown as they come
        wall = time.perf_counter() - t0
        for p in procs[1 if killed else 0:]:
            if p.returncode != 0:
                failures.append(f"a client exited with status {p.returncode}")
        reports = [json.loads(line) for out in outputs for line in out.splitlines() if line]
        retries = sum(r.get("retries", 0) for r in reports)
        outages = sum(r.get("outages", 0) for r in reports)
        if restarted and not outages:
            failures.append("the server was restarted but no client noticed it")
        latencies: list[float] = []
        with psycopg.connect(location.url) as conn:
            for name in names:
                log = logs / f"{name}.log"
                lines = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
                latencies += [x["ms"] for x in lines]
                expected = lines[-1]["layer"] if lines else {}
                stored = dict(conn.execute("SELECT s.uid, s.label FROM spans s JOIN annotators a "
                                           "ON a.id = s.annotator_id WHERE a.name = %s", (name,)).fetchall())
                if name == killed:
                    # It may have committed one edit it had not yet logged (not shown as
                    # saved): at most that one span differs; every logged edit must be there.
                    differ = {u for u in set(stored) | set(expected) if stored.get(u) != expected.get(u)}
                    if len(differ) > 1:
                        failures.append(f"{name} (killed): {len(differ)} span(s) differ from what it showed as saved")
                    continue
                if stored != expected:
                    lost = sorted(set(expected) - set(stored))
                    extra = sorted(set(stored) - set(expected))
                    failures.append(f"{name}: {len(lost)} acknowledged span(s) missing, {len(extra)} extra, "
                                    f"{sum(stored.get(u) != v for u, v in expected.items() if u in stored)} relabel(s) lost")
                if len(lines) != args.edits:
                    failures.append(f"{name}: {len(lines)} of {args.edits} edits acknowledged")
        for name in names[:5]:  # blindness, checked directly: no row of another layer
            with psycopg.connect(login_url(location.url, name, f"pw-{name}")) as conn:
                others = conn.execute("SELECT count(*) FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                                      "WHERE a.name <> current_user").fetchone()[0]
                if others:
                    failures.append(f"{name} read {others} span(s) of other layers")
        total = len(latencies)
        if restarted:
            print(f"the server was stopped and started again mid-run; {outages} edit(s) met it gone, "
                  "were reported and resumed")
        if killed:
            print(f"{killed} was killed with SIGKILL after {len((logs / f'{killed}.log').read_text().splitlines())} "
                  "acknowledged edits")
        print(f"{args.clients} annotators x {args.edits} edits (+ a curator): {total} edits acknowledged in "
              f"{wall:.1f} s ({total / wall:.0f} edits/s); {retries} collision(s) retried")
        print(f"commit latency ms: p50 {percentile(latencies, 50):.1f}  p95 {percentile(latencies, 95):.1f}  "
              f"p99 {percentile(latencies, 99):.1f}  mean {statistics.fmean(latencies):.1f}")
        print("checks: " + ("every acknowledged edit is in the database, none duplicated, no layer read by another"
                            if not failures else "; ".join(failures[:10])))
        print(f"RESULT team_load clients={args.clients} edits={args.edits} lost_or_extra={len(failures)} "
              f"p50_ms={percentile(latencies, 50):.1f} p95_ms={percentile(latencies, 95):.1f} "
              f"p99_ms={percentile(latencies, 99):.1f} retries={retries} outages={outages} ok={not failures}")
    finally:
        cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
