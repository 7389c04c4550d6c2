import sys, time
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfSettings
lang=sys.argv[1]; n=int(sys.argv[2])
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
for spec in sys.argv[3:]:
    it, c1, c2 = spec.split(":")
    c0=time.process_time()
    m = B.train({lang: pool[:n]}, CrfSettings(max_iterations=int(it), c1=float(c1), c2=float(c2)))
    f,k = B.dev_figures(m, dev)
    print(f"{lang} n={n} it={it} c1={c1} c2={c2} F1={f:.4f} keys={k:.3f} train {time.process_time()-c0:.1f}s", flush=True)
