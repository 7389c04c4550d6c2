import sys, time
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel, CrfSettings
from annotator.suggest.training import Suggester
lang=sys.argv[1]; variant=sys.argv[2]; cps=tuple(int(x) for x in sys.argv[3].split(","))
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
B.TEXTS[lang] = [e.text for e in sents]
def conf(self, text, lang):
    crf = [m for m in self.models if isinstance(m, CrfModel)][0]
    tagged = crf._tag(text, lang)
    if variant == "min":
        return min((min(m) for _t, _tags, m, _p in tagged), default=1.0)
    if variant == "sum":  # expected wrong tokens: long, unsure sentences first
        return -sum(1 - x for _t, _tags, m, _p in tagged for x in m)
    if variant == "sumunsure":  # tokens under 0.9
        return -sum(1 for _t, _tags, m, _p in tagged for x in m if x < 0.9)
Suggester.confidence = conf
c0=time.process_time()
rows, run_keys, _ = B.simulate(pool, dev, True, CrfSettings(), 0.5, cps)
for r in rows:
    print(f"{lang} active-{variant} n={r['n']} dev F1={r['f1']:.4f} keys={r['keys']:.4f} tokens={r['tokens']}", flush=True)
print(f"run keys {run_keys.per_span():.3f}; {time.process_time()-c0:.0f}s CPU")
