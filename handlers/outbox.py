"""Per-chat send queues: handlers hand over replies and move on; each chat's go out in order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import TelegramError

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[Any]]


class Outbox:
    """Send messages in the background, in order within each chat, concurrently across chats.

    A handler that has persisted its work posts the acknowledgement here instead of awaiting it,
    so that a chat's flood of updates is never held up by Telegram's per-group send limit (the
    rate limiter still paces what goes out).
    """

    def __init__(self) -> None:
        self._queues: dict[int, asyncio.Queue[Send]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self.failures = 0

    def post(self, chat_id: int, send: Send) -> None:
        """Queue a send for chat_id after everything already queued there."""
        queue = self._queues.get(chat_id)
        if queue is None:
            queue = self._queues[chat_id] = asyncio.Queue()
        queue.put_nowait(send)
        if chat_id not in self._workers:
            self._workers[chat_id] = asyncio.create_task(self._work(chat_id, queue))

    async def _work(self, chat_id: int, queue: asyncio.Queue[Send]) -> None:
        try:
            while not queue.empty():
                send = queue.get_nowait()
                try:
                    await send()
                except TelegramError as error:
                    # Telegram or the network failed this one (a timeout, a reset, a limit still
                    # hit after the rate limiter's retries): expected now and then, no traceback.
                    self.failures += 1
                    log.warning("sending to chat %s failed: %r", chat_id, error)
                except Exception:
                    self.failures += 1
                    log.exception("sending to chat %s failed", chat_id)
                finally:
                    queue.task_done()
        finally:
            self._workers.pop(chat_id, None)
            if queue.empty():
                self._queues.pop(chat_id, None)
            else:  # something was posted while the worker was finishing
                self._workers[chat_id] = asyncio.create_task(self._work(chat_id, queue))

    @property
    def pending(self) -> int:
        """Return how many sends are waiting."""
        return sum(q.qsize() for q in self._queues.values())

    async def drain(self) -> None:
        """Wait until every queued send has gone out (or failed)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def close(self) -> None:
        """Send what is queued, then stop."""
        await self.drain()
