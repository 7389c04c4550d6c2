import sys, pickle, collections, time
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel, decode, sentence_items
from annotator.suggest.base import Suggestion
lang=sys.argv[1]; n=int(sys.argv[2])
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
try:
    m = pickle.load(open(f"model_{lang}_{n}.pkl","rb"))
except FileNotFoundError:
    m = B.train({lang: pool[:n]}); pickle.dump(m, open(f"model_{lang}_{n}.pkl","wb"))
crf = next(x for x in m.models if isinstance(x, CrfModel))
tagger = crf._tagger(lang)
labels = [l for l in tagger.labels()]
LAB = sorted({l[2:] for l in labels if l != "O"})
def tag_full(text):
    out = []
    for toks, items in sentence_items(text, lang, (), crf._gazetteer, crf.corpus.get(lang)):
        tagger.set(items)
        tags = tagger.tag()
        marg = [{l: tagger.marginal(l, k) for l in labels} for k in range(len(toks))]
        out.append((toks, tags, marg))
    return out
t0=time.process_time()
corpus = list(dict.fromkeys(B.TEXTS[lang]))
annotated = {e.text: e for e in pool[:n]}
votes = collections.defaultdict(lambda: collections.Counter())
tagged = {}
for t in corpus:
    if t in annotated:
        ex = annotated[t]
        for s,e,l in ex.spans:
            votes[t[s:e]][l] += float(sys.argv[3]) if len(sys.argv)>3 else 1.0
        continue
    res = tag_full(t); tagged[t] = res
    for toks, tags, marg in res:
        for s,e,l,i,j in decode(toks, tags):
            for L in LAB:
                votes[t[s:e]][L] += sum(marg[k].get(("B-" if k==i else "I-")+L, 0) for k in range(i,j+1))/(j-i+1)
print("tagged corpus", time.process_time()-t0, "s", flush=True)
def score(relabel, margin):
    sc = B.Scores(); keys = B.Keys()
    changed = 0
    for ex in dev:
        preds = m.suggest(ex.text, lang)
        out = []
        for p in preds:
            surf = ex.text[p.start:p.end]
            v = votes.get(surf)
            if relabel and v and p.source == "crf":
                best, bv = v.most_common(1)[0]
                tot = sum(v.values())
                if best != p.label and bv/tot >= margin:
                    p = Suggestion(p.start, p.end, best, p.score, p.source); changed += 1
            out.append((p.start,p.end,p.label))
        sc.tp += len(set(out)&set(ex.spans)); sc.pred += len(out); sc.gold += len(ex.spans); keys.add(ex.spans, out)
    print(f"relabel={relabel} margin={margin} changed={changed} F1={sc.prf()[2]:.4f} keys={keys.per_span():.3f}", flush=True)
score(False, 0)
for mg in (0.5, 0.6, 0.7, 0.8):
    score(True, mg)
