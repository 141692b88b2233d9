"""Sending under Telegram's limits, with a message's place taken before kopi commits to it.

Scheduled deliveries are claimed in the database before they are sent, so that nothing goes out
twice. A claimed delivery that then waited in the rate limiter would be lost if the process died
while it waited (the claim says "maybe sent", so it is never resent). A delivery therefore first
*reserves* its place in the rate limiter — the same buckets every other request of the bot goes
through, overall and per group — then claims, then sends at once: a reserved request skips the
limiter. At any moment only requests actually on their way to Telegram are claimed and not yet
recorded.

    await pacing.reserve(context.bot, chat_id)   # waits for a place; nothing claimed yet
    ... claim in the database ...
    with pacing.reserved(chat_id):
        await context.bot.send_message(chat_id, ...)   # goes straight out

A reserved request that Telegram answers with 429 raises RetryAfter to its caller (no waiting
inside the limiter while claimed): the caller gives the claim back, calls :func:`pause`, and
reserves again.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

JSONDict = dict[str, Any]
log = logging.getLogger(__name__)


@dataclass
class Reservation:
    """A place taken in the limiter for one request to one chat."""

    chat_id: int
    used: bool = False

    def take(self, chat_id: object) -> bool:
        """Use the reservation for a request to chat_id (once)."""
        if self.used or str(chat_id) != str(self.chat_id):
            return False
        self.used = True
        return True


_RESERVATION: ContextVar[Reservation | None] = ContextVar("kopi_reservation", default=None)


class PacedRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (30 messages/s overall, 20/min per group), plus reservations.

    Every request that holds no reservation is limited and retried exactly as AIORateLimiter
    does it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paused_until = 0.0
        self.paused_seconds = 0.0  # how long reserved sends were held back by 429s, in all
        self._going = asyncio.Event()  # clear while Telegram's pause lasts
        self._going.set()
        self._resume: asyncio.TimerHandle | None = None

    async def reserve(self, chat_id: int) -> None:
        """Wait until one message to chat_id may go out now, and take its place."""
        await self._wait_pause()
        if chat_id < 0 and self._group_max_rate:
            await self._get_group_limiter(chat_id).acquire()
        if self._base_limiter is not None:
            await self._base_limiter.acquire()
        # Telegram may have asked for a pause while this waited for its place.
        await self._wait_pause()

    async def _wait_pause(self) -> None:
        if not self._going.is_set():
            left = self._paused_until - asyncio.get_running_loop().time()
            log.info("a paced send waits %.1f s for Telegram's pause (429)", left)
        await self._going.wait()
        await self._retry_after_event.wait()

    def pause(self, seconds: float) -> None:
        """Hold back every request for seconds (and 0.1 s more, as PTB does after a 429)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds + 0.1
        if until <= self._paused_until:
            return
        self.paused_seconds += until - max(self._paused_until, loop.time())
        self._paused_until = until
        self._going.clear()
        # Requests without a reservation wait on PTB's own event (best effort: PTB sets it again
        # whenever one of its own requests ends).
        self._retry_after_event.clear()
        if self._resume is not None:
            self._resume.cancel()
        self._resume = loop.call_at(until, self._end_pause)

    def _end_pause(self) -> None:
        self._resume = None
        self._going.set()
        self._retry_after_event.set()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Send a reserved request at once; limit every other request as AIORateLimiter does."""
        reservation = _RESERVATION.get()
        if reservation is not None and reservation.take(data.get("chat_id")):
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def limiter_of(bot: Bot) -> PacedRateLimiter | None:
    """Return the bot's paced rate limiter, if it has one."""
    limiter = getattr(bot, "rate_limiter", None)
    return limiter if isinstance(limiter, PacedRateLimiter) else None


async def reserve(bot: Bot, chat_id: int) -> None:
    """Wait for a place for one message to chat_id (at once when the bot is not rate limited)."""
    limiter = limiter_of(bot)
    if limiter is not None:
        await limiter.reserve(chat_id)


def pause(bot: Bot, seconds: float) -> None:
    """Hold back the bot's requests for seconds (Telegram answered 429)."""
    limiter = limiter_of(bot)
    if limiter is not None:
        limiter.pause(seconds)


@contextmanager
def reserved(chat_id: int) -> Iterator[None]:
    """Let the next request to chat_id in this task use the place reserved for it."""
    token = _RESERVATION.set(Reservation(chat_id))
    try:
        yield
    finally:
        _RESERVATION.reset(token)


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked to wait, in seconds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
