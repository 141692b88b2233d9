"""capture: concerns, good practices, their tags, votes, links and full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Besides the tables, search structures the ORM does not describe (models.capture
SEARCH_SCHEMA_NAMES): on SQLite an external-content FTS5 table kept in step by triggers, on
PostgreSQL a GIN index on the 'simple' tsvector of text and solution plan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_SEARCH = [
    # The index holds capture_items.search_terms: the words of text and note, each prefixed with
    # the community ("k12xliterasi", computed by models.capture.community_terms), so that a
    # search decodes only its own community's posting lists instead of a common word's list
    # across every community (bench/data.py: a million items). No positions are needed
    # (detail=none). remove_diacritics: "kreatif" finds "kréatif"; no stemming, Indonesian has no
    # FTS5 stemmer.
    """
    CREATE VIRTUAL TABLE capture_items_fts USING fts5(
        search_terms,
        content='capture_items', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', detail=none
    )
    """,
    """
    CREATE TRIGGER capture_items_fts_insert AFTER INSERT ON capture_items BEGIN
        INSERT INTO capture_items_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
    END
    """,
    """
    CREATE TRIGGER capture_items_fts_delete AFTER DELETE ON capture_items BEGIN
        INSERT INTO capture_items_fts(capture_items_fts, rowid, search_terms)
        VALUES ('delete', old.id, old.search_terms);
    END
    """,
    """
    CREATE TRIGGER capture_items_fts_update AFTER UPDATE OF search_terms ON capture_items BEGIN
        INSERT INTO capture_items_fts(capture_items_fts, rowid, search_terms)
        VALUES ('delete', old.id, old.search_terms);
        INSERT INTO capture_items_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
    END
    """,
]

# Must stay the very expression models.capture.PG_DOCUMENT searches, or the index is not used.
# The community is a token of weight D; the words searched for are weight A.
POSTGRES_SEARCH = [
    """
    CREATE INDEX ix_capture_items_search ON capture_items USING gin ((
        setweight(to_tsvector('simple', 'k' || capture_items.community_id::text), 'D') ||
        setweight(to_tsvector('simple', coalesce(capture_items.text, '') || ' ' ||
        coalesce(capture_items.note, '')), 'A')
    ))
    """,
]


def upgrade() -> None:
    op.create_table(
        "capture_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("search_terms", sa.Text(), nullable=True),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("author_kind", sa.String(length=16), nullable=False),
        sa.Column("author_label", sa.String(length=255), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("token", sa.String(length=32), nullable=True),
        sa.Column("file_id", sa.String(length=255), nullable=True),
        sa.Column("file_kind", sa.String(length=16), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_capture_items_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_capture_items_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_items")),
        sa.UniqueConstraint(
            "community_id", "chat_id", "message_id", name="uq_capture_items_message"
        ),
        sa.UniqueConstraint("community_id", "token", name="uq_capture_items_token"),
    )
    with op.batch_alter_table("capture_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capture_items_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_capture_items_listing", ["community_id", "kind", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_capture_items_map",
            ["community_id", "kind", "votes", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_capture_items_open", ["community_id", "kind", "status", "hidden"], unique=False
        )

    op.create_table(
        "capture_links",
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["capture_items.id"],
            name=op.f("fk_capture_links_concern_id_capture_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["capture_items.id"],
            name=op.f("fk_capture_links_practice_id_capture_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("concern_id", "practice_id", name=op.f("pk_capture_links")),
    )
    with op.batch_alter_table("capture_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capture_links_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "capture_tags",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["capture_items.id"],
            name=op.f("fk_capture_tags_item_id_capture_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "tag", name=op.f("pk_capture_tags")),
    )

    op.create_table(
        "capture_votes",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_press", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["capture_items.id"],
            name=op.f("fk_capture_votes_item_id_capture_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_capture_votes_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "person_id", name=op.f("pk_capture_votes")),
    )
    with op.batch_alter_table("capture_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capture_votes_person_id"), ["person_id"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRES_SEARCH}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS capture_items_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS capture_items_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_capture_items_search")

    with op.batch_alter_table("capture_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_votes_person_id"))
    op.drop_table("capture_votes")
    op.drop_table("capture_tags")
    with op.batch_alter_table("capture_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_links_practice_id"))
    op.drop_table("capture_links")
    with op.batch_alter_table("capture_items", schema=None) as batch_op:
        batch_op.drop_index("ix_capture_items_open")
        batch_op.drop_index("ix_capture_items_map")
        batch_op.drop_index("ix_capture_items_listing")
        batch_op.drop_index(batch_op.f("ix_capture_items_author_id"))
    op.drop_table("capture_items")
