"""Capture: concerns (#keresahan) and good practices (#praktikbaik) from the group's own messages.

A capture is one transaction; its acknowledgement (a reaction, else a short reply) is handed to
the chat's outbox only after the commit, so a flood of captures is persisted at once and never
waits on Telegram's per-group send limit.

A concern raised in private may be anonymous. Such a concern is stored with no author id, no
private chat or message id, nothing but its text and a random token that makes a repeated press
harmless: neither a member nor a facilitator, nor kopi itself, can tell who wrote it.
"""

from __future__ import annotations

import logging
import re
import secrets

from telegram import ForceReply, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from handlers import capture_browse as browse
from handlers.capture_browse import (
    Redraw,
    View,
    answer,
    item_label,
    may_follow_up,
    on_button,
    post_view,
    redraw,
    search_view,
    show,
)
from handlers.common import (
    Refusal,
    button,
    is_facilitator,
    is_group,
    keyboard,
    reply,
    send,
    spec,
    thread_of,
)
from handlers.context import KopiContext
from handlers.texts import CATALOGS
from models.capture import (
    KIND_TAGS,
    Attachment,
    Author,
    AuthorKind,
    CaptureItem,
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
from models.community import communities_of, ensure_membership, upsert_person

log = logging.getLogger(__name__)

COMMANDS = [
    spec("keresahan", "cmd.concern", "private", "group", aliases=["concern"]),
    spec("praktik", "cmd.practice", "group", aliases=["practice"]),
    spec("simpan", "cmd.save", "group", aliases=["save"]),
    spec("cari", "cmd.search", "group", aliases=["search"]),
]
CONCERN_COMMANDS = ("keresahan", "concern")
PRACTICE_COMMANDS = ("praktik", "practice")

# Edits are followed in a handler group of their own, after group 0, so that an edited message is
# never taken from another feature's handlers (see bot/app.py).

REACTION = {Kind.CONCERN: "✍", Kind.PRACTICE: "👏"}


# ---------------------------------------------------------------------------- filters


class _CaptureHashtag(filters.MessageFilter):
    """A text or caption with a capturing hashtag (#keresahan, #praktikbaik ...)."""

    def filter(self, message: Message) -> bool:
        return parse(message.text or message.caption or "").kind is not None


def _plain(key: str, **values: str) -> list[re.Pattern[str]]:
    """Return patterns that match a text of kopi's as users' clients show it, in every language.

    Only texts without HTML are matched; placeholders become capture groups.
    """
    patterns = []
    for catalog in CATALOGS.values():
        template = re.escape(catalog[key])
        for name, pattern in values.items():
            template = template.replace(re.escape("{" + name + "}"), pattern)
        patterns.append(re.compile(template))
    return patterns


class _RepliesToKopi(filters.MessageFilter):
    """A message that answers one of kopi's messages whose text matches a pattern."""

    def __init__(self, name: str, patterns: list[re.Pattern[str]], *, full: bool) -> None:
        super().__init__(name=name)
        self.patterns = patterns
        self.full = full

    def filter(self, message: Message) -> bool:
        target = message.reply_to_message
        if target is None or target.from_user is None or not target.from_user.is_bot:
            return False
        try:
            if target.from_user.id != message.get_bot().id:
                return False
        except RuntimeError:
            return False
        text = target.text or ""
        if self.full:
            return any(p.fullmatch(text) for p in self.patterns)
        return any(p.search(text) for p in self.patterns)


ASK_CONCERN = _plain("capture.private.ask")
ASK_SEARCH = _plain("capture.search.ask")
NOTE_HINT = _plain("capture.note.hint", id=r"(\d+)")


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


def command_rest(text: str) -> tuple[str | None, str]:
    """Return the command (without / and @bot) a text starts with, and the text after it."""
    if not text.startswith("/"):
        return None, text
    head, _, rest = text.partition(" ")
    first_line, newline, more = head.partition("\n")
    if newline:
        rest = more + (" " + rest if rest else "")
    return first_line[1:].split("@", 1)[0].lower(), rest.strip()


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
    """/keresahan <text>: capture a concern; alone: the problem map (in private: raise one)."""
    message = update.message
    if message is None:
        return
    _, rest = command_rest(message.text or "")
    if not is_group(update):
        await private_concern(update, context, rest)
        return
    if rest and only_hashtags(rest) is None:
        await save_from(context, message, Kind.CONCERN, rest)
        return
    community = context.community
    if community is None:
        return
    async with context.db() as session:
        view = await browse.concerns_view(session, context.lang, community, 0, resolved=False)
    await show(update, context, view)


async def on_practice_command(update: Update, context: KopiContext) -> None:
    """/praktik <text>: capture a good practice; alone: the latest ones; /praktik #tag: filter."""
    message = update.message
    if message is None:
        return
    if not is_group(update):
        await reply(update, context, context.t("error.group_only"))
        return
    _, rest = command_rest(message.text or "")
    tags = only_hashtags(rest) if rest else []
    if tags is None:
        await save_from(context, message, Kind.PRACTICE, rest)
        return
    community = context.community
    if community is None:
        return
    tag = next((tag for tag in tags if tag not in KIND_TAGS), None)
    async with context.db() as session:
        view = await browse.practices_view(session, context.lang, community, 0, tag and tag[:24])
    await show(update, context, view)


async def on_edit(update: Update, context: KopiContext) -> None:
    """Follow an edited group message: update its item, or capture it if it now has a hashtag."""
    message = update.edited_message
    community = context.community
    if message is None or community is None:
        return
    raw = message.text or message.caption or ""
    command, rest = command_rest(raw)
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
            button(context.t("capture.button.as_concern"), f"cp:sv:c:{requester}"),
            button(context.t("capture.button.as_practice"), f"cp:sv:p:{requester}"),
        ],
        [button(context.t("capture.button.cancel"), f"cp:sx:{requester}")],
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


async def on_save_choice(update: Update, context: KopiContext) -> None:
    """cp:sv:<c|p>:<requester> — save the replied-to message, crediting its author."""
    query = update.callback_query
    community = context.community
    if query is None or query.data is None:
        return
    question = query.message
    if not isinstance(question, Message) or community is None:
        await answer(update, context.t("error.expired_button"))
        return
    _, _, code, requester = query.data.split(":")
    if query.from_user.id != int(requester) and not await is_facilitator(update, context):
        await answer(update, context.t("capture.save.not_yours"), alert=True)
        return
    original = question.reply_to_message
    if original is None:
        await answer(update, context.t("capture.save.gone"), alert=True)
        return
    kind = Kind.CONCERN if code == "c" else Kind.PRACTICE
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


async def on_save_cancel(update: Update, context: KopiContext) -> None:
    """cp:sx:<requester> — never mind."""
    query = update.callback_query
    if query is None or query.data is None or not isinstance(query.message, Message):
        return
    requester = int(query.data.split(":")[2])
    if query.from_user.id != requester and not await is_facilitator(update, context):
        await answer(update, context.t("capture.save.not_yours"), alert=True)
        return
    await answer(update)
    try:
        await query.message.delete()
    except BadRequest:
        await query.edit_message_text(context.t("capture.cancelled"))


# ---------------------------------------------------------------------------- private concern


async def private_concern(update: Update, context: KopiContext, text: str) -> None:
    """Start raising a concern in private: ask for it, or for the community and the name."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not has_words(text):
        await message.reply_text(
            context.t("capture.private.ask"),
            reply_markup=ForceReply(
                input_field_placeholder=context.t("capture.private.placeholder")
            ),
        )
        return
    question = await concern_question(context, user.id)
    if question is None:
        await reply(update, context, context.t("capture.private.no_community"))
        return
    text_, markup = question
    # The question replies to the teacher's message: the presses read the concern from there.
    await message.reply_text(text_, parse_mode=ParseMode.HTML, reply_markup=markup, do_quote=True)


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
        *[[button(c.title or "?", f"cp:pc:{c.id}:{token}")] for c in communities[:20]],
        [button(context.t("capture.button.cancel"), "cp:px")],
    )
    return context.t("capture.private.which"), markup


def _anonymity_question(
    context: KopiContext, community_id: int, title: str, token: str
) -> tuple[str, InlineKeyboardMarkup]:
    markup = keyboard(
        [
            button(context.t("capture.button.anonymous"), f"cp:pa:{community_id}:a:{token}"),
            button(context.t("capture.button.named"), f"cp:pa:{community_id}:n:{token}"),
        ],
        [button(context.t("capture.button.cancel"), "cp:px")],
    )
    return context.t("capture.private.how", title=title), markup


async def on_private_answer(update: Update, context: KopiContext) -> None:
    """A reply to kopi's "write your concern" prompt: carry on as /keresahan <text>."""
    message = update.message
    if message is None:
        return
    await private_concern(update, context, message.text or "")


async def on_private_community(update: Update, context: KopiContext) -> None:
    """cp:pc:<community>:<token> — the community is chosen; now: with or without a name?"""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, _, community_id, token = query.data.split(":")
    async with context.db() as session:
        mine = {c.id: c for c in await communities_of(session, query.from_user.id)}
    community = mine.get(int(community_id))
    if community is None:
        await answer(update, context.t("error.expired_button"))
        return
    await answer(update)
    text, markup = _anonymity_question(context, community.id, community.title, token)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_private_send(update: Update, context: KopiContext) -> None:
    """cp:pa:<community>:<a|n>:<token> — save the concern and post it to the group."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, _, community_id, mode, token = query.data.split(":")
    question = query.message
    source = question.reply_to_message if isinstance(question, Message) else None
    if source is None:
        await answer(update, context.t("capture.private.gone"), alert=True)
        return
    _, text = command_rest(source.text or source.caption or "")
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
            community = mine.get(int(community_id))
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


async def on_private_cancel(update: Update, context: KopiContext) -> None:
    """cp:px — the teacher changed their mind."""
    query = update.callback_query
    if query is None:
        return
    await answer(update)
    await query.edit_message_text(context.t("capture.cancelled"))


# ---------------------------------------------------------------------------- solution plan


async def on_note(update: Update, context: KopiContext) -> None:
    """A reply to a concern's detail: its author or a facilitator writes the solution plan."""
    message = update.message
    community = context.community
    if message is None or community is None or message.reply_to_message is None:
        return
    target = message.reply_to_message
    found = None
    for pattern in NOTE_HINT:
        found = pattern.search(target.text or "")
        if found:
            break
    note = (message.text or "").strip()
    if found is None:
        return
    if not note:
        hint(context, message, context.t("capture.note.empty"))
        return
    async with context.db() as session:
        item = await get_item(session, community.id, int(found.group(1)))
    if item is None or item.kind != Kind.CONCERN.value:
        hint(context, message, context.t("error.expired_button"))
        return
    if not await may_follow_up(update, context, item):
        hint(context, message, context.t("capture.follow_up_only"))
        return
    async with context.db.begin() as session:
        await set_note(session, item, note, context.now())
    hint(context, message, context.t("capture.note.saved", label=item_label(context.lang, item)))
    redraw(context, target, Redraw("d" + _back_of(target, item.id), item.id, thread_of(update)))


def _back_of(detail: Message, item_id: int) -> str:
    """Return where a detail message's back button leads (read from its vote button)."""
    markup = detail.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for pressed in row:
            data = pressed.callback_data
            if isinstance(data, str) and data.startswith(f"cp:v:{item_id}:d"):
                return data.split(":", 3)[3][1:]
    return "x"


# ---------------------------------------------------------------------------- search


async def on_search(update: Update, context: KopiContext) -> None:
    """/cari <words>: search this community's concerns and good practices."""
    message = update.message
    if message is None:
        return
    if not is_group(update):
        await reply(update, context, context.t("error.group_only"))
        return
    _, words = command_rest(message.text or "")
    if not words:
        await message.reply_text(
            context.t("capture.search.ask"),
            reply_markup=ForceReply(
                selective=True, input_field_placeholder=context.t("capture.search.placeholder")
            ),
            do_quote=True,
        )
        return
    await _search(update, context, words)


async def on_search_answer(update: Update, context: KopiContext) -> None:
    """A reply to kopi's "what are you looking for?" prompt."""
    message = update.message
    if message is not None:
        await _search(update, context, message.text or "")


async def _search(update: Update, context: KopiContext, words: str) -> None:
    community = context.community
    if community is None:
        return
    async with context.db() as session:
        view: View = await search_view(session, context.lang, community, words)
    await show(update, context, view)


# ---------------------------------------------------------------------------- wiring


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the capture handlers (commands, hashtags, /simpan, replies to kopi, buttons)."""
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        CommandHandler(["keresahan", "concern"], on_concern_command, filters.UpdateType.MESSAGE),
        CommandHandler(["praktik", "practice"], on_practice_command, filters.UpdateType.MESSAGE),
        CommandHandler(["simpan", "save"], on_save, filters.UpdateType.MESSAGE),
        CommandHandler(["cari", "search"], on_search, filters.UpdateType.MESSAGE),
        MessageHandler(
            groups & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND & _CaptureHashtag(),
            on_hashtag,
        ),
        MessageHandler(
            private
            & filters.TEXT
            & ~filters.COMMAND
            & _RepliesToKopi("concern prompt", ASK_CONCERN, full=True),
            on_private_answer,
        ),
        MessageHandler(
            groups
            & filters.TEXT
            & ~filters.COMMAND
            & _RepliesToKopi("search prompt", ASK_SEARCH, full=True),
            on_search_answer,
        ),
        MessageHandler(
            groups
            & filters.TEXT
            & ~filters.COMMAND
            & _RepliesToKopi("solution plan", NOTE_HINT, full=False),
            on_note,
        ),
        on_button(r"cp:sv:[cp]:\d{1,16}", on_save_choice),
        on_button(r"cp:sx:\d{1,16}", on_save_cancel),
        on_button(r"cp:pc:\d{1,9}:[0-9a-f]{16}", on_private_community),
        on_button(r"cp:pa:\d{1,9}:[an]:[0-9a-f]{16}", on_private_send),
        on_button(r"cp:px", on_private_cancel),
        *browse.build_handlers(),
    ]


# Edits of group messages with a text or caption: bot.app's EDITS group hands them to on_edit.
edit_filter = (
    filters.ChatType.GROUPS & filters.UpdateType.EDITED_MESSAGE & (filters.TEXT | filters.CAPTION)
)
