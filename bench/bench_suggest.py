"""Suggestions measured with a simulated annotator on WikiANN (en, fr, de, nl).

    python bench/bench_suggest.py [--data /work/shared/data/wikiann] [--langs en fr de nl] [--png bench/out/...]
    python bench/bench_suggest.py --tune     # settings compared on the dev split (never the test split)

The data are read where they are (never copied into the repository); see the folder's
SOURCE.md. Each language's file is cut, in file order, into
  - test: the last 2,000 sentences, minus any whose text also occurs in the rest (never trained on);
  - dev:  the 2,000 before them (only --tune looks at it);
  - pool: the rest, which the simulated annotator annotates.
A WikiANN sentence becomes a text of its tokens joined by spaces; spans are character
ranges, compared strictly (same start, end and label: seqeval's strict mode on IOB2).

The simulated annotator annotates pool sentences in batches, in file order or in
active-learning order (the least sure sentence first: the lowest token marginal of the
CRF over a sample of 2,000 unannotated sentences). For each sentence it is shown the
suggestions of the recommenders trained on what it annotated so far; it accepts the
correct ones, relabels those with the right offsets and the wrong label, rejects the
rest (the rejections are kept as negative evidence) and types the gold spans that are
left. After each batch the recommenders are retrained. At 100, 500, 1,000 and 5,000
annotated sentences the suggestions are scored on the test split.

Key model (docs/BENCHMARKS.md, Suggestions): typing a span = select (2) + label (1) = 3 keys;
accepting, relabelling or rejecting a suggestion = 1 key. "With navigation" each
suggestion also costs the one key that moves to it (F8-like); "navigation both ways" also
counts one move to each span typed by hand, against 4 keys a span without suggestions.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from _common import OUT, ROOT

from annotator.suggest import features as feature_sets
from annotator.suggest.base import Example
from annotator.suggest.corpus_stats import corpus_model
from annotator.suggest.crf import CrfModel, CrfSettings, CrfUpdater
from annotator.suggest.features import FeatureSet
from annotator.suggest.retrain import GROWTH, crf_due, with_new_matchers
from annotator.suggest.training import Suggester, train_crf

DATA = Path("/work/shared/data/wikiann")
CHECKPOINTS = (100, 500, 1000, 5000)
TEST, DEV, CANDIDATES = 2000, 2000, 2000
TYPE_SPAN, DECIDE = 3, 1

Span = tuple[int, int, str]

# {language: every sentence text of its file}: the simulated project's documents, annotated
# or not (the pool, and the dev and test sentences as unannotated documents), from which
# the CRF's corpus features (word clusters, capitalisation) are learnt without any label,
# as the product learns them from every document of a project (suggest/corpus_stats.py).
# Empty with --no-corpus: the corpus is then the annotated sentences alone.
TEXTS: dict[str, list[str]] = {}


def train(examples: dict[str, list[Example]], settings: CrfSettings = CrfSettings(),
          min_score: float = 0.5) -> Suggester:
    return Suggester.train(examples, settings=settings, matcher_min_score=min_score, texts=TEXTS or None)


def load(path: Path, lang: str) -> list[Example]:
    """The sentences of one WikiANN file as examples (tokens joined by single spaces)."""
    out: list[Example] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if not line:
                if toks:
                    out.append(_example(toks, tags, lang))
                toks, tags = [], []
                continue
            try:
                tok, tag = line.rsplit("\t", 1)
            except ValueError:
                sys.exit(f"{path}: line {n}: expected `lang:token<TAB>tag`")
            toks.append(tok.split(":", 1)[1] if tok.startswith(lang + ":") else tok)
            tags.append(tag)
    if toks:
        out.append(_example(toks, tags, lang))
    return out


def _example(toks: list[str], tags: list[str], lang: str) -> Example:
    offsets, pos = [], 0
    for t in toks:
        offsets.append((pos, pos + len(t)))
        pos += len(t) + 1
    spans: list[Span] = []
    cur: list | None = None
    for (a, b), tag in zip(offsets, tags):
        if tag.startswith("I-") and cur is not None and cur[2] == tag[2:]:
            cur[1] = b
            continue
        if cur is not None:
            spans.append((cur[0], cur[1], cur[2]))
            cur = None
        if tag != "O":
            cur = [a, b, tag[2:]]
    if cur is not None:
        spans.append((cur[0], cur[1], cur[2]))
    return Example(" ".join(toks), lang, tuple(spans))


def split(sents: list[Example]) -> tuple[list[Example], list[Example], list[Example], int]:
    """(pool, dev, test, test sentences dropped because their text occurs outside the test split)."""
    pool, dev, test = sents[:-(TEST + DEV)], sents[-(TEST + DEV):-TEST], sents[-TEST:]
    seen = {e.text for e in pool} | {e.text for e in dev}
    kept = [e for e in test if e.text not in seen]
    return pool, dev, kept, len(test) - len(kept)


@dataclass
class Scores:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Keys:
    gold: int = 0
    with_suggestions: int = 0
    navigation: int = 0  # one key per suggestion to move to it
    typed: int = 0  # spans typed by hand (each one move away, when navigation is counted both ways)

    def add(self, gold: tuple[Span, ...], suggested: list[Span]) -> list[Span]:
        """Keys to turn `suggested` into `gold`; returns the rejected suggestions."""
        gold_set, by_offsets = set(gold), {(a, b): lab for a, b, lab in gold}
        done: set[Span] = set()
        rejected = []
        for s in suggested:
            if s in gold_set:
                done.add(s)
            elif (s[0], s[1]) in by_offsets:
                done.add((s[0], s[1], by_offsets[s[0], s[1]]))  # relabelled with one label key
            else:
                rejected.append(s)
        self.gold += len(gold)
        self.with_suggestions += DECIDE * len(suggested) + TYPE_SPAN * len(gold_set - done)
        self.navigation += len(suggested)
        self.typed += len(gold_set - done)
        return rejected

    def per_span(self, nav: bool = False) -> float:
        return (self.with_suggestions + (self.navigation if nav else 0)) / max(1, self.gold)

    def per_span_moves(self) -> float:
        """Keys per gold span counting one move to every suggestion and every typed span
        (against TYPE_SPAN + 1 without suggestions)."""
        return (self.with_suggestions + self.navigation + self.typed) / max(1, self.gold)


def spans_of(model: Suggester | None, ex: Example) -> list[Span]:
    if model is None:
        return []
    return [(s.start, s.end, s.label) for s in model.suggest(ex.text, ex.lang)]


def evaluate(model: Suggester, test: list[Example]) -> tuple[Scores, Keys, float]:
    """Strict span scores and keys on the test split; and the median ms per sentence."""
    scores, keys, times = Scores(), Keys(), []
    for ex in test:
        t0 = time.perf_counter()
        pred = spans_of(model, ex)
        times.append(time.perf_counter() - t0)
        scores.tp += len(set(pred) & set(ex.spans))
        scores.pred += len(pred)
        scores.gold += len(ex.spans)
        keys.add(ex.spans, pred)
    return scores, keys, statistics.median(times) * 1000


def schedule(last: int) -> list[int]:
    steps = {50, 100, 200, 500, 1000, 2000, 3500, 5000, *CHECKPOINTS}
    return sorted(s for s in steps if s <= last)


def simulate(pool: list[Example], test: list[Example], active: bool, settings: CrfSettings, min_score: float,
             checkpoints: tuple[int, ...], seed: int = 0, updates: bool = False,
             candidates: int = CANDIDATES) -> tuple[list[dict], Keys, dict]:
    """The simulated annotator's run; rows of the learning curve, the keys it pressed in
    the run itself, and how long the last retraining took. With `updates`, retraining
    follows the window (retrain.py): the CRF is trained from scratch only when due
    (crf_due), otherwise the one in use is updated (crf.CrfUpdater); at such a checkpoint
    the row also scores the CRF in use kept as it was beside new matchers ("stale", what
    the window did before updates). In active order each batch is the least sure of
    `candidates` unannotated sentences sampled at random, or of all of them with 0 (as the
    navigator ranks every document: slower, and on dev no better, docs/BENCHMARKS.md)."""
    rng = random.Random(seed)
    remaining = list(range(len(pool)))
    annotated: list[Example] = []
    run_keys, model, rows, last_train = Keys(), None, [], {}
    updater, crf_at, stale = CrfUpdater(settings), None, None
    for step in schedule(max(checkpoints)):
        want = step - len(annotated)
        if active and model is not None:
            sample = rng.sample(remaining, min(candidates, len(remaining))) if candidates else remaining
            chosen = sorted(sample, key=lambda i: model.confidence(pool[i].text, pool[i].lang))[:want]
        else:
            chosen = remaining[:want]
        taken = set(chosen)
        remaining = [i for i in remaining if i not in taken]
        for i in chosen:
            ex = pool[i]
            rejected = run_keys.add(ex.spans, spans_of(model, ex))
            annotated.append(replace(ex, rejected=tuple(rejected)))
        t0 = time.perf_counter()
        examples = {pool[0].lang: annotated}
        if not updates or model is None or crf_due(len(annotated), crf_at):
            model, stale, crf_at = train(examples, settings, min_score), None, len(annotated)
            if updates:
                updater.prime(next(m for m in model.models if isinstance(m, CrfModel)), examples)
        else:
            crf = next(m for m in model.models if isinstance(m, CrfModel))
            stale = with_new_matchers(model, examples, matcher_min_score=min_score) if step in checkpoints else None
            model = Suggester.of(examples, updater.update(crf, examples), matcher_min_score=min_score)
        last_train = {"sentences": len(annotated), "seconds": time.perf_counter() - t0}
        if step in checkpoints:
            scores, keys, ms = evaluate(model, test)
            p, r, f = scores.prf()
            rows.append({"n": step, "p": p, "r": r, "f1": f, "keys": keys.per_span(), "keys_nav": keys.per_span(True),
                         "keys_moves": keys.per_span_moves(),
                         "tokens": sum(len(e.text.split()) for e in annotated), "ms": ms})
            if stale is not None:
                stale_scores, stale_keys, _ms = evaluate(stale, test)
                rows[-1].update(updated_from=crf_at, f1_stale=stale_scores.prf()[2], keys_stale=stale_keys.per_span())
    return rows, run_keys, last_train


def timing(pool: list[Example], dev: list[Example], settings: CrfSettings, min_score: float) -> dict:
    """Retraining on 10,000 sentences (after a commit: the matchers, retrain.py; each CRF
    algorithm of RETRAIN_GRID), and suggesting for the seed document (news) in the pool's
    language, or the longest seed document if none is in that language."""
    n = min(10_000, len(pool))
    lang = pool[0].lang
    rows = retrain_table(pool, dev, n)
    model = train({lang: pool[:n]}, settings, min_score)
    # Wall and CPU time: on a shared machine the wall clock also counts other processes' turns.
    w0, c0 = time.perf_counter(), time.process_time()
    with_new_matchers(model, {lang: pool[:n]}, matcher_min_score=min_score)
    commit_s, commit_cpu = time.perf_counter() - w0, time.process_time() - c0
    return {"train_sentences": n, "rows": rows, "commit_s": commit_s, "commit_cpu": commit_cpu,
            **suggest_timing(model, lang)}


def suggest_timing(model: Suggester, lang: str) -> dict:
    """Suggesting for the seed document (news) in `lang`, or the longest seed document if
    none is in it: ms of wall and CPU time, medians of 9."""
    docs = json.loads((ROOT / "seeds" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    files = [ROOT / "seeds" / d["file"] for d in docs if d["lang"] == lang] or \
        sorted((ROOT / "seeds" / d["file"] for d in docs), key=lambda p: p.stat().st_size)[-1:]
    seed_doc = files[0]
    text = seed_doc.read_text(encoding="utf-8")
    runs, cpu = [], []
    model.suggest(text, lang)  # the first call opens the tagger
    for _ in range(9):
        w0, c0 = time.perf_counter(), time.process_time()
        model.suggest(text, lang)
        runs.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return {"predict_cpu_ms": statistics.median(cpu) * 1000, "doc": seed_doc.name, "doc_chars": len(text),
            "predict_ms": statistics.median(runs) * 1000}


def seed_gold_lodo() -> list[dict]:
    """Leave one seed document out: train on the other four, suggest for it. The seeds are
    one document per language, so a per-language model has nothing to learn from; the
    pooled variant trains one model on all four languages and applies it to the fifth."""
    import orjson

    from annotator.formats.gold_jsonl import from_obj

    path = ROOT / "seeds" / "gold" / "seeds.gold.jsonl"
    recs = [from_obj(orjson.loads(line)) for line in path.read_bytes().splitlines() if line.strip()]
    out = []
    for pooled in (False, True):
        total = Scores()
        for held in recs:
            def ex(r, lang):
                return Example(r.text, lang, tuple((s.start, s.end, s.label) for s in r.spans))
            key = "*" if pooled else None
            train: dict[str, list[Example]] = {}
            for r in recs:
                if r is not held:
                    train.setdefault(key or r.lang, []).append(ex(r, key or r.lang))
            model = Suggester.train(train)
            target = ex(held, key or held.lang)
            pred = set(spans_of(model, target))
            total.tp += len(pred & set(target.spans))
            total.pred += len(pred)
            total.gold += len(target.spans)
        p, r, f = total.prf()
        out.append({"variant": "one model, all languages" if pooled else "per language", "p": p, "r": r, "f1": f,
                    "gold": total.gold})
    return out


def dev_figures(model: Suggester, dev: list[Example]) -> tuple[float, float]:
    """(F1, keys per gold span) of `model` on the dev split."""
    scores, keys, _ms = evaluate(model, dev)
    return scores.prf()[2], keys.per_span()


def with_threshold(model: Suggester, threshold: float) -> Suggester:
    """The same trained models, the CRF's suggestions under `threshold` left out."""
    return Suggester([replace_min_score(m, threshold) for m in model.models], model.crf_first)


def replace_min_score(m, threshold: float):
    if isinstance(m, CrfModel):
        return CrfModel(m.name, m.model_bytes, m._gazetteer, threshold, m.corpus)
    return m


def tune(pool: list[Example], dev: list[Example], grid_sizes: tuple[int, ...] = (1000, 5000),
         only: list[str] | None = None, thresholds: bool = False) -> None:
    """Every constant of the suggester chosen here, on the dev split (never the test split):
    the CRF's feature groups and training settings, the score under which its suggestions
    are not shown, and the retraining algorithm's time against its F1."""
    lang = pool[0].lang
    cpu = time.process_time
    kept = feature_sets.FEATURES
    if TEXTS:
        c0 = cpu()
        corpus_model(TEXTS[lang])
        print(f"corpus model of {len(TEXTS[lang])} texts: {cpu() - c0:.2f} s CPU (once; cached)")
    print(f"{'setting':58} " + " ".join(f"{'F1/keys@' + str(n):>13}" for n in grid_sizes)
          + "  train CPU s (each size)", flush=True)
    for name, settings, features, with_corpus in TUNE_GRID:
        if only and name not in only:
            continue
        figures, secs = [], []
        feature_sets.FEATURES = features
        try:
            for n in grid_sizes:
                c0 = cpu()
                texts = TEXTS if with_corpus else {}
                model = Suggester.train({lang: pool[:n]}, settings=settings, texts=texts or None)
                secs.append(cpu() - c0)
                figures.append(dev_figures(model, dev))
        finally:
            feature_sets.FEATURES = kept
        print(f"{name:58} " + " ".join(f"{f:8.3f}/{k:4.2f}" for f, k in figures) + "  "
              + " ".join(f"{x:6.1f}" for x in secs), flush=True)
    if not thresholds:
        return
    print(f"CRF display threshold ({SETTINGS_NAME}): dev F1 / keys per gold span (3 without suggestions)")
    print(f"{'threshold':>10} " + " ".join(f"{'@' + str(n):>14}" for n in THRESHOLD_SIZES))
    models = {n: train({lang: pool[:n]}, replace(SETTINGS, min_score=0.0)) for n in THRESHOLD_SIZES}
    for t in THRESHOLDS:
        cells = [dev_figures(with_threshold(models[n], t), dev) for n in THRESHOLD_SIZES]
        print(f"{t:10.2f} " + " ".join(f"{f:6.3f} / {k:5.2f}" for f, k in cells), flush=True)


# The grid --tune compares (docs/BENCHMARKS.md, Suggestions: what was kept and why): name, CRF settings,
# feature groups, whether the corpus model is learnt from the whole file (else from the
# annotated sentences alone).
SETTINGS_NAME = "L-BFGS c1=0.05 c2=0.2 150 it."
SETTINGS = CrfSettings(c2=0.05)  # the rounds before this one: c2 = 0.05 (the rows below name what they change)
_NONE = FeatureSet(clusters=False, capitals=False, vectors=0.0)
TUNE_GRID = [
    ("no corpus features (before)", SETTINGS, _NONE, True),
    ("clusters, window 1", SETTINGS, FeatureSet(capitals=False, vectors=0.0), True),
    ("clusters, window 2", SETTINGS, FeatureSet(capitals=False, cluster_window=2, vectors=0.0), True),
    ("capitals", SETTINGS, FeatureSet(clusters=False, vectors=0.0), True),
    ("clusters w1 + capitals", SETTINGS, FeatureSet(vectors=0.0), True),
    ("clusters w1 + capitals, annotated texts only", SETTINGS, FeatureSet(vectors=0.0), False),
    ("char 3-4-grams", SETTINGS, FeatureSet(clusters=False, capitals=False, char_ngrams=True, vectors=0.0), True),
    ("clusters w1 + capitals + char 3-4-grams", SETTINGS, FeatureSet(char_ngrams=True, vectors=0.0), True),
    ("clusters w1 + capitals + run clusters", SETTINGS, FeatureSet(run_clusters=True, vectors=0.0), True),
    ("clusters w1 + capitals, c1=0.1 c2=0.05", CrfSettings(c1=0.1, c2=0.05), FeatureSet(vectors=0.0), True),
    ("clusters w1 + capitals, c1=0.05 c2=0.01", CrfSettings(c1=0.05, c2=0.01), FeatureSet(vectors=0.0), True),
    ("clusters w1 + capitals, c1=0.02 c2=0.1", CrfSettings(c1=0.02, c2=0.1), FeatureSet(vectors=0.0), True),
    # this round (docs/BENCHMARKS.md): "previous" is the feature set kept before it, without embeddings;
    # BILOU tags, the first word's case apart, brackets/quotes and the labelled-surface
    # matcher's hits were measured too (docs/BENCHMARKS.md) and their code removed: none gained on dev
    ("previous + possible states", CrfSettings(c2=0.05, possible_states=True), FeatureSet(vectors=0.0), True),
    ("previous + embeddings x0.5", SETTINGS, FeatureSet(vectors=0.5), True),
    ("previous + embeddings x1 (kept)", SETTINGS, FeatureSet(vectors=1.0), True),
    ("previous + embeddings x2", SETTINGS, FeatureSet(vectors=2.0), True),
    ("previous + embeddings x3", SETTINGS, FeatureSet(vectors=3.0), True),
    ("previous + embeddings x8", SETTINGS, FeatureSet(vectors=8.0), True),
    ("previous + embeddings x1, one neighbour each side", SETTINGS, FeatureSet(vectors=1.0, vector_window=1), True),
    # the round after (docs/BENCHMARKS.md): the L-BFGS penalties against the kept features. Flat k-means
    # cluster ids at several sizes, the neighbours' capitalisation, a word's count and PMI with
    # its neighbours across the corpus, where a word stands in capitalised runs across the
    # corpus and coarse cluster pairs were measured too (docs/BENCHMARKS.md) and their code removed:
    # none gained on dev
    ("kept, c1=0.05 c2=0.05 (before)", SETTINGS, FeatureSet(), True),
    ("kept, clusters +-2", SETTINGS, FeatureSet(cluster_window=2), True),
    ("kept, c1=0.02 c2=0.05", CrfSettings(c1=0.02, c2=0.05), FeatureSet(), True),
    ("kept, c1=0.05 c2=0.1", CrfSettings(c2=0.1), FeatureSet(), True),
    ("kept, c1=0.05 c2=0.2 (kept: the default now)", CrfSettings(c2=0.2), FeatureSet(), True),
    ("kept, c1=0.05 c2=0.5", CrfSettings(c2=0.5), FeatureSet(), True),
    # the pretrained word clusters of the `embeddings` extra (pretrained_words.py; run with it
    # installed, else these rows equal the first): without them, the word's only, +-1, +-2,
    # and the first PCA dimensions as real values too
    ("pretrained: none (before)", CrfSettings(), FeatureSet(pretrained_window=-1, pretrained_dims=0), True),
    ("pretrained: clusters of the word", CrfSettings(), FeatureSet(pretrained_window=0, pretrained_dims=0), True),
    ("pretrained: clusters +-1", CrfSettings(), FeatureSet(pretrained_window=1, pretrained_dims=0), True),
    ("pretrained: clusters +-2", CrfSettings(), FeatureSet(pretrained_window=2, pretrained_dims=0), True),
    ("pretrained: clusters +-1, 16 dims", CrfSettings(), FeatureSet(pretrained_window=1, pretrained_dims=16), True),
    ("pretrained: clusters +-1, 32 dims", CrfSettings(), FeatureSet(pretrained_window=1, pretrained_dims=32), True),
    ("pretrained: clusters of the word, 16 dims", CrfSettings(), FeatureSet(pretrained_window=0, pretrained_dims=16),
     True),
]
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
THRESHOLD_SIZES = (500, 1000, 5000)
# Retraining: what each algorithm costs on 10,000 sentences, and its dev F1.
RETRAIN_GRID = [(SETTINGS_NAME, CrfSettings(), None),
                ("L-BFGS 30 it.", CrfSettings(max_iterations=30), None),
                ("averaged perceptron 10 passes, minfreq 2", CrfSettings.fast(), None),
                ("averaged perceptron 5 passes, minfreq 2", CrfSettings(algorithm="ap", max_iterations=5, min_freq=2),
                 None),
                ("averaged perceptron 5 passes, last 3,000", CrfSettings(algorithm="ap", max_iterations=5, min_freq=2),
                 3000),
                ("averaged perceptron 5 passes, last 1,500", CrfSettings(algorithm="ap", max_iterations=5, min_freq=2),
                 1500)]


def retrain_table(pool: list[Example], dev: list[Example], n: int = 10_000) -> list[dict]:
    """Each retraining algorithm on `n` sentences (or the last `window` of them): CPU and
    wall seconds of the whole retraining (matcher and CRF), and dev F1."""
    lang = pool[0].lang
    rows = []
    for name, settings, window in RETRAIN_GRID:
        data = pool[:n][-window:] if window else pool[:n]
        w0, c0 = time.perf_counter(), time.process_time()
        model = train({lang: data}, settings)
        wall, cpu_s = time.perf_counter() - w0, time.process_time() - c0
        rows.append({"name": name, "cpu": cpu_s, "wall": wall, "f1": dev_figures(model, dev)[0]})
        print(f"{name:42} {rows[-1]['cpu']:7.2f} s CPU {rows[-1]['wall']:7.2f} s wall  dev F1 {rows[-1]['f1']:.3f}",
              flush=True)
    return rows


def commit_retrain(pool: list[Example], dev: list[Example], n: int = 10_000, commits: int = 5,
                   steps: int = 10, min_score: float = 0.5) -> dict:
    """The retraining after a commit at `n` annotated sentences, as the window's training
    process does it (crf_job.update; retrain.py trains from scratch only after growth):
    the CRF trained from scratch at n / (1 + GROWTH) sentences (the oldest it gets), primed,
    then updated `steps` times as the annotated sentences grow to n (dev F1 after the first
    and the last update, beside the CRF trained then kept with new matchers, as before
    updates, and the CRF trained from scratch at n); then `commits` commits of one
    sentence each at n, each timed: the CRF's update (CPU and wall) and the matchers'."""
    lang = pool[0].lang
    texts = {lang: TEXTS[lang]} if TEXTS else None
    m = round(n / (1 + GROWTH))
    base = train_crf({lang: pool[:m]}, texts=texts)
    updater = CrfUpdater()
    updater.prime(base, {lang: pool[:m]})
    stale = with_new_matchers(Suggester.of({lang: pool[:m]}, base), {lang: pool[:n]}, matcher_min_score=min_score)
    out = {"n": n, "from": m, "stale": dev_figures(stale, dev)}
    crf = base
    for k in range(1, steps + 1):
        crf = updater.update(crf, {lang: pool[:m + (n - m) * k // steps]})
        if k in (1, steps):
            out[f"updated_{k}"] = dev_figures(Suggester.of({lang: pool[:n]}, crf, matcher_min_score=min_score), dev)
    scratch = train_crf({lang: pool[:n]}, texts=texts)
    out["scratch"] = dev_figures(Suggester.of({lang: pool[:n]}, scratch, matcher_min_score=min_score), dev)
    cpu, wall, matchers = [], [], []
    for k in range(1, commits + 1):
        examples = {lang: pool[:n + k]}
        w0, c0 = time.perf_counter(), time.process_time()
        crf = updater.update(crf, examples)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        c0 = time.process_time()
        model = Suggester.of(examples, crf, matcher_min_score=min_score)
        matchers.append(time.process_time() - c0)
    out.update(cpu=statistics.median(cpu), wall=statistics.median(wall), matchers_cpu=statistics.median(matchers),
               cpu_runs=cpu, wall_runs=wall, **suggest_timing(model, lang))
    return out


def print_commit_retrain(r: dict) -> None:
    print(f"after a commit at {r['n']:,} sentences: the CRF updated in {r['cpu']:.2f} s CPU, {r['wall']:.2f} s wall "
          f"(median of {len(r['cpu_runs'])}: CPU {' '.join(f'{x:.2f}' for x in r['cpu_runs'])}; "
          f"wall {' '.join(f'{x:.2f}' for x in r['wall_runs'])}), the matchers in {r['matchers_cpu']:.2f} s CPU; "
          f"suggesting for {r['doc']} ({r['doc_chars']} characters) with the updated CRF: {r['predict_ms']:.1f} ms "
          f"wall, {r['predict_cpu_ms']:.1f} ms CPU (median of 9)", flush=True)
    for key, what in (("stale", f"the CRF trained at {r['from']:,}, new matchers (before updates)"),
                      ("updated_1", "updated once"), ("updated_10", "updated 10 times on the way"),
                      ("scratch", f"trained from scratch at {r['n']:,}")):
        if key in r:
            print(f"  dev F1 / keys, {what}: {r[key][0]:.4f} / {r[key][1]:.3f}", flush=True)
    print(f"RESULT suggest_crf_update n={r['n']} cpu_s={r['cpu']:.2f} wall_s={r['wall']:.2f} "
          f"matchers_cpu_s={r['matchers_cpu']:.2f} predict_doc_ms={r['predict_ms']:.1f} target=<1s ok={r['cpu'] < 1}")


def verdict(lang: str, orders: dict[str, list[dict]]) -> list[str]:
    """Whether active-learning order (the workspace's Ctrl+F8 order: least sure sentence
    first) beat file order on held-out F1, checkpoint by checkpoint, in words and as a RESULT line."""
    doc = {r["n"]: r["f1"] for r in orders.get("document", [])}
    diffs = {r["n"]: r["f1"] - doc[r["n"]] for r in orders.get("active", []) if r["n"] in doc}
    wins = [n for n, d in diffs.items() if d > 0]
    if not diffs:
        return []  # one order only: nothing to compare
    if len(wins) == len(diffs):
        word, said = "yes", "beats document order at every checkpoint"
    elif not wins:
        word, said = "no", "does not beat document order at any checkpoint"
    else:
        word, said = "partly", f"beats document order at {len(wins)} of {len(diffs)} checkpoints"
    detail = ", ".join(f"{n:,}: {d:+.3f}" for n, d in sorted(diffs.items()))
    return [f"{lang}: active-learning order {said} (held-out F1, active minus document: {detail})",
            f"RESULT suggest_{lang}_active_beats_document={word} wins={len(wins)}/{len(diffs)}"]


def plot(curves: dict[str, dict[str, list[dict]]], path: Path) -> None:
    """The learning curves as a PNG (pyqtgraph offscreen: the bench may use Qt)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(background="w", foreground="k", antialias=True)
    widget = pg.PlotWidget()
    widget.resize(900, 560)
    item = widget.getPlotItem()
    item.setTitle("WikiANN, held-out sentences: solid = active learning, dashed = file order, dotted = targets")
    item.setLabel("bottom", "annotated sentences")
    item.setLabel("left", "F1, strict spans")
    item.setYRange(0, 1)
    item.showGrid(x=False, y=True, alpha=0.3)
    sizes = sorted({r["n"] for orders in curves.values() for rows in orders.values() for r in rows})
    # log-spaced by hand, ticks only where there are points
    item.getAxis("bottom").setTicks([[(math.log10(n), f"{n:,}") for n in sizes]])
    item.addLegend(offset=(-10, 10), colCount=2)
    colours = {"en": (31, 119, 180), "fr": (214, 39, 40), "de": (44, 160, 44), "nl": (255, 127, 14)}
    for lang, orders in curves.items():
        colour = colours.get(lang, (100, 100, 100))
        for order, rows in orders.items():
            style = pg.QtCore.Qt.PenStyle.SolidLine if order == "active" else pg.QtCore.Qt.PenStyle.DashLine
            pen = pg.mkPen(color=colour, width=2, style=style)
            item.plot([math.log10(r["n"]) for r in rows], [r["f1"] for r in rows], pen=pen, symbol="o", symbolSize=6,
                      symbolBrush=colour, name=f"{lang} {order}")
    for y in (0.60, 0.72):
        item.addLine(y=y, pen=pg.mkPen(color=(150, 150, 150), width=1, style=pg.QtCore.Qt.PenStyle.DotLine))
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.show()  # offscreen: lays the plot out at the widget's size before it is exported
    _app.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(item)
    exporter.parameters()["width"] = 900
    exporter.export(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"the WikiANN folder (default {DATA})")
    parser.add_argument("--langs", nargs="+", default=["en", "fr", "de", "nl"])
    parser.add_argument("--tune", action="store_true", help="compare settings on the dev split and stop")
    parser.add_argument("--tune-only", nargs="+", metavar="TEXT",
                        help="with --tune: only the grid rows of these names")
    parser.add_argument("--tune-sizes", nargs="+", type=int, default=[1000, 5000], help="with --tune: pool sizes")
    parser.add_argument("--thresholds", action="store_true", help="with --tune: also the CRF display thresholds")
    parser.add_argument("--no-corpus", action="store_true",
                        help="learn the corpus features from the annotated sentences only, not the whole file")
    parser.add_argument("--retrain", action="store_true",
                        help="time each retraining algorithm on 10,000 sentences (dev F1 beside it) and stop")
    parser.add_argument("--updates", action="store_true",
                        help="retrain as the window does: from scratch only when due (retrain.py), else update the CRF")
    parser.add_argument("--commit", action="store_true",
                        help="time the CRF's update after a commit at 10,000 sentences (dev F1 beside it) and stop")
    parser.add_argument("--png", type=Path, default=OUT / "suggest_learning_curve.png")
    parser.add_argument("--checkpoints", nargs="+", type=int, default=list(CHECKPOINTS))
    parser.add_argument("--no-curves", action="store_true", help="only the timings and the seed gold figures")
    parser.add_argument("--replot", type=Path, nargs="+", metavar="JSON",
                        help="draw the PNG from the curves runs saved (beside their PNG; several runs' "
                             "curves are merged, e.g. one run per language and order) and stop")
    parser.add_argument("--orders", nargs="+", choices=["document", "active"], default=["document", "active"],
                        help="annotation orders to simulate (default both)")
    parser.add_argument("--candidates", type=int, default=CANDIDATES,
                        help="active order: unannotated sentences sampled and ranked before each batch (0: all)")
    parser.add_argument("--no-timing", action="store_true", help="skip the retraining and suggesting timings")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    curves_file = args.png.with_suffix(".json")
    if args.replot:
        merged: dict[str, dict[str, list[dict]]] = {}
        for path in args.replot:
            for lang, orders in json.loads(path.read_text(encoding="utf-8")).items():
                merged.setdefault(lang, {}).update(orders)
        plot(merged, args.png)
        print(f"learning curve written to {args.png}")
        return 0
    settings, min_score = CrfSettings(), 0.5
    data = {}
    for lang in args.langs:
        path = args.data / lang / "train"
        if not path.is_file():
            print(f"{path}: no WikiANN file here (give the folder with --data)", file=sys.stderr)
            return 1
        sents = load(path, lang)
        data[lang] = split(sents)
        if not args.no_corpus:
            TEXTS[lang] = [e.text for e in sents]
    if args.tune:
        for lang in args.langs:
            print(f"-- {lang}: tuning on the dev split ({len(data[lang][1])} sentences)")
            tune(data[lang][0], data[lang][1], tuple(args.tune_sizes), args.tune_only, args.thresholds)
        return 0
    if args.commit:
        for lang in args.langs:
            print(f"-- {lang}: the retraining after a commit at 10,000 sentences, dev F1")
            print_commit_retrain(commit_retrain(data[lang][0], data[lang][1]))
        return 0
    if args.retrain:
        for lang in args.langs:
            print(f"-- {lang}: retraining on 10,000 sentences, dev F1")
            retrain_table(data[lang][0], data[lang][1])
        return 0
    checkpoints = tuple(args.checkpoints)
    curves: dict[str, dict[str, list[dict]]] = {}
    for lang, (pool, _dev, test, dropped) in ({} if args.no_curves else data).items():
        print(f"-- {lang}: pool {len(pool)}, test {len(test)} sentences ({dropped} left out: their text occurs in "
              f"the training or dev split), {sum(len(e.spans) for e in test)} gold spans", flush=True)
        curves[lang] = {}
        for active in [order == "active" for order in args.orders]:
            order = "active" if active else "document"
            rows, run_keys, _last = simulate(pool, test, active, settings, min_score, checkpoints,
                                             updates=args.updates, candidates=args.candidates)
            curves[lang][order] = rows
            for r in rows:
                print(f"{lang} {order:8} n={r['n']:>5} P={r['p']:.3f} R={r['r']:.3f} F1={r['f1']:.3f} "
                      f"keys/span={r['keys']:.2f} (with navigation {r['keys_nav']:.2f}, navigation both ways "
                      f"{r['keys_moves']:.2f} against {TYPE_SPAN + 1}; without suggestions "
                      f"{TYPE_SPAN}) tokens={r['tokens']} predict={r['ms']:.2f} ms/sentence", flush=True)
                print(f"RESULT suggest_{lang}_{order}_{r['n']} f1={r['f1']:.3f} keys_per_span={r['keys']:.4f} "
                      f"saving={1 - r['keys'] / TYPE_SPAN:.2%}")  # unrounded enough to tell 39.95 % from 40 %
                if "f1_stale" in r:
                    print(f"  {lang} {order} n={r['n']}: the CRF trained at {r['updated_from']} updated: F1={r['f1']:.3f} "
                          f"keys/span={r['keys']:.4f}; kept as it was, new matchers: F1={r['f1_stale']:.3f} "
                          f"keys/span={r['keys_stale']:.4f}", flush=True)
            print(f"{lang} {order:8} in the run itself ({max(checkpoints)} sentences): "
                  f"{run_keys.per_span():.2f} keys per gold span "
                  f"({run_keys.per_span(True):.2f} with navigation) against {TYPE_SPAN} without", flush=True)
        for line in verdict(lang, curves[lang]):
            print(line, flush=True)
    if not args.no_timing:
        print(f"-- retraining on 10,000 sentences ({args.langs[0]}), dev F1 beside it")
        t = timing(data[args.langs[0]][0], data[args.langs[0]][1], settings, min_score)
        print(f"after a commit (matchers retrained, retrain.py): {t['commit_s']:.2f} s wall, {t['commit_cpu']:.2f} s CPU; "
              f"suggesting for {t['doc']} ({t['doc_chars']} characters): {t['predict_ms']:.1f} ms wall, "
              f"{t['predict_cpu_ms']:.1f} ms CPU (median of 9)")
        full = t["rows"][0]
        print(f"RESULT suggest_timing commit_10k_cpu_s={t['commit_cpu']:.2f} full_crf_10k_cpu_s={full['cpu']:.2f} "
              f"predict_doc_ms={t['predict_ms']:.1f} target=<1s,<20ms "
              f"ok={t['commit_cpu'] < 1 and t['predict_ms'] < 20} (the full CRF retraining: {full['cpu'] < 1})")
        for row in seed_gold_lodo():
            print(f"seed gold, leave one document out ({row['variant']}): P={row['p']:.3f} R={row['r']:.3f} "
                  f"F1={row['f1']:.3f} over {row['gold']} gold spans")
    if curves:
        curves_file.parent.mkdir(parents=True, exist_ok=True)
        curves_file.write_text(json.dumps(curves, indent=1), encoding="utf-8")
    if curves:
        plot(curves, args.png)
        print(f"learning curve written to {args.png} (its figures: {curves_file})")
    print(f"this run: {time.process_time():.0f} s CPU, {time.perf_counter() - started:.0f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
