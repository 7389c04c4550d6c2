"""Property (issue 19): any gold JSONL input either imports exactly what `validate`
accepts, or is refused with the file and the line, leaving the project unchanged.

Inputs are mutations of valid records: keys added, removed or given other types, offsets
moved, texts with astral characters, combining marks and CRLF, raw bytes inserted (invalid
UTF-8, CR, NUL), keys repeated."""

import io
import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from annotator.core.errors import InputError
from annotator.core.records import layer_signature
from annotator.formats import gold_jsonl
from annotator.formats.validate import validate_bytes
from annotator.importer import import_paths
from annotator.paths import resources_dir
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from tests.conftest import dump

BASE = [
    {"id": "a", "lang": "en", "text": "NATO 😀 met\r\nthe EU 👨\u200d👩\u200d👧 in 2023.", "annotator": "ana",
     "spans": [{"id": "s1", "start": 0, "end": 4, "label": "ORG", "text": "NATO", "value": None, "note": None},
               {"id": "s2", "start": 18, "end": 20, "label": "ORG", "text": "EU", "value": None, "note": "x"},
               {"id": "s3", "start": 30, "end": 34, "label": "DATE", "text": "2023", "value": "2023", "note": None}],
     "events": [{"id": "e1", "type": "MEETING", "trigger": {"start": 7, "end": 10, "text": "met"},
                 "arguments": [{"role": "participant", "span": "s1"}]}],
     "claims": [], "links": [{"span": "s1", "target_doc": "b", "target_span": "t1"}], "status": "done"},
    {"id": "b", "lang": "vi", "text": "Pho\u0301 T\u00f4\u0309ng gặp NATO 𝐀𝐁", "annotator": "ana",
     "spans": [{"id": "t1", "start": 16, "end": 20, "label": "ORG", "text": "NATO"}],
     "alignments": [{"target": "a", "blocks": [{"a": [0, 10], "b": [0, 12]}]}]},
    {"id": "c", "text": "ক্ষমতা রাস্তার ৯ জানুয়ারী"},
]
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 60) | st.text(max_size=6),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=5)
KEYS = st.sampled_from(["id", "lang", "text", "spans", "events", "claims", "links", "alignments", "annotator", "status",
                        "schema_version", "group", "title", "source", "extra", "start", "end", "label", "value"])
TEXTS = st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs", "So", "Cc")), max_size=12) | \
    st.sampled_from(["\r\n", "a\u0301", "😀", "\U0001d400", "ক্ষ", "\x00", " \t"])


@st.composite
def mutated_file(draw) -> bytes:
    records = [orjson.loads(orjson.dumps(r)) for r in draw(st.lists(st.sampled_from(BASE), min_size=1, max_size=3))]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        rec = draw(st.sampled_from(records))
        target = rec
        # An earlier mutation may have made "spans" anything: only a span object is a target.
        spans = [sp for sp in rec["spans"] if isinstance(sp, dict)] if isinstance(rec.get("spans"), list) else []
        if spans and draw(st.booleans()):
            target = draw(st.sampled_from(spans))
        action = draw(st.sampled_from(["set", "delete", "shift", "text"]))
        key = draw(KEYS)
        if action == "set":
            target[key] = draw(JSON_VALUES)
        elif action == "delete":
            target.pop(key, None)
        elif action == "shift":
            # Only an offset that is still a number can be shifted (a "set" may have made it anything).
            numeric = [k for k in ("start", "end") if type(target.get(k)) is int]
            if numeric:
                target[draw(st.sampled_from(numeric))] += draw(st.integers(-3, 3))
        elif action == "text" and isinstance(rec.get("text"), str):
            where = draw(st.integers(0, len(rec["text"])))
            rec["text"] = rec["text"][:where] + draw(TEXTS) + rec["text"][where:]
    lines = [orjson.dumps(r) for r in records]
    if draw(st.integers(0, 4)) == 0:  # raw damage: a byte inserted, or a key repeated
        i = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\r", b"\x00", b"\xed\xa0\x80"])) + lines[i][at:]
        else:
            lines[i] = lines[i].replace(b'"text":', b'"text":"x","text":', 1)
    return b"".join(line + b"\n" for line in lines)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.annotator"
    with Project.create(path) as project:
        project.checkpoint()
    return path


JSON_SCHEMA = Draft202012Validator(orjson.loads((resources_dir() / "gold.schema.json").read_bytes()))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=mutated_file())
def test_import_takes_exactly_what_validate_accepts_or_refuses_with_file_and_line(template, tmp_path, data):
    case = tmp_path / "case"
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir()
    shutil.copy(template, case / "p.annotator")
    path = case / "in.jsonl"
    path.write_bytes(data)
    with Project.open(case / "p.annotator") as project:
        _count, findings = validate_bytes(data, project.schema)
        errors = [f for f in findings if not f.warning]
        warned = {f.line for f in findings if f.warning}
        before = dump(project.path)
        event("refused" if errors else "imported")
        if errors:
            with pytest.raises(InputError) as err:
                import_paths(project, [path])
            assert str(err.value).startswith(f"{path}: line "), str(err.value)
            assert dump(project.path) == before
            return
        import_paths(project, [path])
        buf = io.BytesIO()
        with project.read() as conn:
            gold_jsonl.write(iter_records(conn), buf)
    accepted = [orjson.loads(line) for line in data.split(b"\n") if line.strip()]
    for lineno, obj in enumerate(accepted, start=1):  # what validate --strict accepts, the JSON Schema accepts
        if lineno not in warned:
            assert list(JSON_SCHEMA.iter_errors(obj)) == []
    stored = {(r["id"], r["annotator"]): gold_jsonl.from_obj(r) for r in map(orjson.loads, buf.getvalue().splitlines())}
    for obj in accepted:
        rec = gold_jsonl.from_obj(obj)
        got = stored[(rec.id, rec.annotator if rec.has_layer else None)]
        assert got.text == rec.text and (not obj.get("lang") or got.lang == rec.lang)
        assert layer_signature(got) == layer_signature(rec)
