"""The minutes of the latest meeting (/notulen, or a reply to kopi's prompt), the attendance a
facilitator corrects, and the place a facilitator sends as a reply to kopi's question."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from handlers.common import (
    Refusal,
    button,
    is_facilitator,
    keyboard,
    reply,
    shorten,
    split_text,
)
from handlers.context import KopiContext
from handlers.meetings_common import (
    answer,
    argument_text,
    edit_or_reply,
    facilitator_community,
    group_community,
    names_text,
)
from handlers.meetings_sources import count_meeting_reflections
from handlers.texts import Markup, format_date
from models.meetings import (
    MAX_PLACE,
    append_minutes,
    attendance,
    get_meeting,
    get_schedule,
    is_member,
    latest_meeting,
    meeting_by_prompt,
    members,
    toggle_attendance,
)

ATTENDANCE_PAGE = 20


def minutes_buttons(context: KopiContext, meeting_id: int) -> InlineKeyboardMarkup:
    """Return the facilitator's buttons under the minutes: attendance, and the reflection count."""
    return keyboard(
        [button(context.t("meet.button.attendance"), f"mt:a:{meeting_id}:0")],
        [button(context.t("meet.button.reflections"), f"mt:rc:{meeting_id}")],
    )


async def minutes(update: Update, context: KopiContext) -> None:
    """Save the minutes of the latest meeting (text after the command, or the replied message)."""
    community = await group_community(update, context)
    message = update.effective_message
    if community is None or message is None:
        return
    text = argument_text(update)
    replied = message.reply_to_message
    if (
        not text
        and replied is not None
        and replied.from_user is not None
        and replied.from_user.id != context.bot.id
    ):
        text = (replied.text or replied.caption or "").strip()
    now = context.now()
    try:
        async with context.db.begin() as session:
            meeting = await latest_meeting(session, community.id, now)
            schedule = await get_schedule(session, community.id)
            if meeting is None or schedule is None:
                raise Refusal(context.t("meet.minutes.no_meeting"))
            if text:
                author = update.effective_user.full_name if update.effective_user else "?"
                await append_minutes(session, meeting, author, text)
            present = [p.full_name for p in await attendance(session, meeting.id)]
    except Refusal as refusal:
        await reply(update, context, refusal.text)
        return
    date_text = format_date(context.lang, meeting.starts_at, schedule.timezone)
    buttons = minutes_buttons(context, meeting.id)
    if text:
        await reply(
            update,
            context,
            context.t(
                "meet.minutes.saved",
                date=date_text,
                count=len(present),
                names=names_text(present),
            ),
            buttons,
        )
        return
    shown = context.t(
        "meet.minutes.show",
        date=date_text,
        minutes=meeting.minutes or Markup(context.t("meet.minutes.empty")),
        count=len(present),
        names=names_text(present),
    )
    parts = split_text(shown)
    for part in parts[:-1]:
        await reply(update, context, part)
    sent = await reply(update, context, parts[-1], buttons)
    if sent is not None:
        async with context.db.begin() as session:
            stored = await get_meeting(session, meeting.id)
            if stored is not None:
                stored.minutes_prompt_id = sent.message_id


async def prompt_reply(update: Update, context: KopiContext) -> None:
    """Take a reply to kopi's place or minutes prompt."""
    message = update.effective_message
    community = context.community
    if message is None or community is None or message.reply_to_message is None:
        return
    text = (message.text or message.caption or "").strip()
    replied_id = message.reply_to_message.message_id
    if not text:
        return
    async with context.db() as session:
        schedule = await get_schedule(session, community.id)
        meeting = await meeting_by_prompt(session, community.id, replied_id)
    if schedule is not None and schedule.place_prompt_id == replied_id:
        if not await is_facilitator(update, context):
            await reply(update, context, context.t("error.facilitator_only"))
            return
        async with context.db.begin() as session:
            stored = await get_schedule(session, community.id)
            if stored is None:
                return
            stored.place = shorten(text, MAX_PLACE)
            place = stored.place
        await reply(update, context, context.t("meet.place.saved", place=place))
        return
    if meeting is None or schedule is None:
        return
    author = update.effective_user.full_name if update.effective_user else "?"
    async with context.db.begin() as session:
        stored_meeting = await get_meeting(session, meeting.id)
        if stored_meeting is None:
            return
        await append_minutes(session, stored_meeting, author, text)
        present = [p.full_name for p in await attendance(session, meeting.id)]
    await reply(
        update,
        context,
        context.t(
            "meet.minutes.saved",
            date=format_date(context.lang, meeting.starts_at, schedule.timezone),
            count=len(present),
            names=names_text(present),
        ),
        minutes_buttons(context, meeting.id),
    )


async def attendance_editor(
    update: Update, context: KopiContext, meeting_id: int, page: int, toggle: int | None = None
) -> None:
    """Let a facilitator correct who attended (mt:a:id:page, mt:t:id:person:page)."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    now = context.now()
    try:
        async with context.db.begin() as session:
            meeting = await get_meeting(session, meeting_id)
            schedule = await get_schedule(session, community.id)
            if meeting is None or schedule is None or meeting.community_id != community.id:
                raise Refusal(context.t("error.expired_button"))
            if toggle is not None:
                if not await is_member(session, community.id, toggle):
                    raise Refusal(context.t("error.expired_button"))
                await toggle_attendance(session, meeting.id, toggle, now)
            people = await members(session, community.id)
            present = {p.id for p in await attendance(session, meeting.id)}
    except Refusal as refusal:
        await answer(update, refusal.text)
        return
    await answer(update)
    pages = max((len(people) - 1) // ATTENDANCE_PAGE + 1, 1)
    page = min(max(page, 0), pages - 1)
    shown = people[page * ATTENDANCE_PAGE : (page + 1) * ATTENDANCE_PAGE]
    rows: list[list[InlineKeyboardButton]] = [
        [
            button(
                ("✅ " if p.id in present else "▫️ ") + shorten(p.full_name, 40),
                f"mt:t:{meeting.id}:{p.id}:{page}",
            )
        ]
        for p in shown
    ]
    nav = []
    if page > 0:
        nav.append(button("⬅️", f"mt:a:{meeting.id}:{page - 1}"))
    if page < pages - 1:
        nav.append(button("➡️", f"mt:a:{meeting.id}:{page + 1}"))
    rows.append(nav)
    text = context.t(
        "meet.attendance.edit",
        date=format_date(context.lang, meeting.starts_at, schedule.timezone),
        count=len(present),
    )
    await edit_or_reply(update, context, text, keyboard(*rows))


async def reflection_count(update: Update, context: KopiContext, meeting_id: int) -> None:
    """Tell a facilitator how many reflected on a meeting, in a pop-up only they see (mt:rc:id).

    A count only: no content and no names, and nothing is posted in the group.
    """
    community = await facilitator_community(update, context)
    if community is None:
        return
    count = attended = 0
    async with context.db() as session:
        meeting = await get_meeting(session, meeting_id) if meeting_id < 2**31 else None
        schedule = await get_schedule(session, community.id)
        if meeting is None or schedule is None or meeting.community_id != community.id:
            meeting = None  # a forged id, or another community's meeting
        else:
            count = await count_meeting_reflections(session, meeting.id)
            attended = len(await attendance(session, meeting.id))
    if meeting is None or schedule is None:
        await answer(update, context.t("error.expired_button"))
        return
    text = context.t(
        "meet.reflections.count",
        date=format_date(context.lang, meeting.starts_at, schedule.timezone),
        count=count,
        attended=attended,
    )
    await answer(update, text, alert=True)


class _ReplyToBot(filters.MessageFilter):
    """Replies to one of kopi's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == message.get_bot().id
        )


_PROMPT_REPLIES = (
    filters.UpdateType.MESSAGE
    & filters.ChatType.GROUPS
    & (filters.TEXT | filters.CAPTION)
    & ~filters.COMMAND
)


def prompt_reply_handler() -> BaseHandler[Update, KopiContext, None]:
    """Return the handler for replies to the place and minutes prompts (group MINUTES_REPLIES)."""
    return MessageHandler(_PROMPT_REPLIES & _ReplyToBot(), prompt_reply)
