"""Prodigy JSONL (https://prodi.gy/docs/api-interfaces, the `ner`, `ner_manual` and
`spans` task formats; what `prodigy db-out` writes): one task per line, `text`, `tokens`
[{text, start, end, id, ws}], `spans` [{start, end, label, token_start, token_end}]
(`token_end` inclusive), `answer` accept / reject / ignore.

Offsets are code points: Prodigy computes them in Python (spaCy's `Token.idx`). Each
span is checked against the text (range, grapheme clusters, its quoted `text` when
given) and against its tokens (the first token starts where the span starts, the last
ends where it ends).

Only `accept` answers (and tasks without an answer that have spans: input files in the
Prodigy and spaCy convention) become annotations; `reject` and `ignore` are counted in the summary. Accepted tasks of one
text and one annotator (binary `ner` tasks give one per span) are one layer. The layer
is `_annotator_id`, else `--annotator`, else the file's stem (said in the summary).
`meta` {id, lang, title, source} restores what the writer wrote. Counted, never dropped
in silence: relations, document labels (a task's `label`, chosen `accept` options),
other `meta` keys and other keys; Prodigy's own bookkeeping (`_input_hash`,
`_task_hash`, `_view_id`, `_session_id`, `_timestamp`, `_is_binary`) is not data.

Writing gives one accepted task per document and layer: tokens from the app's word
segmentation (core.graphemes.WORD, as CoNLL export; formats.conll.tokens), cut further
at span edges so every span is whole tokens, and spans with their token indices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import orjson

from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import conll, spans_in
from annotator.formats.base import Format, ReadResult, WriteResult
from annotator.formats.doccano import GOLD_ONLY

NAME = "prodigy"
ANSWERS = ("accept", "reject", "ignore")
_BOOKKEEPING = frozenset(("_input_hash", "_task_hash", "_view_id", "_session_id", "_timestamp", "_is_binary",
                          "_annotator_id", "tokens", "answer", "text", "spans", "meta"))
_MARKS = ("_input_hash", "_task_hash", "answer", "tokens", "_view_id")


def looks_like(obj: object) -> bool:
    """Prodigy's keys, or spans and no id (the Prodigy and spaCy input convention)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or GOLD_ONLY - {"spans"} & obj.keys():
        return False
    return any(k in obj for k in _MARKS) or "spans" in obj and "id" not in obj


def sniff(path: Path, head: bytes) -> bool:
    from annotator.formats.jsonl import first_object

    return looks_like(first_object(head))


def _spans(obj: dict, text: str, where: str, place: str) -> list[SpanRecord]:
    tokens = obj.get("tokens")
    tokens = tokens if isinstance(tokens, list) else []
    out: list[SpanRecord] = []
    items = obj.get("spans") or []
    if not isinstance(items, list):
        raise InputError(where, f"{place}: $.spans", "expected a list")
    for i, item in enumerate(items):
        at = f"{place}: $.spans[{i}]"
        if not isinstance(item, dict):
            raise InputError(where, at, "expected an object {start, end, label}")
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        if not (spans_in.is_int(start) and spans_in.is_int(end)):
            raise InputError(where, at, "start and end must be integers (character offsets)")
        if not isinstance(label, str):
            raise InputError(where, at, "label missing or not a string")
        span = spans_in.span(text, start, end, label, where, at)
        quoted = item.get("text")
        if isinstance(quoted, str) and quoted != span.text:
            raise InputError(where, at, f"text {quoted!r} does not match the text at {start} {end}: {span.text!r} "
                                        "(Prodigy counts offsets in code points)")
        ts, te = item.get("token_start"), item.get("token_end")
        if spans_in.is_int(ts) and spans_in.is_int(te) and tokens:
            if not 0 <= ts <= te < len(tokens):
                raise InputError(where, at, f"token_start {ts} / token_end {te} are not tokens of the task "
                                            f"({len(tokens)} tokens)")
            first, last = tokens[ts], tokens[te]
            if not (isinstance(first, dict) and isinstance(last, dict)
                    and first.get("start") == start and last.get("end") == end):
                raise InputError(where, at, f"tokens {ts}..{te} do not cover the characters {start} {end} "
                                            "(token_end is the last token, inclusive)")
        out.append(span)
    return out


def read(path: Path, data: bytes, *, annotator: str | None = None) -> ReadResult:
    where = str(path)
    layer_default = annotator or path.stem
    answers: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    merged = 0
    layers: dict[tuple[str, str], tuple[str, DocumentRecord]] = {}  # (text, layer) -> (where, record)
    docs: dict[str, tuple[str, DocumentRecord]] = {}  # texts seen with no accepted task: documents only
    for n, (lineno, obj) in enumerate(spans_in.json_lines(data, where), 1):
        place = f"line {lineno}"
        text = obj.get("text")
        if not isinstance(text, str):
            raise InputError(where, f"{place}: $.text", "missing, or not a string: Prodigy's text tasks have one")
        answer = obj.get("answer")
        if answer is not None and answer not in ANSWERS:
            raise InputError(where, f"{place}: $.answer", f"{answer!r} is none of {', '.join(ANSWERS)}")
        answers[answer or "none"] += 1
        spans = _spans(obj, text, where, place)
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        said = {k: v for k, v in meta.items() if k in ("id", "lang", "title", "source") and isinstance(v, str) and v}
        base = DocumentRecord(id=said.get("id", f"{path.stem}-{n}"), lang=said.get("lang", ""), text=text,
                              title=said.get("title", spans_in.title(text)), source=said.get("source", path.name))
        if answer in ("reject", "ignore") or answer is None and not spans:  # no annotation: the text only
            docs.setdefault(text, (f"{where}: {place}", base))
            continue
        lost["relations"] += len(obj["relations"]) if isinstance(obj.get("relations"), list) else 0
        lost["document labels"] += isinstance(obj.get("label"), str)
        lost["document labels"] += len(obj["accept"]) if isinstance(obj.get("accept"), list) else 0
        for key in obj:
            if key not in _BOOKKEEPING and key not in ("relations", "label", "accept", "options"):
                extra[key] += 1
        for key in meta:
            if key not in ("id", "lang", "title", "source"):
                extra[f"meta.{key}"] += 1
        layer = obj.get("_annotator_id") if isinstance(obj.get("_annotator_id"), str) and obj["_annotator_id"] \
            else layer_default
        key = (text, layer)
        if key in layers:  # another accepted task of the text (binary ner): the same layer
            first_where, rec = layers[key]
            have = {(s.start, s.end, s.label) for s in rec.spans}
            more = tuple(s for s in spans if (s.start, s.end, s.label) not in have)
            layers[key] = (first_where, replace(rec, spans=rec.spans + more))
            merged += 1
            continue
        layers[key] = (f"{where}: {place}", replace(base, spans=tuple(spans), annotator=layer, status="done"))
    texts = {t for t, _l in layers}
    result = ReadResult(records=sorted([v for k, v in docs.items() if k not in texts] + list(layers.values()),
                                       key=lambda wr: int(wr[0].rsplit("line ", 1)[1])))
    if not result.records:
        raise InputError(where, None, "no tasks: not a Prodigy JSONL file (one {\"text\", ...} task per line)")
    skipped = answers["reject"] + answers["ignore"]
    if skipped:
        result.left_out.append(f"{skipped} task(s) answered reject ({answers['reject']}) or ignore "
                               f"({answers['ignore']}): only accepted tasks are annotations")
    words = {"relations": "relation(s) between spans", "document labels": "document label(s) (label, accept)"}
    result.left_out += [f"{lost[k]} {w}" for k, w in words.items() if lost[k]]
    if extra:
        result.left_out.append(f"{sum(extra.values())} field(s) the app has no place for (keys "
                               f"{', '.join(sorted(extra))})")
    names = sorted({layer for _t, layer in layers})
    result.notes.append(f"{where}: Prodigy JSONL, {n} task(s): {answers['accept']} accept, {answers['reject']} "
                        f"reject, {answers['ignore']} ignore, {answers['none']} without an answer (read as accepted when they have spans); "
                        f"spans in the layer(s) {', '.join(names) or '(none)'}"
                        + (f" (--annotator, or the file's name: {layer_default})" if layer_default in names else "")
                        + (f"; {merged} accepted task(s) of a text already seen joined its layer" if merged else ""))
    return result


def _tokens(text: str, spans: Iterable[SpanRecord]) -> list[tuple[int, int]]:
    """The app's word tokens of `text`, cut at every span edge inside one."""
    edges = sorted({p for s in spans for p in (s.start, s.end)})
    out: list[tuple[int, int]] = []
    for a, b in conll.tokens(text, 0, len(text)):
        cuts = [p for p in edges if a < p < b]
        out.extend(zip([a] + cuts, cuts + [b], strict=True))
    return out


def write(records: Iterable[DocumentRecord], out: BinaryIO) -> WriteResult:
    lost: Counter[str] = Counter()
    n = 0
    for rec in records:
        text = rec.text
        spans = sorted(rec.spans, key=lambda s: (s.start, s.end, s.label))
        toks = _tokens(text, spans)
        first = {a: i for i, (a, _b) in enumerate(toks)}
        last = {b: i for i, (_a, b) in enumerate(toks)}
        task: dict[str, object] = {
            "text": text,
            "tokens": [{"text": text[a:b], "start": a, "end": b, "id": i, "ws": text[b:b + 1] == " "}
                       for i, (a, b) in enumerate(toks)],
            "spans": [],
            "meta": {k: v for k, v in (("id", rec.id), ("lang", rec.lang), ("title", rec.title),
                                       ("source", rec.source)) if v}}
        for s in spans:
            if s.start in first and s.end in last:
                task["spans"].append({"start": s.start, "end": s.end, "text": s.text,  # type: ignore[attr-defined]
                                      "token_start": first[s.start], "token_end": last[s.end], "label": s.label})
            else:  # edges of only white space: no token starts or ends there
                lost["spaces"] += 1
        if rec.annotator:
            task["_annotator_id"] = rec.annotator
            task["answer"] = "accept"
        lost["status"] += bool(rec.annotator) and rec.status != "done"
        lost["values"] += sum(s.value is not None for s in rec.spans)
        lost["notes"] += sum(s.note is not None for s in rec.spans)
        lost["events"] += len(rec.events)
        lost["claims"] += len(rec.claims)
        lost["alignments"] += len(rec.alignments)
        lost["links"] += len(rec.links)
        lost["groups"] += rec.group is not None
        out.write(orjson.dumps(task) + b"\n")
        n += 1
    words = {"spaces": "span(s) that begin or end with white space (no token edge there)",
             "status": "layer status(es) other than done (an accepted task is done)",
             "values": "normalised value(s) of spans", "notes": "note(s) on spans", "events": "event(s)",
             "claims": "claim(s)", "alignments": "alignment(s)", "links": "link(s) between spans",
             "groups": "translation group(s)"}
    return WriteResult(n, [f"{lost[k]} {w}" for k, w in words.items() if lost[k]])


FORMAT = Format(NAME, "Prodigy JSONL: tasks with tokens, spans (token indices) and accept/reject answers",
                (".jsonl",), sniff, read, write, options=("annotator",))
