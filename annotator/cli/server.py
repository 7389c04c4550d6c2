"""Command-line commands of team mode (registered by annotator.cli).

    annotator server start DIR [--port N]     a local PostgreSQL cluster for trying team mode
    annotator server stop DIR
    annotator server init URL [--empty] [--schema FILE]
    annotator server upgrade URL
    annotator server assign URL --copies N [--timeout MINUTES] [--quota N]
    annotator server next URL
    annotator server push FILE URL / pull URL FILE
    annotator server add-user URL NAME --role annotator|curator|manager
    annotator server gold-visible URL yes|no

README "Team mode" has the walk-through.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from annotator.cli.args import project_arg
from annotator.core.errors import AnnotatorError


def register(sub) -> dict:
    p = sub.add_parser("server", help="team mode on PostgreSQL: a local server, projects on it, users")
    area = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    s = area.add_parser("start", help="start (first initialise) a local PostgreSQL cluster in DIR on 127.0.0.1")
    s.add_argument("dir", type=Path, metavar="DIR")
    s.add_argument("--port", type=int, help="the port of a new cluster (default: 5433)")

    s = area.add_parser("stop", help="stop the local cluster in DIR")
    s.add_argument("dir", type=Path, metavar="DIR")

    s = area.add_parser("init", help="create a project in a database (made if missing) on a server")
    s.add_argument("url", type=project_arg, metavar="URL", help="postgresql://USER@HOST:PORT/DATABASE")
    s.add_argument("--empty", action="store_true", help="no seed documents")
    s.add_argument("--schema", type=Path, help="annotation schema JSON (default: resources/schema.json)")

    s = area.add_parser("push", help="copy a project file to a new project on a server, every row")
    s.add_argument("file", type=project_arg, metavar="FILE")
    s.add_argument("url", type=project_arg, metavar="URL")

    s = area.add_parser("pull", help="copy a project on a server to a new project file, every row")
    s.add_argument("url", type=project_arg, metavar="URL")
    s.add_argument("file", type=project_arg, metavar="FILE")

    s = area.add_parser("assign", help="open places so that each document goes to N annotators (a manager)")
    s.add_argument("url", type=project_arg, metavar="URL")
    s.add_argument("--copies", type=int, required=True, metavar="N", help="annotators per document")
    s.add_argument("--timeout", type=int, metavar="MINUTES",
                   help="work untouched this long goes back to the pool (default 120)")
    s.add_argument("--quota", type=int, metavar="N", help="documents one annotator may take in all")

    s = area.add_parser("next", help="the next document for the login of URL (its queue first, then the pool)")
    s.add_argument("url", type=project_arg, metavar="URL")

    s = area.add_parser("upgrade", help="bring a server's project to this version's schema (for everyone)")
    s.add_argument("url", type=project_arg, metavar="URL")

    s = area.add_parser("add-user", help="add a login role (an annotator, curator or manager) to a project's server",
                        description="The password is asked for (twice) on a terminal, else read as one line "
                                    "from standard input; it is sent hashed (SCRAM) and never stored by annotator.")
    s.add_argument("url", type=project_arg, metavar="URL")
    s.add_argument("name", metavar="NAME")
    s.add_argument("--role", required=True, choices=("annotator", "curator", "manager"))

    s = area.add_parser("gold-visible", help="whether annotators may see the gold layer (a manager's decision)")
    s.add_argument("url", type=project_arg, metavar="URL")
    s.add_argument("visible", choices=("yes", "no"))
    return {"server": _server}


def _server(args) -> int:
    return {"start": _start, "stop": _stop, "init": _init, "upgrade": _upgrade, "assign": _assign, "next": _next,
            "push": lambda a: _copy(a.file, a.url, "push"), "pull": lambda a: _copy(a.url, a.file, "pull"), "add-user": _add_user,
            "gold-visible": _gold_visible}[args.server_command](args)


def _start(args) -> int:
    from annotator.store import cluster

    found = cluster.start(args.dir, args.port)
    print(f"server running in {found.data} on 127.0.0.1:{found.port} (log: {found.folder / 'server.log'})")
    print(f"its superuser's password is in {found.passfile}; for libpq clients:")
    print(f"  export PGPASSFILE={found.passfile}")
    print(f"  annotator server init {found.url()}")
    return 0


def _stop(args) -> int:
    from annotator.store import cluster

    cluster.stop(args.dir)
    print(f"server in {args.dir} stopped")
    return 0


def _init(args) -> int:
    from annotator.core.schema import parse_schema
    from annotator.importer import create_project
    from annotator.store.queries import list_documents

    schema_text = None
    if args.schema:
        schema_text = args.schema.read_text(encoding="utf-8")
        parse_schema(schema_text, str(args.schema))
    with create_project(args.url, with_seeds=not args.empty, schema_text=schema_text) as project, \
            project.read() as conn:
        added = len(list_documents(conn))
    print(f"created {args.url} with {added} document(s)", file=sys.stderr)
    return 0


def _copy(source, target, verb: str) -> int:
    from annotator.store.transfer import copy_project, refuse_same_kind

    refuse_same_kind(source, target, verb)
    counts = copy_project(source, target)
    print(f"copied {source} to {target}: " + ", ".join(f"{n} {table}" for table, n in counts.items() if n),
          file=sys.stderr)
    return 0


def _assign(args) -> int:
    from annotator.store.assignment import assign
    from annotator.store.project import Project

    with Project.open(args.url) as project:
        added = assign(project, args.copies, args.timeout, args.quota)
    print(f"{args.url}: {added} place(s) opened; each document goes to {args.copies} annotator(s)", file=sys.stderr)
    return 0


def _next(args) -> int:
    from annotator.store.assignment import next_document
    from annotator.store.models import Document
    from annotator.store.project import Project

    with Project.open(args.url) as project:
        name = project.login_name() or ""
        doc = next_document(project, name)
        if doc is None:
            print(f"{args.url}: nothing left for {name}", file=sys.stderr)
            return 1
        with project.read() as conn:
            from sqlalchemy import select

            print(conn.scalar(select(Document.uid).where(Document.id == doc)))
    return 0


def _upgrade(args) -> int:
    from annotator.store import server
    from annotator.store.engine import server_engine

    engine = server_engine(args.url.sqlalchemy_url())
    try:
        before = server.upgrade(engine, args.url)
    finally:
        engine.dispose()
    print(f"{args.url}: schema revision {before} -> this version's", file=sys.stderr)
    return 0


def _read_new_password(name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"password for {name}: ")
        if first != getpass.getpass(f"password for {name} again: "):
            raise AnnotatorError("the two passwords differ; nothing was changed")
    else:
        first = sys.stdin.readline().rstrip("\n")
    if not first:
        raise AnnotatorError(f"{name}: an empty password; nothing was changed")
    return first


def _add_user(args) -> int:
    from annotator.store.roles import add_user

    add_user(args.url, args.name, args.role, _read_new_password(args.name))
    print(f"{args.name}: a {args.role} of {args.url}")
    return 0


def _gold_visible(args) -> int:
    from annotator.store.roles import set_gold_visible

    set_gold_visible(args.url, args.visible == "yes")
    print(f"{args.url}: annotators {'may' if args.visible == 'yes' else 'may not'} see the gold layer")
    return 0
