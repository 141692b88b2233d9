"""One member cannot stall a group: a person's commands in a group are limited per minute.

Telegram lets a bot send 20 messages a minute into a group, and a chat's updates run in order, so
every reply to a burst of commands would hold up the group's next update (a colleague's capture
among them). Past LIMIT commands in WINDOW, a person gets one friendly notice (privately when
she has started kopi, else once in the group) and her further commands there are ignored until
the window has room again. Captures and answers are never limited: only commands.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime, timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from handlers.common import reply
from handlers.context import KopiContext

log = logging.getLogger(__name__)

LIMIT = 5  # commands a person may give in one group within WINDOW
WINDOW = timedelta(minutes=1)
TRACKED = 10_000  # (chat, person) pairs remembered before the oldest are dropped


async def limit_commands(update: Update, context: KopiContext) -> None:
    """Let a person's command through, or stop it when she gave too many in the last minute."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type == ChatType.PRIVATE or user.is_bot:
        return
    seen = context.services.commands_seen
    now = context.now()
    times: deque[datetime] = seen.setdefault((chat.id, user.id), deque())
    while times and now - times[0] >= WINDOW:
        times.popleft()
    times.append(now)
    if len(seen) > TRACKED:
        for key in [k for k, v in seen.items() if not v or now - v[-1] >= WINDOW]:
            del seen[key]
    if len(times) <= LIMIT:
        return
    if len(times) == LIMIT + 1:  # the first one over: say so once
        notice = context.t("throttle.notice", name=user.first_name)
        try:
            await context.bot.send_message(user.id, notice)
        except (Forbidden, BadRequest):  # she has not started kopi: tell her in the group
            await reply(update, context, notice)
    log.info("commands of %s in chat %s paused", user.id, chat.id)
    raise ApplicationHandlerStop


def handler() -> BaseHandler[Update, KopiContext, None]:
    """Return the handler that limits commands (bot.app's group THROTTLE)."""
    return MessageHandler(
        filters.UpdateType.MESSAGE & filters.ChatType.GROUPS & filters.COMMAND, limit_commands
    )
