"""Routine meetings: the schedule, its occurrences, RSVPs, minutes and the delivery ledger.

Minutes are entries (``minutes_entries``): who wrote them (a person's id; None for an anonymous
admin writing as the group, for an author who erased her data and left them to the community, and
for text migrated from before the entries whose writer could not be told), the name shown at
the time, the text, and the message they came from. That message is unique: the same message
delivered again adds nothing. Nothing is evicted; export and erasure go by the author's id.

The ledger (``meeting_deliveries``) is what makes reminders exactly-once: every delivery
(occurrence x kind x target) is claimed by inserting its unique row in a committed transaction
before anything is sent, so a second instance, a restart or a re-run after a crash finds the claim
and sends nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, insert_for, utcnow
from models.community import Community, Membership, Person

GROUP_TARGET = 0  # a delivery's target: 0 is the community's group, else a person's id
MAX_PLACE = 500
MAX_AUTHOR = 255


class Response(enum.StrEnum):
    """An answer to a meeting's RSVP."""

    YES = "yes"  # hadir
    EXCUSED = "excused"  # izin
    MAYBE = "maybe"  # belum pasti


class DeliveryState(enum.StrEnum):
    """Where a claimed delivery stands."""

    SENDING = "sending"  # claimed; not known to have gone out (a crash leaves it here)
    SENT = "sent"
    FAILED = "failed"  # Telegram certainly did not take it: retried while still useful
    REJECTED = "rejected"  # Telegram refused the message itself: retrying would not help
    UNCERTAIN = "uncertain"  # timed out: it may have arrived, so it is never resent
    UNREACHABLE = "unreachable"  # the bot was removed or blocked
    SKIPPED = "skipped"  # missed while no longer useful, or superseded by a later reminder
    DONE = "done"  # the group row that closes a fan-out (nudges, invitations)


class MeetingSchedule(Base):
    """A community's routine meeting: weekday, local time and zone, frequency, place."""

    __tablename__ = "meeting_schedules"
    __table_args__ = (UniqueConstraint("community_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    minute_of_day: Mapped[int] = mapped_column(Integer)  # local
    timezone: Mapped[str] = mapped_column(String(64))
    interval_weeks: Mapped[int] = mapped_column(Integer, default=1)
    anchor_date: Mapped[date] = mapped_column(Date)  # one occurrence: the fortnight's parity
    place: Mapped[str | None] = mapped_column(String(MAX_PLACE), default=None)
    # The forum topic the schedule was set in: reminders and digests go there.
    thread_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    reminders: Mapped[str] = mapped_column(String(64), default="eve,60")
    skip_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    # When the rule last changed: occurrences made from it were decided then.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(Base):
    """One occurrence of a routine meeting (made from a slot of the schedule)."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("community_id", "slot_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    slot_date: Mapped[date] = mapped_column(Date)  # the routine's local date it came from
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    # A facilitator moved, cancelled or kept it: schedule changes leave it as it is.
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    # When this meeting's time was decided: deliveries due before then were never scheduled.
    timing_set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MinutesEntry(Base):
    """One note in a meeting's minutes, with its author and the message it came from."""

    __tablename__ = "minutes_entries"
    __table_args__ = (UniqueConstraint("source_chat_id", "source_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    # None: an anonymous admin (writing as the group), an author who erased her data and left
    # the entry to the community, or migrated text whose writer could not be told.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True, default=None
    )
    # The name shown with the entry, as it was when written; None: shown without a name.
    author_name: Mapped[str | None] = mapped_column(String(MAX_AUTHOR), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The Telegram message the entry came from (None before migration 0010, and once erased).
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class MeetingRsvp(Base):
    """A member's answer to a meeting, and a facilitator's correction of their attendance."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    response: Mapped[str | None] = mapped_column(String(16), default=None)
    attended: Mapped[bool | None] = mapped_column(Boolean, default=None)  # None: as answered
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingDelivery(Base):
    """A claimed delivery: one occurrence x kind x target, sent at most once."""

    __tablename__ = "meeting_deliveries"
    __table_args__ = (UniqueConstraint("community_id", "occurrence", "kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, default=None
    )
    occurrence: Mapped[str] = mapped_column(String(48))  # "m12@202611260700", "digest@2026-11-27"
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[int] = mapped_column(BigInteger)  # GROUP_TARGET or a person's id
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.SENDING.value)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    body: Mapped[str | None] = mapped_column(Text, default=None)  # the HTML sent, less the tally
    note: Mapped[str | None] = mapped_column(String(255), default=None)


def occurrence_key(meeting: Meeting) -> str:
    """Return the key of a meeting at its current time: a moved meeting is a new occurrence."""
    return f"m{meeting.id}@{meeting.starts_at:%Y%m%d%H%M}"


# ------------------------------------------------------------------------------- schedule


async def get_schedule(session: AsyncSession, community_id: int) -> MeetingSchedule | None:
    """Return a community's routine meeting schedule, if one is set."""
    return await session.scalar(
        select(MeetingSchedule).where(MeetingSchedule.community_id == community_id)
    )


async def save_schedule(
    session: AsyncSession,
    community_id: int,
    *,
    weekday: int,
    minute_of_day: int,
    timezone: str,
    interval_weeks: int,
    anchor_date: date,
    thread_id: int | None,
    place: str | None,
    now: datetime,
) -> MeetingSchedule:
    """Set (or change) a community's routine meeting; a given place replaces the old one."""
    schedule = await get_schedule(session, community_id)
    if schedule is None:
        # Two facilitators may set it at once: insert-or-nothing, then read.
        await session.execute(
            insert_for(session)(MeetingSchedule)
            .values(
                community_id=community_id,
                weekday=weekday,
                minute_of_day=minute_of_day,
                timezone=timezone,
                interval_weeks=interval_weeks,
                anchor_date=anchor_date,
                thread_id=thread_id,
                place=place,
                reminders="eve,60",
                skip_holidays=True,
                digest_enabled=True,
                duration_minutes=90,
                changed_at=now,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["community_id"])
        )
        schedule = await get_schedule(session, community_id)
        assert schedule is not None
    schedule.weekday = weekday
    schedule.minute_of_day = minute_of_day
    schedule.timezone = timezone
    schedule.interval_weeks = interval_weeks
    schedule.anchor_date = anchor_date
    schedule.thread_id = thread_id
    if place is not None:
        schedule.place = place[:MAX_PLACE]
    schedule.changed_at = now
    # The zone a facilitator names is where the community lives: show its times there.
    await session.execute(
        update(Community).where(Community.id == community_id).values(timezone=timezone)
    )
    await session.flush()
    return schedule


async def schedules(
    session: AsyncSession, community_id: int | Collection[int] | None = None
) -> list[tuple[MeetingSchedule, Community]]:
    """Return the schedules of active communities (or of one community, or of some)."""
    statement = (
        select(MeetingSchedule, Community)
        .join(Community, Community.id == MeetingSchedule.community_id)
        .where(Community.active.is_(True))
        .order_by(Community.id)
    )
    if isinstance(community_id, int):
        statement = statement.where(Community.id == community_id)
    elif community_id is not None:
        statement = statement.where(Community.id.in_(list(community_id)))
    rows = await session.execute(statement)
    return [(schedule, community) for schedule, community in rows]


async def scheduled_communities(session: AsyncSession) -> list[int]:
    """Return the ids of the active communities that have a routine meeting."""
    rows = await session.scalars(
        select(Community.id)
        .join(MeetingSchedule, MeetingSchedule.community_id == Community.id)
        .where(Community.active.is_(True))
        .order_by(Community.id)
    )
    return list(rows)


# ------------------------------------------------------------------------------- meetings


@dataclass(frozen=True)
class Slot:
    """A meeting the schedule calls for."""

    slot_date: date
    starts_at: datetime
    status: str


async def add_meetings(
    session: AsyncSession, community_id: int, slots: list[Slot], timing_set_at: datetime
) -> None:
    """Record meetings for slots that have none yet (concurrent callers add each once)."""
    if not slots:
        return
    now = utcnow()
    await session.execute(
        insert_for(session)(Meeting)
        .values(
            [
                {
                    "community_id": community_id,
                    "slot_date": s.slot_date,
                    "starts_at": s.starts_at,
                    "status": s.status,
                    "manual": False,
                    "timing_set_at": timing_set_at,
                    "created_at": now,
                }
                for s in slots
            ]
        )
        .on_conflict_do_nothing(index_elements=["community_id", "slot_date"])
    )


async def meetings_between(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[Meeting]:
    """Return a community's meetings starting in [start, end), earliest first."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.community_id == community_id,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(rows)


async def upcoming_meetings(
    session: AsyncSession,
    community_id: int,
    now: datetime,
    limit: int,
    *,
    statuses: tuple[str, ...] = ("scheduled", "cancelled", "holiday"),
) -> list[Meeting]:
    """Return the next meetings that have not started."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.community_id == community_id,
            Meeting.starts_at > now,
            Meeting.status.in_(statuses),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    )
    return list(rows)


async def latest_meeting(session: AsyncSession, community_id: int, now: datetime) -> Meeting | None:
    """Return the most recent meeting that has started (and was held)."""
    return await session.scalar(
        select(Meeting)
        .where(
            Meeting.community_id == community_id,
            Meeting.starts_at <= now,
            Meeting.status == "scheduled",
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    """Return a meeting by id."""
    return await session.get(Meeting, meeting_id)


async def retime_future(
    session: AsyncSession,
    community_id: int,
    now: datetime,
    retime: dict[date, Slot],
) -> None:
    """Follow a schedule change: re-time future routine meetings, drop those no longer in it.

    Meetings a facilitator changed by hand keep their time and status. Every future meeting's
    timing is decided anew now, so reminders whose time already passed are not sent late.
    """
    future = await session.scalars(
        select(Meeting).where(Meeting.community_id == community_id, Meeting.starts_at > now)
    )
    for meeting in list(future):
        meeting.timing_set_at = now
        if meeting.manual:
            continue
        slot = retime.get(meeting.slot_date)
        if slot is None or slot.starts_at <= now:
            await session.delete(meeting)
            continue
        meeting.starts_at = slot.starts_at
        if meeting.status != "cancelled":
            meeting.status = slot.status
    await session.flush()


async def set_status(session: AsyncSession, meeting: Meeting, status: str, now: datetime) -> None:
    """Cancel, keep or restore one meeting by hand."""
    meeting.status = status
    meeting.manual = True
    meeting.timing_set_at = now
    await session.flush()


async def move_meeting(
    session: AsyncSession, meeting: Meeting, starts_at: datetime, now: datetime
) -> None:
    """Move one meeting to another time (it is held, whatever it was)."""
    meeting.starts_at = starts_at
    meeting.status = "scheduled"
    meeting.manual = True
    meeting.timing_set_at = now
    await session.flush()


async def append_minutes(
    session: AsyncSession,
    meeting: Meeting,
    author: str | None,
    text: str,
    *,
    author_id: int | None = None,
    now: datetime | None = None,
    chat_id: int | None = None,
    message_id: int | None = None,
) -> bool:
    """Add an entry to a meeting's minutes; False when its message added one before.

    author: the name shown with it (the person's name now, or the group's for an anonymous
    admin); chat_id and message_id: the message it came from, which adds one entry at most.
    """
    values = {
        "meeting_id": meeting.id,
        "author_id": author_id,
        "author_name": author[:MAX_AUTHOR] if author else None,
        "text": text.strip(),
        "created_at": now or utcnow(),
        "source_chat_id": chat_id if message_id is not None else None,
        "source_message_id": message_id if chat_id is not None else None,
    }
    inserted = await session.execute(
        insert_for(session)(MinutesEntry)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["source_chat_id", "source_message_id"])
        .returning(MinutesEntry.id)
    )
    return inserted.scalar() is not None


async def minutes_entries(session: AsyncSession, meeting_id: int) -> list[MinutesEntry]:
    """Return a meeting's minutes entries in the order they were written."""
    rows = await session.scalars(
        select(MinutesEntry)
        .where(MinutesEntry.meeting_id == meeting_id)
        .order_by(MinutesEntry.created_at, MinutesEntry.id)
    )
    return list(rows)


def render_minutes(entries: Collection[MinutesEntry]) -> str | None:
    """Return entries as one text: "— Name:" over each entry, an empty line between them."""
    parts = [
        f"— {entry.author_name}:\n{entry.text}" if entry.author_name else entry.text
        for entry in entries
    ]
    return "\n\n".join(parts) or None


async def minutes_text(session: AsyncSession, meeting_id: int) -> str | None:
    """Return a meeting's minutes as one text (None when there are none)."""
    return render_minutes(await minutes_entries(session, meeting_id))


async def minutes_texts(session: AsyncSession, meeting_ids: Collection[int]) -> dict[int, str]:
    """Return the minutes of several meetings as texts, by meeting id (those that have any)."""
    if not meeting_ids:
        return {}
    rows = await session.scalars(
        select(MinutesEntry)
        .where(MinutesEntry.meeting_id.in_(list(meeting_ids)))
        .order_by(MinutesEntry.created_at, MinutesEntry.id)
    )
    by_meeting: dict[int, list[MinutesEntry]] = {}
    for entry in rows:
        by_meeting.setdefault(entry.meeting_id, []).append(entry)
    return {mid: text for mid, es in by_meeting.items() if (text := render_minutes(es))}


async def minutes_of_person(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    """Return the minutes entries a person wrote (by her id only), for her data export."""
    rows = await session.execute(
        select(MinutesEntry, Meeting)
        .join(Meeting, Meeting.id == MinutesEntry.meeting_id)
        .where(MinutesEntry.author_id == person_id)
        .order_by(MinutesEntry.created_at, MinutesEntry.id)
    )
    return [
        {
            "meeting_id": meeting.id,
            "community_id": meeting.community_id,
            "starts_at": meeting.starts_at.isoformat(),
            "written_at": entry.created_at.isoformat(),
            "author_name": entry.author_name,
            "text": entry.text,
        }
        for entry, meeting in rows
    ]


async def anonymize_minutes_of(
    session: AsyncSession, person_id: int, label: Mapping[str, str]
) -> int:
    """Keep a person's minutes entries for their communities without any trace of her (her id,
    name and message), credited to label[community language]; return how many."""
    rows = await session.execute(
        select(MinutesEntry.id, Community.language)
        .join(Meeting, Meeting.id == MinutesEntry.meeting_id)
        .join(Community, Community.id == Meeting.community_id)
        .where(MinutesEntry.author_id == person_id)
    )
    by_language: dict[str, list[int]] = {}
    for entry_id, language in rows:
        by_language.setdefault(language or "", []).append(entry_id)
    fallback = next(iter(label.values()), None)
    for language, ids in by_language.items():
        await session.execute(
            update(MinutesEntry)
            .where(MinutesEntry.id.in_(ids))
            .values(
                author_id=None,
                author_name=label.get(language, fallback),
                source_chat_id=None,
                source_message_id=None,
            )
            .execution_options(synchronize_session=False)
        )
    return sum(len(ids) for ids in by_language.values())


# ---------------------------------------------------------------------------------- RSVPs


async def record_response(
    session: AsyncSession, meeting_id: int, person_id: int, response: Response, now: datetime
) -> None:
    """Record a member's answer (the latest answer counts)."""
    await session.execute(
        insert_for(session)(MeetingRsvp)
        .values(meeting_id=meeting_id, person_id=person_id, response=response.value, updated_at=now)
        .on_conflict_do_update(
            index_elements=["meeting_id", "person_id"],
            set_={"response": response.value, "updated_at": now},
        )
    )


async def toggle_attendance(
    session: AsyncSession, meeting_id: int, person_id: int, now: datetime
) -> bool:
    """Flip whether a person attended (a facilitator's correction); return the new value."""
    rsvp = await session.scalar(
        select(MeetingRsvp).where(
            MeetingRsvp.meeting_id == meeting_id, MeetingRsvp.person_id == person_id
        )
    )
    if rsvp is None:
        rsvp = MeetingRsvp(meeting_id=meeting_id, person_id=person_id, updated_at=now)
        session.add(rsvp)
    current = rsvp.attended if rsvp.attended is not None else rsvp.response == Response.YES
    rsvp.attended = not current
    rsvp.updated_at = now
    await session.flush()
    return rsvp.attended


@dataclass
class Tally:
    """Who answered what."""

    names: dict[str, list[str]] = field(default_factory=lambda: {r.value: [] for r in Response})

    def count(self, response: Response) -> int:
        """Return how many answered this."""
        return len(self.names[response.value])

    @property
    def total(self) -> int:
        """Return how many answered at all."""
        return sum(len(v) for v in self.names.values())


async def tally(session: AsyncSession, meeting_id: int) -> Tally:
    """Return the answers to a meeting, by response, names in answer order."""
    rows = await session.execute(
        select(MeetingRsvp.response, Person)
        .join(Person, Person.id == MeetingRsvp.person_id)
        .where(MeetingRsvp.meeting_id == meeting_id, MeetingRsvp.response.is_not(None))
        .order_by(MeetingRsvp.updated_at, MeetingRsvp.id)
    )
    result = Tally()
    for response, person in rows:
        if response in result.names:
            result.names[response].append(person.full_name)
    return result


async def attendance(session: AsyncSession, meeting_id: int) -> list[Person]:
    """Return who attended: those who said "hadir", as corrected by a facilitator."""
    rows = await session.execute(
        select(MeetingRsvp, Person)
        .join(Person, Person.id == MeetingRsvp.person_id)
        .where(MeetingRsvp.meeting_id == meeting_id)
        .order_by(Person.first_name, Person.id)
    )
    return [
        person
        for rsvp, person in rows
        if (rsvp.attended if rsvp.attended is not None else rsvp.response == Response.YES)
    ]


async def members(session: AsyncSession, community_id: int) -> list[Person]:
    """Return a community's members by name."""
    rows = await session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.community_id == community_id)
        .order_by(Person.first_name, Person.id)
    )
    return list(rows)


async def members_without_answer(
    session: AsyncSession, community_id: int, meeting_id: int
) -> list[Person]:
    """Return the members who have not answered a meeting's RSVP."""
    answered = select(MeetingRsvp.person_id).where(
        MeetingRsvp.meeting_id == meeting_id, MeetingRsvp.response.is_not(None)
    )
    rows = await session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.community_id == community_id, Person.id.not_in(answered))
        .order_by(Person.id)
    )
    return list(rows)


async def is_member(session: AsyncSession, community_id: int, person_id: int) -> bool:
    """Return whether a person belongs to a community."""
    found = await session.scalar(
        select(Membership.id).where(
            Membership.community_id == community_id, Membership.person_id == person_id
        )
    )
    return found is not None


async def mark_not_started(session: AsyncSession, person_id: int) -> None:
    """Remember that a person blocked the bot: it may no longer write to them first."""
    await session.execute(update(Person).where(Person.id == person_id).values(started=False))


async def attendance_between(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[tuple[Meeting, int]]:
    """Return the meetings held in [start, end) with how many attended each."""
    held = await session.scalars(
        select(Meeting)
        .where(
            Meeting.community_id == community_id,
            Meeting.status == "scheduled",
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at)
    )
    return [(meeting, len(await attendance(session, meeting.id))) for meeting in held]


# ----------------------------------------------------------------------------- deliveries


async def claim(
    session: AsyncSession,
    *,
    community_id: int,
    meeting_id: int | None,
    occurrence: str,
    kind: str,
    target: int,
    due_at: datetime,
    now: datetime,
    by: str,
    state: DeliveryState = DeliveryState.SENDING,
    note: str | None = None,
) -> int | None:
    """Claim a delivery: return its id, or None when it was claimed before (by anyone).

    Commit right after: the claim only protects once other instances can see it.
    """
    inserted = await session.execute(
        insert_for(session)(MeetingDelivery)
        .values(
            community_id=community_id,
            meeting_id=meeting_id,
            occurrence=occurrence,
            kind=kind,
            target=target,
            due_at=due_at,
            claimed_at=now,
            claimed_by=by,
            attempts=1 if state == DeliveryState.SENDING else 0,
            state=state.value,
            note=note,
        )
        .on_conflict_do_nothing(index_elements=["community_id", "occurrence", "kind", "target"])
        .returning(MeetingDelivery.id)
    )
    return inserted.scalar()


async def reclaim(
    session: AsyncSession,
    delivery_id: int,
    *,
    now: datetime,
    by: str,
    max_attempts: int,
    not_after: datetime,
) -> bool:
    """Take a failed delivery back for another attempt; only one caller can win it."""
    result = await session.execute(
        update(MeetingDelivery)
        .where(
            MeetingDelivery.id == delivery_id,
            MeetingDelivery.state == DeliveryState.FAILED.value,
            MeetingDelivery.attempts < max_attempts,
            MeetingDelivery.claimed_at <= not_after,
        )
        .values(
            state=DeliveryState.SENDING.value,
            attempts=MeetingDelivery.attempts + 1,
            claimed_at=now,
            claimed_by=by,
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def release(session: AsyncSession, delivery_id: int, *, note: str | None = None) -> None:
    """Give back a claim whose message Telegram certainly did not take (it answered 429).

    A first claim is undone, as if it had never been made; a failed delivery taken back for
    another attempt is failed again, and that attempt is not counted. Either way any run may take
    it (again) at once: nothing is left "sending" while kopi waits out Telegram's pause.
    """
    await session.execute(
        delete(MeetingDelivery).where(
            MeetingDelivery.id == delivery_id,
            MeetingDelivery.state == DeliveryState.SENDING.value,
            MeetingDelivery.attempts <= 1,
        )
    )
    await session.execute(
        update(MeetingDelivery)
        .where(
            MeetingDelivery.id == delivery_id,
            MeetingDelivery.state == DeliveryState.SENDING.value,
        )
        .values(
            state=DeliveryState.FAILED.value,
            attempts=MeetingDelivery.attempts - 1,
            note=(note or "")[:255] or None,
        )
    )


async def finish(
    session: AsyncSession,
    delivery_id: int,
    state: DeliveryState,
    *,
    now: datetime,
    chat_id: int | None = None,
    message_id: int | None = None,
    body: str | None = None,
    note: str | None = None,
) -> None:
    """Record how a claimed delivery ended."""
    values: dict[str, object] = {"state": state.value, "note": (note or "")[:255] or None}
    if state == DeliveryState.SENT:
        values.update(sent_at=now, chat_id=chat_id, message_id=message_id, body=body)
    await session.execute(
        update(MeetingDelivery).where(MeetingDelivery.id == delivery_id).values(**values)
    )


async def deliveries_for(
    session: AsyncSession, community_id: int, occurrences: list[str]
) -> list[MeetingDelivery]:
    """Return the claimed deliveries of some occurrences."""
    if not occurrences:
        return []
    rows = await session.scalars(
        select(MeetingDelivery).where(
            MeetingDelivery.community_id == community_id,
            MeetingDelivery.occurrence.in_(occurrences),
        )
    )
    return list(rows)


async def group_reminder(session: AsyncSession, meeting_id: int) -> MeetingDelivery | None:
    """Return the latest reminder sent to the group for a meeting (its tally is kept live)."""
    return await session.scalar(
        select(MeetingDelivery)
        .where(
            MeetingDelivery.meeting_id == meeting_id,
            MeetingDelivery.target == GROUP_TARGET,
            MeetingDelivery.kind.like("rem:%"),
            MeetingDelivery.state == DeliveryState.SENT.value,
        )
        .order_by(MeetingDelivery.sent_at.desc(), MeetingDelivery.id.desc())
        .limit(1)
    )


async def delivery_by_message(
    session: AsyncSession, chat_id: int, message_id: int
) -> MeetingDelivery | None:
    """Return the delivery that sent a message."""
    return await session.scalar(
        select(MeetingDelivery).where(
            MeetingDelivery.chat_id == chat_id, MeetingDelivery.message_id == message_id
        )
    )
