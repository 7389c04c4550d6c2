"""Offline language identification restricted to the project's languages.

py3langid ships its model inside the wheel; nothing is downloaded. Loading the model
takes about a second, so it happens on first use only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = [lang for lang in languages if lang in ident.nb_classes]
    if known:
        ident.set_languages(known)
    return ident


def guess_language(text: str, languages: tuple[str, ...]) -> str:
    """The most likely of `languages` (ISO 639-1 codes) for `text`."""
    if len(languages) == 1:
        return languages[0]
    lang: str
    lang, _prob = _identifier(tuple(sorted(languages))).classify(text[:20000])
    return lang
