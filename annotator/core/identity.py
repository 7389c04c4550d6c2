"""Who is annotating when nobody said: the login name."""

from __future__ import annotations

import getpass


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        return "annotator"


# The curated layer: what adjudication writes and `annotator export --gold` exports.
GOLD_ANNOTATOR = "gold"
