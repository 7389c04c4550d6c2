import sys, time
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
lang=sys.argv[1]
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
for n in [int(x) for x in sys.argv[2:]]:
    m = B.train({lang: pool[:n]})
    s, k, _ = B.evaluate(m, test)
    print(f"{lang} n={n} test F1={s.prf()[2]:.4f} keys={k.per_span():.4f}", flush=True)
