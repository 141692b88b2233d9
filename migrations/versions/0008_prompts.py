"""conversation core: one table of pending questions for every feature

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Norms, aims and projects kept their questions in agreement_inputs (per community and speaker);
reports and minutes recognised theirs by the prompt's text. Every question now lives in
``prompts``, per chat and speaker, with an expiry. The questions waiting in agreement_inputs are
moved (they get a day to be answered from now) and the old table goes.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("speaker_id", sa.BigInteger(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("prompt_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_prompts_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompts")),
        sa.UniqueConstraint("chat_id", "speaker_id", name=op.f("uq_prompts_chat_id")),
    )
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prompts_speaker_id"), ["speaker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompts_expires_at"), ["expires_at"], unique=False)

    expires = sa.bindparam("expires", datetime.now(UTC) + timedelta(days=1), type_=UTCDateTime())
    op.get_bind().execute(
        sa.text(
            "INSERT INTO prompts (chat_id, speaker_id, community_id, kind, target_id, payload,"
            " prompt_message_id, created_at, expires_at)"
            " SELECT c.chat_id, a.speaker_id, a.community_id, a.kind, a.target_id, a.payload,"
            " a.prompt_message_id, a.created_at, :expires"
            " FROM agreement_inputs a JOIN communities c ON c.id = a.community_id"
        ).bindparams(expires)
    )
    with op.batch_alter_table("agreement_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_inputs_speaker_id"))
    op.drop_table("agreement_inputs")


def downgrade() -> None:
    op.create_table(
        "agreement_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("prompt_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_agreement_inputs_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_inputs")),
        sa.UniqueConstraint(
            "community_id", "speaker_id", name=op.f("uq_agreement_inputs_community_id")
        ),
    )
    with op.batch_alter_table("agreement_inputs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_inputs_speaker_id"), ["speaker_id"], unique=False
        )
    # Only the agreements' questions had a table before; the others' are dropped with prompts.
    op.execute(
        "INSERT INTO agreement_inputs (community_id, speaker_id, kind, target_id, payload,"
        " prompt_message_id, created_at)"
        " SELECT community_id, speaker_id, kind, target_id, payload, prompt_message_id, created_at"
        " FROM prompts WHERE community_id IS NOT NULL"
        " AND (kind LIKE 'norm%' OR kind LIKE 'aim%' OR kind LIKE 'proj%')"
    )
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prompts_expires_at"))
        batch_op.drop_index(batch_op.f("ix_prompts_speaker_id"))
    op.drop_table("prompts")
