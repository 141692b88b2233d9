"""reflections: guided 4F reflections, their voice notes and each person's input state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("facts", sa.Text(), nullable=True),
        sa.Column("feelings", sa.Text(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("future", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column("post", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_reflections_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_reflections_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
        sa.UniqueConstraint(
            "source_chat_id", "source_message_id", name=op.f("uq_reflections_source_chat_id")
        ),
    )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflections_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reflections_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reflections_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_shared_at"), ["shared_at"], unique=False)

    op.create_table(
        "reflection_inputs",
        sa.Column("person_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reflection_id", sa.Integer(), nullable=False),
        sa.Column("awaiting", sa.String(length=16), nullable=True),
        sa.Column("active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("last_part", sa.String(length=16), nullable=True),
        sa.Column("last_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idle_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_message_id", sa.BigInteger(), nullable=True),
        sa.Column("held_text", sa.Text(), nullable=True),
        sa.Column("held_voice", sa.String(length=255), nullable=True),
        sa.Column("held_duration", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reflection_inputs_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflections.id"],
            name=op.f("fk_reflection_inputs_reflection_id_reflections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_reflection_inputs")),
    )
    with op.batch_alter_table("reflection_inputs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reflection_inputs_active_at"), ["active_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reflection_inputs_reflection_id"), ["reflection_id"], unique=False
        )

    op.create_table(
        "reflection_voices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reflection_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reflection_id"],
            ["reflections.id"],
            name=op.f("fk_reflection_voices_reflection_id_reflections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflection_voices")),
    )
    with op.batch_alter_table("reflection_voices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reflection_voices_reflection_id"), ["reflection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reflection_voices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflection_voices_reflection_id"))

    op.drop_table("reflection_voices")
    with op.batch_alter_table("reflection_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflection_inputs_reflection_id"))
        batch_op.drop_index(batch_op.f("ix_reflection_inputs_active_at"))

    op.drop_table("reflection_inputs")
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflections_shared_at"))
        batch_op.drop_index(batch_op.f("ix_reflections_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_reflections_community_id"))
        batch_op.drop_index(batch_op.f("ix_reflections_author_id"))

    op.drop_table("reflections")
