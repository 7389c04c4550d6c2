"""The dashboard on a project on the PostgreSQL server (team mode): its child process
logs in as the window does and computes what that login may read."""

from __future__ import annotations

import os

from annotator.store import statistics as st
from annotator.store.project import Project
from annotator.store.roles import add_user
from annotator.store.spans import SpanData, add_spans
from tests.ui.dashboard.test_dashboard import _docs, open_dashboard  # noqa: F401 (a fixture)
from tests.ui.helpers import process_gone
from tests.ui.team.test_gui_on_server import as_login


def test_agreement_on_a_server_comes_from_a_child_with_the_same_login(qtbot, pg_databases,
                                                                       open_dashboard):  # noqa: F811
    location = pg_databases.copy_of("seeded")
    add_user(location, "dash_ana", "annotator", "pw-ana")
    with Project.open(location) as owner:
        doc = _docs(owner)[0]
        add_spans(owner, [SpanData("", doc.id, "alice", 0, 4, "PERSON"), SpanData("", doc.id, "bob", 0, 4, "PERSON"),
                          SpanData("", doc.id, "dash_ana", 0, 4, "ORG")])
        dash = open_dashboard(owner)
        pid = dash.process.pid
        assert pid not in (None, os.getpid())
        with owner.read() as conn:
            expected = st.agreement(conn)
        assert expected.annotators == ("alice", "bob", "dash_ana")  # the owner reads every layer
        assert set(dash.agreement_labels) == set(expected.report.per_label) == {"PERSON", "ORG"}
        assert "alice vs bob vs dash_ana on 1 shared document" in dash.agreement_panel.note.text()
        dash.close()
        assert process_gone(pid)

    # An annotator's login reads its own layer only (row-level security): so does its child.
    with Project.open(as_login(location, "dash_ana", "pw-ana")) as ana:
        with ana.read() as conn:
            expected = st.agreement(conn)
        dash = open_dashboard(ana)
        assert not expected.available
        assert dash.agreement_panel.showing_message and expected.reason in dash.agreement_panel.message.text()
        assert dash.process.pid not in (None, os.getpid())
        dash.close()
