"""Migration 0009 (source keys) on a database made by 0008: rows survive, the keys hold, and it
goes back down. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import alembic_config, create_engine, upgrade
from tests.conftest import PG_URL

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
NOVEMBER = {"first": date(2026, 11, 1), "last": date(2026, 11, 30)}
KEYED = ("norms", "norm_versions", "community_aims", "projects", "project_updates")


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    """Step the database down to revision (foreign keys off on SQLite, as upgrade does)."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as connection:
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        await connection.run_sync(run)
        await connection.commit()
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            await connection.commit()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a database made by revision 0008 (PostgreSQL: emptied, then put back at the
    head afterwards, for the tests that follow)."""
    if PG_URL:
        made = create_engine(PG_URL)
        async with made.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    else:
        made = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'k.db'}")
    await upgrade(made, "0008")
    yield made
    if PG_URL:
        await upgrade(made)  # the head, whatever comes after 0009
    await made.dispose()


def when(moment: datetime = NOW) -> Any:
    # SQLite keeps UTC without a zone (models.base.UTCDateTime); PostgreSQL an aware time.
    return moment.replace(tzinfo=None) if not PG_URL else moment


async def _fill(engine: AsyncEngine) -> None:
    """Write what a community had before 0009: a norm agreed to, aims, a project with news."""
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "communities",
            {
                "id": 1,
                "chat_id": -100_111,
                "title": "Guru Penggerak",
                "chat_type": "supergroup",
                "is_forum": False,
                "timezone": "Asia/Jakarta",
                "language": "id",
                "active": True,
                "created_at": when(),
                "updated_at": when(),
            },
        ),
        ("people", {"id": 7, "first_name": "Budi", "started": True, "created_at": when()}),
        (
            "norms",
            {
                "id": 1,
                "community_id": 1,
                "number": 1,
                "version": 1,
                "status": "active",
                "created_by": 7,
                "created_at": when(),
                "updated_at": when(),
            },
        ),
        (
            "norm_versions",
            {
                "id": 1,
                "norm_id": 1,
                "version": 1,
                "text": "Datang tepat waktu.",
                "written_by": 7,
                "created_at": when(),
            },
        ),
        ("norm_agreements", {"id": 1, "version_id": 1, "person_id": 7, "agreed_at": when()}),
        (
            "community_aims",
            {
                "id": 1,
                "community_id": 1,
                "kind": "aims",
                "text": "Literasi",
                "written_by": 7,
                "created_at": when(),
            },
        ),
        (
            "projects",
            {
                "id": 1,
                "community_id": 1,
                "number": 1,
                "title": "Pojok Baca",
                "aim": "Minat baca",
                "status": "running",
                "created_by": 7,
                "created_at": when(),
                "updated_at": when(),
            },
        ),
        ("project_members", {"id": 1, "project_id": 1, "person_id": 7, "joined_at": when()}),
        (
            "project_updates",
            {
                "id": 1,
                "project_id": 1,
                "author_id": 7,
                "text": "20 siswa membaca",
                "status": None,
                "created_at": when(),
            },
        ),
    ]
    async with engine.begin() as connection:
        for table, values in rows:
            names = ", ".join(values)
            marks = ", ".join(f":{name}" for name in values)
            await connection.execute(
                text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values
            )
        if PG_URL:  # the rows were given ids: move the sequences past them
            for table, _ in rows:
                if table != "people":
                    await connection.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)")
                    )


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    tables = (*KEYED, "communities", "people", "norm_agreements", "project_members")
    async with engine.connect() as connection:
        return {
            t: int((await connection.execute(text(f"SELECT count(*) FROM {t}"))).scalar() or 0)
            for t in tables
        }


async def _columns(engine: AsyncEngine, table: str) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns(table)}
        )


async def _insert_keyed_aim(engine: AsyncEngine, chat: int | None, message: int | None) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO community_aims (community_id, kind, text, created_at,"
                " source_chat_id, source_message_id) VALUES (1, 'aims', 'x', :at, :chat, :message)"
            ),
            {"at": when(), "chat": chat, "message": message},
        )


async def test_rows_survive_and_the_source_keys_hold(engine: AsyncEngine) -> None:
    await _fill(engine)
    before = await _counts(engine)
    await upgrade(engine, "0009")
    assert await _counts(engine) == before

    async with engine.connect() as connection:
        # The old rows have no source, and kept everything else.
        for table in KEYED:
            found = await connection.execute(
                text(f"SELECT source_chat_id, source_message_id, source_query FROM {table}")
            )
            assert found.all() == [(None, None, None)], table
        version = await connection.execute(text("SELECT text, written_by FROM norm_versions"))
        assert version.all() == [("Datang tepat waktu.", 7)]
        agreed = await connection.execute(text("SELECT version_id, person_id FROM norm_agreements"))
        assert agreed.all() == [(1, 7)]
        assert (
            await connection.execute(text("SELECT count(*) FROM report_requests"))
        ).scalar() == 0

    # Rows without a source may be many; one message writes one row.
    await _insert_keyed_aim(engine, None, None)
    await _insert_keyed_aim(engine, -100_111, 5)
    await _insert_keyed_aim(engine, -100_222, 5)  # the same message id in another chat
    with pytest.raises(IntegrityError):
        await _insert_keyed_aim(engine, -100_111, 5)
    # A press is keyed by its callback query id.
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO project_updates (project_id, text, status, created_at, source_query)"
                " VALUES (1, '', 'paused', :at, '4242')"
            ),
            {"at": when()},
        )
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO project_updates (project_id, text, created_at, source_query)"
                    " VALUES (1, '', :at, '4242')"
                ),
                {"at": when()},
            )
    # Report requests: one per message, one per press; a community's go with it.
    async with engine.begin() as connection:
        for chat, message, query in ((-100_111, 9, None), (None, None, "77")):
            await connection.execute(
                text(
                    "INSERT INTO report_requests (community_id, first_day, last_day,"
                    " source_chat_id, source_message_id, source_query, created_at)"
                    " VALUES (1, :first, :last, :chat, :message, :query, :at)"
                ),
                {**NOVEMBER, "chat": chat, "message": message, "query": query, "at": when()},
            )
    for chat, message, query in ((-100_111, 9, None), (None, None, "77")):
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO report_requests (community_id, first_day, last_day,"
                        " source_chat_id, source_message_id, source_query, created_at)"
                        " VALUES (1, :first, :last, :chat, :message, :query, :at)"
                    ),
                    {**NOVEMBER, "chat": chat, "message": message, "query": query, "at": when()},
                )


async def test_it_goes_back_down_to_0008_keeping_the_rows(engine: AsyncEngine) -> None:
    await _fill(engine)
    before = await _counts(engine)
    await upgrade(engine, "0009")
    await _insert_keyed_aim(engine, -100_111, 5)
    await _downgrade(engine, "0008")
    after = await _counts(engine)
    assert after == {**before, "community_aims": before["community_aims"] + 1}
    for table in KEYED:
        assert not {"source_chat_id", "source_message_id", "source_query"} & (
            await _columns(engine, table)
        ), table
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert "report_requests" not in tables
    # And up again: the keys come back empty.
    await upgrade(engine, "0009")
    assert await _counts(engine) == after
