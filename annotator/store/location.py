"""Where a project is: a SQLite file (a Path) or a database on a PostgreSQL server (a
`postgresql://` URL). Every command that takes a project file takes either.

A URL follows libpq: `postgresql://USER@HOST:PORT/DATABASE?...`; a password left out of
it comes from PGPASSWORD, the password file (~/.pgpass or PGPASSFILE) or a service file,
as for psql. A password written in the URL is never shown: messages print the URL with
it masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from annotator.core.errors import AnnotatorError

SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class ServerLocation:
    url: str  # as given (with any password), for connecting only

    @property
    def database(self) -> str:
        return unquote(urlsplit(self.url).path.lstrip("/"))

    @property
    def name(self) -> str:
        """What a window title shows, like a file's name."""
        return self.database

    def sqlalchemy_url(self) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, parts.query, parts.fragment))

    def with_database(self, database: str) -> ServerLocation:
        parts = urlsplit(self.url)
        return ServerLocation(urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment)))

    def __str__(self) -> str:
        parts = urlsplit(self.url)
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':')[0]}:***@{host}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


Location = Path | ServerLocation


def is_server_url(text: str) -> bool:
    return any(text.startswith(f"{scheme}://") for scheme in SCHEMES)


def project_location(text: str | Path) -> Location:
    """A command-line argument as a project's location (argparse `type=`)."""
    if isinstance(text, Path):
        return text
    if not is_server_url(text):
        return Path(text)
    location = ServerLocation(text)
    if not location.database:
        raise AnnotatorError(f"{location}: name the database after the host (postgresql://USER@HOST:PORT/DATABASE)")
    return location
