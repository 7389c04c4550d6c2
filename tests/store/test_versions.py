"""Row versions of shared items (gold, alignments, groups): every change counts the
version up with who and when, on a file and on a server; a writer that saw an older
version is refused with who changed it and when, and nothing is written."""

import pytest

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import Block
from annotator.store import versions
from annotator.store.changes import apply
from annotator.store.parallel import save_alignment, set_group
from annotator.store.queries import list_documents
from annotator.store.spans import add_span, relabel_span
from tests.conftest import stored


def _docs(project) -> list[int]:
    with project.read() as conn:
        return [d.id for d in list_documents(conn)]


def _versions(project) -> dict[str, int]:
    with project.read() as conn:
        return versions.read_all(conn)


def test_every_change_of_gold_counts_its_version_up_even_an_undo(seeded_project):
    p = seeded_project
    doc = _docs(p)[0]
    p.user = "cora"  # a file's writer is named by the app; a server's is its login
    first = add_span(p, doc, GOLD_ANNOTATOR, 0, 4, "ORG")
    assert dict(first.versions) == {f"gold:{doc}": 1}
    relabelled = relabel_span(p, first.result.uid, "PERSON")
    undone = apply(p, relabelled, False)  # ORG again; the version still goes up
    assert dict(undone.versions) == {f"gold:{doc}": 3} == _versions(p)
    by, = stored(p, "SELECT changed_by FROM item_versions")
    assert by == (p.login_name() if p.on_server else "cora",)
    add_span(p, doc, "ana", 0, 4, "ORG")  # an annotator's own layer is nobody else's: no version
    assert _versions(p) == {f"gold:{doc}": 3}


def test_alignments_and_groups_carry_versions(seeded_project):
    p = seeded_project
    a, b = _docs(p)[:2]
    save_alignment(p, b, a, "ana", [Block(0, 3, 0, 3)])
    set_group(p, [a, b], "g-test")
    assert _versions(p) == {f"alignment:{min(a, b)}:{max(a, b)}:" + str(stored(
        p, "SELECT id FROM annotators WHERE name = 'ana'")[0][0]): 1, f"group:{a}": 1, f"group:{b}": 1}


def test_a_change_over_an_unseen_version_is_refused_naming_who_and_when_and_writes_nothing(seeded_project):
    from tests.conftest import dump

    p = seeded_project
    doc = _docs(p)[0]
    p.user = "bob"
    add_span(p, doc, GOLD_ANNOTATOR, 0, 4, "ORG")  # someone else's change: version 1
    p.user, p.seen_versions = "cora", {}  # cora's window read gold before it
    before = dump(p.path), _versions(p)
    with pytest.raises(versions.VersionConflict) as refused:
        add_span(p, doc, GOLD_ANNOTATOR, 5, 9, "PERSON")
    who = p.login_name() if p.on_server else "bob"
    message = str(refused.value)
    assert f"the gold layer of document {doc} was changed by {who} at " in message
    assert "UTC (version 1; you had seen version 0)" in message and "was not saved" in message
    assert refused.value.description.startswith("label PERSON") and refused.value.items == {f"gold:{doc}": 1}
    assert (dump(p.path), _versions(p)) == before
    p.seen_versions = _versions(p)  # the window shows their change now: the same edit goes through
    assert dict(add_span(p, doc, GOLD_ANNOTATOR, 5, 9, "PERSON").versions) == {f"gold:{doc}": 2}


def test_a_writer_that_sees_nothing_is_not_checked(seeded_project):
    """The command line and imports name no versions: they are counted, never refused."""
    p = seeded_project
    doc = _docs(p)[0]
    add_span(p, doc, GOLD_ANNOTATOR, 0, 4, "ORG")
    assert dict(add_span(p, doc, GOLD_ANNOTATOR, 5, 9, "ORG").versions) == {f"gold:{doc}": 2}
