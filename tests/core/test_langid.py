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
