"""reflections: meeting_id refers to meetings (ON DELETE SET NULL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite cannot add a constraint to a table: batch mode copies the table and drops the old one,
# and with foreign keys on (kopi's engine turns them on, and PRAGMA foreign_keys cannot change
# inside the migration's transaction) that drop deletes every row cascading from it. These
# tables are kept aside and put back.
CHILDREN = ("reflection_voices", "reflection_inputs")


def _rebuild(change: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in CHILDREN:
            op.execute(f"CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table}")
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        if change == "add":
            batch_op.create_foreign_key(
                batch_op.f("fk_reflections_meeting_id_meetings"),
                "meetings",
                ["meeting_id"],
                ["id"],
                ondelete="SET NULL",
            )
        else:
            batch_op.drop_constraint(
                batch_op.f("fk_reflections_meeting_id_meetings"), type_="foreignkey"
            )
    if sqlite:
        for table in CHILDREN:
            op.execute(f"DELETE FROM {table}")  # nothing, unless the drop kept them after all
            op.execute(f"INSERT INTO {table} SELECT * FROM kept_{table}")
            op.execute(f"DROP TABLE kept_{table}")


def upgrade() -> None:
    # Until now meeting_id was a plain number: forget ids that name no meeting of the reflection's
    # own community (links to meetings since gone, or forged), which the constraint would refuse.
    op.execute(
        "UPDATE reflections SET meeting_id = NULL WHERE meeting_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM meetings WHERE meetings.id = reflections.meeting_id "
        "AND meetings.community_id = reflections.community_id)"
    )
    _rebuild("add")


def downgrade() -> None:
    _rebuild("drop")
