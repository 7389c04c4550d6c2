import sys, time, random, pickle
import numpy as np
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel, CrfSettings, sentence_items
from annotator.suggest.crf_update import LinearCrf, Vocabulary
from annotator.suggest.training import Suggester, train_crf
lang=sys.argv[1]; n=int(sys.argv[2]); K=int(sys.argv[3]); frac=float(sys.argv[4]); mode=sys.argv[5] if len(sys.argv)>5 else "bag"
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
train = pool[:n]
cpu=time.process_time
try:
    full = pickle.load(open(f"model_{lang}_{n}.pkl","rb"))
except FileNotFoundError:
    full = B.train({lang: train}); pickle.dump(full, open(f"model_{lang}_{n}.pkl","wb"))
base = next(x for x in full.models if isinstance(x, CrfModel))
fn = f"members_{lang}_{n}_{K}_{frac}_{mode}.pkl"
try:
    members = pickle.load(open(fn,"rb"))
except FileNotFoundError:
    members = []
    rng = random.Random(1)
    for k in range(K):
        c0=cpu()
        if mode == "bag":
            sub = rng.sample(train, int(frac*len(train)))
            members.append(train_crf({lang: sub}, texts=B.TEXTS).model_bytes[lang])
        elif mode == "shuffle":  # the whole set, another order (L-BFGS is order-free: same), so c2 variants
            members.append(train_crf({lang: train}, settings=CrfSettings(c2=[0.05,0.5,1.0,0.1][k]), texts=B.TEXTS).model_bytes[lang])
        print(f"member {k} trained {cpu()-c0:.1f}s", flush=True)
    pickle.dump(members, open(fn,"wb"))
vocab = Vocabulary()
toks, items = sentence_items(train[0].text, lang, (), base._gazetteer, base.corpus[lang])[0]
vocab.encode(items)
def lin(b):
    m = LinearCrf.from_crfsuite(b, vocab); return m
models = [lin(base.model_bytes[lang])] + [lin(b) for b in members]
for m in models: m.fit()
def ev(lc, name):
    crf = CrfModel("crf", base.model_bytes, base._gazetteer, 0.0, base.corpus, {lang: lc})
    sug = Suggester.of({lang: train}, crf)
    f,k = B.dev_figures(sug, dev); print(f"{lang} n={n} {name}: F1={f:.4f} keys={k:.3f}", flush=True)
ev(models[0], "full (linear)")
for j in range(2, len(models)+1):
    ms = models[:j]
    avg = LinearCrf(vocab, sum(m.weights for m in ms)/j, sum(m.dense_weights for m in ms)/j, sum(m.transitions for m in ms)/j)
    ev(avg, f"weights averaged, full + {j-1} {mode}")
ms = models[1:]
avg = LinearCrf(vocab, sum(m.weights for m in ms)/len(ms), sum(m.dense_weights for m in ms)/len(ms), sum(m.transitions for m in ms)/len(ms))
ev(avg, f"weights averaged, {len(ms)} {mode} only")
