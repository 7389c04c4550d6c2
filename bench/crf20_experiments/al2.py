import sys, time, random
from dataclasses import replace
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel, CrfSettings
lang=sys.argv[1]; variant=sys.argv[2]; cand=int(sys.argv[3]); cps=tuple(int(x) for x in sys.argv[4].split(","))
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
def weakest(model, ex):
    crf = [m for m in model.models if isinstance(m, CrfModel)][0]
    best = (1.0, None)
    for toks, tags, m, _p in crf._tag(ex.text, ex.lang):
        for (s, e), x in zip(toks, m):
            if x < best[0]: best = (x, ex.text[s:e].lower())
    return best
rng = random.Random(0)
remaining = list(range(len(pool))); annotated = []; model = None; run_keys = B.Keys()
c0 = time.process_time()
for step in B.schedule(max(cps)):
    want = step - len(annotated)
    if model is not None:
        sample = rng.sample(remaining, min(cand, len(remaining)))
        scored = sorted((weakest(model, pool[i]), i) for i in sample)
        if variant == "diverse":
            seen, chosen, later = set(), [], []
            for (x, w), i in scored:
                (later if w in seen else chosen).append(i); seen.add(w)
            chosen = (chosen + later)[:want]
        else:
            chosen = [i for _, i in scored[:want]]
    else:
        chosen = remaining[:want]
    taken = set(chosen); remaining = [i for i in remaining if i not in taken]
    for i in chosen:
        ex = pool[i]; rej = run_keys.add(ex.spans, B.spans_of(model, ex)); annotated.append(replace(ex, rejected=tuple(rej)))
    model = B.train({lang: annotated})
    if step in cps:
        f, k = B.dev_figures(model, dev)
        print(f"{lang} active-{variant} cand={cand} n={step} dev F1={f:.4f} keys={k:.4f} tokens={sum(len(e.text.split()) for e in annotated)}", flush=True)
print(f"{time.process_time()-c0:.0f}s CPU")
