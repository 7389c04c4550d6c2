"""Checking a gold JSONL file with the checks import applies (formats.gold_checks): every
bad line is reported, and the references between lines are checked within the file."""

from __future__ import annotations

from annotator.core.schema import Schema
from annotator.formats.gold_checks import Finding, check_file, reference_problems, unnamed_note

Problem = Finding  # the name earlier callers use


def validate_bytes(data: bytes, label_schema: Schema | None = None, strict: bool = False,
                   layer_name: str | None = None, notes: list[str] | None = None) -> tuple[int, list[Finding]]:
    """(number of records, findings sorted by line); with `strict` warnings are errors.
    Layers without an annotator are named `layer_name` as import names them (said in
    `notes`), or are errors when it is None."""
    checked = check_file(data, "", label_schema, layer_name=layer_name)
    note = unnamed_note("", checked, layer_name or "", chosen=False)
    if note is not None and notes is not None:
        notes.append(note.removeprefix(": "))
    findings = checked.findings
    for rec_line, message in reference_problems(checked.records, {}, lambda _doc, _span: False):
        findings.append(Finding(rec_line, message))
    if strict:
        findings = [Finding(f.line, f.message) for f in findings]
    findings.sort(key=lambda f: f.line)
    return checked.count, findings
