"""Drive a kopi Application against the offline Bot API, one update at a time.

The tests and the demo use this: updates go through the real update processor and the real
handlers, and every reply lands in the FakeTelegram's records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import Update

from bot.app import KopiApplication, build_application
from bot.config import Settings
from bot.offline.fake import JSON, Call, FakeTelegram
from bot.offline.request import OfflineRequest
from handlers.context import SERVICES_KEY, Services


class OfflineBot:
    """A kopi Application wired to a FakeTelegram, started and ready for updates."""

    def __init__(self, app: KopiApplication, fake: FakeTelegram) -> None:
        self.app = app
        self.fake = fake
        self.stopped = False

    @classmethod
    async def start(
        cls,
        settings: Settings,
        fake: FakeTelegram | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        migrate: bool = True,
        **kwargs: Any,
    ) -> OfflineBot:
        """Build and initialize kopi (migrations and menus included) against fake."""
        fake = fake or FakeTelegram()
        app = build_application(
            settings, request=OfflineRequest(fake), clock=clock, migrate=migrate, **kwargs
        )
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        return cls(app, fake)

    @property
    def services(self) -> Services:
        """Return kopi's shared services."""
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    async def process(self, update: JSON) -> list[Call]:
        """Process one update as kopi would from Telegram; return the calls it made."""
        before = len(self.fake.calls)
        parsed = Update.de_json(update, self.app.bot)
        await self.app.update_processor.process_update(parsed, self.app.process_update(parsed))
        await self.settle()
        return self.fake.calls[before:]

    async def settle(self) -> None:
        """Wait for replies still queued in the outbox."""
        await self.services.outbox.drain()

    async def stop(self) -> None:
        """Shut kopi down and close the database (once; a second call does nothing)."""
        if self.stopped:
            return
        self.stopped = True
        await self.settle()
        await self.app.shutdown()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)
