"""build_application(): the one place where kopi is wired together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import IntEnum
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
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.errors import on_error
from bot.processor import ChatOrderedProcessor
from bot.web import Operations
from handlers import (
    aims,
    callbacks,
    capture,
    capture_private,
    community_choice,
    conversation,
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
    throttle,
)
from handlers.commands import CommandSpec
from handlers.common import NO_PREVIEW
from handlers.context import KNOWN_ROWS, SERVICES_KEY, KopiContext, Services
from handlers.pacing import PacedRateLimiter
from handlers.texts import LANGUAGES, t
from models.db import create_engine, session_factory, upgrade, watch
from scheduler import jobs as meeting_jobs

log = logging.getLogger("kopi")


class Group(IntEnum):
    """kopi's handler groups, in the order PTB runs them for every update.

    Within a group the first handler that matches takes the update; every group is tried unless a
    handler raises ApplicationHandlerStop.
    """

    # Register the sender and load the chat's community: every later group reads who is speaking
    # and in which language (a press without data stops here).
    PEOPLE = -30
    # A person's commands in a group past a few a minute get one notice and are ignored briefly, so
    # that the replies never hold up the group's next update (handlers.throttle).
    THROTTLE = -25
    # Answers to kopi's questions (handlers.conversation): before the features, so that an answer
    # is never also taken for a command's text or a private message's "what shall I do with it".
    # A private answer stops here; a group answer goes on (it may also be a capture).
    PROMPTS = -20
    # #refleksi in a group is kept, also when edited (hence before EDITS), without stopping
    # anything: a message with another feature's hashtag as well still reaches it in FEATURES.
    REFLECTIONS = -10
    # An edited message updates its capture and nothing else: no command runs again.
    EDITS = -5
    # Every feature's commands, buttons and captures (FEATURES order, first match wins).
    FEATURES = 0


# Feature modules, in the order their handlers are tried within group 0. `start` comes last: its
# generic /start answers only the deep links no feature claimed.
FEATURES: tuple[ModuleType, ...] = (
    groups,
    capture,
    capture_private,
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
    # What is cached of communities, people and memberships is cleared by the commit changing it.
    watch(db, KNOWN_ROWS, services.known.forget)
    # Metrics, /healthz and /metrics (WEB_PORT), the daily backup job (BACKUP_DIR): bot/web.py.
    ops = Operations(settings, db)

    async def post_init(app: KopiApplication) -> None:
        await ops.start(app)  # first: /healthz answers (503) while kopi catches up
        if migrate:
            await upgrade(engine)
        await set_menus(app, services.commands)
        # meetings: send what was missed while kopi was down (while still useful), then rebuild
        # every community's named job from the database.
        await meeting_jobs.start(app)
        log.info("kopi is up as @%s", app.bot.username)

    async def post_shutdown(app: KopiApplication) -> None:
        await ops.stop()
        await services.outbox.close()
        await engine.dispose()

    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=KopiContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW))
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
    # Every Bot API call but getUpdates passes the metrics' counter.
    builder = builder.request(ops.request(request))
    if request is not None:
        builder = builder.get_updates_request(request)
    app: KopiApplication = builder.build()
    app.bot_data[SERVICES_KEY] = services
    app.add_handler(people.build_handlers()[0], group=Group.PEOPLE)
    app.add_handler(throttle.handler(), group=Group.THROTTLE)
    app.add_handler(conversation.dispatcher(all_answers()), group=Group.PROMPTS)
    app.add_handler(reflections.hashtag_handler(), group=Group.REFLECTIONS)
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, _on_edit), group=Group.EDITS)
    # The community buttons of a group command sent in private (runs the command for the choice).
    app.add_handler(
        community_choice.chooser(all_private_runs(), services.commands), group=Group.FEATURES
    )
    for module in FEATURES:
        for handler in module.build_handlers():
            app.add_handler(handler, group=Group.FEATURES)
    # A press no feature's action took: "this button is no longer valid", never silence.
    app.add_handler(callbacks.fallback(), group=Group.FEATURES)
    # The scheduler's jobs: meetings send through run_due; drafts silent for 30 minutes are noticed.
    meeting_jobs.install(app, db=db, clock=services.clock, run_due=meetings_delivery.run_due)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            reflections.notify_idle_drafts, interval=60, first=60, name="reflections.idle"
        )
    app.add_error_handler(on_error)
    return app


def all_answers() -> dict[str, conversation.Answer]:
    """Return every feature's answers to kopi's questions, by the question's kind."""
    answers: dict[str, conversation.Answer] = {}
    for module in FEATURES:
        for kind, answer in getattr(module, "ANSWERS", {}).items():
            if kind in answers:
                raise ValueError(f"two features answer questions of kind {kind!r}")
            answers[kind] = answer
    return answers


def all_private_runs() -> dict[str, community_choice.Run]:
    """Return the group commands that also work in private chat, by command name."""
    runs: dict[str, community_choice.Run] = {}
    for module in FEATURES:
        for name, run in getattr(module, "IN_PRIVATE", {}).items():
            if name in runs:
                raise ValueError(f"two features run /{name} in private")
            runs[name] = run
    return runs


async def _on_edit(update: Update, context: KopiContext) -> None:
    """Follow an edited message into its capture; never run a command or an answer again."""
    if capture.edit_filter.check_update(update):
        await capture.on_edit(update, context)
    raise ApplicationHandlerStop


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
