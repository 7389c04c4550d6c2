import random

from annotator.suggest.base import Example
from annotator.suggest.corpus_stats import build, capital_stats
from annotator.suggest.crf import CrfSettings
from annotator.suggest.training import Suggester
from annotator.suggest.word_clusters import learn


def _word(rng):
    """Names and common words from one generator: no shape or affix tells them apart."""
    return "".join(rng.choice("bdfgklmnprst") + rng.choice("aeiou") for _ in range(3))


def _corpus(seed=5):
    """Labelled: "we saw X ." where X is a name (PERSON) or a common word (nothing), so the
    context says nothing. Unlabelled documents: names stand after "mister" and before
    "said", common words after "many" and before "grow"; one name, `unseen`, is never in
    a labelled sentence."""
    rng = random.Random(seed)
    vocab = sorted({_word(rng) for _ in range(200)})
    rng.shuffle(vocab)  # names and common words share first letters too
    names, common = vocab[:40], vocab[40:80]
    unseen = names.pop()
    labelled = []
    for w in names:
        labelled.append(Example(f"we saw {w} .", "en", ((7, 7 + len(w), "PERSON"),)))
    for w in common:
        labelled.append(Example(f"we saw {w} .", "en", ()))
    documents = [e.text for e in labelled]
    for w in [*names, unseen]:
        documents += [f"then mister {w} said so .", f"and mister {w} said no ."]
    for w in common:
        documents += [f"so many {w} grow here .", f"not many {w} grow now ."]
    return labelled, documents, unseen, names, common


def test_clusters_put_words_of_the_same_contexts_together():
    _labelled, documents, unseen, names, common = _corpus()
    clusters = learn([d.split() for d in documents])
    top = {w: clusters.path(w)[0] for w in [*names, unseen, *common]}
    assert {top[w] for w in names} .isdisjoint({top[w] for w in common})
    assert top[unseen] in {top[w] for w in names}


def test_an_unlabelled_name_like_the_labelled_ones_is_suggested():
    """The user's corpus makes the tagger suggest a name no annotator ever labelled, in a
    sentence whose context and shape say nothing; without the corpus it is not."""
    labelled, documents, unseen, _names, _common = _corpus()
    text = f"we saw {unseen} ."
    settings = CrfSettings(max_iterations=60)
    with_corpus = Suggester.train({"en": labelled}, settings=settings, texts={"en": documents})
    got = with_corpus.suggest(text, "en")
    assert [(s.start, s.end, s.label, s.source) for s in got] == [(7, 7 + len(unseen), "PERSON", "crf")]
    assert got[0].score > 0.7
    # the labelled texts alone: a coin flip at best
    without = Suggester.train({"en": labelled}, settings=settings).suggest(text, "en")
    assert all(s.score < 0.6 for s in without)


def test_clusters_are_deterministic():
    _labelled, documents, *_ = _corpus()
    sents = [d.split() for d in documents]
    assert learn(sents).paths == learn(sents).paths
    assert build(documents) == build(documents)


def test_capitalisation_across_the_corpus():
    stats = capital_stats([["The", "Cat", "met", "Smith", "."], ["Then", "the", "cat", "saw", "Smith", "again"],
                           ["Smith", "left", "."]])
    assert stats.bucket("Smith") == "1"  # capitalised both times it was not first (twice: under 3)
    assert stats.bucket("The") == "0"  # "the" mid-sentence in lower case only
    assert stats.bucket("Cat") == "hi"  # capitalised once in two: half or more
    assert stats.bucket("Left") == "0"
    assert stats.bucket("Then") == "-"  # never seen but first
    assert stats.bucket("2019") is None  # caseless
    assert "cat" in stats.lower_seen and "smith" not in stats.lower_seen


def test_a_words_embedding_rides_along_as_real_valued_features():
    from annotator.suggest.features import FEATURES, FeatureSet, sequence_features, with_vectors

    _labelled, documents, unseen, _names, _common = _corpus()
    corpus = build(documents)
    vec = corpus.clusters.vector(unseen)
    assert vec is not None and abs(float((vec ** 2).sum()) - 1.0) < 1e-4  # unit length, as the clusters cut it
    words = ["we", "saw", unseen, "!"]
    feats = sequence_features(words, corpus=corpus)
    items = with_vectors(words, feats, corpus)
    assert FEATURES.vectors > 0  # the kept feature set has them
    dims = [k for k in items[2] if k.startswith("e") and k[1:].isdigit()]
    assert items[2]["e0"] == float(vec[0]) * FEATURES.vectors and len(dims) == min(len(vec), FEATURES.vector_dims)
    assert all(items[2][f] == 1.0 for f in feats[2])  # the string features stay, each worth 1
    assert not any(k.startswith("e") and k[1:].isdigit() for k in items[3])  # "!" has no embedding
    assert with_vectors(words, feats, corpus, FeatureSet(vectors=0.0)) is feats
