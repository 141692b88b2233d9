"""/tujuan (/aims): the community's aims and programme, set by a facilitator, seen by everyone.

In the group, ``/tujuan`` shows both with buttons to change them; ``/tujuan atur <teks>`` sets the
aims and ``/tujuan program <teks>`` the programme (without text kopi asks for it). In private,
``/tujuan`` shows the aims of every community the teacher belongs to, and /start carries a short
block of them (:func:`aims_block`). Earlier texts stay in the history for the reports.

Buttons: :class:`EditAims` (``ai:e:a`` / ``ai:e:p``) changes the aims / the programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.agreements import (
    author_id,
    source_of,
    too_long,
)
from handlers.callbacks import Payload, on
from handlers.common import (
    argument_text,
    button,
    is_facilitator,
    is_group,
    keyboard,
    refuse_unless_facilitator,
    reply,
    shorten,
    spec,
)
from handlers.context import KopiContext
from handlers.conversation import Answer, ask, ask_again, drop
from handlers.texts import Markup, format_date
from models.agreements import (
    AIMS_MAX,
    AimEntry,
    AimKind,
    Aims,
    clean_text,
    current_aims,
    set_aims,
)
from models.community import Community, communities_of
from models.prompts import Prompt, take_prompt

COMMANDS = [spec("tujuan", "aims.cmd", "group", "private", aliases=["aims"])]

START_SHOWN = 5  # communities whose aims /start shows
START_TEXT = 160  # characters of each community's aims in /start
AIMS_WORDS = frozenset({"atur", "ubah", "set", "tulis", "aims", "tujuan"})
PROGRAMME_WORDS = frozenset({"program", "programme", "programmes", "programs", "kegiatan"})
KINDS = {"a": AimKind.AIMS, "p": AimKind.PROGRAMME}
INPUT_KINDS = {AimKind.AIMS: "aims.aims", AimKind.PROGRAMME: "aims.programme"}
_FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class EditAims(Payload, prefix="ai:e"):
    """Ask a facilitator for the aims (a) or the programme (p)."""

    kind: Literal["a", "p"]


def _part(context: KopiContext, community: Community, entry: AimEntry | None) -> str:
    if entry is None:
        return context.t("aims.none")
    return context.t(
        "aims.part",
        text=entry.text,
        name=entry.written_by or context.t("norm.someone"),
        date=format_date(context.lang, entry.created_at, community.timezone),
    )


def render(
    context: KopiContext, community: Community, aims: Aims
) -> tuple[str, InlineKeyboardMarkup]:
    """Return the aims and programme of a community, with the buttons to change them."""
    text = context.t(
        "aims.view",
        title=community.title,
        aims=Markup(_part(context, community, aims.aims)),
        programme=Markup(_part(context, community, aims.programme)),
    )
    if aims.empty:
        text += "\n\n" + context.t("aims.empty_hint")
    markup = keyboard(
        [
            button(context.t("aims.button.aims"), EditAims("a")),
            button(context.t("aims.button.programme"), EditAims("p")),
        ]
    )
    return text, markup


async def _aims_of(context: KopiContext, community: Community) -> Aims:
    async with context.db() as session:
        found = await current_aims(session, [community.id])
    return found.get(community.id, Aims())


async def aims_block(context: KopiContext, communities: list[Community]) -> str:
    """Return a short block with the aims of these communities for /start ("" when none)."""
    if not communities:
        return ""
    async with context.db() as session:
        found = await current_aims(session, [c.id for c in communities])
    lines = [
        context.t("aims.start.line", title=c.title, aims=shorten(entry.text, START_TEXT))
        for c in communities
        if (entry := found.get(c.id, Aims()).aims) is not None
    ]
    if not lines:
        return ""
    more = len(lines) - START_SHOWN
    shown = "\n".join(lines[:START_SHOWN])
    if more > 0:
        shown += "\n" + context.t("aims.start.more", count=more)
    return "\n\n" + context.t("aims.start", lines=Markup(shown))


# ---------------------------------------------------------------------------- /tujuan


async def aims_command(update: Update, context: KopiContext) -> None:
    """/tujuan: show; /tujuan atur <teks>, /tujuan program <teks>: set (facilitators)."""
    if not is_group(update):
        await _private_overview(update, context)
        return
    community = context.community
    if community is None:
        return
    argument = argument_text(update)
    if not argument:
        text, markup = render(context, community, await _aims_of(context, community))
        await reply(update, context, text, markup)
        return
    match = _FIRST_WORD.match(argument)
    assert match is not None
    word, rest = match.group(1).lower(), clean_text(match.group(2))
    kind = (
        AimKind.AIMS
        if word in AIMS_WORDS
        else AimKind.PROGRAMME
        if word in PROGRAMME_WORDS
        else None
    )
    if kind is None:
        await reply(update, context, context.t("aims.usage"))
        return
    if await refuse_unless_facilitator(update, context):
        return
    if rest:
        await _save(update, context, community, kind, rest)
    else:
        await _ask(update, context, community, kind)


async def _private_overview(update: Update, context: KopiContext) -> None:
    """Show, in private, the aims and programme of each of the teacher's communities."""
    user = update.effective_user
    if user is None:
        return
    async with context.db() as session:
        communities = await communities_of(session, user.id)
        found = await current_aims(session, [c.id for c in communities])
    if not communities:
        await reply(update, context, context.t("aims.private.none"))
        return
    blocks = [
        context.t(
            "aims.private.block",
            title=c.title,
            aims=Markup(_part(context, c, found.get(c.id, Aims()).aims)),
            programme=Markup(_part(context, c, found.get(c.id, Aims()).programme)),
        )
        for c in communities
    ]
    await reply(update, context, "\n\n".join(blocks))


async def _ask(update: Update, context: KopiContext, community: Community, kind: AimKind) -> None:
    question = context.t("aims.ask.aims" if kind is AimKind.AIMS else "aims.ask.programme")
    await ask(update, context, community, question, kind=INPUT_KINDS[kind])


async def _save(
    update: Update,
    context: KopiContext,
    community: Community,
    kind: AimKind,
    text: str,
    pending: Prompt | None = None,
) -> None:
    refusal = too_long(context, text, AIMS_MAX)
    if refusal is not None:
        if pending is not None:
            await ask_again(update, context, pending, refusal)
        else:
            await reply(update, context, refusal)
        return
    async with context.db.begin() as session:
        if pending is not None and not await take_prompt(session, pending.id):
            return
        written = await set_aims(
            session, community.id, kind, text, author_id(update), context.now(), source_of(update)
        )
    if not written:  # this message wrote them before: Telegram delivered it again
        await reply(update, context, context.t("agree.already"))
        return
    view, markup = render(context, community, await _aims_of(context, community))
    key = "aims.saved.aims" if kind is AimKind.AIMS else "aims.saved.programme"
    await reply(update, context, context.t(key) + "\n\n" + view, markup)


def _answer(kind: AimKind) -> Answer:
    async def answer(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
        community = context.community
        if community is None:
            return
        if not await is_facilitator(update, context):
            await drop(context, pending)
            await reply(update, context, context.t("error.facilitator_only"))
            return
        await _save(update, context, community, kind, clean_text(text), pending)

    return answer


ANSWERS: dict[str, Answer] = {name: _answer(kind) for kind, name in INPUT_KINDS.items()}


async def on_edit(update: Update, context: KopiContext, action: EditAims) -> None:
    """Ask a facilitator for the new aims or programme (the buttons are the group's)."""
    query = update.callback_query
    if query is None:
        return
    community = context.community
    if community is None or not is_group(update):
        await query.answer(context.t("error.expired_button"))
        return
    if await refuse_unless_facilitator(update, context):
        return
    await query.answer()
    await _ask(update, context, community, KINDS[action.kind])


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the aims' command and button handlers."""
    return [
        CommandHandler(["tujuan", "aims"], aims_command),
        on(EditAims, on_edit),
    ]
