"""Knowledge-base identifiers of entity clusters: Wikidata QIDs (Q42), nothing else yet."""

from __future__ import annotations

import re

QID = re.compile(r"Q[1-9][0-9]*", re.ASCII)


def kb_problem(kb: str | None) -> str | None:
    """Why `kb` is not a knowledge-base id a cluster may carry, or None (no id is fine)."""
    if kb is None or QID.fullmatch(kb):
        return None
    return f"{kb!r} is not a Wikidata id (Q followed by digits, no leading zero, e.g. Q458)"
