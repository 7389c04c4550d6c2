"""depth: attribute values, relations, entity clusters, span fragments (issue 14)

Revision ID: 0005_depth
Revises: 0004_crossing
Create Date: 2026-12-06 10:30:00

New tables only; no existing table is touched, so no rows move. Attribute values belong
to one item (span, event, claim, argument) or, with no item, to the document's layer;
their `value` is JSON text. Portable SQL: the same DDL on SQLite and PostgreSQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_depth'
down_revision = '0004_crossing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('kb', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_entities_annotator_id_annotators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entities')),
    sa.UniqueConstraint('annotator_id', 'uid', name='uq_entities_annotator_uid')
    )
    op.create_table('entity_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('span_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_entity_members_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_entity_members_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_members_entity_id_entities')),
    sa.ForeignKeyConstraint(['span_id'], ['spans.id'], name=op.f('fk_entity_members_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_members')),
    sa.UniqueConstraint('span_id', name=op.f('uq_entity_members_span_id'))
    )
    op.create_index(op.f('ix_entity_members_entity_id'), 'entity_members', ['entity_id'], unique=False)
    op.create_index('ix_entity_members_layer', 'entity_members', ['document_id', 'annotator_id'], unique=False)
    op.create_table('relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('from_span_id', sa.Integer(), nullable=False),
    sa.Column('to_span_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('from_span_id <> to_span_id', name=op.f('ck_relations_distinct')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_relations_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_relations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_span_id'], ['spans.id'], name=op.f('fk_relations_from_span_id_spans')),
    sa.ForeignKeyConstraint(['to_span_id'], ['spans.id'], name=op.f('fk_relations_to_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relations')),
    sa.UniqueConstraint('uid', name=op.f('uq_relations_uid'))
    )
    op.create_index(op.f('ix_relations_from_span_id'), 'relations', ['from_span_id'], unique=False)
    op.create_index('ix_relations_layer', 'relations', ['document_id', 'annotator_id'], unique=False)
    op.create_index(op.f('ix_relations_to_span_id'), 'relations', ['to_span_id'], unique=False)
    op.create_table('span_fragments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('span_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_span_fragments_range')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_span_fragments_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_span_fragments_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['span_id'], ['spans.id'], name=op.f('fk_span_fragments_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_span_fragments')),
    sa.UniqueConstraint('span_id', 'position', name='uq_span_fragments_position')
    )
    op.create_index('ix_span_fragments_layer', 'span_fragments', ['document_id', 'annotator_id'], unique=False)
    op.create_table('attribute_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('span_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('event_argument_id', sa.Integer(), nullable=True),
    sa.Column('claim_argument_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.CheckConstraint('CASE WHEN span_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END + CASE WHEN event_argument_id IS NULL THEN 0 ELSE 1 END + CASE WHEN claim_argument_id IS NULL THEN 0 ELSE 1 END <= 1', name=op.f('ck_attribute_values_one_item')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_attribute_values_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['claim_argument_id'], ['claim_arguments.id'], name=op.f('fk_attribute_values_claim_argument_id_claim_arguments')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_attribute_values_claim_id_claims')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_attribute_values_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_argument_id'], ['event_arguments.id'], name=op.f('fk_attribute_values_event_argument_id_event_arguments')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_attribute_values_event_id_events')),
    sa.ForeignKeyConstraint(['span_id'], ['spans.id'], name=op.f('fk_attribute_values_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribute_values'))
    )
    op.create_index(op.f('ix_attribute_values_claim_argument_id'), 'attribute_values', ['claim_argument_id'], unique=False)
    op.create_index(op.f('ix_attribute_values_claim_id'), 'attribute_values', ['claim_id'], unique=False)
    op.create_index(op.f('ix_attribute_values_event_argument_id'), 'attribute_values', ['event_argument_id'], unique=False)
    op.create_index(op.f('ix_attribute_values_event_id'), 'attribute_values', ['event_id'], unique=False)
    op.create_index('ix_attribute_values_layer', 'attribute_values', ['document_id', 'annotator_id'], unique=False)
    op.create_index(op.f('ix_attribute_values_span_id'), 'attribute_values', ['span_id'], unique=False)


def downgrade() -> None:
    for name in ('attribute_values', 'span_fragments', 'relations', 'entity_members', 'entities'):
        op.drop_table(name)
