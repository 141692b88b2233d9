"""A community's agreements: norms (versioned, agreed by members), aims and programme, projects.

Everything belongs to a community and every lookup by id is scoped to it, so an id taken from
another group's button finds nothing. History is kept for the reports:

- A norm has numbered versions; members agree to one version. Revising a norm adds a version, so
  earlier wordings and who agreed to them (and when) stay; agreeing again is asked for the new
  words. Retiring a norm keeps it, its versions and agreements, with the time it was retired.
- Aims and programme are append-only: the latest text of each kind is the current one.
- A project keeps the people involved and a timeline of updates; a status change is an update too.

The questions kopi asks for these texts are kept by the conversation core (``models.prompts``).

What a message or a press writes is keyed by it (:class:`Source`): norms, their versions, aims,
projects and project updates carry the chat and message id they came from (or the callback
query's id, when a press wrote them), unique, so the same message processed again writes
nothing. Joining, leaving, agreeing and withdrawing need no key: they set a state, so doing one
again changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, insert_for, utcnow
from models.community import Person

NORM_MAX = 1000
AIMS_MAX = 1500
TITLE_MAX = 120
PROJECT_AIM_MAX = 1000
UPDATE_MAX = 2000


class NormStatus(enum.StrEnum):
    """Whether a norm still holds."""

    ACTIVE = "active"
    RETIRED = "retired"


class AimKind(enum.StrEnum):
    """The two parts of a community's profile."""

    AIMS = "aims"
    PROGRAMME = "programme"


class ProjectStatus(enum.StrEnum):
    """Where a project stands."""

    PLANNED = "planned"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"


# Listing order: what is going on first.
PROJECT_ORDER = (
    ProjectStatus.RUNNING,
    ProjectStatus.PLANNED,
    ProjectStatus.PAUSED,
    ProjectStatus.DONE,
)


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Source:
    """The Telegram message (chat and message id) or press (callback query id) behind a write."""

    chat_id: int | None = None
    message_id: int | None = None
    query_id: str | None = None

    def key(self) -> dict[str, int | str]:
        """Return the source columns of a row this source writes ({} when nothing is known)."""
        if self.chat_id is not None and self.message_id is not None:
            return {"source_chat_id": self.chat_id, "source_message_id": self.message_id}
        if self.query_id is not None:
            return {"source_query": self.query_id}
        return {}


def _source_keys(table: str) -> tuple[Index, Index]:
    # NULLs never collide: rows written before the keys (or without a source) may be many.
    return (
        Index(f"uq_{table}_source", "source_chat_id", "source_message_id", unique=True),
        Index(f"uq_{table}_query", "source_query", unique=True),
    )


class _Sourced:
    """The message (chat and message id) or the press (callback query id) a row was written by;
    None before migration 0009."""

    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # A press has no message of its own (the buttons of one message are pressed many times).
    source_query: Mapped[str | None] = mapped_column(String(64), default=None)


class Norm(_Sourced, Base):
    """A norm of a community; its words live in NormVersion."""

    __tablename__ = "norms"
    __table_args__ = _source_keys("norms")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    # Shown to people ("Norma 3"); not unique so that merging two communities never drops a norm.
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the current version
    status: Mapped[str] = mapped_column(String(16), default=NormStatus.ACTIVE.value)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    retired_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )

    @property
    def active(self) -> bool:
        """Return whether the norm still holds."""
        return self.status == NormStatus.ACTIVE.value


class NormVersion(_Sourced, Base):
    """One wording of a norm."""

    __tablename__ = "norm_versions"
    __table_args__ = (UniqueConstraint("norm_id", "version"), *_source_keys("norm_versions"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    norm_id: Mapped[int] = mapped_column(ForeignKey("norms.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NormAgreement(Base):
    """A member's agreement to one version of a norm."""

    __tablename__ = "norm_agreements"
    __table_args__ = (UniqueConstraint("version_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("norm_versions.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommunityAim(_Sourced, Base):
    """A community's aims or programme as written at one time (the latest is current)."""

    __tablename__ = "community_aims"
    __table_args__ = (
        Index("ix_community_aims_current", "community_id", "kind", "id"),
        *_source_keys("community_aims"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed by ix_community_aims_current, which starts with it.
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Project(_Sourced, Base):
    """A project of the community for pupils or the school."""

    __tablename__ = "projects"
    __table_args__ = _source_keys("projects")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # shown to people; not unique (see Norm)
    title: Mapped[str] = mapped_column(String(TITLE_MAX * 2))
    aim: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=ProjectStatus.PLANNED.value)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectMember(Base):
    """A person involved in a project."""

    __tablename__ = "project_members"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectUpdate(_Sourced, Base):
    """An entry in a project's timeline: news, a status change, or both."""

    __tablename__ = "project_updates"
    __table_args__ = _source_keys("project_updates")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(16), default=None)  # the new status, if any
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Outcome(enum.Enum):
    """What a write did."""

    NEW = "new"  # written
    UNCHANGED = "unchanged"  # nothing to write: the same words, the same status
    ALREADY = "already"  # this message or press wrote it before (a redelivery)


def _source_values(source: Source | None) -> dict[str, int | str]:
    return source.key() if source is not None else {}


_Keyed = type[Norm] | type[NormVersion] | type[CommunityAim] | type[Project] | type[ProjectUpdate]


async def _insert_keyed(
    session: AsyncSession,
    table: _Keyed,
    values: Mapping[str, object],
    source: Source | None,
) -> int | None:
    """Insert a row keyed by its source; None, inserting nothing, when the source wrote it before.

    ON CONFLICT DO NOTHING on the source's own index: a second process writing the same message
    at the same moment waits for the first and then inserts nothing (no IntegrityError), while
    any other unique constraint still refuses loudly.
    """
    keyed = _source_values(source)
    statement = insert_for(session)(table).values(**values, **keyed)
    if keyed:
        statement = statement.on_conflict_do_nothing(index_elements=sorted(keyed))
    return (await session.execute(statement.returning(table.id))).scalar()


async def _wrote(session: AsyncSession, table: _Keyed, source: Source | None) -> bool:
    """Return whether this source has written a row of this table."""
    keyed = _source_values(source)
    if not keyed:
        return False
    found = await session.scalar(
        select(table.id).where(*(getattr(table, k) == v for k, v in keyed.items())).limit(1)
    )
    return found is not None


# ---------------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """Return text without control characters (newlines and tabs kept) and outer spaces."""
    kept = "".join(c for c in text if c in "\n\t" or (c.isprintable() or c.isspace()))
    lines = [line.rstrip() for line in kept.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


# ---------------------------------------------------------------------------- norms


@dataclass(frozen=True)
class Agreement:
    """Who agreed to a version of a norm, and when."""

    person_id: int
    name: str
    agreed_at: datetime


@dataclass(frozen=True)
class VersionRecord:
    """A version of a norm with its agreements, earliest agreement first."""

    version: int
    text: str
    written_by: str | None
    created_at: datetime
    agreements: list[Agreement] = field(default_factory=list)


@dataclass(frozen=True)
class NormRecord:
    """A norm with its versions (all of them, or only the current one), oldest first."""

    norm: Norm
    created_by: str | None
    retired_by: str | None
    versions: list[VersionRecord]

    @property
    def current(self) -> VersionRecord:
        """Return the current version."""
        return next(v for v in self.versions if v.version == self.norm.version)

    @property
    def earlier(self) -> list[VersionRecord]:
        """Return the earlier versions, newest first."""
        return sorted(
            (v for v in self.versions if v.version != self.norm.version),
            key=lambda v: v.version,
            reverse=True,
        )


async def _next_number(session: AsyncSession, table: type[Norm] | type[Project], cid: int) -> int:
    highest = await session.scalar(select(func.max(table.number)).where(table.community_id == cid))
    return (highest or 0) + 1


async def add_norm(
    session: AsyncSession,
    community_id: int,
    text: str,
    author_id: int | None,
    now: datetime,
    source: Source | None = None,
) -> Norm | None:
    """Propose a new norm (version 1) in a community; None when its source proposed one before."""
    norm_id = await _insert_keyed(
        session,
        Norm,
        {
            "community_id": community_id,
            "number": await _next_number(session, Norm, community_id),
            "version": 1,
            "status": NormStatus.ACTIVE.value,
            "created_by": author_id,
            "created_at": now,
            "updated_at": now,
        },
        source,
    )
    if norm_id is None:
        return None
    norm = await session.get(Norm, norm_id)
    assert norm is not None
    session.add(
        NormVersion(
            norm_id=norm.id,
            version=1,
            text=text,
            written_by=author_id,
            created_at=now,
            **_source_values(source),
        )
    )
    await session.flush()
    return norm


async def get_norm(session: AsyncSession, community_id: int, norm_id: int) -> Norm | None:
    """Return a norm of this community (None for another community's norm)."""
    return await session.scalar(
        select(Norm).where(Norm.id == norm_id, Norm.community_id == community_id)
    )


async def norm_by_number(session: AsyncSession, community_id: int, number: int) -> Norm | None:
    """Return the community's norm shown with this number (the active one if several)."""
    return await session.scalar(
        select(Norm)
        .where(Norm.community_id == community_id, Norm.number == number)
        .order_by(Norm.status, Norm.id)  # "active" sorts before "retired"
        .limit(1)
    )


async def count_norms(session: AsyncSession, community_id: int, status: NormStatus) -> int:
    """Return how many norms of a community have this status."""
    return (
        await session.scalar(
            select(func.count())
            .select_from(Norm)
            .where(Norm.community_id == community_id, Norm.status == status.value)
        )
    ) or 0


async def load_norms(
    session: AsyncSession,
    community_id: int,
    *,
    status: NormStatus | None = NormStatus.ACTIVE,
    norm_ids: Sequence[int] | None = None,
    history: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[NormRecord]:
    """Return a community's norms by number, with their current version (or every version when
    history is set) and the agreements to each, in the order people agreed."""
    query = select(Norm).where(Norm.community_id == community_id)
    if status is not None:
        query = query.where(Norm.status == status.value)
    if norm_ids is not None:
        query = query.where(Norm.id.in_(list(norm_ids)))
    query = query.order_by(Norm.number, Norm.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    norms = list(await session.scalars(query))
    if not norms:
        return []
    by_id = {n.id: n for n in norms}
    version_query = select(NormVersion, Person).outerjoin(
        Person, Person.id == NormVersion.written_by
    )
    version_query = version_query.where(NormVersion.norm_id.in_(list(by_id)))
    rows = (await session.execute(version_query.order_by(NormVersion.version))).all()
    versions = [(v, p) for v, p in rows if history or v.version == by_id[v.norm_id].version]
    agreements = await _agreements(session, [v.id for v, _ in versions])
    people = await _names(
        session, [x for n in norms for x in (n.created_by, n.retired_by) if x is not None]
    )
    records: list[NormRecord] = []
    for norm in norms:
        records.append(
            NormRecord(
                norm=norm,
                created_by=people.get(norm.created_by) if norm.created_by else None,
                retired_by=people.get(norm.retired_by) if norm.retired_by else None,
                versions=[
                    VersionRecord(
                        version=v.version,
                        text=v.text,
                        written_by=p.full_name if p is not None else None,
                        created_at=v.created_at,
                        agreements=agreements.get(v.id, []),
                    )
                    for v, p in versions
                    if v.norm_id == norm.id
                ],
            )
        )
    return records


async def _agreements(session: AsyncSession, version_ids: list[int]) -> dict[int, list[Agreement]]:
    if not version_ids:
        return {}
    rows = await session.execute(
        select(NormAgreement, Person)
        .join(Person, Person.id == NormAgreement.person_id)
        .where(NormAgreement.version_id.in_(version_ids))
        .order_by(NormAgreement.agreed_at, NormAgreement.id)
    )
    result: dict[int, list[Agreement]] = {}
    for agreement, person in rows:
        result.setdefault(agreement.version_id, []).append(
            Agreement(person.id, person.full_name, agreement.agreed_at)
        )
    return result


async def _names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    people = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {p.id: p.full_name for p in people}


async def _current_version(session: AsyncSession, norm: Norm) -> NormVersion:
    version = await session.scalar(
        select(NormVersion).where(
            NormVersion.norm_id == norm.id, NormVersion.version == norm.version
        )
    )
    assert version is not None
    return version


async def agree(
    session: AsyncSession, norm: Norm, person_id: int, now: datetime
) -> tuple[bool, datetime]:
    """Record a person's agreement to the norm's current version; return whether it is new and
    when they agreed."""
    version = await _current_version(session, norm)
    inserted = await session.execute(
        insert_for(session)(NormAgreement)
        .values(version_id=version.id, person_id=person_id, agreed_at=now)
        .on_conflict_do_nothing(index_elements=["version_id", "person_id"])
        .returning(NormAgreement.id)
    )
    if inserted.scalar() is not None:
        return True, now
    agreed_at = await session.scalar(
        select(NormAgreement.agreed_at).where(
            NormAgreement.version_id == version.id, NormAgreement.person_id == person_id
        )
    )
    assert agreed_at is not None
    return False, agreed_at


async def withdraw(session: AsyncSession, norm: Norm, person_id: int) -> bool:
    """Withdraw a person's agreement to the norm's current version; return whether there was one."""
    version = await _current_version(session, norm)
    result = await session.execute(
        delete(NormAgreement).where(
            NormAgreement.version_id == version.id, NormAgreement.person_id == person_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def revise_norm(
    session: AsyncSession,
    norm: Norm,
    text: str,
    author_id: int | None,
    now: datetime,
    source: Source | None = None,
) -> Outcome:
    """Give a norm new words as a new version (agreements start afresh)."""
    if await _wrote(session, NormVersion, source):
        return Outcome.ALREADY
    current = await _current_version(session, norm)
    if current.text == text:
        return Outcome.UNCHANGED
    values = {
        "norm_id": norm.id,
        "version": norm.version + 1,
        "text": text,
        "written_by": author_id,
        "created_at": now,
    }
    if await _insert_keyed(session, NormVersion, values, source) is None:
        return Outcome.ALREADY
    norm.version += 1
    norm.updated_at = now
    await session.flush()
    return Outcome.NEW


async def retire_norm(
    session: AsyncSession, norm: Norm, person_id: int | None, now: datetime
) -> bool:
    """Retire a norm, keeping its history; return False if it was retired already."""
    if not norm.active:
        return False
    norm.status = NormStatus.RETIRED.value
    norm.retired_at = now
    norm.retired_by = person_id
    norm.updated_at = now
    await session.flush()
    return True


# ---------------------------------------------------------------------------- aims


@dataclass(frozen=True)
class AimEntry:
    """The aims or the programme as last written."""

    kind: str
    text: str
    written_by: str | None
    created_at: datetime


@dataclass(frozen=True)
class Aims:
    """A community's current aims and programme (None where nothing was written yet)."""

    aims: AimEntry | None = None
    programme: AimEntry | None = None

    @property
    def empty(self) -> bool:
        """Return whether neither part was written."""
        return self.aims is None and self.programme is None


async def set_aims(
    session: AsyncSession,
    community_id: int,
    kind: AimKind,
    text: str,
    author_id: int | None,
    now: datetime,
    source: Source | None = None,
) -> bool:
    """Write a community's aims or programme (the earlier text stays in the history); False
    when its source wrote them before."""
    values = {
        "community_id": community_id,
        "kind": kind.value,
        "text": text,
        "written_by": author_id,
        "created_at": now,
    }
    return await _insert_keyed(session, CommunityAim, values, source) is not None


async def current_aims(session: AsyncSession, community_ids: Sequence[int]) -> dict[int, Aims]:
    """Return the current aims and programme of these communities (absent: nothing written)."""
    if not community_ids:
        return {}
    latest = (
        select(func.max(CommunityAim.id))
        .where(CommunityAim.community_id.in_(list(community_ids)))
        .group_by(CommunityAim.community_id, CommunityAim.kind)
    )
    rows = await session.execute(
        select(CommunityAim, Person)
        .outerjoin(Person, Person.id == CommunityAim.written_by)
        .where(CommunityAim.id.in_(latest))
    )
    parts: dict[int, dict[str, AimEntry]] = {}
    for aim, person in rows:
        parts.setdefault(aim.community_id, {})[aim.kind] = AimEntry(
            aim.kind, aim.text, person.full_name if person else None, aim.created_at
        )
    return {
        cid: Aims(found.get(AimKind.AIMS.value), found.get(AimKind.PROGRAMME.value))
        for cid, found in parts.items()
    }


async def aims_history(session: AsyncSession, community_id: int) -> list[AimEntry]:
    """Return every version of a community's aims and programme, oldest first."""
    rows = await session.execute(
        select(CommunityAim, Person)
        .outerjoin(Person, Person.id == CommunityAim.written_by)
        .where(CommunityAim.community_id == community_id)
        .order_by(CommunityAim.id)
    )
    return [AimEntry(a.kind, a.text, p.full_name if p else None, a.created_at) for a, p in rows]


# ---------------------------------------------------------------------------- projects


@dataclass(frozen=True)
class Involved:
    """A person involved in a project."""

    person_id: int
    name: str
    joined_at: datetime


@dataclass(frozen=True)
class UpdateRecord:
    """An entry of a project's timeline."""

    author: str | None
    text: str
    status: str | None
    created_at: datetime


@dataclass(frozen=True)
class ProjectRecord:
    """A project with the people involved and its latest updates (newest first)."""

    project: Project
    created_by: str | None
    people: list[Involved]
    updates: list[UpdateRecord]
    update_count: int


@dataclass(frozen=True)
class ProjectLine:
    """A project as a listing shows it."""

    project: Project
    people: int


async def add_project(
    session: AsyncSession,
    community_id: int,
    title: str,
    aim: str,
    creator_id: int | None,
    now: datetime,
    source: Source | None = None,
) -> Project | None:
    """Create a project (planned); its creator is involved from the start. None when its source
    created one before."""
    project_id = await _insert_keyed(
        session,
        Project,
        {
            "community_id": community_id,
            "number": await _next_number(session, Project, community_id),
            "title": title,
            "aim": aim,
            "status": ProjectStatus.PLANNED.value,
            "created_by": creator_id,
            "created_at": now,
            "updated_at": now,
        },
        source,
    )
    if project_id is None:
        return None
    project = await session.get(Project, project_id)
    assert project is not None
    if creator_id is not None:
        await join_project(session, project, creator_id, now)
    return project


async def get_project(session: AsyncSession, community_id: int, project_id: int) -> Project | None:
    """Return a project of this community (None for another community's project)."""
    return await session.scalar(
        select(Project).where(Project.id == project_id, Project.community_id == community_id)
    )


async def project_by_number(
    session: AsyncSession, community_id: int, number: int
) -> Project | None:
    """Return the community's project shown with this number."""
    return await session.scalar(
        select(Project)
        .where(Project.community_id == community_id, Project.number == number)
        .order_by(Project.id)
        .limit(1)
    )


async def count_projects(session: AsyncSession, community_id: int) -> int:
    """Return how many projects a community has."""
    return (
        await session.scalar(
            select(func.count()).select_from(Project).where(Project.community_id == community_id)
        )
    ) or 0


async def list_projects(
    session: AsyncSession, community_id: int, *, offset: int = 0, limit: int | None = None
) -> list[ProjectLine]:
    """Return a community's projects, running first, then planned, paused and done."""
    order = {s.value: i for i, s in enumerate(PROJECT_ORDER)}
    people = (
        select(func.count())
        .select_from(ProjectMember)
        .where(ProjectMember.project_id == Project.id)
        .scalar_subquery()
    )
    rank = case(order, value=Project.status, else_=len(order))
    query = (
        select(Project, people)
        .where(Project.community_id == community_id)
        .order_by(rank, Project.number, Project.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = await session.execute(query)
    return [ProjectLine(project, int(count or 0)) for project, count in rows]


async def project_record(
    session: AsyncSession, project: Project, *, updates: int | None = 3
) -> ProjectRecord:
    """Return a project with the people involved and its latest updates (all when None)."""
    involved = await session.execute(
        select(ProjectMember, Person)
        .join(Person, Person.id == ProjectMember.person_id)
        .where(ProjectMember.project_id == project.id)
        .order_by(ProjectMember.joined_at, ProjectMember.id)
    )
    query = (
        select(ProjectUpdate, Person)
        .outerjoin(Person, Person.id == ProjectUpdate.author_id)
        .where(ProjectUpdate.project_id == project.id)
        .order_by(ProjectUpdate.created_at.desc(), ProjectUpdate.id.desc())
    )
    if updates is not None:
        query = query.limit(updates)
    timeline = await session.execute(query)
    count = await session.scalar(
        select(func.count())
        .select_from(ProjectUpdate)
        .where(ProjectUpdate.project_id == project.id)
    )
    names = await _names(session, [project.created_by] if project.created_by else [])
    return ProjectRecord(
        project=project,
        created_by=names.get(project.created_by) if project.created_by else None,
        people=[Involved(p.id, p.full_name, m.joined_at) for m, p in involved],
        updates=[
            UpdateRecord(p.full_name if p else None, u.text, u.status, u.created_at)
            for u, p in timeline
        ],
        update_count=count or 0,
    )


async def is_involved(session: AsyncSession, project_id: int, person_id: int) -> bool:
    """Return whether a person is involved in a project."""
    found = await session.scalar(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project_id, ProjectMember.person_id == person_id
        )
    )
    return found is not None


async def join_project(
    session: AsyncSession, project: Project, person_id: int, now: datetime
) -> bool:
    """Involve a person in a project; return False if they were already."""
    inserted = await session.execute(
        insert_for(session)(ProjectMember)
        .values(project_id=project.id, person_id=person_id, joined_at=now)
        .on_conflict_do_nothing(index_elements=["project_id", "person_id"])
        .returning(ProjectMember.id)
    )
    return inserted.scalar() is not None


async def leave_project(session: AsyncSession, project: Project, person_id: int) -> bool:
    """Take a person off a project; return False if they were not involved."""
    result = await session.execute(
        delete(ProjectMember).where(
            ProjectMember.project_id == project.id, ProjectMember.person_id == person_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def add_project_update(
    session: AsyncSession,
    project: Project,
    author_id: int | None,
    now: datetime,
    *,
    text: str = "",
    status: ProjectStatus | None = None,
    source: Source | None = None,
) -> Outcome:
    """Add news and/or a status change to a project's timeline (UNCHANGED: nothing to add)."""
    if await _wrote(session, ProjectUpdate, source):
        return Outcome.ALREADY
    if status is not None and status.value == project.status:
        status = None
    if status is None and not text:
        return Outcome.UNCHANGED
    values = {
        "project_id": project.id,
        "author_id": author_id,
        "text": text,
        "status": status.value if status else None,
        "created_at": now,
    }
    if await _insert_keyed(session, ProjectUpdate, values, source) is None:
        return Outcome.ALREADY
    if status is not None:
        project.status = status.value
    project.updated_at = now
    await session.flush()
    return Outcome.NEW
