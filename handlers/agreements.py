"""What norms, aims and projects share: names, limits, and
the source a write is keyed by (so that a message Telegram delivers again writes nothing).

Asking someone for a text and taking their answer is the conversation core's
(``handlers.conversation``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from telegram import Update

from handlers.common import MAX_MESSAGE, reply
from handlers.community_choice import is_private, pressed_community
from handlers.context import KopiContext
from models.agreements import Source
from models.community import Community
from models.lengths import utf16_len

log = logging.getLogger(__name__)

FITS = MAX_MESSAGE - 96  # room for what Telegram counts differently from kopi
SHORT_NAMES = 3  # names shown before "and N others" where space is short


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


async def press_community(update: Update, context: KopiContext) -> Community | None:
    """Return the community a press is for (the group's, or in private the chosen one); None,
    with the press answered "no longer valid", when kopi cannot tell."""
    community = await pressed_community(update, context)
    if community is None and update.callback_query is not None:
        await update.callback_query.answer(context.t("error.expired_button"))
    return community


async def refuse_in_private(update: Update, context: KopiContext) -> bool:
    """Point a change everyone should see (a norm proposed, a project's news) to the group;
    return True when refused. In private the lists are to read and to agree or join from."""
    if not is_private(update):
        return False
    text = context.t("agree.in_group")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, context, text)
    return True
