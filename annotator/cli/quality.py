"""Command-line commands of the quality area (registered by annotator.cli):
`annotator agreement PROJECT` and `annotator eval GOLD.jsonl PRED.jsonl`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from annotator.cli.args import project_arg
from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:  # the module is imported for every command: regex loads only for eval
    from annotator.core.grapheme_snap import Snapped


def register(sub) -> dict:
    """Add this area's subparsers to `sub`; return {command name: handler(args) -> exit status}."""
    p = sub.add_parser("agreement", help="inter-annotator agreement: span F1, token kappa and alpha, "
                                         "events, claims; per label, language and document")
    p.add_argument("project", type=project_arg)
    p.add_argument("--annotators", nargs="+", metavar="NAME",
                   help="compare these layers (default: every annotator with a layer, except gold)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")

    p = sub.add_parser("eval", help="score predictions against gold JSONL (SemEval-2013 strict, exact, "
                                    "partial and type schemes)")
    p.add_argument("gold", type=Path, metavar="GOLD.jsonl")
    p.add_argument("pred", type=Path, metavar="PRED.jsonl")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    p.add_argument("--strict", action="store_true",
                   help="refuse prediction spans, triggers and claims that split a grapheme cluster (default: "
                        "widen them to whole clusters, each said on stderr and counted)")
    return {"agreement": _agreement, "eval": _eval}


def _print_json(obj) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([fmt(header), *map(fmt, rows)])


# -- agreement ---------------------------------------------------------------------------

def _agreement(args) -> int:
    from annotator.core.agreement import report_to_dict, span_agreement
    from annotator.store.layers import annotator_layers
    from annotator.store.project import Project

    with Project.open(args.project, readonly=True) as project, project.read() as conn:
        layers = annotator_layers(conn, args.annotators)
    if len(layers) < 2:
        raise AnnotatorError(f"{args.project}: agreement needs at least two annotators' layers; "
                             f"found {', '.join(layers) or 'none'} (name them with --annotators)")
    report = span_agreement(layers)
    if report.documents == 0:
        raise AnnotatorError(f"{args.project}: no document has a layer by every one of {', '.join(layers)}")
    if args.json:
        _print_json(report_to_dict(report))
        return 0
    print(f"agreement of {', '.join(report.annotators)} over {report.documents} document(s) that every one "
          "of them annotated (F1 averaged over annotator pairs)\n")

    def rows(scores: dict) -> list[list[str]]:
        return [[k, _num(s.exact_f1), _num(s.overlap_f1), str(s.support)] for k, s in scores.items()]

    head = ["exact F1", "overlap F1", "support"]
    print(_table(["label", *head], rows(report.per_label) + rows({"overall": report.overall})))
    kappa = "Cohen's kappa" if len(report.annotators) == 2 else "Fleiss' kappa"
    print(f"\nword tokens: {kappa} {_num(report.token_kappa)}, Krippendorff's alpha {_num(report.token_alpha)}")
    for name, figures in (("events", report.events), ("claims", report.claims)):
        shown = ", ".join(f"{k} {_num(v)}" for k, v in figures.items()) or "none in any layer"
        print(f"{name}: {shown}")
    if report.relations:
        print(f"relations: F1 {_num(report.relations['f1'])}")
    if report.clusters:  # MUC and B-cubed, not CEAF: not the CoNLL F1
        c = report.clusters
        print(f"entity clusters: MUC F1 {_num(c['muc_f1'])}, B-cubed F1 {_num(c['b_cubed_f1'])} "
              f"({c['mentions']} clustered mention(s) in all layers)")
    if report.attributes:
        print("\n" + _table(["attribute", "Cohen's kappa", "items"],
                            [[k, _num(v["kappa"]), str(v["items"])] for k, v in report.attributes.items()]))
    print()
    print(_table(["language", *head], rows(report.per_language)))
    print()
    print(_table(["document", *head], rows(report.per_document)))
    return 0


# -- eval --------------------------------------------------------------------------------

def _read(path: Path, snapped: list[tuple[int, Snapped]] | None = None):
    """The records of a gold JSONL file and their places. With `snapped` (predictions),
    ranges that split a grapheme cluster are widened to whole clusters and each one is
    appended to it with its line number."""
    from annotator.core.grapheme_snap import snap_record
    from annotator.formats import gold_checks

    if not path.is_file():
        raise AnnotatorError(f"{path}: no such file")

    def widen(lineno: int, rec):
        rec, moved = snap_record(rec)
        snapped.extend((lineno, m) for m in moved)  # type: ignore[union-attr]
        return rec

    pairs = list(gold_checks.read(path.read_bytes(), str(path), prepare=None if snapped is None else widen))
    return [rec for _n, rec in pairs], [f"line {n}" for n, _rec in pairs]


def _say_snapped(args, snapped: list[tuple[int, Snapped]]) -> None:
    """Each widened range on stderr, and their count; with --strict, a refusal."""
    if not snapped:
        return
    if args.strict:
        for lineno, moved in snapped:
            print(f"annotator: {args.pred}: line {lineno}: {moved.describe(widened=False)}", file=sys.stderr)
        raise AnnotatorError(f"{args.pred}: {len(snapped)} prediction range(s) split a grapheme cluster; refused "
                             "(--strict); without it they are widened to whole clusters and scored")
    for lineno, moved in snapped:
        print(f"{args.pred}: line {lineno}: warning: {moved.describe(widened=True)}", file=sys.stderr)
    print(f"{args.pred}: warning: {len(snapped)} prediction range(s) split a grapheme cluster and were widened to "
          "whole clusters before scoring (--strict refuses them)", file=sys.stderr)


def _eval(args) -> int:
    from annotator.core.evaluation import SCHEMES, evaluate, report_to_dict

    gold, gold_places = _read(args.gold)
    snapped: list[tuple[int, Snapped]] = []
    pred, pred_places = _read(args.pred, snapped)
    _say_snapped(args, snapped)
    report = evaluate(gold, pred, str(args.gold), str(args.pred), gold_places=gold_places, pred_places=pred_places)
    if args.json:
        _print_json({**report_to_dict(report), "widened": [
            {"line": n, "document": m.document, "what": m.what, "from": m.old, "to": m.new} for n, m in snapped]})
        return 0
    print(f"{args.pred} scored against {args.gold}: {report.documents} document(s)")
    head = [f"{s} {m}" for s in SCHEMES for m in ("P", "R", "F1")]

    def row(name: str, by_scheme: dict) -> list[str]:
        return [name] + [_num(getattr(by_scheme[s], m)) for s in SCHEMES for m in ("precision", "recall", "f1")]

    def section(title: str, first: str, rows: list[list[str]]) -> None:
        print(f"\n{title}")
        print(_table([first, *head], rows))

    section("spans", "label", [row(k, v) for k, v in report.per_label.items()] + [row("overall", report.overall)])
    section("spans per language", "language", [row(k, v) for k, v in report.per_language.items()])
    for title, anchor, figures in (("events", "trigger", report.events), ("claims", "span", report.claims)):
        anchors, arguments = figures[anchor], figures["argument"]
        if anchors["strict"].possible + anchors["strict"].actual == 0:
            print(f"\n{title}: none in either file")
            continue
        section(title, "", [row(anchor, anchors)])
        print(_table(["argument", "P", "R", "F1"],
                     [[k, _num(v.precision), _num(v.recall), _num(v.f1)] for k, v in arguments.items()]))
    scored = ([("relations", report.relations)] if report.relations is not None else []) + list(report.attributes.items())
    if scored:
        print("\nrelations and attributes (right when the item and the value are)")
        print(_table(["", "P", "R", "F1"], [[k, _num(v.precision), _num(v.recall), _num(v.f1)] for k, v in scored]))
    return 0
