"""`annotator kb import PROJECT FILE.csv`: make a CSV table of knowledge-base ids
(id,label,aliases; aliases separated by "|") the project's table, from which the GUI
picks and suggests the id of an entity cluster; `annotator kb list PROJECT` prints it."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from annotator.cli.args import project_arg


def register(sub) -> dict:
    p = sub.add_parser("kb", help="the knowledge-base table entity clusters take their ids from (import, list)")
    kb_sub = p.add_subparsers(dest="kb_command", required=True)
    imp = kb_sub.add_parser("import", help="make a CSV file (id,label,aliases) the project's knowledge-base table")
    imp.add_argument("project", type=project_arg)
    imp.add_argument("file", type=Path)
    show = kb_sub.add_parser("list", help="print the project's knowledge-base table as CSV")
    show.add_argument("project", type=project_arg)
    return {"kb": _kb}


def _kb(args) -> int:
    from annotator.store.kb_table import import_kb_file, kb_table
    from annotator.store.project import Project

    if args.kb_command == "import":
        with Project.open(args.project) as project:
            change = import_kb_file(project, args.file)
        print(f"{args.project}: knowledge-base table imported from {args.file} ({change.result:,} rows)",
              file=sys.stderr)
        return 0
    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        entries = kb_table(conn)
    if not entries:
        print(f"{args.project}: no knowledge-base table (import one with `annotator kb import`)", file=sys.stderr)
        return 0
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "label", "aliases"])
    for e in entries:
        out.writerow([e.id, e.label, "|".join(e.aliases)])
    return 0
