import sys, pickle, collections
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
lang = sys.argv[1]; n = int(sys.argv[2])
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
m = B.train({lang: pool[:n]})
pickle.dump(m, open(f"/tmp/crf20/model_{lang}_{n}.pkl", "wb"))
kinds = collections.Counter()
out = open(f"/tmp/crf20/errors_{lang}_{n}.txt", "w")
for ex in dev:
    pred = set(B.spans_of(m, ex)); gold = set(ex.spans)
    for g in gold - pred:
        ov = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
        if not ov: kind = "missed"
        elif any(p[:2] == g[:2] for p in ov): kind = "label"
        else: kind = "edge"
        kinds[kind] += 1
        out.write(f"{kind}\tG={ex.text[g[0]:g[1]]!r}/{g[2]}\tP={[ (ex.text[p[0]:p[1]], p[2]) for p in ov]}\t|| {ex.text}\n")
    for p in pred - gold:
        if not any(g[0] < p[1] and p[0] < g[1] for g in gold):
            kinds["spurious"] += 1
            out.write(f"spurious\tP={ex.text[p[0]:p[1]]!r}/{p[2]}\t|| {ex.text}\n")
print(kinds)
