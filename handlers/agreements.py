"""What norms, aims and projects share: asking someone in the group for a text, taking the answer.

A facilitator who taps "Usulkan norma" (or writes ``/norma tambah`` without text) is asked for the
text with ``ForceReply(selective=True)``: their app opens a reply to kopi's question, and a reply
to kopi reaches kopi even with privacy mode on. What the answer is for is kept in the database
(``agreement_inputs``, one row per speaker and community), so a restart loses nothing. The answer
is taken by :func:`take_answer` (handler group INPUT_GROUP, after the features): a reply to the
question, or, within PLAIN_WINDOW, the speaker's next plain message in that group (kopi sees those
when it is an admin). The row is consumed in the same transaction that saves what it asked for,
so a repeated delivery saves nothing twice. Replying "batal" cancels; a new question replaces an
older one.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from telegram import ForceReply, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import BaseHandler, MessageHandler, filters

from handlers.common import MAX_MESSAGE, NO_PREVIEW, is_group, reply, thread_of, utf16_len
from handlers.context import KopiContext
from handlers.texts import Markup
from models.agreements import (
    AgreementInput,
    drop_input,
    get_input,
    put_input,
    recent_inputs,
    take_input,
)
from models.community import Community

log = logging.getLogger(__name__)

INPUT_GROUP = 17  # after group 0 (a feature's command must create the question before its answer)
PLAIN_WINDOW = timedelta(minutes=10)
CANCEL_WORDS = frozenset({"batal", "cancel", "batalkan", "tidak jadi"})
ASKED_KEY = "agreements.asked"  # bot_data: who was asked recently (see _recently_asked)
ASKED_LIMIT = 10_000
FITS = MAX_MESSAGE - 96  # room for what Telegram counts differently from kopi
SHORT_NAMES = 3  # names shown before "and N others" where space is short

Answer = Callable[[Update, KopiContext, AgreementInput, str], Awaitable[None]]
_COMMAND = re.compile(r"^/\S+[ \t]*(.*)$", re.DOTALL)


def speaker_id(update: Update) -> int | None:
    """Return who is speaking: a person's id, or the group's id for an anonymous admin."""
    user = update.effective_user
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        chat = update.effective_chat
        return (
            message.sender_chat.id
            if chat is not None and message.sender_chat.id == chat.id
            else None
        )
    if user is not None and not user.is_bot:
        return user.id
    return None


def author_id(update: Update) -> int | None:
    """Return the person to credit (None for an anonymous admin writing as the group)."""
    user = update.effective_user
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return None
    return user.id if user is not None and not user.is_bot else None


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


# ---------------------------------------------------------------------------- asking


async def _prompt(update: Update, context: KopiContext, question: str) -> Message | None:
    """Send a question that opens a reply in the speaker's app (only theirs: selective)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return None
    person = user if author_id(update) is not None else None
    if update.callback_query is not None and user is not None:
        # A button press has no message of theirs to reply to: mention them, so that the
        # selective ForceReply reaches them.
        who = Markup(f'<a href="tg://user?id={user.id}">{html.escape(user.first_name)}</a>')
        reply_to = None
    else:
        # Replying to their message is what makes the selective ForceReply reach them.
        who = Markup(html.escape(person.first_name) if person else context.t("agree.you"))
        reply_to = message.message_id if message is not None else None
    text = context.t("agree.ask", who=who, question=Markup(question))
    try:
        return await context.bot.send_message(
            chat.id,
            text,
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_of(update),
            reply_markup=ForceReply(selective=True),
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None
                else None
            ),
            link_preview_options=NO_PREVIEW,
        )
    except Forbidden as error:
        log.info("cannot ask in chat %s: %s", chat.id, error.message)
        return None


async def ask(
    update: Update,
    context: KopiContext,
    community: Community,
    question: str,
    *,
    kind: str,
    target_id: int | None = None,
    payload: str | None = None,
) -> None:
    """Ask the speaker for a text and remember what their answer is for."""
    speaker = speaker_id(update)
    if speaker is None:
        return
    sent = await _prompt(update, context, question)
    if sent is not None:
        # The answer cannot arrive before this is written: a chat's updates run in order.
        await _remember(context, community.id, speaker, kind, target_id, payload, sent)


async def ask_again(
    update: Update, context: KopiContext, pending: AgreementInput, question: str
) -> None:
    """Ask the same question again (after an answer that could not be taken)."""
    sent = await _prompt(update, context, question)
    if sent is not None:
        await _remember(
            context,
            pending.community_id,
            pending.speaker_id,
            pending.kind,
            pending.target_id,
            pending.payload,
            sent,
        )


async def _remember(
    context: KopiContext,
    community_id: int,
    speaker: int,
    kind: str,
    target_id: int | None,
    payload: str | None,
    prompt: Message,
) -> None:
    """Write down what the speaker's answer is for (and note it for their plain messages)."""
    now = context.now()
    asked = await _recently_asked(context)
    async with context.db.begin() as session:
        await put_input(
            session,
            community_id,
            speaker,
            kind,
            now,
            target_id=target_id,
            payload=payload,
            prompt_message_id=prompt.message_id,
        )
    asked[(community_id, speaker)] = now


async def _recently_asked(context: KopiContext) -> dict[tuple[int, int], datetime]:
    """Return who was asked something within PLAIN_WINDOW, per (community, speaker).

    Plain group chatter must cost no database work (docs/ARCHITECTURE.md): a plain message is
    looked up only when its sender was asked recently. Read from the database once per process,
    so questions asked just before a restart are still answered by a plain message.
    """
    asked: dict[tuple[int, int], datetime] | None = context.bot_data.get(ASKED_KEY)
    if asked is None:
        now = context.now()
        async with context.db() as session:
            rows = await recent_inputs(session, now - PLAIN_WINDOW)
        asked = context.bot_data.setdefault(
            ASKED_KEY, {(r.community_id, r.speaker_id): r.created_at for r in rows}
        )
    if len(asked) > ASKED_LIMIT:
        cutoff = context.now() - PLAIN_WINDOW
        for key in [k for k, when in asked.items() if when < cutoff]:
            del asked[key]
    return asked


async def drop(context: KopiContext, pending: AgreementInput) -> None:
    """Forget a question whose answer can no longer be used."""
    async with context.db.begin() as session:
        await take_input(session, pending.id)


# ---------------------------------------------------------------------------- answering


def _has_hashtag(message: Message) -> bool:
    return any(e.type == MessageEntity.HASHTAG for e in message.entities or ())


async def take_answer(update: Update, context: KopiContext, answers: dict[str, Answer]) -> None:
    """Take a group message as the answer kopi asked its sender for, if it is one."""
    message = update.message
    community = context.community
    speaker = speaker_id(update)
    if message is None or community is None or speaker is None:
        return
    key = (community.id, speaker)
    target = message.reply_to_message
    if target is not None:
        if target.from_user is None or target.from_user.id != context.bot.id:
            return  # a reply to someone else is a conversation, not an answer
    else:
        if _has_hashtag(message):
            return  # a capture, not an answer
        asked = await _recently_asked(context)
        when = asked.get(key)
        if when is None:
            return  # steady chatter: no database work
        if context.now() - when > PLAIN_WINDOW:
            del asked[key]
            return
    async with context.db() as session:
        pending = await get_input(session, community.id, speaker)
    if pending is None:
        return
    if target is not None:
        if target.message_id != pending.prompt_message_id:
            return
    elif context.now() - pending.created_at > PLAIN_WINDOW:
        return  # plain chatter long after the question
    text = message.text if message.text is not None else message.caption
    if not text or not text.strip():
        if target is not None:
            await reply(update, context, context.t("agree.text_only"))
        return
    if text.strip().lower().rstrip(".!") in CANCEL_WORDS:
        async with context.db.begin() as session:
            cancelled = await drop_input(session, community.id, speaker)
        (await _recently_asked(context)).pop(key, None)
        if cancelled:
            await reply(update, context, context.t("agree.cancelled"))
        return
    # Taken (an answer may ask the next question, which notes the speaker again).
    (await _recently_asked(context)).pop(key, None)
    answer = answers.get(pending.kind)
    if answer is None:
        await drop(context, pending)
        return
    await answer(update, context, pending, text)


def input_handler() -> BaseHandler[Update, KopiContext, None]:
    """Return the handler that takes answers to the questions of norms, aims and projects."""
    from handlers import aims, norms, projects  # they import this module

    answers: dict[str, Answer] = {**norms.ANSWERS, **aims.ANSWERS, **projects.ANSWERS}

    async def callback(update: Update, context: KopiContext) -> None:
        await take_answer(update, context, answers)

    return MessageHandler(
        filters.ChatType.GROUPS
        & filters.UpdateType.MESSAGE
        & ~filters.COMMAND
        & ~filters.StatusUpdate.ALL,
        callback,
    )
