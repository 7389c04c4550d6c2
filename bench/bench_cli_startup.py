"""Command start-up from source: `annotator --version` and `annotator stats` on a seeded
project, each a fresh process, wall and CPU time (of the child, from rusage).

    python bench/bench_cli_startup.py [--runs N] [--project P ...] [SOURCE ...]

Each SOURCE is a checkout (default: this one), e.g. a `git worktree add /tmp/old <commit>`;
runs alternate between the sources so each pair sees the same load. Prints medians, the
runs and the load average before and after. `--project P` also times `annotator stats P`
(e.g. a 100,000-document project; every checkout reads the same file, which stats leaves
as it was).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import print_alternating, scratch_dir
from bench_startup import checkouts_to_compare, child_env, cpu_of_children, seeded_projects


def run(source: Path, data: Path, args: list[str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one `python -m annotator ARGS` process."""
    cpu0, t0 = cpu_of_children(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args], env=child_env(source, data), check=True,
                   capture_output=True, cwd=source)
    return (time.perf_counter() - t0) * 1000, (cpu_of_children() - cpu0) * 1000


def main(argv: list[str] | None = None) -> int:
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--project", type=Path, action="append", default=[])
    more, argv = extra.parse_known_args(argv)
    n_runs, sources = checkouts_to_compare(argv, __doc__.splitlines()[0])
    with scratch_dir("cli-startup-") as tmp:
        setups = []
        for source, project, data in seeded_projects(tmp, sources):
            commands = {"--version": ["--version"], "stats (seeds)": ["stats", str(project)]}
            commands.update({f"stats ({p.name})": ["stats", str(p.resolve())] for p in more.project})
            for command in commands.values():
                run(source, data, command)  # warm-up: bytecode and the page cache
            setups.append((source, data, commands))
        load_before = os.getloadavg()
        figures: dict[tuple[Path, str], list[tuple[float, float]]] = {}
        for _ in range(n_runs):
            for source, data, commands in setups:
                for name, command in commands.items():
                    figures.setdefault((source, name), []).append(run(source, data, command))
        load_after = os.getloadavg()
    print_alternating(figures, n_runs, load_before, load_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
