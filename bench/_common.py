"""Helpers shared by the benchmarks: timing, peak memory, scratch projects."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/x.py` from anywhere
    sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

OUT = BENCH / "out"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Timer:
    """Wall time (`seconds`), this process's CPU time (`cpu`, all its threads: what a
    loaded shared machine disturbs less) and the calling thread's alone (`thread_cpu`: a
    worker thread's CPU counts in `cpu`, not here)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0
        self.thread_cpu = 0.0

    def __enter__(self) -> Timer:
        self._t0, self._c0, self._tc0 = time.perf_counter(), time.process_time(), time.thread_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._c0
        self.thread_cpu = time.thread_time() - self._tc0


def median_ms(fn, runs: int, warmup: int = 1) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds of `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), max(times)


@contextmanager
def scratch_dir(prefix: str):
    OUT.mkdir(parents=True, exist_ok=True)
    d = Path(tempfile.mkdtemp(prefix=prefix, dir=OUT))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def result_line(name: str, **figures) -> str:
    """A machine-readable line for run_all.py: `RESULT name key=value ...`."""
    return "RESULT " + name + " " + " ".join(f"{k}={v}" for k, v in figures.items())


def print_alternating(figures: dict[tuple[Path, str], list[tuple[float, float]]], runs: int,
                      load_before: tuple[float, ...], load_after: tuple[float, ...], unit: str = "ms") -> None:
    """The medians of runs that alternated between checkouts: {(source, what): [(wall, CPU)]},
    figures in `unit` (ms or s), with the load average before and after."""
    print(f"{runs} runs per source, alternating; load average (1, 5, 15 min) before "
          f"{' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in load_after)}; "
          f"{os.cpu_count()} cores")
    digits = 0 if unit == "ms" else 2
    for (source, name), rows in figures.items():
        wall, cpu = [w for w, _ in rows], [c for _, c in rows]
        print(f"{source}: annotator {name}: wall median {statistics.median(wall):.{digits}f} {unit}, CPU median "
              f"{statistics.median(cpu):.{digits}f} {unit} (wall runs {', '.join(f'{w:.{digits}f}' for w in wall)}; "
              f"CPU runs {', '.join(f'{c:.{digits}f}' for c in cpu)})")
