"""Launch to a usable window, measured from source: a fresh `python -m annotator gui`
process on a seeded project, from exec to the main window shown (`ANNOTATOR_EXIT_WHEN_SHOWN`).

    python bench/bench_startup.py [--runs N] [--project P] [SOURCE ...]

Each SOURCE is a checkout (default: this one), e.g. a `git worktree add /tmp/old <commit>`
of an earlier state. Runs alternate between the sources (A B A B ...), so each pair sees
the same load on a shared machine; each source gets its own seeded project, made by its
own code, and its own scratch data directory. Prints the median, the runs and the load
average before and after. `--project P` launches every source on that project instead
(e.g. the 100,000-document one; a copy: the window opens it for writing).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, scratch_dir

MAKE_PROJECT = ("import sys; from annotator.store.project import Project; from annotator.importer import seed\n"
                "p = Project.create(sys.argv[1]); seed(p); p.close()")


def child_env(source: Path, data: Path, **more: str) -> dict[str, str]:
    # Bytecode cached as an installed package has it (the warm-up writes it): a shell
    # with PYTHONDONTWRITEBYTECODE would otherwise compile every module on each launch.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPATH": str(source), "ANNOTATOR_DATA_DIR": str(data)} | more


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def launch(source: Path, project: Path, data: Path, cpu: list[float] | None = None) -> float:
    """Milliseconds from exec to the window shown; the process's CPU time (to its exit,
    which follows at once) appended to `cpu`: the figure a loaded machine disturbs less."""
    env = child_env(source, data, ANNOTATOR_EXIT_WHEN_SHOWN="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    cpu0 = cpu_of_children()
    t0 = time.time()
    out = subprocess.run([sys.executable, "-m", "annotator", "gui", str(project), "--annotator", "b"],
                         env=env, capture_output=True, text=True, check=True, cwd=source).stdout
    shown = float(next(line for line in out.splitlines() if line.startswith("shown")).split()[1])
    if cpu is not None:
        cpu.append((cpu_of_children() - cpu0) * 1000)
    return (shown - t0) * 1000


def checkouts_to_compare(argv: list[str] | None, description: str) -> tuple[int, list[Path]]:
    """--runs and the checkouts (default: this one) of a start-up benchmark."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("sources", nargs="*", type=Path)
    args = parser.parse_args(argv)
    return args.runs, [s.resolve() for s in args.sources] or [ROOT]


def seeded_projects(tmp: Path, sources: list[Path]) -> list[tuple[Path, Path, Path]]:
    """(checkout, seeded project, data folder) for each checkout, each project made by its own code."""
    out = []
    for i, source in enumerate(sources):
        project, data = tmp / f"seeds-{i}.annotator", tmp / f"data-{i}"
        subprocess.run([sys.executable, "-c", MAKE_PROJECT, str(project)], check=True, cwd=source,
                       env=child_env(source, data))
        out.append((source, project, data))
    return out


def main(argv: list[str] | None = None) -> int:
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--project", type=Path)
    more, argv = extra.parse_known_args(argv)
    n_runs, sources = checkouts_to_compare(argv, __doc__.splitlines()[0])
    with scratch_dir("startup-") as tmp:
        setups = []
        projects = ([(s, more.project.resolve(), tmp / f"data-{i}") for i, s in enumerate(sources)] if more.project
                    else seeded_projects(tmp, sources))
        for source, project, data in projects:
            launch(source, project, data)  # warm-up: the page cache, the first start's settings
            setups.append((source, project, data))
        load_before = os.getloadavg()
        times: dict[Path, list[float]] = {s: [] for s in sources}
        cpu: dict[Path, list[float]] = {s: [] for s in sources}
        for _ in range(n_runs):
            for source, project, data in setups:
                times[source].append(launch(source, project, data, cpu[source]))
        load_after = os.getloadavg()
    print(f"bytecode cached; {n_runs} runs per source, alternating; ", end="")
    print(f"load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} cores; "
          f"platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    for source, runs in times.items():
        print(f"{source}: startup to usable window median {statistics.median(runs):.0f} ms "
              f"(runs {', '.join(f'{t:.0f}' for t in runs)}); CPU time of the process median "
              f"{statistics.median(cpu[source]):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
