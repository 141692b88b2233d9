"""Process updates concurrently across chats, strictly in order within each chat, exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from models.journal import highest_processed, mark_processed, was_processed

log = logging.getLogger(__name__)

# PTB's semaphore is taken before do_process_update; it must never be what updates queue on, or a
# chat with a backlog would hold every slot while waiting for its own turn. kopi limits handlers
# that actually run with its own semaphore, taken after the chat's turn has come.
_UNBOUNDED = 1 << 30
_RECENT = 50_000


def chat_key(update: object) -> int | None:
    """Return the key whose updates must be processed in order (the chat, else the user)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Run updates of different chats concurrently and those of one chat one after another.

    With a session factory it also skips updates it has processed before (Telegram redelivers
    after a crash or a webhook timeout). Telegram's update ids only grow, so an id above the
    highest one journaled before this process started, and not seen since, is new without asking
    the database. Processed ids are journaled in batches (one transaction for many updates); an
    update that was processed but not yet journaled when the process died is processed again,
    which every handler tolerates (captures are unique per message, votes are set, not toggled).
    """

    def __init__(
        self,
        max_running: int = 64,
        db: async_sessionmaker[AsyncSession] | None = None,
        flush_every: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(max_concurrent_updates=_UNBOUNDED)
        self._running = asyncio.Semaphore(max_running)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._db = db
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._horizon: asyncio.Task[int | None] | None = None
        self._unjournaled: list[int] = []
        self._flush_every = flush_every
        self._flusher: asyncio.Task[None] | None = None
        # What /healthz and /metrics read (bot.web): counts since start, and the updates running.
        self.clock = clock
        self.processed = 0
        self.skipped = 0
        self.last_processed_at: float | None = None  # clock() when the last update finished
        self._tickets = itertools.count()
        # ticket -> clock() when the update came in, oldest first (tickets and clock only grow)
        self.unfinished: dict[int, float] = {}

    @property
    def waiting(self) -> int:
        """Return how many updates came in and have not finished (running or queued)."""
        return len(self.unfinished)

    def oldest_unfinished(self) -> float | None:
        """Return how long the oldest unfinished update has been in (None: none)."""
        oldest = next(iter(self.unfinished.values()), None)
        return None if oldest is None else self.clock() - oldest

    async def initialize(self) -> None:
        """Nothing to do: the journal is read at the first update, after migrations ran."""

    async def shutdown(self) -> None:
        """Journal what is still pending."""
        if self._flusher is not None:
            # Wait until a flush it is in the middle of has given its batch back: left to unwind
            # after the engine is disposed, its rollback would never finish.
            flusher, self._flusher = self._flusher, None
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
        await self.flush()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        ticket = next(self._tickets)
        self.unfinished[ticket] = self.clock()
        try:
            await self._in_turn(update, coroutine)
        finally:
            del self.unfinished[ticket]

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._running:
                await self._once(update, coroutine)
            return
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock, self._running:
                await self._once(update, coroutine)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def _once(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is not None and await self._seen(update_id):
            log.info("update %s was processed before; skipped", update_id)
            close = getattr(coroutine, "close", None)
            if close is not None:
                close()
            self.skipped += 1
            return
        await coroutine
        self.processed += 1
        self.last_processed_at = self.clock()
        if update_id is not None:
            self._remember(update_id)

    async def _seen(self, update_id: int) -> bool:
        if update_id in self._recent:
            return True
        if self._db is None:
            return False
        if self._horizon is None:  # read once, by whichever update comes first
            self._horizon = asyncio.create_task(self._read_horizon())
        try:
            journaled_before = await asyncio.shield(self._horizon)
        except Exception:
            self._horizon = None  # try again with the next update
            raise
        if journaled_before is None or update_id > journaled_before:
            return False
        async with self._db() as session:
            return await was_processed(session, update_id)

    async def _read_horizon(self) -> int | None:
        assert self._db is not None
        async with self._db() as session:
            return await highest_processed(session)

    def _remember(self, update_id: int) -> None:
        self._recent[update_id] = None
        if len(self._recent) > _RECENT:
            self._recent.popitem(last=False)
        if self._db is None:
            return
        self._unjournaled.append(update_id)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self._flush_every)
        await self.flush()

    async def flush(self) -> None:
        """Journal the processed update ids not yet in the database."""
        if self._db is None or not self._unjournaled:
            return
        batch, self._unjournaled = self._unjournaled, []
        try:
            async with self._db.begin() as session:
                await mark_processed(session, batch)
        except BaseException as error:
            self._unjournaled[:0] = batch
            if not isinstance(error, Exception):
                raise  # cancelled: the batch is journaled by the next flush
            log.exception("could not journal %d processed updates; will retry", len(batch))
