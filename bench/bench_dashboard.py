"""The statistics dashboard on the 10,000-document benchmark corpus.

    python bench/bench_dashboard.py [--docs N] [--runs N] [--screenshot PNG]

Builds the corpus as bench_store/bench_import_export do (gen_corpus, annotator "bench",
20 spans a document), with translation groups of five documents (one per language) on
the first 1,000 documents, then imports a second annotator's layer ("second") on every
fifth document (every language alike): the same spans with some dropped, some one
character shorter and some relabelled. created_at is spread over 36 hours (bench: hours
0-29, second: hours 18-35); each annotator has marked the first documents done.

Prints the time of the aggregate queries (statistics.counts, the dashboard's first
figures; statistics.overview and its parts; median of N runs, each in its own read
transaction, wall and CPU), of agreement and of the translation-group checks; the
dashboard's first paint (construction to the counts drawn and painted) and the time
until every figure is drawn; the longest stall of the GUI event loop while the worker
computes (a 10 ms timer's worst lateness); and peak RSS.
Run with QT_QPA_PLATFORM=offscreen (default) or under Xvfb with xcb.
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gen_corpus
import orjson
import regex
from _common import Timer, median_ms, peak_rss_mb, result_line, scratch_dir

SECOND = "second"
GROUPED_DOCS = 1000


def corpus_files(tmp, n_docs: int):
    """(first layer with groups, second annotator's layer on every fifth document)."""
    rng = random.Random(7)
    first, second = tmp / "first.jsonl", tmp / "second.jsonl"
    labels = gen_corpus.LABELS
    with gen_corpus.corpus_path(n_docs).open("rb") as src, first.open("wb") as a, second.open("wb") as b:
        for i, line in enumerate(src):
            rec = orjson.loads(line)
            if i < GROUPED_DOCS:
                rec["group"] = f"story-{i // 5:04d}"
            a.write(orjson.dumps(rec) + b"\n")
            if (i // 5) % 5 != i % 5:  # one document in five, every language alike
                continue
            spans = []
            for s in rec["spans"]:
                r = rng.random()
                if r < 0.08:
                    continue  # missed
                s = dict(s, id="x" + s["id"])
                clusters = regex.findall(r"\X", s["text"])
                if r < 0.16 and len(clusters) > 2:  # one grapheme cluster shorter
                    s["end"] -= len(clusters[-1])
                    s["text"] = rec["text"][s["start"]:s["end"]]
                elif r < 0.24:
                    s["label"] = rng.choice([lab for lab in labels if lab != s["label"]])
                spans.append(s)
            b.write(orjson.dumps(dict(rec, spans=spans, annotator=SECOND)) + b"\n")
    return first, second


def spread_and_finish(path) -> None:
    """Benchmark data only, so plain SQLite: created_at spread over 36 hours; the first documents done."""
    con = sqlite3.connect(path)
    ids = dict(con.execute("SELECT name, id FROM annotators").fetchall())
    con.execute("UPDATE spans SET created_at = datetime('2024-06-01 06:00:00', '+' || "
                "(abs(id * 7919) % (30 * 3600)) || ' seconds') WHERE annotator_id = ?", (ids["bench"],))
    con.execute("UPDATE spans SET created_at = datetime('2024-06-02 00:00:00', '+' || "
                "(abs(id * 7919) % (18 * 3600)) || ' seconds') WHERE annotator_id = ?", (ids[SECOND],))
    # Annotators work through the corpus in order: the first third done (by bench), the
    # first 1,500 documents (second).
    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.execute("UPDATE document_status SET status = 'done' WHERE annotator_id = ? AND document_id <= ?",
                (ids["bench"], n // 3))
    con.execute("UPDATE document_status SET status = 'done' WHERE annotator_id = ? AND document_id <= ?",
                (ids[SECOND], n * 3 // 20))
    con.commit()
    con.close()


def build(path, n_docs: int) -> float:
    """The benchmark project at `path`; returns the import time in seconds."""
    from annotator.importer import import_paths
    from annotator.store.project import Project

    first, second = corpus_files(path.parent, n_docs)
    with Project.create(path) as project, Timer() as imp:
        import_paths(project, [first])
        import_paths(project, [second])
    spread_and_finish(path)
    return imp.seconds


def _queries(project, runs: int) -> None:
    """Times the aggregate queries, agreement and the group checks apart from the dashboard, and prints them."""
    from annotator.store import statistics as st

    with project.read() as conn:
        ov = st.overview(conn)
    n_spans = sum(ov.labels.counts.values())
    timings = {}
    cpu = {}
    for name, fn in (("counts", st.counts), ("overview", st.overview), ("label_counts", st.label_counts),
                     ("progress", st.progress), ("throughput", st.throughput)):
        def part(fn=fn):
            with project.read() as conn:
                return fn(conn)
        c0 = time.process_time()
        timings[name] = median_ms(part, runs)[0]
        cpu[name] = (time.process_time() - c0) * 1000 / (runs + 1)  # and the warm-up run
    rss_queries = peak_rss_mb()
    c0 = time.process_time()
    with Timer() as t_agree, project.read() as conn:
        agreement = st.agreement(conn, ov.progress)
    cpu_agree = time.process_time() - c0
    with Timer() as t_groups, project.read() as conn:
        try:
            groups = st.group_disagreements(conn)
        except ImportError as exc:  # the translation-group checks are not in this checkout
            groups = None
            print(f"group_disagreements: not available ({exc})")
    rss_expensive = peak_rss_mb()

    n_groups = len({g.group for g in groups}) if groups is not None else "n/a"
    print(f"corpus: {len(ov.progress.documents)} documents, {n_spans} spans, annotators "
          f"{', '.join(ov.progress.annotators)}, {len(ov.throughput.hours)} hourly buckets")
    print(f"queries (median of {runs} runs, wall; CPU a run): "
          + ", ".join(f"{k} {v:.0f} ms ({cpu[k]:.0f} ms CPU)" for k, v in timings.items()))
    print(f"agreement on {agreement.documents} shared documents: {t_agree.seconds * 1000:.0f} ms "
          f"({cpu_agree * 1000:.0f} ms CPU); "
          f"translation groups ({n_groups}): {t_groups.seconds * 1000:.0f} ms")
    print(f"peak RSS: {rss_queries:.0f} MB after the aggregate queries, "
          f"{rss_expensive:.0f} MB after agreement and groups")
    print(result_line("dashboard_queries", docs=len(ov.progress.documents), spans=n_spans,
                      counts_ms=f"{timings['counts']:.0f}", overview_ms=f"{timings['overview']:.0f}",
                      labels_ms=f"{timings['label_counts']:.0f}", progress_ms=f"{timings['progress']:.0f}",
                      throughput_ms=f"{timings['throughput']:.0f}", agreement_ms=f"{t_agree.seconds * 1000:.0f}",
                      groups_ms=f"{t_groups.seconds * 1000:.0f}", rss_mb=f"{rss_expensive:.0f}"))


def measure(path, runs: int, screenshot: str | None, stall_traces: str | None = None,
            dashboard_only: bool = False) -> None:
    """Every figure of the dashboard on the project at `path`, in this (fresh) process;
    `dashboard_only`: the dashboard alone, without timing the queries and agreement apart."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.store.project import Project

    app = QApplication.instance() or QApplication(["bench"])
    project = Project.open(path)
    rss_open = peak_rss_mb()
    if not dashboard_only:
        _queries(project, runs)
    with Timer() as t_import:
        from annotator.ui.dashboard.window import Dashboard
    # The event loop's worst lateness while the dashboard computes and draws: a 10 ms timer.
    stalls = []  # (when, how late, the GUI thread's CPU seconds since the tick before)
    last_cpu = [time.thread_time()]
    last = [time.perf_counter()]

    traces = open(stall_traces, "w") if stall_traces else None  # open while the timer runs

    def tick():
        now = time.perf_counter()
        cpu = time.thread_time()  # the GUI thread's own CPU in the stall: what the machine's load does not stretch
        stalls.append((now, now - last[0] - 0.010, cpu - last_cpu[0]))
        last[0], last_cpu[0] = now, cpu
        if traces is not None:  # every thread's stack, from C, if the loop is 80 ms late
            traces.write(f"-- tick at {(now - t0) * 1000:.0f} ms\n")
            faulthandler.dump_traceback_later(0.090, file=traces)

    # Garbage collections while the dashboard works: a full one holds Python's lock throughout.
    collections: list[tuple[float, int, float, str]] = []  # (end, generation, seconds, thread)
    started = [0.0]

    def collected(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            now = time.perf_counter()
            collections.append((now - t0, info["generation"], now - started[0], threading.current_thread().name))

    gc.callbacks.append(collected)
    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    t0 = time.perf_counter()
    dash = Dashboard(project)
    dash.resize(1500, 940)
    dash.show()
    built = time.perf_counter() - t0
    timer.start()
    last[0], last_cpu[0] = time.perf_counter(), time.thread_time()
    first_paint = None
    while first_paint is None or "groups_draw" not in dash.timings:
        app.processEvents()
        if first_paint is None and "overview_draw" in dash.timings:
            dash.repaint()
            first_paint = time.perf_counter() - t0
        time.sleep(0.001)
    all_drawn = time.perf_counter() - t0
    timer.stop()
    gc.callbacks.remove(collected)
    long_ones = sorted(collections, key=lambda c: -c[2])[:3]
    print(f"garbage collections meanwhile: {len(collections)}, the longest: "
          + (", ".join(f"generation {g} {d * 1000:.0f} ms ending at {e * 1000:.0f} ms ({who})"
                       for e, g, d, who in long_ones) or "none"))
    if traces is not None:
        faulthandler.cancel_dump_traceback_later()
        traces.close()
    painted_at = t0 + first_paint
    worst_stall = max((s for _t, s, _c in stalls), default=0.0) * 1000
    worst_cpu = max((c for _t, _s, c in stalls), default=0.0) * 1000
    # While agreement and the group checks compute on the worker thread, after the first paint.
    worst_later = max((s for t, s, _c in stalls if t - s - 0.010 > painted_at), default=0.0) * 1000  # began after
    top = sorted(stalls, key=lambda ts: -ts[1])[:3]
    print("longest stalls: " + ", ".join(f"{s * 1000:.0f} ms ({c * 1000:.0f} ms of the GUI thread's CPU) ending at "
                                         f"{(t - t0) * 1000:.0f} ms" for t, s, c in top)
          + f" (first paint at {first_paint * 1000:.0f} ms)")
    with Timer() as t_refresh:
        dash.refresh()
        while "overview" not in dash.drawn_since_refresh:
            app.processEvents()
            time.sleep(0.001)
    if screenshot:
        dash.wait()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        dash.grab().save(screenshot)
    dash.close()
    dash.wait()
    project.close()
    if hasattr(os, "wait4"):  # the dashboard's child (agreement and groups), ended and reaped by close()
        import resource

        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"CPU of this process {time.process_time():.1f} s; of its ended children (the dashboard's "
              f"process) {child.ru_utime + child.ru_stime:.1f} s")

    print(f"dashboard: import of the module {t_import.seconds * 1000:.0f} ms, widgets built and shown "
          f"{built * 1000:.0f} ms, first paint (cheap figures on screen) {first_paint * 1000:.0f} ms, every figure "
          f"drawn {all_drawn * 1000:.0f} ms, refresh to new cheap figures {t_refresh.seconds * 1000:.0f} ms, "
          f"worst event-loop stall {worst_stall:.0f} ms, {worst_later:.0f} ms after the first paint")
    print("in the dashboard (worker: computing; GUI thread: *_draw): "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in dash.timings.items()))
    print(f"peak RSS: {rss_open:.0f} MB with the project open, {peak_rss_mb():.0f} MB with the dashboard")
    print(result_line("dashboard_paint", first_paint_ms=f"{first_paint * 1000:.0f}",
                      all_drawn_ms=f"{all_drawn * 1000:.0f}", worst_stall_ms=f"{worst_stall:.0f}",
                      worst_stall_cpu_ms=f"{worst_cpu:.0f}",
                      stall_after_paint_ms=f"{worst_later:.0f}",
                      peak_rss_mb=f"{peak_rss_mb():.0f}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", help="save a picture of the dashboard (every figure drawn) here")
    parser.add_argument("--project", help="measure this project (built by an earlier run with --keep)")
    parser.add_argument("--keep", help="build the project here and keep it")
    parser.add_argument("--stall-traces", help="write every thread's stack here whenever the window's event "
                        "loop is over 80 ms late (faulthandler; to find what stalls it)")
    parser.add_argument("--dashboard-only", action="store_true", help="time the dashboard alone, not the "
                        "queries, agreement and group checks apart from it first")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_only:
        measure(Path(args.project), args.runs, args.screenshot, args.stall_traces, args.dashboard_only)
        return 0
    if args.build_only:
        seconds = build(Path(args.project), args.docs)
        print(f"built {Path(args.project).name}: {args.docs} documents imported in {seconds:.1f} s", flush=True)
        return 0
    # Building and measuring each in a process of their own: Linux keeps a process's peak
    # RSS across fork and exec, so this one must stay small.
    rest = ["--runs", str(args.runs)] + (["--screenshot", args.screenshot] if args.screenshot else []) \
        + (["--stall-traces", args.stall_traces] if args.stall_traces else []) \
        + (["--dashboard-only"] if args.dashboard_only else [])
    with scratch_dir("dashboard-") as tmp:
        path = Path(args.project) if args.project else Path(args.keep or tmp / "dash.annotator")
        if not args.project:
            path.parent.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run([sys.executable, __file__, "--build-only", "--project", str(path),
                                   "--docs", str(args.docs)])
            if proc.returncode:
                return proc.returncode
        proc = subprocess.run([sys.executable, __file__, "--measure-only", "--project", str(path), *rest])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
