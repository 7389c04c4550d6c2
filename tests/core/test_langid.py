"""Language identification: every language py3langid knows is a candidate, the project's
languages are preferred only when close behind (core.langid's margin)."""

import json

import pytest

from annotator.core import langid
from annotator.formats.plaintext import read_txt
from annotator.paths import seeds_dir
from annotator.store.project import DEFAULT_LANGUAGES

# Short news-like sentences written for these tests.
SPANISH = ("El Gobierno aprobó el martes un nuevo plan de ayudas para los agricultores afectados por la "
           "sequía, según informó la ministra en una rueda de prensa en Madrid.")
DUTCH = ("De regering heeft dinsdag een nieuw steunpakket aangekondigd voor boeren die getroffen zijn door "
         "de droogte, zo maakte de minister bekend tijdens een persconferentie in Den Haag.")
FRENCH = ("Le gouvernement a présenté mardi un nouveau plan d'aide aux agriculteurs touchés par la "
          "sécheresse, a annoncé la ministre lors d'une conférence de presse à Paris.")


@pytest.mark.parametrize(("text", "lang"), [(SPANISH, "es"), (DUTCH, "nl"), (FRENCH, "fr")])
def test_languages_outside_the_project_are_found_and_its_own_kept(text, lang):
    # The default project lists fr and en: Spanish was stored as French, Dutch as English.
    guess = langid.identify(text, DEFAULT_LANGUAGES)
    assert guess.lang == lang and guess.likeliest == lang
    assert guess.confidence > 0.9
    assert langid.guess_language(text, ("fr", "en")) == lang


def test_a_one_language_project_does_not_force_its_language():
    assert langid.guess_language(SPANISH, ("en",)) == "es"


def test_the_seeds_keep_their_languages():
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        text = read_txt(seeds_dir() / entry["file"]).text
        assert langid.guess_language(text, tuple(manifest["languages"])) == entry["lang"], entry["file"]


def test_a_close_project_language_is_preferred_and_said_so():
    # Serbian in Latin script scores as Bosnian; Serbian is the project's, close behind.
    serbian = next(e for e in json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))["documents"]
                   if e["lang"] == "sr")
    text = read_txt(seeds_dir() / serbian["file"]).text
    without = langid.identify(text, ())
    assert without.lang != "sr"  # what the model alone says: the preference is doing the work
    guess = langid.identify(text, ("sr", "en"))
    assert guess.lang == "sr" and guess.likeliest == without.lang
    line = langid.summary([guess, langid.identify(SPANISH, ("sr", "en")), langid.identify(DUTCH, ("sr", "en"))])
    assert line.startswith("language identified for 3 document(s): es 1 (lowest confidence ")
    assert f"sr 1 (lowest confidence {guess.confidence:.2f}; 1 preferred over {without.lang}, " in line


def test_the_summary_gives_the_lowest_confidence_per_language():
    guesses = [langid.Guess("es", 0.99, "es"), langid.Guess("es", 0.71, "es"), langid.Guess("nl", 0.98, "nl")]
    assert langid.summary(guesses) == ("language identified for 3 document(s): es 2 (lowest confidence 0.71), "
                                       "nl 1 (lowest confidence 0.98)")


def _py3langid_decision(ident, text, languages):
    """core.langid's decision as it was made from py3langid's own rank() (float16 table):
    what identify_many must reproduce."""
    sample = text[:langid.MAX_CHARS]
    size = max(1, len(sample.encode("utf-8", "surrogatepass")))
    ranked = ident.rank(sample)
    best_lang, best = ranked[0]
    lang, score = next(((la, s) for la, s in ranked if la in set(languages)), (best_lang, best))
    if (best - score) / size > langid.PREFERENCE_MARGIN:
        lang, score = best_lang, best
    temperature = size ** 0.5
    total = sum(pow(2.718281828459045, (s - best) / temperature) for _la, s in ranked)
    return lang, best_lang, pow(2.718281828459045, (score - best) / temperature) / total


def test_batched_decisions_are_py3langids_own():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    seeds = [read_txt(seeds_dir() / e["file"]).text for e in manifest["documents"]]
    # Featureless, upper case (lowered by py3langid), digits only, a close pair (sr/bs), Cyrillic Serbian
    # (an aliased label: two model columns), and enough texts to cross a batch boundary.
    texts = ["", "   ", "12345", "NATO SUMMIT IN BRUSSELS", "Влада Србије је усвојила нови план.",
             SPANISH, DUTCH, FRENCH, *seeds] * 60
    assert len(texts) > langid._BATCH
    for languages in ((), ("sr", "en"), DEFAULT_LANGUAGES, ("de", "nl")):
        guesses = langid.identify_many(texts, languages)
        for text, guess in zip(texts, guesses, strict=True):
            lang, likeliest, confidence = _py3langid_decision(shipped, text, languages)
            assert (guess.lang, guess.likeliest) == (lang, likeliest), text[:40]
            assert guess.confidence == pytest.approx(confidence, rel=1e-9, abs=1e-12)
        for alone, batched in zip([langid.identify(t, languages) for t in texts[:9]], guesses, strict=False):
            assert (alone.lang, alone.likeliest) == (batched.lang, batched.likeliest)
            assert alone.confidence == pytest.approx(batched.confidence, rel=1e-12)


def test_the_float32_table_scores_as_the_shipped_float16_one():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    scores = langid._scores([SPANISH, DUTCH, ""])
    for text, row in zip([SPANISH, DUTCH, ""], scores, strict=True):
        assert dict(zip(langid._model().labels, row.tolist(), strict=True)) == dict(shipped.rank(text))
