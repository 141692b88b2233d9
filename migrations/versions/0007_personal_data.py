"""personal data: a reflection kept after its author erased their data has no author

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

/hapusdata lets a teacher keep their shared reflections for the community without their name:
reflections.author_id becomes nullable (NULL: the author erased their personal data).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in 0006: on SQLite batch mode copies the table and drops the old one; with foreign keys on
# (kopi's engine turns them on for the alembic command line) that drop would delete every row
# cascading from it, so the child tables are kept aside and put back.
CHILDREN = ("reflection_voices", "reflection_inputs")


def _rebuild(nullable: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in CHILDREN:
            op.execute(f"CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table}")
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.BigInteger(), nullable=nullable)
    if sqlite:
        for table in CHILDREN:
            op.execute(f"DELETE FROM {table}")  # nothing, unless the drop kept them after all
            op.execute(f"INSERT INTO {table} SELECT * FROM kept_{table}")
            op.execute(f"DROP TABLE kept_{table}")


def upgrade() -> None:
    _rebuild(nullable=True)


def downgrade() -> None:
    # Reflections kept without an author cannot be given one back: they go.
    op.execute("DELETE FROM reflections WHERE author_id IS NULL")
    _rebuild(nullable=False)
