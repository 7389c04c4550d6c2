"""`annotator guidelines PROJECT [--set FILE]`: print the project's annotation guidelines
(Markdown), or make FILE's text the guidelines (the GUI's guidelines panel shows them)."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> dict:
    p = sub.add_parser("guidelines", help="print a project's annotation guidelines (Markdown), or set them (--set FILE)")
    p.add_argument("project", type=Path)
    p.add_argument("--set", type=Path, metavar="FILE", help="make FILE (Markdown, UTF-8) the project's guidelines")
    return {"guidelines": _guidelines}


def _guidelines(args) -> int:
    from annotator.store.guidelines import guidelines, set_guidelines
    from annotator.store.project import Project

    if args.set is None:
        with Project.open(args.project, readonly=True) as project, project.read() as conn:
            text = guidelines(conn)
        if not text:
            print(f"{args.project}: no guidelines yet (set them with --set FILE, or in the app: "
                  "Help > Guidelines)", file=sys.stderr)
            return 0
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    from annotator.cli.text_files import read_text_file
    from annotator.core.textdecode import decode_text

    text = decode_text(read_text_file(args.set, "guidelines file"), str(args.set))
    with Project.open(args.project) as project:
        set_guidelines(project, text, args.set.name)
    print(f"{args.project}: guidelines set from {args.set} ({len(text):,} characters)", file=sys.stderr)
    return 0
