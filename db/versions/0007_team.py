"""team mode: document assignment; the search index of a project on PostgreSQL (pg_trgm)

Revision ID: 0007_team
Revises: 0006_suggestions
Create Date: 2026-12-06 10:00:00

`assignments` (a new table, portable DDL, on both databases: no existing table or row is
touched, so a file project passes through it unchanged but for the empty table): the
places managers open on documents for N annotators each.

The search index is PostgreSQL only (a file has revision 0002's FTS5 table):
`document_search` holds annotator.core.fold of each document's title and text (the same
folding as SQLite's index, so both find the same documents), with pg_trgm GIN indexes
that answer `LIKE '%...%'`. It refers to documents with ON DELETE CASCADE. New documents
are indexed by annotator.store.search.index_documents in the importing transaction.
Roles and row-level security are not migrations: `annotator server add-user` and
annotator.store.roles put them in place (they concern the server's roles, not only this
database).
"""
import sqlalchemy as sa
from alembic import op

from annotator.core.fold import fold

revision = '0007_team'
down_revision = '0006_suggestions'
branch_labels = None
depends_on = None

CHUNK = 500


def upgrade() -> None:
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.Integer(), nullable=False),
    sa.Column('annotator_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state IN ('open', 'taken', 'done')", name=op.f('ck_assignments_state')),
    sa.CheckConstraint('place >= 1', name=op.f('ck_assignments_place')),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], name=op.f('fk_assignments_annotator_id_annotators')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_assignments_document_id_documents'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('document_id', 'place', name='uq_assignments_place')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_annotator_id'), ['annotator_id'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE TABLE document_search (document_id integer PRIMARY KEY "
               "REFERENCES documents(id) ON DELETE CASCADE, title text NOT NULL, body text NOT NULL)")
    op.execute("CREATE INDEX ix_document_search_title ON document_search USING gin (title gin_trgm_ops)")
    op.execute("CREATE INDEX ix_document_search_body ON document_search USING gin (body gin_trgm_ops)")
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
    select_chunk = sa.text("SELECT id, title, text FROM documents WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    insert = sa.text("INSERT INTO document_search (document_id, title, body) VALUES (:id, :title, :body)")
    for i in range(0, len(ids), CHUNK):
        rows = bind.execute(select_chunk, {"ids": ids[i : i + CHUNK]}).all()
        bind.execute(insert, [{"id": doc_id, "title": fold(title or ""), "body": fold(body)}
                              for doc_id, title, body in rows])


def downgrade() -> None:
    op.drop_table('assignments')
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS document_search")
