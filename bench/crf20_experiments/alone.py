import sys, pickle
sys.path.insert(0, "/work/wt/crf20/bench")
import bench_suggest as B
from annotator.suggest.crf import CrfModel
from annotator.suggest.training import Suggester
lang="en"; n=5000
sents = B.load(B.DATA / lang / "train", lang)
pool, dev, test, _ = B.split(sents)
m = pickle.load(open(f"model_{lang}_{n}.pkl","rb"))
crf = next(x for x in m.models if isinstance(x, CrfModel))
print("combined", B.dev_figures(m, dev))
print("crf alone", B.dev_figures(Suggester([crf]), dev))
for t in (0.3, 0.5, 0.7, 0.9):
    print("matcher", t, B.dev_figures(Suggester.of({lang: pool[:n]}, crf, matcher_min_score=t), dev))
