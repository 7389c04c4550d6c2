"""The whole commands on a generated corpus, as a user runs them: import, export, stats,
start-up; wall time, CPU time and peak memory of each command's own process.

    python bench/bench_scale.py                      # 100,000 documents, 2,000,000 spans, 3 runs
    python bench/bench_scale.py --docs 10000 --runs 5
    python bench/bench_scale.py --callgrind          # instruction counts instead (see below)

Each run makes a fresh project (`annotator init --empty`), imports the corpus
(`annotator import`), exports it (`annotator export` to stdout, redirected to a file:
with -o each line would also name the schema written beside it), and runs `annotator stats`;
every command is a new process, measured with wait4 (wall, user + system CPU, peak RSS
of that process alone). Then the export of one 1 MB document with 50,000 spans. Start-up
is `annotator --version` and `annotator stats` on a seeded project. The export must equal the corpus file byte for byte (the generator
writes the export format). Figures are medians over the runs.

--callgrind prints instruction counts (valgrind's Ir, the same on a busy machine and an
idle one) of `annotator import` and `annotator export` of a small corpus (--docs,
default 1,000 with --callgrind) and of the store's part of one edit (add, relabel and
delete a span in a seeded project, the difference between 10 cycles and none, divided
by 30). Compare them before and after a change: a change that makes them worse shows,
whatever the load of the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import gen_corpus
from _common import ROOT, result_line, scratch_dir

PY = sys.executable
TARGETS_100K = {"import": 30.0, "export": 6.0, "import_rss_mb": 250.0, "stats": 1.0}
TARGETS_10K = {"import": 3.0, "export": 0.6, "import_rss_mb": 200.0, "stats": 1.0}
STARTUP_TARGET_S = 0.150
BIG_EXPORT_TARGET_S = 0.3
EDIT_CYCLES = 10


def env() -> dict[str, str]:
    # Bytecode cached as an installed package has it: a shell with PYTHONDONTWRITEBYTECODE
    # would otherwise compile every changed module again in each measured command.
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def measured(args: list[str], stdout=subprocess.DEVNULL, environ: dict[str, str] | None = None,
             cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one command in its own process (`environ` and `cwd`:
    another checkout's, which `python -m` imports from its working folder first)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "annotator", *args], stdout=stdout, stderr=subprocess.PIPE,
                            env=environ or env(), cwd=cwd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"annotator {' '.join(args)} failed: {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def generated(big: bool = False, docs: int = 0) -> Path:
    """The corpus file (or the big document's), generated in a child process if missing:
    a process started later by this one would otherwise report this one's size as its
    peak memory (Linux counts the memory of the forked copy before exec in ru_maxrss)."""
    name = f"big_doc_7_v{gen_corpus.VERSION}.jsonl" if big else f"corpus_{docs}_20240601_v{gen_corpus.VERSION}.jsonl"
    path = gen_corpus.OUT / name
    if not path.is_file():
        subprocess.run([PY, str(Path(gen_corpus.__file__).resolve()), *(["--big"] if big else ["--docs", str(docs)])],
                       check=True)
    return path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def median3(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(r[i] for r in rows) for i in range(3))  # type: ignore[return-value]


def timings(docs: int, runs: int) -> int:
    corpus = generated(docs=docs)
    expected = sha256(corpus)
    targets = TARGETS_100K if docs >= 100_000 else TARGETS_10K if docs == 10_000 else {}
    print(f"corpus: {corpus.name}, {docs} documents, {docs * 20} spans, {corpus.stat().st_size / 1e6:.0f} MB; "
          f"{runs} run(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    figures: dict[str, list[tuple[float, float, float]]] = {"import": [], "export": [], "stats": []}
    identical = True
    with scratch_dir("scale-") as tmp:
        for run in range(runs):
            project, out = tmp / f"p{run}.annotator", tmp / f"export{run}.jsonl"
            measured(["init", "--empty", str(project)])
            figures["import"].append(measured(["import", str(project), str(corpus)]))
            with out.open("wb") as sink:
                figures["export"].append(measured(["export", str(project)], stdout=sink))
            figures["stats"].append(measured(["stats", str(project)]))
            identical &= sha256(out) == expected
            print(f"  run {run + 1}: import {figures['import'][-1][0]:.2f} s, export {figures['export'][-1][0]:.2f} s, "
                  f"stats {figures['stats'][-1][0]:.2f} s", flush=True)
            for leftover in (project, out):
                leftover.unlink(missing_ok=True)
        big, big_out = tmp / "big.annotator", tmp / "big.jsonl"  # one 1 MB document with 50,000 spans
        measured(["init", "--empty", str(big)])
        measured(["import", str(big), str(generated(big=True))])
        big_export = []
        for _ in range(max(runs, 5)):
            with big_out.open("wb") as sink:
                big_export.append(measured(["export", str(big)], stdout=sink))
        identical &= sha256(big_out) == sha256(generated(big=True))
        seeds = tmp / "seeds.annotator"
        measured(["init", str(seeds)])
        version = [measured(["--version"]) for _ in range(max(runs, 5))]
        seed_stats = [measured(["stats", str(seeds)]) for _ in range(max(runs, 5))]
    ok = identical
    for name, rows in figures.items():
        wall, cpu, rss = median3(rows)
        target = targets.get(name)
        met = target is None or wall <= target
        if name == "import" and "import_rss_mb" in targets:
            met = met and rss <= targets["import_rss_mb"]
        ok &= met
        print(f"{name}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB"
              + (f"  (target <= {target:g} s" + (f", <= {targets['import_rss_mb']:g} MB" if name == "import" else "")
                 + ")" if target else ""))
        print(result_line(f"scale_{name}", docs=docs, wall_s=f"{wall:.2f}", cpu_s=f"{cpu:.2f}", rss_mb=f"{rss:.0f}",
                          ok=met))
    wall, cpu, rss = median3(big_export)
    print(f"export of one 1 MB / 50,000-span document: wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB "
          f"(target <= {BIG_EXPORT_TARGET_S:g} s)")
    print(result_line("big_export", wall_s=f"{wall:.2f}", cpu_s=f"{cpu:.2f}", ok=wall <= BIG_EXPORT_TARGET_S))
    for name, rows in (("version", version), ("stats_seeds", seed_stats)):
        wall, cpu, rss = median3(rows)
        print(f"start-up, {name}: wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms, peak RSS {rss:.0f} MB "
              f"(target <= {STARTUP_TARGET_S * 1000:.0f} ms)")
        print(result_line(f"startup_{name}", wall_ms=f"{wall * 1000:.0f}", ok=wall <= STARTUP_TARGET_S))
    print(f"export == corpus file (and the big document's), every run: {'yes' if identical else 'NO'}")
    return 0 if identical else 1


# -- instruction counts ------------------------------------------------------------------

def instructions(args: list[str], out_dir: Path, name: str) -> int:
    """Instructions (callgrind's Ir) of `python args...`: its process and the processes it
    forks (an import's reading process), summed; programs it runs (exec) are not
    followed. A forked child starts with a copy of its parent's counts, so the counts
    are written and zeroed before each fork (a file per part and process)."""
    out = out_dir / f"callgrind.{name}"
    cmd = ["valgrind", "--tool=callgrind", "--dump-before=fork", f"--callgrind-out-file={out}.%p", PY, *args]
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(), text=True)
    if done.returncode != 0:
        raise SystemExit(f"valgrind {' '.join(args)} failed: {done.stderr[-2000:]}")
    total = 0
    files = sorted(out_dir.glob(f"{out.name}.*"))
    for file in files:
        found = re.search(r"^summary:\s+(\d+)", file.read_text(errors="replace"), re.M)
        if found is None:
            raise SystemExit(f"no summary line in {file}")
        total += int(found.group(1))
    if not files:
        raise SystemExit(f"no {out}.* written")
    return total


def edit_cycles(project: Path, cycles: int) -> None:
    """`cycles` times: add a span to the first seed document, relabel it, delete it."""
    sys.path.insert(0, str(ROOT))
    from annotator.store import queries, spans
    from annotator.store.project import Project

    with Project.open(project) as p:
        with p.read() as conn:
            doc = queries.list_documents(conn)[0]
            text = queries.document_text(conn, doc.id) or ""
        starts = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i].isalpha()][:cycles]
        for start in starts:
            end = text.index(" ", start)
            uid = spans.add_span(p, doc.id, "bench", start, end, "ORG").result.uid
            spans.relabel_span(p, uid, "PERSON")
            spans.delete_span(p, uid)


def callgrind(docs: int) -> int:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    corpus = generated(docs=docs)
    print(f"instruction counts (callgrind Ir), corpus of {docs} documents ({corpus.name})")
    with scratch_dir("callgrind-") as tmp:
        project, out = tmp / "p.annotator", tmp / "export.jsonl"
        measured(["init", "--empty", str(project)])
        ir_import = instructions(["-m", "annotator", "import", str(project), str(corpus)], tmp, "import")
        ir_export = instructions(["-m", "annotator", "export", str(project), "-o", str(out)], tmp, "export")
        seeds = tmp / "seeds.annotator"
        measured(["init", str(seeds)])
        me = [str(Path(__file__).resolve()), "--edit-cycles"]
        ir_none = instructions([*me, str(seeds), "0"], tmp, "edits0")
        ir_some = instructions([*me, str(seeds), str(EDIT_CYCLES)], tmp, "edits")
        ir_edit = (ir_some - ir_none) // (3 * EDIT_CYCLES)
        ir_version = instructions(["-m", "annotator", "--version"], tmp, "version")
    for name, ir in (("import", ir_import), ("export", ir_export), ("one edit (store)", ir_edit),
                     ("start-up (--version)", ir_version)):
        print(f"{name}: {ir:,} instructions")
    print(result_line("callgrind", docs=docs, import_ir=ir_import, export_ir=ir_export, edit_ir=ir_edit,
                      version_ir=ir_version))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, help="documents in the corpus (default 100,000; 1,000 with --callgrind)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the median is printed")
    parser.add_argument("--callgrind", action="store_true", help="print instruction counts instead of times")
    parser.add_argument("--edit-cycles", nargs=2, metavar=("PROJECT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.edit_cycles:
        edit_cycles(Path(args.edit_cycles[0]), int(args.edit_cycles[1]))
        return 0
    if args.callgrind:
        return callgrind(args.docs or 1000)
    return timings(args.docs or 100_000, args.runs)


if __name__ == "__main__":
    sys.exit(main())
