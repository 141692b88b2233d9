"""agreements: norms with versions and agreements, aims and programme, projects, pending input

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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

    op.create_table(
        "community_aims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_aims_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by"],
            ["people.id"],
            name=op.f("fk_community_aims_written_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_aims")),
    )
    with op.batch_alter_table("community_aims", schema=None) as batch_op:
        batch_op.create_index(
            "ix_community_aims_current", ["community_id", "kind", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_aims_written_by"), ["written_by"], unique=False
        )

    op.create_table(
        "norms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_norms_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_norms_created_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["retired_by"],
            ["people.id"],
            name=op.f("fk_norms_retired_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norms")),
    )
    with op.batch_alter_table("norms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_norms_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_norms_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_norms_retired_by"), ["retired_by"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=240), nullable=False),
        sa.Column("aim", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_projects_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_projects_created_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_created_by"), ["created_by"], unique=False)

    op.create_table(
        "norm_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("norm_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["norm_id"],
            ["norms.id"],
            name=op.f("fk_norm_versions_norm_id_norms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by"],
            ["people.id"],
            name=op.f("fk_norm_versions_written_by_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norm_versions")),
        sa.UniqueConstraint("norm_id", "version", name=op.f("uq_norm_versions_norm_id")),
    )
    with op.batch_alter_table("norm_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_norm_versions_norm_id"), ["norm_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_norm_versions_written_by"), ["written_by"], unique=False
        )

    op.create_table(
        "project_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_project_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_members_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_members")),
        sa.UniqueConstraint("project_id", "person_id", name=op.f("uq_project_members_project_id")),
    )
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_members_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_members_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_project_updates_author_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_updates_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_updates")),
    )
    with op.batch_alter_table("project_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_updates_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_updates_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "norm_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_norm_agreements_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["norm_versions.id"],
            name=op.f("fk_norm_agreements_version_id_norm_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norm_agreements")),
        sa.UniqueConstraint("version_id", "person_id", name=op.f("uq_norm_agreements_version_id")),
    )
    with op.batch_alter_table("norm_agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_norm_agreements_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_norm_agreements_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("norm_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_norm_agreements_version_id"))
        batch_op.drop_index(batch_op.f("ix_norm_agreements_person_id"))

    op.drop_table("norm_agreements")
    with op.batch_alter_table("project_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_updates_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_updates_author_id"))

    op.drop_table("project_updates")
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_members_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_members_person_id"))

    op.drop_table("project_members")
    with op.batch_alter_table("norm_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_norm_versions_written_by"))
        batch_op.drop_index(batch_op.f("ix_norm_versions_norm_id"))

    op.drop_table("norm_versions")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_created_by"))
        batch_op.drop_index(batch_op.f("ix_projects_community_id"))

    op.drop_table("projects")
    with op.batch_alter_table("norms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_norms_retired_by"))
        batch_op.drop_index(batch_op.f("ix_norms_created_by"))
        batch_op.drop_index(batch_op.f("ix_norms_community_id"))

    op.drop_table("norms")
    with op.batch_alter_table("community_aims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_aims_written_by"))
        batch_op.drop_index("ix_community_aims_current")

    op.drop_table("community_aims")
    with op.batch_alter_table("agreement_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_inputs_speaker_id"))

    op.drop_table("agreement_inputs")
