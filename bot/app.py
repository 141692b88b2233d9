"""build_application(): the one place where kopi is wired together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.errors import on_error
from bot.processor import ChatOrderedProcessor
from handlers import (
    agreements,
    aims,
    capture,
    groups,
    meetings,
    meetings_delivery,
    norms,
    people,
    personal_data,
    privacy,
    private,
    projects,
    reflections,
    reports,
    start,
)
from handlers.commands import CommandSpec
from handlers.context import SERVICES_KEY, KopiContext, Services
from handlers.pacing import PacedRateLimiter
from handlers.texts import LANGUAGES, t
from models.db import create_engine, session_factory, upgrade
from scheduler import jobs as meeting_jobs

log = logging.getLogger("kopi")

# Feature modules, in the order their handlers are tried within group 0. `start` comes last: its
# generic /start answers only the deep links no feature claimed.
FEATURES: tuple[ModuleType, ...] = (
    groups,
    capture,
    meetings,
    reflections,
    norms,
    aims,
    projects,
    privacy,
    personal_data,
    reports,
    start,
    private,
)

OFFLINE_TOKEN = "123456:offline-demo-token"

KopiApplication = Application[Any, KopiContext, Any, Any, Any, Any]


def all_commands() -> list[CommandSpec]:
    """Return every feature's commands, in menu order (/start, /bantuan, /bahasa first)."""
    ordered = (start, *(m for m in FEATURES if m is not start))
    return [c for module in ordered for c in getattr(module, "COMMANDS", [])]


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    engine: AsyncEngine | None = None,
    clock: Callable[[], datetime] | None = None,
    migrate: bool = True,
    processor: BaseUpdateProcessor | None = None,
) -> KopiApplication:
    """Build kopi's Application: handlers, services, rate limiter and update processor.

    Nothing connects here: the database is migrated and the menus are set in post_init.
    request replaces the network (the offline Bot API); clock replaces the wall clock; processor
    replaces kopi's update processor (benchmarks compare it with PTB's default).
    """
    engine = engine or create_engine(settings.database_url)
    db = session_factory(engine)
    services = Services(
        db=db,
        default_timezone=settings.default_timezone,
        default_language=settings.default_language,
        clock=clock or (lambda: datetime.now(UTC)),
        commands=all_commands(),
    )

    async def post_init(app: KopiApplication) -> None:
        if migrate:
            await upgrade(engine)
        await set_menus(app, services.commands)
        # meetings: send what was missed while kopi was down (while still useful), then rebuild
        # every community's named job from the database.
        await meeting_jobs.start(app)
        log.info("kopi is up as @%s", app.bot.username)

    async def post_shutdown(app: KopiApplication) -> None:
        await services.outbox.close()
        await engine.dispose()

    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=KopiContext))
        .concurrent_updates(processor or ChatOrderedProcessor(db=db))
        .rate_limiter(
            # PTB's AIORateLimiter, plus places reserved ahead (meetings' exactly-once fan-out)
            PacedRateLimiter(
                overall_max_rate=settings.rate_overall_per_second,
                overall_time_period=1,
                group_max_rate=settings.rate_group_per_minute,
                group_time_period=60,
                max_retries=3,
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: KopiApplication = builder.build()
    app.bot_data[SERVICES_KEY] = services
    app.add_handler(people.build_handlers()[0], group=people.GROUP)
    for module in FEATURES:
        for handler in module.build_handlers():
            app.add_handler(handler)
    # capture: edits of group messages are followed in a handler group of their own, so that an
    # edited message still reaches any group-0 handler of another feature.
    app.add_handler(capture.build_edit_handler(), group=capture.EDIT_GROUP)
    # meetings: replies to kopi's place and minutes prompts are read in a handler group of their
    # own (such a reply may also be a capture); the scheduler's jobs send through run_due.
    app.add_handler(meetings.prompt_reply_handler(), group=meetings.REPLY_GROUP)
    meeting_jobs.install(app, db=db, clock=services.clock, run_due=meetings_delivery.run_due)
    # reflections: runs before the features; a private message answering a reflection is taken
    # (and stops there), #refleksi in a group is kept. Drafts silent for 30 minutes are noticed.
    app.add_handler(reflections.input_handler(), group=reflections.INPUT_GROUP)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            reflections.notify_idle_drafts, interval=60, first=60, name="reflections.idle"
        )
    # agreements (norms, aims, projects): answers to kopi's questions ("silakan tulis norma...")
    # are taken in a handler group of their own, after group 0, where the command that asks runs.
    app.add_handler(agreements.input_handler(), group=agreements.INPUT_GROUP)
    # reports: replies to kopi's question for a report's dates are read in a handler group of
    # their own (after group 0, where /laporan and its buttons run).
    app.add_handler(reports.prompt_reply_handler(), group=reports.REPLY_GROUP)
    app.add_error_handler(on_error)
    return app


async def set_menus(app: KopiApplication, commands: list[CommandSpec]) -> None:
    """Set the command menus per scope (private, groups, group admins) and language."""
    scopes: list[tuple[Any, set[str]]] = [
        (BotCommandScopeAllPrivateChats(), {"private"}),
        (BotCommandScopeAllGroupChats(), {"group"}),
        (BotCommandScopeAllChatAdministrators(), {"group", "admin"}),
    ]
    for scope, wanted in scopes:
        for lang in LANGUAGES:
            menu = [
                BotCommand(c.command, t(lang, c.description_key))
                for c in commands
                if c.scopes & wanted
            ]
            # Indonesian is the default menu; English is shown to English-language apps.
            await app.bot.set_my_commands(
                menu, scope=scope, language_code=None if lang == "id" else lang
            )


ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]
