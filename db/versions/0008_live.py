"""live updates and row versions of shared items

Revision ID: 0008_live
Revises: 0007_team
Create Date: 2026-12-06 13:00:00

`item_versions` (portable, on both databases; a new table, no row moves): one row per
shared item that has ever been changed (the gold layer of a document, one annotator's
alignment of two documents, a document's translation group), with its version, who
changed it last and when (UTC). Edits of an item seen at an older version are refused
(annotator.store.versions).

PostgreSQL only (a file has one user at a time, so nothing to tell anyone):
`change_log`, what each committed edit changed, one row per layer it touched, readable
under the same row-level security as the layers (annotator.store.roles), and a trigger
that NOTIFYs channel `annotator_live` with the row's id, delivered when the edit commits.
Writes that do not go through the edit path (imports, assignment) are logged by
statement triggers on `documents` and `assignments` naming only the table.
The policies and grants are installed by annotator.store.roles (on an upgrade of a
project that already has the team's roles, from here).
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_live'
down_revision = '0007_team'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_versions',
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('item', name=op.f('pk_item_versions'))
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from annotator.store import live

    for statement in live.SERVER_DDL:
        op.execute(statement)
    # A project whose team rules are installed (store/roles.py, run after the migrations when a
    # project is created) gets those of the new tables now.
    if bind.scalar(sa.text("SELECT to_regprocedure('team_me()') IS NOT NULL")):
        from annotator.store import roles

        roles.install_live(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS change_log CASCADE")
        op.execute("DROP FUNCTION IF EXISTS team_log_table() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS team_notify_change() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS team_prune_log() CASCADE")
    op.drop_table('item_versions')
