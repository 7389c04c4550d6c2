"""Launch to a usable window, measured from source: a fresh `python -m annotator gui`
process on a seeded project, from exec to the main window shown (`ANNOTATOR_EXIT_WHEN_SHOWN`).

    python bench/bench_startup.py [--runs N] [--project P] [--bundle DIR ...] [SOURCE ...]

Each SOURCE is a checkout (default: this one), e.g. a `git worktree add /tmp/old <commit>`
of an earlier state. Runs alternate between the sources (A B A B ...), so each pair sees
the same load on a shared machine; each source gets its own seeded project, made by its
own code, and its own scratch data directory. Prints the median, the runs and the load
average before and after. `--project P` launches every source on that project instead
(e.g. the 100,000-document one; a copy: the window opens it for writing).
`--bundle DIR` launches a built bundle too (`annotator-gui gui P` of the folder
`packaging/build.py` made, e.g. dist/annotator), alternating with the sources, on the
project of the first source.
`--callgrind` prints instead, for each source, the instructions (valgrind's Ir, the same
on a busy machine and an idle one) of one launch from exec to the window shown, when the
process ends at once (PYTHONHASHSEED=0; the launch's own import order kept).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, scratch_dir

MAKE_PROJECT = ("import sys; from annotator.store.project import Project; from annotator.importer import seed\n"
                "p = Project.create(sys.argv[1]); seed(p); p.close()")


# The launch as `annotator gui P --annotator b` runs it, ended by os._exit the moment
# Session.show_project has shown the window (nothing after it counted: closing, the
# recommenders' training). The probe on the session is set once the launch has imported
# what it imports before Qt, so that it imports Qt no earlier than the launch does.
TO_SHOWN = """
import os, sys
from annotator.cli import main
from annotator.ui.app import launch

before_qt = launch.import_before_qt


def import_before_qt():
    before_qt()
    from annotator.ui.app import session

    made = session.Session.show_project

    def show_project(self, project, annotator=None):
        made(self, project, annotator)
        os._exit(0)

    session.Session.show_project = show_project


launch.import_before_qt = import_before_qt
main(["gui", sys.argv[1], "--annotator", "b"])
"""


def instructions_to_shown(source: Path, project: Path, data: Path, out: Path) -> int:
    """Instructions (callgrind's Ir) of one launch of `source` to its window shown."""
    env = child_env(source, data, PYTHONHASHSEED="0")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                           "-c", TO_SHOWN, str(project)], env=env, cwd=source, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    found = re.search(r"^summary:\s+(\d+)", out.read_text(errors="replace"), re.M) if out.exists() else None
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{source}: valgrind's launch failed: {done.stderr[-2000:]}")
    return int(found.group(1))


def child_env(source: Path, data: Path, **more: str) -> dict[str, str]:
    # Bytecode cached as an installed package has it (the warm-up writes it): a shell
    # with PYTHONDONTWRITEBYTECODE would otherwise compile every module on each launch.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPATH": str(source), "ANNOTATOR_DATA_DIR": str(data)} | more


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def launch(source: Path, project: Path, data: Path, cpu: list[float] | None = None,
           main_cpu: list[float] | None = None) -> float:
    """Milliseconds from exec to the window shown; the process's CPU time to that moment
    (all its threads, from /proc) appended to `cpu`: the figure a loaded machine disturbs
    less. The process is then killed: closing the window waits for work its threads
    began (on 100,000 documents the recommenders' training, minutes), which is not launch."""
    env = child_env(source, data, ANNOTATOR_EXIT_WHEN_SHOWN="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [sys.executable, "-m", "annotator"]
    if is_bundle(source):  # the frozen app: its own Python and modules, none from PYTHONPATH
        env.pop("PYTHONPATH")
        command = [str(source / "annotator-gui")]
    t0 = time.time()
    proc = subprocess.Popen([*command, "gui", str(project), "--annotator", "b"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=source)
    assert proc.stdout is not None
    try:
        shown_line = next((line for line in proc.stdout if line.startswith("shown")), None)
        used = cpu_of_process(proc.pid)
        used_main = cpu_of_process(proc.pid, thread=proc.pid)
    finally:
        proc.kill()
        proc.wait()
    if shown_line is None:
        raise RuntimeError(f"{source}: the window was never shown (exit status {proc.returncode})")
    if cpu is not None:
        cpu.append(used * 1000)
    if main_cpu is not None:
        main_cpu.append(used_main * 1000)
    return (float(shown_line.split()[1]) - t0) * 1000


def is_bundle(source: Path) -> bool:
    """Whether `source` is a built bundle's folder rather than a checkout."""
    return (source / "annotator-gui").is_file() or (source / "annotator-gui.exe").is_file()


def cpu_of_process(pid: int, thread: int | None = None) -> float:
    """User + system seconds of a running process, all its threads (Linux /proc); of one
    of them with `thread` (the window's: the process id)."""
    stat = f"/proc/{pid}/task/{thread}/stat" if thread is not None else f"/proc/{pid}/stat"
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    extra.add_argument("--bundle", type=Path, action="append", default=[])
    extra.add_argument("--callgrind", action="store_true")
    more, argv = extra.parse_known_args(argv)
    n_runs, sources = checkouts_to_compare(argv, __doc__.splitlines()[0])
    bundles = [b.resolve() for b in more.bundle]
    for bundle in bundles:
        if not is_bundle(bundle):
            raise SystemExit(f"{bundle}: no annotator-gui in this folder (build one: python packaging/build.py)")
    with scratch_dir("startup-") as tmp:
        setups = []
        projects = ([(s, more.project.resolve(), tmp / f"data-{i}") for i, s in enumerate(sources)] if more.project
                    else seeded_projects(tmp, sources))
        # A bundle opens the first source's project (launches follow one another, never at once).
        projects += [(bundle, projects[0][1], tmp / f"data-bundle-{i}") for i, bundle in enumerate(bundles)]
        if more.callgrind:  # the sources only: a bundle cannot run the probe
            for i, (source, project, data) in enumerate(projects[:len(sources)]):
                launch(source, project, data)  # warm-up: bytecode, the first start's settings
                ir = instructions_to_shown(source, project, data, tmp / f"callgrind.{i}")
                print(f"{source}: instructions to the window shown (callgrind Ir, PYTHONHASHSEED=0) {ir:,}")
            return 0
        sources = sources + bundles
        for source, project, data in projects:
            launch(source, project, data)  # warm-up: the page cache, the first start's settings
            setups.append((source, project, data))
        load_before = os.getloadavg()
        times: dict[Path, list[float]] = {s: [] for s in sources}
        cpu: dict[Path, list[float]] = {s: [] for s in sources}
        main_cpu: dict[Path, list[float]] = {s: [] for s in sources}
        for _ in range(n_runs):
            for source, project, data in setups:
                times[source].append(launch(source, project, data, cpu[source], main_cpu[source]))
        load_after = os.getloadavg()
    print(f"bytecode cached; {n_runs} runs per source, alternating; ", end="")
    print(f"load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} cores; "
          f"platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    for source, runs in times.items():
        print(f"{source}: startup to usable window median {statistics.median(runs):.0f} ms "
              f"(runs {', '.join(f'{t:.0f}' for t in runs)}); CPU time of the process median "
              f"{statistics.median(cpu[source]):.0f} ms (runs {', '.join(f'{t:.0f}' for t in cpu[source])}), "
              f"of its window's thread {statistics.median(main_cpu[source]):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
