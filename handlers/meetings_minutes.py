"""The minutes of the latest meeting (/notulen, or the answer to kopi's question), the place a
facilitator gives when kopi asks for it, and the attendance a facilitator corrects.

Both questions go through the conversation core (``handlers.conversation``): the answer is taken
as a reply to the question or as the asker's next plain message, "batal" cancels. Each minutes
entry is keyed by the message it came from, so the same message delivered again adds nothing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from handlers.callbacks import BigId, Payload, expired
from handlers.common import (
    Refusal,
    argument_text,
    button,
    is_facilitator,
    keyboard,
    reply,
    shorten,
    split_text,
)
from handlers.context import KopiContext
from handlers.conversation import Answer, ask
from handlers.meetings_common import (
    answer,
    edit_or_reply,
    facilitator_community,
    group_community,
    names_text,
)
from handlers.meetings_sources import count_meeting_reflections
from handlers.texts import Markup, format_date
from models.community import Community
from models.meetings import (
    MAX_PLACE,
    Meeting,
    MeetingSchedule,
    MinutesEntry,
    append_minutes,
    attendance,
    get_meeting,
    get_schedule,
    is_member,
    latest_meeting,
    members,
    minutes_entries,
    toggle_attendance,
)
from models.prompts import Prompt, take_prompt

ATTENDANCE_PAGE = 20
KIND_MINUTES = "meet.minutes"  # target_id: the meeting
KIND_PLACE = "meet.place"


@dataclass(frozen=True)
class Attendance(Payload, prefix="mt:a"):
    """Show a page of the attendance a facilitator corrects."""

    meeting_id: int
    page: int


@dataclass(frozen=True)
class ToggleAttendance(Payload, prefix="mt:t"):
    """Mark a member present or absent, staying on the page."""

    meeting_id: int
    person_id: BigId
    page: int


@dataclass(frozen=True)
class ReflectionCount(Payload, prefix="mt:rc"):
    """Tell a facilitator how many reflected on a meeting."""

    meeting_id: int


def minutes_buttons(context: KopiContext, meeting_id: int) -> InlineKeyboardMarkup:
    """Return the facilitator's buttons under the minutes: attendance, and the reflection count."""
    return keyboard(
        [button(context.t("meet.button.attendance"), Attendance(meeting_id, 0))],
        [button(context.t("meet.button.reflections"), ReflectionCount(meeting_id))],
    )


def _author(update: Update) -> tuple[int | None, str | None]:
    """Return who writes (a person's id, None for an anonymous admin) and the name shown."""
    message, user = update.effective_message, update.effective_user
    if message is not None and message.sender_chat is not None:
        return None, message.sender_chat.title or None  # an anonymous admin: the group's name
    if user is None or user.is_bot:
        return None, None
    return user.id, user.full_name


def _minutes_markup(context: KopiContext, entries: list[MinutesEntry]) -> Markup:
    """Return the entries as HTML: each author's name in bold over what they wrote."""
    if not entries:
        return Markup(context.t("meet.minutes.empty"))
    parts = [
        (f"<b>— {html.escape(e.author_name)}:</b>\n" if e.author_name else "") + html.escape(e.text)
        for e in entries
    ]
    return Markup("\n\n".join(parts))


async def minutes(update: Update, context: KopiContext) -> None:
    """Save the minutes of the latest meeting (text after the command, or the replied message);
    alone, show them and ask what to add."""
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
    if text:
        await _save_minutes(update, context, community, None, text)
        return
    now = context.now()
    try:
        async with context.db() as session:
            meeting = await latest_meeting(session, community.id, now)
            schedule = await get_schedule(session, community.id)
            if meeting is None or schedule is None:
                raise Refusal(context.t("meet.minutes.no_meeting"))
            entries = await minutes_entries(session, meeting.id)
            present = [p.full_name for p in await attendance(session, meeting.id)]
    except Refusal as refusal:
        await reply(update, context, refusal.text)
        return
    date_text = format_date(context.lang, meeting.starts_at, schedule.timezone)
    shown = context.t(
        "meet.minutes.show",
        date=date_text,
        minutes=_minutes_markup(context, entries),
        count=len(present),
        names=names_text(present),
    )
    parts = split_text(shown)
    for part in parts[:-1]:
        await reply(update, context, part)
    await reply(update, context, parts[-1], minutes_buttons(context, meeting.id))
    await ask(
        update,
        context,
        community,
        context.t("meet.minutes.ask", date=date_text),
        kind=KIND_MINUTES,
        target_id=meeting.id,
    )


async def _save_minutes(
    update: Update,
    context: KopiContext,
    community: Community,
    pending: Prompt | None,
    text: str,
) -> None:
    """Add an entry to the minutes (of the meeting asked about, else of the latest meeting),
    consuming the question it answers; a message that added one before adds nothing."""
    message = update.effective_message
    if message is None:
        return
    author_id, author_name = _author(update)
    now = context.now()
    meeting: Meeting | None
    schedule: MeetingSchedule | None
    added: bool | None = None  # None: no meeting to add to
    present: list[str] = []
    async with context.db.begin() as session:
        if pending is not None and not await take_prompt(session, pending.id):
            return  # answered already (a repeated delivery)
        if pending is not None and pending.target_id is not None:
            meeting = await get_meeting(session, pending.target_id)
            if meeting is not None and meeting.community_id != community.id:
                meeting = None
        else:
            meeting = await latest_meeting(session, community.id, now)
        schedule = await get_schedule(session, community.id)
        if meeting is not None and schedule is not None:
            added = await append_minutes(
                session,
                meeting,
                author_name,
                text,
                author_id=author_id,
                now=now,
                chat_id=message.chat_id,
                message_id=message.message_id,
            )
            present = [p.full_name for p in await attendance(session, meeting.id)]
    if added is None or meeting is None or schedule is None:
        await reply(update, context, context.t("meet.minutes.no_meeting"))
        return
    if not added:  # Telegram delivered this message again
        await reply(update, context, context.t("meet.minutes.already"))
        return
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


async def minutes_answered(
    update: Update, context: KopiContext, pending: Prompt, text: str
) -> None:
    """Take the answer to "what shall I add to the minutes?"."""
    if context.community is not None:
        await _save_minutes(update, context, context.community, pending, text)


async def ask_place(
    update: Update, context: KopiContext, community: Community, above: str | None = None
) -> None:
    """Ask the facilitator who set the schedule where the meetings are held (under the text
    above, when given: the saved schedule, so that one message says both)."""
    question = context.t("meet.place.ask")
    if above is None:
        await ask(update, context, community, question, kind=KIND_PLACE)
        return

    def framed(who: Markup) -> str:
        return f"{above}\n\n" + context.t("agree.ask", who=who, question=Markup(question))

    await ask(update, context, community, framed, kind=KIND_PLACE)


async def place_answered(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """Take the answer to "where do you meet?" (still a facilitator's to give)."""
    community = context.community
    if community is None:
        return
    if not await is_facilitator(update, context):
        async with context.db.begin() as session:
            await take_prompt(session, pending.id)
        await reply(update, context, context.t("error.facilitator_only"))
        return
    async with context.db.begin() as session:
        if not await take_prompt(session, pending.id):
            return  # answered already (a repeated delivery)
        stored = await get_schedule(session, community.id)
        if stored is None:
            return
        stored.place = shorten(text.strip(), MAX_PLACE)
        place = stored.place
    await reply(update, context, context.t("meet.place.saved", place=place))


ANSWERS: dict[str, Answer] = {KIND_MINUTES: minutes_answered, KIND_PLACE: place_answered}


async def on_attendance(update: Update, context: KopiContext, action: Attendance) -> None:
    """Show a page of a meeting's attendance to correct."""
    await attendance_editor(update, context, action.meeting_id, action.page)


async def on_toggle_attendance(
    update: Update, context: KopiContext, action: ToggleAttendance
) -> None:
    """Mark one member present or absent."""
    await attendance_editor(
        update, context, action.meeting_id, action.page, toggle=action.person_id
    )


async def attendance_editor(
    update: Update, context: KopiContext, meeting_id: int, page: int, toggle: int | None = None
) -> None:
    """Let a facilitator correct who attended (a page of members, each a toggle)."""
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
                ToggleAttendance(meeting.id, p.id, page),
            )
        ]
        for p in shown
    ]
    nav = []
    if page > 0:
        nav.append(button("⬅️", Attendance(meeting.id, page - 1)))
    if page < pages - 1:
        nav.append(button("➡️", Attendance(meeting.id, page + 1)))
    rows.append(nav)
    text = context.t(
        "meet.attendance.edit",
        date=format_date(context.lang, meeting.starts_at, schedule.timezone),
        count=len(present),
    )
    await edit_or_reply(update, context, text, keyboard(*rows))


async def reflection_count(update: Update, context: KopiContext, action: ReflectionCount) -> None:
    """Tell a facilitator how many reflected on a meeting, in a pop-up only they see.

    A count only: no content and no names, and nothing is posted in the group.
    """
    community = await facilitator_community(update, context)
    if community is None:
        return
    count = attended = 0
    async with context.db() as session:
        meeting = await get_meeting(session, action.meeting_id)
        schedule = await get_schedule(session, community.id)
        if meeting is None or schedule is None or meeting.community_id != community.id:
            meeting = None  # a forged id, or another community's meeting
        else:
            count = await count_meeting_reflections(session, meeting.id)
            attended = len(await attendance(session, meeting.id))
    if meeting is None or schedule is None:
        await expired(update, context)
        return
    text = context.t(
        "meet.reflections.count",
        date=format_date(context.lang, meeting.starts_at, schedule.timezone),
        count=count,
        attended=attended,
    )
    await answer(update, text, alert=True)
