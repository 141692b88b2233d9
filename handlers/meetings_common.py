"""What the meetings' handlers share: wording of times and rules, and answering a command or a
button in the right place (a group, a facilitator, a schedule to act on)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from handlers.callbacks import Payload
from handlers.callbacks import answer as answer  # the meetings' modules' too
from handlers.common import (
    button,
    is_group,
    keyboard,
    not_modified,
    refuse_unless_facilitator,
    reply,
    shorten,
)
from handlers.context import KopiContext
from handlers.meetings_delivery import (
    NAMES_CHARS,
    duration_text,
    when_text,
)
from handlers.texts import t
from models.community import Community
from models.meetings import (
    Meeting,
    MeetingSchedule,
    get_schedule,
)
from scheduler.planner import rule_of
from scheduler.recurrence import (
    EVE,
    ZONE_ABBREVIATIONS,
    Reminder,
    holiday_name,
    local_date,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetSchedule(Payload, prefix="mt:s"):
    """Start setting the routine meeting step by step (the day first)."""


def clock_text(lang: str, at: time) -> str:
    """Return a time of day as people write it: '14.00' (id), '14:00' (en)."""
    return f"{at:%H:%M}" if lang == "en" else f"{at:%H.%M}"


def zone_text(timezone: str) -> str:
    """Return WIB / WITA / WIT (or the zone's name)."""
    return ZONE_ABBREVIATIONS.get(timezone, timezone)


def rule_text(context: KopiContext, schedule: MeetingSchedule) -> str:
    """Return 'setiap Kamis pukul 14.00 WITA' in the chat's language."""
    rule = rule_of(schedule)
    return rule_words(context.lang, rule.weekday, rule.at, rule.timezone, rule.interval_weeks)


def rule_words(lang: str, weekday: int, at: time, timezone: str, interval_weeks: int) -> str:
    """Return a routine meeting as kopi shows it ('dua minggu sekali, Kamis pukul 14.00 WITA'):
    scheduler.phrases reads it back the same (tests/test_phrases.py)."""
    key = "meet.rule.biweekly" if interval_weeks == 2 else "meet.rule.weekly"
    return t(
        lang,
        key,
        day=t(lang, f"meet.day.{weekday}"),
        time=clock_text(lang, at),
        zone=zone_text(timezone),
    )


def reminder_label(context: KopiContext, reminder: Reminder) -> str:
    """Return 'malam sebelumnya pukul 19.00' or '1 jam sebelumnya'."""
    if reminder == EVE:
        return context.t("meet.reminder.eve")
    return context.t("meet.reminder.before", span=duration_text(context, int(reminder)))


def reminders_text(context: KopiContext, reminders: tuple[Reminder, ...]) -> str:
    """Return the reminders in words."""
    if not reminders:
        return context.t("meet.reminder.none")
    return ", ".join(reminder_label(context, r) for r in reminders)


def short_date(context: KopiContext, day: date) -> str:
    """Return 'Kam 26/11' for buttons."""
    return f"{context.t(f'meet.dow.{day.weekday()}')} {day.day}/{day.month}"


def meeting_line(context: KopiContext, meeting: Meeting, timezone: str) -> str:
    """Return one meeting in a list, with its status."""
    when = when_text(context, meeting.starts_at, timezone)
    if meeting.status == "holiday":
        name = holiday_name(meeting.slot_date, context.lang) or ""
        return context.t("meet.line.holiday", when=when, holiday=name)
    if meeting.status == "cancelled":
        return context.t("meet.line.cancelled", when=when)
    if meeting.manual and local_date(meeting.starts_at, timezone) != meeting.slot_date:
        return context.t("meet.line.moved", when=when)
    return context.t("meet.line", when=when)


def names_text(names: list[str]) -> str:
    """Return names joined, cut to a readable length."""
    return shorten(", ".join(names), NAMES_CHARS) if names else "—"


async def edit_or_reply(
    update: Update,
    context: KopiContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Edit the message a button was pressed on, or reply when there is none."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            edited = await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:
            if not not_modified(error):
                raise
            return query.message
        return edited if isinstance(edited, Message) else query.message
    return await reply(update, context, text, markup)


async def group_community(update: Update, context: KopiContext) -> Community | None:
    """Return the group's community, telling the user when the command belongs in a group."""
    if not is_group(update) or context.community is None:
        await answer(update)
        await reply(update, context, context.t("error.group_only"))
        return None
    return context.community


async def facilitator_community(update: Update, context: KopiContext) -> Community | None:
    """Return the group's community when a facilitator asks; refuse everyone else politely."""
    community = await group_community(update, context)
    if community is None or await refuse_unless_facilitator(update, context):
        return None
    return community


async def schedule_or_hint(
    update: Update, context: KopiContext, community: Community
) -> MeetingSchedule | None:
    async with context.db() as session:
        schedule = await get_schedule(session, community.id)
    if schedule is None:
        await answer(update)
        await reply(
            update,
            context,
            context.t("meet.no_schedule.admin"),
            keyboard([button(context.t("meet.button.set"), SetSchedule())]),
        )
    return schedule
