"""Per-chat send queues: handlers hand over replies and move on; each chat's go out in order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import TelegramError

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[Any]]
Lane = tuple[int, str]  # (chat id, lane name)
REPLIES = "replies"  # the lane of commands' replies (handlers.common.reply)


class Outbox:
    """Send messages in the background, in order within each chat, concurrently across chats.

    A handler that has persisted its work posts the acknowledgement here instead of awaiting it,
    so that a chat's flood of updates is never held up by Telegram's per-group send limit (the
    rate limiter still paces what goes out).
    """

    def __init__(self) -> None:
        self._queues: dict[Lane, asyncio.Queue[Send]] = {}
        self._workers: dict[Lane, asyncio.Task[None]] = {}
        self.failures = 0

    def post(self, chat_id: int, send: Send, *, lane: str = "") -> None:
        """Queue a send for chat_id after everything already queued in that chat's lane.

        A chat's lanes go out concurrently, each in order (commands' replies in one, the
        acknowledgements of captures in another), all paced by the same rate limiter.
        """
        key = (chat_id, lane)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = asyncio.Queue()
        queue.put_nowait(send)
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key, queue))

    async def _work(self, key: Lane, queue: asyncio.Queue[Send]) -> None:
        chat_id = key[0]
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
            self._workers.pop(key, None)
            if queue.empty():
                self._queues.pop(key, None)
            else:  # something was posted while the worker was finishing
                self._workers[key] = asyncio.create_task(self._work(key, queue))

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
