"""Capture: concerns (#keresahan) and good practices (#praktikbaik) from the group's own messages.

A capture is one transaction; its acknowledgement (a reaction, else a short reply) is handed to
the chat's outbox only after the commit, so a flood of captures is persisted at once and never
waits on Telegram's per-group send limit.

The lists and the search serve private chat too (handlers.capture_private, which also holds the
concerns and practices sent privately). A concern's solution plan is asked through the
conversation core (the card's "📝" button) or taken as a reply to the card, recognised by the
card's own buttons.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from handlers import capture_browse as browse
from handlers.callbacks import BigId, Payload, on
from handlers.capture_browse import (
    Plan,
    Redraw,
    View,
    Vote,
    answer,
    item_label,
    may_follow_up,
    redraw,
    redraw_at,
    search_view,
    show,
)
from handlers.common import (
    button,
    command_parts,
    is_facilitator,
    is_group,
    keyboard,
    reply,
    send,
    spec,
    thread_of,
)
from handlers.community_choice import pressed_community, private_command
from handlers.context import KopiContext
from handlers.conversation import Answer, ask
from models.capture import (
    KIND_TAGS,
    Attachment,
    Author,
    AuthorKind,
    Kind,
    NewItem,
    capture,
    capture_many,
    find_by_message,
    get_item,
    has_words,
    only_hashtags,
    parse,
    revise,
    set_note,
)
from models.community import Community, ensure_membership, upsert_person
from models.prompts import Prompt, take_prompt

log = logging.getLogger(__name__)

COMMANDS = [
    spec("keresahan", "cmd.concern", "private", "group", aliases=["concern"]),
    spec("praktik", "cmd.practice", "private", "group", aliases=["practice"]),
    spec("simpan", "cmd.save", "group", aliases=["save"]),
    spec("cari", "cmd.search", "private", "group", aliases=["search"]),
]
CONCERN_COMMANDS = ("keresahan", "concern")
PRACTICE_COMMANDS = ("praktik", "practice")


@dataclass(frozen=True)
class SaveAs(Payload, prefix="cp:sv"):
    """/simpan's choice: save the replied-to message as a concern (c) or a good practice (p)."""

    kind: Literal["c", "p"]
    requester: BigId


@dataclass(frozen=True)
class SaveCancel(Payload, prefix="cp:sx"):
    """/simpan: never mind."""

    requester: BigId


# Edits are followed in a handler group of their own, after group 0, so that an edited message is
# never taken from another feature's handlers (see bot/app.py).

REACTION = {Kind.CONCERN: "✍", Kind.PRACTICE: "👏"}


# ---------------------------------------------------------------------------- filters


class _CaptureHashtag(filters.MessageFilter):
    """A text or caption with a capturing hashtag (#keresahan, #praktikbaik ...)."""

    def filter(self, message: Message) -> bool:
        return parse(message.text or message.caption or "").kind is not None


# ---------------------------------------------------------------------------- helpers


def author_of(message: Message) -> Author:
    """Return who a message is credited to: a person, a channel, the group's anonymous admin."""
    sender_chat = message.sender_chat
    if sender_chat is not None:
        if sender_chat.id == message.chat.id:
            return Author(AuthorKind.GROUP_ADMIN)
        return Author(AuthorKind.CHANNEL, label=sender_chat.title or sender_chat.username)
    user = message.from_user
    if user is not None and not user.is_bot:
        return Author(AuthorKind.PERSON, person_id=user.id)
    return Author(AuthorKind.UNKNOWN)


def attachment_of(message: Message) -> Attachment | None:
    """Return the file a message carries, kept by its file_id."""
    if message.photo:
        return Attachment(message.photo[-1].file_id, "photo")
    if message.document is not None:
        return Attachment(message.document.file_id, "document", message.document.file_name)
    if message.video is not None:
        return Attachment(message.video.file_id, "video", message.video.file_name)
    if message.audio is not None:
        return Attachment(message.audio.file_id, "audio", message.audio.file_name)
    if message.voice is not None:
        return Attachment(message.voice.file_id, "voice")
    return None


def acknowledge(context: KopiContext, message: Message, kind: Kind) -> None:
    """React to a captured message once the chat's earlier sends are out (a reply if refused)."""
    chat_id, message_id = message.chat_id, message.message_id
    thread_id = message.message_thread_id if message.is_topic_message else None
    fallback = context.t(f"capture.saved.{kind.value}")

    async def react() -> None:
        try:
            await context.bot.set_message_reaction(chat_id, message_id, REACTION[kind])
        except BadRequest as error:
            # Reactions may be limited in this chat (or the message is gone): say it in words.
            log.info("reaction refused in chat %s: %s", chat_id, error.message)
            await send(
                context,
                chat_id,
                fallback,
                thread_id=thread_id,
                reply_parameters=ReplyParameters(message_id, allow_sending_without_reply=True),
            )
        except (Forbidden, ChatMigrated) as error:
            log.info("chat %s cannot take the acknowledgement: %s", chat_id, error)

    context.services.outbox.post(chat_id, react)


def hint(context: KopiContext, message: Message, text: str) -> None:
    """Answer a message in its chat through the outbox (nothing was saved, nothing waits)."""
    chat_id, message_id = message.chat_id, message.message_id
    thread_id = message.message_thread_id if message.is_topic_message else None

    async def answer() -> None:
        await send(
            context,
            chat_id,
            text,
            thread_id=thread_id,
            reply_parameters=ReplyParameters(message_id, allow_sending_without_reply=True),
        )

    context.services.outbox.post(chat_id, answer)


async def save_from(
    context: KopiContext,
    message: Message,
    kind: Kind,
    text: str,
    *,
    announce: bool = True,
) -> int | None:
    """Capture a group message as kind with text; acknowledge it; return the new item's id.

    Return None when there was nothing to save (a hint was given) or it was saved before.
    """
    community = context.community
    if community is None:
        return None
    parsed = parse(text)
    attachment = attachment_of(message)
    if not has_words(parsed.text) and attachment is None:
        hint(context, message, context.t(f"capture.empty.{kind.value}"))
        return None
    # Committed (with the captures of other chats arriving at the same time) before the ack.
    item_id = await context.services.writer("capture", capture_many).submit(
        NewItem(
            community.id,
            kind,
            parsed.text,
            tuple(parsed.tags),
            author_of(message),
            context.now(),
            chat_id=message.chat_id,
            message_id=message.message_id,
            attachment=attachment,
        )
    )
    if item_id is not None and announce:
        acknowledge(context, message, kind)
    return item_id


# ---------------------------------------------------------------------------- capturing


async def on_hashtag(update: Update, context: KopiContext) -> None:
    """Capture a group message whose text or caption carries #keresahan, #praktikbaik ..."""
    message = update.message
    if message is None:
        return
    raw = message.text or message.caption or ""
    kind = parse(raw).kind
    if kind is not None:
        await save_from(context, message, kind, raw)


async def on_concern_command(update: Update, context: KopiContext) -> None:
    """/keresahan <text> in a group: capture a concern; alone: the problem map."""
    message = update.message
    if message is None:
        return
    _, rest = command_parts(message.text or "")
    if rest and only_hashtags(rest) is None:
        await save_from(context, message, Kind.CONCERN, rest)
        return
    if context.community is not None:
        await list_concerns(update, context, context.community, rest)


async def on_practice_command(update: Update, context: KopiContext) -> None:
    """/praktik <text> in a group: capture a good practice; alone: the latest; #tag: filter."""
    message = update.message
    if message is None:
        return
    _, rest = command_parts(message.text or "")
    if rest and only_hashtags(rest) is None:
        await save_from(context, message, Kind.PRACTICE, rest)
        return
    if context.community is not None:
        await list_practices(update, context, context.community, rest)


async def on_edit(update: Update, context: KopiContext) -> None:
    """Follow an edited group message: update its item, or capture it if it now has a hashtag."""
    message = update.edited_message
    community = context.community
    if message is None or community is None:
        return
    raw = message.text or message.caption or ""
    command, rest = command_parts(raw)
    kind = (
        Kind.CONCERN
        if command in CONCERN_COMMANDS
        else Kind.PRACTICE
        if command in PRACTICE_COMMANDS
        else None
    )
    if command is not None and kind is None:
        return  # another command; not ours
    text = rest if kind is not None else raw
    parsed = parse(text)
    async with context.db.begin() as session:
        item = await find_by_message(session, community.id, message.chat_id, message.message_id)
        if item is not None:
            await revise(
                session,
                item,
                text=parsed.text,
                tags=parsed.tags,
                kind=kind or parsed.kind,
                now=context.now(),
            )
            return
    kind = kind or parsed.kind
    if kind is not None and (has_words(parsed.text) or attachment_of(message) is not None):
        await save_from(context, message, kind, text)


# ---------------------------------------------------------------------------- /simpan


async def on_save(update: Update, context: KopiContext) -> None:
    """/simpan in reply to a message: ask whether it is a concern or a good practice."""
    message = update.message
    user = update.effective_user
    if message is None:
        return
    if not is_group(update):
        await reply(update, context, context.t("error.group_only"))
        return
    target = message.reply_to_message
    if target is None or target.forum_topic_created is not None:
        await reply(update, context, context.t("capture.save.how"))
        return
    if target.from_user is not None and target.from_user.id == context.bot.id:
        await reply(update, context, context.t("capture.save.not_kopi"))
        return
    requester = user.id if user is not None else 0
    markup = keyboard(
        [
            button(context.t("capture.button.as_concern"), SaveAs("c", requester)),
            button(context.t("capture.button.as_practice"), SaveAs("p", requester)),
        ],
        [button(context.t("capture.button.cancel"), SaveCancel(requester))],
    )
    # The question replies to the message to save, so the press finds it (and its author, text
    # and file) in reply_to_message, with nothing kept in between.
    await send(
        context,
        message.chat_id,
        context.t("capture.save.ask"),
        thread_id=thread_of(update),
        markup=markup,
        reply_parameters=ReplyParameters(target.message_id, allow_sending_without_reply=True),
    )


async def on_save_choice(update: Update, context: KopiContext, action: SaveAs) -> None:
    """cp:sv:<c|p>:<requester> — save the replied-to message, crediting its author."""
    query = update.callback_query
    community = context.community
    if query is None or query.data is None:
        return
    question = query.message
    if not isinstance(question, Message) or community is None:
        await answer(update, context.t("error.expired_button"))
        return
    if query.from_user.id != action.requester and not await is_facilitator(update, context):
        await answer(update, context.t("capture.save.not_yours"), alert=True)
        return
    original = question.reply_to_message
    if original is None:
        await answer(update, context.t("capture.save.gone"), alert=True)
        return
    kind = Kind.CONCERN if action.kind == "c" else Kind.PRACTICE
    parsed = parse(original.text or original.caption or "")
    attachment = attachment_of(original)
    if not has_words(parsed.text) and attachment is None:
        await answer(update, context.t("capture.save.empty"), alert=True)
        return
    author = author_of(original)
    async with context.db.begin() as session:
        person = original.from_user
        if author.kind == AuthorKind.PERSON and person is not None:
            # The author may not have spoken since kopi joined: meet them now.
            await upsert_person(
                session,
                person.id,
                first_name=person.first_name,
                last_name=person.last_name,
                username=person.username,
                telegram_language=person.language_code,
            )
            await ensure_membership(session, community, person.id)
        item_id = await capture(
            session,
            community.id,
            kind=kind,
            text=parsed.text,
            tags=parsed.tags,
            author=author,
            now=context.now(),
            chat_id=original.chat_id,
            message_id=original.message_id,
            attachment=attachment,
        )
        if item_id is None:
            existing = await find_by_message(
                session, community.id, original.chat_id, original.message_id
            )
            item_id = existing.id if existing is not None else None
            saved_before = True
        else:
            saved_before = False
    await answer(
        update, context.t("capture.save.before" if saved_before else f"capture.saved.{kind.value}")
    )
    if item_id is not None:
        redraw(context, question, Redraw("dx", item_id, thread_of(update)))


async def on_save_cancel(update: Update, context: KopiContext, action: SaveCancel) -> None:
    """cp:sx:<requester> — never mind."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    if query.from_user.id != action.requester and not await is_facilitator(update, context):
        await answer(update, context.t("capture.save.not_yours"), alert=True)
        return
    await answer(update)
    try:
        await query.message.delete()
    except BadRequest:
        await query.edit_message_text(context.t("capture.cancelled"))


# ---------------------------------------------------------------------------- solution plan


PLAN_PROMPT = "capture.plan"


def card_item(message: Message) -> int | None:
    """Return the concern whose card (kopi's detail message) this is, read from its buttons."""
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for pressed in row:
            plan = Plan.parse(pressed.callback_data)
            if plan is not None:
                return plan.item_id
    return None


class _RepliesToCard(filters.MessageFilter):
    """A reply to one of kopi's concern cards (its solution plan)."""

    def filter(self, message: Message) -> bool:
        target = message.reply_to_message
        if target is None or target.from_user is None or not target.from_user.is_bot:
            return False
        try:
            if target.from_user.id != message.get_bot().id:
                return False
        except RuntimeError:
            return False
        return card_item(target) is not None


async def on_plan_button(update: Update, context: KopiContext, action: Plan) -> None:
    """cp:n:<id> — the author or a facilitator writes the concern's solution plan."""
    query = update.callback_query
    community = await pressed_community(update, context)
    if query is None or community is None:
        await answer(update, context.t("error.expired_button"))
        return
    item_id = action.item_id
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None or item.kind != Kind.CONCERN.value:
        await answer(update, context.t("error.expired_button"))
        return
    if not await may_follow_up(update, context, item):
        await answer(update, context.t("capture.follow_up_only"), alert=True)
        return
    await answer(update)
    card = query.message.message_id if isinstance(query.message, Message) else None
    await ask(
        update,
        context,
        community,
        context.t("capture.note.ask", label=item_label(context.lang, item)),
        kind=PLAN_PROMPT,
        target_id=item.id,
        payload=str(card) if card is not None else None,
    )


async def on_note(update: Update, context: KopiContext) -> None:
    """A reply to a concern's card: its author or a facilitator writes the solution plan."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    card = message.reply_to_message
    item_id = card_item(card)
    if item_id is not None:
        await _save_plan(update, context, item_id, (message.text or "").strip(), card.message_id)


async def _answer_plan(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    card = int(pending.payload) if pending.payload and pending.payload.isdigit() else None
    if pending.target_id is not None:
        await _save_plan(update, context, pending.target_id, text.strip(), card, pending)


async def _save_plan(
    update: Update,
    context: KopiContext,
    item_id: int,
    note: str,
    card: int | None,
    pending: Prompt | None = None,
) -> None:
    """Save a concern's solution plan (consuming the question it answers), then redraw its card."""
    message, community = update.message, context.community
    if message is None or community is None:
        return
    if not note:
        hint(context, message, context.t("capture.note.empty"))
        return
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None or item.kind != Kind.CONCERN.value:
        hint(context, message, context.t("error.expired_button"))
        return
    if not await may_follow_up(update, context, item):
        hint(context, message, context.t("capture.follow_up_only"))
        return
    async with context.db.begin() as session:
        if pending is not None and not await take_prompt(session, pending.id):
            return  # answered before (a redelivery)
        await set_note(session, item, note, context.now())
    hint(context, message, context.t("capture.note.saved", label=item_label(context.lang, item)))
    if card is not None:
        back = _back_of(card_message(message, card), item.id)
        redraw_at(context, message.chat_id, card, Redraw("d" + back, item.id, thread_of(update)))


def card_message(message: Message, card: int) -> Message | None:
    """Return the card a message replies to, when it is that card."""
    target = message.reply_to_message
    return target if target is not None and target.message_id == card else None


def _back_of(detail: Message | None, item_id: int) -> str:
    """Return where a detail message's back button leads (read from its vote button)."""
    markup = detail.reply_markup if detail is not None else None
    for row in markup.inline_keyboard if markup is not None else ():
        for pressed in row:
            vote = Vote.parse(pressed.callback_data)
            if vote is not None and vote.item_id == item_id and vote.here.startswith("d"):
                return vote.here[1:]
    return "x"


# ---------------------------------------------------------------------------- lists and search


async def list_concerns(
    update: Update,
    context: KopiContext,
    community: Community,
    text: str,
    *,
    extra: list[InlineKeyboardButton] | None = None,
) -> None:
    """Show the problem map (open concerns), with extra buttons under it."""
    async with context.db() as session:
        view = await browse.concerns_view(session, context.lang, community, 0, resolved=False)
    if extra:
        rows = list(view.markup.inline_keyboard) if view.markup is not None else []
        view = View(view.parts, InlineKeyboardMarkup([*rows, extra]))
    await show(update, context, view)


async def list_practices(
    update: Update, context: KopiContext, community: Community, text: str
) -> None:
    """Show the latest good practices; with a #tag, those tagged so."""
    tags = only_hashtags(text) if text else []
    tag = next((tag for tag in tags or [] if tag not in KIND_TAGS), None)
    async with context.db() as session:
        view = await browse.practices_view(session, context.lang, community, 0, tag and tag[:24])
    await show(update, context, view)


SEARCH_PROMPT = "capture.search"


async def run_search(
    update: Update, context: KopiContext, community: Community, words: str
) -> None:
    """/cari <words>: search the community's concerns and good practices; alone: ask for words."""
    if not words.strip():
        await ask(
            update,
            context,
            community,
            context.t("capture.search.ask"),
            kind=SEARCH_PROMPT,
            placeholder=context.t("capture.search.placeholder"),
        )
        return
    async with context.db() as session:
        view: View = await search_view(session, context.lang, community, words)
    await show(update, context, view)


async def _answer_search(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    async with context.db.begin() as session:
        taken = await take_prompt(session, pending.id)
    if taken and context.community is not None:
        await run_search(update, context, context.community, text)


ANSWERS: dict[str, Answer] = {SEARCH_PROMPT: _answer_search, PLAN_PROMPT: _answer_plan}


# ---------------------------------------------------------------------------- wiring


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the group's capture handlers (commands, hashtags, /simpan, plans, buttons)."""
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    return [
        CommandHandler(list(CONCERN_COMMANDS), on_concern_command, groups),
        CommandHandler(list(PRACTICE_COMMANDS), on_practice_command, groups),
        CommandHandler(["simpan", "save"], on_save, filters.UpdateType.MESSAGE),
        CommandHandler(["cari", "search"], private_command(run_search), filters.UpdateType.MESSAGE),
        MessageHandler(
            groups & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND & _CaptureHashtag(),
            on_hashtag,
        ),
        MessageHandler(groups & filters.TEXT & ~filters.COMMAND & _RepliesToCard(), on_note),
        on(SaveAs, on_save_choice),
        on(SaveCancel, on_save_cancel),
        on(Plan, on_plan_button),
        *browse.build_handlers(),
    ]


# Edits of group messages with a text or caption: bot.app's EDITS group hands them to on_edit.
edit_filter = (
    filters.ChatType.GROUPS & filters.UpdateType.EDITED_MESSAGE & (filters.TEXT | filters.CAPTION)
)
