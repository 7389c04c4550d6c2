"""The CRF's update after a commit (suggest/crf_update.py, crf.CrfUpdater, crf_job.update):
crfsuite's model read into numpy tags as crfsuite does, an update learns a commit and
featurises only what changed, and the model crosses processes with only the attributes
the other side lacks."""

from __future__ import annotations

import pickle

import pycrfsuite
import pytest

from annotator.suggest import crf as crf_module
from annotator.suggest import crf_job
from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel, CrfSettings, CrfUpdater, sentence_items
from annotator.suggest.crf_update import LinearCrf
from annotator.suggest.training import train_crf

TEXTS = ["Talks between NATO and the EU resumed in Brussels on Monday .",
         "NATO said the EU would send observers to Pristina .",
         "The EU and NATO met again in Brussels .",
         "Delegates of the EU arrived in Vienna ."]
SETTINGS = CrfSettings(max_iterations=50)


def labelled(text: str, names: dict[str, str]) -> Example:
    spans = []
    for name, label in names.items():
        start = text.find(name)
        while start >= 0:
            spans.append((start, start + len(name), label))
            start = text.find(name, start + 1)
    return Example(text, "en", tuple(sorted(spans)))


NAMES = {"NATO": "ORG", "EU": "ORG", "Brussels": "LOC", "Vienna": "LOC"}


def examples(names: dict[str, str] = NAMES) -> dict[str, list[Example]]:
    return {"en": [labelled(t, names) for t in TEXTS] * 3}


def found(model: CrfModel, text: str) -> set[tuple[str, str]]:
    return {(text[s.start:s.end], s.label) for s in model.predict(text, "en")}


def test_crfsuites_model_read_into_numpy_tags_and_scores_as_crfsuite_does():
    crf = train_crf(examples(), settings=SETTINGS, texts={"en": TEXTS})
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(crf.model_bytes["en"])
    updater = CrfUpdater(SETTINGS)
    updater.prime(crf, examples())
    linear = updater._langs["en"].model
    assert isinstance(linear, LinearCrf)
    text = "Observers from NATO flew to Vienna and Brussels on Friday ."
    for _toks, items in sentence_items(text, "en", (), None, crf.corpus["en"]):
        tagger.set(items)
        tags = tagger.tag()
        ours, marginals, probability = linear.tag(items)
        assert ours == tags
        # crfsuite gives its weights to six decimals (Tagger.info reads its model's dump)
        assert marginals == pytest.approx([tagger.marginal(t, k) for k, t in enumerate(tags)], abs=1e-5)
        assert probability == pytest.approx(tagger.probability(tags), abs=1e-5)


def test_an_update_learns_a_commit_and_featurises_only_the_changed_sentences(monkeypatch):
    before = examples({k: v for k, v in NAMES.items() if k != "Pristina"})
    crf = train_crf(before, settings=SETTINGS, texts={"en": TEXTS})
    updater = CrfUpdater(SETTINGS)
    updater.prime(crf, before)
    text = "Talks resumed in Pristina on Monday ."
    assert ("Pristina", "LOC") not in found(crf, text)
    featurised = []
    real = crf_module._sentence_items
    monkeypatch.setattr(crf_module, "_sentence_items", lambda *a: featurised.append(a[0][a[1]:a[2]]) or real(*a))
    after = examples({**NAMES, "Pristina": "LOC"})  # the commit labels Pristina in the second text
    updated = crf
    for _ in range(3):
        updated = updater.update(updated, after)
    assert featurised == [TEXTS[1]]  # once, though it occurs three times and three updates ran
    assert ("Pristina", "LOC") in found(updated, text)
    assert updated.model_bytes == crf.model_bytes and set(updated.linear) == {"en"}
    assert ("Pristina", "LOC") not in found(crf, text)  # the model in use before is left as it was


def test_the_job_updates_the_crf_it_has_and_sends_only_the_attributes_the_caller_lacks():
    job = crf_job.CrfJob(examples(), {"en": TEXTS}, settings=SETTINGS)
    trained = crf_job.train(job)
    assert trained.crf is not None
    wrong = crf_job.update(crf_job.CrfUpdate(examples(), trained.serial + 1, {}, SETTINGS))
    assert wrong.linear is None  # not the CRF this process has: the caller trains instead
    first = crf_job.update(crf_job.CrfUpdate(examples(), trained.serial, {}, SETTINGS))
    assert first.linear is not None and first.serial != trained.serial
    wire = pickle.loads(pickle.dumps(first.linear["en"]))
    model = wire.model(None)
    assert wire.start == 0 and len(model.vocabulary.attrs) == len(wire.attrs)
    grown = examples({**NAMES, "Pristina": "LOC"})
    grown["en"].append(labelled("Observers reached Kosovska Mitrovica and Pristina .", {"Pristina": "LOC"}))
    known = {"en": (model.vocabulary.uid, len(model.vocabulary.attrs))}
    second = crf_job.update(crf_job.CrfUpdate(grown, first.serial, known, SETTINGS))
    assert second.linear is not None
    wire2 = pickle.loads(pickle.dumps(second.linear["en"]))
    assert wire2.start == len(wire.attrs) and 0 < len(wire2.attrs) < len(wire.attrs)  # only the new attributes
    here = CrfModel("crf", trained.crf.model_bytes, None, 0.0, trained.crf.corpus, {"en": wire2.model(model.vocabulary)})
    there = crf_job._kept.crf
    assert there is not None
    text = "Observers reached Kosovska Mitrovica ."
    assert here.predict(text, "en") == pytest.approx(there.predict(text, "en"))
    with pytest.raises(ValueError, match="vocabulary"):
        wire2.model(None)  # a partial wire needs the vocabulary it continues
