"""Routine meetings in the group: /jadwal, /aturjadwal, /pengingat, /liburkan, /pindahkan,
/ringkasan, and the RSVP buttons.

Every command with arguments also works step by step with buttons; each button is an action
(``handlers.callbacks``) whose data starts with ``mt:``. /jadwal also works in private chat, for
the person's community: read-only there (changes are announced in the group, so they are made
there).
/notulen and attendance live in ``handlers.meetings_minutes``; what the scheduler sends (reminders,
nudges, invitations, digests) in ``handlers.meetings_delivery``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers.callbacks import Payload, expired, on
from handlers.common import (
    Refusal,
    argument_text,
    button,
    is_facilitator,
    is_group,
    keyboard,
    not_modified,
    reply,
    shorten,
    spec,
    thread_of,
)
from handlers.community_choice import Run, is_private, private_command
from handlers.context import KopiContext
from handlers.conversation import DECLINED, Answer, Taken, ask, ask_again, drop
from handlers.meetings_common import (
    SetSchedule,
    answer,
    clock_text,
    edit_or_reply,
    facilitator_community,
    meeting_line,
    reminder_label,
    reminders_text,
    rule_text,
    rule_words,
    schedule_or_hint,
    short_date,
    zone_text,
)
from handlers.meetings_delivery import (
    RESPONSE_CODES,
    KeepHoliday,
    Rsvp,
    job_context,
    rsvp_markup,
    when_text,
    with_tally,
)
from handlers.meetings_minutes import ANSWERS as MINUTES_ANSWERS
from handlers.meetings_minutes import (
    Attendance,
    ReflectionCount,
    ToggleAttendance,
    ask_place,
    minutes,
    on_attendance,
    on_toggle_attendance,
    reflection_count,
)
from handlers.texts import Markup, format_date
from models.community import Community
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
from models.prompts import Prompt, get_prompt, take_prompt
from scheduler import jobs
from scheduler.phrases import choose, read_schedule, read_when
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
    parse_reminders,
    reminders_from_text,
    reminders_to_text,
)

log = logging.getLogger(__name__)

# The answers to the place and minutes questions, for the conversation core (bot.app).
__all__ = ["ANSWERS", "COMMANDS", "IN_PRIVATE", "build_handlers"]

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
Zone = Literal["WIB", "WITA", "WIT"]  # the keys of scheduler.recurrence.ZONES


# ------------------------------------------------------------------------------ the actions
# Each step of a flow adds a field to its prefix ("mt:s", "mt:s:<day>", "mt:s:<day>:<hhmm>" ...):
# the data is what it was before actions had classes, so buttons already sent keep working.


@dataclass(frozen=True)
class ScheduleDay(Payload, prefix="mt:s"):
    """The routine meeting's day is chosen: ask its time."""

    weekday: int


@dataclass(frozen=True)
class ScheduleTime(Payload, prefix="mt:s"):
    """Its time (hhmm) is chosen: ask the time zone."""

    weekday: int
    at: str


@dataclass(frozen=True)
class ScheduleZone(Payload, prefix="mt:s"):
    """Its zone is chosen: ask how often."""

    weekday: int
    at: str
    zone: Zone


@dataclass(frozen=True)
class ScheduleEvery(Payload, prefix="mt:s"):
    """How often (every week or every two weeks) is chosen: save the routine meeting."""

    weekday: int
    at: str
    zone: Zone
    weeks: Literal["1", "2"]


@dataclass(frozen=True)
class SetReminders(Payload, prefix="mt:p"):
    """Show the reminder options to pick from."""


@dataclass(frozen=True)
class PickReminders(Payload, prefix="mt:p"):
    """Show the options with this choice (a bit per option, one toggled)."""

    mask: int


@dataclass(frozen=True)
class SaveReminders(Payload, prefix="mt:p"):
    """Save the reminders chosen."""

    mask: int
    ok: Literal["ok"] = "ok"


@dataclass(frozen=True)
class LineTime(Payload, prefix="mt:lt"):
    """The time (hhmm) of the routine meeting typed in one line, when the line left it open."""

    at: str


@dataclass(frozen=True)
class ConfirmSchedule(Payload, prefix="mt:sy"):
    """Save the change of schedule just shown (old → new)."""


@dataclass(frozen=True)
class KeepSchedule(Payload, prefix="mt:sn"):
    """Keep the schedule as it is after all."""


@dataclass(frozen=True)
class CancelNext(Payload, prefix="mt:c"):
    """Cancel the next meeting."""


@dataclass(frozen=True)
class CancelOn(Payload, prefix="mt:c"):
    """Cancel the meeting of a date (yyyymmdd), when a typed date could mean two."""

    day: int


@dataclass(frozen=True)
class UndoCancel(Payload, prefix="mt:u"):
    """Hold a cancelled meeting after all."""

    meeting_id: int


@dataclass(frozen=True)
class MoveMeeting(Payload, prefix="mt:m"):
    """Ask which meeting to move."""


@dataclass(frozen=True)
class MoveDay(Payload, prefix="mt:m"):
    """The meeting is chosen: ask its new day."""

    meeting_id: int


@dataclass(frozen=True)
class MoveTime(Payload, prefix="mt:m"):
    """The day (yyyymmdd) is chosen: ask the time."""

    meeting_id: int
    day: int


@dataclass(frozen=True)
class MoveTo(Payload, prefix="mt:m"):
    """Move the meeting to that day and time (hhmm as a number: "0700" is read as 700, and
    written so since a code of up to 40 characters would not fit Telegram's 64 bytes here)."""

    meeting_id: int
    day: int
    at: int


@dataclass(frozen=True)
class Digest(Payload, prefix="mt:d"):
    """Turn the weekly digest on or off."""

    on: bool


@dataclass(frozen=True)
class Holidays(Payload, prefix="mt:h"):
    """Skip national holidays (or keep them) for the whole schedule."""

    skip: bool


def _hhmm(at: time) -> str:
    return f"{at:%H%M}"


def _clock(hhmm: str | int) -> time | None:
    """Return the time of day a button carries (hhmm); None for one no picker offers."""
    if isinstance(hhmm, int):
        hhmm = f"{hhmm:04d}"
    if len(hhmm) != 4 or not hhmm.isdigit():
        return None
    hour, minute = int(hhmm[:2]), int(hhmm[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _day(yyyymmdd: int) -> date | None:
    """Return the date a button carries; None for a date that does not exist."""
    try:
        return datetime.strptime(f"{yyyymmdd:08d}", "%Y%m%d").date()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- /jadwal


async def run_schedule(
    update: Update, context: KopiContext, community: Community, text: str
) -> None:
    """Show the routine meeting and the next meetings of a community.

    In the group with the buttons that change them (a press is for facilitators); in private
    read-only, with a hint to facilitators that changes are made in the group, where they are
    announced to everyone.
    """
    private = is_private(update)
    now = context.now()
    async with context.db.begin() as session:
        schedule = await get_schedule(session, community.id)
        if schedule is not None:
            await materialize(session, schedule, now)
            upcoming = await upcoming_meetings(session, community.id, now, SHOWN_MEETINGS)
    heading = context.t("meet.private.heading", title=community.title or "?") if private else ""
    if schedule is None:
        await reply(
            update,
            context,
            heading + context.t("meet.no_schedule"),
            None if private else keyboard([button(context.t("meet.button.set"), SetSchedule())]),
        )
        return
    shown = heading + schedule_text(context, schedule, upcoming)
    if not private:
        await reply(update, context, shown, _menu(context, schedule))
        return
    if await is_facilitator(update, context):  # context.community is the one shown
        shown += "\n\n" + context.t("meet.private.admin_hint")
    await reply(update, context, shown)


IN_PRIVATE: dict[str, Run] = {"jadwal": run_schedule}


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
            button(context.t("meet.button.change"), SetSchedule()),
            button(context.t("meet.button.reminders"), SetReminders()),
        ],
        [
            button(context.t("meet.button.cancel"), CancelNext()),
            button(context.t("meet.button.move"), MoveMeeting()),
        ],
        [
            button(
                context.t(
                    "meet.button.holidays_keep"
                    if schedule.skip_holidays
                    else "meet.button.holidays_skip"
                ),
                Holidays(not schedule.skip_holidays),
            ),
            button(
                context.t(
                    "meet.button.digest_off" if schedule.digest_enabled else "meet.button.digest_on"
                ),
                Digest(not schedule.digest_enabled),
            ),
        ],
    )


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
    read = read_schedule(line, local_date(context.now(), community.timezone))
    if read.weekday is None:
        await reply(update, context, context.t("meet.error.schedule_line"), _day_picker(context))
        return
    proposal = Proposal(
        read.weekday, read.clock.options, read.timezone, read.interval_weeks, read.place
    )
    if proposal.at is None:
        await _ask_time(update, context, community, proposal)
        return
    await _propose(update, context, community, proposal)


# A line's time to choose, and a change to confirm, wait in the conversation core's questions
# (the place a line names does not fit a button's 64 bytes).
KIND_LINE = "meet.line"  # payload: the Proposal, its times the options
KIND_CONFIRM = "meet.confirm"  # payload: the Proposal to save
YES_WORDS = frozenset({"ya", "iya", "y", "yes", "ok", "oke", "okay", "setuju", "lanjut", "simpan"})
NO_WORDS = frozenset({"tidak", "tdk", "no", "jangan", "tidak jadi", "keep"})


@dataclass(frozen=True)
class Proposal:
    """A routine meeting as a facilitator set it; None is what she did not name (kept)."""

    weekday: int
    times: tuple[time, ...]  # one when clear; the options to choose from otherwise
    timezone: str | None = None
    interval: int | None = None
    place: str | None = None

    @property
    def at(self) -> time | None:
        return self.times[0] if len(self.times) == 1 else None

    def dump(self) -> str:
        """Return the proposal as a prompt's payload."""
        return json.dumps(
            {
                "weekday": self.weekday,
                "times": [_hhmm(at) for at in self.times],
                "timezone": self.timezone,
                "interval": self.interval,
                "place": self.place,
            }
        )

    @classmethod
    def load(cls, payload: str | None) -> Proposal | None:
        """Return the proposal a prompt holds (None: not one)."""
        try:
            data = json.loads(payload or "")
            times = tuple(_clock(hhmm) for hhmm in data["times"])
            if any(at is None for at in times) or not 0 <= int(data["weekday"]) <= 6:
                return None
            return cls(
                int(data["weekday"]),
                tuple(at for at in times if at is not None),
                data["timezone"] if data["timezone"] in ZONES.values() else None,
                int(data["interval"]) if data["interval"] in (1, 2) else None,
                str(data["place"]) if data["place"] else None,
            )
        except (ValueError, KeyError, TypeError):
            return None


def _either(context: KopiContext, options: tuple[time, ...]) -> str:
    """Return '07.00 atau 19.00', '15.00, 16.00 atau 17.00'."""
    shown = [clock_text(context.lang, at) for at in options]
    return context.t("meet.or", first=", ".join(shown[:-1]), last=shown[-1])


async def _ask_time(
    update: Update,
    context: KopiContext,
    community: Community,
    proposal: Proposal,
    pending: Prompt | None = None,
) -> None:
    """Ask the time a line left open (07.00 or 19.00? which hour 'sore'?), with buttons; a typed
    time answers too. pending: the same question, asked again."""
    named = proposal.times
    options = named or tuple(time(hour) for hour in WIZARD_HOURS)
    day = context.t(f"meet.day.{proposal.weekday}")

    def question(who: Markup) -> str:
        if named:
            text = context.t("meet.ask.time", who=who, day=day, options=_either(context, named))
        else:
            text = context.t("meet.ask.time.any", who=who, day=day)
        return context.t("meet.ask.time.again") + "\n" + text if pending is not None else text

    if pending is not None:
        await ask_again(update, context, pending, question)
        return
    buttons = [button(clock_text(context.lang, at), LineTime(_hhmm(at))) for at in options]
    await ask(
        update,
        context,
        community,
        question,
        kind=KIND_LINE,
        payload=replace(proposal, times=options).dump(),
        markup=keyboard(*[buttons[i : i + 4] for i in range(0, len(buttons), 4)]),
    )


async def _pending(update: Update, context: KopiContext, kind: str) -> Prompt | None:
    """Return the question of this kind the presser was asked in this chat, if it waits."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    async with context.db() as session:
        pending = await get_prompt(session, chat.id, user.id, context.now())
    return pending if pending is not None and pending.kind == kind else None


async def _taken(context: KopiContext, pending: Prompt) -> bool:
    async with context.db.begin() as session:
        return await take_prompt(session, pending.id)


async def on_line_time(update: Update, context: KopiContext, action: LineTime) -> None:
    """The time is chosen with a button: go on with the line."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    at = _clock(action.at)
    pending = await _pending(update, context, KIND_LINE)
    proposal = Proposal.load(pending.payload) if pending is not None else None
    if at is None or pending is None or proposal is None or at not in proposal.times:
        await expired(update, context)
        return
    if not await _taken(context, pending):
        await answer(update)
        return  # a second press: the first went on already
    await answer(update)
    await _propose(update, context, community, replace(proposal, times=(at,)))


async def line_answered(
    update: Update, context: KopiContext, pending: Prompt, text: str
) -> Taken | None:
    """A typed answer to the time question ('malam', '19.00', 'jam 7 malam')."""
    community = context.community
    proposal = Proposal.load(pending.payload)
    if community is None or proposal is None:
        await drop(context, pending)
        return None
    if not await is_facilitator(update, context):
        await drop(context, pending)
        await reply(update, context, context.t("error.facilitator_only"))
        return None
    at = choose(proposal.times, text)
    if at is None:
        if _replies_to_kopi(update, context) or is_private(update):
            await _ask_time(update, context, community, proposal, pending)
            return None
        return DECLINED  # chatter meanwhile: the question stays open
    if not await _taken(context, pending):
        return None  # a repeated delivery
    await _propose(update, context, community, replace(proposal, times=(at,)))
    return None


def _replies_to_kopi(update: Update, context: KopiContext) -> bool:
    message = update.effective_message
    target = message.reply_to_message if message is not None else None
    return (
        target is not None
        and target.from_user is not None
        and (target.from_user.id == context.bot.id)
    )


@dataclass(frozen=True)
class _Resolved:
    """A proposal with what it did not name taken from the current schedule."""

    weekday: int
    at: time
    timezone: str
    interval: int
    place: str | None  # None: keep the current one


def _resolve(
    proposal: Proposal, community: Community, existing: MeetingSchedule | None
) -> _Resolved:
    at = proposal.at
    assert at is not None
    return _Resolved(
        proposal.weekday,
        at,
        proposal.timezone or (existing.timezone if existing else community.timezone),
        proposal.interval or (existing.interval_weeks if existing else 1),
        proposal.place,
    )


def _unchanged(new: _Resolved, existing: MeetingSchedule) -> bool:
    return (
        existing.weekday == new.weekday
        and existing.minute_of_day == new.at.hour * 60 + new.at.minute
        and existing.timezone == new.timezone
        and existing.interval_weeks == new.interval
        and (new.place is None or new.place == existing.place)
    )


def _kept(context: KopiContext, proposal: Proposal, existing: MeetingSchedule) -> str:
    """Return 'Tetap seperti sebelumnya: zona WITA, tempat Ruang Guru, pengingat ...'."""
    items = []
    if proposal.interval is None:
        items.append(context.t(f"meet.kept.interval.{2 if existing.interval_weeks == 2 else 1}"))
    if proposal.timezone is None:
        items.append(context.t("meet.kept.zone", zone=zone_text(existing.timezone)))
    if proposal.place is None and existing.place:
        items.append(context.t("meet.kept.place", place=existing.place))
    reminders = reminders_text(context, reminders_from_text(existing.reminders))
    items.append(context.t("meet.kept.reminders", reminders=reminders))
    return context.t("meet.kept.before", items=Markup(", ".join(items)))


async def _propose(
    update: Update, context: KopiContext, community: Community, proposal: Proposal
) -> None:
    """Save a new schedule; over an existing one, show old → new and ask first."""
    async with context.db() as session:
        existing = await get_schedule(session, community.id)
    new = _resolve(proposal, community, existing)
    if existing is None or _unchanged(new, existing):
        await _save_proposal(update, context, community, proposal)
        return
    old_rule = rule_text(context, existing)
    new_rule = rule_words(context.lang, new.weekday, new.at, new.timezone, new.interval)
    place = ""
    if new.place is not None and new.place != existing.place:
        place = context.t(
            "meet.confirm.place",
            old=existing.place or context.t("meet.confirm.no_place"),
            new=shorten(new.place, MAX_PLACE),
        )
    kept = _kept(context, proposal, existing)

    def question(who: Markup) -> str:
        return context.t(
            "meet.confirm",
            who=who,
            old=old_rule,
            new=new_rule,
            place=Markup(place),
            kept=Markup(kept),
        )

    if update.callback_query is not None:
        # The question pressed on is answered: it keeps what was chosen, without its buttons.
        await edit_or_reply(update, context, context.t("meet.chosen", rule=new_rule))
    await ask(
        update,
        context,
        community,
        question,
        kind=KIND_CONFIRM,
        payload=proposal.dump(),
        markup=keyboard(
            [
                button(context.t("meet.button.confirm"), ConfirmSchedule()),
                button(context.t("meet.button.not_now"), KeepSchedule()),
            ]
        ),
    )


async def _save_proposal(
    update: Update, context: KopiContext, community: Community, proposal: Proposal
) -> None:
    """Save a proposal over the schedule as it is now (what it did not name is kept)."""
    async with context.db() as session:
        existing = await get_schedule(session, community.id)
    new = _resolve(proposal, community, existing)
    await _apply_schedule(
        update,
        context,
        community,
        weekday=new.weekday,
        at=new.at,
        timezone=new.timezone,
        interval=new.interval,
        place=new.place,
        kept=_kept(context, proposal, existing) if existing is not None else "",
    )


async def on_confirm_schedule(
    update: Update, context: KopiContext, action: ConfirmSchedule
) -> None:
    """Save the change shown."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    pending = await _pending(update, context, KIND_CONFIRM)
    proposal = Proposal.load(pending.payload) if pending is not None else None
    if pending is None or proposal is None or proposal.at is None:
        await expired(update, context)
        return
    await answer(update)
    if await _taken(context, pending):
        await _save_proposal(update, context, community, proposal)


async def on_keep_schedule(update: Update, context: KopiContext, action: KeepSchedule) -> None:
    """Keep the schedule as it is."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    pending = await _pending(update, context, KIND_CONFIRM)
    if pending is None:
        await expired(update, context)
        return
    await answer(update)
    if await _taken(context, pending):
        await _not_changed(update, context, community)


async def _not_changed(update: Update, context: KopiContext, community: Community) -> None:
    async with context.db() as session:
        existing = await get_schedule(session, community.id)
    if existing is not None:
        rule = rule_text(context, existing)
        await edit_or_reply(update, context, context.t("meet.not_changed", rule=rule))


async def confirm_answered(
    update: Update, context: KopiContext, pending: Prompt, text: str
) -> Taken | None:
    """A typed answer to the change shown: 'ya' saves it, 'tidak' keeps the schedule."""
    community = context.community
    proposal = Proposal.load(pending.payload)
    word = text.strip().lower().rstrip(".!")
    if word not in YES_WORDS and word not in NO_WORDS:
        return DECLINED  # not an answer: the buttons still wait
    if community is None or proposal is None or proposal.at is None:
        await drop(context, pending)
        return None
    if not await is_facilitator(update, context):
        await drop(context, pending)
        await reply(update, context, context.t("error.facilitator_only"))
        return None
    if not await _taken(context, pending):
        return None
    if word in YES_WORDS:
        await _save_proposal(update, context, community, proposal)
    else:
        await _not_changed(update, context, community)
    return None


ANSWERS: dict[str, Answer] = {
    **MINUTES_ANSWERS,
    KIND_LINE: line_answered,
    KIND_CONFIRM: confirm_answered,
}


def _day_picker(context: KopiContext) -> InlineKeyboardMarkup:
    days = [button(context.t(f"meet.day.{d}"), ScheduleDay(d)) for d in range(7)]
    return keyboard(days[:4], days[4:])


def _time_picker(context: KopiContext, chosen: Callable[[str], Payload]) -> InlineKeyboardMarkup:
    """Return the usual hours as buttons; chosen(hhmm) is each one's action."""
    buttons = [
        button(clock_text(context.lang, time(hour)), chosen(_hhmm(time(hour))))
        for hour in WIZARD_HOURS
    ]
    return keyboard(*[buttons[i : i + 4] for i in range(0, len(buttons), 4)])


async def on_set_schedule(update: Update, context: KopiContext, action: SetSchedule) -> None:
    """Start the schedule's steps: the day."""
    if await facilitator_community(update, context) is None:
        return
    await answer(update)
    await reply(update, context, context.t("meet.wizard.day"), _day_picker(context))


async def on_schedule_day(update: Update, context: KopiContext, action: ScheduleDay) -> None:
    """Ask the time of the day chosen."""
    if await facilitator_community(update, context) is None:
        return
    if action.weekday > 6:
        await expired(update, context)
        return
    await answer(update)
    weekday = action.weekday
    await edit_or_reply(
        update,
        context,
        context.t("meet.wizard.time", day=context.t(f"meet.day.{weekday}")),
        _time_picker(context, lambda hhmm: ScheduleTime(weekday, hhmm)),
    )


async def on_schedule_time(update: Update, context: KopiContext, action: ScheduleTime) -> None:
    """Ask the time zone."""
    if await facilitator_community(update, context) is None:
        return
    at = _clock(action.at)
    if action.weekday > 6 or at is None:
        await expired(update, context)
        return
    await answer(update)
    zones = [button(name, ScheduleZone(action.weekday, action.at, name)) for name in _zones()]
    await edit_or_reply(
        update,
        context,
        context.t(
            "meet.wizard.zone",
            day=context.t(f"meet.day.{action.weekday}"),
            time=clock_text(context.lang, at),
        ),
        keyboard(zones),
    )


def _zones() -> list[Zone]:
    return ["WIB", "WITA", "WIT"]


async def on_schedule_zone(update: Update, context: KopiContext, action: ScheduleZone) -> None:
    """Ask how often the meeting is held."""
    if await facilitator_community(update, context) is None:
        return
    at = _clock(action.at)
    if action.weekday > 6 or at is None:
        await expired(update, context)
        return
    await answer(update)
    weekday, hhmm, zone = action.weekday, action.at, action.zone
    await edit_or_reply(
        update,
        context,
        context.t(
            "meet.wizard.interval",
            day=context.t(f"meet.day.{weekday}"),
            time=clock_text(context.lang, at),
            zone=zone_text(ZONES[zone]),
        ),
        keyboard(
            [
                button(context.t("meet.button.weekly"), ScheduleEvery(weekday, hhmm, zone, "1")),
                button(context.t("meet.button.biweekly"), ScheduleEvery(weekday, hhmm, zone, "2")),
            ]
        ),
    )


async def on_schedule_every(update: Update, context: KopiContext, action: ScheduleEvery) -> None:
    """Save the routine meeting chosen step by step."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    at = _clock(action.at)
    if action.weekday > 6 or at is None:
        await expired(update, context)
        return
    await answer(update)
    interval = 2 if action.weeks == "2" else 1
    await _propose(
        update, context, community, Proposal(action.weekday, (at,), ZONES[action.zone], interval)
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
    kept: str = "",
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
    text += kept
    if schedule.place:
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
                PickReminders(mask ^ (1 << i)),
            )
        ]
        for i, option in enumerate(REMINDER_OPTIONS)
    ]
    rows.append([button(context.t("meet.button.save"), SaveReminders(mask))])
    text = context.t("meet.reminders.pick", current=reminders_text(context, chosen))
    if edit:
        await edit_or_reply(update, context, text, keyboard(*rows))
    else:
        await reply(update, context, text, keyboard(*rows))


async def on_set_reminders(update: Update, context: KopiContext, action: SetReminders) -> None:
    """Show the reminder options, the current ones ticked."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    await answer(update)
    await _reminder_picker(update, context, reminders_from_text(schedule.reminders), edit=False)


def _chosen(mask: int) -> tuple[Reminder, ...]:
    return tuple(o for i, o in enumerate(REMINDER_OPTIONS) if mask & (1 << i))


async def on_pick_reminders(update: Update, context: KopiContext, action: PickReminders) -> None:
    """Tick or untick one option."""
    community = await facilitator_community(update, context)
    if community is None or await schedule_or_hint(update, context, community) is None:
        return
    await answer(update)
    await _reminder_picker(update, context, _chosen(action.mask), edit=True)


async def on_save_reminders(update: Update, context: KopiContext, action: SaveReminders) -> None:
    """Save the options ticked."""
    community = await facilitator_community(update, context)
    if community is None or await schedule_or_hint(update, context, community) is None:
        return
    await answer(update)
    await _save_reminders(update, context, community, _chosen(action.mask))


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
    """Cancel the next meeting (or the one on a given date: '/liburkan Kamis depan')."""
    await _cancel(update, context, None)


async def _cancel(update: Update, context: KopiContext, on_day: date | None) -> None:
    """Cancel the next meeting, the one on_day, or the one on the date typed after the command."""
    community = await facilitator_community(update, context)
    if community is None:
        return
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return
    await answer(update)
    now = context.now()
    line = argument_text(update) if update.callback_query is None else ""
    day = on_day or local_date(now, schedule.timezone)
    if line:
        read = read_when(line, day)  # what follows the date (a reason) is the group's to read
        if not read.days:
            await reply(update, context, context.t("meet.error.date"))
            return
        if read.day is None:  # "Kamis depan" on a Monday: this week's or next week's?
            buttons = [
                button(short_date(context, d), CancelOn(int(f"{d:%Y%m%d}"))) for d in read.days
            ]
            await reply(update, context, context.t("meet.cancel.which"), keyboard(buttons))
            return
        day = read.day
    dated = bool(line) or on_day is not None
    meeting: Meeting | None = None
    following: list[Meeting] = []
    async with context.db.begin() as session:
        await materialize(session, schedule, now)
        if dated:
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
        keyboard([button(context.t("meet.button.undo"), UndoCancel(meeting.id))]),
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


async def on_cancel_next(update: Update, context: KopiContext, action: CancelNext) -> None:
    """Cancel the next meeting (the /jadwal button)."""
    await cancel_meeting(update, context)


async def on_cancel_on(update: Update, context: KopiContext, action: CancelOn) -> None:
    """Cancel the meeting of the date chosen."""
    day = _day(action.day)
    if day is None:
        await expired(update, context)
        return
    await _cancel(update, context, day)


async def undo_cancel(update: Update, context: KopiContext, action: UndoCancel) -> None:
    """Hold a cancelled meeting after all."""
    await _hold_after_all(update, context, action.meeting_id, was="cancelled", said="meet.restored")


async def keep_holiday(update: Update, context: KopiContext, action: KeepHoliday) -> None:
    """Hold a meeting that falls on a national holiday after all."""
    await _hold_after_all(update, context, action.meeting_id, was="holiday", said="meet.kept")


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
                            MoveDay(m.id),
                        )
                    ]
                    for m in upcoming
                ]
            ),
        )
        return
    meeting = upcoming[0]
    tz = schedule.timezone
    today = local_date(now, tz)
    which, line = _move_parts(line, today)
    if which is not None:  # "/pindahkan 7/12 ke 9/12 jam 3 sore": the meeting of that date
        async with context.db() as session:
            found = await _meeting_on(session, community.id, which, tz, now)
        if found is None or found.status == "cancelled":
            await reply(update, context, context.t("meet.error.no_meeting"))
            return
        meeting = found
    read = read_when(line, today)
    if not read.days or read.rest:
        await reply(update, context, context.t("meet.error.move"))
        return
    typed_zone = read.timezone or tz
    same = local_time(meeting.starts_at, tz)
    when = when_text(context, meeting.starts_at, tz)
    if read.day is None:  # "Kamis depan" on a Monday: both dates are offered
        at = read.clock.at
        choices = []
        for d in read.days:
            if at is None:
                choices.append(button(short_date(context, d), MoveTime(meeting.id, _ymd(d))))
            else:
                local_day, local_at = _in_zone(d, at, typed_zone, tz)
                label = f"{short_date(context, local_day)} {clock_text(context.lang, local_at)}"
                choices.append(
                    button(label, MoveTo(meeting.id, _ymd(local_day), _hhmm_int(local_at)))
                )
        await reply(update, context, context.t("meet.move.which_day", when=when), keyboard(choices))
        return
    day = read.day
    if read.clock.ambiguous:  # "jam 7": 07.00 or 19.00; "sore": which hour
        choices = []
        for option in read.clock.options:
            local_day, local_at = _in_zone(day, option, typed_zone, tz)
            choices.append(
                button(
                    clock_text(context.lang, local_at),
                    MoveTo(meeting.id, _ymd(local_day), _hhmm_int(local_at)),
                )
            )
        await reply(
            update,
            context,
            context.t(
                "meet.move.time",
                when=when,
                day=format_date(context.lang, at_local(day, time(12), tz), tz),
            ),
            keyboard(choices),
        )
        return
    if read.clock.at is None:
        await _apply_move(update, context, community, schedule, meeting.id, day, same)
        return
    local_day, local_at = _in_zone(day, read.clock.at, typed_zone, tz)
    await _apply_move(update, context, community, schedule, meeting.id, local_day, local_at)


_MOVE_FROM = frozenset({"pertemuan", "meeting", "yang", "the", "of", "tanggal", "tgl"})


def _move_parts(line: str, today: date) -> tuple[date | None, str]:
    """Split '7/12 ke 9/12 jam 3 sore' (or 'Kamis ke Jumat', 'the 7/12 meeting to Friday') into
    the day of the meeting to move and the words of its new time; (None, line) without one."""
    words = line.split()
    for i, word in enumerate(words[1:], start=1):
        if word.lower() not in ("ke", "to", "jadi", "menjadi"):
            continue
        source = " ".join(w for w in words[:i] if w.lower() not in _MOVE_FROM)
        read = read_when(source, today)
        if read.day is not None and not read.rest and not read.clock.options:
            return read.day, " ".join(words[i + 1 :])
    return None, line


def _ymd(day: date) -> int:
    return int(f"{day:%Y%m%d}")


def _hhmm_int(at: time) -> int:
    return int(_hhmm(at))


def _in_zone(day: date, at: time, typed: str, timezone: str) -> tuple[date, time]:
    """Return the local date and time in timezone of a time typed in another zone."""
    moment = at_local(day, at, typed)
    return local_date(moment, timezone), local_time(moment, timezone)


def _meeting_label(context: KopiContext, meeting: Meeting, timezone: str) -> str:
    """Return 'Kam 3/12 14.00' (with 🎌 on a holiday) for a button."""
    label = (
        f"{short_date(context, local_date(meeting.starts_at, timezone))} "
        f"{clock_text(context.lang, local_time(meeting.starts_at, timezone))}"
    )
    return label + " 🎌" if meeting.status == "holiday" else label


async def on_move_meeting(update: Update, context: KopiContext, action: MoveMeeting) -> None:
    """Ask which meeting to move (the /jadwal button)."""
    await move(update, context)


async def _movable(
    update: Update, context: KopiContext, meeting_id: int
) -> tuple[Community, MeetingSchedule, Meeting] | None:
    """Return a future meeting of the facilitator's community to move; None when refused."""
    community = await facilitator_community(update, context)
    if community is None:
        return None
    schedule = await schedule_or_hint(update, context, community)
    if schedule is None:
        return None
    async with context.db() as session:
        meeting = await get_meeting(session, meeting_id)
    if (
        meeting is None
        or meeting.community_id != community.id
        or meeting.starts_at <= context.now()
    ):
        await expired(update, context)
        return None
    await answer(update)
    return community, schedule, meeting


async def on_move_day(update: Update, context: KopiContext, action: MoveDay) -> None:
    """Offer the days around the meeting's own."""
    found = await _movable(update, context, action.meeting_id)
    if found is None:
        return
    _, schedule, meeting = found
    tz = schedule.timezone
    first = max(local_date(context.now(), tz), meeting.slot_date - timedelta(days=3))
    days = [first + timedelta(days=i) for i in range(8)]
    buttons = [
        button(short_date(context, d), MoveTime(meeting.id, int(f"{d:%Y%m%d}"))) for d in days
    ]
    await edit_or_reply(
        update,
        context,
        context.t("meet.move.day", when=when_text(context, meeting.starts_at, tz)),
        keyboard(buttons[:4], buttons[4:]),
    )


async def on_move_time(update: Update, context: KopiContext, action: MoveTime) -> None:
    """Offer the same time or the usual hours on the day chosen."""
    day = _day(action.day)
    if day is None:
        await expired(update, context)
        return
    found = await _movable(update, context, action.meeting_id)
    if found is None:
        return
    _, schedule, meeting = found
    tz = schedule.timezone
    same = local_time(meeting.starts_at, tz)
    meeting_id, yyyymmdd = meeting.id, action.day
    markup = _time_picker(context, lambda hhmm: MoveTo(meeting_id, yyyymmdd, int(hhmm)))
    rows = [
        [
            button(
                context.t("meet.button.same_time", time=clock_text(context.lang, same)),
                MoveTo(meeting_id, yyyymmdd, int(_hhmm(same))),
            )
        ],
        *[list(row) for row in markup.inline_keyboard],
    ]
    hint = context.t(
        "meet.move.time.hint",
        source=f"{meeting.slot_date.day}/{meeting.slot_date.month}",
        target=f"{day.day}/{day.month}",
    )
    await edit_or_reply(
        update,
        context,
        context.t(
            "meet.move.time",
            when=when_text(context, meeting.starts_at, tz),
            day=format_date(context.lang, at_local(day, time(12), tz), tz),
        )
        + hint,
        InlineKeyboardMarkup(rows),
    )


async def on_move_to(update: Update, context: KopiContext, action: MoveTo) -> None:
    """Move the meeting to the day and time chosen."""
    day, at = _day(action.day), _clock(action.at)
    if day is None or at is None:
        await expired(update, context)
        return
    found = await _movable(update, context, action.meeting_id)
    if found is None:
        return
    community, schedule, meeting = found
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
                        Digest(not schedule.digest_enabled),
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


async def rsvp(update: Update, context: KopiContext, action: Rsvp) -> None:
    """Record an answer (in the group or in a private nudge) and update the live tally."""
    query = update.callback_query
    chat = update.effective_chat
    response = RESPONSE_CODES[action.answer]
    meeting_id = action.meeting_id
    if query is None or chat is None:
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
                await query.edit_message_text(text, reply_markup=rsvp_markup(context, meeting.id))
            except BadRequest as error:
                if not not_modified(error):
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
                reply_markup=rsvp_markup(editor, meeting_id),
            )
        except BadRequest as error:
            if not not_modified(error):
                log.warning("could not update the tally in %s: %s", chat_id, error.message)

    context.services.outbox.post(chat_id, edit)


# ------------------------------------------------------------------------------- handlers


async def on_digest(update: Update, context: KopiContext, action: Digest) -> None:
    """Turn the weekly digest on or off."""
    community = await facilitator_community(update, context)
    if community is not None:
        await _set_flag(update, context, community, digest=action.on)


async def on_holidays(update: Update, context: KopiContext, action: Holidays) -> None:
    """Skip or keep national holidays."""
    community = await facilitator_community(update, context)
    if community is not None:
        await _set_flag(update, context, community, skip_holidays=action.skip)


# An edited command is not a second command (an edited /notulen must not add the minutes twice).
NEW_MESSAGES = filters.UpdateType.MESSAGE


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the meetings' command handlers and one handler per button action."""
    return [
        CommandHandler(["jadwal", "schedule"], private_command(run_schedule), NEW_MESSAGES),
        CommandHandler(["aturjadwal", "setschedule"], set_schedule, NEW_MESSAGES),
        CommandHandler(["pengingat", "reminders"], set_reminders, NEW_MESSAGES),
        CommandHandler(["liburkan", "cancelmeeting"], cancel_meeting, NEW_MESSAGES),
        CommandHandler(["pindahkan", "movemeeting"], move, NEW_MESSAGES),
        CommandHandler(["notulen", "minutes"], minutes, NEW_MESSAGES),
        CommandHandler(["ringkasan", "digest"], digest_setting, NEW_MESSAGES),
        on(Rsvp, rsvp),
        on(SetSchedule, on_set_schedule),
        on(LineTime, on_line_time),
        on(ConfirmSchedule, on_confirm_schedule),
        on(KeepSchedule, on_keep_schedule),
        on(ScheduleDay, on_schedule_day),
        on(ScheduleTime, on_schedule_time),
        on(ScheduleZone, on_schedule_zone),
        on(ScheduleEvery, on_schedule_every),
        on(SetReminders, on_set_reminders),
        on(PickReminders, on_pick_reminders),
        on(SaveReminders, on_save_reminders),
        on(CancelNext, on_cancel_next),
        on(CancelOn, on_cancel_on),
        on(UndoCancel, undo_cancel),
        on(KeepHoliday, keep_holiday),
        on(MoveMeeting, on_move_meeting),
        on(MoveDay, on_move_day),
        on(MoveTime, on_move_time),
        on(MoveTo, on_move_to),
        on(Digest, on_digest),
        on(Holidays, on_holidays),
        on(ReflectionCount, reflection_count),
        on(Attendance, on_attendance),
        on(ToggleAttendance, on_toggle_attendance),
    ]
