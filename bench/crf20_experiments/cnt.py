import sys, pickle
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
lang="en"
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
m = pickle.load(open("model_en_5000.pkl","rb"))
import collections
def comma_spans(spans, text):
    return sum(1 for s,e,l in spans if " , " in text[s:e])
g = sum(comma_spans(e.spans, e.text) for e in pool[:5000]); tot=sum(len(e.spans) for e in pool[:5000])
print("pool gold spans with comma", g, tot)
gd = sum(comma_spans(e.spans, e.text) for e in dev)
pd=0; ptot=0; right=0
for e in dev:
    p = B.spans_of(m, e); ptot+=len(p)
    cs = [x for x in p if " , " in e.text[x[0]:x[1]]]
    pd += len(cs); right += len(set(cs)&set(e.spans))
print("dev gold with comma", gd, "pred with comma", pd, "right", right, "pred", ptot)
