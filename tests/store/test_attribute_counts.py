"""Attribute distributions (issue 14): items per attribute value, in all layers or one
annotator's, as the dashboard and `annotator stats` show them."""

from __future__ import annotations

from dataclasses import replace

from annotator.cli.commands import main
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.statistics import attribute_counts, overview
from tests.formats.test_depth_gold import full_record


def two_layers(tmp_path) -> Project:
    ana = full_record("ana")
    bob = full_record("bob", p="b")
    bob = replace(bob, events=tuple(replace(e, attributes=(("realis", "generic"), ("polarity", "negative")))
                                    for e in bob.events), attributes=(("topic", "politics"),))
    path = tmp_path / "in.jsonl"
    path.write_bytes(gold_jsonl.dumps(ana) + gold_jsonl.dumps(bob))
    project = Project.create(tmp_path / "p.annotator")
    import_paths(project, [path])
    return project


def test_values_are_counted_per_attribute_in_all_layers_or_one(tmp_path):
    with two_layers(tmp_path) as project, project.read() as conn:
        every = attribute_counts(conn)
        assert every.values["realis"] == (("actual", 1), ("generic", 1))
        assert every.values["topic"] == (("politics", 1), ("security", 1))
        assert every.values["check_worthy"] == (("true", 2),)  # a boolean as gold JSONL writes it
        assert every.values["polarity"] == (("negative", 1), ("positive", 1))
        assert "tense" not in attribute_counts(conn, "bob").values
        assert attribute_counts(conn, "bob").values["realis"] == (("generic", 1),)
        assert every.total("stance") == 2
        assert overview(conn, "ana").attributes == attribute_counts(conn, "ana")
        assert attribute_counts(conn, "nobody").values == {}


def test_stats_prints_the_distributions(tmp_path, capsys):
    two_layers(tmp_path).close()
    assert main(["stats", str(tmp_path / "p.annotator")]) == 0
    out = capsys.readouterr().out
    assert "attribute values (items per value, all layers):\n  realis: actual 1, generic 1\n" in out
    assert "  check_worthy: true 2\n" in out
    assert out.index("  realis:") < out.index("  stance:") < out.index("  topic:")  # the schema's order
