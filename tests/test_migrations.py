"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from models import Base
from models.capture import SEARCH_SCHEMA_NAMES
from models.db import alembic_config, create_engine

# Schema objects that migrations create with raw SQL and the ORM does not describe.
NOT_IN_METADATA = SEARCH_SCHEMA_NAMES  # capture: FTS5 table and shadow tables, PostgreSQL GIN index


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave out of the comparison exactly the objects the models cannot describe."""
    return name not in NOT_IN_METADATA


async def test_migrations_match_the_models(database_url: str) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, Base.metadata))

    engine = create_engine(database_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    await engine.dispose()
    assert differences == []


def test_one_linear_history() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()


async def test_sqlite_upgrade_keeps_foreign_keys_on_afterwards(tmp_path) -> None:
    import os

    if os.environ.get("TEST_DATABASE_URL"):
        return
    from sqlalchemy import text

    from models.db import upgrade

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    await upgrade(engine)
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA foreign_key_check"))).all() == []
    await engine.dispose()
