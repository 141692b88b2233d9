"""What a community's report shows for a period, read in one go (no Telegram here).

:func:`gather` reads everything a report needs into plain rows: the XLSX and PDF builders
(handlers/report_files.py) and the command line take the result and never touch the database.
Captures, votes, meetings and project updates are read with Core selects into tuples, not ORM
objects, so that a community with 100,000 items is read in seconds.

Privacy is kept here: reflections are read only through ``models.reflections.shared_reflections``
(shared ones; an anonymous one comes without its author) and otherwise only counted; a concern
raised anonymously has no author to read (``author_kind`` says so, and the name is read only for
items credited to a person).

The one thing a report writes is its request (:class:`ReportRequest`), keyed by the message or
the press that asked for it, so that a message delivered again never makes the files twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.agreements import (
    NormRecord,
    Project,
    ProjectMember,
    ProjectUpdate,
    Source,
    current_aims,
    load_norms,
)
from models.base import Base, UTCDateTime, insert_for
from models.capture import AuthorKind, CaptureItem, CaptureLink, CaptureTag, Kind
from models.community import Community, Membership, Person
from models.meetings import Meeting, MeetingRsvp, Response, minutes_texts
from models.reflections import Reflection, SharedReflection, shared_reflections
from models.reflections import Status as ReflectionStatus

HELD = "scheduled"  # a meeting's status when it is (or was) held
FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates a report may cover


# ---------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """The days a report covers, first and last included, in the community's zone."""

    first: date
    last: date
    timezone: str

    @property
    def start(self) -> datetime:
        """Return the period's first moment (UTC)."""
        return _midnight(self.first, self.timezone)

    @property
    def end(self) -> datetime:
        """Return the first moment after the period (UTC)."""
        return _midnight(self.last + timedelta(days=1), self.timezone)

    def contains(self, moment: datetime) -> bool:
        """Return whether a moment falls in the period."""
        return self.start <= moment < self.end


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(timezone)).astimezone(UTC)


def make_period(first: date, last: date, timezone: str) -> Period | None:
    """Return the period between two days (in either order); None outside FIRST_YEAR-LAST_YEAR."""
    if first > last:
        first, last = last, first
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        return None
    return Period(first, last, timezone)


def month_period(today: date, timezone: str) -> Period:
    """Return the calendar month of a day."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1), timezone)


def semester_period(today: date, timezone: str) -> Period:
    """Return the school semester of a day: January-June or July-December."""
    if today.month <= 6:
        return Period(date(today.year, 1, 1), date(today.year, 6, 30), timezone)
    return Period(date(today.year, 7, 1), date(today.year, 12, 31), timezone)


def local_today(now: datetime, timezone: str) -> date:
    """Return the date it is in a zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


# ---------------------------------------------------------------------------- rows


class ConcernRow(NamedTuple):
    """A concern as a report lists it."""

    id: int
    created_at: datetime
    text: str
    tags: str
    author_kind: str
    author: str | None  # the person's or channel's name; None when anonymous or unknown
    votes: int
    status: str
    note: str | None  # the solution plan
    practices: str  # the numbers of linked good practices, "3, 7"
    file_name: str | None


class PracticeRow(NamedTuple):
    """A good practice as a report lists it."""

    id: int
    created_at: datetime
    text: str
    tags: str
    author_kind: str
    author: str | None
    file_name: str | None
    file_kind: str | None
    concerns: str  # the numbers of the concerns it addresses


class MeetingRow(NamedTuple):
    """A meeting of the period with who attended (names sorted)."""

    id: int
    starts_at: datetime
    status: str  # scheduled, cancelled, holiday
    held: bool  # scheduled and already started
    attended: tuple[str, ...]
    excused: tuple[str, ...]
    maybe: tuple[str, ...]
    minutes: str | None


class ReflectionRow(NamedTuple):
    """A shared reflection; author is None for an anonymous one."""

    shared_at: datetime | None
    author: str | None
    meeting_at: datetime | None
    facts: str | None
    feelings: str | None
    findings: str | None
    future: str | None
    body: str | None


class NormRow(NamedTuple):
    """A norm in force at some time in the period, with its current words and agreements."""

    number: int
    text: str
    version: int
    active: bool
    created_at: datetime
    created_by: str | None
    retired_at: datetime | None
    agreements: tuple[tuple[str, datetime], ...]  # (name, agreed at), in the order of agreeing


class ProjectUpdateRow(NamedTuple):
    """An entry of a project's timeline written in the period."""

    project_number: int
    created_at: datetime
    author: str | None
    status: str | None
    text: str


class ProjectRow(NamedTuple):
    """A project that existed in the period, with the people involved and its updates then."""

    number: int
    title: str
    aim: str
    status: str
    created_at: datetime
    people: tuple[str, ...]
    updates: tuple[ProjectUpdateRow, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, read at one moment."""

    community_id: int
    title: str
    timezone: str
    language: str
    period: Period
    generated_at: datetime
    members: int
    aims: str | None = None
    programme: str | None = None
    concerns: list[ConcernRow] = field(default_factory=list)
    practices: list[PracticeRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    reflections: list[ReflectionRow] = field(default_factory=list)
    reflections_written: int = 0  # finished in the period, whoever may read them
    norms: list[NormRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)

    @property
    def items(self) -> int:
        """Return how many rows the report holds (its size)."""
        return (
            len(self.concerns)
            + len(self.practices)
            + len(self.meetings)
            + len(self.reflections)
            + len(self.norms)
            + len(self.projects)
        )


# ---------------------------------------------------------------------------- finding communities


@dataclass(frozen=True)
class CommunityRef:
    """A community as the command line names it."""

    id: int
    chat_id: int
    title: str
    active: bool
    timezone: str


async def find_communities(session: AsyncSession, key: str) -> list[CommunityRef]:
    """Return the communities a command-line argument names: kopi's id, the Telegram chat id,
    the exact title (any case), else the titles containing it."""
    columns = (
        Community.id,
        Community.chat_id,
        Community.title,
        Community.active,
        Community.timezone,
    )
    key = key.strip()
    if key.lstrip("-").isdigit():
        number = int(key)
        rows = (
            await session.execute(
                select(*columns)
                .where(or_(Community.id == number, Community.chat_id == number))
                .order_by(Community.id)
            )
        ).all()
        if rows:
            return [CommunityRef(*row) for row in rows]
    exact = (
        await session.execute(
            select(*columns)
            .where(func.lower(Community.title) == key.lower())
            .order_by(Community.id)
        )
    ).all()
    if exact:
        return [CommunityRef(*row) for row in exact]
    pattern = "%" + key.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = (
        await session.execute(
            select(*columns)
            .where(func.lower(Community.title).like(pattern, escape="\\"))
            .order_by(Community.id)
        )
    ).all()
    return [CommunityRef(*row) for row in rows]


# ---------------------------------------------------------------------------- requests


class ReportRequest(Base):
    """A report asked for by one message (``/laporan bulan``, an answer with dates) or one press
    of a period button; made once, however often Telegram delivers what asked for it."""

    __tablename__ = "report_requests"
    __table_args__ = (
        Index("uq_report_requests_source", "source_chat_id", "source_message_id", unique=True),
        Index("uq_report_requests_query", "source_query", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_query: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


async def record_request(
    session: AsyncSession, community_id: int, period: Period, source: Source, now: datetime
) -> bool:
    """Record a report request; False when this message or press asked for one before.

    ON CONFLICT DO NOTHING on the source's index: a second process taking the same message at
    the same moment waits for the first and then records nothing.
    """
    keyed = source.key()
    statement = insert_for(session)(ReportRequest).values(
        community_id=community_id,
        first_day=period.first,
        last_day=period.last,
        created_at=now,
        **keyed,
    )
    if keyed:
        statement = statement.on_conflict_do_nothing(index_elements=sorted(keyed))
    inserted = await session.execute(statement.returning(ReportRequest.id))
    return inserted.scalar() is not None


# ---------------------------------------------------------------------------- reading


async def gather(
    session: AsyncSession, community_id: int, period: Period, now: datetime
) -> ReportData | None:
    """Read everything a community's report shows for a period; None for an unknown community.

    Call it first in a fresh session: on PostgreSQL it makes the transaction a read-only
    snapshot, so that every part of the report is read as of the same moment.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    community = (
        await session.execute(
            select(Community.title, Community.timezone, Community.language).where(
                Community.id == community_id
            )
        )
    ).first()
    if community is None:
        return None
    title, timezone, language = community
    members = await session.scalar(
        select(func.count()).select_from(Membership).where(Membership.community_id == community_id)
    )
    aims = (await current_aims(session, [community_id])).get(community_id)
    concerns, practices = await _captures(session, community_id, period)
    meetings = await _meetings(session, community_id, period, now)
    reflections, written = await _reflections(session, community_id, period)
    return ReportData(
        community_id=community_id,
        title=title,
        timezone=timezone,
        language=language,
        period=period,
        generated_at=now,
        members=int(members or 0),
        aims=aims.aims.text if aims is not None and aims.aims is not None else None,
        programme=(
            aims.programme.text if aims is not None and aims.programme is not None else None
        ),
        concerns=concerns,
        practices=practices,
        meetings=meetings,
        reflections=reflections,
        reflections_written=written,
        norms=await _norms(session, community_id, period),
        projects=await _projects(session, community_id, period),
    )


async def _captures(
    session: AsyncSession, community_id: int, period: Period
) -> tuple[list[ConcernRow], list[PracticeRow]]:
    """Return the concerns and good practices captured in the period (hidden ones left out)."""
    in_period = (
        CaptureItem.community_id == community_id,
        CaptureItem.hidden.is_(False),
        CaptureItem.created_at >= period.start,
        CaptureItem.created_at < period.end,
    )
    ids = select(CaptureItem.id).where(*in_period)
    tags: dict[int, list[str]] = defaultdict(list)
    for item_id, tag in await session.execute(
        select(CaptureTag.item_id, CaptureTag.tag)
        .where(CaptureTag.item_id.in_(ids))
        .order_by(CaptureTag.item_id, CaptureTag.tag)
    ):
        tags[item_id].append(tag)
    practices_of: dict[int, list[int]] = defaultdict(list)
    concerns_of: dict[int, list[int]] = defaultdict(list)
    for concern_id, practice_id in await session.execute(
        select(CaptureLink.concern_id, CaptureLink.practice_id)
        .where(or_(CaptureLink.concern_id.in_(ids), CaptureLink.practice_id.in_(ids)))
        .order_by(CaptureLink.concern_id, CaptureLink.practice_id)
    ):
        practices_of[concern_id].append(practice_id)
        concerns_of[practice_id].append(concern_id)
    rows = await session.execute(
        select(
            CaptureItem.id,
            CaptureItem.kind,
            CaptureItem.created_at,
            CaptureItem.text,
            CaptureItem.author_kind,
            CaptureItem.author_label,
            Person.first_name,
            Person.last_name,
            CaptureItem.votes,
            CaptureItem.status,
            CaptureItem.note,
            CaptureItem.file_name,
            CaptureItem.file_kind,
        )
        # The name is joined only for items credited to a person: an anonymous item's author
        # is never read, whatever its row holds.
        .outerjoin(
            Person,
            (Person.id == CaptureItem.author_id)
            & (CaptureItem.author_kind == AuthorKind.PERSON.value),
        )
        .where(*in_period)
        .order_by(CaptureItem.created_at, CaptureItem.id)
    )
    concerns: list[ConcernRow] = []
    practices: list[PracticeRow] = []
    for (
        item_id,
        kind,
        created_at,
        body,
        author_kind,
        label,
        first_name,
        last_name,
        votes,
        status,
        note,
        file_name,
        file_kind,
    ) in rows:
        if author_kind == AuthorKind.PERSON.value:
            author = " ".join(p for p in (first_name, last_name) if p) or None
        elif author_kind in (AuthorKind.CHANNEL.value, AuthorKind.GROUP_ADMIN.value):
            author = label
        else:
            author = None
        tag_text = ", ".join(tags.get(item_id, ()))
        if kind == Kind.CONCERN.value:
            concerns.append(
                ConcernRow(
                    item_id,
                    created_at,
                    body,
                    tag_text,
                    author_kind,
                    author,
                    votes,
                    status,
                    note,
                    ", ".join(map(str, practices_of.get(item_id, ()))),
                    file_name,
                )
            )
        else:
            practices.append(
                PracticeRow(
                    item_id,
                    created_at,
                    body,
                    tag_text,
                    author_kind,
                    author,
                    file_name,
                    file_kind,
                    ", ".join(map(str, concerns_of.get(item_id, ()))),
                )
            )
    return concerns, practices


async def _meetings(
    session: AsyncSession, community_id: int, period: Period, now: datetime
) -> list[MeetingRow]:
    """Return the meetings of the period with who attended, was excused or was not sure."""
    meetings = (
        await session.execute(
            select(Meeting.id, Meeting.starts_at, Meeting.status)
            .where(
                Meeting.community_id == community_id,
                Meeting.starts_at >= period.start,
                Meeting.starts_at < period.end,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    ).all()
    if not meetings:
        return []
    minutes = await minutes_texts(session, [m.id for m in meetings])
    answers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = await session.execute(
        select(
            MeetingRsvp.meeting_id,
            MeetingRsvp.response,
            MeetingRsvp.attended,
            Person.first_name,
            Person.last_name,
        )
        .join(Person, Person.id == MeetingRsvp.person_id)
        .where(MeetingRsvp.meeting_id.in_([m.id for m in meetings]))
        .order_by(Person.first_name, Person.last_name, Person.id)
    )
    for meeting_id, response, attended, first_name, last_name in rows:
        name = " ".join(p for p in (first_name, last_name) if p) or "?"
        # Attendance is the answer "hadir" unless a facilitator corrected it.
        present = attended if attended is not None else response == Response.YES.value
        if present:
            answers[meeting_id]["attended"].append(name)
        elif response == Response.EXCUSED.value:
            answers[meeting_id]["excused"].append(name)
        elif response == Response.MAYBE.value:
            answers[meeting_id]["maybe"].append(name)
    return [
        MeetingRow(
            meeting_id,
            starts_at,
            status,
            status == HELD and starts_at <= now,
            tuple(answers[meeting_id]["attended"]),
            tuple(answers[meeting_id]["excused"]),
            tuple(answers[meeting_id]["maybe"]),
            minutes.get(meeting_id),
        )
        for meeting_id, starts_at, status in meetings
    ]


async def _reflections(
    session: AsyncSession, community_id: int, period: Period
) -> tuple[list[ReflectionRow], int]:
    """Return the reflections shared in the period, and how many were finished in it in all.

    Content comes only from shared_reflections (privacy is decided there); private reflections
    are counted, never read.
    """
    shared: list[SharedReflection] = [
        r
        for r in await shared_reflections(session, community_id, since=period.start)
        if r.shared_at is not None and r.shared_at < period.end
    ]
    meeting_ids = {r.meeting_id for r in shared if r.meeting_id is not None}
    meeting_at: dict[int, datetime] = {}
    if meeting_ids:
        meeting_at = dict(
            (
                await session.execute(
                    select(Meeting.id, Meeting.starts_at).where(Meeting.id.in_(meeting_ids))
                )
            )
            .tuples()
            .all()
        )
    written = await session.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(
            Reflection.community_id == community_id,
            Reflection.status == ReflectionStatus.DONE.value,
            Reflection.completed_at >= period.start,
            Reflection.completed_at < period.end,
        )
    )
    rows = [
        ReflectionRow(
            r.shared_at,
            r.author_name,
            meeting_at.get(r.meeting_id) if r.meeting_id is not None else None,
            r.facts,
            r.feelings,
            r.findings,
            r.future,
            r.body,
        )
        for r in shared
    ]
    return rows, int(written or 0)


async def _norms(session: AsyncSession, community_id: int, period: Period) -> list[NormRow]:
    """Return the norms in force at some time in the period, by number."""
    records: list[NormRecord] = await load_norms(session, community_id, status=None)
    rows: list[NormRow] = []
    for record in records:
        norm = record.norm
        if norm.created_at >= period.end:
            continue
        if norm.retired_at is not None and norm.retired_at < period.start:
            continue
        current = record.current
        rows.append(
            NormRow(
                norm.number,
                current.text,
                current.version,
                norm.active,
                norm.created_at,
                record.created_by,
                norm.retired_at,
                tuple((a.name, a.agreed_at) for a in current.agreements),
            )
        )
    return rows


async def _projects(session: AsyncSession, community_id: int, period: Period) -> list[ProjectRow]:
    """Return the projects started before the period ended, with their updates in the period."""
    projects = (
        await session.execute(
            select(
                Project.id,
                Project.number,
                Project.title,
                Project.aim,
                Project.status,
                Project.created_at,
            )
            .where(Project.community_id == community_id, Project.created_at < period.end)
            .order_by(Project.number, Project.id)
        )
    ).all()
    if not projects:
        return []
    ids = [p.id for p in projects]
    people: dict[int, list[str]] = defaultdict(list)
    for project_id, first_name, last_name in await session.execute(
        select(ProjectMember.project_id, Person.first_name, Person.last_name)
        .join(Person, Person.id == ProjectMember.person_id)
        .where(ProjectMember.project_id.in_(ids))
        .order_by(ProjectMember.joined_at, ProjectMember.id)
    ):
        people[project_id].append(" ".join(p for p in (first_name, last_name) if p) or "?")
    numbers = {p.id: p.number for p in projects}
    updates: dict[int, list[ProjectUpdateRow]] = defaultdict(list)
    for project_id, created_at, first_name, last_name, status, body in await session.execute(
        select(
            ProjectUpdate.project_id,
            ProjectUpdate.created_at,
            Person.first_name,
            Person.last_name,
            ProjectUpdate.status,
            ProjectUpdate.text,
        )
        .outerjoin(Person, Person.id == ProjectUpdate.author_id)
        .where(
            ProjectUpdate.project_id.in_(ids),
            ProjectUpdate.created_at >= period.start,
            ProjectUpdate.created_at < period.end,
        )
        .order_by(ProjectUpdate.created_at, ProjectUpdate.id)
    ):
        author = " ".join(p for p in (first_name, last_name) if p) or None
        updates[project_id].append(
            ProjectUpdateRow(numbers[project_id], created_at, author, status, body or "")
        )
    return [
        ProjectRow(
            p.number,
            p.title,
            p.aim or "",
            p.status,
            p.created_at,
            tuple(people[p.id]),
            tuple(updates[p.id]),
        )
        for p in projects
    ]
