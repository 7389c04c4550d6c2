"""`annotator --self-test`: a headless check that this installation works end to end.

Meant for the frozen executable, where a missing data file or a module PyInstaller did not
see shows up only at run time. It runs the real code paths on the bundled seeds: Alembic
migrations from paths.migrations_dir(), the seed import, language identification with
py3langid's packaged model, an annotated layer (grapheme checks via `regex`), the CRF
trained on it in a child process (the frozen executable started again), gold JSONL
export, validation against resources/gold.schema.json and the project schema, and the
re-import round trip.

Everything is written in a temporary directory. Nothing is written inside the bundle or
the user's data directory, and the last step checks that. No Qt is imported.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from annotator import __version__
from annotator.paths import bundle_root, migrations_dir, resources_dir, seeds_dir, user_data_dir

SELFTEST_ANNOTATOR = "self-test"
# A name of the organisation in every seed, in the seed's script (ORG spans of the test layer).
ORG_NAMES = ("NATO", "OTAN", "ন্যাটো")


class Failed(Exception):
    """A check that did not hold; the message says what was expected and what was found."""


def run_self_test(out=None, err=None) -> int:
    """0 when every step passed; 1 after the first failure (reason on stderr)."""
    out = out or sys.stdout
    err = err or sys.stderr
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"annotator {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})",
          file=out, flush=True)
    # Alembic imports env.py and the migration scripts from source files: never leave
    # __pycache__ folders behind in the bundle.
    saved_flag = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        with tempfile.TemporaryDirectory(prefix="annotator-selftest-", ignore_cleanup_errors=True) as tmp:
            return _run(Path(tmp), out, err)
    finally:
        sys.dont_write_bytecode = saved_flag


def _run(tmp: Path, out, err) -> int:
    state: dict = {"tmp": tmp, "before": _snapshot()}
    steps: list[tuple[str, Callable[[dict], str]]] = [
        ("bundled data", _bundled_data),
        ("new project at the migration head", _create_project),
        ("upgrade through every migration", _upgrade_from_empty),
        ("seed import", _import_seeds),
        ("language identification", _language_identification),
        ("translation group and alignment", _parallel),
        ("annotated layer import", _import_layer),
        ("the recommenders' CRF trained in a child process", _training_process),
        ("the dashboard's agreement and group checks in a child process", _statistics_process),
        ("gold JSONL export", _export),
        ("export validation", _validate),
        ("round trip", _round_trip),
        ("nothing written outside the temporary folder", _untouched),
    ]
    try:
        for number, (name, step) in enumerate(steps, start=1):
            label = f"[{number}/{len(steps)}] {name}"
            try:
                detail = step(state)
            except Failed as exc:
                return _fail(label, str(exc), out, err)
            except Exception as exc:  # a missing module or file in a bundle shows up here
                return _fail(label, f"{type(exc).__name__}: {exc}", out, err, traceback.format_exc())
            print(f"{label}: OK ({detail})", file=out, flush=True)
    finally:
        for key in ("project", "again"):
            if state.get(key) is not None:
                state[key].close()
    print("self-test passed", file=out, flush=True)
    return 0


def _fail(label: str, reason: str, out, err, trace: str | None = None) -> int:
    print(f"{label}: FAILED", file=out, flush=True)
    if trace:
        print(trace, file=err, end="")
    print(f"annotator: self-test failed at {label}: {reason}", file=err, flush=True)
    return 1


# -- steps ------------------------------------------------------------------------------
def _bundled_data(state: dict) -> str:
    required = [
        migrations_dir() / "env.py",
        migrations_dir() / "script.py.mako",
        resources_dir() / "schema.json",
        resources_dir() / "gold.schema.json",
        seeds_dir() / "manifest.json",
    ]
    missing = [str(p) for p in required if not p.is_file()]
    versions = sorted((migrations_dir() / "versions").glob("*.py"))
    if not versions:
        missing.append(str(migrations_dir() / "versions" / "*.py"))
    if missing:
        raise Failed("missing: " + ", ".join(missing))
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    state["manifest"] = manifest
    for entry in manifest["documents"]:
        if not (seeds_dir() / entry["file"]).is_file():
            raise Failed(f"seed {entry['file']} named in the manifest is missing")
    return f"{len(versions)} migration(s), {len(manifest['documents'])} seed(s) under {bundle_root()}"


def _create_project(state: dict) -> str:
    from annotator.store.migrate import current_revision, head_revision
    from annotator.store.project import Project

    project = state["project"] = Project.create(state["tmp"] / "selftest.annotator")
    with project.read() as conn:
        revision = current_revision(conn)
    head = head_revision()
    if revision != head:
        raise Failed(f"the new project is at revision {revision}, the head is {head}")
    return f"revision {revision}"


def _upgrade_from_empty(state: dict) -> str:
    """What opening a project made by an older version does (backup, then Alembic's
    upgrade), from an empty database: runs every migration script's upgrade()."""
    from alembic.script import ScriptDirectory

    from annotator.store.engine import sqlite_engine
    from annotator.store.migrate import alembic_config, current_revision, ensure_current, head_revision

    path = state["tmp"] / "upgraded.annotator"
    engine = sqlite_engine(path)
    try:
        ensure_current(engine, path)
        with engine.connect() as conn:
            revision = current_revision(conn)
    finally:
        engine.dispose()
    if revision != head_revision():
        raise Failed(f"the upgraded database is at revision {revision}, the head is {head_revision()}")
    applied = len(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    return f"{applied} migration(s) applied, at revision {revision}"


def _import_seeds(state: dict) -> str:
    from annotator.importer import seed

    expected = [d["id"] for d in state["manifest"]["documents"]]
    report = seed(state["project"])
    if sorted(report.added) != sorted(expected):
        raise Failed(f"added {sorted(report.added)}, expected {sorted(expected)}")
    return f"{len(report.added)} document(s)"


def _language_identification(state: dict) -> str:
    from annotator.core.langid import guess_language
    from annotator.formats.plaintext import read_txt

    languages = state["project"].languages
    found = []
    for entry in state["manifest"]["documents"]:
        text = read_txt(seeds_dir() / entry["file"]).text
        guess = guess_language(text, languages)
        if guess != entry["lang"]:
            raise Failed(f"seed {entry['file']} identified as {guess!r}, it is {entry['lang']!r}")
        found.append(guess)
    return "seeds identified as " + ", ".join(found)


def _parallel(state: dict) -> str:
    """Group suggestion, sentence alignment and transliteration (anyascii's packaged
    tables) on the seeds, as the side-by-side view uses them."""
    from annotator.core.alignment import align_sentences
    from annotator.core.grouping import suggest_groups
    from annotator.core.translit import to_ascii
    from annotator.formats.plaintext import read_txt

    entries = state["manifest"]["documents"]
    docs = [(e["id"], e["lang"], read_txt(seeds_dir() / e["file"]).text) for e in entries]
    expected = sorted(e["id"] for e in entries if e.get("group"))
    found = [sorted(g.documents) for g in suggest_groups(docs)]
    if found != [expected]:
        raise Failed(f"suggested groups {found}, expected [{expected}]")
    if to_ascii("ন্যাটো") != "nyato":
        raise Failed(f"transliterated ন্যাটো as {to_ascii('ন্যাটো')!r}")
    (_, la, ta), (_, lb, tb) = [d for d in docs if d[0] in expected][:2]
    blocks = align_sentences(ta, la, tb, lb)
    return f"group of {len(expected)} suggested; {len(blocks)} alignment blocks"


def _import_layer(state: dict) -> str:
    """One ORG span per seed, by annotator 'self-test', imported as gold JSONL: exercises
    the record checks (grapheme boundaries in Bengali among others) and the span tables."""
    from annotator.core.records import SpanRecord
    from annotator.formats import gold_jsonl
    from annotator.importer import import_paths
    from annotator.store.records_out import iter_records

    project = state["project"]
    with project.read() as conn:
        records = list(iter_records(conn))
    layer = io.BytesIO()
    for rec in records:
        start = min((i for i in (rec.text.find(name) for name in ORG_NAMES) if i >= 0), default=-1)
        if start < 0:
            raise Failed(f"document {rec.id} names none of {', '.join(ORG_NAMES)}")
        name = next(n for n in ORG_NAMES if rec.text.startswith(n, start))
        span = SpanRecord(f"{rec.id}-org", start, start + len(name), "ORG", name)
        layer.write(gold_jsonl.dumps(replace(rec, spans=(span,), annotator=SELFTEST_ANNOTATOR, status="done")))
    path = state["tmp"] / "layer.jsonl"
    path.write_bytes(layer.getvalue())
    report = import_paths(project, [path])
    if len(report.layers) != len(records) or report.added:
        raise Failed(f"expected {len(records)} new layer(s) and no new document, got {len(report.layers)} "
                     f"layer(s) and {len(report.added)} document(s)")
    return f"{len(report.layers)} layer(s) with one span each"


def _training_process(state: dict) -> str:
    """The CRF trained on the self-test layer in a child process, as the window trains it
    (suggest/worker_process.py). In the frozen app the child is this executable started
    again, which packaging/entry.py's multiprocessing.freeze_support() must turn into the
    worker before it makes a window or reads a command line."""
    from annotator.store.layers import training_layers
    from annotator.suggest import crf_job
    from annotator.suggest.training import examples_by_language
    from annotator.suggest.worker_process import WorkerProcess

    with state["project"].read() as conn:
        examples = examples_by_language(training_layers(conn, [SELFTEST_ANNOTATOR]))
    worker = WorkerProcess("the training process")
    try:
        done = worker.run(crf_job.train, crf_job.CrfJob(examples, {}))
    finally:
        worker.close()
    if done.pid == os.getpid() or done.crf is None or set(done.crf.model_bytes) != set(examples):
        raise Failed(f"expected a CRF for {sorted(examples)} from another process, got "
                     f"{sorted(done.crf.model_bytes) if done.crf else None} from pid {done.pid} (this is {os.getpid()})")
    return f"{', '.join(sorted(done.crf.model_bytes))} in process {done.pid}"


def _statistics_process(state: dict) -> str:
    """What the statistics dashboard computes in a child process (store/statistics_job.py):
    the child opens the project itself, read-only; its figures are this process's."""
    from annotator.store import statistics as st
    from annotator.store import statistics_job
    from annotator.suggest.worker_process import WorkerProcess

    project = state["project"]
    worker = WorkerProcess("the statistics process")
    try:
        agreement = worker.run(statistics_job.agreement, project.path)
        groups = worker.run(statistics_job.group_table, project.path)
        pid = worker.pid
    finally:
        worker.close()
    with project.read() as conn:
        expected = st.agreement(conn), st.GroupTable.of(st.group_disagreements(conn))
    if pid in (None, os.getpid()) or (agreement, groups) != expected:
        raise Failed(f"expected {expected} from another process, got {(agreement, groups)} from pid {pid}")
    return f"{len(groups)} group layer(s), agreement {'on ' + str(agreement.documents) + ' document(s)' if agreement.available else 'not available: ' + agreement.reason} in process {pid}"


def _export_bytes(project) -> tuple[int, bytes]:
    from annotator.formats import gold_jsonl
    from annotator.store.records_out import iter_records

    buffer = io.BytesIO()
    with project.read() as conn:
        count = gold_jsonl.write(iter_records(conn), buffer)
    return count, buffer.getvalue()


def _export(state: dict) -> str:
    count, data = state["export_count"], state["export"] = _export_bytes(state["project"])
    if count == 0:
        raise Failed("the export is empty")
    spans = sum(len(json.loads(line)["spans"]) for line in data.splitlines())
    if spans != len(state["manifest"]["documents"]):
        raise Failed(f"the export has {spans} span(s), expected {len(state['manifest']['documents'])}")
    return f"{count} record(s), {spans} span(s), {len(data)} bytes"


def _validate(state: dict) -> str:
    from annotator.formats.validate import validate_bytes

    count, problems = validate_bytes(state["export"], state["project"].schema, strict=True)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        raise Failed(f"{len(problems)} problem(s): {shown}")
    if count != state["export_count"]:
        raise Failed(f"validated {count} record(s), exported {state['export_count']}")
    return f"{count} record(s), 0 problems"


def _round_trip(state: dict) -> str:
    from annotator.importer import import_paths
    from annotator.store.project import Project

    path = state["tmp"] / "export.jsonl"
    path.write_bytes(state["export"])
    again = state["again"] = Project.create(state["tmp"] / "again.annotator")
    import_paths(again, [path])
    _count, data = _export_bytes(again)
    if data != state["export"]:
        at = next((i for i, (a, b) in enumerate(zip(data, state["export"])) if a != b),
                  min(len(data), len(state["export"])))
        raise Failed(f"the second export differs from the first at byte {at} "
                     f"({len(data)} vs {len(state['export'])} bytes)")
    return "re-imported export exports to identical bytes"


def _untouched(state: dict) -> str:
    after = _snapshot()
    changed = sorted({path for path, _ in set(after.items()) ^ set(state["before"].items())})
    if changed:
        raise Failed("written to: " + ", ".join(changed[:10]))
    if state["before"][str(user_data_dir())] is None:
        return f"bundle data unchanged, {user_data_dir()} not created"
    return "bundle data unchanged"


def _snapshot() -> dict[str, tuple[int, int] | None]:
    """(size, mtime) of every file under the shipped data folders, and whether the user
    data directory exists. (What is inside the latter is not compared: a running GUI may
    be saving there at the same time.) From a source checkout, __pycache__ folders are
    left out: other Python processes may write them there."""
    skip = set() if getattr(sys, "frozen", False) else {"__pycache__"}
    seen: dict[str, tuple[int, int] | None] = {}
    for root in (migrations_dir(), resources_dir(), seeds_dir()):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in skip]
            seen[dirpath] = (0, 0)
            for name in filenames:
                st = os.stat(os.path.join(dirpath, name))
                seen[os.path.join(dirpath, name)] = (st.st_size, st.st_mtime_ns)
    data = user_data_dir()
    seen[str(data)] = (0, 0) if data.exists() else None
    return seen
