"""The problem map and the good practices: lists, detail, votes, status, links, hiding, search.

Every view is rendered from the database when it is shown. Buttons carry what they show
(callback data ``cp:...``, at most 64 bytes) and the intended state where there is one (status,
link, hidden), so that a replayed press changes nothing; the one toggle ("🙋 Saya juga") is made
replay-safe by remembering the press that last changed it.

Views (a short code that travels in callback data):
``o<page>`` open concerns, ``r<page>`` resolved concerns, ``p<page>`` or ``p<page>.<tag>`` good
practices, ``x`` nowhere in particular, ``n`` the post announcing a concern; ``d<view>`` is the
detail of an item opened from that view.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler

from handlers.callbacks import Payload, on
from handlers.callbacks import answer as answer  # the features' too
from handlers.callbacks import expired as expired
from handlers.common import (
    button,
    in_turn,
    is_facilitator,
    keyboard,
    not_modified,
    send,
    thread_of,
)
from handlers.community_choice import pressed_community
from handlers.context import KopiContext
from handlers.texts import format_date, t
from models.capture import (
    AuthorKind,
    CaptureItem,
    Kind,
    Status,
    get_item,
    linked_ids,
    linked_items,
    list_concerns,
    list_practices,
    search,
    search_terms,
    set_hidden,
    set_link,
    set_status,
    toggle_vote,
)
from models.community import Community
from models.lengths import utf16_len

log = logging.getLogger(__name__)

PAGE = 5
LIST_CLIP = 140  # characters of an item in a list
MESSAGE_UNITS = 4096  # Telegram counts UTF-16 code units
CAPTION_UNITS = 1024
CHUNK_UNITS = 3500  # of user text per message, leaving room for the header and footer

ICON = {Kind.CONCERN.value: "💭", Kind.PRACTICE.value: "🌱"}
STATUS_ICON = {Status.NEW.value: "🆕", Status.DISCUSSED.value: "💬", Status.RESOLVED.value: "✅"}
STATUS_CODE: dict[Literal["b", "d", "s"], Status] = {
    "b": Status.NEW,
    "d": Status.DISCUSSED,
    "s": Status.RESOLVED,
}
CODE_OF_STATUS = {status.value: code for code, status in STATUS_CODE.items()}
VIEW = re.compile(r"^(?:[or]\d{1,4}|p\d{1,4}(?:\.\w{1,24})?|x|n)$")


# ---------------------------------------------------------------------------- text helpers


# ---------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class ListPage(Payload, prefix="cp:l"):
    """Show a page of a list (a view code: o0, r1, p0.tag ...)."""

    view: str


@dataclass(frozen=True)
class Detail(Payload, prefix="cp:d"):
    """Open an item in full; back: the view its back button leads to."""

    item_id: int
    back: str


@dataclass(frozen=True)
class Vote(Payload, prefix="cp:v"):
    """ "🙋 Saya juga": turn the presser's vote on or off; here: the view pressed on."""

    item_id: int
    here: str


@dataclass(frozen=True)
class SetStatus(Payload, prefix="cp:s"):
    """Move a concern to a status (b new, d discussed, s resolved): the button says which."""

    item_id: int
    status: Literal["b", "d", "s"]
    back: str


@dataclass(frozen=True)
class Hide(Payload, prefix="cp:h"):
    """Hide an off-topic item, or show it again."""

    item_id: int
    hide: bool
    back: str


@dataclass(frozen=True)
class Picker(Payload, prefix="cp:k"):
    """Choose the good practices that address a concern (a page of them)."""

    item_id: int
    page: int


@dataclass(frozen=True)
class Link(Payload, prefix="cp:kl"):
    """Link a good practice to a concern, or unlink it: the button says which."""

    concern_id: int
    practice_id: int
    linked: bool
    page: int


@dataclass(frozen=True)
class File(Payload, prefix="cp:f"):
    """Send an item's file again."""

    item_id: int


@dataclass(frozen=True)
class Plan(Payload, prefix="cp:n"):
    """Write a concern's solution plan (handlers.capture asks for it)."""

    item_id: int


def _prefix(text: str, limit: int) -> str:
    """Return the longest start of text that fits limit UTF-16 units."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > limit:
            return text[:index]
    return text


def clip(text: str, limit: int) -> str:
    """Return text on one line, cut to at most limit UTF-16 units with an ellipsis."""
    text = " ".join(text.split())
    if utf16_len(text) <= limit:
        return text
    return _prefix(text, limit - 1).rstrip() + "…"


def chunks(text: str, limit: int = CHUNK_UNITS) -> list[str]:
    """Split a user's text into pieces of at most limit UTF-16 units, at line breaks or spaces."""
    pieces: list[str] = []
    while utf16_len(text) > limit:
        end = max(len(_prefix(text, limit)), 1)
        cut = text.rfind("\n", 0, end)
        if cut <= 0:
            cut = text.rfind(" ", 0, end)
        if cut <= 0:
            cut = end
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    if text or not pieces:
        pieces.append(text)
    return pieces


def esc(text: str) -> str:
    """Return a user's text escaped for HTML."""
    return html.escape(text, quote=False)


def short_date(moment: datetime, timezone: str) -> str:
    """Return a date as dd/mm/yy in the community's zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%y")


def author_name(lang: str, item: CaptureItem) -> str:
    """Return who an item is credited to, as shown (not escaped)."""
    kind = item.author_kind
    if kind == AuthorKind.PERSON.value:
        return item.author.full_name if item.author is not None else t(lang, "capture.author.gone")
    if kind == AuthorKind.CHANNEL.value and item.author_label:
        return item.author_label
    return t(lang, f"capture.author.{kind}")


def item_label(lang: str, item: CaptureItem) -> str:
    """Return 'Keresahan No. 12' / 'Good practice No. 7'."""
    return t(lang, f"capture.label.{item.kind}", id=item.id)


def body_or_file(lang: str, item: CaptureItem) -> str:
    """Return an item's text, or a word for its file when it has no text."""
    if item.text:
        return item.text
    return t(lang, f"capture.file.{item.file_kind or 'document'}")


# ---------------------------------------------------------------------------- views


@dataclass
class View:
    """A rendered view: one or more message texts (HTML) and the buttons of the last one."""

    parts: list[str]
    markup: InlineKeyboardMarkup | None

    @property
    def text(self) -> str:
        return self.parts[-1]


def parse_view(code: str) -> tuple[str, int, str | None]:
    """Return (list kind o/r/p/x/n, page, tag) of a view code."""
    if not VIEW.match(code):
        return "x", 0, None
    if code in ("x", "n"):
        return code, 0, None
    head, _, tag = code.partition(".")
    return head[0], int(head[1:]), tag or None


def list_code(kind: str, page: int, tag: str | None = None) -> str:
    """Return the view code of a list page."""
    return f"{kind}{page}" + (f".{tag}" if tag else "")


def nav_row(
    lang: str, kind: str, page: int, pages: int, tag: str | None = None
) -> list[InlineKeyboardButton]:
    """Return ◀️/▶️ buttons to the neighbouring pages."""
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(
            button(t(lang, "capture.button.previous"), ListPage(list_code(kind, page - 1, tag)))
        )
    if page + 1 < pages:
        row.append(button(t(lang, "capture.button.next"), ListPage(list_code(kind, page + 1, tag))))
    return row


async def concerns_view(
    session: AsyncSession, lang: str, community: Community, page: int, *, resolved: bool
) -> View:
    """Render a page of the problem map (open concerns, most 'saya juga' first) or of the
    resolved concerns."""
    kind = "r" if resolved else "o"
    items, total = await list_concerns(
        session, community.id, resolved=resolved, offset=page * PAGE, limit=PAGE
    )
    pages = max((total + PAGE - 1) // PAGE, 1)
    if not items and page > 0:
        return await concerns_view(session, lang, community, 0, resolved=resolved)
    other = "o0" if resolved else "r0"
    switch = [
        button(
            t(lang, f"capture.button.show_{'open' if resolved else 'resolved'}"), ListPage(other)
        )
    ]
    if not items:
        key = "capture.list.resolved_empty" if resolved else "capture.list.empty"
        return View([t(lang, key)], keyboard(switch))
    lines = [
        t(
            lang,
            "capture.list.resolved_title" if resolved else "capture.list.title",
            title=community.title,
            page=page + 1,
            pages=pages,
        ),
        "",
    ]
    for number, item in enumerate(items, start=1):
        lines.append(
            t(
                lang,
                "capture.list.concern",
                number=number,
                status=STATUS_ICON.get(item.status, ""),
                text=clip(body_or_file(lang, item), LIST_CLIP),
                votes=item.votes,
                author=author_name(lang, item),
                date=short_date(item.created_at, community.timezone),
            )
        )
    here = list_code(kind, page)
    votes = [
        button(t(lang, "capture.button.vote_n", number=n), Vote(item.id, here))
        for n, item in enumerate(items, start=1)
    ]
    details = [
        button(t(lang, "capture.button.detail_n", number=n), Detail(item.id, here))
        for n, item in enumerate(items, start=1)
    ]
    rows = [
        votes if not resolved else [],
        details,
        nav_row(lang, kind, page, pages),
        switch,
    ]
    return View(["\n".join(lines)], keyboard(*rows))


async def practices_view(
    session: AsyncSession, lang: str, community: Community, page: int, tag: str | None
) -> View:
    """Render a page of good practices (latest first), optionally those with a tag."""
    items, total = await list_practices(
        session, community.id, tag=tag, offset=page * PAGE, limit=PAGE
    )
    pages = max((total + PAGE - 1) // PAGE, 1)
    if not items and page > 0:
        return await practices_view(session, lang, community, 0, tag)
    if not items:
        if tag:
            return View([t(lang, "capture.practices.empty_tag", tag=tag)], None)
        return View([t(lang, "capture.practices.empty")], None)
    key = "capture.practices.title_tag" if tag else "capture.practices.title"
    lines = [t(lang, key, title=community.title, tag=tag or "", page=page + 1, pages=pages), ""]
    for number, item in enumerate(items, start=1):
        tags = " ".join(f"#{tag_}" for tag_ in item.tags)
        lines.append(
            t(
                lang,
                "capture.practices.item",
                number=number,
                file="📎 " if item.file_id else "",
                text=clip(body_or_file(lang, item), LIST_CLIP),
                author=author_name(lang, item),
                date=short_date(item.created_at, community.timezone),
                tags=(" · " + tags) if tags else "",
            )
        )
    here = list_code("p", page, tag)
    details = [
        button(t(lang, "capture.button.detail_n", number=n), Detail(item.id, here))
        for n, item in enumerate(items, start=1)
    ]
    return View(["\n".join(lines)], keyboard(details, nav_row(lang, "p", page, pages, tag)))


async def list_view(session: AsyncSession, lang: str, community: Community, code: str) -> View:
    """Render the list a view code names."""
    kind, page, tag = parse_view(code)
    if kind == "p":
        return await practices_view(session, lang, community, page, tag)
    return await concerns_view(session, lang, community, page, resolved=kind == "r")


async def detail_view(
    session: AsyncSession, lang: str, community: Community, item: CaptureItem, back: str
) -> View:
    """Render an item whole (split over several messages when it is long), with its actions."""
    head = [t(lang, "capture.detail.head", icon=ICON[item.kind], label=item_label(lang, item))]
    if item.kind == Kind.CONCERN.value:
        head.append(
            t(
                lang,
                "capture.detail.status",
                icon=STATUS_ICON.get(item.status, ""),
                status=t(lang, f"capture.status.{item.status}"),
                votes=item.votes,
            )
        )
    head.append(
        t(
            lang,
            "capture.detail.by",
            author=author_name(lang, item),
            date=format_date(lang, item.created_at, community.timezone),
        )
    )
    if item.tags:
        head.append(" ".join(f"#{esc(tag)}" for tag in item.tags))
    if item.file_id:
        head.append(t(lang, f"capture.file.{item.file_kind or 'document'}"))
    blocks: list[str] = ["\n".join(head)]
    if item.text:
        blocks.extend(esc(piece) for piece in chunks(item.text))
    if item.note:
        pieces = chunks(item.note)
        blocks.append(t(lang, "capture.detail.note") + "\n" + esc(pieces[0]))
        blocks.extend(esc(piece) for piece in pieces[1:])
    related = await linked_items(session, item)
    if related:
        key = (
            "capture.detail.practices"
            if item.kind == Kind.CONCERN.value
            else "capture.detail.concerns"
        )
        lines = [t(lang, key)]
        lines += [
            t(
                lang,
                "capture.detail.link",
                label=item_label(lang, other),
                text=clip(body_or_file(lang, other), 80),
            )
            for other in related[:10]
        ]
        blocks.append("\n".join(lines))
    if item.kind == Kind.CONCERN.value:
        blocks.append(t(lang, "capture.note.hint", id=item.id))
    parts = pack(blocks)

    rows: list[list[InlineKeyboardButton]] = []
    here = "d" + back
    if item.kind == Kind.CONCERN.value:
        rows.append([button(t(lang, "capture.button.vote", votes=item.votes), Vote(item.id, here))])
        rows.append(
            [
                button(t(lang, f"capture.button.status_{code}"), SetStatus(item.id, code, back))
                for code, status in STATUS_CODE.items()
                if status.value != item.status
            ]
        )
        rows.append(
            [
                button(t(lang, "capture.button.plan"), Plan(item.id)),
                button(t(lang, "capture.button.link"), Picker(item.id, 0)),
                button(t(lang, "capture.button.hide"), Hide(item.id, True, back)),
            ]
        )
    else:
        rows.append([button(t(lang, "capture.button.hide"), Hide(item.id, True, back))])
    if item.file_id:
        rows.append([button(t(lang, "capture.button.file"), File(item.id))])
    rows.append([back_button(lang, item, back)])
    return View(parts, keyboard(*rows))


def back_button(lang: str, item: CaptureItem, back: str) -> InlineKeyboardButton:
    """Return the button that leads back to where an item was opened (or to its list)."""
    if back in ("x", "n"):
        target = "o0" if item.kind == Kind.CONCERN.value else "p0"
        key = (
            "capture.button.map" if item.kind == Kind.CONCERN.value else "capture.button.practices"
        )
        return button(t(lang, key), ListPage(target))
    return button(t(lang, "capture.button.back"), ListPage(back))


def pack(blocks: list[str], limit: int = MESSAGE_UNITS) -> list[str]:
    """Join blocks with blank lines into as few messages as fit."""
    parts: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if current and utf16_len(_visible_text(candidate)) > limit:
            parts.append(current)
            current = block
        else:
            current = candidate
    parts.append(current)
    return parts


def _visible_text(markup: str) -> str:
    # What Telegram counts: the text once tags are removed and entities decoded.
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def post_view(lang: str, item: CaptureItem) -> View:
    """Render the group post of a concern raised in private (with or without a name)."""
    if item.author_kind == AuthorKind.ANONYMOUS.value:
        head = t(lang, "capture.post.anonymous", label=item_label(lang, item))
    else:
        head = t(
            lang, "capture.post.named", label=item_label(lang, item), author=author_name(lang, item)
        )
    parts = pack([head, *(esc(piece) for piece in chunks(item.text))])
    markup = keyboard(
        [
            button(t(lang, "capture.button.vote", votes=item.votes), Vote(item.id, "n")),
            button(t(lang, "capture.button.detail"), Detail(item.id, "x")),
        ]
    )
    return View(parts, markup)


def hidden_view(lang: str, item: CaptureItem, back: str) -> View:
    """Render what replaces an item's detail once a facilitator hid it."""
    return View(
        [t(lang, "capture.hidden", label=item_label(lang, item))],
        keyboard(
            [button(t(lang, "capture.button.unhide"), Hide(item.id, False, back))],
            [back_button(lang, item, back)],
        ),
    )


async def picker_view(
    session: AsyncSession, lang: str, community: Community, concern: CaptureItem, page: int
) -> View:
    """Render the good practices that may be linked to a concern, with ➕/✅ toggles."""
    items, total = await list_practices(
        session, community.id, tag=None, offset=page * PAGE, limit=PAGE
    )
    if not items:
        return View(
            [t(lang, "capture.link.none", label=item_label(lang, concern))],
            keyboard([button(t(lang, "capture.button.back"), Detail(concern.id, "x"))]),
        )
    pages = max((total + PAGE - 1) // PAGE, 1)
    linked = await linked_ids(session, concern.id)
    lines = [
        t(lang, "capture.link.title", label=item_label(lang, concern), page=page + 1, pages=pages),
        "",
    ]
    toggles: list[InlineKeyboardButton] = []
    for number, item in enumerate(items, start=1):
        on = item.id in linked
        lines.append(
            t(
                lang,
                "capture.link.item",
                number=number,
                mark="✅" if on else "▫️",
                text=clip(body_or_file(lang, item), LIST_CLIP),
            )
        )
        toggles.append(
            button(
                t(
                    lang,
                    "capture.button.unlink_n" if on else "capture.button.link_n",
                    number=number,
                ),
                Link(concern.id, item.id, not on, page),
            )
        )
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(button(t(lang, "capture.button.previous"), Picker(concern.id, page - 1)))
    if page + 1 < pages:
        nav.append(button(t(lang, "capture.button.next"), Picker(concern.id, page + 1)))
    done = [button(t(lang, "capture.button.done"), Detail(concern.id, "x"))]
    return View(["\n".join(lines)], keyboard(toggles, nav, done))


async def search_view(session: AsyncSession, lang: str, community: Community, words: str) -> View:
    """Render the community's items that match the words."""
    terms = search_terms(words)
    if not terms:
        return View([t(lang, "capture.search.nothing_to_find")], None)
    items = await search(session, community.id, words, limit=PAGE * 2)
    shown = clip(" ".join(terms), 60)
    if not items:
        return View([t(lang, "capture.search.none", words=shown)], None)
    lines = [t(lang, "capture.search.title", words=shown, count=len(items)), ""]
    for number, item in enumerate(items, start=1):
        what = t(lang, f"capture.kind.{item.kind}")
        if item.kind == Kind.CONCERN.value:
            what += " · " + t(lang, f"capture.status.{item.status}")
        lines.append(
            t(
                lang,
                "capture.search.item",
                number=number,
                icon=ICON[item.kind],
                text=clip(body_or_file(lang, item), LIST_CLIP),
                what=what,
            )
        )
    buttons = [
        button(t(lang, "capture.button.detail_n", number=n), Detail(item.id, "x"))
        for n, item in enumerate(items, start=1)
    ]
    return View(["\n".join(lines)], keyboard(buttons[:PAGE], buttons[PAGE:]))


# ---------------------------------------------------------------------------- showing


async def show(update: Update, context: KopiContext, view: View) -> None:
    """Send a view in the chat of an update (all its parts; buttons on the last); in a group
    through its outbox, as common.reply does."""
    chat = update.effective_chat
    if chat is None:
        return
    chat_id, thread_id = chat.id, thread_of(update)

    async def send_it() -> Message | None:
        return await send_view(context, chat_id, view, thread_id=thread_id)

    if not in_turn(context, chat_id, send_it):
        await send_it()


async def send_view(
    context: KopiContext, chat_id: int, view: View, *, thread_id: int | None = None
) -> Message | None:
    """Send a view to a chat; return the last message sent."""
    sent: Message | None = None
    for index, part in enumerate(view.parts):
        last = index == len(view.parts) - 1
        sent = await send(
            context, chat_id, part, thread_id=thread_id, markup=view.markup if last else None
        )
        if sent is None:
            break
    return sent


@dataclass
class Redraw:
    """A view waiting to be drawn (again) on a message of kopi's."""

    view: str  # a list code; "d<back>" a detail, "n" a post, "k<page>" a picker (with item_id)
    item_id: int | None = None
    thread_id: int | None = None
    # Asked for by a press that opens the view: a view too long for one message is then sent
    # whole as new messages; a redraw after a vote only brings the buttons up to date.
    fresh: bool = False
    # Filled in by redraw(): whose view it is, and in which language (a private chat's, else the
    # community's).
    community_id: int | None = None
    lang: str | None = None


def redraw(context: KopiContext, message: Message, redraw_: Redraw) -> None:
    """Have a message of kopi's show a view of the context's community again (see redraw_at)."""
    redraw_at(context, message.chat_id, message.message_id, redraw_)


def redraw_at(context: KopiContext, chat_id: int, message_id: int, redraw_: Redraw) -> None:
    """Have a message of kopi's show a view again, through the chat's outbox.

    Presses come faster than a group may be written to (20 messages a minute): a message with a
    redraw already queued is drawn once, with the latest view asked for and the state of then.
    """
    community = context.community
    if community is None:
        return
    redraw_.community_id = community.id
    redraw_.lang = context.lang if chat_id > 0 else None  # private chats' ids are positive
    pending = context.services.renders
    key = (chat_id, message_id)
    queued = key in pending
    if queued:
        redraw_.fresh = redraw_.fresh or pending[key].fresh
    pending[key] = redraw_
    if not queued:
        context.services.outbox.post(chat_id, lambda: _redraw_now(context, key))


async def _redraw_now(context: KopiContext, key: tuple[int, int]) -> None:
    wanted = context.services.renders.pop(key, None)
    if wanted is None or wanted.community_id is None:
        return
    chat_id, message_id = key
    async with context.db() as session:
        community = await session.get(Community, wanted.community_id)
        if community is None or not community.active:
            return
        lang = wanted.lang or community.language
        view = await _render(session, lang, community, wanted)
    if view is None:
        return
    try:
        if len(view.parts) > 1 and wanted.fresh:
            await send_view(context, chat_id, view, thread_id=wanted.thread_id)
        elif len(view.parts) > 1:
            await context.bot.edit_message_reply_markup(
                chat_id, message_id, reply_markup=view.markup
            )
        else:
            await context.bot.edit_message_text(
                view.text,
                chat_id,
                message_id,
                reply_markup=view.markup,
            )
    except BadRequest as error:
        if not not_modified(error):
            log.info(
                "redrawing message %s in chat %s failed: %s", message_id, chat_id, error.message
            )


async def _render(
    session: AsyncSession, lang: str, community: Community, wanted: Redraw
) -> View | None:
    code = wanted.view
    if wanted.item_id is None:
        return await list_view(session, lang, community, code)
    item = await get_item(session, community.id, wanted.item_id, hidden=True)
    if item is None:
        return None
    if code.startswith("k"):
        return await picker_view(session, lang, community, item, int(code[1:] or 0))
    back = code[1:] if code.startswith("d") else "x"
    if item.hidden:
        return hidden_view(lang, item, back)
    if code == "n":
        return post_view(lang, item)
    return await detail_view(session, lang, community, item, back)


# ---------------------------------------------------------------------------- callbacks


async def _pressed(update: Update, context: KopiContext) -> tuple[Message, Community] | None:
    """Return kopi's message that was pressed and the community it is about."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    community = await pressed_community(update, context)
    if community is None:
        return None
    return query.message, community


async def may_follow_up(update: Update, context: KopiContext, item: CaptureItem) -> bool:
    """Return whether the sender is the item's author or a facilitator."""
    user = update.effective_user
    if (
        user is not None
        and item.author_kind == AuthorKind.PERSON.value
        and item.author_id == user.id
    ):
        return True
    return await is_facilitator(update, context)


async def on_list(update: Update, context: KopiContext, action: ListPage) -> None:
    """cp:l:<view> — show a page of a list."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, _ = pressed
    await answer(update)
    redraw(context, message, Redraw(action.view, None, thread_of(update), fresh=True))


async def on_detail(update: Update, context: KopiContext, action: Detail) -> None:
    """cp:d:<id>:<back> — open an item in full."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id, back = action.item_id, action.back
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None:
        await expired(update, context)
        return
    await answer(update)
    redraw(context, message, Redraw("d" + back, item.id, thread_of(update), fresh=True))


async def on_vote(update: Update, context: KopiContext, action: Vote) -> None:
    """cp:v:<id>:<here> — "🙋 Saya juga": turn the presser's vote on or off."""
    pressed = await _pressed(update, context)
    query = update.callback_query
    if pressed is None or query is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id, here = action.item_id, action.here
    async with context.db.begin() as session:
        item = await get_item(session, community.id, item_id)
        voted = None
        if item is not None and item.kind == Kind.CONCERN.value:
            voted = await toggle_vote(session, item, query.from_user.id, query.id)
    if item is None or voted is None:
        await expired(update, context)
        return
    await answer(
        update, context.t(f"capture.vote.{'added' if voted else 'removed'}", votes=item.votes)
    )
    on_item = here.startswith("d") or here == "n"
    redraw(context, message, Redraw(here, item.id if on_item else None, thread_of(update)))


async def on_status(update: Update, context: KopiContext, action: SetStatus) -> None:
    """cp:s:<id>:<b|d|s>:<back> — the author or a facilitator moves a concern along."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id, back = action.item_id, action.back
    status = STATUS_CODE[action.status]
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None or item.kind != Kind.CONCERN.value:
        await expired(update, context)
        return
    if not await may_follow_up(update, context, item):
        await answer(update, context.t("capture.follow_up_only"), alert=True)
        return
    async with context.db.begin() as session:
        found = await get_item(session, community.id, item.id)
        if found is not None:
            await set_status(session, found, status, context.now())
    if found is None:
        await expired(update, context)
        return
    await answer(
        update,
        context.t("capture.status.changed", status=context.t(f"capture.status.{status.value}")),
    )
    redraw(context, message, Redraw("d" + back, item.id, thread_of(update)))


async def on_hide(update: Update, context: KopiContext, action: Hide) -> None:
    """cp:h:<id>:<1|0>:<back> — a facilitator hides an off-topic item (or shows it again)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id, hide, back = action.item_id, action.hide, action.back
    if not await is_facilitator(update, context):
        await answer(update, context.t("error.facilitator_only"), alert=True)
        return
    async with context.db.begin() as session:
        item = await get_item(session, community.id, item_id, hidden=True)
        if item is not None:
            await set_hidden(session, item, hide, context.now())
    if item is None:
        await expired(update, context)
        return
    await answer(update, context.t("capture.hide.done" if hide else "capture.hide.undone"))
    redraw(context, message, Redraw("d" + back, item.id, thread_of(update)))


async def on_picker(update: Update, context: KopiContext, action: Picker) -> None:
    """cp:k:<id>:<page> — choose the good practices that address a concern."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id, page = action.item_id, action.page
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None or item.kind != Kind.CONCERN.value:
        await expired(update, context)
        return
    if not await may_follow_up(update, context, item):
        await answer(update, context.t("capture.follow_up_only"), alert=True)
        return
    await answer(update)
    redraw(context, message, Redraw(f"k{page}", item.id, thread_of(update), fresh=True))


async def on_link(update: Update, context: KopiContext, action: Link) -> None:
    """cp:kl:<concern>:<practice>:<1|0>:<page> — link a good practice to a concern (or not)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    concern_id, practice_id, page = action.concern_id, action.practice_id, action.page
    async with context.db() as session:
        concern = await get_item(session, community.id, concern_id)
    if concern is None or concern.kind != Kind.CONCERN.value:
        await expired(update, context)
        return
    if not await may_follow_up(update, context, concern):
        await answer(update, context.t("capture.follow_up_only"), alert=True)
        return
    async with context.db.begin() as session:
        # The intended state travels in the button: a replayed press links (or unlinks) again.
        found = await set_link(session, concern, practice_id, action.linked)
    if not found:
        await expired(update, context)
        return
    await answer(update, context.t(f"capture.link.{'linked' if action.linked else 'unlinked'}"))
    redraw(context, message, Redraw(f"k{page}", concern.id, thread_of(update)))


async def on_file(update: Update, context: KopiContext, action: File) -> None:
    """cp:f:<id> — send an item's file again (kept by Telegram's file_id)."""
    pressed = await _pressed(update, context)
    if pressed is None:
        await expired(update, context)
        return
    message, community = pressed
    item_id = action.item_id
    async with context.db() as session:
        item = await get_item(session, community.id, item_id)
    if item is None or not item.file_id:
        await expired(update, context)
        return
    await answer(update)
    lang = context.lang
    caption = t(
        lang, "capture.file.caption", label=item_label(lang, item), text=clip(item.text, 600)
    )
    file_id, kind, chat_id = item.file_id, item.file_kind or "document", message.chat_id
    thread_id = thread_of(update)

    async def deliver() -> None:
        senders: dict[str, Callable[..., Awaitable[Message]]] = {
            "photo": context.bot.send_photo,
            "video": context.bot.send_video,
            "audio": context.bot.send_audio,
            "voice": context.bot.send_voice,
        }
        sender = senders.get(kind, context.bot.send_document)
        try:
            await sender(
                chat_id,
                file_id,
                caption=caption,
                message_thread_id=thread_id,
            )
        except BadRequest as error:
            log.info("file of item %s could not be sent: %s", item_id, error.message)
            await send(context, chat_id, t(lang, "capture.file.gone"), thread_id=thread_id)

    context.services.outbox.post(chat_id, deliver)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the handlers of the lists' buttons."""
    return [
        on(ListPage, on_list),
        on(Detail, on_detail),
        on(Vote, on_vote),
        on(SetStatus, on_status),
        on(Hide, on_hide),
        on(Picker, on_picker),
        on(Link, on_link),
        on(File, on_file),
    ]
