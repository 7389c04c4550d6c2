"""Very long paragraphs, shown in pieces so the window stays responsive.

Qt lays a paragraph (a text block) out as a whole: a 16 MB one-line document took 16 s
and 900 MB in a QPlainTextEdit, a 51 MB one 28 s and 8.8 GB, while the same text in
paragraphs of 10,000 characters opens in a tenth of a second, since only the blocks on
screen are laid out. So a paragraph longer than LONGEST_WHOLE is shown broken into
lines of about PIECE characters: at a space, a tab or a line separator, which the view
shows as a line break instead. One character stands for one character, so every widget
position stays what it was (core.offsets needs no change) and the stored text is never
touched. A run of more than LONGEST_WHOLE characters without such a place cannot be
broken without moving positions: such a document is not shown, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONGEST_WHOLE = 100_000  # characters of one paragraph laid out at once
PIECE = 10_000  # about this many characters per shown line of a longer paragraph
BREAKS = " \t\u2028"  # shown as a line break; each is one position, like the break
_PARAGRAPH = re.compile("[^\n\r\u2029]+")  # Qt ends a paragraph at LF, CR and U+2029


@dataclass(frozen=True)
class Display:
    text: str | None  # what the view shows; None: nothing (see unbreakable)
    broken: int = 0  # paragraphs shown in pieces
    longest: int = 0  # characters of the longest such paragraph
    unbreakable: tuple[int, int] | None = None  # (start, length) of a run that cannot be broken

    def note(self, name: str) -> str:
        """One line for the user on what the view does with document `name`, or ''."""
        if self.unbreakable is not None:
            start, length = self.unbreakable
            return (f"“{name}” is not shown: from character {start:,} it has {length:,} characters without a "
                    f"space or line break, and the view lays out at most {LONGEST_WHOLE:,} at once. Split the "
                    "text into paragraphs (one per line) and import it again.")
        if self.broken:
            return (f"“{name}” has a paragraph of {self.longest:,} characters: shown in lines of about "
                    f"{PIECE:,}, broken at spaces (the text itself is unchanged)")
        return ""


def for_display(text: str) -> Display:
    """How the view shows `text`: unchanged unless a paragraph is over LONGEST_WHOLE."""
    if len(text) <= LONGEST_WHOLE:
        return Display(text)
    # Each paragraph matched once: linear (a pattern asking for LONGEST_WHOLE + 1 characters
    # would rescan every shorter paragraph from each of its characters).
    longs = [m.span() for m in _PARAGRAPH.finditer(text) if m.end() - m.start() > LONGEST_WHOLE]
    if not longs:
        return Display(text)
    out, done = [], 0
    for start, end in longs:
        breaks = _breaks(text, start, end)
        if isinstance(breaks, tuple):
            return Display(None, unbreakable=breaks)
        for k in breaks:
            out.append(text[done:k])
            out.append("\n")
            done = k + 1
    out.append(text[done:])
    return Display("".join(out), broken=len(longs), longest=max(e - s for s, e in longs))


def _breaks(text: str, start: int, end: int) -> list[int] | tuple[int, int]:
    """Positions in [start, end) to show as line breaks, about PIECE apart; or the
    (start, length) of a run longer than LONGEST_WHOLE with no place to break."""
    out, pos = [], start
    while end - pos > PIECE:
        k = max(text.rfind(c, pos + 1, pos + PIECE) for c in BREAKS)
        if k < 0:  # none in this piece: the first one after it
            k = min((i for i in (text.find(c, pos + PIECE, end) for c in BREAKS) if i >= 0), default=end)
        if k - pos > LONGEST_WHOLE:
            return pos, k - pos
        if k >= end:
            break
        out.append(k)
        pos = k + 1
    return out
