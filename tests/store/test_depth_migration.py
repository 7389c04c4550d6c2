"""Migration 0005_depth: a project holding today's seed gold, made at the revision before
it (downgraded for real), opens upgraded with a backup, every row as it was, and takes
attributes, relations, clusters and fragments at once."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import layer_signature
from annotator.formats import gold_checks, gold_jsonl
from annotator.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store import attributes, entities, migrate, relations
from annotator.store.project import Project, default_schema_text
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from annotator.store.schema_change import replace_schema
from tests.conftest import dump

NEW_TABLES = ("attribute_values", "relations", "entities", "entity_members", "span_fragments")


def previous_default_schema() -> str:
    """The default schema as projects made before attributes and relations hold it."""
    data = json.loads(default_schema_text())
    del data["attributes"], data["relations"]
    return json.dumps(data)


def seed_gold() -> list:
    return [rec for _n, rec in gold_checks.read((seeds_dir() / "gold" / "seeds.gold.jsonl").read_bytes(), "seed gold")]


def without_depth(rec):
    """The seed gold as it was before issue 14: no attributes, relations or clusters."""
    return replace(rec, attributes=(), relations=(), entities=(),
                   spans=tuple(replace(s, attributes=(), entity=None, fragments=()) for s in rec.spans),
                   events=tuple(replace(e, attributes=()) for e in rec.events),
                   claims=tuple(replace(c, attributes=()) for c in rec.claims))


def test_a_project_with_the_seed_gold_upgrades_keeping_every_row(tmp_path):
    path = tmp_path / "old.annotator"
    old = tmp_path / "old-seed-gold.jsonl"
    old.write_bytes(b"".join(gold_jsonl.dumps(without_depth(r)) for r in seed_gold()))
    with Project.create(path, previous_default_schema()) as p:
        import_paths(p, [old])
        with p.read() as conn:
            exported = list(iter_records(conn))
    assert any(r.spans and r.annotator == GOLD_ANNOTATOR for r in exported)
    previous = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0005_depth").down_revision
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), previous)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == previous
        assert not any(inspect(conn).has_table(t) for t in NEW_TABLES)
    engine.dispose()

    def rows():
        # The span counts are derived (revision 0009 fills them): tests/store/test_span_counts.py checks them.
        return sorted(line for line in dump(path) if line.startswith("INSERT") and "alembic_version" not in line
                      and not line.startswith('INSERT INTO "span_counts_'))
    before = rows()
    with Project.open(path) as project:
        assert project.backup is not None and project.backup.exists()
        with project.read() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert all(inspect(conn).has_table(t) for t in NEW_TABLES)
            assert list(iter_records(conn)) == exported
            gold = next(r for r in iter_records(conn, annotator=GOLD_ANNOTATOR) if r.spans)
            doc = next(d.id for d in list_documents(conn) if d.uid == gold.id)
        assert rows() == before  # the upgrade moved no row
        # The project keeps its own schema: the new declarations come with the new default.
        with pytest.raises(AnnotatorError, match="declares no relation"):
            relations.add_relation(project, "member_of", gold.spans[0].id, gold.spans[1].id)
        replace_schema(project, default_schema_text(), "default schema")
        persons = [s.id for s in gold.spans if s.label == "PERSON"]
        orgs = [s.id for s in gold.spans if s.label == "ORG"]
        relations.add_relation(project, "member_of", persons[0], orgs[0])
        entities.add_to_entity(project, orgs[:1], kb="Q7184")
        attributes.set_attribute(project, attributes.Target("document", doc, GOLD_ANNOTATOR), "genre", "news")
        with project.read() as conn:
            assert len(relations.layer_relations(conn, doc, GOLD_ANNOTATOR)) == 1
        # The extended seed gold (attributes of every event and claim, relations, clusters
        # across the translation group) goes into the upgraded project as it is.
        extended = tmp_path / "seed-gold-as-gold2.jsonl"
        extended.write_bytes(b"".join(gold_jsonl.dumps(replace(r, annotator="gold2")) for r in seed_gold()))
        assert import_paths(project, [extended]).warnings == []
        with project.read() as conn:
            stored = {r.id: r for r in iter_records(conn, annotator="gold2")}
        for rec in seed_gold():
            # (links name their target spans by id, which the second copy's spans changed)
            assert layer_signature(stored[rec.id])[:8] == layer_signature(replace(rec, annotator="gold2"))[:8]
            assert stored[rec.id].relations and stored[rec.id].entities
    with create_engine(f"sqlite:///{project.backup}").connect() as conn:
        assert migrate.current_revision(conn) == previous
