"""Sending what meetings call for: reminders with RSVP, holiday notices, nudges, invitations to
reflect and the weekly digest — each delivery exactly once.

:func:`run_due` is the heart: the JobQueue calls it with the wall clock, tests with an injected
clock. Deliveries run concurrently (at most CONCURRENT_DELIVERIES at once in a process), and each
one goes through the same steps:

1. reserve its place under Telegram's limits (``handlers.pacing``: the rate limiter's own buckets,
   so a fan-out of 10,000 reminders is paced at the configured rate with everything else);
2. claim the delivery's unique row in its own committed transaction;
3. send at once — the reserved request skips the rate limiter, so nothing claimed waits there;
4. record the outcome.

Outcomes:

- sent: done; the message id is kept so that the RSVP tally can be edited into it;
- Telegram answered 429: the claim is given back (``release``), every paced send waits out
  retry_after, and the delivery is reserved and claimed again;
- Telegram certainly did not take it (a connection that failed before the request went out,
  the connection pool full): ``failed``, taken back by a later run (a minute later, at most
  three attempts) while it is still useful;
- Telegram refused the message itself (BadRequest, "chat not found" included): ``rejected``, not
  retried;
- timed out, or the connection broke after the request went out: ``uncertain`` — it may have
  arrived, so it is never sent again;
- the bot was removed (the community is marked inactive) or a person blocked it: ``unreachable``;
- a crash between the claim and the outcome leaves ``sending``: like ``uncertain`` it is never
  resent. kopi prefers a missing message to a doubled one; such rows are visible in the ledger.
  Because places are reserved before claiming, a ``sending`` row left by a crash is a request
  that was on its way to Telegram (which, in all likelihood, has it), not one still queued in
  kopi. The one window where a crash loses a message is the instant between the claim's commit
  and the request's bytes leaving the process: no waiting happens there (the place is reserved;
  only building the request and, rarely, opening a new connection to Telegram).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from handlers import pacing
from handlers.callbacks import Payload
from handlers.common import button, keyboard, send, shorten
from handlers.context import KopiContext, services_of
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
    release,
    scheduled_communities,
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

# Deliveries in progress at once in one process. Each one holds at most one request on the wire,
# so this is also the most "sending" rows a crash can leave. 16 keep 30 messages/s flowing with
# up to half a second per request.
CONCURRENT_DELIVERIES = 16
# Communities planned per transaction when planning all of them (the sweep, start-up).
PLAN_CHUNK = 100
# How often one run waits out a 429 for one delivery before leaving it failed for a later run.
RETRY_AFTER_ROUNDS = 5
# A request that failed this way may have reached Telegram: it is never sent again.
MAYBE_ARRIVED = ("httpx.ReadError", "httpx.RemoteProtocolError", "Bad Gateway")
AGENDA_ITEMS = 3
AGENDA_ITEM_CHARS = 120
NAMES_CHARS = 600
RsvpCode = Literal["y", "i", "m"]
RESPONSE_CODES: dict[RsvpCode, Response] = {
    "y": Response.YES,
    "i": Response.EXCUSED,
    "m": Response.MAYBE,
}
CODES = {response: code for code, response in RESPONSE_CODES.items()}


@dataclass(frozen=True)
class Rsvp(Payload, prefix="mt:r"):
    """Answer a meeting's invitation (in the group's reminder or a private nudge)."""

    meeting_id: int
    answer: RsvpCode


@dataclass(frozen=True)
class KeepHoliday(Payload, prefix="mt:k"):
    """Hold a meeting that falls on a national holiday after all."""

    meeting_id: int


@dataclass
class Report:
    """What one run did, by outcome, and when each community it planned needs kopi next."""

    counts: dict[str, int] = field(default_factory=dict)
    next_at: dict[int, datetime | None] = field(default_factory=dict)
    # Communities whose next wake-up changed while sending (a failure to retry, a removed bot).
    replan: set[int] = field(default_factory=set)

    def add(self, state: DeliveryState | str) -> None:
        """Count one delivery."""
        key = str(state)
        self.counts[key] = self.counts.get(key, 0) + 1


@dataclass
class Fanout:
    """What the runs of one process share: the delivery slots and who is being served."""

    slots: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(CONCURRENT_DELIVERIES)
    )
    # Communities a run is delivering to now: a concurrent run (the sweep, a community's job)
    # leaves them to it instead of reserving places for deliveries the other run will claim.
    serving: set[int] = field(default_factory=set)


def fanout(app: Any) -> Fanout:
    """Return the process's fan-out state."""
    services = services_of(app)
    if services.fanout is None:
        services.fanout = Fanout()
    return services.fanout


def instance_id(app: Any) -> str:
    """Return this running kopi's name in the ledger."""
    return services_of(app).instance


def job_context(app: Any) -> KopiContext:
    """Return a context for sending outside any update."""
    return KopiContext(app)


async def run_due(
    app: Any, now: datetime, community_id: int | None = None, *, fresh: bool = True
) -> Report:
    """Send everything due at now (for every community, or one) that nobody has claimed yet.

    The report's next_at says when each planned community needs kopi next (the jobs use it).
    fresh=False skips recording the schedules' meetings up to the horizon first: a community's
    job fires at a time planned from meetings already recorded (the sweep keeps them recorded).
    """
    services = services_of(app)
    report = Report()
    if community_id is None:
        async with services.db() as session:
            ids = await scheduled_communities(session)
        # A few at a time: on SQLite every update waits for the one connection meanwhile.
        chunks: list[int | list[int]] = [
            ids[i : i + PLAN_CHUNK] for i in range(0, len(ids), PLAN_CHUNK)
        ]
    else:
        chunks = [community_id]
    due: list[Due] = []
    for chunk in chunks:
        if fresh:
            async with services.db.begin() as session:
                for schedule, _ in await schedules(session, chunk):
                    await materialize(session, schedule, now)
        async with services.db() as session:
            planned = await plan(session, now, chunk)
        report.next_at.update(planned.next_at)
        due.extend(planned.due)
    await _deliver_all(app, due, now, report)
    for cid in sorted(report.replan):
        async with services.db() as session:
            again = await plan(session, now, cid)
        report.next_at[cid] = again.next_at.get(cid)
    if due:
        log.info("meetings at %s: %s", now.isoformat(), report.counts)
    return report


async def _deliver_all(app: Any, due: list[Due], now: datetime, report: Report) -> None:
    """Deliver every due item, a few at once; one community's items in their planned order."""
    state = fanout(app)
    by_community: dict[int, list[Due]] = {}
    for item in due:
        by_community.setdefault(item.community.id, []).append(item)
    queue: Iterator[tuple[int, list[Due]]] = iter(by_community.items())

    async def worker() -> None:
        for community_id, items in queue:
            if community_id in state.serving:
                continue  # another run of this process is delivering there now
            state.serving.add(community_id)
            try:
                for item in items:
                    async with state.slots:
                        await _deliver_safely(app, item, now, report)
            finally:
                state.serving.discard(community_id)

    workers = min(CONCURRENT_DELIVERIES, len(by_community))
    await asyncio.gather(*(worker() for _ in range(workers)))


async def _deliver_safely(app: Any, item: Due, now: datetime, report: Report) -> None:
    try:
        await _deliver(job_context(app), item, now, report)
    except Exception:
        # One broken delivery must not hold up the others; what it claimed stays claimed.
        log.exception("delivering %s %s failed", item.occurrence, item.kind)
        report.add("error")


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
    released: bool = False,
) -> int | None:
    """Claim a delivery (or take a failed one back); return its id when this run owns it.

    released: this run gave the failed delivery back after a 429 and may take it again at once.
    """
    async with context.db.begin() as session:
        if retry_of is not None:
            won = await reclaim(
                session,
                retry_of,
                now=now,
                by=instance_id(context.application),
                max_attempts=MAX_ATTEMPTS,
                not_after=now if released else now - RETRY_DELAY,
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
    retry_after: float | None = None  # Telegram asked to wait this long (429): not taken


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
    except RetryAfter as error:
        return Outcome(
            DeliveryState.FAILED, note=str(error), retry_after=pacing.retry_seconds(error)
        )
    except BadRequest as error:
        if thread_id is not None and "thread not found" in error.message.lower():
            # The forum topic was deleted: the general topic still reaches everyone.
            return await send_tracked(context, chat_id, text, markup=markup)
        return Outcome(DeliveryState.REJECTED, note=error.message)
    except TimedOut as error:
        if error.message.startswith("Pool timeout"):
            return Outcome(DeliveryState.FAILED, note=error.message)  # it was never sent
        return Outcome(DeliveryState.UNCERTAIN, note=str(error))
    except NetworkError as error:
        if any(sign in error.message for sign in MAYBE_ARRIVED):
            return Outcome(DeliveryState.UNCERTAIN, note=error.message)
        return Outcome(DeliveryState.FAILED, note=error.message)
    except TelegramError as error:
        return Outcome(DeliveryState.FAILED, note=str(error))
    except Exception as error:
        log.exception("sending to %s failed", chat_id)
        return Outcome(DeliveryState.FAILED, note=repr(error))
    if message is None:
        return Outcome(DeliveryState.UNREACHABLE, note="forbidden")
    return Outcome(DeliveryState.SENT, message=message)


@dataclass
class Composed:
    """A message ready to go: the text sent, its buttons, and the body kept in the ledger."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    body: str | None = None


async def _dispatch(
    context: KopiContext,
    item: Due,
    *,
    target: int,
    chat_id: int,
    now: datetime,
    report: Report,
    compose: Callable[[], Awaitable[Composed]],
    thread_id: int | None = None,
    retry_of: int | None = None,
) -> Outcome | None:
    """Reserve a place, compose, claim, send at once, record; return the outcome (None: another
    run has it).

    After a 429 the claim is given back before waiting, so a crash while kopi waits leaves the
    delivery free for the next run rather than "sending" for ever.
    """
    released = False
    for round_ in range(RETRY_AFTER_ROUNDS + 1):
        await pacing.reserve(context.bot, chat_id)
        composed = await compose()
        delivery_id = await _take(context, item, target, now, retry_of=retry_of, released=released)
        if delivery_id is None:
            return None
        # Nothing may wait between the claim and the request: the place is already reserved.
        with pacing.reserved(chat_id):
            outcome = await send_tracked(
                context, chat_id, composed.text, thread_id=thread_id, markup=composed.markup
            )
        if outcome.retry_after is not None and round_ < RETRY_AFTER_ROUNDS:
            async with context.db.begin() as session:
                await release(session, delivery_id, note=outcome.note)
            pacing.pause(context.bot, outcome.retry_after)
            log.info(
                "Telegram asked to wait %.0f s; delivery %s to %s given back until then",
                outcome.retry_after,
                delivery_id,
                chat_id,
            )
            report.add("retry_after")
            if retry_of is not None:
                released = True
            continue
        await _record(context, delivery_id, outcome, now, report, body=composed.body)
        if outcome.state in (DeliveryState.FAILED, DeliveryState.UNREACHABLE):
            report.replan.add(item.community.id)
        return outcome
    return None  # not reached: the last round records whatever happened


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
    else:
        log.debug("delivery %s sent", delivery_id)
    report.add(outcome.state)


async def _group_delivery(context: KopiContext, item: Due, now: datetime, report: Report) -> None:
    context.lang = item.community.language
    built: tuple[str, str, InlineKeyboardMarkup | None] | None = None
    if item.kind == "digest":
        # A quiet week has no digest: find out before taking a place in the queue.
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

    async def compose() -> Composed:
        # Built once the place is reserved (a fan-out may have queued for minutes): the time
        # left and the RSVP tally are those of the moment the reminder leaves.
        ready = built
        if ready is None:
            async with context.db() as session:
                ready = await _build_group_message(context, session, item, context.now())
        assert ready is not None
        body, text, markup = ready
        return Composed(text, markup, body)

    await _dispatch(
        context,
        item,
        target=GROUP_TARGET,
        chat_id=item.community.chat_id,
        now=now,
        report=report,
        compose=compose,
        thread_id=item.schedule.thread_id,
        retry_of=item.retry_of,
    )


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
        markup = keyboard([button(context.t("meet.button.keep"), KeepHoliday(meeting.id))])
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
            button(context.t(f"meet.rsvp.{response.value}"), Rsvp(meeting_id, code))
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


def _attempt(row: MeetingDelivery | None, item: Due, now: datetime) -> tuple[bool, int | None]:
    """Return whether to (re)try a personal delivery, and the failed row to take back."""
    if row is None:
        return True, None
    if row.state == DeliveryState.FAILED.value and now < item.useful_until:
        return True, row.id
    return False, None


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


async def _personal(
    context: KopiContext,
    item: Due,
    person: Person,
    retry_of: int | None,
    now: datetime,
    report: Report,
    compose: Callable[[], Composed],
) -> Outcome | None:
    """Send one private message of a fan-out; note a person who blocked kopi."""

    async def composed() -> Composed:
        context.lang = person_language(context, person)
        return compose()

    outcome = await _dispatch(
        context,
        item,
        target=person.id,
        chat_id=person.id,
        now=now,
        report=report,
        compose=composed,
        retry_of=retry_of,
    )
    if outcome is not None and outcome.state == DeliveryState.UNREACHABLE:
        async with context.db.begin() as session:
            await mark_not_started(session, person.id)
    return outcome


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
        go, retry_of = _attempt(rows.get(person.id), item, now)
        if not go:
            continue

        def nudge(person: Person = person) -> Composed:
            body = context.t(
                "meet.nudge",
                name=person.first_name,
                title=item.community.title,
                when=when_text(context, meeting.starts_at, item.schedule.timezone),
                place=Markup(place_line(context, item.schedule)),
            )
            return Composed(body, rsvp_markup(context, meeting.id), body)

        await _personal(context, item, person, retry_of, now, report, nudge)
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
        go, retry_of = _attempt(row, item, now)
        if not go:
            continue

        def invitation(person: Person = person) -> Composed:
            text = context.t(
                "meet.invite",
                name=person.first_name,
                title=item.community.title,
                date=format_date(context.lang, meeting.starts_at, item.schedule.timezone),
            )
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(context.t("meet.button.reflect"), url=link)]]
            )
            return Composed(text, markup, text)

        outcome = await _personal(context, item, person, retry_of, now, report, invitation)
        if outcome is not None and outcome.state == DeliveryState.UNREACHABLE:
            unreachable += 1
    if attendees and not unreachable:
        await _close_fanout(context, item, now, DeliveryState.DONE, "all invited privately")
        return
    context.lang = item.community.language
    text = context.t("meet.invite.group", title=item.community.title)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.t("meet.button.reflect"), url=link)]]
    )

    async def group_link() -> Composed:
        return Composed(text, markup, text)

    await _dispatch(
        context,
        item,
        target=GROUP_TARGET,
        chat_id=item.community.chat_id,
        now=now,
        report=report,
        compose=group_link,
        thread_id=item.schedule.thread_id,
    )
