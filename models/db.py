"""Engines, sessions and schema migrations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnElement

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def create_engine(
    url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any
) -> AsyncEngine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and one connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": busy_timeout_ms / 1000})
        # SQLite has one writer. Several pooled connections would queue on its lock through the
        # busy handler, which sleeps in growing steps even when the lock is free again; one
        # connection per process queues in asyncio instead (2.5x more captures per second,
        # bench/inbound.py). Never open a session while holding another: it would wait forever.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 30)
        engine = create_async_engine(url, **kwargs)
        event.listen(
            engine.sync_engine,
            "connect",
            lambda connection, record: _sqlite_pragmas(connection, busy_timeout_ms),
        )
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return the session factory handlers and jobs open one transaction per unit of work with.

    Each factory has a Session class of its own, so that :func:`watch` listens to its sessions
    only.
    """
    session_class = type("KopiSession", (Session,), {})
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=session_class)


# ---------------------------------------------------------------------------- watching changes


@dataclass
class Changes:
    """What one committed transaction changed in the watched tables.

    By model: the keys of the rows updated or deleted, or None when a statement changed rows
    kopi cannot name (an UPDATE without a plain ``key == value`` condition). New rows are no
    change: whoever caches them caches them after the commit.
    """

    rows: dict[type[Any], set[Any] | None] = field(default_factory=dict)

    def add(self, model: type[Any], keys: set[Any] | None) -> None:
        """Note rows of model changed (None: some rows, which ones unknown)."""
        known = self.rows.get(model, set())
        self.rows[model] = None if keys is None or known is None else known | keys

    def of(self, model: type[Any]) -> set[Any] | None:
        """Return the changed keys of model (empty: none; None: unknown rows)."""
        return self.rows.get(model, set())


_CHANGES = "kopi.changes"


def watch(
    factory: async_sessionmaker[AsyncSession],
    keys: Mapping[type[Any], str],
    listener: Callable[[Changes], None],
) -> None:
    """Call listener after each commit that updated or deleted rows of the models in keys.

    keys names each model's key attribute (``{Person: "id"}``). A cache is so cleared by the
    write that changes its rows, whichever function made it; a rolled-back change is forgotten.
    """
    session_class = factory.kw["sync_session_class"]

    def changes(session: Session) -> Changes:
        found: Changes | None = session.info.get(_CHANGES)
        if found is None:
            found = session.info[_CHANGES] = Changes()
        return found

    def after_flush(session: Session, _: UOWTransaction) -> None:
        # Still the state before the flush: the lists and the attributes' history.
        deleted = list(session.deleted)
        for instance in [*session.dirty, *deleted]:
            name = keys.get(type(instance))
            if name is None or (instance not in deleted and not session.is_modified(instance)):
                continue
            history = inspect(instance).attrs[name].history
            values = {*history.deleted, *history.unchanged, *history.added}
            changes(session).add(type(instance), {v for v in values if v is not None})

    def on_execute(state: ORMExecuteState) -> None:
        if not (state.is_update or state.is_delete) or state.bind_mapper is None:
            return
        model = state.bind_mapper.class_
        name = keys.get(model)
        if name is not None:
            changes(session=state.session).add(model, _equal_to(state.statement, name))

    def after_commit(session: Session) -> None:
        found: Changes | None = session.info.pop(_CHANGES, None)
        if found is not None and found.rows:
            listener(found)

    def after_rollback(session: Session) -> None:
        session.info.pop(_CHANGES, None)

    event.listen(session_class, "after_flush", after_flush)
    event.listen(session_class, "do_orm_execute", on_execute)
    event.listen(session_class, "after_commit", after_commit)
    event.listen(session_class, "after_rollback", after_rollback)


def _equal_to(statement: Any, name: str) -> set[Any] | None:
    """Return the values a statement's WHERE pins the column `name` to (None: it does not)."""
    for criterion in getattr(statement, "_where_criteria", ()):
        found = _pinned(criterion, name)
        if found is not None:
            return found
    return None


def _pinned(criterion: ColumnElement[Any], name: str) -> set[Any] | None:
    if not isinstance(criterion, BinaryExpression):
        return None
    left, right = criterion.left, criterion.right
    if getattr(left, "key", None) != name or not isinstance(right, BindParameter):
        return None
    if criterion.operator is operators.eq:
        return {right.effective_value}
    if criterion.operator is operators.in_op and isinstance(right.effective_value, list | tuple):
        return set(right.effective_value)
    return None


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic configuration for kopi's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    """Apply every migration up to revision on this engine's database.

    On SQLite, foreign keys are switched off while migrating: Alembic's batch mode rebuilds a
    table by copying it and dropping the original, and with foreign keys on, dropping it would
    cascade into every child table. The keys are checked afterwards and switched back on.
    """

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as connection:
        if sqlite:  # outside any transaction, where SQLite honours it
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            await connection.run_sync(run)
            await connection.commit()
            if sqlite:
                broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                await connection.rollback()
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()


async def dispose(engine: AsyncEngine) -> None:
    """Close every pooled connection."""
    await engine.dispose()


__all__ = ["NullPool", "create_engine", "dispose", "session_factory", "upgrade"]
