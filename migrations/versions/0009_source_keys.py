"""source keys: what a message or a press wrote is written once (issue 10, redelivery)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Telegram delivers a message again after a crash, sometimes as a new update; the update journal
cannot tell that it is the same message. Every row a message writes now carries the message it
came from (chat id, message id), or the callback query's id when a press wrote it, each unique:
the same message or press processed again finds its row and writes nothing. Rows written before
this revision have no source (NULL), and NULLs never collide.

Norms, their versions, aims, projects and project updates get the columns; report requests get a
table of their own (a report writes nothing else, and must not be made twice for one message).

The keys are unique indexes, not table constraints: SQLite adds a column and an index in place,
while a constraint would need batch mode to copy each table (norms and projects with all their
children behind them). ON CONFLICT finds a unique index as well as a constraint.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYED = ("norms", "norm_versions", "community_aims", "projects", "project_updates")


def upgrade() -> None:
    for table in KEYED:
        op.add_column(table, sa.Column("source_chat_id", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("source_query", sa.String(64), nullable=True))
        op.create_index(
            f"uq_{table}_source", table, ["source_chat_id", "source_message_id"], unique=True
        )
        op.create_index(f"uq_{table}_query", table, ["source_query"], unique=True)

    op.create_table(
        "report_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column("source_query", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_report_requests_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_requests")),
    )
    op.create_index(
        op.f("ix_report_requests_community_id"), "report_requests", ["community_id"], unique=False
    )
    op.create_index(
        "uq_report_requests_source",
        "report_requests",
        ["source_chat_id", "source_message_id"],
        unique=True,
    )
    op.create_index("uq_report_requests_query", "report_requests", ["source_query"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_report_requests_query", table_name="report_requests")
    op.drop_index("uq_report_requests_source", table_name="report_requests")
    op.drop_index(op.f("ix_report_requests_community_id"), table_name="report_requests")
    op.drop_table("report_requests")

    # SQLite (3.35+) drops a column in place once no index names it.
    for table in reversed(KEYED):
        op.drop_index(f"uq_{table}_query", table_name=table)
        op.drop_index(f"uq_{table}_source", table_name=table)
        op.drop_column(table, "source_query")
        op.drop_column(table, "source_message_id")
        op.drop_column(table, "source_chat_id")
