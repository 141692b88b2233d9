"""Helpers every feature uses: command specs, replies, safe sending, permissions, buttons."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden

from handlers.callbacks import Payload
from handlers.commands import CommandSpec, spec
from handlers.context import KopiContext
from handlers.outbox import REPLIES, Send
from models.community import deactivate_community, migrate_community
from models.lengths import utf16_len as utf16_len  # also the features' (norms, agreements)

log = logging.getLogger(__name__)

__all__ = ["CommandSpec", "spec"]

MAX_MESSAGE = 4096
ADMIN_CACHE_TTL = timedelta(minutes=5)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class Refusal(Exception):
    """Leave a database transaction (rolled back) to answer the user outside it.

    Telegram calls never happen inside `async with context.db.begin()`: on SQLite the one
    connection would be held through a network round trip, and a send that opens its own session
    (a migrated group, a removed bot) would wait for it forever. Raise Refusal(text) inside the
    block and answer it in an `except Refusal` after the block.
    """

    def __init__(self, text: str, *, alert: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.alert = alert


def button(text: str, action: Payload) -> InlineKeyboardButton:
    """Return a callback button for an action (handlers.callbacks); its data fits 64 bytes.

    A label made of user text (a group's title, a name) may be blank, which Telegram refuses.
    """
    return InlineKeyboardButton(text if text.strip() else "…", callback_data=action.data())


def keyboard(*rows: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """Return an inline keyboard, dropping empty rows."""
    return InlineKeyboardMarkup([list(r) for r in rows if r])


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split a text into messages of at most limit UTF-16 units (Telegram's count).

    Cuts fall at a line break if possible, else at a space, and never inside an HTML tag or an
    HTML entity; a part never ends inside a tag pair that spans lines (kopi's texts close their
    tags on the line that opens them).
    """
    parts: list[str] = []
    while utf16_len(text) > limit:
        # The longest prefix within the limit, counted in UTF-16 units.
        fit = len(text.encode("utf-16-le")[: limit * 2].decode("utf-16-le", errors="ignore"))
        window = text[:fit]
        cut = window.rfind("\n")
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = fit
        # Do not cut inside "<...>", inside "&...;", or between a tag and its closing tag.
        opened_tag, opened_entity = window.rfind("<", 0, cut), window.rfind("&", 0, cut)
        if opened_tag > window.rfind(">", 0, cut):
            cut = opened_tag or cut
        if opened_entity > window.rfind(";", 0, cut) and cut - opened_entity < 10:
            cut = opened_entity or cut
        unclosed = _first_unclosed_tag(text[:cut])
        if unclosed:
            cut = unclosed
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        parts.append(text)
    return parts


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")


def _first_unclosed_tag(html: str) -> int:
    """Return where the first tag left open in html starts (0 if none is open)."""
    stack: list[tuple[str, int]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.start()))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack[0][1] if stack else 0


def shorten(text: str, limit: int) -> str:
    """Return text cut to at most limit characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


_COMMAND = re.compile(r"^/([^\s@]+)(?:@\S*)?\s*(.*)$", re.DOTALL)


def command_parts(text: str) -> tuple[str | None, str]:
    """Return the command a text starts with (lower case, without / and @bot) and what follows
    it, line breaks kept; (None, text) for a text that is no command."""
    match = _COMMAND.match(text)
    if match is None:
        return None, text
    return match.group(1).lower(), match.group(2).strip()


def argument_text(update: Update) -> str:
    """Return what follows the command of the update's message, line breaks kept."""
    message = update.effective_message
    return command_parts(message.text or "")[1] if message is not None and message.text else ""


def not_modified(error: BadRequest) -> bool:
    """Return whether Telegram refused an edit only because nothing would change (a second tap)."""
    return "not modified" in error.message.lower()


def is_group(update: Update) -> bool:
    """Return whether the update comes from a group or supergroup."""
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def thread_of(update: Update) -> int | None:
    """Return the forum topic an update was addressed in, if any."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


async def reply(
    update: Update,
    context: KopiContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    now: bool = False,
) -> Message | None:
    """Answer in the chat (and forum topic) an update came from; long texts are split.

    In a group the answer goes out through the chat's outbox (its replies' lane, in order) and
    None is returned: the chat's next update, a colleague's capture, is never held up by
    Telegram's 20 messages a minute. now=True waits and returns the message sent (for a caller
    that needs it).
    """
    chat = update.effective_chat
    if chat is None:
        return None
    thread_id, parts = thread_of(update), split_text(text)

    async def send_all() -> Message | None:
        sent: Message | None = None
        for index, part in enumerate(parts):
            sent = await send(
                context,
                chat.id,
                part,
                thread_id=thread_id,
                markup=markup if index == len(parts) - 1 else None,
            )
        return sent

    if not now and in_turn(context, chat.id, send_all):
        return None
    return await send_all()


def in_turn(context: KopiContext, chat_id: int, send: Send) -> bool:
    """Hand a reply to a group's outbox (its replies' lane) and return True; False in private,
    where the sender waits (a person's chat is never behind a group's limit)."""
    if chat_id > 0:
        return False
    context.services.outbox.post(chat_id, send, lane=REPLIES)
    return True


async def send(
    context: KopiContext,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> Message | None:
    """Send an HTML message; follow a group's move to a supergroup, and note a removed bot.

    Returns None when the chat can no longer be reached (the bot was removed or blocked).
    """
    try:
        return await context.bot.send_message(
            chat_id,
            text,
            message_thread_id=thread_id,
            reply_markup=markup,
            **kwargs,
        )
    except ChatMigrated as moved:
        async with context.db.begin() as session:
            await migrate_community(session, chat_id, moved.new_chat_id)
        return await context.bot.send_message(
            moved.new_chat_id,
            text,
            reply_markup=markup,
            **kwargs,
        )
    except Forbidden as error:
        log.info("chat %s cannot be reached: %s", chat_id, error.message)
        if chat_id < 0:
            async with context.db.begin() as session:
                await deactivate_community(session, chat_id)
        return None


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message a button belongs to; an unchanged message (a second tap) is fine."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if not not_modified(error):
            raise


async def is_facilitator(update: Update, context: KopiContext) -> bool:
    """Return whether the sender is a facilitator: an admin of the group (or the group itself).

    In private chat: an admin of the group of the community the chat is about (context.community).
    """
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        if context.community is None:
            return False
        group_id = context.community.chat_id
    elif chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        if message is not None and message.sender_chat is not None:
            # An anonymous admin writes as the group itself.
            return message.sender_chat.id == chat.id
        group_id = chat.id
    else:
        return False
    if user is None:
        return False
    key = (group_id, user.id)
    now = context.now()
    cached = context.services.admin_cache.get(key)
    if cached is not None and now - cached[1] < ADMIN_CACHE_TTL:
        return cached[0]
    try:
        member = await context.bot.get_chat_member(group_id, user.id)
    except (BadRequest, Forbidden):
        return False
    admin = member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
    context.services.admin_cache[key] = (admin, now)
    return admin


async def refuse_unless_facilitator(update: Update, context: KopiContext) -> bool:
    """Tell a non-facilitator politely that this is not for them; return True when refused."""
    if await is_facilitator(update, context):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(context.t("error.facilitator_only"), show_alert=True)
    else:
        await reply(update, context, context.t("error.facilitator_only"))
    return True
