"""Replacing a project's annotation schema (new event types, roles, labels) without ever
leaving annotations the new schema cannot describe."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from annotator.core.errors import AnnotatorError
from annotator.core.schema import Schema, parse_schema
from annotator.store.changes import Change, Recorder
from annotator.store.models import (
    AttributeValue,
    Claim,
    ClaimArgument,
    Event,
    EventArgument,
    ProjectMeta,
    Relation,
    Span,
)
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
    out += _attribute_and_relation_misfits(conn, schema)
    return out


def _attribute_and_relation_misfits(conn: Connection, schema: Schema) -> list[str]:
    out = []
    src, dst = aliased(Span), aliased(Span)
    for type_, a, b, n in conn.execute(select(Relation.type, src.label, dst.label, func.count())
                                       .join(src, Relation.from_span_id == src.id)
                                       .join(dst, Relation.to_span_id == dst.id)
                                       .group_by(Relation.type, src.label, dst.label)):
        declared = schema.relation(type_)
        if declared is None:
            out.append(f"{n} {type_} relation(s), a relation the schema lacks")
        elif why := declared.problem(a, b):
            out.append(f"{n} relation(s): {why}")
    av = AttributeValue
    ea, ca = aliased(EventArgument), aliased(ClaimArgument)
    rows = conn.execute(select(av.name, Span.label, Event.type, av.claim_id.is_not(None), ea.role, ca.role,
                               av.value, func.count())
                        .outerjoin(Span, av.span_id == Span.id).outerjoin(Event, av.event_id == Event.id)
                        .outerjoin(ea, av.event_argument_id == ea.id).outerjoin(ca, av.claim_argument_id == ca.id)
                        .group_by(av.name, Span.label, Event.type, av.claim_id.is_not(None), ea.role, ca.role,
                                  av.value))
    seen: set[str] = set()
    for name, label, etype, on_claim, e_role, c_role, value, _n in rows:
        if label is not None:
            item, item_name, what = "span", label, f"{label} spans"
        elif etype is not None:
            item, item_name, what = "event", etype, f"{etype} events"
        elif on_claim:
            item, item_name, what = "claim", None, "claims"
        elif e_role is not None or c_role is not None:
            item, item_name = "argument", e_role or c_role
            what = f"{item_name} arguments"
        else:
            item, item_name, what = "document", None, "documents"
        attr = schema.attribute(name)
        if attr is None or not attr.applies(item, item_name):
            line = f"{what} with the attribute {name}, which the schema does not declare there"
        elif why := attr.problem(json.loads(value)):
            line = f"{what} with {name} = {value}: {why}"
        else:
            continue
        if line not in seen:
            seen.add(line)
            out.append(line)
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
