"""The typed context every kopi handler and job receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from handlers.commands import CommandSpec
from handlers.outbox import Outbox
from handlers.texts import t

if TYPE_CHECKING:
    from models.community import Community


@dataclass
class Services:
    """What handlers share: the database, defaults, the clock and the outbox."""

    db: async_sessionmaker[AsyncSession]
    default_timezone: str
    default_language: str
    clock: Callable[[], datetime]
    outbox: Outbox = field(default_factory=Outbox)
    commands: list[CommandSpec] = field(default_factory=list)
    # (chat_id, user_id) -> (is_admin, checked_at): group admins change rarely.
    admin_cache: dict[tuple[int, int], tuple[bool, datetime]] = field(default_factory=dict)


SERVICES_KEY = "kopi"


class KopiContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with kopi's services and who is speaking, in which language."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        services: Services = application.bot_data[SERVICES_KEY]
        self.services = services
        self.lang: str = services.default_language
        self.community: Community | None = None

    @property
    def db(self) -> async_sessionmaker[AsyncSession]:
        """Return the session factory: one transaction per unit of work."""
        return self.services.db

    def t(self, key: str, /, **values: object) -> str:
        """Return a text in the language of this update."""
        return t(self.lang, key, **values)

    def now(self) -> datetime:
        """Return the current time (injected in tests)."""
        return self.services.clock()
