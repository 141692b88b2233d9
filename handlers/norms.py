"""/norma (/norms): the community's norms, proposed by a facilitator and agreed by the members.

A facilitator proposes a norm (``/norma tambah <teks>``, or the "Usulkan norma" button and then
the text as a reply); members agree with "✅ Setuju"; the listing shows counts and a few names,
a norm's detail shows everyone who agreed and when.

Revising a norm gives it a new version and asks for agreement afresh: an agreement is consent to
particular words, and carrying it over to new words would claim a consent nobody gave. The
earlier versions, with who agreed to them and when, stay and are shown in the detail (and the
reports read them). Agree buttons carry the version they were shown with, so a tap on an old
message never agrees to words the member has not seen. Retiring keeps the norm and its history.

In private, ``/norma`` shows the person's community's norms (buttons when she has several) to
read and agree to; proposing, revising and retiring stay in the group, where everyone sees them.

Each button is one action below (handlers.callbacks), e.g. ``nm:a:<id>:<version>:<view>`` agree
(view ``c`` card, ``d`` detail, ``l<page>`` listing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.agreements import (
    author_id,
    fitting,
    names_text,
    press_community,
    refuse_in_private,
    source_of,
    too_long,
)
from handlers.callbacks import Payload, on
from handlers.common import (
    MAX_MESSAGE,
    button,
    edit,
    is_facilitator,
    keyboard,
    refuse_unless_facilitator,
    reply,
    shorten,
    spec,
)
from handlers.community_choice import Run, private_command
from handlers.context import KopiContext
from handlers.conversation import Answer, ask, ask_again, drop
from handlers.texts import Markup, format_date
from models.agreements import (
    NORM_MAX,
    NormRecord,
    NormStatus,
    Outcome,
    VersionRecord,
    add_norm,
    agree,
    clean_text,
    count_norms,
    get_norm,
    load_norms,
    norm_by_number,
    retire_norm,
    revise_norm,
    withdraw,
)
from models.community import Community
from models.lengths import utf16_len
from models.prompts import Prompt, take_prompt

COMMANDS = [spec("norma", "norm.cmd", "group", "private", aliases=["norms"])]

PAGE = 8
LIST_TEXT = 220  # a norm's words in the listing
NAMES_TEXT = 120  # the names of who agreed, in the listing and on a card
HISTORY_TEXT = 160  # an earlier version's words in the detail
HISTORY_SHOWN = 5
RETIRED_SHOWN = 15
RETIRED_TEXT = 100  # a retired norm's words in their list (15 of them fit one message)
DETAIL_LIMIT = MAX_MESSAGE - 200  # UTF-16 units of HTML: markup only makes the shown text shorter
ADD_WORDS = frozenset({"tambah", "add", "usul", "usulkan", "baru", "new", "propose"})

_FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)

KIND_NEW = "norm.new"
KIND_EDIT = "norm.edit"


# ---------------------------------------------------------------------------- buttons' data


@dataclass(frozen=True)
class NormList(Payload, prefix="nm:l"):
    """Show a page of the listing."""

    page: int


@dataclass(frozen=True)
class NormDetail(Payload, prefix="nm:d"):
    """Show a norm in full."""

    norm_id: int


# Where an agree button was pressed: the card (c), the detail (d) or a listing page (l<page>).
# A closed set of codes rather than any code: with two 32-bit ids, a 40-character code would not
# fit Telegram's 64 bytes, and the data of buttons already in groups stays as it was.
LISTED_PAGES = 1000
if TYPE_CHECKING:
    View = str
else:
    View = Literal[("c", "d", *(f"l{page}" for page in range(LISTED_PAGES)))]


@dataclass(frozen=True)
class NormAgree(Payload, prefix="nm:a"):
    """Agree to a norm's words as shown (version), then show the view again."""

    norm_id: int
    version: int
    view: View


@dataclass(frozen=True)
class NormWithdraw(Payload, prefix="nm:w"):
    """Withdraw one's agreement to a version."""

    norm_id: int
    version: int


@dataclass(frozen=True)
class NormPropose(Payload, prefix="nm:n"):
    """Ask a facilitator for a new norm's words."""


@dataclass(frozen=True)
class NormRevise(Payload, prefix="nm:e"):
    """Ask a facilitator for a norm's new words."""

    norm_id: int


@dataclass(frozen=True)
class NormRetireAsk(Payload, prefix="nm:r"):
    """Ask a facilitator to confirm retiring a norm."""

    norm_id: int


@dataclass(frozen=True)
class NormRetire(Payload, prefix="nm:R"):
    """Retire a norm (confirmed)."""

    norm_id: int


@dataclass(frozen=True)
class NormRetired(Payload, prefix="nm:o"):
    """Show the retired norms."""


@dataclass(frozen=True)
class NormEveryone(Payload, prefix="nm:p"):
    """Send everyone who agreed to a norm."""

    norm_id: int


# ---------------------------------------------------------------------------- rendering


def _date(context: KopiContext, community: Community, moment: datetime) -> str:
    return format_date(context.lang, moment, community.timezone)


def _version_suffix(context: KopiContext, version: int) -> str:
    return context.t("norm.version_suffix", version=version) if version > 1 else ""


def _agreed_line(context: KopiContext, version: VersionRecord) -> str:
    names = [a.name for a in version.agreements]
    if not names:
        return context.t("norm.agreed.none")
    shown = shorten(names_text(context, names), NAMES_TEXT)  # Telegram names run to 129 chars
    return context.t("norm.agreed.some", count=len(names), names=shown)


def _listing(
    context: KopiContext,
    records: list[NormRecord],
    total: int,
    retired: int,
    page: int,
    pages: int,
) -> tuple[str, InlineKeyboardMarkup]:
    rows: list[list[InlineKeyboardButton]] = []

    def compose(limit: int) -> str:
        lines = [context.t("norm.list.title", count=total)]
        for record in records:
            lines.append(
                context.t(
                    "norm.list.item",
                    number=record.norm.number,
                    text=shorten(record.current.text, limit),
                    agreed=Markup(_agreed_line(context, record.current)),
                )
            )
        if pages > 1:
            lines.append(context.t("norm.list.page", page=page + 1, pages=pages))
        return "\n\n".join(lines)

    if not records:
        text = context.t("norm.list.empty")
    else:
        limit = fitting(compose, LIST_TEXT)
        text = compose(limit)
        for record in records:
            norm = record.norm
            row = [button(context.t("norm.button.open_n", number=norm.number), NormDetail(norm.id))]
            if len(record.current.text) <= limit and page < LISTED_PAGES:
                # Agreeing from the listing only when it shows the whole norm: consent is given
                # to words read, so a shortened norm is agreed to from its detail.
                agree_button = button(
                    context.t("norm.button.agree_n", number=norm.number),
                    NormAgree(norm.id, norm.version, f"l{page}"),
                )
                row.insert(0, agree_button)
            rows.append(row)
    if retired:
        text += "\n\n" + context.t("norm.list.retired", count=retired)
    paging = []
    if page > 0:
        paging.append(button(context.t("agree.button.previous"), NormList(page - 1)))
    if page < pages - 1:
        paging.append(button(context.t("agree.button.next"), NormList(page + 1)))
    rows.append(paging)
    manage = [button(context.t("norm.button.new"), NormPropose())]
    if retired:
        manage.append(button(context.t("norm.button.retired"), NormRetired()))
    rows.append(manage)
    return text, keyboard(*rows)


async def listing(
    context: KopiContext, community: Community, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Return the listing of active norms, one page of them."""
    async with context.db() as session:
        total = await count_norms(session, community.id, NormStatus.ACTIVE)
        retired = await count_norms(session, community.id, NormStatus.RETIRED)
        pages = max((total + PAGE - 1) // PAGE, 1)
        page = min(max(page, 0), pages - 1)
        records = await load_norms(session, community.id, offset=page * PAGE, limit=PAGE)
    return _listing(context, records, total, retired, page, pages)


def _card(
    context: KopiContext, record: NormRecord, headline: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """Return a norm as a short card: its words, how many agreed, and the agree button."""
    norm, current = record.norm, record.current
    text = context.t(
        "norm.card",
        headline=Markup(
            headline
            or context.t(
                "norm.card.title",
                number=norm.number,
                version=Markup(_version_suffix(context, norm.version)),
            )
        ),
        text=current.text,
        agreed=Markup(_agreed_line(context, current)),
    )
    rows = [button(context.t("norm.button.details"), NormDetail(norm.id))]
    if norm.active:
        rows.insert(
            0, button(context.t("norm.button.agree"), NormAgree(norm.id, norm.version, "c"))
        )
    return text, keyboard(rows)


def _detail(
    context: KopiContext, community: Community, record: NormRecord
) -> tuple[str, InlineKeyboardMarkup]:
    """Return a norm in full: words, who agreed and when, earlier versions, what can be done."""
    norm, current = record.norm, record.current
    someone = context.t("norm.someone")
    if not norm.active and norm.retired_at is not None:
        state = context.t(
            "norm.detail.retired",
            name=record.retired_by or someone,
            date=_date(context, community, norm.retired_at),
        )
    elif norm.version > 1:
        state = context.t(
            "norm.detail.revised",
            name=current.written_by or someone,
            date=_date(context, community, current.created_at),
        )
    else:
        state = context.t(
            "norm.detail.proposed",
            name=record.created_by or someone,
            date=_date(context, community, norm.created_at),
        )
    earlier = record.earlier

    def history_text(limit: int) -> str:
        if not earlier:
            return ""
        lines = [
            context.t(
                "norm.detail.history_line",
                version=v.version,
                date=_date(context, community, v.created_at),
                text=shorten(v.text, limit),
                count=len(v.agreements),
            )
            for v in earlier[:HISTORY_SHOWN]
        ]
        if len(earlier) > HISTORY_SHOWN:
            lines.append(context.t("norm.detail.history_more", count=len(earlier) - HISTORY_SHOWN))
        return "\n\n" + context.t("norm.detail.history", lines=Markup("\n".join(lines)))

    agreed = current.agreements
    lines = [
        context.t(
            "norm.detail.agreed_line", name=a.name, date=_date(context, community, a.agreed_at)
        )
        for a in agreed
    ]

    def compose(shown: int, history_limit: int = HISTORY_TEXT) -> str:
        if not agreed:
            block = context.t("norm.agreed.none")
        else:
            listed = "\n".join(lines[:shown])
            if shown < len(lines):
                listed += "\n" + context.t("norm.detail.agreed_more", count=len(lines) - shown)
            block = context.t("norm.detail.agreed", count=len(agreed), lines=Markup(listed))
        return context.t(
            "norm.detail",
            number=norm.number,
            version=Markup(_version_suffix(context, norm.version)),
            text=current.text,
            state=Markup(state),
            agreed=Markup(block),
            history=Markup(history_text(history_limit)),
        )

    shown = len(lines)
    text = compose(shown)
    while utf16_len(text) > DETAIL_LIMIT and shown > 0:
        shown = shown * 3 // 4
        text = compose(shown)
    if utf16_len(text) > DETAIL_LIMIT:  # long earlier versions in emoji: cut them shorter
        text = compose(0, fitting(lambda limit: compose(0, limit), HISTORY_TEXT))
    rows: list[list[InlineKeyboardButton]] = []
    if norm.active:
        rows.append(
            [
                button(context.t("norm.button.agree"), NormAgree(norm.id, norm.version, "d")),
                button(context.t("norm.button.withdraw"), NormWithdraw(norm.id, norm.version)),
            ]
        )
        rows.append(
            [
                button(context.t("norm.button.edit"), NormRevise(norm.id)),
                button(context.t("norm.button.retire"), NormRetireAsk(norm.id)),
            ]
        )
    if shown < len(lines):
        rows.append([button(context.t("norm.button.everyone"), NormEveryone(norm.id))])
    rows.append([button(context.t("norm.button.all"), NormList(0))])
    return text, keyboard(*rows)


async def _record(
    context: KopiContext, community: Community, norm_id: int, *, history: bool = False
) -> NormRecord | None:
    async with context.db() as session:
        records = await load_norms(
            session, community.id, status=None, norm_ids=[norm_id], history=history
        )
    return records[0] if records else None


async def _retired(context: KopiContext, community: Community) -> tuple[str, InlineKeyboardMarkup]:
    async with context.db() as session:
        records = await load_norms(session, community.id, status=NormStatus.RETIRED)
    records.sort(key=lambda r: r.norm.retired_at or r.norm.updated_at, reverse=True)
    shown = records[:RETIRED_SHOWN]

    def compose(limit: int) -> str:
        lines = [
            context.t(
                "norm.retired.line",
                number=r.norm.number,
                text=shorten(r.current.text, limit),
                date=_date(context, community, r.norm.retired_at or r.norm.updated_at),
            )
            for r in shown
        ]
        return context.t("norm.retired.title", count=len(records), lines=Markup("\n".join(lines)))

    text = compose(fitting(compose, RETIRED_TEXT))
    buttons = [
        button(context.t("norm.button.open_n", number=r.norm.number), NormDetail(r.norm.id))
        for r in shown
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append([button(context.t("norm.button.all"), NormList(0))])
    return text, keyboard(*rows)


# ---------------------------------------------------------------------------- /norma


async def run_norms(
    update: Update, context: KopiContext, community: Community, argument: str
) -> None:
    """/norma: list; /norma tambah <teks>: propose; /norma <nomor>: one norm in full."""
    if not argument:
        text, markup = await listing(context, community, 0)
        await reply(update, context, text, markup)
        return
    match = _FIRST_WORD.match(argument)
    assert match is not None
    word, rest = match.group(1).lower(), match.group(2)
    if word in ADD_WORDS:
        if await refuse_in_private(update, context) or await refuse_unless_facilitator(
            update, context
        ):
            return
        text = clean_text(rest)
        if text:
            await propose(update, context, community, text)
        else:
            await ask(update, context, community, context.t("norm.ask.new"), kind=KIND_NEW)
        return
    if word.isdigit() and len(word) < 9:
        async with context.db() as session:
            norm = await norm_by_number(session, community.id, int(word))
        record = await _record(context, community, norm.id, history=True) if norm else None
        if record is None:
            await reply(update, context, context.t("norm.not_found", number=word))
            return
        text, markup = _detail(context, community, record)
        await reply(update, context, text, markup)
        return
    await reply(update, context, context.t("norm.usage"))


async def propose(
    update: Update,
    context: KopiContext,
    community: Community,
    text: str,
    pending: Prompt | None = None,
) -> None:
    """Save a proposed norm and show it with the agree button (consuming the question, if any)."""
    refusal = too_long(context, text, NORM_MAX)
    if refusal is not None:
        if pending is not None:
            await ask_again(update, context, pending, refusal)
        else:
            await reply(update, context, refusal)
        return
    async with context.db.begin() as session:
        if pending is not None and not await take_prompt(session, pending.id):
            return  # answered already (a repeated delivery)
        norm = await add_norm(
            session, community.id, text, author_id(update), context.now(), source_of(update)
        )
        norm_id = norm.id if norm is not None else None
    if norm_id is None:  # this message proposed it before: Telegram delivered it again
        await reply(update, context, context.t("agree.already"))
        return
    record = await _record(context, community, norm_id)
    if record is None:
        return
    headline = context.t(
        "norm.card.new",
        number=record.norm.number,
        name=record.created_by or context.t("norm.someone"),
    )
    card, markup = _card(context, record, headline)
    await reply(update, context, card, markup)


async def answer_new(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take the text of a proposed norm."""
    community = context.community
    if community is None:
        return
    if not await is_facilitator(update, context):
        await drop(context, pending)
        await reply(update, context, context.t("error.facilitator_only"))
        return
    await propose(update, context, community, clean_text(text), pending)


async def answer_edit(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take the new words of a norm: a new version, agreed afresh."""
    community = context.community
    if community is None or pending.target_id is None:
        return
    if not await is_facilitator(update, context):
        await drop(context, pending)
        await reply(update, context, context.t("error.facilitator_only"))
        return
    text = clean_text(text)
    refusal = too_long(context, text, NORM_MAX)
    if refusal is not None:
        await ask_again(update, context, pending, refusal)
        return
    async with context.db.begin() as session:
        if not await take_prompt(session, pending.id):
            return
        norm = await get_norm(session, community.id, pending.target_id)
        if norm is None or not norm.active:
            key = "norm.gone"
        else:
            outcome = await revise_norm(
                session, norm, text, author_id(update), context.now(), source_of(update)
            )
            key = {
                Outcome.NEW: "",
                Outcome.UNCHANGED: "norm.unchanged",
                Outcome.ALREADY: "agree.already",
            }[outcome]
    if key:
        await reply(update, context, context.t(key))
        return
    record = await _record(context, community, pending.target_id)
    if record is None:
        return
    headline = context.t(
        "norm.card.revised",
        number=record.norm.number,
        version=record.norm.version,
        name=record.current.written_by or context.t("norm.someone"),
    )
    card, markup = _card(context, record, headline)
    await reply(update, context, card, markup)


ANSWERS: dict[str, Answer] = {KIND_NEW: answer_new, KIND_EDIT: answer_edit}
IN_PRIVATE: dict[str, Run] = {"norma": run_norms}


# ---------------------------------------------------------------------------- buttons


async def _view(
    context: KopiContext, community: Community, norm_id: int, view: str
) -> tuple[str, InlineKeyboardMarkup] | None:
    """Return a view again after a change: the card, the detail or a listing page."""
    if view.startswith("l") and view[1:].isdigit():
        return await listing(context, community, int(view[1:]))
    record = await _record(context, community, norm_id, history=view == "d")
    if record is None:
        return None
    if view == "d":
        return _detail(context, community, record)
    return _card(context, record)


async def on_list(update: Update, context: KopiContext, action: NormList) -> None:
    """Show a page of the listing."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    await query.answer()
    await edit(query, *await listing(context, community, action.page))


async def on_retired(update: Update, context: KopiContext, action: NormRetired) -> None:
    """Show the retired norms."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    await query.answer()
    await edit(query, *await _retired(context, community))


async def on_propose(update: Update, context: KopiContext, action: NormPropose) -> None:
    """Ask a facilitator for a new norm (in the group)."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    if await refuse_in_private(update, context) or await refuse_unless_facilitator(update, context):
        return
    await query.answer()
    await ask(update, context, community, context.t("norm.ask.new"), kind=KIND_NEW)


async def on_detail(update: Update, context: KopiContext, action: NormDetail) -> None:
    """Show a norm in full."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    norm_id = action.norm_id
    record = await _record(context, community, norm_id, history=True)
    if record is None:
        await query.answer(context.t("error.expired_button"))
        return
    await query.answer()
    text, markup = _detail(context, community, record)
    await edit(query, text, markup)


async def on_agree(update: Update, context: KopiContext, action: NormAgree) -> None:
    """Agree to a norm's words as shown."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    norm_id, version, view = action.norm_id, action.version, action.view
    person = query.from_user.id
    async with context.db.begin() as session:
        norm = await get_norm(session, community.id, norm_id)
        outcome: tuple[bool, datetime] | None = None
        if norm is not None and norm.active and norm.version == version:
            outcome = await agree(session, norm, person, context.now())
        number = norm.number if norm is not None else 0
        active = norm is not None and norm.active
    if norm is None:
        await query.answer(context.t("error.expired_button"))
        return
    if not active:
        await query.answer(context.t("norm.retired_already"), show_alert=True)
    elif outcome is None:
        # The words changed since this message was sent: show the new ones, agree to those.
        await query.answer(context.t("norm.changed", number=number), show_alert=True)
    elif outcome[0]:
        await query.answer(context.t("norm.thanks", number=number))
    else:
        await query.answer(
            context.t(
                "norm.agreed_before", number=number, date=_date(context, community, outcome[1])
            )
        )
    shown = await _view(context, community, norm_id, view)
    if shown is not None:
        await edit(query, *shown)


async def on_withdraw(update: Update, context: KopiContext, action: NormWithdraw) -> None:
    """Withdraw one's agreement."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    norm_id, version = action.norm_id, action.version
    async with context.db.begin() as session:
        norm = await get_norm(session, community.id, norm_id)
        withdrawn = False
        if norm is not None and norm.active and norm.version == version:
            withdrawn = await withdraw(session, norm, query.from_user.id)
        number = norm.number if norm is not None else 0
    if norm is None:
        await query.answer(context.t("error.expired_button"))
        return
    key = "norm.withdrawn" if withdrawn else "norm.not_agreed"
    await query.answer(context.t(key, number=number))
    shown = await _view(context, community, norm_id, "d")
    if shown is not None:
        await edit(query, *shown)


async def on_revise(update: Update, context: KopiContext, action: NormRevise) -> None:
    """Ask a facilitator for a norm's new words (in the group)."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    if await refuse_in_private(update, context) or await refuse_unless_facilitator(update, context):
        return
    norm_id = action.norm_id
    record = await _record(context, community, norm_id)
    if record is None:
        await query.answer(context.t("error.expired_button"))
        return
    if not record.norm.active:
        await query.answer(context.t("norm.retired_already"), show_alert=True)
        return
    await query.answer()
    question = context.t(
        "norm.ask.edit", number=record.norm.number, text=shorten(record.current.text, 300)
    )
    await ask(update, context, community, question, kind=KIND_EDIT, target_id=norm_id)


async def on_retire_ask(update: Update, context: KopiContext, action: NormRetireAsk) -> None:
    """Ask a facilitator to confirm retiring a norm."""
    await _retire(update, context, action.norm_id, confirmed=False)


async def on_retire(update: Update, context: KopiContext, action: NormRetire) -> None:
    """Retire a norm."""
    await _retire(update, context, action.norm_id, confirmed=True)


async def _retire(update: Update, context: KopiContext, norm_id: int, *, confirmed: bool) -> None:
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    if await refuse_in_private(update, context) or await refuse_unless_facilitator(update, context):
        return
    if not confirmed:
        record = await _record(context, community, norm_id)
        if record is None:
            await query.answer(context.t("error.expired_button"))
            return
        if not record.norm.active:
            await query.answer(context.t("norm.retired_already"))
            return
        await query.answer()
        text = context.t(
            "norm.retire.confirm",
            number=record.norm.number,
            text=shorten(record.current.text, LIST_TEXT),
        )
        markup = keyboard(
            [
                button(context.t("norm.button.retire_yes"), NormRetire(norm_id)),
                button(context.t("agree.button.back"), NormDetail(norm_id)),
            ]
        )
        await edit(query, text, markup)
        return
    async with context.db.begin() as session:
        norm = await get_norm(session, community.id, norm_id)
        retired = norm is not None and await retire_norm(
            session, norm, query.from_user.id, context.now()
        )
        number = norm.number if norm is not None else 0
    if norm is None:
        await query.answer(context.t("error.expired_button"))
        return
    await query.answer(
        context.t("norm.retired" if retired else "norm.retired_already", number=number)
    )
    shown = await _view(context, community, norm_id, "d")
    if shown is not None:
        await edit(query, *shown)


async def on_everyone(update: Update, context: KopiContext, action: NormEveryone) -> None:
    """Send everyone who agreed to a norm, in as many messages as it takes."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None:
        return
    norm_id = action.norm_id
    record = await _record(context, community, norm_id)
    if record is None:
        await query.answer(context.t("error.expired_button"))
        return
    await query.answer()
    lines = [
        context.t(
            "norm.detail.agreed_line", name=a.name, date=_date(context, community, a.agreed_at)
        )
        for a in record.current.agreements
    ]
    text = context.t(
        "norm.everyone",
        number=record.norm.number,
        count=len(lines),
        lines=Markup("\n".join(lines) or context.t("norm.agreed.none")),
    )
    await reply(update, context, text)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the norms' command and button handlers."""
    return [
        CommandHandler(["norma", "norms"], private_command(run_norms)),
        on(NormList, on_list),
        on(NormDetail, on_detail),
        on(NormAgree, on_agree),
        on(NormWithdraw, on_withdraw),
        on(NormPropose, on_propose),
        on(NormRevise, on_revise),
        on(NormRetireAsk, on_retire_ask),
        on(NormRetire, on_retire),
        on(NormRetired, on_retired),
        on(NormEveryone, on_everyone),
    ]
