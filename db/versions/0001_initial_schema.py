"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 20:39:28.436639
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annotators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotators')),
    sa.UniqueConstraint('name', name=op.f('uq_annotators_name'))
    )
    op.create_table('project_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_project_meta'))
    )
    op.create_table('translation_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_groups')),
    sa.UniqueConstraint('uid', name=op.f('uq_translation_groups_uid'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['translation_groups.id'], name=op.f('fk_documents_group_id_translation_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('checksum', name=op.f('uq_documents_checksum')),
    sa.UniqueConstraint('uid', name=op.f('uq_documents_uid'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_lang'), ['lang'], unique=False)

    op.create_table('alignment_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_a_id', sa.Integer(), nullable=False),
    sa.Column('doc_b_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('a_start', sa.Integer(), nullable=False),
    sa.Column('a_end', sa.Integer(), nullable=False),
    sa.Column('b_start', sa.Integer(), nullable=False),
    sa.Column('b_end', sa.Integer(), nullable=False),
    sa.CheckConstraint('a_start >= 0 AND a_end >= a_start AND b_start >= 0 AND b_end >= b_start', name=op.f('ck_alignment_blocks_ranges')),
    sa.CheckConstraint('doc_a_id <> doc_b_id', name=op.f('ck_alignment_blocks_two_documents')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_alignment_blocks_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['doc_a_id'], ['documents.id'], name=op.f('fk_alignment_blocks_doc_a_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['doc_b_id'], ['documents.id'], name=op.f('fk_alignment_blocks_doc_b_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alignment_blocks')),
    sa.UniqueConstraint('doc_a_id', 'doc_b_id', 'annotator_id', 'position', name='uq_alignment_blocks_position')
    )
    with op.batch_alter_table('alignment_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alignment_blocks_doc_b_id'), ['doc_b_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_claims_range')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_claims_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_claims_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('uid', name=op.f('uq_claims_uid'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_layer', ['document_id', 'annotator_id', 'start'], unique=False)

    op.create_table('document_status',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('todo', 'in_progress', 'done')", name=op.f('ck_document_status_status')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_document_status_annotator_id_annotators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_status_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'annotator_id', name=op.f('pk_document_status'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('trigger_start', sa.Integer(), nullable=False),
    sa.Column('trigger_end', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('trigger_start >= 0 AND trigger_end > trigger_start', name=op.f('ck_events_range')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_events_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_events_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('uid', name=op.f('uq_events_uid'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_layer', ['document_id', 'annotator_id', 'trigger_start'], unique=False)

    op.create_table('spans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_spans_range')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_spans_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_spans_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spans')),
    sa.UniqueConstraint('uid', name=op.f('uq_spans_uid'))
    )
    with op.batch_alter_table('spans', schema=None) as batch_op:
        batch_op.create_index('ix_spans_annotator_created', ['annotator_id', 'created_at'], unique=False)
        batch_op.create_index('ix_spans_layer', ['document_id', 'annotator_id', 'start', 'end', 'label', 'uid'], unique=False)

    op.create_table('claim_arguments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('span_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_arguments_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['span_id'], ['spans.id'], name=op.f('fk_claim_arguments_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_arguments'))
    )
    with op.batch_alter_table('claim_arguments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_arguments_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_arguments_span_id'), ['span_id'], unique=False)

    op.create_table('event_arguments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('span_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_arguments_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['span_id'], ['spans.id'], name=op.f('fk_event_arguments_span_id_spans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_arguments'))
    )
    with op.batch_alter_table('event_arguments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_arguments_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_arguments_span_id'), ['span_id'], unique=False)

    op.create_table('span_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_span_id', sa.Integer(), nullable=False),
    sa.Column('target_span_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('source_span_id <> target_span_id', name=op.f('ck_span_links_distinct')),
    sa.ForeignKeyConstraint(['source_span_id'], ['spans.id'], name=op.f('fk_span_links_source_span_id_spans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_span_id'], ['spans.id'], name=op.f('fk_span_links_target_span_id_spans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_span_links')),
    sa.UniqueConstraint('source_span_id', 'target_span_id', name='uq_span_links_pair')
    )
    with op.batch_alter_table('span_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_span_links_target_span_id'), ['target_span_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('span_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_span_links_target_span_id'))

    op.drop_table('span_links')
    with op.batch_alter_table('event_arguments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_arguments_span_id'))
        batch_op.drop_index(batch_op.f('ix_event_arguments_event_id'))

    op.drop_table('event_arguments')
    with op.batch_alter_table('claim_arguments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_arguments_span_id'))
        batch_op.drop_index(batch_op.f('ix_claim_arguments_claim_id'))

    op.drop_table('claim_arguments')
    with op.batch_alter_table('spans', schema=None) as batch_op:
        batch_op.drop_index('ix_spans_layer')
        batch_op.drop_index('ix_spans_annotator_created')

    op.drop_table('spans')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_layer')

    op.drop_table('events')
    op.drop_table('document_status')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_layer')

    op.drop_table('claims')
    with op.batch_alter_table('alignment_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alignment_blocks_doc_b_id'))

    op.drop_table('alignment_blocks')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_lang'))
        batch_op.drop_index(batch_op.f('ix_documents_group_id'))

    op.drop_table('documents')
    op.drop_table('translation_groups')
    op.drop_table('project_meta')
    op.drop_table('annotators')
