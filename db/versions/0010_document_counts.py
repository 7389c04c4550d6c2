"""documents per language kept by triggers, for `annotator stats`

Revision ID: 0010_document_counts
Revises: 0009_span_counts
Create Date: 2026-12-06 21:40:00

SQLite only, as 0009 (annotator.store.span_counts): the table `span_counts_docs` (lang,
n) and the triggers on `documents` that keep it, filled from the documents already
there. `annotator stats` then reads neither the documents table nor its language index,
which it had to check page by page first (the table holds every text). On PostgreSQL
this revision does nothing.
"""
from alembic import op

revision = '0010_document_counts'
down_revision = '0009_span_counts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from annotator.store import span_counts

    span_counts.ensure(op.get_bind())


def downgrade() -> None:
    from annotator.store import span_counts

    span_counts.drop(op.get_bind(), ["span_counts_docs"])
