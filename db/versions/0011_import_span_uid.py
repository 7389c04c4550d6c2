"""the spans' unique span ids kept by a unique index, not a constraint of the table

Revision ID: 0011_import_span_uid
Revises: 0010_document_counts
Create Date: 2026-12-07 06:30:00

An import into a table of few spans sets the spans' indexes aside while it loads and
builds each once after (annotator.store.span_indexes; issue 18: the unique index of
random span ids, grown one insert at a time, was half of the spans' insert at 2,000,000
spans). SQLite drops an index, never the index of a table's UNIQUE constraint, so
`uq_spans_uid` becomes `CREATE UNIQUE INDEX uq_spans_uid ON spans (uid)`: the same
rule, the same name. On SQLite the table is rebuilt (a batch copy, from the definition
below: the columns, checks and keys as they were, the constraint left out; every
existing project is copied once, after the backup every upgrade makes), and its
triggers are put back as they were. On PostgreSQL the constraint is swapped for the
index.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_import_span_uid'
down_revision = '0010_document_counts'
branch_labels = None
depends_on = None


def _spans(unique_constraint: bool) -> sa.Table:
    """The spans table as revision 0001 made it, with its uid unique by a constraint of
    the table (before) or by the index `uq_spans_uid` (after)."""
    extra: list = ([sa.UniqueConstraint('uid', name='uq_spans_uid')] if unique_constraint
                   else [sa.Index('uq_spans_uid', 'uid', unique=True)])
    return sa.Table(
        'spans', sa.MetaData(),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=64), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('annotator_id', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('end', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        # the default as the models write it (create_all), so an upgraded project reads as a new one
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name='ck_spans_range'),
        sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name='fk_spans_annotator_id_annotators'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name='fk_spans_document_id_documents',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_spans'),
        sa.Index('ix_spans_layer', 'document_id', 'annotator_id', 'start', 'end', 'label', 'uid'),
        sa.Index('ix_spans_annotator_created', 'annotator_id', 'created_at'),
        *extra,
    )


def _rebuilt(before_unique_constraint: bool, change) -> None:
    """The SQLite table copied with `change` applied, and its triggers (the span counts',
    revision 0009) put back as they were: the rows are the same, so the counts they keep
    are right as they stand (no recount of millions of spans). The copy is renamed to
    `spans` by the legacy rename, which leaves the triggers of other tables that name
    `spans` (the span counts' on `documents`) as written instead of refusing them (as
    store/migrate.py does for every upgrade; set here too for a downgrade run by Alembic
    alone)."""
    bind = op.get_bind()
    triggers = [sql for (sql,) in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'spans' ORDER BY name")]
    legacy = int(bind.exec_driver_sql("PRAGMA legacy_alter_table").scalar() or 0)
    bind.exec_driver_sql("PRAGMA legacy_alter_table=ON")
    try:
        with op.batch_alter_table('spans', copy_from=_spans(before_unique_constraint), recreate='always') as batch:
            change(batch)
    finally:
        bind.exec_driver_sql(f"PRAGMA legacy_alter_table={legacy}")
    for sql in triggers:
        bind.exec_driver_sql(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        def change(batch) -> None:
            batch.drop_constraint('uq_spans_uid', type_='unique')
            batch.create_index('uq_spans_uid', ['uid'], unique=True)
        _rebuilt(True, change)
        return
    op.drop_constraint('uq_spans_uid', 'spans', type_='unique')
    op.create_index('uq_spans_uid', 'spans', ['uid'], unique=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        def change(batch) -> None:
            batch.drop_index('uq_spans_uid')
            batch.create_unique_constraint('uq_spans_uid', ['uid'])
        _rebuilt(False, change)
        return
    op.drop_index('uq_spans_uid', 'spans')
    op.create_unique_constraint('uq_spans_uid', 'spans', ['uid'])
