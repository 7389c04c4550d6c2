"""suggestions: imported suggestion sources, their suggestions, and rejections

Revision ID: 0006_suggestions
Revises: 0005_depth
Create Date: 2026-12-06 10:00:00

New tables only; no existing table is touched, so no rows move. Suggestions are never
spans: they are in no layer, no export and no agreement until accepted (which writes a
span). Portable SQL: the same DDL on SQLite and PostgreSQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_suggestions'
down_revision = '0005_depth'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suggestion_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_suggestion_sources_name'))
    )
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_suggestions_range')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                            name=op.f('fk_suggestions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['suggestion_sources.id'],
                            name=op.f('fk_suggestions_source_id_suggestion_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions')),
    sa.UniqueConstraint('source_id', 'document_id', 'start', 'end', 'label', name='uq_suggestions_item')
    )
    op.create_index(op.f('ix_suggestions_document_id'), 'suggestions', ['document_id'], unique=False)
    op.create_table('suggestion_rejections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_suggestion_rejections_range')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'],
                            name=op.f('fk_suggestion_rejections_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                            name=op.f('fk_suggestion_rejections_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_rejections')),
    sa.UniqueConstraint('document_id', 'annotator_id', 'start', 'end', 'label', name='uq_suggestion_rejections_item')
    )


def downgrade() -> None:
    op.drop_table('suggestion_rejections')
    op.drop_index(op.f('ix_suggestions_document_id'), table_name='suggestions')
    op.drop_table('suggestions')
    op.drop_table('suggestion_sources')
