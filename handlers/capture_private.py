"""Capture in private chat: a concern raised privately (with a name or anonymous), a good practice
sent privately, and the community's lists and search for a teacher in private.

A concern raised in private may be anonymous. Such a concern is stored with no author id, no
private chat or message id, nothing but its text and a random token that makes a repeated press
harmless: neither a member nor a facilitator, nor kopi itself, can tell who wrote it.

kopi's questions here (which community, with a name or not) reply to the teacher's message: the
presses read the concern or the practice back from ``reply_to_message``, with nothing kept in
between.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers import capture_browse as browse
from handlers.callbacks import Payload, on
from handlers.capture import (
    CONCERN_COMMANDS,
    PRACTICE_COMMANDS,
    attachment_of,
    list_concerns,
    list_practices,
    run_search,
)
from handlers.capture_browse import answer, post_view
from handlers.common import Refusal, button, command_parts, keyboard, reply
from handlers.community_choice import Run, private_command
from handlers.context import KopiContext
from handlers.conversation import Answer, ask
from models.capture import (
    Author,
    AuthorKind,
    CaptureItem,
    Kind,
    capture,
    get_item,
    has_words,
    only_hashtags,
    parse,
)
from models.capture import capture as save_item
from models.community import Community, communities_of
from models.prompts import Prompt, take_prompt

CONCERN_PROMPT = "capture.concern"

# ---------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class WriteConcern(Payload, prefix="cp:pw"):
    """Ask for a concern to raise privately."""


@dataclass(frozen=True)
class ConcernFor(Payload, prefix="cp:pc"):
    """The community a private concern is for; token: the concern's, against a double press."""

    community_id: int
    token: str


@dataclass(frozen=True)
class SendConcern(Payload, prefix="cp:pa"):
    """Send the private concern to the group: anonymously (a) or with the name (n)."""

    community_id: int
    mode: Literal["a", "n"]
    token: str


@dataclass(frozen=True)
class CancelPrivate(Payload, prefix="cp:px"):
    """The teacher changed her mind."""


@dataclass(frozen=True)
class PracticeFor(Payload, prefix="pv:pc"):
    """The community a good practice sent privately is for (handled in handlers.private)."""

    community_id: int


# ---------------------------------------------------------------------------- commands


async def on_concern_command(update: Update, context: KopiContext) -> None:
    """/keresahan <text> in private: raise a concern; alone: the problem map, and a write button."""
    message = update.message
    if message is None:
        return
    _, rest = command_parts(message.text or "")
    if rest and only_hashtags(rest) is None:
        await private_concern(update, context, rest)
        return
    await private_command(concerns_here)(update, context)


async def concerns_here(
    update: Update, context: KopiContext, community: Community, text: str
) -> None:
    """The problem map of the person's community, with a button to raise a concern privately."""
    await list_concerns(
        update,
        context,
        community,
        text,
        extra=[button(context.t("capture.button.write_concern"), WriteConcern())],
    )


async def on_practice_command(update: Update, context: KopiContext) -> None:
    """/praktik <text> in private: save a good practice; alone or #tag: the community's list."""
    message = update.message
    if message is None:
        return
    _, rest = command_parts(message.text or "")
    if rest and only_hashtags(rest) is None:
        await private_practice(update, context, message)
        return
    await private_command(list_practices)(update, context)


IN_PRIVATE: dict[str, Run] = {
    "keresahan": concerns_here,
    "praktik": list_practices,
    "cari": run_search,
}


# ---------------------------------------------------------------------------- private concern


async def on_write_concern(update: Update, context: KopiContext, _: WriteConcern) -> None:
    """cp:pw — ask for the concern (the answer is taken by the conversation core)."""
    await answer(update)
    await ask_for_concern(update, context)


async def ask_for_concern(update: Update, context: KopiContext) -> None:
    """Ask for the concern to raise privately (the answer is taken by the conversation core)."""
    await ask(
        update,
        context,
        None,
        context.t("capture.private.ask"),
        kind=CONCERN_PROMPT,
        placeholder=context.t("capture.private.placeholder"),
    )


async def _answer_concern(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    async with context.db.begin() as session:
        await take_prompt(session, pending.id)
    await private_concern(update, context, text)


ANSWERS: dict[str, Answer] = {CONCERN_PROMPT: _answer_concern}


async def private_concern(update: Update, context: KopiContext, text: str) -> None:
    """Raise a concern in private: ask for it, or for the community and the name."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not has_words(parse(text).text):
        await ask_for_concern(update, context)
        return
    question = await concern_question(context, user.id)
    if question is None:
        await reply(update, context, context.t("private.no_community"))
        return
    text_, markup = question
    # The question replies to the teacher's message: the presses read the concern from there.
    await message.reply_text(text_, reply_markup=markup, do_quote=True)


async def concern_question(
    context: KopiContext, person_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    """Return the first question of a private concern (which community, or with a name?).

    None when the person belongs to no community. The question must be (or edit) a message that
    replies to the teacher's message: the presses read the concern from there.
    """
    async with context.db() as session:
        communities = await communities_of(session, person_id)
    if not communities:
        return None
    token = secrets.token_hex(8)
    if len(communities) == 1:
        return _anonymity_question(context, communities[0].id, communities[0].title, token)
    markup = keyboard(
        *[[button(c.title or "?", ConcernFor(c.id, token))] for c in communities[:20]],
        [button(context.t("capture.button.cancel"), CancelPrivate())],
    )
    return context.t("capture.private.which"), markup


def _anonymity_question(
    context: KopiContext, community_id: int, title: str, token: str
) -> tuple[str, InlineKeyboardMarkup]:
    markup = keyboard(
        [
            button(context.t("capture.button.anonymous"), SendConcern(community_id, "a", token)),
            button(context.t("capture.button.named"), SendConcern(community_id, "n", token)),
        ],
        [button(context.t("capture.button.cancel"), CancelPrivate())],
    )
    return context.t("capture.private.how", title=title), markup


async def on_private_community(update: Update, context: KopiContext, action: ConcernFor) -> None:
    """cp:pc:<community>:<token> — the community is chosen; now: with or without a name?"""
    query = update.callback_query
    if query is None:
        return
    community_id, token = action.community_id, action.token
    async with context.db() as session:
        mine = {c.id: c for c in await communities_of(session, query.from_user.id)}
    community = mine.get(community_id)
    if community is None:
        await answer(update, context.t("error.expired_button"))
        return
    await answer(update)
    text, markup = _anonymity_question(context, community.id, community.title, token)
    await query.edit_message_text(text, reply_markup=markup)


async def on_private_send(update: Update, context: KopiContext, action: SendConcern) -> None:
    """cp:pa:<community>:<a|n>:<token> — save the concern and post it to the group."""
    query = update.callback_query
    if query is None:
        return
    community_id, mode, token = action.community_id, action.mode, action.token
    question = query.message
    source = question.reply_to_message if isinstance(question, Message) else None
    if source is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    _, text = command_parts(source.text or source.caption or "")
    parsed = parse(text)
    # A photo or voice note offered from private chat (handlers/private.py) keeps its file.
    attachment = attachment_of(source)
    if not has_words(parsed.text) and attachment is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    anonymous = mode == "a"
    author = (
        Author(AuthorKind.ANONYMOUS)
        if anonymous
        else Author(AuthorKind.PERSON, person_id=query.from_user.id)
    )
    try:
        async with context.db.begin() as session:
            mine = {c.id: c for c in await communities_of(session, query.from_user.id)}
            community = mine.get(community_id)
            if community is None:
                raise Refusal(context.t("error.expired_button"))
            item_id = await capture(
                session,
                community.id,
                kind=Kind.CONCERN,
                text=parsed.text,
                tags=parsed.tags,
                author=author,
                now=context.now(),
                token=token,
                attachment=attachment,
            )
            item = await get_item(session, community.id, item_id) if item_id is not None else None
    except Refusal as refusal:
        await answer(update, refusal.text)
        return
    if item is None:
        await answer(update, context.t("capture.private.sent_before"))
        return
    key = "capture.private.sent_anonymous" if anonymous else "capture.private.sent_named"
    await answer(update)
    await query.edit_message_text(context.t(key, title=community.title))
    _post_to_group(context, community.chat_id, community.language, item)


def _post_to_group(context: KopiContext, chat_id: int, lang: str, item: CaptureItem) -> None:
    view = post_view(lang, item)

    async def post() -> None:
        await browse.send_view(context, chat_id, view)

    context.services.outbox.post(chat_id, post)


async def on_private_cancel(update: Update, context: KopiContext, _: CancelPrivate) -> None:
    """cp:px — the teacher changed their mind."""
    query = update.callback_query
    if query is None:
        return
    await answer(update)
    await query.edit_message_text(context.t("capture.cancelled"))


# ---------------------------------------------------------------------------- private practice


async def private_practice(update: Update, context: KopiContext, source: Message) -> None:
    """Save source as a good practice (asking for the community when there are several)."""
    user = update.effective_user
    if user is None:
        return
    async with context.db() as session:
        communities = await communities_of(session, user.id)
    if len(communities) == 1:
        await save_practice(update, context, source, communities[0].id)
        return
    if not communities:
        text, markup = context.t("private.no_community"), None
    else:
        text = context.t("private.which")
        markup = keyboard(
            *[[button(c.title or "?", PracticeFor(c.id))] for c in communities[:20]],
            [button(context.t("capture.button.cancel"), CancelPrivate())],
        )
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)
    else:
        await source.reply_text(text, reply_markup=markup, do_quote=True)


async def save_practice(
    update: Update, context: KopiContext, source: Message, community_id: int
) -> None:
    """Write the good practice (once per message), then say so."""
    user = update.effective_user
    if user is None:
        return
    _, text = command_parts(source.text or source.caption or "")
    parsed = parse(text)
    attachment = attachment_of(source)
    if not has_words(parsed.text) and attachment is None:
        await reply(update, context, context.t("capture.empty.practice"))
        return
    async with context.db.begin() as session:
        mine = {c.id: c for c in await communities_of(session, user.id)}
        community = mine.get(community_id)
        item_id = None
        if community is not None:
            item_id = await save_item(
                session,
                community.id,
                kind=Kind.PRACTICE,
                text=parsed.text,
                tags=parsed.tags,
                author=Author(AuthorKind.PERSON, person_id=user.id),
                now=context.now(),
                chat_id=source.chat_id,
                message_id=source.message_id,
                attachment=attachment,
            )
    if community is None:
        text = context.t("error.expired_button")
    elif item_id is None:
        text = context.t("private.saved_before")
    else:
        text = context.t("private.practice_saved", title=community.title)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.message.edit_text(text)
    else:
        await source.reply_text(text, do_quote=True)


# ---------------------------------------------------------------------------- wiring


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the private capture handlers (the group's are in handlers.capture)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        CommandHandler(list(CONCERN_COMMANDS), on_concern_command, private),
        CommandHandler(list(PRACTICE_COMMANDS), on_practice_command, private),
        on(WriteConcern, on_write_concern),
        on(ConcernFor, on_private_community),
        on(SendConcern, on_private_send),
        on(CancelPrivate, on_private_cancel),
    ]
