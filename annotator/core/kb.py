"""Knowledge-base identifiers of entity clusters: Wikidata QIDs (Q42), nothing else yet;
and the table of them a user imports (CSV rows of id, label, aliases), with the ids it
suggests for a cluster's mentions."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from annotator.core.errors import InputError
from annotator.core.translit import name_key

QID = re.compile(r"Q[1-9][0-9]*", re.ASCII)
HEADER = ["id", "label", "aliases"]
ALIAS_SEPARATOR = "|"  # aliases share one cell: the comma separates the columns
MAX_PROBLEMS_LISTED = 20


def kb_problem(kb: str | None) -> str | None:
    """Why `kb` is not a knowledge-base id a cluster may carry, or None (no id is fine)."""
    if kb is None or QID.fullmatch(kb):
        return None
    return f"{kb!r} is not a Wikidata id (Q followed by digits, no leading zero, e.g. Q458)"


@dataclass(frozen=True)
class KbEntry:
    id: str
    label: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


def parse_kb_table(text: str, where: str) -> list[KbEntry]:
    """The rows of a knowledge-base table: `id,label,aliases` (aliases separated by "|",
    the column optional; a first row naming the columns is a header). Every bad row is
    an error naming `where` and its line, all of them at once (the first
    MAX_PROBLEMS_LISTED and how many more): a table is taken whole or not at all."""
    reader = csv.reader(io.StringIO(text, newline=""))
    entries: list[KbEntry] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    first = True
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if first and [c.lower() for c in cells] in (HEADER[:2], HEADER):
                first = False
                continue  # the column names
            first = False
            why = _row_problem(cells, seen)
            if why:
                problems.append(f"line {line}: {why}")
                continue
            seen[cells[0]] = line
            aliases = tuple(a.strip() for a in cells[2].split(ALIAS_SEPARATOR) if a.strip()) if len(cells) == 3 else ()
            entries.append(KbEntry(cells[0], cells[1], aliases))
    except csv.Error as exc:  # a quote left open: the rest of the file cannot be read
        problems.append(f"line {reader.line_num}: {exc}")
    if problems:
        more = len(problems) - MAX_PROBLEMS_LISTED
        listed = "; ".join(problems[:MAX_PROBLEMS_LISTED]) + (f"; and {more} more" if more > 0 else "")
        n = len(problems)
        raise InputError(where, None, f"{n} bad row{'s' if n != 1 else ''}, nothing imported: {listed}")
    if not entries:
        raise InputError(where, None, "no rows: expected id,label,aliases (e.g. Q458,European Union,EU|UE)")
    return entries


def _row_problem(cells: list[str], seen: dict[str, int]) -> str | None:
    if len(cells) not in (2, 3):
        return f"expected id,label[,aliases], found {len(cells)} column{'s' if len(cells) != 1 else ''}"
    if why := kb_problem(cells[0]):
        return why
    if not cells[1]:
        return f"{cells[0]} has an empty label"
    if cells[0] in seen:
        return f"{cells[0]} is already on line {seen[cells[0]]}"
    return None


@dataclass(frozen=True)
class KbSuggestion:
    entry: KbEntry
    reason: str  # "label", "alias", "transliterated label", "transliterated alias"
    name: str  # the mention's text that matched


_RANK = {"label": 0, "alias": 1, "transliterated label": 2, "transliterated alias": 3}


class KbIndex:
    """A table looked up by name: exactly (case-folded) and by the transliterated form
    two names in different scripts share (core.translit.name_key)."""

    def __init__(self, entries: list[KbEntry]) -> None:
        self.entries = entries
        self._exact: dict[str, list[tuple[KbEntry, bool]]] = {}
        self._translit: dict[str, list[tuple[KbEntry, bool]]] = {}
        for e in entries:
            for i, name in enumerate(e.names()):
                self._exact.setdefault(name.casefold(), []).append((e, i == 0))
                if key := name_key(name):
                    self._translit.setdefault(key, []).append((e, i == 0))

    def suggest(self, mentions: list[str]) -> list[KbSuggestion]:
        """The entries whose label or an alias names one of `mentions`, exactly first,
        then transliterated; each entry once, at its best reason."""
        best: dict[str, KbSuggestion] = {}
        for text in dict.fromkeys(m.strip() for m in mentions if m.strip()):
            for table, prefix in ((self._exact, ""), (self._translit, "transliterated ")):
                key = text.casefold() if not prefix else name_key(text)
                for entry, is_label in table.get(key, []):
                    found = KbSuggestion(entry, prefix + ("label" if is_label else "alias"), text)
                    held = best.get(entry.id)
                    if held is None or _RANK[found.reason] < _RANK[held.reason]:
                        best[entry.id] = found
        order = {e.id: i for i, e in enumerate(self.entries)}
        return sorted(best.values(), key=lambda s: (_RANK[s.reason], order[s.entry.id]))
