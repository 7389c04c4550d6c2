"""Random sequences of the edits of issue 14 (and span and event deletions that take what
hangs on them): undoing them all, newest first, gives the database as it was, byte for
byte of its dump; redoing them all gives it as it was after."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.store import attributes, entities, events, fragments, relations
from annotator.store.attributes import Target
from annotator.store.changes import apply
from annotator.store.events import Frame
from annotator.store.project import Project
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import add_span, delete_span
from tests.conftest import dump

EN = "004_8ff92d06c738168c"
NEEDLES = [("Mircea Geoană", "PERSON"), ("NATO", "ORG"), ("KFOR", "ORG"), ("13 June 2023", "DATE"),
           ("Miroslav Lajcak", "PERSON"), ("European Union", "ORG")]
OPS = st.lists(st.tuples(st.sampled_from(["span", "attr", "doc", "event", "relation", "entity", "kb", "fragment",
                                          "delete", "unevent"]),
                         st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
# One sequence that makes every kind, then deletes the items they hang on.
@example([("event", 0, 0), ("attr", 0, 1), ("doc", 0, 0), ("relation", 0, 1), ("entity", 1, 0), ("kb", 0, 0),
          ("fragment", 2, 0), ("delete", 1, 0), ("delete", 2, 0), ("unevent", 0, 0), ("span", 1, 0)])
def test_any_sequence_undoes_and_redoes_exactly(tmp_path_factory, ops):
    path = tmp_path_factory.mktemp("undo") / "p.annotator"
    with Project.create(path) as p:
        from annotator.importer import seed
        seed(p)
        with p.read() as conn:
            doc = next(d.id for d in list_documents(conn) if d.uid == EN)
            text = document_text(conn, doc)
        changes = []
        spans: dict[int, str] = {}
        frames: list[str] = []
        for i, (needle, label) in enumerate(NEEDLES):  # every span there first, so that the ops meet
            s = text.index(needle)
            spans[i] = add_span(p, doc, "ana", s, s + len(needle), label).result.uid
        start = dump(path)

        def run(operation, *args):
            """The change's result, or None if refused (nothing written, nothing to undo)."""
            try:
                changes.append(operation(p, *args))
            except AnnotatorError:
                return None
            return changes[-1].result

        for op, a, b in ops:
            if op == "span" and a not in spans:
                needle, label = NEEDLES[a]
                s = text.index(needle)
                made = run(add_span, doc, "ana", s, s + len(needle), label)
                if made is not None:
                    spans[a] = made.uid
            elif op == "attr" and frames:
                run(attributes.set_attribute, Target("event", doc, "ana", frames[-1]), "realis",
                    ["actual", "generic", "other", None][b % 4])
            elif op == "doc":
                run(attributes.set_attribute, Target("document", doc, "ana"), "topic", ["security", "politics", None][b % 3])
            elif op == "event":
                met = text.index("met")
                made = run(events.add_frame, Frame("event", "", doc, "ana", "MEETING", met, met + 3, ()))
                if made is not None:
                    frames.append(made.uid)
            elif op == "relation" and a in spans and b in spans:
                run(relations.add_relation, "member_of", spans[a], spans[b])
            elif op == "entity" and a in spans:
                run(entities.add_to_entity, [spans[a]], f"e{b % 2}")
            elif op == "kb":
                run(entities.set_kb, "ana", f"e{b % 2}", ["Q7184", None][a % 2])
            elif op == "fragment" and a in spans:
                s = text.index("Western Balkans")
                run(fragments.set_fragments, spans[a], [(s, s + 7), (s + 8, s + 15)])
            elif op == "delete" and a in spans:
                run(delete_span, spans.pop(a))
            elif op == "unevent" and frames:
                run(events.delete_frame, "event", frames.pop())
        end = dump(path)
        assert len(changes) == len({id(c) for c in changes})
        for change in reversed(changes):
            apply(p, change, False)
        assert dump(path) == start
        for change in changes:
            apply(p, change, True)
        assert dump(path) == end
