"""The corpus features of this round: flat k-means cluster ids beside the tree's paths,
the neighbours' capitalisation, and how strongly neighbouring words stick together
across the corpus (corpus_stats.PairStats); in cased and caseless scripts alike."""

import unicodedata

from annotator.suggest.corpus_stats import build, pair_stats
from annotator.suggest.features import FeatureSet, sequence_features
from annotator.suggest.word_clusters import learn

from .test_word_clusters import _corpus

BENGALI = ["শেখ হাসিনা ঢাকায় বক্তৃতা দেন ।", "শেখ হাসিনা আজ চট্টগ্রামে গেলেন ।", "মানুষ ঢাকায় কাজ করেন ।"] * 4
VIETNAMESE = ["Hà Nội là thủ đô .", "Người dân Hà Nội nói vậy .", "Tôi sống ở Hà Nội ."] * 4


def test_flat_clusters_give_every_word_an_id_per_size_and_group_shared_contexts():
    _labelled, documents, unseen, names, common = _corpus()
    clusters = learn([d.split() for d in documents], flat_sizes=(4, 16))
    assert set(clusters.flat) == set(clusters.paths)  # every word with a path has flat ids
    assert all(len(ids) == 2 and ids[0] < 4 and ids[1] < 16 for ids in clusters.flat.values())
    coarse = {w: clusters.flat_ids(w)[0] for w in [*names, unseen, *common]}
    assert {coarse[w] for w in names}.isdisjoint({coarse[w] for w in common})
    assert coarse[unseen] in {coarse[w] for w in names}
    assert learn([d.split() for d in documents]).flat == {}  # none asked: none learnt


def test_flat_cluster_features_of_the_word_and_its_neighbours():
    _labelled, documents, unseen, _names, _common = _corpus()
    corpus = build(documents, flat_sizes=(2, 8))
    words = ["we", "saw", unseen, "."]
    ids = corpus.clusters.flat_ids(unseen)
    feats = sequence_features(words, corpus=corpus, features=FeatureSet(flat_sizes=(2, 8), flat_window=1))
    assert f"k2={ids[0]}" in feats[2] and f"k8={ids[1]}" in feats[2]
    assert f"+1k2={ids[0]}" in feats[1] and f"-1k8={ids[1]}" in feats[3]
    plain = sequence_features(words, corpus=corpus, features=FeatureSet())
    assert not any(f.startswith(("k2=", "+1k2=")) for f in plain[2])  # off unless asked


def test_flat_clusters_in_bengali():
    corpus = build(BENGALI, flat_sizes=(2,))
    words = BENGALI[0].split()
    feats = sequence_features(words, corpus=corpus, features=FeatureSet(flat_sizes=(2,)))
    assert corpus.clusters.flat_ids("হাসিনা") is not None
    assert any(f.startswith("k2=") for f in feats[1])


def _filler(n):
    """n sentences of words seen once each: a corpus big enough for a strong pair to stand out."""
    return [[f"w{i}a", f"w{i}b", f"w{i}c", "."] for i in range(n)]


def test_pair_links_count_words_that_stick_together():
    sents = [s.split() for s in VIETNAMESE] + _filler(1500)
    stats = pair_stats(sents)
    assert stats.bucket("Hà", "Nội") == "4top"  # twelve times, always together, in 6,076 words
    assert stats.bucket("là", "Hà") == "0"  # never side by side
    assert stats.bucket("w1a", "w1b") == "1top"  # once: the count says how little it is worth
    assert stats.bucket("w1c", ".") == "1lo"  # "." follows everything: a weak link
    assert stats.bucket("HÀ", "NỘI") == "4top"  # case does not matter
    decomposed = unicodedata.normalize("NFD", "Hà"), unicodedata.normalize("NFD", "Nội")
    assert decomposed != ("Hà", "Nội") and stats.bucket(*decomposed) == "4top"


def test_pair_link_features_sit_on_both_words_of_a_pair():
    corpus = build(VIETNAMESE + [" ".join(s) for s in _filler(1500)], pairs=True)
    words = "Tôi sống ở Hà Nội .".split()
    feats = sequence_features(words, corpus=corpus, features=FeatureSet(pairs=True))
    assert "+a=4top" in feats[3] and "-a=4top" in feats[4]
    assert not any(f.startswith("-a=") for f in feats[0]) and not any(f.startswith("+a=") for f in feats[-1])
    assert not any(f.startswith(("+a=", "-a=")) for f in sequence_features(words, corpus=corpus,
                                                                           features=FeatureSet())[3])
    bengali = build(BENGALI, pairs=True)
    words = BENGALI[0].split()
    feats = sequence_features(words, corpus=bengali, features=FeatureSet(pairs=True))
    assert any(f.startswith("+a=4") for f in feats[0])  # "শেখ হাসিনা": eight times together


def test_neighbours_capitalisation():
    corpus = build(["Then we met Smith in Paris .", "and Smith left Paris again ."] * 2 + BENGALI)
    words = "we met Smith in Paris".split()
    feats = sequence_features(words, corpus=corpus, features=FeatureSet(capitals_window=1))
    assert "cs=1+" in feats[2] and "-1cs=1+" in feats[3] and "+1cs=1+" in feats[1]
    assert "+1cs=0" in feats[2]  # "in": only ever lower case mid-sentence (twice)
    bengali = sequence_features(BENGALI[0].split(), corpus=corpus, features=FeatureSet(capitals_window=2))
    assert not any("cs=" in f for fs in bengali for f in fs)  # caseless: no bucket, none for the neighbours


def test_cluster_pairs_join_a_words_cell_with_its_neighbours():
    _labelled, documents, unseen, _names, _common = _corpus()
    corpus = build(documents)
    words = ["mister", unseen, "said"]
    cells = [str(corpus.clusters.path(w)[0]) for w in words]
    feats = sequence_features(words, corpus=corpus, features=FeatureSet(cluster_pairs=1))
    assert f"cp1+={cells[0]}|{cells[1]}" in feats[0] and f"cp1-={cells[0]}|{cells[1]}" in feats[1]
    assert f"cp1+={cells[1]}|{cells[2]}" in feats[1] and f"cp1-={cells[1]}|{cells[2]}" in feats[2]
    two = sequence_features(words, corpus=corpus, features=FeatureSet(cluster_pairs=2))
    second = ".".join(map(str, corpus.clusters.path(unseen)[:2]))
    assert any(f.startswith("cp2-=") and f.endswith("|" + second) for f in two[1])
    # Bengali: the words' cells, and "-" for a token with no cluster ("।")
    bengali = build(BENGALI)
    words = BENGALI[0].split()
    feats = sequence_features(words, corpus=bengali, features=FeatureSet(cluster_pairs=1))
    assert any(f.startswith("cp1+=") and f.endswith("|-") for f in feats[-2])
    assert not any(f.startswith("cp1") for f in sequence_features(words, corpus=bengali, features=FeatureSet())[0])


def test_run_places_say_where_a_word_stands_in_capitalised_runs():
    from annotator.suggest.corpus_stats import run_stats

    stats = run_stats([s.split() for s in ["on the St. Lawrence River today", "the Ottawa River flows",
                                           "the river St. Lawrence", "Smith left", "I met Smith"]])
    assert stats.places_of("River") == ["E"] and stats.places_of("st.") == ["B"]
    assert stats.places_of("Lawrence") == ["I", "E"]  # once inside, once last
    assert stats.places_of("Smith") == ["S"]  # a run of its own both times
    assert stats.places_of("Ottawa") == ["few"] and stats.places_of("flows") == []
    corpus = build(VIETNAMESE, runs=True)
    feats = sequence_features("Tôi sống ở Hà Nội .".split(), corpus=corpus, features=FeatureSet(run_places=True))
    assert "crp=B" in feats[3] and "crp=E" in feats[4]
    assert not any(f.startswith("crp=") for f in feats[1])  # "sống": never capitalised
    assert not any(f.startswith("crp=") for fs in sequence_features(BENGALI[0].split(), corpus=build(
        BENGALI, runs=True), features=FeatureSet(run_places=True)) for f in fs)  # caseless: no runs
