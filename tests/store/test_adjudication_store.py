"""Building the gold layer from annotators' layers: store operations, checked against what
the database file holds, and their exact reversal."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import ArgumentRecord, ClaimRecord, DocumentRecord, EventRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store import adjudication as adj
from annotator.store.changes import apply
from annotator.store.queries import document_text, list_documents
from tests.conftest import dump, stored

SEED = "004_8ff92d06c738168c"


def span(text: str, sid: str, needle: str, label: str, nth: int = 0, value: str | None = None) -> SpanRecord:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return SpanRecord(sid, start, start + len(needle), label, needle, value)


@pytest.fixture
def layers(seeded_project, tmp_path):
    """ana's and bob's layers on the English seed: two agreed spans, a label and a
    boundary disagreement, two spans only ana has; ana also has a MEETING and a claim."""
    project = seeded_project
    with project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == SEED)
        text = document_text(conn, doc.id)
    common = [span(text, "nato", "NATO", "ORG"), span(text, "geoana", "Mircea Geoană", "PERSON")]
    ana = common + [span(text, "date", "13 June 2023", "DATE", value="2023-06-13"),
                    span(text, "rep", "EU Special Representative", "PERSON"),
                    span(text, "kfor", "KFOR", "ORG"), span(text, "lajcak", "Miroslav Lajcak", "PERSON")]
    bob = common + [span(text, "date", "13 June 2023", "FIGURE"),
                    span(text, "rep", "Special Representative", "PERSON")]
    meeting = EventRecord("meet", "MEETING", text.index("met"), text.index("met") + 3, "met",
                          (ArgumentRecord("participant", "geoana"), ArgumentRecord("participant", "lajcak")))
    claim = ClaimRecord("claim", 0, 4, "News", (ArgumentRecord("claimant", "nato"),))
    path = tmp_path / "layers.jsonl"
    path.write_bytes(gold_jsonl.dumps(DocumentRecord(SEED, "en", text, spans=tuple(ana), events=(meeting,),
                                                     claims=(claim,), annotator="ana"))
                     + gold_jsonl.dumps(DocumentRecord(SEED, "en", text, spans=tuple(bob), annotator="bob")))
    import_paths(project, [path])
    return project, doc.id, text


def rows(project, annotator=GOLD_ANNOTATOR):
    return stored(project, 'SELECT s.uid, s.start, s."end", s.label, s.value FROM spans s JOIN annotators a '
                           'ON a.id = s.annotator_id WHERE a.name = :name ORDER BY s.start, s."end"',
                  name=annotator)


def gold_keys(project):
    return [(s, e, label) for _uid, s, e, label, _v in rows(project)]


def frames(project):
    events = stored(project, "SELECT e.type, e.trigger_start, x.role, s.label, s.start FROM events e "
                             "JOIN annotators a ON a.id = e.annotator_id JOIN event_arguments x ON x.event_id = e.id "
                             "JOIN spans s ON s.id = x.span_id WHERE a.name = 'gold' ORDER BY x.position")
    claims = stored(project, "SELECT c.start, x.role, s.uid FROM claims c JOIN annotators a ON a.id = c.annotator_id "
                             "JOIN claim_arguments x ON x.claim_id = c.id JOIN spans s ON s.id = x.span_id "
                             "WHERE a.name = 'gold' ORDER BY c.start, x.position")
    return events, claims


def uid_of(project, annotator, start, label):
    return next(u for u, s, _e, lab, _v in rows(project, annotator) if (s, lab) == (start, label))


def test_accepting_a_version_copies_it_with_a_new_id_and_reverts_exactly(layers):
    project, doc_id, text = layers
    ana_before = rows(project, "ana")
    date = text.index("13 June 2023")
    change = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", date, "DATE")])
    [(uid, start, end, label, value)] = rows(project)
    assert (start, end, label, value) == (date, date + 12, "DATE", "2023-06-13")
    assert uid not in {r[0] for r in ana_before} and rows(project, "ana") == ana_before
    assert [s.uid for s in change.result.added.spans] == [uid] and not change.result.removed
    apply(project, change, False)
    assert rows(project) == []
    apply(project, change, True)
    assert rows(project)[0][0] == uid  # the same span again, so later commands still find it


def test_accepting_the_other_version_replaces_the_first_in_one_step(layers):
    project, doc_id, text = layers
    date = text.index("13 June 2023")
    first = adj.accept_spans(project, doc_id, "bob", [uid_of(project, "bob", date, "FIGURE")])
    bob_gold = rows(project)
    second = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", date, "DATE")],
                              replacing=[s.uid for s in first.result.added.spans])
    assert gold_keys(project) == [(date, date + 12, "DATE")]
    apply(project, second, False)
    assert rows(project) == bob_gold


def test_accept_agreed_copies_exactly_the_spans_every_layer_has(layers):
    project, doc_id, text = layers
    change = adj.accept_agreed(project, doc_id, ["ana", "bob"])
    nato, geoana = text.index("NATO"), text.index("Mircea Geoană")
    assert gold_keys(project) == [(nato, nato + 4, "ORG"), (geoana, geoana + 13, "PERSON")]
    assert not adj.accept_agreed(project, doc_id, ["ana", "bob"])  # nothing left to copy
    apply(project, change, False)
    assert gold_keys(project) == []
    with pytest.raises(AnnotatorError, match="two annotators"):
        adj.accept_agreed(project, doc_id, ["ana"])


def test_accept_layer_starts_gold_with_spans_events_and_claims(layers):
    project, doc_id, text = layers
    change = adj.accept_layer(project, doc_id, "ana")
    assert [k for _u, *k in rows(project)] == [k for _u, *k in rows(project, "ana")]
    events, claims = frames(project)
    geoana, lajcak = text.index("Mircea Geoană"), text.index("Miroslav Lajcak")
    assert events == [("MEETING", text.index("met"), "participant", "PERSON", geoana),
                      ("MEETING", text.index("met"), "participant", "PERSON", lajcak)]
    assert claims == [(0, "claimant", uid_of(project, GOLD_ANNOTATOR, text.index("NATO"), "ORG"))]
    with pytest.raises(AnnotatorError, match="already started"):
        adj.accept_layer(project, doc_id, "bob")
    apply(project, change, False)
    assert rows(project) == [] and frames(project) == ([], [])


def test_an_event_follows_once_all_its_arguments_are_in_gold(layers):
    project, doc_id, text = layers
    geoana, lajcak = text.index("Mircea Geoană"), text.index("Miroslav Lajcak")
    first = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", geoana, "PERSON")])
    assert first.result.added.events == () and frames(project) == ([], [])
    second = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", lajcak, "PERSON")])
    assert [e.type for e in second.result.added.events] == ["MEETING"]
    assert [row[4] for row in frames(project)[0]] == [geoana, lajcak]
    apply(project, second, False)
    assert frames(project) == ([], []) and len(rows(project)) == 1


def test_reject_removes_a_gold_span_but_not_one_an_event_uses(layers):
    project, doc_id, text = layers
    kfor = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", text.index("KFOR"), "ORG")])
    change = adj.reject_spans(project, doc_id, [s.uid for s in kfor.result.added.spans])
    assert rows(project) == []
    apply(project, change, False)
    assert [r[0] for r in rows(project)] == [s.uid for s in kfor.result.added.spans]
    meeting = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", text.index(n), "PERSON")
                                                        for n in ("Mircea Geoană", "Miroslav Lajcak")])
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="event or claim uses"):
        adj.reject_spans(project, doc_id, [meeting.result.added.spans[0].uid])
    assert dump(project.path) == before


def test_a_failed_accept_changes_nothing(layers):
    project, doc_id, text = layers
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="no span"):
        adj.accept_spans(project, doc_id, "bob", [uid_of(project, "ana", text.index("KFOR"), "ORG")])
    with pytest.raises(AnnotatorError, match="no gold span"):
        adj.reject_spans(project, doc_id, [uid_of(project, "ana", text.index("KFOR"), "ORG")])
    assert dump(project.path) == before


def test_gold_status_counts_the_gold_layer_only(layers):
    project, doc_id, _text = layers
    with project.read() as conn:
        assert adj.gold_status(conn, doc_id) == adj.GoldStatus("todo", 0, 0, 0)
    adj.accept_layer(project, doc_id, "ana")
    with project.read() as conn:
        assert adj.gold_status(conn, doc_id) == adj.GoldStatus("in_progress", 6, 1, 1)


def test_accepting_what_gold_already_has_adds_nothing(layers):
    project, doc_id, text = layers
    kfor = [uid_of(project, "ana", text.index("KFOR"), "ORG")]
    adj.accept_spans(project, doc_id, "ana", kfor)
    assert not adj.accept_spans(project, doc_id, "ana", kfor)
    assert len(rows(project)) == 1


def test_an_undone_first_decision_leaves_no_gold_layer_to_export(layers):
    from annotator.store.layers import layer_annotators
    from annotator.store.records_out import iter_records

    project, doc_id, _text = layers
    change = adj.accept_layer(project, doc_id, "ana")
    apply(project, change, False)
    with project.read() as conn:
        assert GOLD_ANNOTATOR not in layer_annotators(conn)
        assert not any(r.has_layer for r in iter_records(conn, annotator=GOLD_ANNOTATOR))
        assert adj.gold_status(conn, doc_id).status == "todo"


def decisions(project):
    """The decisions as stored in the database file: (document id, start, end, decision)."""
    return stored(project, 'SELECT document_id, start, "end", decision FROM adjudication_decisions '
                           'ORDER BY document_id, start, "end"')


def test_a_rejection_is_stored_with_the_removal_and_reverts_and_reapplies_with_it(layers):
    project, doc_id, text = layers
    kfor = text.index("KFOR")
    accepted = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", kfor, "ORG")])
    change = adj.reject_spans(project, doc_id, [s.uid for s in accepted.result.added.spans], place=(kfor, kfor + 4))
    assert rows(project) == [] and decisions(project) == [(doc_id, kfor, kfor + 4, "none")]
    assert change.result.added.decisions == (adj.Decision(kfor, kfor + 4, adj.REJECTED),)
    with project.read() as conn:
        assert adj.read_decisions(conn, doc_id) == [adj.Decision(kfor, kfor + 4, "none")]
    apply(project, change, False)
    assert decisions(project) == [] and gold_keys(project) == [(kfor, kfor + 4, "ORG")]
    apply(project, change, True)
    assert decisions(project) == [(doc_id, kfor, kfor + 4, "none")] and rows(project) == []
    # Rejecting again changes nothing; a place where gold has nothing can be rejected too.
    assert not adj.reject_spans(project, doc_id, [], place=(kfor, kfor + 4))
    lajcak = text.index("Miroslav Lajcak")
    adj.reject_spans(project, doc_id, [], place=(lajcak, lajcak + 15))
    assert [d[1:3] for d in decisions(project)] == sorted([(kfor, kfor + 4), (lajcak, lajcak + 15)])


def test_accepting_a_version_replaces_the_rejection_of_its_place_and_undo_brings_it_back(layers):
    project, doc_id, text = layers
    date = text.index("13 June 2023")
    place = (date, date + 12)
    adj.reject_spans(project, doc_id, [], place=place)
    change = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", date, "DATE")], place=place)
    assert decisions(project) == [] and gold_keys(project) == [(date, date + 12, "DATE")]
    apply(project, change, False)
    assert decisions(project) == [(doc_id, date, date + 12, "none")] and rows(project) == []


def test_a_refused_rejection_stores_no_decision(layers):
    project, doc_id, text = layers
    meeting = adj.accept_spans(project, doc_id, "ana", [uid_of(project, "ana", text.index(n), "PERSON")
                                                        for n in ("Mircea Geoană", "Miroslav Lajcak")])
    before = dump(project.path)
    with pytest.raises(AnnotatorError, match="event or claim uses"):
        adj.reject_spans(project, doc_id, [meeting.result.added.spans[0].uid], place=(0, 4))
    with pytest.raises(AnnotatorError, match="outside"):
        adj.reject_spans(project, doc_id, [], place=(0, len(text) + 1))
    assert dump(project.path) == before


def test_deleting_a_document_deletes_its_decisions(layers):
    project, doc_id, _text = layers
    adj.reject_spans(project, doc_id, [], place=(0, 4))
    with project.write() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})
    assert decisions(project) == []
