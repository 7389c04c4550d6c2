"""Checking a gold JSONL file with the checks import applies (formats.gold_checks): every
bad line is reported, and the references between lines are checked within the file."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema
from annotator.core.schema_add import missing_types, with_types
from annotator.formats.gold_checks import CheckedFile, Finding, check_file, reference_problems, unnamed_note

Problem = Finding  # the name earlier callers use


def validate_bytes(data: bytes, label_schema: Schema | None = None, strict: bool = False,
                   layer_name: str | None = None, notes: list[str] | None = None,
                   grow_schema: bool = False) -> tuple[int, list[Finding]]:
    """(number of records, findings sorted by line); with `strict` warnings are errors.
    Layers without an annotator are named `layer_name` as import names them (said in
    `notes`), or are errors when it is None. With `grow_schema`, labels, event types and
    roles `label_schema` lacks are a warning (import adds them; --strict refuses), as
    import treats them."""
    added: list[Finding] = []
    if grow_schema and label_schema is not None:  # a first pass finds what import would add
        label_schema, added = _schema_additions(check_file(data, "", None, layer_name=layer_name), label_schema)
    checked = check_file(data, "", label_schema, layer_name=layer_name)
    checked.findings.extend(added)
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


def _schema_additions(checked: CheckedFile, schema: Schema) -> tuple[Schema, list[Finding]]:
    """The schema grown as import would grow it for the good records, and a warning on the
    first line that needs it (or an error for what cannot be added)."""
    first = next((n for n, rec in checked.records if any(missing_types(schema, [rec]))), None)
    try:
        grown, lines = with_types(schema, (rec for _n, rec in checked.records), "")
    except AnnotatorError as exc:
        return schema, [Finding(first or 1, str(exc).removeprefix(": "))]
    if not lines:
        return schema, []
    return grown, [Finding(first or 1, f"not in the schema: {', '.join(lines)}; import adds them "
                                       "(--strict refuses them)", warning=True)]
