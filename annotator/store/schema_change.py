"""Replacing a project's annotation schema (new event types, roles, labels) without ever
leaving annotations the new schema cannot describe."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema, parse_schema
from annotator.store.changes import Change, Recorder
from annotator.store.models import Claim, ClaimArgument, Event, EventArgument, ProjectMeta, Span
from annotator.store.project import Project


def misfits(conn: Connection, schema: Schema) -> list[str]:
    """What in the project the schema has no place for, one line per kind of problem."""
    out = []
    for label, n in conn.execute(select(Span.label, func.count()).group_by(Span.label)):
        if schema.label(label) is None:
            out.append(f"{n} span(s) labelled {label}, a label the schema lacks")
    for kind, n in conn.execute(select(Event.type, func.count()).group_by(Event.type)):
        if schema.event_type(kind) is None:
            out.append(f"{n} {kind} event(s), a type the schema lacks")
    rows = conn.execute(select(Event.type, EventArgument.role, Span.label).distinct()
                        .select_from(EventArgument).join(Event, EventArgument.event_id == Event.id)
                        .join(Span, EventArgument.span_id == Span.id))
    for kind, role, label in rows:
        r = schema.event_role(kind, role)
        if schema.event_type(kind) is not None and (r is None or not r.accepts(label)):
            out.append(f"{kind} events with a {label} {role}, which the schema does not allow")
    claim_rows = conn.execute(select(ClaimArgument.role, Span.label).distinct()
                              .select_from(ClaimArgument).join(Claim, ClaimArgument.claim_id == Claim.id)
                              .join(Span, ClaimArgument.span_id == Span.id))
    for role, label in claim_rows:
        r = schema.claim_role(role)
        if r is None or not r.accepts(label):
            out.append(f"claims with a {label} {role}, which the schema does not allow")
    return out


def replace_schema(project: Project, text: str, where: str) -> Change:
    """Checks `text` (errors name `where` and the place), then makes it the project's
    schema in one transaction, unless existing annotations would not fit it. The change's
    result is the new Schema."""
    schema = parse_schema(text, where)
    with project.write() as conn:
        problems = misfits(conn, schema)
        if problems:
            raise AnnotatorError(f"{where}: the project's annotations do not fit this schema, nothing changed: "
                                 + "; ".join(problems))
        rec = Recorder(conn)
        rec.update(ProjectMeta, {"value": schema.to_json()}, ProjectMeta.key == "schema")
        change = rec.change(f"replace the schema by {where}", schema)
    project.__dict__.pop("schema", None)  # the cached copy is stale now
    return change


def write_schema(conn: Connection, schema: Schema) -> None:
    """Store `schema` as the project's, inside the caller's transaction (an import that adds
    labels writes them with its records, or neither)."""
    conn.execute(ProjectMeta.__table__.update().where(ProjectMeta.key == "schema").values(value=schema.to_json()))
