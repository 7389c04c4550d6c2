"""A project read by a second process beside the window that owns it: the statistics
dashboard's and the recommenders' child processes (statistics_job.py, training_job.py)
open the project themselves rather than receive what the window read for them.

The owner has opened, checked and upgraded the project; a second reader takes no lock,
checks nothing and migrates nothing, and only reads: a SQLite file through a connection
of its own (how it may be read where it lies: recognise's reader_mode; in WAL mode a
reader never blocks the owner's writes), a server database through an engine of its own
with the same login (so the same row-level security applies). The project of the last
call is kept open for the next one.
"""

from __future__ import annotations

from pathlib import Path

from annotator.store.location import Location, ServerLocation
from annotator.store.project import Project
from annotator.store.recognise import reader_mode

_opened: dict[str, Project] = {}  # in the child: the project of the last call, kept open


def key(location: Location) -> str:
    """What names the project at `location`, whatever path or URL spelling reaches it."""
    return location.url if isinstance(location, ServerLocation) else str(Path(location).resolve())


def project_at(location: Location) -> Project:
    """The project at `location` opened for reading, kept open for the next call (another
    project's closed)."""
    name = key(location)
    if name not in _opened:
        for other in _opened.values():
            other.close()
        _opened.clear()
        _opened[name] = open_for_reading(location)
    return _opened[name]


def open_for_reading(location: Location) -> Project:
    """Another reader of a project that its owner has opened, checked and upgraded: no lock,
    no check, no migration; reads only."""
    if isinstance(location, ServerLocation):
        return Project(location, readonly=True)
    return Project(location, readonly=True, mode=reader_mode(Path(location)))
