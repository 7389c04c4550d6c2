"""search index: FTS5 trigram table over folded titles and texts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

SQLite only. On any other dialect (PostgreSQL for teams) this revision does nothing and
annotator.store.search falls back to folding the documents on the fly.

`document_search` is a virtual table: rowid = documents.id, columns = annotator.core.fold
of the title and of the text. It has no foreign key (virtual tables cannot), so batch
migrations that rebuild `documents` leave it alone; ids survive the copy. Never put it in
an `op.batch_alter_table` (a virtual table cannot be copied that way): change it with
plain `op.execute` as below. New projects get the same statement from
annotator.store.search.ensure_search_index (create_at_head); keep the two equal.
"""
import sqlalchemy as sa
from alembic import op

from annotator.core.fold import fold

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

CREATE_SQL = ("CREATE VIRTUAL TABLE document_search USING fts5(title, body, tokenize='trigram case_sensitive 1', "
              "detail=none, columnsize=0)")
CHUNK = 500


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # SQLite-only feature, see the docstring
        return
    op.execute(CREATE_SQL)
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
    select_chunk = sa.text("SELECT id, title, text FROM documents WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    insert = sa.text("INSERT INTO document_search (rowid, title, body) VALUES (:id, :title, :body)")
    for i in range(0, len(ids), CHUNK):
        rows = bind.execute(select_chunk, {"ids": ids[i : i + CHUNK]}).all()
        bind.execute(insert, [{"id": doc_id, "title": fold(title or ""), "body": fold(body)}
                              for doc_id, title, body in rows])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS document_search")  # drops its shadow tables too
