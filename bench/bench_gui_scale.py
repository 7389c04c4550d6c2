"""The app on a corpus of 100,000 documents (issue 18, "ten times the corpus"): launch to
a usable window, the navigator (scroll, filter, sort), corpus search, and labelling every
occurrence of a word in the corpus.

    python bench/bench_gui_scale.py                    # 100,000 documents, 5 runs
    python bench/bench_gui_scale.py --docs 10000 --runs 3
    python bench/bench_gui_scale.py --project P        # a project built before (--keep P)

The project is gen_corpus's corpus (2 KB and 20 spans a document, annotator "bench")
imported with `annotator import`; it is built once into bench/out and reused (an import
of 100,000 documents takes minutes). Every navigator step runs on the GUI thread, so its
wall time is the pause the user sees: each is timed from the call to the end of the
event loop's work (the repaint included). Launch is a fresh `annotator gui` process, from
exec to the window shown (ANNOTATOR_EXIT_WHEN_SHOWN), with its CPU time from wait4.
Figures are medians over the runs (the worst of the steps within a run, for scrolling).
Run with QT_QPA_PLATFORM=offscreen (default) or under Xvfb with xcb.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gen_corpus
from _common import OUT, ROOT, result_line

PY = sys.executable
ANNOTATOR = "bench"
SEARCHES = (("Bengali", "রাস্তার"), ("Latin, accents folded", "stabilite regionale"), ("a name, without its diacritic", "Geoana"),
            # common words never side by side in the corpus: every document a candidate, no hit
            ("no hit, common words", "regionale stabilite"))
TARGETS_MS = {"launch": 1000, "pause": 50, "search": 100, "label_all": 3000}


def env() -> dict[str, str]:
    # Bytecode cached as an installed package has it: a shell with PYTHONDONTWRITEBYTECODE
    # would otherwise compile every changed module again in each measured command.
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def build(path: Path, n_docs: int) -> None:
    corpus = gen_corpus.corpus_path(n_docs)
    subprocess.run([PY, "-m", "annotator", "init", "--empty", str(path)], check=True, env=env())
    subprocess.run([PY, "-m", "annotator", "import", str(path), str(corpus)], check=True, env=env(),
                   stdout=subprocess.DEVNULL)


def launch(project: Path) -> tuple[float, float]:
    """(wall ms from exec to the window shown, CPU ms of the process)."""
    e = dict(env(), ANNOTATOR_EXIT_WHEN_SHOWN="1", ANNOTATOR_DATA_DIR=str(OUT / "gui-scale-data"))
    t0 = time.time()
    proc = subprocess.Popen([PY, "-m", "annotator", "gui", str(project), "--annotator", ANNOTATOR],
                            env=e, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    shown = float(next(line for line in out.splitlines() if line.startswith("shown")).split()[1])
    return (shown - t0) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


CPU: dict[str, float] = {}  # CPU ms of the last step timed under each name


def timed(app, fn, name: str = "") -> float:
    """ms of `fn` and of the event loop's work after it (what the user waits for); its
    CPU time, which a loaded machine does not stretch, goes to CPU[name]."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    app.processEvents()
    CPU[name] = (time.process_time() - c0) * 1000
    return (time.perf_counter() - t0) * 1000


def wait_for(app, busy) -> tuple[float, float]:
    """Spin the event loop while `busy()` (a worker thread reads): (ms until it is done,
    the longest ms one turn of the loop took meanwhile: the GUI thread's worst pause)."""
    t0 = last = time.perf_counter()
    worst = 0.0
    while busy():
        app.processEvents()
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    return (time.perf_counter() - t0) * 1000, worst * 1000


def navigator_run(app, project_path: Path) -> dict[str, float]:
    from PySide6.QtCore import Qt

    from annotator.store.project import Project
    from annotator.ui.app.document_list import LANG, SPANS, STATUS, TITLE
    from annotator.ui.app.main_window import MainWindow

    out: dict[str, float] = {}
    project = Project.open(project_path)
    t0, c0 = time.perf_counter(), time.process_time()
    window = MainWindow(project, ANNOTATOR)
    window.resize(1360, 820)
    window.show()
    app.processEvents()
    out["window (in process)"] = (time.perf_counter() - t0) * 1000
    out["window CPU (in process)"] = (time.process_time() - c0) * 1000
    nav = window.navigator
    table, bar = nav.table, nav.table.verticalScrollBar()
    # Scrolling: a page at a time through the first pages, then jumps across the list.
    steps, cpus = [], []
    for f in [None] * 20 + [0.25, 0.5, 0.75, 1.0, 0.1]:  # a page at a time, then jumps
        steps.append(timed(app, lambda f=f: bar.setValue(bar.value() + bar.pageStep() if f is None
                                                          else int(bar.maximum() * f)), "scroll"))
        cpus.append(CPU["scroll"])
    out["scroll, worst step"], CPU["scroll, worst step"] = max(steps), max(cpus)

    def step(name: str, fn) -> None:
        out[name] = timed(app, fn, name)

    step("filter: language", lambda: nav.language.setCurrentIndex(nav.language.findData("vi")))
    step("filter: status", lambda: nav.status.setCurrentIndex(nav.status.findData("in_progress")))
    step("filter: cleared", nav.clear_filters)
    for col, name in ((TITLE, "title"), (LANG, "language"), (STATUS, "status"), (SPANS, "spans")):
        step(f"sort: {name}", lambda c=col: table.sortByColumn(c, Qt.SortOrder.DescendingOrder))
        if getattr(nav.proxy, "sorting", lambda: False)():  # read in the background: the wait until the rows are in order
            waited, worst = wait_for(app, nav.proxy.sorting)
            out[f"sort: {name}: rows in order after"] = waited + out[f"sort: {name}"]
            out[f"sort: {name}: worst pause meanwhile"] = worst
    step("sort: back to import order", lambda: table.sortByColumn(-1, Qt.SortOrder.AscendingOrder))
    for name, query in SEARCHES:
        def search(q=query):
            nav.search.setText(q)
            nav._run_search()  # what the debounce timer calls once typing pauses
        step(f"search: {name}", search)
        out[f"search: {name}: first hits"] = nav.proxy.rowCount()
        waited, worst = wait_for(app, getattr(nav, "searching", lambda: False))
        out[f"search: {name}: all hits after"] = waited + out[f"search: {name}"]
        out[f"search: {name}: worst pause meanwhile"] = worst
        out[f"search: {name}: hits"] = nav.proxy.rowCount()
    timed(app, nav.clear_filters)
    window.close()
    project.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, help="measure this project instead of the generated one")
    parser.add_argument("--keep", type=Path, help="build the project here (reused when it exists)")
    parser.add_argument("--no-launch", action="store_true", help="skip the launch measurements")
    args = parser.parse_args(argv)
    path = args.project or args.keep or OUT / f"gui_scale_{args.docs}_v{gen_corpus.VERSION}.annotator"
    if not path.exists():
        t0 = time.perf_counter()
        build(path, args.docs)
        print(f"built {path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    os.environ["ANNOTATOR_DATA_DIR"] = str(OUT / "gui-scale-data")
    print(f"project: {path}; load average at start: {os.getloadavg()[0]:.1f}")

    if not args.no_launch:
        launches = [launch(path) for _ in range(args.runs)]
        wall = statistics.median(w for w, _c in launches)
        cpu = statistics.median(c for _w, c in launches)
        print(f"launch to usable window: median {wall:6.0f} ms wall, {cpu:6.0f} ms CPU "
              f"(target <= {TARGETS_MS['launch']} ms; runs {', '.join(f'{w:.0f}' for w, _c in launches)})")
        print(result_line("gui_scale_launch", wall_ms=f"{wall:.0f}", cpu_ms=f"{cpu:.0f}"))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    runs, cpu_runs = [], []
    for _ in range(args.runs):
        runs.append(navigator_run(app, path))
        cpu_runs.append(dict(CPU))
    for key in runs[0]:
        values = [r[key] for r in runs]
        if key.endswith("hits"):
            print(f"  {key:<46} {int(values[0]):>8,}")
            continue
        if key.endswith(("after", "meanwhile")):  # in the background: the GUI thread is free meanwhile
            print(f"  {key:<46} median {statistics.median(values):7.1f} ms")
            continue
        target = TARGETS_MS["search"] if key.startswith("search") else (
            TARGETS_MS["pause"] if not key.startswith("window") else None)
        note = f"  (target <= {target} ms)" if target else ""
        cpu = [c[key] for c in cpu_runs if key in c]
        cpu_note = f", CPU median {statistics.median(cpu):7.1f} ms" if cpu else ""
        print(f"{key:<48} median {statistics.median(values):7.1f} ms, max {max(values):7.1f} ms{cpu_note}{note}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
