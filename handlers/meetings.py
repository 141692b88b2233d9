"""Routine meetings in the group: /jadwal, /aturjadwal, /pengingat, /liburkan, /pindahkan,
/ringkasan, and the RSVP buttons.

Every command with arguments also works step by step with buttons; button data starts with ``mt:``.
/notulen and attendance live in ``handlers.meetings_minutes``; what the scheduler sends (reminders,
nudges, invitations, digests) in ``handlers.meetings_delivery``.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers.common import (
    Refusal,
    button,
    is_group,
    keyboard,
    reply,
    shorten,
    spec,
    thread_of,
)
from handlers.context import KopiContext
from handlers.meetings_common import (
    answer,
    argument_text,
    clock_text,
    edit_or_reply,
    facilitator_community,
    meeting_line,
    reminder_label,
    reminders_text,
    rule_text,
    schedule_or_hint,
    short_date,
    zone_text,
)
from handlers.meetings_delivery import (
    RESPONSE_CODES,
    job_context,
    rsvp_markup,
    when_text,
    with_tally,
)
from handlers.meetings_minutes import (
    ANSWERS,
    ask_place,
    attendance_editor,
    minutes,
    reflection_count,
)
from handlers.texts import Markup, format_date
from models.community import Community, communities_of
from models.meetings import (
    MAX_PLACE,
    Meeting,
    MeetingSchedule,
    delivery_by_message,
    get_meeting,
    get_schedule,
    group_reminder,
    is_member,
    meetings_between,
    move_meeting,
    record_response,
    save_schedule,
    set_status,
    tally,
    upcoming_meetings,
)
from scheduler import jobs
from scheduler.planner import apply_change, materialize
from scheduler.recurrence import (
    EVE,
    ZONES,
    Reminder,
    Rule,
    at_local,
    first_date,
    local_date,
    local_time,
    parse_date,
    parse_reminders,
    parse_schedule_line,
    parse_time,
    reminders_from_text,
    reminders_to_text,
)

log = logging.getLogger(__name__)

# The answers to the place and minutes questions, for the conversation core (bot.app).
__all__ = ["ANSWERS", "COMMANDS", "build_handlers", "prompt_reply_handler"]

COMMANDS = [
    spec("jadwal", "meet.cmd.schedule", "private", "group", aliases=["schedule"]),
    spec("aturjadwal", "meet.cmd.set", "admin", aliases=["setschedule"]),
    spec("pengingat", "meet.cmd.reminders", "admin", aliases=["reminders"]),
    spec("liburkan", "meet.cmd.cancel", "admin", aliases=["cancelmeeting"]),
    spec("pindahkan", "meet.cmd.move", "admin", aliases=["movemeeting"]),
    spec("notulen", "meet.cmd.minutes", "group", aliases=["minutes"]),
    spec("ringkasan", "meet.cmd.digest", "admin", aliases=["digest"]),
]

SHOWN_MEETINGS = 4
WIZARD_HOURS = (7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 20, 21)
REMINDER_OPTIONS: tuple[Reminder, ...] = (EVE, 1440, 180, 60, 30)


# ---------------------------------------------------------------------------------- /jadwal


async def show_schedule(update: Update, context: KopiContext) -> None:
    """Show the routine meeting and the next meetings (in private: of each community)."""
    await answer(update)
    if not is_group(update):
        await _private_schedule(update, context)
        return
    community = context.community
    if community is None:
        return
    now = context.now()
    async with context.db.begin() as session:
        schedule = await get_schedule(session, community.id)
        if schedule is not None:
            await materialize(session, schedule, now)
            upcoming = await upcoming_meetings(session, community.id, now, SHOWN_MEETINGS)
    if schedule is None:
        await reply(
            update,
            context,
            context.t("meet.no_schedule"),
            keyboard([button(context.t("meet.button.set"), "mt:s")]),
        )
        return
    await reply(
        update, context, schedule_text(context, schedule, upcoming), _menu(context, schedule)
    )


def schedule_text(context: KopiContext, schedule: MeetingSchedule, upcoming: list[Meeting]) -> str:
    """Return the routine meeting in words and the next meetings."""
    lines = "\n".join(meeting_line(context, m, schedule.timezone) for m in upcoming)
    return context.t(
        "meet.summary",
        rule=rule_text(context, schedule),
        place=Markup(
            context.t("meet.place", place=schedule.place) + "\n" if schedule.place else ""
        ),
        reminders=reminders_text(context, reminders_from_text(schedule.reminders)),
        holidays=context.t(
            "meet.holidays.skipped" if schedule.skip_holidays else "meet.holidays.kept"
        ),
        digest=context.t("meet.digest.on" if schedule.digest_enabled else "meet.digest.off"),
        meetings=Markup(lines or context.t("meet.none_upcoming")),
    )


def _menu(context: KopiContext, schedule: MeetingSchedule) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(context.t("meet.button.change"), "mt:s"),
            button(context.t("meet.button.reminders"), "mt:p"),
        ],
        [
            button(context.t("meet.button.cancel"), "mt:c"),
            button(context.t("meet.button.move"), "mt:m"),
        ],
        [
            button(
                context.t(
                    "meet.button.holidays_keep"
                    if schedule.skip_holidays
                    else "meet.button.holidays_skip"
                ),
                f"mt:h:{0 if schedule.skip_holidays else 1}",
            ),
            button(
                context.t(
                    "meet.button.digest_off" if schedule.digest_enabled else "meet.button.digest_on"
                ),
                f"mt:d:{0 if schedule.digest_enabled else 1}",
            ),
        ],
    )


async def _private_schedule(update: Update, context: KopiContext) -> None:
    user = update.effective_user
    if user is None:
        return
    now = context.now()
    lines: list[str] = []
    async with context.db.begin() as session:
        for community in await communities_of(session, user.id):
            schedule = await get_schedule(session, community.id)
            if schedule is None:
                continue
            await materialize(session, schedule, now)
            following = await upcoming_meetings(
                session, community.id, now, 1, statuses=("scheduled",)
            )
            when = (
                when_text(context, following[0].starts_at, schedule.timezone)
                if following
                else context.t("meet.none_upcoming")
            )
            lines.append(context.t("meet.private.line", title=community.title, when=when))
    if not lines:
        await reply(update, context, context.t("meet.private.none"))
        return
    await reply(update, context, context.t("meet.private.title") + "\n" + "\n".join(lines))


# ------------------------------------------------------------------------------ /aturjadwal


async def set_schedule(update: Update, context: KopiContext) -> None:
    """Set the routine meeting: in one line, or step by step with buttons."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    line = argument_text(update)
    if not line:
        await reply(update, context, context.t("meet.wizard.day"), _day_picker(context))
        return
    parsed = parse_schedule_line(line)
    if parsed.weekday is None or parsed.at is None:
        await reply(update, context, context.t("meet.error.schedule_line"), _day_picker(context))
        return
    async with context.db() as session:
        existing = await get_schedule(session, community.id)
    interval = parsed.interval_weeks or (existing.interval_weeks if existing else 1)
    await _apply_schedule(
        update,
        context,
        community,
        weekday=parsed.weekday,
        at=parsed.at,
        timezone=parsed.timezone or community.timezone,
        interval=interval,
        place=parsed.place,
    )


def _day_picker(context: KopiContext) -> InlineKeyboardMarkup:
    days = [button(context.t(f"meet.day.{d}"), f"mt:s:{d}") for d in range(7)]
    return keyboard(days[:4], days[4:])


def _time_picker(context: KopiContext, prefix: str) -> InlineKeyboardMarkup:
    buttons = [
        button(clock_text(context.lang, time(hour)), f"{prefix}:{hour:02d}00")
        for hour in WIZARD_HOURS
    ]
    return keyboard(*[buttons[i : i + 4] for i in range(0, len(buttons), 4)])


async def schedule_wizard(update: Update, context: KopiContext, parts: list[str]) -> None:
    """Walk through day, time, zone and frequency (mt:s[:day[:hhmm[:zone[:weeks]]]])."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    await answer(update)
    if not parts:
        await reply(update, context, context.t("meet.wizard.day"), _day_picker(context))
        return
    weekday = int(parts[0]) % 7
    day = context.t(f"meet.day.{weekday}")
    if len(parts) == 1:
        await edit_or_reply(
            update,
            context,
            context.t("meet.wizard.time", day=day),
            _time_picker(context, f"mt:s:{weekday}"),
        )
        return
    at = time(int(parts[1][:2]) % 24, int(parts[1][2:4]) % 60)
    if len(parts) == 2:
        zones = [button(name, f"mt:s:{weekday}:{parts[1]}:{name}") for name in ZONES]
        await edit_or_reply(
            update,
            context,
            context.t("meet.wizard.zone", day=day, time=clock_text(context.lang, at)),
            keyboard(zones),
        )
        return
    timezone = ZONES.get(parts[2], community.timezone)
    if len(parts) == 3:
        prefix = f"mt:s:{weekday}:{parts[1]}:{parts[2]}"
        await edit_or_reply(
            update,
            context,
            context.t(
                "meet.wizard.interval",
                day=day,
                time=clock_text(context.lang, at),
                zone=zone_text(timezone),
            ),
            keyboard(
                [
                    button(context.t("meet.button.weekly"), f"{prefix}:1"),
                    button(context.t("meet.button.biweekly"), f"{prefix}:2"),
                ]
            ),
        )
        return
    await _apply_schedule(
        update,
        context,
        community,
        weekday=weekday,
        at=at,
        timezone=timezone,
        interval=2 if parts[3] == "2" else 1,
        place=None,
    )


async def _apply_schedule(
    update: Update,
    context: KopiContext,
    community: Community,
    *,
    weekday: int,
    at: time,
    timezone: str,
    interval: int,
    place: str | None,
) -> None:
    now = context.now()
    rule = Rule(weekday, at, timezone, interval)
    async with context.db.begin() as session:
        existing = await get_schedule(session, community.id)
        keep_anchor = (
            existing is not None
            and existing.weekday == weekday
            and existing.interval_weeks == interval
        )
        schedule = await save_schedule(
            session,
            community.id,
            weekday=weekday,
            minute_of_day=at.hour * 60 + at.minute,
            timezone=timezone,
            interval_weeks=interval,
            anchor_date=existing.anchor_date
            if keep_anchor and existing is not None
            else first_date(rule, now),
            thread_id=thread_of(update),
            place=shorten(place, MAX_PLACE) if place else None,
            now=now,
        )
        await apply_change(session, schedule, now)
        upcoming = await upcoming_meetings(session, community.id, now, 1)
    context.services.known.forget_community(community.chat_id)  # its time zone may have changed
    text = context.t(
        "meet.saved",
        rule=rule_text(context, schedule),
        reminders=reminders_text(context, reminders_from_text(schedule.reminders)),
    )
    if upcoming:
        text += "\n" + context.t(
            "meet.next.saved", line=Markup(meeting_line(context, upcoming[0], timezone))
        )
    if schedule.place:
        text += "\n" + context.t("meet.place", place=schedule.place)
        await edit_or_reply(update, context, text)
    elif update.callback_query is not None:
        # The wizard's message shows the schedule; the question needs a message of its own.
        await edit_or_reply(update, context, text)
        await ask_place(update, context, community)
    else:
        await ask_place(update, context, community, above=text)
    await jobs.reschedule(context.application, community.id)


# ------------------------------------------------------------------------------- /pengingat


async def set_reminders(update: Update, context: KopiContext) -> None:
    """Change the reminder times: '/pengingat 1440 60', or with buttons."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    line = argument_text(update)
    current = reminders_from_text(schedule.reminders)
    if not line:
        await _reminder_picker(update, context, current, edit=False)
        return
    parsed = parse_reminders(line)
    if parsed is None:
        await reply(update, context, context.t("meet.error.reminders"))
        return
    await _save_reminders(update, context, community, parsed)


def _mask(reminders: tuple[Reminder, ...]) -> int:
    return sum(1 << i for i, option in enumerate(REMINDER_OPTIONS) if option in reminders)


async def _reminder_picker(
    update: Update, context: KopiContext, chosen: tuple[Reminder, ...], *, edit: bool
) -> None:
    mask = _mask(chosen)
    rows = [
        [
            button(
                ("✅ " if mask & (1 << i) else "▫️ ") + reminder_label(context, option),
                f"mt:p:{mask ^ (1 << i)}",
            )
        ]
        for i, option in enumerate(REMINDER_OPTIONS)
    ]
    rows.append([button(context.t("meet.button.save"), f"mt:p:{mask}:ok")])
    text = context.t("meet.reminders.pick", current=reminders_text(context, chosen))
    if edit:
        await edit_or_reply(update, context, text, keyboard(*rows))
    else:
        await reply(update, context, text, keyboard(*rows))


async def reminders_wizard(update: Update, context: KopiContext, parts: list[str]) -> None:
    """Toggle reminder options and save them (mt:p[:mask[:ok]])."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    await answer(update)
    if not parts:
        await _reminder_picker(update, context, reminders_from_text(schedule.reminders), edit=False)
        return
    mask = int(parts[0]) if parts[0].isdigit() else 0
    chosen = tuple(o for i, o in enumerate(REMINDER_OPTIONS) if mask & (1 << i))
    if len(parts) == 1:
        await _reminder_picker(update, context, chosen, edit=True)
        return
    await _save_reminders(update, context, community, chosen)


async def _save_reminders(
    update: Update, context: KopiContext, community: Community, reminders: tuple[Reminder, ...]
) -> None:
    now = context.now()
    async with context.db.begin() as session:
        schedule = await get_schedule(session, community.id)
        if schedule is None:
            return
        schedule.reminders = reminders_to_text(reminders)
        await apply_change(session, schedule, now)
    await edit_or_reply(
        update,
        context,
        context.t("meet.reminders.saved", reminders=reminders_text(context, reminders)),
    )
    await jobs.reschedule(context.application, community.id)


# -------------------------------------------------------------------------------- /liburkan


async def cancel_meeting(update: Update, context: KopiContext) -> None:
    """Cancel the next meeting (or the one on a given date)."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    await answer(update)
    now = context.now()
    line = argument_text(update) if update.callback_query is None else ""
    day = local_date(now, schedule.timezone)
    if line:
        parsed, _ = parse_date(line, day)
        if parsed is None:
            await reply(update, context, context.t("meet.error.date"))
            return
        day = parsed
    meeting: Meeting | None = None
    following: list[Meeting] = []
    async with context.db.begin() as session:
        await materialize(session, schedule, now)
        if line:
            meeting = await _meeting_on(session, community.id, day, schedule.timezone, now)
        else:
            found = await upcoming_meetings(session, community.id, now, 1, statuses=("scheduled",))
            meeting = found[0] if found else None
        if meeting is not None and meeting.status == "cancelled":
            meeting = None  # nothing left to cancel there
        if meeting is not None:
            await set_status(session, meeting, "cancelled", now)
            following = await upcoming_meetings(
                session, community.id, meeting.starts_at, 1, statuses=("scheduled",)
            )
    if meeting is None:
        await reply(update, context, context.t("meet.error.no_meeting"))
        return
    text = context.t(
        "meet.cancelled", when=when_text(context, meeting.starts_at, schedule.timezone)
    )
    if following:
        text += "\n" + context.t(
            "meet.next", when=when_text(context, following[0].starts_at, schedule.timezone)
        )
    await reply(
        update,
        context,
        text,
        keyboard([button(context.t("meet.button.undo"), f"mt:u:{meeting.id}")]),
    )
    await jobs.reschedule(context.application, community.id)


async def _meeting_on(
    session: AsyncSession, community_id: int, day: date, timezone: str, now: datetime
) -> Meeting | None:
    start = at_local(day, time(0), timezone)
    found = await meetings_between(session, community_id, start, start + timedelta(days=1))
    future = [m for m in found if m.starts_at > now]
    if future:
        return future[0]
    # A slot moved away from that date still belongs to it.
    moved = await upcoming_meetings(session, community_id, now, 12)
    return next((m for m in moved if m.slot_date == day), None)


async def undo_cancel(update: Update, context: KopiContext, meeting_id: int) -> None:
    """Hold a cancelled meeting after all."""
    await _hold_after_all(update, context, meeting_id, was="cancelled", said="meet.restored")


async def keep_holiday(update: Update, context: KopiContext, meeting_id: int) -> None:
    """Hold a meeting that falls on a national holiday after all."""
    await _hold_after_all(update, context, meeting_id, was="holiday", said="meet.kept")


async def _hold_after_all(
    update: Update, context: KopiContext, meeting_id: int, *, was: str, said: str
) -> None:
    """Put a cancelled or holiday meeting back on the schedule (facilitators, future only)."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    now = context.now()
    try:
        async with context.db.begin() as session:
            meeting = await get_meeting(session, meeting_id)
            schedule = await get_schedule(session, community.id)
            if (
                meeting is None
                or schedule is None
                or meeting.community_id != community.id
                or meeting.status != was
                or meeting.starts_at <= now
            ):
                raise Refusal(context.t("error.expired_button"))
            await set_status(session, meeting, "scheduled", now)
    except Refusal as refusal:
        await answer(update, refusal.text)
        return
    await answer(update)
    text = context.t(said, when=when_text(context, meeting.starts_at, schedule.timezone))
    if was == "cancelled":  # the undo button sits on the cancellation notice: edit it
        await edit_or_reply(update, context, text)
    else:
        await reply(update, context, text)
    await jobs.reschedule(context.application, community.id)


# ------------------------------------------------------------------------------- /pindahkan


async def move(update: Update, context: KopiContext) -> None:
    """Move one meeting: '/pindahkan Jumat 15:00', '/pindahkan 4/12', or with buttons."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    now = context.now()
    line = argument_text(update) if update.callback_query is None else ""
    async with context.db.begin() as session:
        await materialize(session, schedule, now)
        upcoming = await upcoming_meetings(
            session, community.id, now, 3, statuses=("scheduled", "holiday")
        )
    if not upcoming:
        await answer(update)
        await reply(update, context, context.t("meet.error.no_meeting"))
        return
    if not line:
        await answer(update)
        await reply(
            update,
            context,
            context.t("meet.move.which"),
            keyboard(
                *[
                    [
                        button(
                            _meeting_label(context, m, schedule.timezone),
                            f"mt:m:{m.id}",
                        )
                    ]
                    for m in upcoming
                ]
            ),
        )
        return
    meeting = upcoming[0]
    today = local_date(now, schedule.timezone)
    day, rest = parse_date(line, today)
    at = parse_time(rest.split()[0]) if rest.split() else None
    if day is None or (rest.split() and at is None):
        await reply(update, context, context.t("meet.error.move"))
        return
    await _apply_move(
        update,
        context,
        community,
        schedule,
        meeting.id,
        day,
        at or local_time(meeting.starts_at, schedule.timezone),
    )


def _meeting_label(context: KopiContext, meeting: Meeting, timezone: str) -> str:
    """Return 'Kam 3/12 14.00' (with 🎌 on a holiday) for a button."""
    label = (
        f"{short_date(context, local_date(meeting.starts_at, timezone))} "
        f"{clock_text(context.lang, local_time(meeting.starts_at, timezone))}"
    )
    return label + " 🎌" if meeting.status == "holiday" else label


async def move_wizard(update: Update, context: KopiContext, parts: list[str]) -> None:
    """Choose the meeting, the day and the time (mt:m[:id[:yyyymmdd[:hhmm]]])."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    if not parts:
        await move(update, context)
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    async with context.db() as session:
        meeting = await get_meeting(session, int(parts[0]))
    now = context.now()
    if meeting is None or meeting.community_id != community.id or meeting.starts_at <= now:
        await answer(update, context.t("error.expired_button"))
        return
    await answer(update)
    tz = schedule.timezone
    original = when_text(context, meeting.starts_at, tz)
    if len(parts) == 1:
        today = local_date(now, tz)
        first = max(today, meeting.slot_date - timedelta(days=3))
        days = [first + timedelta(days=i) for i in range(8)]
        buttons = [button(short_date(context, d), f"mt:m:{meeting.id}:{d:%Y%m%d}") for d in days]
        await edit_or_reply(
            update,
            context,
            context.t("meet.move.day", when=original),
            keyboard(buttons[:4], buttons[4:]),
        )
        return
    day = datetime.strptime(parts[1], "%Y%m%d").date()
    if len(parts) == 2:
        same = local_time(meeting.starts_at, tz)
        markup = _time_picker(context, f"mt:m:{meeting.id}:{parts[1]}")
        rows = [
            [
                button(
                    context.t("meet.button.same_time", time=clock_text(context.lang, same)),
                    f"mt:m:{meeting.id}:{parts[1]}:{same:%H%M}",
                )
            ],
            *[list(row) for row in markup.inline_keyboard],
        ]
        await edit_or_reply(
            update,
            context,
            context.t(
                "meet.move.time",
                when=original,
                day=format_date(context.lang, at_local(day, time(12), tz), tz),
            ),
            InlineKeyboardMarkup(rows),
        )
        return
    at = time(int(parts[2][:2]) % 24, int(parts[2][2:4]) % 60)
    await _apply_move(update, context, community, schedule, meeting.id, day, at)


async def _apply_move(
    update: Update,
    context: KopiContext,
    community: Community,
    schedule: MeetingSchedule,
    meeting_id: int,
    day: date,
    at: time,
) -> None:
    now = context.now()
    tz = schedule.timezone
    starts_at = at_local(day, at, tz)
    if starts_at <= now:
        await reply(update, context, context.t("meet.error.past"))
        return
    try:
        async with context.db.begin() as session:
            meeting = await get_meeting(session, meeting_id)
            if meeting is None or meeting.community_id != community.id:
                raise Refusal(context.t("meet.error.no_meeting"))
            before = meeting.starts_at
            await move_meeting(session, meeting, starts_at, now)
    except Refusal as refusal:
        await reply(update, context, refusal.text)
        return
    await edit_or_reply(
        update,
        context,
        context.t(
            "meet.moved",
            before=when_text(context, before, tz),
            after=when_text(context, starts_at, tz),
        ),
    )
    await jobs.reschedule(context.application, community.id)


# ------------------------------------------------------------------------------- /ringkasan


async def digest_setting(update: Update, context: KopiContext) -> None:
    """Turn the weekly digest on or off ('/ringkasan off', or with a button)."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    word = argument_text(update).lower()
    if word in ("on", "nyala", "aktif", "hidupkan", "ya"):
        await _set_flag(update, context, community, digest=True)
    elif word in ("off", "mati", "matikan", "nonaktif", "tidak"):
        await _set_flag(update, context, community, digest=False)
    else:
        state = "meet.digest.on" if schedule.digest_enabled else "meet.digest.off"
        await reply(
            update,
            context,
            context.t("meet.digest.state", state=context.t(state)),
            keyboard(
                [
                    button(
                        context.t(
                            "meet.button.digest_off"
                            if schedule.digest_enabled
                            else "meet.button.digest_on"
                        ),
                        f"mt:d:{0 if schedule.digest_enabled else 1}",
                    )
                ]
            ),
        )


async def _set_flag(
    update: Update,
    context: KopiContext,
    community: Community,
    *,
    digest: bool | None = None,
    skip_holidays: bool | None = None,
) -> None:
    now = context.now()
    async with context.db.begin() as session:
        schedule = await get_schedule(session, community.id)
        if schedule is None:
            return
        if digest is not None:
            schedule.digest_enabled = digest
        if skip_holidays is not None:
            schedule.skip_holidays = skip_holidays
            await apply_change(session, schedule, now)
    await answer(update)
    if digest is not None:
        key = "meet.digest.turned_on" if digest else "meet.digest.turned_off"
    else:
        key = "meet.holidays.turned_skip" if skip_holidays else "meet.holidays.turned_keep"
    await reply(update, context, context.t(key))
    await jobs.reschedule(context.application, community.id)


# ----------------------------------------------------------------------------------- RSVP


async def rsvp(update: Update, context: KopiContext, meeting_id: int, code: str) -> None:
    """Record an answer (in the group or in a private nudge) and update the live tally."""
    query = update.callback_query
    chat = update.effective_chat
    response = RESPONSE_CODES.get(code)
    if query is None or chat is None or response is None:
        return
    now = context.now()
    try:
        async with context.db.begin() as session:
            meeting = await get_meeting(session, meeting_id)
            community = (
                await session.get(Community, meeting.community_id) if meeting is not None else None
            )
            schedule = await get_schedule(session, community.id) if community else None
            allowed = community is not None and (
                community.chat_id == chat.id
                if is_group(update)
                else await is_member(session, community.id, query.from_user.id)
            )
            if meeting is None or community is None or schedule is None or not allowed:
                raise Refusal(context.t("error.expired_button"))
            if meeting.status == "cancelled" or meeting.status == "holiday":
                raise Refusal(context.t("meet.rsvp.cancelled"), alert=True)
            if meeting.starts_at + timedelta(minutes=schedule.duration_minutes) <= now:
                raise Refusal(context.t("meet.rsvp.over"), alert=True)
            await record_response(session, meeting.id, query.from_user.id, response, now)
            reminder = await group_reminder(session, meeting.id)
    except Refusal as refusal:
        await query.answer(refusal.text, show_alert=refusal.alert)
        return
    answer = context.t(f"meet.rsvp.{response.value}")
    await query.answer(context.t("meet.rsvp.recorded", answer=answer))
    message = query.message
    if is_group(update):
        if isinstance(message, Message):
            queue_tally_edit(context, community, chat.id, message.message_id, meeting.id)
        return
    if isinstance(message, Message):
        async with context.db() as session:
            row = await delivery_by_message(session, chat.id, message.message_id)
        if row is not None and row.body:
            text = row.body + "\n\n" + context.t("meet.rsvp.yours", answer=answer)
            try:
                await query.edit_message_text(
                    text, parse_mode=ParseMode.HTML, reply_markup=rsvp_markup(context, meeting.id)
                )
            except BadRequest as error:
                if "not modified" not in error.message.lower():
                    raise
    if reminder is not None and reminder.chat_id is not None and reminder.message_id is not None:
        queue_tally_edit(context, community, reminder.chat_id, reminder.message_id, meeting.id)


def queue_tally_edit(
    context: KopiContext, community: Community, chat_id: int, message_id: int, meeting_id: int
) -> None:
    """Edit the tally into a reminder soon, in the chat's send queue; presses in a burst share one
    edit (the edit reads the tally when it runs)."""
    app = context.application
    pending = context.services.tally_edits
    key = (chat_id, message_id)
    if key in pending:
        return
    pending.add(key)
    language = community.language

    async def edit() -> None:
        pending.discard(key)
        editor = job_context(app)
        editor.lang = language
        async with editor.db() as session:
            row = await delivery_by_message(session, chat_id, message_id)
            current = await tally(session, meeting_id)
        if row is None or not row.body:
            return
        try:
            await editor.bot.edit_message_text(
                with_tally(editor, row.body, current),
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=rsvp_markup(editor, meeting_id),
            )
        except BadRequest as error:
            if "not modified" not in error.message.lower():
                log.warning("could not update the tally in %s: %s", chat_id, error.message)

    context.services.outbox.post(chat_id, edit)


# ------------------------------------------------------------------------------- dispatch


async def on_button(update: Update, context: KopiContext) -> None:
    """Route the meetings' buttons (mt:...)."""
    query = update.callback_query
    if query is None or not query.data:
        return
    kind, *parts = query.data.split(":")[1:]
    try:
        if kind == "r" and len(parts) == 2:
            await rsvp(update, context, int(parts[0]), parts[1])
        elif kind == "s":
            await schedule_wizard(update, context, parts)
        elif kind == "p":
            await reminders_wizard(update, context, parts)
        elif kind == "c":
            await cancel_meeting(update, context)
        elif kind == "u" and parts:
            await undo_cancel(update, context, int(parts[0]))
        elif kind == "k" and parts:
            await keep_holiday(update, context, int(parts[0]))
        elif kind == "m":
            await move_wizard(update, context, parts)
        elif kind == "rc" and len(parts) == 1:
            await reflection_count(update, context, int(parts[0]))
        elif kind == "a" and len(parts) == 2:
            await attendance_editor(update, context, int(parts[0]), int(parts[1]))
        elif kind == "t" and len(parts) == 3:
            await attendance_editor(
                update, context, int(parts[0]), int(parts[2]), toggle=int(parts[1])
            )
        elif kind == "d" and parts:
            community = await facilitator_community(update, context)
            if community is not None:
                await _set_flag(update, context, community, digest=parts[0] == "1")
        elif kind == "h" and parts:
            community = await facilitator_community(update, context)
            if community is not None:
                await _set_flag(update, context, community, skip_holidays=parts[0] == "1")
        else:
            await query.answer(context.t("error.expired_button"))
    except ValueError:
        # Forged or garbled button data; the press may have been answered already.
        with contextlib.suppress(BadRequest):
            await query.answer(context.t("error.expired_button"))


# An edited command is not a second command (an edited /notulen must not add the minutes twice).
NEW_MESSAGES = filters.UpdateType.MESSAGE


def prompt_reply_handler() -> BaseHandler[Update, KopiContext, None]:
    """Return a handler that takes nothing: the place and minutes questions are answered through
    the conversation core now. Kept only until bot.app drops the MINUTES_REPLIES group."""
    return MessageHandler(~filters.ALL, show_schedule)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the meetings' command and button handlers."""
    return [
        CommandHandler(["jadwal", "schedule"], show_schedule, NEW_MESSAGES),
        CommandHandler(["aturjadwal", "setschedule"], set_schedule, NEW_MESSAGES),
        CommandHandler(["pengingat", "reminders"], set_reminders, NEW_MESSAGES),
        CommandHandler(["liburkan", "cancelmeeting"], cancel_meeting, NEW_MESSAGES),
        CommandHandler(["pindahkan", "movemeeting"], move, NEW_MESSAGES),
        CommandHandler(["notulen", "minutes"], minutes, NEW_MESSAGES),
        CommandHandler(["ringkasan", "digest"], digest_setting, NEW_MESSAGES),
        CallbackQueryHandler(on_button, pattern=r"^mt:"),
    ]
