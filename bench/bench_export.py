"""`annotator export` of gold JSONL from several checkouts, alternating, on projects
imported once: the 10,000-document corpus and the 1 MB / 50,000-span document (both
written by gen_corpus.py, which writes the export format, so every export must equal its
corpus file byte for byte).

    python bench/bench_export.py [--runs N] [--docs N] [--keep DIR] [SOURCE ...]

Each SOURCE is a checkout (default: this one), e.g. a `git worktree add --detach /tmp/old
<commit>`; the runs alternate between the sources so each pair sees the same load. Wall
and CPU time (user + system, from wait4) of each `annotator export` process, medians, the
load average before and after. --keep DIR keeps the imported projects there for later
runs (importing 10,000 documents takes a while on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from _common import ROOT, print_alternating, scratch_dir
from bench_scale import generated, measured, sha256
from bench_startup import child_env


def export_once(source: Path, project: Path, out: Path, data: Path) -> tuple[float, float]:
    """(wall s, CPU s) of `annotator export PROJECT > OUT` run from `source`."""
    with out.open("wb") as sink:
        wall, cpu, _rss = measured(["export", str(project)], stdout=sink, environ=child_env(source, data), cwd=source)
    return wall, cpu


def imported(folder: Path, name: str, corpus: Path, data: Path) -> Path:
    project = folder / f"{name}.annotator"
    if not project.exists():
        env = child_env(ROOT, data)
        for args in (["init", "--empty", str(project)], ["import", str(project), str(corpus)]):
            subprocess.run([sys.executable, "-m", "annotator", *args], check=True, env=env, capture_output=True)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="import into (and reuse) this folder's projects")
    parser.add_argument("sources", nargs="*", type=Path)
    args = parser.parse_args(argv)
    sources = [s.resolve() for s in args.sources] or [ROOT]
    with scratch_dir("export-") as tmp:
        folder = args.keep or tmp
        folder.mkdir(parents=True, exist_ok=True)
        corpora = {f"{args.docs} documents": generated(docs=args.docs), "1 MB document": generated(big=True)}
        cases = {name: (imported(folder, f"export-{i}-{args.docs if i == 0 else 'big'}", corpus, tmp / "data"),
                        sha256(corpus)) for i, (name, corpus) in enumerate(corpora.items())}
        for source in sources:  # warm-up: bytecode and the page cache
            for project, _sha in cases.values():
                export_once(source, project, tmp / "out.jsonl", tmp / "data")
        load_before = os.getloadavg()
        figures: dict[tuple[Path, str], list[tuple[float, float]]] = {}
        identical = True
        for _ in range(args.runs):
            for source in sources:
                for name, (project, expected) in cases.items():
                    figures.setdefault((source, f"export of {name}"), []).append(
                        export_once(source, project, tmp / "out.jsonl", tmp / "data"))
                    identical &= sha256(tmp / "out.jsonl") == expected
        load_after = os.getloadavg()
    print_alternating(figures, args.runs, load_before, load_after, unit="s")
    print(f"every export == its corpus file: {'yes' if identical else 'NO'}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
