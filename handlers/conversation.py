"""The conversation core: one way to ask a person for a text, one dispatcher taking the answer.

:func:`ask` sends the question with ``ForceReply(selective=True)`` (the person's app opens a
reply; a reply to kopi reaches kopi even with privacy mode on) and keeps it in the database
(``models.prompts``: chat, speaker, kind, payload, the question's message id, expiry), so a
restart loses nothing. The dispatcher (:func:`dispatcher`, handler group PROMPTS, before the
features) takes as the answer:

- a reply to the question, until it expires;
- the person's next plain message in that chat: in private always (until it expires), in a group
  within PLAIN_WINDOW and only from the person asked.

"batal" / "cancel" cancels any question. The row is consumed in the transaction that saves what
it asked for (the feature's answer calls ``take_prompt``), so a repeated delivery saves nothing
twice. A new question to the same person in the same chat replaces the older one.

Most answers are a function of the text. A question that needs more (the reflection's steps)
registers an :class:`Answering` in ``ANSWERS``: it may take any message (a voice note), say
itself what cancelling kept, and close when the person turns to another feature's command or
button in private. Its answer may return :data:`OPEN` (it took the message and the question stays
open: part of a longer answer, or a message set aside) or :data:`DECLINED` (not an answer after
all: the message goes on to the features).

Plain group chatter costs no database work: a plain message is looked up only when its sender
was asked recently (``Services.asked``, read from the database once per process).
"""

from __future__ import annotations

import enum
import html
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import (
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler, filters

from handlers.common import in_turn, reply, thread_of
from handlers.context import KopiContext
from handlers.texts import Markup
from models.community import Community, communities_of
from models.prompts import Prompt, drop_prompt, get_prompt, open_prompts, put_prompt, take_prompt

log = logging.getLogger(__name__)

PLAIN_WINDOW = timedelta(minutes=10)  # a group: the asked person's next plain message
GROUP_EXPIRY = timedelta(days=1)  # a group: a reply to the question
PRIVATE_EXPIRY = timedelta(days=7)  # private: any next message
CANCEL_WORDS = frozenset({"batal", "cancel", "batalkan", "tidak jadi"})
ASKED_LIMIT = 10_000


class Taken(enum.Enum):
    """What an answer did with a message, when it did not simply take it."""

    OPEN = "open"  # took it, and the question stays open: the next message answers it too
    DECLINED = "declined"  # not an answer after all: the message goes on to the features


OPEN, DECLINED = Taken.OPEN, Taken.DECLINED

# An answer takes the text (None: taken, the question consumed or replaced as it saw fit).
Answer = Callable[[Update, KopiContext, Prompt, str], Awaitable[Taken | None]]
Cancelled = Callable[[Update, KopiContext, Prompt], Awaitable[None]]


@dataclass(frozen=True)
class Answering:
    """An answer with the options a question may need (a plain Answer has none of them).

    any_message: also a message without text (a voice note, a photo): the answer reads
        update.message itself and gets "" as the text then.
    cancelled: tells the person what "batal" left (instead of "nothing has changed").
    keeps: in private, a command or a button press for which this returns False closes the
        question: the person turned to something else, and her next message is for that.
        None: commands and presses leave the question open.
    """

    answer: Answer
    any_message: bool = False
    cancelled: Cancelled | None = None
    keeps: Callable[[Update], bool] | None = None

    async def __call__(
        self, update: Update, context: KopiContext, pending: Prompt, text: str
    ) -> Taken | None:
        return await self.answer(update, context, pending, text)


# A question is a text ("tulis normanya"), framed as "<who>, <question> (reply, or cancel)"; or a
# function of <who> that returns the whole message, for questions with a frame of their own.
Question = str | Callable[[Markup], str]


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


def is_cancel(text: str) -> bool:
    """Return whether a text cancels the question it answers ("batal", "cancel", ...)."""
    return text.strip().lower().rstrip(".!") in CANCEL_WORDS


# ---------------------------------------------------------------------------- asking


async def _send_question(
    update: Update,
    context: KopiContext,
    question: Question,
    placeholder: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
    lead: Sequence[str] = (),
) -> Message | None:
    """Send a question that opens a reply in the speaker's app (only theirs: selective).

    A question with buttons (markup) cannot also force a reply: it is sent as it is, not as a
    reply to the speaker's message; lead: messages sent before it (what it asks about).
    """
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return None
    anonymous = message is not None and message.sender_chat is not None
    if update.callback_query is not None and user is not None:
        # A button press has no message of theirs to reply to: mention them, so that the
        # selective ForceReply reaches them.
        who = Markup(f'<a href="tg://user?id={user.id}">{html.escape(user.first_name)}</a>')
        reply_to = None
    else:
        # Replying to their message is what makes the selective ForceReply reach them.
        name = user.first_name if user is not None and not anonymous else None
        who = Markup(html.escape(name) if name else context.t("agree.you"))
        reply_to = message.message_id if message is not None else None
    if markup is not None:
        reply_to = None  # nothing to force: the question stands on its own
    text = (
        question(who)
        if callable(question)
        else context.t("agree.ask", who=who, question=Markup(question))
    )
    try:
        for part in lead:
            await context.bot.send_message(chat.id, part, message_thread_id=thread_of(update))
        return await context.bot.send_message(
            chat.id,
            text,
            message_thread_id=thread_of(update),
            reply_markup=(
                markup
                if markup is not None
                else ForceReply(selective=True, input_field_placeholder=placeholder)
            ),
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None
                else None
            ),
        )
    except Forbidden as error:
        log.info("cannot ask in chat %s: %s", chat.id, error.message)
        return None


async def ask(
    update: Update,
    context: KopiContext,
    community: Community | None,
    question: Question,
    *,
    kind: str,
    target_id: int | None = None,
    payload: str | None = None,
    placeholder: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
    lead: Sequence[str] = (),
) -> None:
    """Ask the speaker for a text and remember what their answer is for.

    community: whom the answer is for (in private chat, the answer is taken for it);
    placeholder: a hint shown in the person's empty input field;
    markup: buttons under the question (skip, back ...) instead of opening a reply: in private
        the next message answers anyway, and a reply to the question still does;
    lead: messages sent just before the question (a long summary it asks about).
    """
    await _ask(
        update,
        context,
        community.id if community is not None else None,
        question,
        kind=kind,
        target_id=target_id,
        payload=payload,
        placeholder=placeholder,
        markup=markup,
        lead=lead,
    )


async def ask_again(
    update: Update, context: KopiContext, pending: Prompt, question: Question
) -> None:
    """Ask the same question again (after an answer that could not be taken)."""
    await _ask(
        update,
        context,
        pending.community_id,
        question,
        kind=pending.kind,
        target_id=pending.target_id,
        payload=pending.payload,
    )


async def _ask(
    update: Update,
    context: KopiContext,
    community_id: int | None,
    question: Question,
    *,
    kind: str,
    target_id: int | None,
    payload: str | None,
    placeholder: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
    lead: Sequence[str] = (),
) -> None:
    chat, speaker = update.effective_chat, speaker_id(update)
    if chat is None or speaker is None:
        return
    chat_id, private = chat.id, chat.type == ChatType.PRIVATE

    async def put() -> None:
        sent = await _send_question(update, context, question, placeholder, markup, lead)
        if sent is None:
            return
        # The answer cannot arrive before this is written: nobody answers a question unseen.
        now = context.now()
        async with context.db.begin() as session:
            await put_prompt(
                session,
                chat_id,
                speaker,
                kind,
                now,
                now + (PRIVATE_EXPIRY if private else GROUP_EXPIRY),
                community_id=community_id,
                target_id=target_id,
                payload=payload,
                prompt_message_id=sent.message_id,
            )
        plain_until = now + (PRIVATE_EXPIRY if private else PLAIN_WINDOW)
        (await _asked(context))[(chat_id, speaker)] = plain_until

    # In a group the question goes out (and is kept) in turn with the chat's replies, without
    # holding up the chat's next update.
    if not in_turn(context, chat_id, put):
        await put()


async def drop(context: KopiContext, pending: Prompt) -> None:
    """Forget a question whose answer can no longer be used."""
    async with context.db.begin() as session:
        await take_prompt(session, pending.id)


async def _note(context: KopiContext, pending: Prompt) -> None:
    """Take the speaker's plain messages for a question again (it stays open)."""
    window = PRIVATE_EXPIRY if pending.chat_id > 0 else PLAIN_WINDOW
    (await _asked(context))[(pending.chat_id, pending.speaker_id)] = pending.created_at + window


async def _asked(context: KopiContext) -> dict[tuple[int, int], datetime]:
    """Return until when a plain message of (chat, speaker) may answer a question."""
    services = context.services
    if services.asked is None:
        now = context.now()
        async with context.db() as session:
            rows = await open_prompts(session, now)
        services.asked = {
            (r.chat_id, r.speaker_id): r.created_at
            + (PLAIN_WINDOW if r.chat_id < 0 else PRIVATE_EXPIRY)  # groups' ids are negative
            for r in rows
        }
    asked = services.asked
    if len(asked) > ASKED_LIMIT:
        now = context.now()
        for key in [k for k, until in asked.items() if until <= now]:
            del asked[key]
    return asked


# ---------------------------------------------------------------------------- answering


def _has_hashtag(message: Message) -> bool:
    return any(
        e.type == MessageEntity.HASHTAG for e in (message.entities or message.caption_entities)
    )


async def take_answer(update: Update, context: KopiContext, answers: Mapping[str, Answer]) -> bool:
    """Take a message as the answer kopi asked its sender for; return whether it was one."""
    message, chat = update.message, update.effective_chat
    speaker = speaker_id(update)
    if message is None or chat is None or speaker is None:
        return False
    private = chat.type == ChatType.PRIVATE
    key = (chat.id, speaker)
    target = message.reply_to_message
    to_kopi = target is not None and target.from_user is not None
    to_kopi = to_kopi and target.from_user.id == context.bot.id  # type: ignore[union-attr]
    if target is not None and not to_kopi and not private:
        return False  # a reply to someone else is a conversation, not an answer
    now = context.now()
    if not to_kopi:
        if not private and _has_hashtag(message):
            return False  # a capture, not an answer
        asked = await _asked(context)
        until = asked.get(key)
        if until is None:
            return False  # steady chatter: no database work
        if now >= until:
            del asked[key]
            return False
    async with context.db() as session:
        pending = await get_prompt(session, chat.id, speaker, now)
    if pending is None:
        return False
    if to_kopi:
        assert target is not None
        if target.message_id != pending.prompt_message_id:
            return False  # a reply to another of kopi's messages
    elif not private and now - pending.created_at > PLAIN_WINDOW:
        return False  # plain chatter long after the question
    answer = answers.get(pending.kind)
    if answer is None:
        log.warning("a question of unknown kind %r was dropped", pending.kind)
        await drop(context, pending)
        return False
    options = answer if isinstance(answer, Answering) else None
    text = message.text if message.text is not None else message.caption
    if not text or not text.strip():
        if options is not None and options.any_message:
            text = ""
        elif to_kopi or private:
            await reply(update, context, context.t("agree.text_only"))
            return True
        else:
            return False
    (await _asked(context)).pop(key, None)
    if is_cancel(text):
        async with context.db.begin() as session:
            cancelled = await drop_prompt(session, chat.id, speaker)
        if cancelled and options is not None and options.cancelled is not None:
            await options.cancelled(update, context, pending)
        elif cancelled:
            await reply(update, context, context.t("agree.cancelled"))
        return True
    if private and pending.community_id is not None and context.community is None:
        # A private answer is for the community the question was asked for (still hers?).
        async with context.db() as session:
            mine = {c.id: c for c in await communities_of(session, speaker)}
        context.community = mine.get(pending.community_id)
        if context.community is None:
            await drop(context, pending)
            await reply(update, context, context.t("error.question_gone"))
            return True
    # An answer may ask the next question, which notes the speaker again.
    taken = await answer(update, context, pending, text)
    if taken is not None:
        await _note(context, pending)  # still open (or still there, for a declined message)
    return taken is not Taken.DECLINED


async def turn_away(update: Update, context: KopiContext, answers: Mapping[str, Answer]) -> None:
    """Close a private question whose answer does not keep it over this command or press."""
    chat, speaker = update.effective_chat, speaker_id(update)
    if chat is None or speaker is None or chat.type != ChatType.PRIVATE:
        return
    key = (chat.id, speaker)
    now = context.now()
    until = (await _asked(context)).get(key)
    if until is None or now >= until:
        return  # nothing asked: no database work
    async with context.db() as session:
        pending = await get_prompt(session, chat.id, speaker, now)
    answer = answers.get(pending.kind) if pending is not None else None
    if pending is None or not isinstance(answer, Answering) or answer.keeps is None:
        return
    if not answer.keeps(update):
        await drop(context, pending)
        (await _asked(context)).pop(key, None)


_ANSWERS = filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
_COMMANDS = filters.UpdateType.MESSAGE & filters.COMMAND


def dispatcher(answers: Mapping[str, Answer]) -> BaseHandler[Update, KopiContext, None]:
    """Return the handler that takes every answer to kopi's questions (group PROMPTS).

    A private answer stops there (it is no capture and needs no other reply); a group answer goes
    on to the features, so that a reply that is also a capture is still captured. A private
    command or button press goes on too, after closing a question that does not keep over it.
    """

    async def callback(update: Update, context: KopiContext) -> None:
        if update.callback_query is not None or _COMMANDS.check_update(update):
            await turn_away(update, context, answers)
            return
        if not _ANSWERS.check_update(update):
            return
        taken = await take_answer(update, context, answers)
        chat = update.effective_chat
        if taken and chat is not None and chat.type == ChatType.PRIVATE:
            raise ApplicationHandlerStop

    return TypeHandler(Update, callback)
