"""Aggregated corpus contexts: for each word, its most frequent left / right neighbours
(among the corpus's frequent words) across every text of the corpus; for each capitalised
run, the same for the run as a whole."""
import sys, time, collections
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
import annotator.suggest.crf as C
from annotator.suggest import features as F
lang=sys.argv[1]; sizes=[int(x) for x in sys.argv[2].split(",")]; variants=sys.argv[3].split(",")
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
texts = list(dict.fromkeys(B.TEXTS[lang]))
freq = collections.Counter(w.lower() for t in texts for w in t.split())
TOPN = int(sys.argv[4]) if len(sys.argv) > 4 else 300
common = {w for w, _ in freq.most_common(TOPN)}
left = collections.defaultdict(collections.Counter); right = collections.defaultdict(collections.Counter)
rleft = collections.defaultdict(collections.Counter); rright = collections.defaultdict(collections.Counter)
for t in texts:
    ws = t.split(); lows = [w.lower() for w in ws]
    for i, w in enumerate(lows):
        l = lows[i-1] if i else "<s>"; r = lows[i+1] if i+1 < len(ws) else "</s>"
        if l in common or l == "<s>": left[w][l] += 1
        if r in common or r == "</s>": right[w][r] += 1
    for a, b in F.capital_runs(ws):
        surf = " ".join(lows[a:b+1])
        l = lows[a-1] if a else "<s>"; r = lows[b+1] if b+1 < len(ws) else "</s>"
        if l in common or l == "<s>": rleft[surf][l] += 1
        if r in common or r == "</s>": rright[surf][r] += 1
K = 3
topl = {w: [x for x, _ in c.most_common(K)] for w, c in left.items()}
topr = {w: [x for x, _ in c.most_common(K)] for w, c in right.items()}
rtopl = {w: [x for x, _ in c.most_common(K)] for w, c in rleft.items()}
rtopr = {w: [x for x, _ in c.most_common(K)] for w, c in rright.items()}
orig = F.sequence_features
VAR = None
def patched(words, gaz=None, corpus=None, features=None):
    out = orig(words, gaz, corpus, features)
    lows = [w.lower() for w in words]
    for i, w in enumerate(lows):
        if "word" in VAR:
            out[i] += ["cl=" + x for x in topl.get(w, ())] + ["cr=" + x for x in topr.get(w, ())]
        if "freq" in VAR:
            out[i].append("fq=" + str(min(freq.get(w, 0), 64).bit_length()))
    if "run" in VAR:
        for a, b in F.capital_runs(words):
            surf = " ".join(lows[a:b+1])
            for i in range(a, b+1):
                out[i] += ["rcl=" + x for x in rtopl.get(surf, ())] + ["rcr=" + x for x in rtopr.get(surf, ())]
    return out
C.sequence_features = patched
for v in variants:
    VAR = v.split("+")
    for n in sizes:
        c0 = time.process_time()
        m = B.train({lang: pool[:n]})
        f, k = B.dev_figures(m, dev)
        print(f"{lang} n={n} ctx={v} top={TOPN} F1={f:.4f} keys={k:.3f} train+eval {time.process_time()-c0:.1f}s", flush=True)
