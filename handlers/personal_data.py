"""/datasaya (/mydata) and /hapusdata (/deletemydata): a teacher's rights over their personal data
under Indonesia's Personal Data Protection Law.

Both work in private chat; in a group they answer with a button that opens the private chat
(deep links "d" and "d-hapus"), so nothing personal is ever shown to the group. Erasing asks
twice: what happens to the shared items, then a last confirmation. Every button carries the
stamp of the person row it was made for: pressing it again after the erasure (the press itself
registers the presser afresh) finds a different row and erases only that bare row again, so a
second press changes nothing more.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from handlers.callbacks import BigId, Payload, expired, on
from handlers.common import button, edit, is_group, keyboard, reply, shorten, spec
from handlers.context import KopiContext
from handlers.meetings import queue_tally_edit
from handlers.meetings_delivery import AGENDA_ITEM_CHARS
from handlers.reflections_view import sync_post
from handlers.start import deep_link, deep_link_url
from handlers.texts import LANGUAGES, Markup, t
from models.community import Community, Person, Role
from models.personal_data import (
    Choice,
    Erasure,
    Export,
    PostChange,
    erase_person,
    export_person,
    forget_bare_person,
    holdings_of,
    replace_agenda_line,
    sent_reminders,
    stamp_of,
)
from models.reflections import Reflection

log = logging.getLogger(__name__)

COMMANDS = [
    spec("datasaya", "mydata.cmd.export", "private", "group", aliases=["mydata"]),
    spec("hapusdata", "mydata.cmd.erase", "private", "group", aliases=["deletemydata"]),
]
PREFIX = "d"  # deep links: "d" opens the export, "d-hapus" the erasure
ERASE_LINK = "hapus"

# The order of the kinds in summaries; pending questions are counted together, and any table
# without a text of its own (a feature added later) counts as "other records".
KINDS = (
    "people",
    "memberships",
    "capture_items",
    "capture_votes",
    "reflections",
    "meeting_rsvps",
    "norm_agreements",
    "project_members",
    "project_updates",
    "minutes_entries",
    "norms",
    "norm_versions",
    "community_aims",
    "projects",
    "meeting_deliveries",
)
INPUTS = ("reflection_inputs", "prompts")


# ---------------------------------------------------------------------------- texts


def kind_lines(
    context: KopiContext, counts: Mapping[str, int], special: Mapping[str, str] | None = None
) -> list[str]:
    """Return one line per kind of row ("• Refleksi: 3"), in a fixed order."""
    special = special or {}
    lines = [
        special.get(kind)
        or context.t("mydata.line", label=context.t(f"mydata.kind.{kind}"), count=n)
        for kind in KINDS
        if (n := counts.get(kind, 0))
    ]
    if inputs := sum(counts.get(kind, 0) for kind in INPUTS):
        lines.append(context.t("mydata.line", label=context.t("mydata.kind.inputs"), count=inputs))
    if other := sum(n for kind, n in counts.items() if kind not in KINDS and kind not in INPUTS):
        lines.append(context.t("mydata.line", label=context.t("mydata.kind.other"), count=other))
    return lines


def summary_text(context: KopiContext, exported: Export) -> str:
    """Return the readable summary of an export: who, and how many rows of each kind."""
    holdings = exported.holdings
    person = holdings.person
    profile = (
        context.t("mydata.profile.username", name=person.full_name, username=person.username)
        if person.username
        else context.t("mydata.profile", name=person.full_name)
    )
    counts = {k: n for k, n in holdings.counts.items()}
    memberships = exported.document["tables"].get("memberships", [])
    facilitator = sum(1 for row in memberships if row.get("role") == Role.FACILITATOR.value)
    special = {
        "reflections": context.t(
            "mydata.line.reflections",
            count=counts.get("reflections", 0),
            private=holdings.private_reflections,
        ),
    }
    if facilitator:
        special["memberships"] = context.t(
            "mydata.line.memberships", count=len(memberships), facilitator=facilitator
        )
    lines = kind_lines(context, counts, special) or [context.t("mydata.nothing")]
    return context.t("mydata.summary", profile=profile, lines=Markup("\n".join(lines)))


def done_text(context: KopiContext, erasure: Erasure, updated: int, failed: int) -> str:
    """Return what an erasure did, and what stays in Telegram."""
    details = [
        context.t(
            "mydata.done.deleted", lines=Markup("\n".join(kind_lines(context, erasure.deleted)))
        )
    ]
    if erasure.anonymized:
        kept = kind_lines(context, erasure.anonymized)
        details.append(context.t("mydata.done.kept", lines=Markup("\n".join(kept))))
    if erasure.unlinked:
        details.append(context.t("mydata.done.unlinked", count=erasure.unlinked))
    if updated:
        details.append(context.t("mydata.done.posts", count=updated))
    if failed:
        details.append(context.t("mydata.done.posts_failed", count=failed))
    return context.t(
        "mydata.done",
        details=Markup("\n\n".join(details)),
        telegram=context.t("mydata.done.telegram"),
    )


# ---------------------------------------------------------------------------- commands


async def _to_private(update: Update, context: KopiContext, key: str, rest: str = "") -> None:
    url = deep_link_url(context.bot.username, PREFIX, rest)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.t("button.open_private"), url=url)]]
    )
    await reply(update, context, context.t(key), markup)


async def my_data(update: Update, context: KopiContext) -> None:
    """/datasaya: send the person everything kopi holds about them (private chat only)."""
    if is_group(update):
        await _to_private(update, context, "mydata.group.export")
        return
    await send_export(update, context)


async def erase_data(update: Update, context: KopiContext) -> None:
    """/hapusdata: start erasing the person's data (private chat only)."""
    if is_group(update):
        await _to_private(update, context, "mydata.group.erase", ERASE_LINK)
        return
    await ask_what_to_erase(update, context)


async def open_link(update: Update, context: KopiContext) -> None:
    """The deep links from the group: "d" exports, "d-hapus" starts the erasure."""
    if context.args and context.args[0] == f"{PREFIX}-{ERASE_LINK}":
        await ask_what_to_erase(update, context)
    else:
        await send_export(update, context)


async def send_export(update: Update, context: KopiContext) -> None:
    """Send the readable summary, then the whole JSON document."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    now = context.now()
    async with context.db.begin() as session:
        exported = await export_person(session, user.id, now)
    if exported is None:
        await reply(update, context, context.t("mydata.none"))
        return
    await reply(update, context, summary_text(context, exported))
    payload = json.dumps(exported.document, ensure_ascii=False, indent=2, default=str).encode()
    await context.bot.send_document(
        chat.id,
        payload,
        filename=f"kopi-datasaya-{now:%Y%m%d}.json",
        caption=context.t("mydata.file_caption"),
    )


async def ask_what_to_erase(update: Update, context: KopiContext) -> None:
    """Say what will be deleted and ask what happens to the shared items."""
    user = update.effective_user
    if user is None:
        return
    async with context.db.begin() as session:
        holdings = await holdings_of(session, user.id)
    if holdings is None:
        await reply(update, context, context.t("mydata.none"))
        return
    stamp = holdings.stamp
    cancel = button(context.t("mydata.button.cancel"), EraseCancel())
    if holdings.shared:
        shared = context.t("mydata.erase.shared", count=holdings.shared)
        markup = keyboard(
            [button(context.t("mydata.button.delete_shared"), EraseAsk("d", stamp))],
            [button(context.t("mydata.button.keep_shared"), EraseAsk("a", stamp))],
            [cancel],
        )
    else:
        shared = context.t("mydata.erase.no_shared")
        proceed = button(context.t("mydata.button.continue"), EraseAsk("d", stamp))
        markup = keyboard([proceed, cancel])
    await reply(update, context, context.t("mydata.erase.intro", shared=Markup(shared)), markup)


# ---------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class EraseCancel(Payload, prefix="pd:x"):
    """Erase nothing."""


@dataclass(frozen=True)
class EraseAsk(Payload, prefix="pd:k"):
    """Shared items deleted (d) or kept anonymously (a): ask the last time. stamp: the person
    row the button was made for (see models.personal_data.stamp_of)."""

    choice: Literal["d", "a"]
    stamp: BigId


@dataclass(frozen=True)
class EraseNow(Payload, prefix="pd:y"):
    """Erase, as confirmed."""

    choice: Literal["d", "a"]
    stamp: BigId


# ---------------------------------------------------------------------------- buttons


async def on_cancel(update: Update, context: KopiContext, action: EraseCancel) -> None:
    """Nothing is erased."""
    query = update.callback_query
    if query is None or is_group(update):
        await expired(update, context)
        return
    await query.answer()
    await edit(query, context.t("mydata.erase.cancelled"))


async def on_ask(update: Update, context: KopiContext, action: EraseAsk) -> None:
    """Ask the last time, for the choice made (the stamp ties it to this person row)."""
    query = update.callback_query
    if query is None or is_group(update):
        await expired(update, context)
        return
    async with context.db.begin() as session:
        person = await session.get(Person, query.from_user.id)
        current = stamp_of(person) if person is not None else None
    if current != action.stamp:
        await expired(update, context)
        return
    what = (
        "mydata.erase.confirm.delete"
        if Choice(action.choice) == Choice.DELETE
        else "mydata.erase.confirm.keep"
    )
    markup = keyboard(
        [button(context.t("mydata.button.confirm"), EraseNow(action.choice, action.stamp))],
        [button(context.t("mydata.button.cancel"), EraseCancel())],
    )
    await query.answer()
    await edit(query, context.t("mydata.erase.confirm", what=context.t(what)), markup)


async def on_erase(update: Update, context: KopiContext, action: EraseNow) -> None:
    """Erase, as confirmed."""
    if update.callback_query is None or is_group(update):
        await expired(update, context)
        return
    await erase_confirmed(update, context, Choice(action.choice), action.stamp)


async def erase_confirmed(update: Update, context: KopiContext, choice: Choice, stamp: int) -> None:
    """Erase, then bring kopi's own group posts in line, then say what was done."""
    query = update.callback_query
    assert query is not None
    user_id = query.from_user.id
    labels = {lang: t(lang, "mydata.anonymous") for lang in LANGUAGES}
    erasure: Erasure | None = None
    again = False
    reminders: list[tuple[int, int, int, Community]] = []
    async with context.db.begin() as session:
        person = await session.get(Person, user_id)
        if person is None or stamp_of(person) != stamp:
            # Pressed again after the erasure: this press registered the presser afresh.
            again = await forget_bare_person(session, user_id) if person is not None else True
        else:
            erasure = await erase_person(
                session, user_id, choice, anonymous_label=labels, now=context.now()
            )
            if erasure is not None:
                reminders = await _group_posts_to_redraw(session, erasure)
    _forget_in_memory(context, user_id)
    if erasure is None:
        key = "mydata.erase.already" if again else "error.expired_button"
        await query.answer(context.t(key), show_alert=again)
        return
    updated, failed = await _follow_posts(context, erasure.posts)
    for chat_id, message_id, meeting_id, community in reminders:
        queue_tally_edit(context, community, chat_id, message_id, meeting_id)
    await query.answer()
    await edit(query, done_text(context, erasure, updated + len(reminders), failed))


async def _group_posts_to_redraw(
    session: AsyncSession, erasure: Erasure
) -> list[tuple[int, int, int, Community]]:
    """Take deleted concerns off the reminders' agenda; return the reminders to redraw (those
    and the ones whose RSVP tally named the person): (chat, message, meeting, community)."""
    meetings = set(erasure.meetings)
    for community_id, text in erasure.deleted_concerns:
        community = await session.get(Community, community_id)
        if community is None:
            continue
        line = html.escape(shorten(text, AGENDA_ITEM_CHARS), quote=False)
        removed = t(community.language, "mydata.agenda.removed")
        for delivery in await replace_agenda_line(session, community_id, line, removed):
            if delivery.meeting_id is not None:
                meetings.add(delivery.meeting_id)
    return [
        (delivery.chat_id, delivery.message_id, delivery.meeting_id, community)
        for delivery, community in await sent_reminders(session, meetings)
        if delivery.chat_id is not None
        and delivery.message_id is not None
        and delivery.meeting_id is not None
    ]


def _forget_in_memory(context: KopiContext, user_id: int) -> None:
    """Drop what kopi remembers about the person between updates."""
    for key in [k for k in context.services.admin_cache if k[1] == user_id]:
        del context.services.admin_cache[key]
    asked = context.services.asked
    if asked is not None:
        for key in [k for k in asked if k[1] == user_id]:
            del asked[key]


# ---------------------------------------------------------------------------- group posts


async def _follow_posts(context: KopiContext, changes: list[PostChange]) -> tuple[int, int]:
    """Edit kopi's group posts of the person's shared reflections: without the name when kept,
    taken down when deleted. Return how many posts were changed and how many could not be."""
    updated = failed = 0
    for change in changes:
        if change.removed:
            done = await _take_down(context, change)
        else:
            post, done = await sync_post(
                context, change.reflection, change.community, None, change.where
            )
            if post != change.reflection.post:
                async with context.db.begin() as session:
                    stored = await session.get(Reflection, change.reflection.id)
                    if stored is not None:
                        stored.post = post
        if done:
            updated += 1
        else:
            failed += 1
    return updated, failed


async def _take_down(context: KopiContext, change: PostChange) -> bool:
    """Delete the post of a deleted reflection; where Telegram no longer allows deleting (after
    48 hours), replace its words with a note. Return whether nothing of it is left."""
    post = change.reflection.post or {}
    chat_id = int(post["chat"])
    note = t(change.community.language, "mydata.post.removed")
    done = True
    texts = [int(m) for m in post.get("text", [])]
    voices = [int(m) for _, m in post.get("voice", [])]
    for message_id in [*texts, *voices]:
        try:
            await context.bot.delete_message(chat_id, message_id)
            continue
        except TelegramError as error:
            log.info("reflection post %s in %s not deleted: %s", message_id, chat_id, error)
        try:
            if message_id in texts:
                await context.bot.edit_message_text(note, chat_id=chat_id, message_id=message_id)
            else:
                await context.bot.edit_message_caption(chat_id, message_id, caption=note)
        except TelegramError as error:
            log.info("reflection post %s in %s not edited: %s", message_id, chat_id, error)
            done = False
    return done


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the personal-data commands, deep links and buttons."""
    return [
        CommandHandler(["datasaya", "mydata"], my_data),
        CommandHandler(["hapusdata", "deletemydata"], erase_data),
        CommandHandler("start", open_link, filters=deep_link(PREFIX)),
        on(EraseCancel, on_cancel),
        on(EraseAsk, on_ask),
        on(EraseNow, on_erase),
    ]
