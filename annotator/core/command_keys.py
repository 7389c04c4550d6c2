"""The one table of the single letters the document view keeps for commands (events,
claims, arguments, claim suggestions, entity clusters).

The UI binds them in the view and lists them in its menus and F1 overview (through its
action registry, annotator.ui.widgets.actions); schema validation refuses a label key that
is one of them, since such a label could never be typed. Core, so that validation needs no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandKey:
    letter: str  # the character typed: case matters ("Q" is Shift+Q)
    action: str  # the id of the UI action it runs
    purpose: str  # for a schema error: "'e' is the key for new event"
    hint: str = ""  # in the events and claims panel's key hint; none: not listed there

    @property
    def shortcut(self) -> str:
        """The key as Qt names it: "E" for e, "Shift+Q" for Q."""
        return f"Shift+{self.letter}" if self.letter.isupper() else self.letter.upper()


COMMAND_KEYS: tuple[CommandKey, ...] = (
    CommandKey("e", "new_event", "new event", "event from the selection"),
    CommandKey("c", "new_claim", "new claim", "claim"),
    CommandKey("a", "attach", "attach an argument", "attach the selected span"),
    CommandKey("q", "next_suggestion", "next claim suggestion", "next claim suggestion"),
    CommandKey("Q", "previous_suggestion", "previous claim suggestion"),
    CommandKey("=", "same_entity", "same entity as", "same entity as another span"),
)


def command_key(letter: str) -> CommandKey | None:
    """The command `letter` runs in the document view, if any."""
    return next((k for k in COMMAND_KEYS if k.letter == letter), None)


def hint_line() -> str:
    """The keys to remember, for a panel: "E: event from the selection · C: claim · …"."""
    return " · ".join(f"{k.letter.upper()}: {k.hint}" for k in COMMAND_KEYS if k.hint)


def keys_of(action: str) -> tuple[str, ...]:
    """The shortcuts of the command keys that run `action`."""
    return tuple(k.shortcut for k in COMMAND_KEYS if k.action == action)
