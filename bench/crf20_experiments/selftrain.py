"""Self-training experiment on the dev split: train on pool[:n], tag the unannotated
texts, add confident sentences as pseudo-labelled examples, retrain, score dev."""
import sys, time
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from pathlib import Path
from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel, decode
from annotator.suggest.training import Suggester

lang = sys.argv[1]; n = int(sys.argv[2]); taus = [float(x) for x in sys.argv[3].split(",")]
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
cpu = time.process_time
c0 = cpu()
base = B.train({lang: pool[:n]})
print(f"base train {cpu()-c0:.1f}s", flush=True)
f, k = B.dev_figures(base, dev)
print(f"{lang} n={n} base dev F1={f:.4f} keys={k:.3f}", flush=True)
crf = next(m for m in base.models if isinstance(m, CrfModel))
annotated = {e.text for e in pool[:n]}
unl = [t for t in dict.fromkeys(B.TEXTS[lang]) if t not in annotated]
c0 = cpu()
tagged = []
for t in unl:
    sents_ = crf._tag(t, lang)
    conf = min((min(m) for _t, _tg, m, _p in sents_), default=1.0)
    spans = []
    for toks, tags, m, _p in sents_:
        for s, e, label, i, j in decode(toks, tags):
            spans.append((s, e, label))
    tagged.append((conf, Example(t, lang, tuple(spans))))
print(f"tagged {len(unl)} in {cpu()-c0:.1f}s", flush=True)
for tau in taus:
    extra = [ex for c, ex in tagged if c >= tau]
    c0 = cpu()
    m = B.train({lang: pool[:n] + extra})
    # the matcher should stay trained on the annotated only
    crf2 = next(x for x in m.models if isinstance(x, CrfModel))
    sug = Suggester.of({lang: pool[:n]}, crf2)
    f, k = B.dev_figures(sug, dev)
    f2, k2 = B.dev_figures(m, dev)
    print(f"{lang} n={n} tau={tau} extra={len(extra)} dev F1={f:.4f} keys={k:.3f} (matcher on pseudo too: {f2:.4f}) train {cpu()-c0:.1f}s", flush=True)
