"""adjudication decisions: what the curator decided on a place that gold cannot show

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00

A new table only; no existing table is touched, so no rows move. `decision` is 'none'
(every annotator's version rejected); other decisions are new values of the check.
Portable SQL: the same DDL on SQLite and PostgreSQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('adjudication_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_adjudication_decisions_range')),
    sa.CheckConstraint("decision IN ('none')", name=op.f('ck_adjudication_decisions_decision')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                            name=op.f('fk_adjudication_decisions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjudication_decisions')),
    sa.UniqueConstraint('document_id', 'start', 'end', name='uq_adjudication_decisions_place')
    )


def downgrade() -> None:
    op.drop_table('adjudication_decisions')
