"""Helpers shared by the benchmarks: timing, peak memory, scratch projects."""

from __future__ import annotations

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
    """Wall time (`seconds`) and this process's CPU time (`cpu`, which a loaded machine
    does not stretch) of a block."""

    def __init__(self) -> None:
        self.seconds = self.cpu = 0.0

    def __enter__(self) -> Timer:
        self._t0, self._c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._c0


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
