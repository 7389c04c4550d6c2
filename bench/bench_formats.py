"""Import and export of CoNLL (100,000 sentences) and brat (10,000 documents), against the
gold JSONL import and export of the same content.

    python bench/bench_formats.py [--runs 5] [--sentences 100000] [--brat-docs 10000]
                                  [--wikiann FOLDER]

CoNLL: generated sentences (IOB2, the default schema's labels), or with --wikiann the
sentences of FOLDER/<lang>/train read where they are (WikiANN, `xx:` token prefixes, the
first --sentences of them); 10 sentences make a document (--sentences-per-document).
brat: a folder of --brat-docs .txt/.ann pairs generated in a scratch folder. For each,
the format's import into a fresh project, its export (the writer the CLI calls), then the
gold JSONL export of that project imported into a fresh project and exported again: the
same documents and spans. Wall and CPU time (this process), median of --runs runs; the
target is a format's import within 2x of the gold JSONL import.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import result_line, scratch_dir  # also puts the checkout on sys.path

from annotator.core import langid
from annotator.formats import brat, conll, gold_jsonl, registry
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records

TARGET_RATIO = 2.0
_WORDS = ("the minister said on talks would resume after a meeting with officials in the capital where "
          "delegates from several countries discussed security trade and the budget for next year while "
          "protesters gathered outside the building and police closed two roads near the station").split()
_NAMES = {"PERSON": ["Ana Ruiz", "Mircea Geoană", "John Smith", "Nguyễn Văn An", "Marie Dubois"],
          "ORG": ["NATO", "European Union", "United Nations", "World Bank", "KFOR"],
          "DATE": ["13 June 2023", "Monday", "9 January", "last week"],
          "FIGURE": ["4,000", "two million", "37 percent"]}


def _sentence(rng: random.Random) -> list[tuple[str, str]]:
    """(token, IOB2 tag) pairs: words with two or three entities among them."""
    out: list[tuple[str, str]] = []
    for _ in range(rng.randint(2, 3)):
        out.extend((w, "O") for w in rng.sample(_WORDS, rng.randint(3, 7)))
        label = rng.choice(list(_NAMES))
        for i, tok in enumerate(rng.choice(_NAMES[label]).split()):
            out.append((tok, f"{'B' if i == 0 else 'I'}-{label}"))
    out.append((".", "O"))
    return out


def generated_conll(path: Path, sentences: int) -> None:
    rng = random.Random(13)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(sentences):
            out.write("".join(f"{tok}\t{tag}\n" for tok, tag in _sentence(rng)) + "\n")


def wikiann_conll(path: Path, folder: Path, sentences: int) -> None:
    """The first `sentences` sentences of FOLDER/<lang>/train, language after language."""
    left = sentences
    with path.open("w", encoding="utf-8") as out:
        for train in sorted(folder.glob("*/train")):
            block: list[str] = []
            for line in train.open(encoding="utf-8"):
                if line.strip():
                    block.append(line)
                    continue
                if block:
                    out.write("".join(block) + "\n")
                    block = []
                    left -= 1
                    if left == 0:
                        return
    if left:
        raise SystemExit(f"{folder}: only {sentences - left} sentences, {sentences} asked")


def generated_brat(folder: Path, docs: int) -> None:
    rng = random.Random(17)
    folder.mkdir()
    for n in range(docs):
        text, ann = "", []
        for _ in range(5):
            for tok, tag in _sentence(rng):
                if text and tok != ".":
                    text += " "
                if tag.startswith("B-"):
                    ann.append([tag[2:], len(text), len(text) + len(tok)])
                elif tag.startswith("I-"):
                    ann[-1][2] = len(text) + len(tok)
                text += tok
            text += "\n"
        lines = [f"T{i}\t{label} {s} {e}\t{text[s:e]}\n" for i, (label, s, e) in enumerate(ann, 1)]
        (folder / f"doc{n:05d}.txt").write_text(text, encoding="utf-8")
        (folder / f"doc{n:05d}.ann").write_text("".join(lines), encoding="utf-8")


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def measure(tmp: Path, name: str, source: Path, fmt: str, options: dict, runs: int,
            write: Callable[[Project, Path], object]) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) of the format's import and export and of the gold JSONL import
    and export of the same content."""
    figures: dict[str, list[tuple[float, float]]] = {k: [] for k in ("import", "export", "jsonl import",
                                                                     "jsonl export")}
    gold = tmp / f"{name}.jsonl"
    for run in range(runs):
        path = tmp / f"{name}-{run}.annotator"
        with Project.create(path) as project:
            figures["import"].append(timed(lambda: import_paths(project, [source], fmt=fmt, options=options)))
            figures["export"].append(timed(lambda out=tmp / f"{name}-{run}.out": write(project, out)))
            if run == 0:
                with project.read() as conn, gold.open("wb") as out:
                    docs = gold_jsonl.write(iter_records(conn), out)
                with project.read() as conn:
                    texts = [rec.text for rec in iter_records(conn)]
                identified = sum(1 for _w, rec in _read_again(source, fmt, options) if not rec.lang)
                langid_cost = timed(lambda some=texts[:identified]: langid.identify_many(some, project.languages))
        path.unlink()
    for run in range(runs):
        path = tmp / f"{name}-jsonl-{run}.annotator"
        with Project.create(path) as project:
            figures["jsonl import"].append(timed(lambda: import_paths(project, [gold])))
            figures["jsonl export"].append(timed(lambda out=tmp / f"{name}-{run}.jsonl": _write_jsonl(project, out)))
        path.unlink()
    print(f"{name}: {docs} documents; median of {runs} run(s), wall / CPU seconds")
    out = {k: median(v) for k, v in figures.items()}
    out["language identification"] = langid_cost  # part of the import: documents the format gives no language
    print(f"  (the import identifies the language of {identified} document(s): {langid_cost[1]:.2f} s CPU of it, "
          "timed apart)")
    return out


def _read_again(source: Path, fmt: str, options: dict):
    form = registry.get(fmt)
    files = [source] if source.is_file() else sorted(source.glob("*.ann"))
    for file in files:
        assert form.read is not None
        yield from form.read(file, file.read_bytes(), **options).records


def _write_jsonl(project: Project, path: Path) -> None:
    with project.read() as conn, path.open("wb") as out:
        gold_jsonl.write(iter_records(conn), out)


def _write_conll(project: Project, path: Path) -> None:
    with project.read() as conn, path.open("wb") as out:
        conll.write(iter_records(conn), out, scheme="iob2", tokenise="spaces")


def _write_brat(project: Project, path: Path) -> None:
    path.mkdir()
    with project.read() as conn:
        brat.write(iter_records(conn), path)


def report(name: str, figures: dict[str, tuple[float, float]]) -> bool:
    for what in ("import", "jsonl import", "export", "jsonl export"):
        wall, cpu = figures[what]
        label = f"{name} {what}" if not what.startswith("jsonl") else f"gold JSONL {what[6:]}"
        print(f"  {label:<22} {wall:7.2f} s wall  {cpu:7.2f} s CPU")
    ratios = {w: figures[w][0] / figures[f"jsonl {w}"][0] for w in ("import", "export")}
    cpu = {w: figures[w][1] / max(figures[f"jsonl {w}"][1], 1e-9) for w in ("import", "export")}
    ok = ratios["import"] <= TARGET_RATIO
    print(f"  {name} / gold JSONL: import {ratios['import']:.2f}x wall, {cpu['import']:.2f}x CPU; export "
          f"{ratios['export']:.2f}x wall, {cpu['export']:.2f}x CPU (target: import within {TARGET_RATIO:g}x) "
          f"{'met' if ok else 'NOT MET'}")
    print(result_line(f"{name}_import", wall_s=f"{figures['import'][0]:.2f}", cpu_s=f"{figures['import'][1]:.2f}",
                      jsonl_wall_s=f"{figures['jsonl import'][0]:.2f}", ratio=f"{ratios['import']:.2f}",
                      cpu_ratio=f"{cpu['import']:.2f}",
                      target=f"<={TARGET_RATIO:g}x", ok=ok))
    print(result_line(f"{name}_export", wall_s=f"{figures['export'][0]:.2f}", cpu_s=f"{figures['export'][1]:.2f}",
                      jsonl_wall_s=f"{figures['jsonl export'][0]:.2f}", ratio=f"{ratios['export']:.2f}"))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--sentences-per-document", type=int, default=10)
    parser.add_argument("--brat-docs", type=int, default=10_000)
    parser.add_argument("--wikiann", type=Path, metavar="FOLDER", help="read CoNLL sentences from FOLDER/<lang>/train")
    args = parser.parse_args(argv)
    langid.identify("The model loads once per process, before the clock starts.")
    with scratch_dir("formats-") as tmp:
        source = tmp / "corpus.conll"
        if args.wikiann:
            wikiann_conll(source, args.wikiann, args.sentences)
        else:
            generated_conll(source, args.sentences)
        print(f"CoNLL: {args.sentences} sentences ({'WikiANN' if args.wikiann else 'generated'}), "
              f"{source.stat().st_size / 1e6:.1f} MB")
        options = {"sentences_per_document": args.sentences_per_document}
        conll_figures = measure(tmp, "conll", source, "conll", options, args.runs, _write_conll)
        ok = report("conll", conll_figures)
        folder = tmp / "brat-corpus"
        generated_brat(folder, args.brat_docs)
        brat_figures = measure(tmp, "brat", folder, "brat", {}, args.runs, _write_brat)
        ok &= report("brat", brat_figures)
    print(f"target {'met' if ok else 'NOT met'} (printed, not asserted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
