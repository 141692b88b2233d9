"""Alembic environment: runs on a connection kopi hands over, or on sqlalchemy.url."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from models import Base
from models.base import UTCDateTime
from models.db import create_engine

config = context.config
target_metadata = Base.metadata


def render_item(kind: str, obj: object, autogen_context: object) -> str | bool:
    """Render kopi's UTC timestamp type as a plain DateTime, so migrations import no kopi code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# capture: search structures made with raw SQL (FTS5 tables, a GIN index) that autogenerate must
# neither drop nor compare.
def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave out of autogenerate the objects that migrations create with raw SQL."""
    from models.capture import SEARCH_SCHEMA_NAMES

    return name not in SEARCH_SCHEMA_NAMES


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from bot.config import Settings

        url = Settings.from_env().database_url
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    run_on(given)
else:
    asyncio.run(run_online())
