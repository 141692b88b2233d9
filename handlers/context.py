"""The typed context every kopi handler and job receives."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from handlers.commands import CommandSpec
from handlers.outbox import Outbox
from handlers.texts import t
from models.community import Community, Membership, Person
from models.db import Changes
from models.writer import GroupCommit, R, T, WriteMany

if TYPE_CHECKING:
    from handlers.capture_browse import Redraw
    from handlers.meetings_delivery import Fanout


class KnownPerson(NamedTuple):
    """What kopi last recorded of a speaker, to tell whether a new message changes anything."""

    first_name: str
    last_name: str | None
    username: str | None
    telegram_language: str | None
    started: bool  # she has opened a private chat with kopi
    language: str | None  # the language she chose, if any


# What Known caches, by model: the key its rows are cached under.
KNOWN_ROWS: dict[type[Any], str] = {Community: "chat_id", Person: "id", Membership: "person_id"}


@dataclass
class Known:
    """What kopi has already read or recorded about recent chats and speakers, so that steady
    chatter in a group costs no database work. A committed write that changes a community, a
    person or a membership clears what is cached of it (``forget``, called by the session
    factory's watch: see bot.app); cached communities also expire after `ttl` seconds (another
    kopi instance may have changed them)."""

    limit: int = 100_000
    ttl: float = 60.0
    communities: dict[int, tuple[Community, float]] = field(default_factory=dict)
    people: dict[int, KnownPerson] = field(default_factory=dict)
    members: set[tuple[int, int]] = field(default_factory=set)  # (community id, user id)

    def forget(self, changes: Changes) -> None:
        """Drop what a committed transaction changed (everything of a kind it cannot name)."""
        chats = changes.of(Community)
        if chats is None:
            self.communities.clear()
        else:
            self.forget_community(*chats)
        people = changes.of(Person)
        if people is None:
            self.people.clear()
        members = changes.of(Membership)
        if members is None or people is None:
            self.members.clear()
        for user_id in (people or set()) | (members or set()):
            self.forget_person(user_id)

    def community(self, chat_id: int) -> Community | None:
        """Return the cached active community of a chat, if fresh."""
        cached = self.communities.get(chat_id)
        if cached is None or time.monotonic() - cached[1] > self.ttl:
            return None
        return cached[0]

    def remember_community(self, community: Community) -> None:
        """Cache an active community (detached, read-only)."""
        if community.active:
            self.communities[community.chat_id] = (community, time.monotonic())

    def forget_community(self, *chat_ids: int) -> None:
        """Drop cached communities after changing them."""
        for chat_id in chat_ids:
            self.communities.pop(chat_id, None)

    def forget_person(self, user_id: int) -> None:
        """Drop what is known about a person (their profile, language and memberships)."""
        self.people.pop(user_id, None)
        self.members = {m for m in self.members if m[1] != user_id}

    def trim(self) -> None:
        """Keep memory bounded: start afresh past the limit (it only costs a few reads)."""
        if max(len(self.people), len(self.members), len(self.communities)) > self.limit:
            self.people.clear()
            self.members.clear()
            self.communities.clear()


def _instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-64:]


@dataclass
class Services:
    """What handlers share: the database, defaults, the clock and the outbox."""

    db: async_sessionmaker[AsyncSession]
    default_timezone: str
    default_language: str
    clock: Callable[[], datetime]
    outbox: Outbox = field(default_factory=Outbox)
    commands: list[CommandSpec] = field(default_factory=list)
    known: Known = field(default_factory=Known)
    # (chat id, speaker id) -> until when a plain message may answer kopi's question to them
    # (handlers.conversation); None until read from the database once per process
    asked: dict[tuple[int, int], datetime] | None = None
    # communities whose report is being made in this process (handlers.reports)
    reports_running: set[int] = field(default_factory=set)
    # reminders whose RSVP tally is queued to be redrawn, by (chat id, message id)
    tally_edits: set[tuple[int, int]] = field(default_factory=set)
    # when each (chat id, person id) gave their recent commands in a group (handlers.throttle)
    commands_seen: dict[tuple[int, int], deque[datetime]] = field(default_factory=dict)
    # person id -> the community their private chat is about (handlers.community_choice)
    private_choice: dict[int, int] = field(default_factory=dict)
    # kopi's messages waiting to show a view again, by (chat id, message id) (capture_browse)
    renders: dict[tuple[int, int], Redraw] = field(default_factory=dict)
    # the reminders' fan-out of this process: delivery slots, communities being served
    fanout: Fanout | None = None
    # this running kopi's name in the delivery ledger
    instance: str = field(default_factory=_instance_name)
    # update id -> how often it was processed again because the database was busy
    busy_retries: dict[int, int] = field(default_factory=dict)
    writers: dict[str, GroupCommit[Any, Any]] = field(default_factory=dict)

    def writer(self, name: str, write_many: WriteMany[T, R]) -> GroupCommit[T, R]:
        """Return the group commit that batches this kind of write (made on first use)."""
        found = self.writers.get(name)
        if found is None:
            found = self.writers[name] = GroupCommit(self.db, write_many)
        return found

    # (chat_id, user_id) -> (is_admin, checked_at): group admins change rarely.
    admin_cache: dict[tuple[int, int], tuple[bool, datetime]] = field(default_factory=dict)


SERVICES_KEY = "kopi"


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """Return the services of an application (for jobs, which get no KopiContext)."""
    services: Services = application.bot_data[SERVICES_KEY]
    return services


class KopiContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with kopi's services and who is speaking, in which language."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.services = services_of(application)
        self.lang: str = self.services.default_language
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
