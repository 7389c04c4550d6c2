"""Label Studio JSON (https://labelstud.io/guide/export, "Label Studio JSON format of
annotated tasks"; the result of a text region as https://labelstud.io/tags/text shows it)
and JSON-MIN: a list of tasks.

JSON: each task's `data.text` is a document; each annotation (`annotations[]`, by
`completed_by`: the user's email when the export gives the user, else the user id as
exported) and each prediction (`predictions[]`, by `model_version`) is one layer. A
result of type `labels` with `value` {start, end, text, labels} is a span per label.
JSON-MIN: each item's `text` and, under the name of its labels tag, a list of {start,
end, text, labels}; the layer is its `annotator`, else `--annotator`, else the file's
stem.

Offsets. Label Studio's front end counted UTF-16 code units before it stored code points
(label-studio issue #1008, fixed by label-studio-frontend PR #308), so exports of either
kind exist. Each region is read in the unit in which its `text` is the text at its
offsets: code points, else UTF-16 code units; a region whose `text` matches in neither
is refused with the task id and the region id. A region without `text` is read in code
points (checked to be whole characters) and counted in the summary.

A result of type `relation` (from_id, to_id, direction, labels) is a relation per label
between the spans of its two regions (from `to_id` to `from_id` when the direction is
"left"); one whose region has several labels (so several spans), without a label, or
whose type or pair the project's schema does not declare is counted.

Counted, never dropped in silence: relations that do not fit (above), choices, text areas and
every other result type; cancelled (skipped) annotations; `data` fields besides the text
(the writer's own document, lang, title, source, layers excepted). Label Studio's
bookkeeping (ids, dates, lead time, project, drafts, ...) is not data.

Writing gives a file Label Studio imports ("Import pre-annotated data", the task format
with `annotations`): one task per document, `data` {text, document, lang, title,
source, layers}, one annotation per layer with a `labels` result per span in code
points, `from_name` "label" and `to_name` "text" (the names of Label Studio's Named
Entity Recognition template), and a `relation` result per relation (direction "right",
its type the one label; the template needs a <Relations> tag with those labels). The layer names are kept in `data.layers` (Label Studio
assigns its own users on import).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotator.core import units
from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.records import DocumentRecord, RelationRecord, SpanRecord
from annotator.core.schema import Schema
from annotator.formats import spans_in
from annotator.formats.base import Format, ReadResult, WriteResult

NAME = "labelstudio"
EXTENSIONS = (".json",)
_DATA_OURS = ("text", "document", "lang", "title", "source", "layers")


def is_task(obj: object) -> bool:
    """A Label Studio JSON task, or a JSON-MIN item (text and a list of labelled regions)."""
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("data"), dict) and ("annotations" in obj or "predictions" in obj or "text" in obj["data"]):
        return True
    return isinstance(obj.get("text"), str) and any(_regions(v) for v in obj.values())


def _regions(value: object) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(r, dict) and "start" in r and "end" in r and "labels" in r for r in value))


def sniff(path: Path, head: bytes) -> bool:
    return is_task(spans_in.first_element(head))


class _Reader:
    def __init__(self, where: str, stem: str, annotator: str | None, name: str, schema: Schema | None) -> None:
        self.where = where
        self.schema = schema
        self.name = name
        self.stem = stem
        self.layer_default = annotator or stem
        self.lost: Counter[str] = Counter()
        self.units: Counter[str] = Counter()
        self.without_text = 0

    def region(self, text: str, value: Any, place: str) -> list[SpanRecord]:
        """The spans of one labels region (one per label), in the unit its text tells."""
        if not isinstance(value, dict):
            raise InputError(self.where, place, "value: expected an object {start, end, text, labels}")
        s, e, labels = value.get("start"), value.get("end"), value.get("labels")
        if not (spans_in.is_int(s) and spans_in.is_int(e)):
            raise InputError(self.where, place, "value.start and value.end must be integers (character offsets)")
        if not isinstance(labels, list) or not labels or not all(isinstance(lab, str) for lab in labels):
            raise InputError(self.where, place, "value.labels: expected a list of label names")
        quoted = value.get("text")
        start, end = s, e
        if isinstance(quoted, str):
            for unit in ("codepoints", "utf16"):
                conv = units.from_unit(text, unit)
                a, b = conv(s), conv(e)
                if a is not None and b is not None and a < b and text[a:b] == quoted:
                    if (a, b) != (s, e):
                        self.units[unit] += 1
                    start, end = a, b
                    break
            else:
                raise InputError(self.where, place, f"text {quoted!r} is not the text at {s} {e}, counted in code "
                                                    "points or in UTF-16 code units")
        else:
            self.without_text += 1
        return [spans_in.span(text, start, end, lab, self.where, place) for lab in labels]

    def results(self, text: str, results: Any, place: str) -> tuple[list[SpanRecord], list[RelationRecord]]:
        spans: list[SpanRecord] = []
        by_region: dict[object, list[SpanRecord]] = {}
        links: list[dict] = []
        if not isinstance(results, list):
            raise InputError(self.where, f"{place}.result", "expected a list of results")
        for j, res in enumerate(results):
            if not isinstance(res, dict):
                raise InputError(self.where, f"{place}.result[{j}]", "expected an object")
            kind = res.get("type")
            value = res.get("value")
            if kind == "labels" and isinstance(value, dict) and "start" in value and isinstance(value.get("start"), int):
                rid = res.get("id")
                made = self.region(text, value, f"{place}, region {rid!r}" if rid is not None
                                   else f"{place}.result[{j}]")
                spans.extend(made)
                if isinstance(rid, (str, int)):
                    by_region.setdefault(rid, []).extend(made)
            elif kind == "relation":
                links.append(res)
            else:
                self.lost[str(kind)] += 1
        return spans, [r for link in links for r in self.relation(link, by_region)]

    def relation(self, link: dict, by_region: dict[object, list[SpanRecord]]) -> list[RelationRecord]:
        """A relation result: one relation per label, from the `from_id` region's span to the
        `to_id` one's (reversed for direction "left"); counted when an end is not one span,
        it has no label, or the schema does not declare its type or pair."""
        starts, ends = (by_region.get(link[k], []) if isinstance(link.get(k), (str, int)) else []
                        for k in ("from_id", "to_id"))
        labels = link.get("labels")
        if (len(starts) != 1 or len(ends) != 1 or not isinstance(labels, list) or not labels
                or not all(isinstance(lab, str) and lab for lab in labels)):
            self.lost["relation"] += 1
            return []
        a, b = starts[0], ends[0]
        if link.get("direction") == "left":
            a, b = b, a
        out = []
        for lab in labels:
            declared = self.schema.relation(lab) if self.schema is not None else None
            if self.schema is not None and (declared is None or declared.problem(a.label, b.label) is not None):
                self.lost["relation"] += 1
            else:
                out.append(RelationRecord(new_id("r"), lab, a.id, b.id))
        return out

    def task(self, n: int, task: Any) -> list[tuple[str, DocumentRecord]]:
        if not isinstance(task, dict):
            raise InputError(self.where, f"$[{n}]", "expected a task object")
        if "data" not in task:
            return self.minimal(n, task)
        tid = task.get("id")
        place = f"task {tid}" if tid is not None else f"$[{n}]"
        data = task["data"]
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            raise InputError(self.where, f"{place}: data.text", "missing, or not a string: a text task has one")
        for key in data:
            if key not in _DATA_OURS:
                self.lost[f"data.{key}"] += 1
        doc_id = data.get("document") if isinstance(data.get("document"), str) and data["document"] else (
            str(tid) if isinstance(tid, (int, str)) and not isinstance(tid, bool) else f"{self.stem}-{n + 1}")
        base = DocumentRecord(id=doc_id, lang=data.get("lang") if isinstance(data.get("lang"), str) else "",
                              text=text,
                              title=data.get("title") if isinstance(data.get("title"), str) else spans_in.title(text),
                              source=data.get("source") if isinstance(data.get("source"), str) else self.name)
        names = data.get("layers") if isinstance(data.get("layers"), list) else []
        out: list[tuple[str, DocumentRecord]] = []
        seen: dict[str, str] = {}
        for kind in ("annotations", "predictions"):
            items = task.get(kind) or []
            if not isinstance(items, list):
                raise InputError(self.where, f"{place}: {kind}", "expected a list")
            for i, item in enumerate(items):
                at = f"{place}, {kind[:-1]} {item.get('id', i) if isinstance(item, dict) else i}"
                if not isinstance(item, dict):
                    raise InputError(self.where, at, "expected an object")
                if item.get("was_cancelled"):
                    self.lost["cancelled"] += 1
                    continue
                layer = self.layer(kind, item, names[i] if kind == "annotations" and i < len(names)
                                   and isinstance(names[i], str) else None)
                if layer in seen:
                    raise InputError(self.where, at, f"a second layer named {layer!r} in this task (the first: "
                                                     f"{seen[layer]}); one layer per annotator and model version")
                seen[layer] = at
                spans, relations = self.results(text, item.get("result", []), at)
                out.append((f"{self.where}: {at}", replace(base, spans=tuple(spans), annotator=layer,
                                                           relations=tuple(relations),
                                                           status="done" if kind == "annotations" else "in_progress")))
        return out or [(f"{self.where}: {place}", base)]

    def layer(self, kind: str, item: dict, written: str | None) -> str:
        if kind == "predictions":
            version = item.get("model_version")
            return str(version) if version not in (None, "") else "prediction"
        who = item.get("completed_by")
        if isinstance(who, dict):
            who = who.get("email") or who.get("id")
        if written and who in (None, ""):
            return written
        return str(who) if who not in (None, "") else written or self.layer_default

    def minimal(self, n: int, item: dict) -> list[tuple[str, DocumentRecord]]:
        place = f"$[{n}]"
        text = item.get("text")
        if not isinstance(text, str):
            raise InputError(self.where, f"{place}.text", "missing, or not a string (JSON-MIN items have the text)")
        spans: list[SpanRecord] = []
        for key, value in item.items():
            if _regions(value):
                for j, region in enumerate(value):
                    spans.extend(self.region(text, region, f"{place}.{key}[{j}]"))
            elif key not in ("text", "id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"):
                self.lost[f"min.{key}"] += 1
        layer = item.get("annotator") if isinstance(item.get("annotator"), str) else self.layer_default
        tid = item.get("id")
        doc_id = str(tid) if isinstance(tid, (int, str)) and not isinstance(tid, bool) else f"{self.stem}-{n + 1}"
        rec = DocumentRecord(id=doc_id, lang="", text=text, title=spans_in.title(text), source=self.name,
                             spans=tuple(spans), annotator=layer, status="done")
        return [(f"{self.where}: {place}", rec)]


def read(path: Path, data: bytes, *, annotator: str | None = None, schema: Schema | None = None) -> ReadResult:
    """`schema`, the project's: relations of a type or pair it does not declare are counted."""
    where = str(path)
    try:
        tasks = orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except orjson.JSONDecodeError as exc:
        raise InputError(where, None, f"not valid JSON ({exc})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]  # one task, as Label Studio also imports it
    if not isinstance(tasks, list) or not tasks:
        raise InputError(where, None, "expected a list of Label Studio tasks")
    reader = _Reader(where, path.stem, annotator, path.name, schema)
    result = ReadResult(records=[])
    ids: set[str] = set()
    for n, task in enumerate(tasks):
        records = reader.task(n, task)
        doc = records[0][1].id
        if doc in ids:
            raise InputError(where, records[0][0].removeprefix(f"{where}: "), f"document id {doc!r} is already "
                                                                              "used by another task of the file")
        ids.add(doc)
        result.records.extend(records)
    lost = reader.lost
    cancelled = lost.pop("cancelled", 0)
    data_keys = sorted(k for k in lost if k.startswith(("data.", "min.")))
    fields = sum(lost.pop(k) for k in data_keys)
    named = {"relation": "relation(s) between regions (type relation) not between two regions of one label, "
                         "without a label, or of a type or pair the project's schema does not declare", "choices": "choice(s) (type choices)",
             "textarea": "text area(s) (type textarea)"}
    result.left_out = [f"{lost.pop(k)} {w}" for k, w in named.items() if lost[k]]
    result.left_out += [f"{c} result(s) of type {k}" for k, c in sorted(lost.items()) if c]
    if cancelled:
        result.left_out.append(f"{cancelled} cancelled (skipped) annotation(s)")
    if fields:
        result.left_out.append(f"{fields} task field(s) besides the text ({', '.join(k.split('.', 1)[1] for k in data_keys)})")
    layers = sorted({rec.annotator for _w, rec in result.records if rec.annotator})
    result.notes.append(f"{where}: Label Studio JSON, {len(tasks)} task(s); layer(s) {', '.join(layers) or '(none)'}"
                        + (f"; {reader.units['utf16']} region(s) counted in UTF-16 code units (an older front end)"
                           if reader.units["utf16"] else "")
                        + (f"; {reader.without_text} region(s) without text read in code points"
                           if reader.without_text else ""))
    return result


def _task(layers: list[DocumentRecord], lost: Counter[str]) -> dict[str, Any]:
    rec = layers[0]
    data: dict[str, Any] = {"text": rec.text, "document": rec.id}
    data.update({k: v for k, v in (("lang", rec.lang), ("title", rec.title), ("source", rec.source)) if v})
    annotated = [r for r in layers if r.annotator]
    if annotated:
        data["layers"] = [r.annotator for r in annotated]
    annotations = []
    for i, r in enumerate(annotated):
        ordered = sorted(r.spans, key=lambda s: (s.start, s.end, s.label))
        region = {s.id: f"a{i}r{k}" for k, s in enumerate(ordered)}
        result: list[dict[str, Any]] = [
            {"id": region[s.id], "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]}} for s in ordered]
        result += [{"from_id": region[rel.from_span], "to_id": region[rel.to_span], "type": "relation",
                    "direction": "right", "labels": [rel.type]}
                   for rel in r.relations if rel.from_span in region and rel.to_span in region]
        annotations.append({"result": result})
        lost["status"] += r.status != "done"
        lost["values"] += sum(s.value is not None for s in r.spans)
        lost["notes"] += sum(s.note is not None for s in r.spans)
        lost["events"] += len(r.events)
        lost["claims"] += len(r.claims)
        lost["alignments"] += len(r.alignments)
        lost["links"] += len(r.links)
    lost["groups"] += rec.group is not None
    return {"data": data, "annotations": annotations}


def write(records: Iterable[DocumentRecord], out: BinaryIO) -> WriteResult:
    lost: Counter[str] = Counter()
    tasks: list[dict[str, Any]] = []
    group: list[DocumentRecord] = []
    for rec in records:  # a document's layers come one after another
        if group and rec.id != group[0].id:
            tasks.append(_task(group, lost))
            group = []
        group.append(rec)
    if group:
        tasks.append(_task(group, lost))
    out.write(orjson.dumps(tasks, option=orjson.OPT_INDENT_2) + b"\n")
    words = {"status": "layer status(es) other than done (an annotation is done)",
             "values": "normalised value(s) of spans", "notes": "note(s) on spans", "events": "event(s)",
             "claims": "claim(s)", "alignments": "alignment(s)", "links": "link(s) between spans",
             "groups": "translation group(s)"}
    return WriteResult(len(tasks), [f"{lost[k]} {w}" for k, w in words.items() if lost[k]])


FORMAT = Format(NAME, "Label Studio JSON export / import (text tasks, labels regions) and JSON-MIN", EXTENSIONS,
                sniff, read, write, options=("annotator",), layers=True, carries=("relations",))
