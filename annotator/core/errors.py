"""Errors a user sees: each names the file and the place."""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base for every error reported to the user as a message, not a traceback."""


class Cancelled(Exception):
    """The user stopped an operation while it ran: whatever it wrote is rolled back. Not
    an AnnotatorError: nothing failed, and the caller says so in its own words."""


class InputError(AnnotatorError):
    """Bad input, located: `where` is a file path (or '<stdin>'), `place` a byte offset,
    line number or JSON path."""

    def __init__(self, where: str, place: str | None, reason: str) -> None:
        self.where = where
        self.place = place
        self.reason = reason
        loc = f"{where}: {place}" if place else where
        super().__init__(f"{loc}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str | None, str]]:
        # pickled (an import's reading process raises it in the parent) as it was made
        return InputError, (self.where, self.place, self.reason)
