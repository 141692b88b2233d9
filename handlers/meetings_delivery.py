"""Sending what meetings call for: reminders with RSVP, holiday notices, nudges, invitations to
reflect and the weekly digest — each delivery exactly once.

:func:`run_due` is the heart: the JobQueue calls it with the wall clock, tests with an injected
clock. For every delivery due it first claims the delivery's unique row in its own committed
transaction, then sends, then records the outcome:

- sent: done; the message id is kept so that the RSVP tally can be edited into it;
- Telegram certainly did not take it (rate limit still hit after the rate limiter's retries,
  a network error before the request went out): ``failed``, taken back by a later run (a minute
  later, at most three attempts) while it is still useful;
- Telegram refused the message itself (BadRequest): ``rejected``, not retried;
- timed out: ``uncertain`` — it may have arrived, so it is never sent again;
- the bot was removed (the community is marked inactive) or a person blocked it: ``unreachable``;
- a crash between the claim and the outcome leaves ``sending``: like ``uncertain`` it is never
  resent. kopi prefers a missing message to a doubled one; such rows are visible in the ledger.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, TelegramError, TimedOut

from handlers.common import button, keyboard, send, shorten
from handlers.context import SERVICES_KEY, KopiContext, Services
from handlers.meetings_sources import count_captures, count_reflections, top_concerns
from handlers.start import deep_link_url
from handlers.texts import Markup, format_date, format_datetime, pick_language
from models.community import Community, Person
from models.meetings import (
    GROUP_TARGET,
    DeliveryState,
    Meeting,
    MeetingDelivery,
    MeetingSchedule,
    Response,
    Tally,
    attendance,
    attendance_between,
    claim,
    deliveries_for,
    finish,
    mark_not_started,
    members_without_answer,
    reclaim,
    schedules,
    tally,
    upcoming_meetings,
)
from scheduler.planner import (
    MAX_ATTEMPTS,
    RETRY_DELAY,
    Due,
    materialize,
    plan,
)
from scheduler.recurrence import DIGEST_PERIOD, holiday_name

log = logging.getLogger(__name__)

INSTANCE_KEY = "meetings.instance"
AGENDA_ITEMS = 3
AGENDA_ITEM_CHARS = 120
NAMES_CHARS = 600
RESPONSE_CODES = {"y": Response.YES, "i": Response.EXCUSED, "m": Response.MAYBE}
CODES = {response: code for code, response in RESPONSE_CODES.items()}


@dataclass
class Report:
    """What one run did, by outcome."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, state: DeliveryState | str) -> None:
        """Count one delivery."""
        key = str(state)
        self.counts[key] = self.counts.get(key, 0) + 1


def instance_id(app: Any) -> str:
    """Return this running kopi's name in the ledger."""
    name = app.bot_data.get(INSTANCE_KEY)
    if not isinstance(name, str):
        name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-64:]
        app.bot_data[INSTANCE_KEY] = name
    return name


def job_context(app: Any) -> KopiContext:
    """Return a context for sending outside any update."""
    return KopiContext(app)


async def run_due(app: Any, now: datetime, community_id: int | None = None) -> Report:
    """Send everything due at now (for every community, or one) that nobody has claimed yet."""
    services: Services = app.bot_data[SERVICES_KEY]
    context = job_context(app)
    report = Report()
    async with services.db.begin() as session:
        for schedule, _ in await schedules(session, community_id):
            await materialize(session, schedule, now)
    async with services.db() as session:
        due = (await plan(session, now, community_id)).due
    for item in due:
        try:
            await _deliver(context, item, now, report)
        except Exception:
            # One broken delivery must not hold up the others; what it claimed stays claimed.
            log.exception("delivering %s %s failed", item.occurrence, item.kind)
            report.add("error")
    if due:
        log.info("meetings at %s: %s", now.isoformat(), report.counts)
    return report


async def _deliver(context: KopiContext, item: Due, now: datetime, report: Report) -> None:
    me = instance_id(context.application)
    if item.skip is not None:
        async with context.db.begin() as session:
            claimed = await claim(
                session,
                community_id=item.community.id,
                meeting_id=item.meeting.id if item.meeting else None,
                occurrence=item.occurrence,
                kind=item.kind,
                target=GROUP_TARGET,
                due_at=item.due_at,
                now=now,
                by=me,
                state=DeliveryState.SKIPPED,
                note=item.skip,
            )
        if claimed is not None:
            log.info(
                "skipped %s for community %s (%s, %s): %s",
                item.kind,
                item.community.id,
                item.occurrence,
                item.due_at.isoformat(),
                item.skip,
            )
            report.add(DeliveryState.SKIPPED)
        return
    if item.kind == "nudge":
        await _nudges(context, item, now, report)
    elif item.kind == "invite":
        await _invitations(context, item, now, report)
    else:
        await _group_delivery(context, item, now, report)


# ---------------------------------------------------------------------- claiming and sending


async def _take(
    context: KopiContext,
    item: Due,
    target: int,
    now: datetime,
    *,
    retry_of: int | None = None,
) -> int | None:
    """Claim a delivery (or take a failed one back); return its id when this run owns it."""
    async with context.db.begin() as session:
        if retry_of is not None:
            won = await reclaim(
                session,
                retry_of,
                now=now,
                by=instance_id(context.application),
                max_attempts=MAX_ATTEMPTS,
                not_after=now - RETRY_DELAY,
            )
            return retry_of if won else None
        return await claim(
            session,
            community_id=item.community.id,
            meeting_id=item.meeting.id if item.meeting else None,
            occurrence=item.occurrence,
            kind=item.kind,
            target=target,
            due_at=item.due_at,
            now=now,
            by=instance_id(context.application),
        )


@dataclass
class Outcome:
    """How one send ended."""

    state: DeliveryState
    message: Message | None = None
    note: str | None = None


async def send_tracked(
    context: KopiContext,
    chat_id: int,
    text: str,
    *,
    thread_id: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> Outcome:
    """Send and say how it ended, in the ledger's terms."""
    try:
        message = await send(context, chat_id, text, thread_id=thread_id, markup=markup)
    except BadRequest as error:
        if thread_id is not None and "thread not found" in error.message.lower():
            # The forum topic was deleted: the general topic still reaches everyone.
            return await send_tracked(context, chat_id, text, markup=markup)
        return Outcome(DeliveryState.REJECTED, note=error.message)
    except TimedOut as error:
        return Outcome(DeliveryState.UNCERTAIN, note=str(error))
    except TelegramError as error:
        return Outcome(DeliveryState.FAILED, note=str(error))
    except Exception as error:
        log.exception("sending to %s failed", chat_id)
        return Outcome(DeliveryState.FAILED, note=repr(error))
    if message is None:
        return Outcome(DeliveryState.UNREACHABLE, note="forbidden")
    return Outcome(DeliveryState.SENT, message=message)


async def _record(
    context: KopiContext,
    delivery_id: int,
    outcome: Outcome,
    now: datetime,
    report: Report,
    body: str | None = None,
) -> None:
    message = outcome.message
    async with context.db.begin() as session:
        await finish(
            session,
            delivery_id,
            outcome.state,
            now=now,
            chat_id=message.chat.id if message else None,
            message_id=message.message_id if message else None,
            body=body,
            note=outcome.note,
        )
    if outcome.state != DeliveryState.SENT:
        log.warning("delivery %s ended %s: %s", delivery_id, outcome.state, outcome.note)
    report.add(outcome.state)


async def _group_delivery(context: KopiContext, item: Due, now: datetime, report: Report) -> None:
    context.lang = item.community.language
    async with context.db() as session:
        built = await _build_group_message(context, session, item, now)
    if built is None:
        async with context.db.begin() as session:
            quiet = await claim(
                session,
                community_id=item.community.id,
                meeting_id=None,
                occurrence=item.occurrence,
                kind=item.kind,
                target=GROUP_TARGET,
                due_at=item.due_at,
                now=now,
                by=instance_id(context.application),
                state=DeliveryState.SKIPPED,
                note="nothing to report",
            )
        if quiet is not None:
            report.add(DeliveryState.SKIPPED)
        return
    body, text, markup = built
    delivery_id = await _take(context, item, GROUP_TARGET, now, retry_of=item.retry_of)
    if delivery_id is None:
        return  # another run has it
    outcome = await send_tracked(
        context,
        item.community.chat_id,
        text,
        thread_id=item.schedule.thread_id,
        markup=markup,
    )
    await _record(context, delivery_id, outcome, now, report, body=body)


async def _build_group_message(
    context: KopiContext, session: AsyncSession, item: Due, now: datetime
) -> tuple[str, str, InlineKeyboardMarkup | None] | None:
    """Return (body, full text, buttons) of a group delivery; None when there is nothing to say."""
    if item.kind == "digest":
        text = await digest_text(context, session, item.community, item.schedule, item.due_at)
        return (text, text, None) if text is not None else None
    meeting = item.meeting
    assert meeting is not None
    if item.kind == "holiday":
        text = await holiday_text(context, session, item.community, item.schedule, meeting)
        markup = keyboard([button(context.t("meet.button.keep"), f"mt:k:{meeting.id}")])
        return text, text, markup
    body = await reminder_body(context, session, item.community, item.schedule, meeting, now)
    current = await tally(session, meeting.id)
    return body, with_tally(context, body, current), rsvp_markup(context, meeting.id)


# --------------------------------------------------------------------------- the messages


def duration_text(lang_t: KopiContext, minutes: int) -> str:
    """Return a span such as '1 jam 30 menit' / '2 days'."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(lang_t.t("meet.unit.days" if days > 1 else "meet.unit.day", n=days))
    if hours and days < 2:
        parts.append(lang_t.t("meet.unit.hours" if hours > 1 else "meet.unit.hour", n=hours))
    if mins and not days and hours < 3:
        parts.append(lang_t.t("meet.unit.minutes" if mins > 1 else "meet.unit.minute", n=mins))
    return " ".join(parts) or lang_t.t("meet.unit.minute", n=1)


def when_text(context: KopiContext, starts_at: datetime, timezone: str) -> str:
    """Return a meeting's date and time in the community's zone."""
    return format_datetime(context.lang, starts_at, timezone)


def place_line(context: KopiContext, schedule: MeetingSchedule) -> str:
    """Return the place line of a meeting message (empty when no place is known)."""
    if not schedule.place:
        return ""
    return "\n" + context.t("meet.place", place=schedule.place)


async def agenda_lines(context: KopiContext, session: AsyncSession, community_id: int) -> str:
    """Return the proposed agenda: the open concerns with the most votes."""
    items = await top_concerns(session, community_id, AGENDA_ITEMS)
    if not items:
        return context.t("meet.agenda.empty")
    lines = [
        context.t("meet.agenda.item", n=i, text=shorten(item.text, AGENDA_ITEM_CHARS))
        for i, item in enumerate(items, start=1)
    ]
    return context.t("meet.agenda.title") + "\n" + "\n".join(lines)


async def reminder_body(
    context: KopiContext,
    session: AsyncSession,
    community: Community,
    schedule: MeetingSchedule,
    meeting: Meeting,
    now: datetime,
) -> str:
    """Return a reminder's text without the tally: when, where, proposed agenda."""
    left = int((meeting.starts_at - now).total_seconds() // 60)
    return context.t(
        "meet.reminder",
        title=community.title,
        when=when_text(context, meeting.starts_at, schedule.timezone),
        left=duration_text(context, left),
        place=Markup(place_line(context, schedule)),
        agenda=Markup(await agenda_lines(context, session, community.id)),
    )


def tally_text(context: KopiContext, current: Tally) -> str:
    """Return the RSVP tally: counts, and who will attend."""
    text = context.t(
        "meet.tally",
        yes=current.count(Response.YES),
        excused=current.count(Response.EXCUSED),
        maybe=current.count(Response.MAYBE),
    )
    names = current.names[Response.YES.value]
    if names:
        text += "\n" + context.t("meet.tally.names", names=shorten(", ".join(names), NAMES_CHARS))
    return text


def with_tally(context: KopiContext, body: str, current: Tally) -> str:
    """Return a reminder's full text."""
    return body + "\n\n" + tally_text(context, current)


def rsvp_markup(context: KopiContext, meeting_id: int) -> InlineKeyboardMarkup:
    """Return the RSVP buttons (Hadir / Izin / Belum pasti)."""
    return keyboard(
        [
            button(context.t(f"meet.rsvp.{response.value}"), f"mt:r:{meeting_id}:{code}")
            for code, response in RESPONSE_CODES.items()
        ]
    )


async def next_held(session: AsyncSession, community_id: int, after: datetime) -> Meeting | None:
    """Return the next meeting that will be held after a moment."""
    found = await upcoming_meetings(session, community_id, after, 1, statuses=("scheduled",))
    return found[0] if found else None


async def holiday_text(
    context: KopiContext,
    session: AsyncSession,
    community: Community,
    schedule: MeetingSchedule,
    meeting: Meeting,
) -> str:
    """Return the notice that a meeting falls on a national holiday and is skipped."""
    name = holiday_name(meeting.slot_date, context.lang) or ""
    following = await next_held(session, community.id, meeting.starts_at)
    text = context.t(
        "meet.holiday",
        date=format_date(context.lang, meeting.starts_at, schedule.timezone),
        holiday=name,
    )
    if following is not None:
        text += "\n" + context.t(
            "meet.next", when=when_text(context, following.starts_at, schedule.timezone)
        )
    return text


async def digest_text(
    context: KopiContext,
    session: AsyncSession,
    community: Community,
    schedule: MeetingSchedule,
    moment: datetime,
) -> str | None:
    """Return the weekly digest, or None for a week with nothing to report."""
    since = moment - DIGEST_PERIOD
    concerns = await count_captures(session, community.id, "concern", since)
    practices = await count_captures(session, community.id, "practice", since)
    reflections = await count_reflections(session, community.id, since)
    held = await attendance_between(session, community.id, since, moment)
    if not (concerns or practices or reflections or held):
        return None
    if held:
        attended = "; ".join(
            context.t(
                "meet.digest.meeting",
                date=format_date(context.lang, meeting.starts_at, schedule.timezone),
                count=count,
            )
            for meeting, count in held
        )
    else:
        attended = context.t("meet.digest.no_meeting")
    return context.t(
        "meet.digest",
        title=community.title,
        start=format_date(context.lang, since, schedule.timezone),
        end=format_date(context.lang, moment, schedule.timezone),
        concerns=concerns,
        practices=practices,
        reflections=reflections,
        attendance=attended,
    )


# ------------------------------------------------------------------------------- fan-outs


def person_language(context: KopiContext, person: Person) -> str:
    """Return the language to write to a person in private."""
    return pick_language(
        person.language, person.telegram_language, context.services.default_language
    )


async def _personal_rows(context: KopiContext, item: Due) -> dict[int, MeetingDelivery]:
    async with context.db() as session:
        rows = await deliveries_for(session, item.community.id, [item.occurrence])
    return {r.target: r for r in rows if r.kind == item.kind}


async def _take_personal(
    context: KopiContext,
    item: Due,
    person: Person,
    rows: dict[int, MeetingDelivery],
    now: datetime,
) -> int | None:
    row = rows.get(person.id)
    if row is None:
        return await _take(context, item, person.id, now)
    if row.state == DeliveryState.FAILED.value and now < item.useful_until:
        return await _take(context, item, person.id, now, retry_of=row.id)
    return None


async def _close_fanout(
    context: KopiContext, item: Due, now: datetime, state: DeliveryState, note: str
) -> None:
    async with context.db.begin() as session:
        await claim(
            session,
            community_id=item.community.id,
            meeting_id=item.meeting.id if item.meeting else None,
            occurrence=item.occurrence,
            kind=item.kind,
            target=GROUP_TARGET,
            due_at=item.due_at,
            now=now,
            by=instance_id(context.application),
            state=state,
            note=note,
        )


async def _nudges(context: KopiContext, item: Due, now: datetime, report: Report) -> None:
    """Nudge, in private, the members who have not answered (only those who started kopi)."""
    meeting = item.meeting
    assert meeting is not None
    async with context.db() as session:
        people = await members_without_answer(session, item.community.id, meeting.id)
    rows = await _personal_rows(context, item)
    for person in people:
        if not person.started:
            continue  # Telegram lets a bot write first only to those who started it
        delivery_id = await _take_personal(context, item, person, rows, now)
        if delivery_id is None:
            continue
        context.lang = person_language(context, person)
        body = context.t(
            "meet.nudge",
            name=person.first_name,
            title=item.community.title,
            when=when_text(context, meeting.starts_at, item.schedule.timezone),
            place=Markup(place_line(context, item.schedule)),
        )
        outcome = await send_tracked(
            context, person.id, body, markup=rsvp_markup(context, meeting.id)
        )
        if outcome.state == DeliveryState.UNREACHABLE:
            async with context.db.begin() as session:
                await mark_not_started(session, person.id)
            context.services.known.forget_person(person.id)
        await _record(context, delivery_id, outcome, now, report, body=body)
    await _close_fanout(context, item, now, DeliveryState.DONE, "nudges done")


async def _invitations(context: KopiContext, item: Due, now: datetime, report: Report) -> None:
    """Invite attendees privately to reflect; in the group, a link for those kopi cannot reach."""
    meeting = item.meeting
    assert meeting is not None
    async with context.db() as session:
        attendees = await attendance(session, meeting.id)
    rows = await _personal_rows(context, item)
    link = deep_link_url(context.bot.username, "r", f"{item.community.id}-{meeting.id}")
    unreachable = 0
    for person in attendees:
        row = rows.get(person.id)
        if not person.started or (row is not None and row.state == "unreachable"):
            unreachable += 1
            continue
        delivery_id = await _take_personal(context, item, person, rows, now)
        if delivery_id is None:
            continue
        context.lang = person_language(context, person)
        text = context.t(
            "meet.invite",
            name=person.first_name,
            title=item.community.title,
            date=format_date(context.lang, meeting.starts_at, item.schedule.timezone),
        )
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(context.t("meet.button.reflect"), url=link)]]
        )
        outcome = await send_tracked(context, person.id, text, markup=markup)
        if outcome.state == DeliveryState.UNREACHABLE:
            unreachable += 1
            async with context.db.begin() as session:
                await mark_not_started(session, person.id)
            context.services.known.forget_person(person.id)
        await _record(context, delivery_id, outcome, now, report, body=text)
    if attendees and not unreachable:
        await _close_fanout(context, item, now, DeliveryState.DONE, "all invited privately")
        return
    delivery_id = await _take(context, item, GROUP_TARGET, now)
    if delivery_id is None:
        return
    context.lang = item.community.language
    text = context.t("meet.invite.group", title=item.community.title)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.t("meet.button.reflect"), url=link)]]
    )
    outcome = await send_tracked(
        context, item.community.chat_id, text, thread_id=item.schedule.thread_id, markup=markup
    )
    await _record(context, delivery_id, outcome, now, report, body=text)
