"""alignment crossings: two sentences that translate each other out of order

Revision ID: 0004_crossing
Revises: 0003
Create Date: 2026-12-06 11:00:00

A new table only; alignment_blocks is not touched (its blocks stay monotone, in text
order), so no rows move. Portable SQL: the same DDL on SQLite and PostgreSQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_crossing'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alignment_crossings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_a_id', sa.Integer(), nullable=False),
    sa.Column('doc_b_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('a_start', sa.Integer(), nullable=False),
    sa.Column('a_end', sa.Integer(), nullable=False),
    sa.Column('b_start', sa.Integer(), nullable=False),
    sa.Column('b_end', sa.Integer(), nullable=False),
    sa.CheckConstraint('a_start >= 0 AND a_end > a_start AND b_start >= 0 AND b_end > b_start',
                       name=op.f('ck_alignment_crossings_ranges')),
    sa.CheckConstraint('doc_a_id <> doc_b_id', name=op.f('ck_alignment_crossings_two_documents')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'],
                            name=op.f('fk_alignment_crossings_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['doc_a_id'], ['documents.id'], name=op.f('fk_alignment_crossings_doc_a_id_documents'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['doc_b_id'], ['documents.id'], name=op.f('fk_alignment_crossings_doc_b_id_documents'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alignment_crossings')),
    sa.UniqueConstraint('doc_a_id', 'doc_b_id', 'annotator_id', 'a_start', name='uq_alignment_crossings_a')
    )
    with op.batch_alter_table('alignment_crossings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alignment_crossings_doc_b_id'), ['doc_b_id'], unique=False)


def downgrade() -> None:
    op.drop_table('alignment_crossings')
