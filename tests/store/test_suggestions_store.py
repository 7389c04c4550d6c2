import pytest

from annotator.core.errors import AnnotatorError
from annotator.store.changes import apply
from annotator.store.layers import layer_annotators
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.records_out import iter_records
from annotator.store.suggestions import (
    load_suggestions,
    reject_suggestion,
    rejections,
    stored_suggestions,
    suggestion_sources,
)
from tests.conftest import dump


def _docs(project):
    with project.read() as conn:
        return list_documents(conn)


def test_rejections_survive_a_restart_and_undo_like_an_edit(tmp_path):
    path = tmp_path / "p.annotator"
    from annotator.importer import create_project

    create_project(path).close()
    with Project.open(path) as p:
        doc = _docs(p)[0]
        change = reject_suggestion(p, doc.id, "ana", 0, 4, "ORG")
        assert change and not reject_suggestion(p, doc.id, "ana", 0, 4, "ORG")  # twice: nothing new
    with Project.open(path) as p, p.read() as conn:
        assert rejections(conn) == {doc.id: {(0, 4, "ORG")}}
        assert rejections(conn, annotator="ben") == {}
    with Project.open(path) as p:
        apply(p, change, forward=False)
        with p.read() as conn:
            assert rejections(conn) == {}
        apply(p, change, forward=True)
        with p.read() as conn:
            assert rejections(conn, [doc.id], "ana") == {doc.id: {(0, 4, "ORG")}}


def test_loaded_suggestions_replace_the_source_and_bad_items_change_nothing(seeded_project):
    p = seeded_project
    a, b = _docs(p)[:2]
    load_suggestions(p, "gliner", [(a.id, 0, 4, "ORG", 0.9), (b.id, 1, 3, "PERSON", 0.4)])
    change = load_suggestions(p, "gliner", [(a.id, 2, 5, "DATE", 0.7)])
    with p.read() as conn:
        assert [(r.document_id, r.start, r.end, r.label, r.score, r.source) for r in stored_suggestions(conn)] == \
            [(a.id, 2, 5, "DATE", 0.7, "gliner")]
        assert suggestion_sources(conn) == ["gliner"]
    apply(p, change, forward=False)
    with p.read() as conn:
        assert len(stored_suggestions(conn)) == 2
    before = dump(p.path)
    for bad, message in (([(a.id, 0, a.length + 1, "ORG", 0.5)], "outside document"),
                         ([(a.id, 0, 4, "PLACE", 0.5)], "unknown label 'PLACE'"),
                         ([(a.id, 0, 4, "ORG", 1.5)], "not in \\[0, 1\\]")):
        with pytest.raises(AnnotatorError, match=message):
            load_suggestions(p, "gliner", bad)
    assert dump(p.path) == before


def test_suggestions_and_rejections_are_in_no_layer_and_no_export(seeded_project):
    p = seeded_project
    with p.read() as conn:
        records_before = list(iter_records(conn))
    doc = _docs(p)[0]
    load_suggestions(p, "llm", [(doc.id, 0, 4, "ORG", 0.8)])
    reject_suggestion(p, doc.id, "ana", 5, 9, "PERSON")
    with p.read() as conn:
        assert layer_annotators(conn) == []
        assert list(iter_records(conn)) == records_before
        assert list_documents(conn)[0].spans == 0 and list_documents(conn)[0].status == "todo"
