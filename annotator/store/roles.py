"""People and roles of a project on a server, and blind annotation enforced by the server.

Three PostgreSQL group roles, made once per cluster: `annotator`, `curator`, `manager`.
Each person is a login role in one of them (`annotator server add-user`); the layer a
login writes is the annotator of its own name (current_user), so the app takes the name
from the login, never from a free choice.

Row-level security on every layer table (spans, events, claims, their arguments, links,
statuses, alignments):
- an annotator sees and changes only rows of their own layer, and sees the gold layer
  only when a manager has made it visible (`annotator server gold-visible URL yes`,
  project_meta key `gold_visible`);
- a curator sees every layer and writes their own layer and the gold layer;
- a manager sees and changes everything (imports, schema, settings).
The owner of the tables (whoever created the project) is not subject to the policies.
Passwords are hashed (SCRAM) on the client before they are sent and never kept here.
"""

from __future__ import annotations

from sqlalchemy import Connection

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.location import ServerLocation

GROUPS = ("annotator", "curator", "manager")
GOLD_VISIBLE_KEY = "gold_visible"
# Tables whose rows carry the layer's annotator_id.
# Every table added with an annotator_id must be listed here, or its rows are blind to no one
# (tests/store/test_team_roles.py checks the models against this list).
LAYER_TABLES = ("spans", "events", "claims", "document_status", "alignment_blocks", "alignment_crossings",
                "attribute_values", "relations", "entities", "entity_members", "span_fragments",
                "suggestion_rejections")
# Tables whose rows belong to a row of a layer table: visible when that row is (the
# policy's subquery is itself filtered by the owner's policies).
OWNED = {"event_arguments": "EXISTS (SELECT 1 FROM events o WHERE o.id = event_id)",
         "claim_arguments": "EXISTS (SELECT 1 FROM claims o WHERE o.id = claim_id)",
         "span_links": "EXISTS (SELECT 1 FROM spans o WHERE o.id = source_span_id)"}
READ_ONLY_FOR_TEAM = ("documents", "translation_groups", "project_meta", "alembic_version", "document_search",
                      "suggestion_sources", "suggestions")

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION team_me() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT id FROM annotators WHERE name = current_user $$;
CREATE OR REPLACE FUNCTION team_gold() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT id FROM annotators WHERE name = '{GOLD_ANNOTATOR}' $$;
CREATE OR REPLACE FUNCTION team_timeout() RETURNS interval LANGUAGE sql STABLE AS
  $$ SELECT make_interval(mins => COALESCE((SELECT value::integer FROM project_meta
                                            WHERE key = 'assignment_timeout_minutes'), 120)) $$;
CREATE OR REPLACE FUNCTION team_gold_visible() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT EXISTS (SELECT 1 FROM project_meta WHERE key = '{GOLD_VISIBLE_KEY}' AND value = 'yes') $$;
"""


def install(conn: Connection) -> None:
    """Group roles (if the cluster lacks them), grants and policies, in the creating transaction."""
    for group in GROUPS:
        conn.exec_driver_sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
                             f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$")
    conn.exec_driver_sql(_FUNCTIONS)
    team = ", ".join(GROUPS)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {team}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {team}")
    conn.exec_driver_sql(f"GRANT SELECT ON {', '.join(READ_ONLY_FOR_TEAM)} TO {team}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT ON annotators TO {team}")
    layer = ", ".join((*LAYER_TABLES, *OWNED))
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {layer} TO {team}")
    conn.exec_driver_sql(f"GRANT SELECT ON adjudication_decisions TO {team}")
    conn.exec_driver_sql("GRANT INSERT, UPDATE, DELETE ON adjudication_decisions, translation_groups TO curator, manager")
    conn.exec_driver_sql("GRANT UPDATE ON documents TO curator")  # translation groups of documents
    conn.exec_driver_sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO manager")
    for table in LAYER_TABLES:
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"CREATE POLICY own_layer ON {table} TO annotator "
                             "USING (annotator_id = team_me()) WITH CHECK (annotator_id = team_me())")
        conn.exec_driver_sql(f"CREATE POLICY visible_gold ON {table} FOR SELECT TO annotator "
                             "USING (team_gold_visible() AND annotator_id = team_gold())")
        conn.exec_driver_sql(f"CREATE POLICY every_layer ON {table} FOR SELECT TO curator USING (true)")
        conn.exec_driver_sql(f"CREATE POLICY own_and_gold ON {table} TO curator "
                             "USING (annotator_id IN (team_me(), team_gold())) "
                             "WITH CHECK (annotator_id IN (team_me(), team_gold()))")
        conn.exec_driver_sql(f"CREATE POLICY everything ON {table} TO manager USING (true) WITH CHECK (true)")
    for table, owner_visible in OWNED.items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"CREATE POLICY with_owner ON {table} TO annotator, curator "
                             f"USING ({owner_visible}) WITH CHECK ({owner_visible})")
        conn.exec_driver_sql(f"CREATE POLICY everything ON {table} TO manager USING (true) WITH CHECK (true)")
    # Names are not layers: everyone reads them; a login adds only itself (a curator also gold).
    conn.exec_driver_sql("ALTER TABLE annotators ENABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql(f"CREATE POLICY names ON annotators FOR SELECT TO {team} USING (true)")
    conn.exec_driver_sql("CREATE POLICY oneself ON annotators FOR INSERT TO annotator WITH CHECK (name = current_user)")
    conn.exec_driver_sql("CREATE POLICY oneself_and_gold ON annotators FOR INSERT TO curator "
                         f"WITH CHECK (name IN (current_user, '{GOLD_ANNOTATOR}'))")
    conn.exec_driver_sql("CREATE POLICY everything ON annotators TO manager USING (true) WITH CHECK (true)")
    # Assignment: everyone sees the pool; a place is taken (or finished) by its own
    # annotator, and one abandoned past the timeout may be taken by another.
    conn.exec_driver_sql(f"GRANT SELECT, UPDATE ON assignments TO {team}")
    conn.exec_driver_sql("ALTER TABLE assignments ENABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql("CREATE POLICY pool ON assignments FOR SELECT TO annotator, curator USING (true)")
    conn.exec_driver_sql("CREATE POLICY take ON assignments FOR UPDATE TO annotator, curator "
                         "USING (annotator_id IS NULL OR annotator_id = team_me() OR (state = 'taken' AND "
                         "taken_at < (now() AT TIME ZONE 'utc') - team_timeout())) "
                         "WITH CHECK (annotator_id = team_me())")
    conn.exec_driver_sql("CREATE POLICY everything ON assignments TO manager USING (true) WITH CHECK (true)")
    # adjudication decisions are gold: annotators read them when gold is visible.
    conn.exec_driver_sql("ALTER TABLE adjudication_decisions ENABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql("CREATE POLICY visible_gold ON adjudication_decisions FOR SELECT TO annotator "
                         "USING (team_gold_visible())")
    conn.exec_driver_sql("CREATE POLICY everything ON adjudication_decisions TO curator, manager "
                         "USING (true) WITH CHECK (true)")
    install_live(conn)


def install_live(conn: Connection) -> None:
    """Row versions and the change log of live updates (migration 0008_live): everyone
    counts versions up; the log is read under the layers' rules (annotator_id NULL: a
    change of no layer, for everyone; 0: curators and managers only) and written by each
    login for the layers it may write."""
    team = ", ".join(GROUPS)
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON item_versions TO {team}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT ON change_log TO {team}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE change_log_id_seq TO {team}")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION team_prune_log() TO {team}")
    conn.exec_driver_sql("ALTER TABLE change_log ENABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql("CREATE POLICY own_layer ON change_log TO annotator "
                         "USING (annotator_id IS NULL OR annotator_id = team_me() "
                         "OR (team_gold_visible() AND annotator_id = team_gold())) "
                         "WITH CHECK (annotator_id IS NULL OR annotator_id IN (team_me(), 0))")
    conn.exec_driver_sql("CREATE POLICY every_layer ON change_log TO curator, manager USING (true) WITH CHECK (true)")


def _connect(location: ServerLocation):  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(location.url, autocommit=True)
    except psycopg.Error as exc:
        from annotator.store.server import describe_connect

        raise describe_connect(location, exc) from None


def add_user(location: ServerLocation, name: str, role: str, password: str) -> None:
    """A login role NAME in group ROLE (made, or given the new password and the group),
    and its annotator row in the project. Needs a superuser or a manager (CREATEROLE)."""
    import psycopg
    from psycopg import sql

    if role not in GROUPS:
        raise AnnotatorError(f"{role}: not a role (annotator, curator or manager)")
    if name in GROUPS or name == GOLD_ANNOTATOR or name.startswith("pg_") or not name.strip():
        raise AnnotatorError(f"{name!r}: a reserved name; choose another login name")
    with _connect(location) as conn:
        try:
            # The server receives the SCRAM verifier only, never the password itself.
            verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            with conn.transaction():
                verb = "ALTER" if exists else "CREATE"
                extra = " CREATEROLE" if role == "manager" else ""
                conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}" + extra).format(
                    sql.Identifier(name), sql.Literal(verifier)))
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), sql.Identifier(name)))
                conn.execute("INSERT INTO annotators (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,))
        except psycopg.Error as exc:
            raise AnnotatorError(f"{location}: cannot add {name} ({str(exc).strip().splitlines()[0]}); "
                                 "adding users needs the server's administrator or a manager") from None


def set_gold_visible(location: ServerLocation, visible: bool) -> None:
    import psycopg

    with _connect(location) as conn:
        try:
            with conn.transaction():
                conn.execute("DELETE FROM project_meta WHERE key = %s", (GOLD_VISIBLE_KEY,))
                conn.execute("INSERT INTO project_meta (key, value) VALUES (%s, %s)",
                             (GOLD_VISIBLE_KEY, "yes" if visible else "no"))
        except psycopg.Error as exc:
            raise AnnotatorError(f"{location}: cannot change it ({str(exc).strip().splitlines()[0]}); "
                                 "only a manager decides whether annotators see gold") from None


def login_role(conn: Connection) -> str:
    """The team role of the connection's login: annotator, curator or manager (a superuser
    or the project's owner, in none of the groups, counts as a manager)."""
    if conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar():
        return "manager"
    for group in ("manager", "curator", "annotator"):
        if conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %(g)s "
                                "AND pg_has_role(current_user, oid, 'member'))", {"g": group}).scalar():
            return group
    return "manager"
