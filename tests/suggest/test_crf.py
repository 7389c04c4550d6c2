import random

from annotator.suggest.base import Example
from annotator.suggest.crf import CrfSettings, CrfTagger, bio_tags, decode
from annotator.suggest.tokens import tokenize


def _name(rng):
    return rng.choice("BDFGKLMNPRST") + "".join(rng.choice("aeiou") + rng.choice("lmnrst") for _ in range(2))


def _sentence(rng, name, org):
    """PERSON after "Mr", ORG after "at the": a pattern only context reveals for unseen names."""
    parts = [("Yesterday ", None), ("Mr ", None), (name, "PERSON"), (" spoke at the ", None), (org, "ORG"),
             (" in town.", None)]
    text, spans = "", []
    for piece, label in parts:
        if label:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return Example(text, "en", tuple(spans))


def test_bio_round_trip():
    text = "Mr Pal met the New Bank ."
    toks = tokenize(text)
    spans = [(3, 6, "PERSON"), (15, 23, "ORG")]
    tags = bio_tags(toks, spans)
    assert tags == ["O", "B-PERSON", "O", "O", "B-ORG", "I-ORG", "O"]
    assert [(s, e, lab) for s, e, lab, _i, _j in decode(toks, tags)] == spans
    # an I- without its B- starts a span (crfsuite may emit one)
    assert [lab for _s, _e, lab, _i, _j in decode(toks, ["I-ORG", "O", "O", "O", "I-ORG", "I-ORG", "O"])] == ["ORG", "ORG"]


def test_crf_learns_a_pattern_and_finds_unseen_names():
    rng = random.Random(7)
    train = [_sentence(rng, _name(rng), _name(rng) + " Bank") for _ in range(60)]
    model = CrfTagger(settings=CrfSettings(max_iterations=50)).train({"en": train})
    held_out = [_sentence(rng, "Zuvoxi", "Quelpar Bank"), _sentence(rng, "Wakandi", "Hyxo Bank")]
    for ex in held_out:
        got = model.predict(ex.text, "en")
        assert [(s.start, s.end, s.label) for s in got] == list(ex.spans)
        assert all(0.5 < s.score <= 1.0 and s.source == "crf" for s in got)
    assert model.predict("Mr Zuvoxi spoke.", "fr") == []  # no model for a language without examples
    assert 0.0 < model.confidence(held_out[0].text, "en") <= 1.0


def test_languages_are_separate_models():
    rng = random.Random(3)
    train = {"en": [_sentence(rng, _name(rng), _name(rng) + " Bank") for _ in range(30)],
             "xx": [Example("nothing here at all", "xx", ())]}
    model = CrfTagger(settings=CrfSettings(max_iterations=30)).train(train)
    assert set(model.model_bytes) == {"en"}  # no spans in xx: nothing to learn a label from


def test_the_tagger_does_not_cut_a_name_after_an_ordinals_dot():
    from annotator.suggest.crf import _sentences

    for text in ("2001 unterschrieb er beim 1. FC Kaiserslautern .", "Wilhelm II. ( Hessen-Wanfried-Rheinfels )",
                 "Hugh FitzRoy , 11. Duke of Grafton"):
        assert _sentences(text, "de") == [(0, len(text))], text
    # a real sentence end is still cut, a year's dot included
    assert len(_sentences("Er kam 1990. Dann ging er .", "de")) == 2
    assert len(_sentences("He left. Then he came back .", "en")) == 2
