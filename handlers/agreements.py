"""What norms, aims and projects share: reading a command's text, names, limits, row ids, and
the source a write is keyed by (so that a message Telegram delivers again writes nothing).

Asking someone for a text and taking their answer is the conversation core's
(``handlers.conversation``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from telegram import Update

from handlers.common import MAX_MESSAGE, is_group, reply, utf16_len
from handlers.context import KopiContext
from models.agreements import Source
from models.community import Community

log = logging.getLogger(__name__)

FITS = MAX_MESSAGE - 96  # room for what Telegram counts differently from kopi
SHORT_NAMES = 3  # names shown before "and N others" where space is short

_COMMAND = re.compile(r"^/\S+[ \t]*(.*)$", re.DOTALL)


def author_id(update: Update) -> int | None:
    """Return the person to credit (None for an anonymous admin writing as the group)."""
    user = update.effective_user
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return None
    return user.id if user is not None and not user.is_bot else None


def source_of(update: Update) -> Source:
    """Return what a write caused by this update is keyed by: the press (its callback query id;
    one message's buttons are pressed many times), else the message (chat and message id)."""
    if update.callback_query is not None:
        return Source(query_id=update.callback_query.id)
    message = update.effective_message
    if message is None:
        return Source()
    return Source(chat_id=message.chat_id, message_id=message.message_id)


def argument_text(update: Update) -> str:
    """Return what follows the command, line breaks kept."""
    message = update.effective_message
    if message is None or not message.text:
        return ""
    match = _COMMAND.match(message.text)
    return match.group(1).strip() if match else ""


async def group_community(update: Update, context: KopiContext) -> Community | None:
    """Return the group's community; outside a group, say that the command belongs there."""
    if not is_group(update):
        await reply(update, context, context.t("error.group_only"))
        return None
    return context.community


def row_id(text: str) -> int:
    """Return a row id from callback data; ValueError when it cannot be one (beyond 32 bits)."""
    value = int(text)
    if not 0 < value < 2**31:
        raise ValueError(f"not a row id: {text!r}")
    return value


def names_text(context: KopiContext, names: Sequence[str], limit: int = SHORT_NAMES) -> str:
    """Return names joined, the first few only when there are more ("A, B, C and 4 others")."""
    if len(names) <= limit:
        return ", ".join(names)
    return context.t("agree.names_more", names=", ".join(names[:limit]), more=len(names) - limit)


def fitting(compose: Callable[[int], str], start: int, floor: int = 20) -> int:
    """Return the largest limit from start down (by quarters) at which compose(limit) fits one
    message as Telegram counts it (UTF-16 units); edited views cannot be split."""
    limit = start
    while limit > floor and utf16_len(compose(limit)) > FITS:
        limit = max(limit * 3 // 4, floor)
    return limit


def too_long(context: KopiContext, text: str, limit: int) -> str | None:
    """Return the friendly refusal for a text over limit characters, or None when it fits."""
    if len(text) <= limit:
        return None
    return context.t("agree.too_long", length=len(text), limit=limit)
