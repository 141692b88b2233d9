"""What is due when: meetings from schedules, deliveries from meetings (database, no telegram).

The handlers' ``run_due`` asks :func:`plan` what is due at a moment and sends it; the jobs ask it
when to wake up next. Both work from the database alone, so any instance at any time agrees.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models.community import Community
from models.meetings import (
    GROUP_TARGET,
    DeliveryState,
    Meeting,
    MeetingDelivery,
    MeetingSchedule,
    Slot,
    add_meetings,
    deliveries_for,
    meetings_between,
    occurrence_key,
    retime_future,
    schedules,
)
from scheduler.recurrence import (
    DIGEST_USEFUL_FOR,
    Planned,
    Rule,
    digest_after,
    digest_at_or_before,
    holiday_name,
    local_date,
    occurrences,
    plan_meeting,
    reminders_from_text,
)

log = logging.getLogger(__name__)

LOOKBACK = timedelta(days=2)  # missed deliveries older than this are neither sent nor logged
HORIZON = timedelta(days=35)  # meetings are recorded this far ahead
RETRY_DELAY = timedelta(minutes=1)
MAX_ATTEMPTS = 3
FANOUT_KINDS = ("nudge", "invite")


def rule_of(schedule: MeetingSchedule) -> Rule:
    """Return a schedule's recurrence rule."""
    return Rule(
        weekday=schedule.weekday,
        at=time(schedule.minute_of_day // 60, schedule.minute_of_day % 60),
        timezone=schedule.timezone,
        interval_weeks=schedule.interval_weeks,
        anchor=schedule.anchor_date,
    )


def slots(schedule: MeetingSchedule, start: datetime, end: datetime) -> list[Slot]:
    """Return the meetings a schedule calls for in [start, end), holidays marked."""
    found = []
    for day, starts_at in occurrences(rule_of(schedule), start, end):
        holiday = schedule.skip_holidays and holiday_name(day) is not None
        found.append(Slot(day, starts_at, "holiday" if holiday else "scheduled"))
    return found


async def materialize(session: AsyncSession, schedule: MeetingSchedule, now: datetime) -> None:
    """Record the schedule's meetings from its last change (or the lookback) to the horizon."""
    # A slot starting the very moment the rule was set is not a meeting anyone was told about.
    start = max(schedule.changed_at + timedelta(seconds=1), now - LOOKBACK)
    await add_meetings(
        session, schedule.community_id, slots(schedule, start, now + HORIZON), schedule.changed_at
    )


async def apply_change(session: AsyncSession, schedule: MeetingSchedule, now: datetime) -> None:
    """Bring future meetings in line with a changed schedule, then record the new ones."""
    wanted = {s.slot_date: s for s in slots(schedule, now, now + HORIZON)}
    await retime_future(session, schedule.community_id, now, wanted)
    await materialize(session, schedule, now)


@dataclass
class Due:
    """A delivery to make now (or to record as skipped)."""

    community: Community
    schedule: MeetingSchedule
    meeting: Meeting | None
    occurrence: str
    kind: str
    due_at: datetime
    useful_until: datetime
    skip: str | None = None  # why it is recorded instead of sent
    retry_of: int | None = None  # a failed group delivery to take back


@dataclass
class Plan:
    """What is due now, and when each community needs kopi next."""

    due: list[Due]
    next_at: dict[int, datetime | None]


def planned_for(schedule: MeetingSchedule, meeting: Meeting) -> list[Planned]:
    """Return the deliveries a recorded meeting calls for."""
    return plan_meeting(
        meeting.starts_at,
        status="cancelled"
        if meeting.status == "cancelled"
        else "holiday"
        if meeting.status == "holiday"
        else "scheduled",
        reminders=reminders_from_text(schedule.reminders),
        timezone=schedule.timezone,
        timing_set_at=meeting.timing_set_at,
        duration=timedelta(minutes=schedule.duration_minutes),
    )


def digest_planned(
    schedule: MeetingSchedule, now: datetime
) -> tuple[Planned | None, datetime | None]:
    """Return the latest weekly digest at or before now, and the next one (None when off)."""
    if not schedule.digest_enabled:
        return None, None
    upcoming = digest_after(now, schedule.timezone)
    moment = digest_at_or_before(now, schedule.timezone)
    if moment < schedule.created_at:
        return None, upcoming
    return Planned("digest", moment, moment + DIGEST_USEFUL_FOR), upcoming


def digest_occurrence(schedule: MeetingSchedule, moment: datetime) -> str:
    """Return the key of the digest of one week."""
    return f"digest@{local_date(moment, schedule.timezone).isoformat()}"


def _retryable(row: MeetingDelivery, now: datetime) -> bool:
    return (
        row.state == DeliveryState.FAILED.value
        and row.attempts < MAX_ATTEMPTS
        and row.claimed_at <= now - RETRY_DELAY
    )


async def plan(
    session: AsyncSession, now: datetime, community_id: int | Collection[int] | None = None
) -> Plan:
    """Return what is due at now for active communities with a schedule (or one, or some)."""
    result = Plan(due=[], next_at={})
    for schedule, community in await schedules(session, community_id):
        meetings = await meetings_between(
            session, community.id, now - LOOKBACK - timedelta(days=1), now + HORIZON
        )
        items: list[tuple[Meeting | None, str, Planned]] = [
            (m, occurrence_key(m), p) for m in meetings for p in planned_for(schedule, m)
        ]
        digest, next_digest = digest_planned(schedule, now)
        if digest is not None:
            items.append((None, digest_occurrence(schedule, digest.due_at), digest))
        claimed: dict[tuple[str, str], list[MeetingDelivery]] = {}
        for row in await deliveries_for(session, community.id, [key for _, key, _ in items]):
            claimed.setdefault((row.occurrence, row.kind), []).append(row)

        upcoming = [next_digest] if next_digest is not None else []
        due: list[Due] = []
        for meeting, key, planned in items:
            if planned.due_at > now:
                upcoming.append(planned.due_at)
                continue
            if planned.due_at < now - LOOKBACK:
                continue
            rows = claimed.get((key, planned.kind), [])
            item = _due_item(community, schedule, meeting, key, planned, rows, now)
            if item is not None:
                due.append(item)
            for row in rows:
                if (
                    row.state == DeliveryState.FAILED.value
                    and row.attempts < MAX_ATTEMPTS
                    and now < planned.useful_until
                ):
                    upcoming.append(max(row.claimed_at + RETRY_DELAY, now))
        _supersede(due)
        result.due.extend(due)
        later = [moment for moment in upcoming if moment > now]
        result.next_at[community.id] = min(later) if later else None
    return result


def _due_item(
    community: Community,
    schedule: MeetingSchedule,
    meeting: Meeting | None,
    key: str,
    planned: Planned,
    rows: list[MeetingDelivery],
    now: datetime,
) -> Due | None:
    item = Due(
        community, schedule, meeting, key, planned.kind, planned.due_at, planned.useful_until
    )
    useful = now < planned.useful_until
    group_row = next((r for r in rows if r.target == GROUP_TARGET), None)
    if planned.kind in FANOUT_KINDS:
        # The group row closes a fan-out; failed personal deliveries reopen it while useful.
        if group_row is None:
            if not useful:
                item.skip = "missed"
            return item
        if useful and any(_retryable(r, now) for r in rows if r.target != GROUP_TARGET):
            return item
        return None
    if group_row is None:
        if not useful:
            item.skip = "missed"
        return item
    if useful and _retryable(group_row, now):
        item.retry_of = group_row.id
        return item
    return None


def _supersede(due: list[Due]) -> None:
    """Of several reminders of one meeting due at once (a catch-up), send only the latest."""
    latest: dict[int, Due] = {}
    for item in due:
        if item.meeting is None or not item.kind.startswith("rem:") or item.skip:
            continue
        if item.retry_of is not None:
            continue
        best = latest.get(item.meeting.id)
        if best is None or item.due_at > best.due_at:
            latest[item.meeting.id] = item
    for item in due:
        if (
            item.meeting is not None
            and item.kind.startswith("rem:")
            and not item.skip
            and item.retry_of is None
            and latest.get(item.meeting.id) is not item
        ):
            item.skip = "superseded"
