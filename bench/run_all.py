"""Runs every benchmark (bench/bench_*.py), each in its own process (so peak RSS is per benchmark), and prints
their output and a summary table. Results are printed, not asserted: the exit status is 1
only if a benchmark fails to run or a round-trip check fails.

    python bench/run_all.py            # what `make bench` runs
    python bench/run_all.py --quick    # 1,000 documents instead of 10,000 (CoNLL: 10,000 sentences)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def run(script: str, *args: str) -> tuple[int, list[dict]]:
    print(f"== {script} {' '.join(args)}".rstrip(), flush=True)
    # A benchmark can report figures for the summary table with lines
    # `RESULT name key=value ...` (keys `target` and `ok=True|False` are shown as such).
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True)
    results = []
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            name, *pairs = line.split()[1:]
            results.append({"name": name, **dict(p.split("=", 1) for p in pairs)})
        else:
            print("   " + line)
    if proc.stderr.strip():
        print("   " + proc.stderr.strip().replace("\n", "\n   "))
    print(f"   ({time.perf_counter() - t0:.0f} s, exit status {proc.returncode})", flush=True)
    return proc.returncode, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents instead of 10,000")
    args = parser.parse_args(argv)

    docs = "1000" if args.quick else "10000"
    print("preparing the corpora (cached in bench/out/)...", flush=True)
    sys.path.insert(0, str(BENCH))
    import gen_corpus

    t0 = time.perf_counter()
    gen_corpus.corpus_path(int(docs))
    gen_corpus.big_path()
    print(f"   ({time.perf_counter() - t0:.0f} s)", flush=True)

    status = 0
    rows = []
    formats = ("--sentences", "10000", "--brat-docs", "1000", "--runs", "3") if args.quick else ()
    known = {"bench_import_export.py": ("--docs", docs), "bench_store.py": (), "bench_formats.py": formats,
             "bench_scale.py": ("--docs", docs, "--runs", "5"),  # 100,000 documents: run it by hand
             "bench_gui_scale.py": ("--docs", docs, "--runs", "3")}  # the same
    others = sorted(p.name for p in BENCH.glob("bench_*.py") if p.name not in known)
    for script in list(known) + others:
        rc, results = run(script, *known.get(script, ()))
        status |= rc != 0
        if rc != 0 and not results:
            rows.append((script, "FAILED", "", "", ""))
        for r in results:
            if r["name"] == "import":
                rows.append((f"import {docs} docs, {int(docs) * 20} spans", f"{r['seconds']} s",
                             f"{r['docs_s']} docs/s, {r['spans_s']} spans/s", r["target"], _ok(r)))
            elif r["name"] == "export":
                rows.append((f"export {docs} docs, {int(docs) * 20} spans", f"{r['seconds']} s",
                             f"{r['docs_s']} docs/s, {r['spans_s']} spans/s", r["target"], _ok(r)))
            elif r["name"] == "round_trip":
                rows.append(("export == input; re-import + export identical", "", "", "identical", _ok(r)))
            elif r["name"] == "big_import":
                rows.append((f"import 1 MB document, {r['spans']} spans", f"{r['seconds']} s", "", "", ""))
            elif r["name"] == "layer_spans":
                rows.append(("layer_spans, 50,000 spans (median)", f"{r['median_ms']} ms",
                             f"min {r['min_ms']} / max {r['max_ms']} ms", r["target"], _ok(r)))
            elif r["name"] in ("conll_import", "brat_import"):
                rows.append((f"{r['name'].replace('_', ' ')} (vs gold JSONL of the same content)",
                             f"{r['wall_s']} s wall, {r['cpu_s']} s CPU",
                             f"{r['ratio']}x wall, {r['cpu_ratio']}x CPU", r["target"], _ok(r)))
            elif r["name"] in ("conll_export", "brat_export"):
                rows.append((r["name"].replace("_", " "), f"{r['wall_s']} s wall, {r['cpu_s']} s CPU",
                             f"{r['ratio']}x gold JSONL's", "", ""))
            else:  # a benchmark this table does not know: its figures as they are
                figures = {k: v for k, v in r.items() if k not in ("name", "target", "ok")}
                rows.append((r["name"], " ".join(f"{k}={v}" for k, v in figures.items()), "", r.get("target", ""),
                             _ok(r) if "ok" in r else ""))

    print()
    header = ("benchmark", "result", "rate / spread", "target", "met")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths)] + rows:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
    return status


def _ok(r: dict) -> str:
    return "yes" if r.get("ok") == "True" else "NO"


if __name__ == "__main__":
    sys.exit(main())
