"""Live updates on a real server: a committed change is logged and notified; a listener
reads it under the layers' row-level security (an annotator never reads another's
layer, even through the log) and never its own session's changes."""

from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.live_listener import Listener
from annotator.store.parallel import set_group
from annotator.store.project import Project
from annotator.store.queries import list_documents
from annotator.store.roles import add_user, set_gold_visible
from annotator.store.spans import add_span
from tests.store.test_team_roles import as_login


def _until(listener: Listener, done, rounds: int = 100) -> list:
    """Logged changes until `done(got)` holds (each wait ends on a notification or after 0.2 s)."""
    got: list = []
    for _ in range(rounds):
        got += listener.wait(0.2)
        if done(got):
            return got
    raise AssertionError(f"not told within {rounds} waits: {[g.change.description for g in got]}")


def test_a_change_reaches_the_listeners_allowed_to_read_it_and_no_other(pg_databases):
    location = pg_databases.copy_of("seeded")
    for name, role in {"ana": "annotator", "bob": "annotator", "cora": "curator"}.items():
        add_user(location, name, role, f"pw-{name}")
    logins = {n: Project.open(as_login(location, n, f"pw-{n}")) for n in ("ana", "bob", "cora")}
    listeners = {n: Listener(p.path, p.session) for n, p in logins.items()}
    try:
        for listener in listeners.values():
            listener.connect()
        ana = logins["ana"]
        with ana.read() as conn:
            a, b = [d.id for d in list_documents(conn)][:2]
        add_span(ana, a, "ana", 0, 4, "ORG")
        set_group(logins["cora"], [a, b], "g-live")  # a change of no layer: for everyone
        ends = lambda got: any(g.change.description.startswith("group") for g in got)
        bob = _until(listeners["bob"], ends)
        # cora's own change is not told to her; its table's trigger line (no session) is.
        cora = _until(listeners["cora"], lambda got: any(g.change.description == "documents changed" for g in got))
        assert not any(g.change.description.startswith("group") for g in cora)
        assert [g.change.description for g in bob] == ["documents changed", "group 2 documents"]
        labelled = next(g for g in cora if g.change.description.startswith("label ORG"))
        assert labelled.changed_by == "ana" and labelled.change.documents == (a,)
        assert [(r.table, (r.after or {}).get("label")) for r in labelled.change.rows if r.table == "spans"] == [
            ("spans", "ORG")]
        own = _until(listeners["ana"], ends)  # ana hears cora's change, not her own
        assert not any(g.change.description.startswith("label") for g in own)
        # Gold reaches annotators once a manager makes it visible, with its new version.
        set_gold_visible(location, True)
        add_span(logins["cora"], a, GOLD_ANNOTATOR, 5, 9, "PERSON")
        gold = _until(listeners["bob"], lambda got: bool(got))
        assert gold[0].versions == {f"gold:{a}": 1} and gold[0].changed_by == "cora"
    finally:
        for listener in listeners.values():
            listener.close()
        for project in logins.values():
            project.close()
