"""span counts kept by triggers, for the dashboard and `annotator stats`

Revision ID: 0009_span_counts
Revises: 0008_live
Create Date: 2026-12-06 16:10:00

SQLite only (annotator.store.span_counts says why; on PostgreSQL this revision does
nothing and the counts are read with GROUP BY as before): the tables
`span_counts_label`, `span_counts_layer` and `span_counts_hour`, the triggers on `spans`
and `documents` that keep them, and every existing span counted in. The statements are
span_counts' own (as 0008_live takes live.SERVER_DDL), so that a project upgraded here
and one created at head hold the same; they are not in the models, so Alembic's
autogenerate leaves them alone (search.include_name). Never rebuild `spans` or
`documents` in a batch migration without knowing that it drops these triggers: opening
after any upgrade puts back what is missing and counts again (store/migrate.py).
"""
from alembic import op

revision = '0009_span_counts'
down_revision = '0008_live'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from annotator.store import span_counts

    span_counts.ensure(op.get_bind())


def downgrade() -> None:
    from annotator.store import span_counts

    span_counts.drop(op.get_bind())
