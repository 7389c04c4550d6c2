import sys, time, random, pickle, math
import numpy as np
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel, CrfSettings, sentence_items
from annotator.suggest.training import Suggester, train_crf
lang=sys.argv[1]; n=int(sys.argv[2]); K=int(sys.argv[3]); frac=float(sys.argv[4])
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
train = pool[:n]
cpu=time.process_time
try:
    full = pickle.load(open(f"model_{lang}_{n}.pkl","rb"))
except FileNotFoundError:
    full = B.train({lang: train}); pickle.dump(full, open(f"model_{lang}_{n}.pkl","wb"))
base_crf = next(x for x in full.models if isinstance(x, CrfModel))
members = [base_crf]
rng = random.Random(1)
for k in range(K):
    c0=cpu()
    sub = rng.sample(train, int(frac*len(train))) if frac < 1 else [rng.choice(train) for _ in train]
    members.append(train_crf({lang: sub}, texts=B.TEXTS))
    print(f"member {k} trained {cpu()-c0:.1f}s", flush=True)
LABELS = None
def marg_matrix(crf, items):
    global LABELS
    t = crf._tagger(lang)
    if LABELS is None:
        LABELS = sorted(t.labels())
    t.set(items); t.tag()
    return np.array([[t.marginal(l, k) if l in t.labels() else 0.0 for l in LABELS] for k in range(len(items))])
def allowed(prev, cur):
    if cur.startswith("I-"):
        return prev is not None and prev[2:] == cur[2:] and prev != "O"
    return True
def decode_marg(M):
    L = LABELS; n = len(M); logM = np.log(np.maximum(M, 1e-12))
    score = np.full((n, len(L)), -1e18); back = np.zeros((n, len(L)), int)
    for j,l in enumerate(L):
        if not l.startswith("I-"): score[0,j] = logM[0,j]
    for i in range(1,n):
        for j,l in enumerate(L):
            best=-1e18; bi=0
            for q,p in enumerate(L):
                if allowed(p,l) and score[i-1,q] > best: best=score[i-1,q]; bi=q
            score[i,j] = best + logM[i,j]; back[i,j]=bi
    j = int(np.argmax(score[-1])); path=[j]
    for i in range(n-1,0,-1):
        j = back[i,j]; path.append(j)
    return [L[j] for j in reversed(path)]
class Ens(CrfModel):
    def __init__(self, members, mode):
        super().__init__("crf", base_crf.model_bytes, base_crf._gazetteer, 0.0, base_crf.corpus)
        self.members = members; self.mode = mode
    def _tag(self, text, lang):
        out = []
        for toks, items in sentence_items(text, lang, (), self._gazetteer, self.corpus.get(lang)):
            Ms = [marg_matrix(c, items) for c in self.members]
            M = sum(Ms)/len(Ms)
            if self.mode == "viterbi1":
                t = self.members[0]._tagger(lang); t.set(items); tags = t.tag()
            else:
                tags = decode_marg(M)
            marg = [M[k, LABELS.index(tg)] for k, tg in enumerate(tags)]
            out.append((toks, tags, marg, 0.0))
        return out
def ev(crf, name):
    sug = Suggester.of({lang: train}, crf)
    f,k = B.dev_figures(sug, dev); print(f"{lang} n={n} {name}: F1={f:.4f} keys={k:.3f}", flush=True)
ev(base_crf, "single viterbi")
ev(Ens(members[:1], "post"), "single posterior")
for j in range(2, len(members)+1):
    ev(Ens(members[:j], "post"), f"ensemble of {j} (posterior)")
for m in members[1:]:
    ev(m, "member alone")
