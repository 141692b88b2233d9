"""Process updates concurrently across chats, strictly in order within each chat, exactly once."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from models.journal import mark_processed, was_processed

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
    after a crash or a webhook timeout): processed update ids are kept in memory and recorded in
    the database after their handlers have run.
    """

    def __init__(
        self,
        max_running: int = 64,
        db: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates=_UNBOUNDED)
        self._running = asyncio.Semaphore(max_running)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._db = db
        self._recent: OrderedDict[int, None] = OrderedDict()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
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
            return
        await coroutine
        if update_id is not None:
            await self._remember(update_id)

    async def _seen(self, update_id: int) -> bool:
        if update_id in self._recent:
            return True
        if self._db is None:
            return False
        async with self._db() as session:
            return await was_processed(session, update_id)

    async def _remember(self, update_id: int) -> None:
        self._recent[update_id] = None
        if len(self._recent) > _RECENT:
            self._recent.popitem(last=False)
        if self._db is not None:
            async with self._db.begin() as session:
                await mark_processed(session, [update_id])
