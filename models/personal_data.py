"""A person's rights under Indonesia's Personal Data Protection Law: see it all, erase it.

Both directions walk ``Base.metadata``: every column that refers to ``people.id`` by a foreign
key, plus the few columns that hold a Telegram user id without one (:data:`ID_COLUMNS`), so a
table added later is covered as soon as its foreign key says whose row it is. Explicit rules
cover what cannot be decided from the schema:

- Shared items (captures, shared reflections, project updates, minutes entries) are deleted, or
  kept for the community without any trace of their author (author id, label, the Telegram
  message they came from), as the person chooses.
- Tallies kept beside the rows are recounted (``capture_items.votes``).
- Minutes entries are found by their author's id (``models.meetings``), never by a name.

Everything else that refers to the person is deleted (memberships, votes, RSVPs, agreements to
norms, project memberships, private reflections, drafts, pending questions, deliveries addressed
to them), or, where the column may be empty, loses the reference: the community's own records
(a norm they proposed, aims they wrote, a project they started) stay without their name.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models.agreements import ProjectUpdate
from models.base import Base
from models.capture import FTS_TABLE, AuthorKind, CaptureItem, CaptureVote, Kind
from models.community import Community, Person
from models.meetings import (
    GROUP_TARGET,
    DeliveryState,
    MeetingDelivery,
    MeetingRsvp,
    MinutesEntry,
    anonymize_minutes_of,
    minutes_of_person,
)
from models.prompts import Prompt
from models.reflections import (
    SHARED,
    Reflection,
    Source,
    Status,
    Visibility,
    Where,
    where_of,
)

FORMAT = "kopi-personal-data/1"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Columns that hold a person's Telegram id without a foreign key to people: an anonymous admin
# is asked as the group (prompts), a delivery's target is 0 for the group.
ID_COLUMNS: tuple[Column[Any], ...] = (
    Base.metadata.tables[Prompt.__tablename__].c.speaker_id,
    Base.metadata.tables[MeetingDelivery.__tablename__].c.target,
)
PEOPLE: Table = Base.metadata.tables[Person.__tablename__]


class Choice(enum.StrEnum):
    """What happens to a person's shared items when they erase their data."""

    DELETE = "d"  # deleted with everything else
    ANONYMIZE = "a"  # kept for the community, without their name


# ---------------------------------------------------------------------------- the schema


def person_columns() -> list[Column[Any]]:
    """Return every column that holds a person's id (foreign keys to people, and ID_COLUMNS)."""
    people = PEOPLE
    found: list[Column[Any]] = []
    for table in Base.metadata.sorted_tables:
        if table is people:
            continue
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            if fk.column.table is people:
                found.append(fk.parent)
    found.extend(c for c in ID_COLUMNS if c not in found)
    return found


def _by_table(columns: Sequence[Column[Any]]) -> dict[Table, list[Column[Any]]]:
    tables: dict[Table, list[Column[Any]]] = {}
    for column in columns:
        assert isinstance(column.table, Table)
        tables.setdefault(column.table, []).append(column)
    return tables


def _refers(columns: Sequence[Column[Any]], person_id: int) -> ColumnElement[bool]:
    return or_(*(column == person_id for column in columns))


def _keeps_row(column: Column[Any]) -> bool:
    """Return whether erasing only empties this column (the row belongs to the community)."""
    return column.nullable is True and any(fk.ondelete == "SET NULL" for fk in column.foreign_keys)


def stamp_of(person: Person) -> int:
    """Return what tells this person row from a later one for the same Telegram user (its
    creation in microseconds): a button issued before an erasure is not valid afterwards."""
    return (person.created_at - EPOCH) // timedelta(microseconds=1)


# ---------------------------------------------------------------------------- what is held


@dataclass(frozen=True)
class Holdings:
    """How much kopi holds about a person, per table (and minutes entries)."""

    person: Person
    counts: dict[str, int]
    shared: int  # items they may keep for the community without their name
    private_reflections: int  # private reflections and drafts

    @property
    def stamp(self) -> int:
        """Return the person row's stamp (see stamp_of)."""
        return stamp_of(self.person)


async def holdings_of(session: AsyncSession, person_id: int) -> Holdings | None:
    """Count the rows that refer to a person; None when kopi does not know them."""
    person = await session.get(Person, person_id)
    if person is None:
        return None
    counts: dict[str, int] = {}
    for table, columns in _by_table(person_columns()).items():
        found = await session.scalar(
            select(func.count()).select_from(table).where(_refers(columns, person_id))
        )
        if found:
            counts[table.name] = int(found)
    minutes = counts.get(MinutesEntry.__tablename__, 0)
    shared_reflections = await session.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(
            Reflection.author_id == person_id,
            Reflection.status == Status.DONE.value,
            Reflection.visibility.in_(SHARED),
        )
    )
    shared_reflections = int(shared_reflections or 0)
    shared = (
        counts.get(CaptureItem.__tablename__, 0)
        + counts.get(ProjectUpdate.__tablename__, 0)
        + minutes
        + shared_reflections
    )
    private = counts.get(Reflection.__tablename__, 0) - shared_reflections
    return Holdings(person, counts, shared, private)


async def holds_more_than_a_profile(session: AsyncSession, person_id: int) -> bool:
    """Return whether anything besides the person row refers to a person."""
    for columns in _by_table(person_columns()).values():
        found = await session.scalar(select(exists().where(_refers(columns, person_id))))
        if found:
            return True
    return False


# ---------------------------------------------------------------------------- export


@dataclass(frozen=True)
class Export:
    """Everything kopi holds about a person: a JSON-ready document, and counts for a summary."""

    document: dict[str, Any]
    holdings: Holdings


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _row(
    mapping: Mapping[Any, Any], person_cols: Sequence[Column[Any]], person_id: int
) -> dict[str, Any]:
    row = {str(key): _plain(value) for key, value in mapping.items()}
    for column in person_cols:  # other people's ids are theirs, not this person's
        if row.get(column.name) not in (None, person_id):
            row[column.name] = None
    return row


async def export_person(session: AsyncSession, person_id: int, now: datetime) -> Export | None:
    """Return every row that refers to a person, the rows that belong to those (a reflection's
    voice notes, a capture's tags), and their minutes entries; None when kopi does not know them.

    Ids of other people that appear in those rows (who retired a norm they proposed) are left
    out.
    """
    holdings = await holdings_of(session, person_id)
    if holdings is None:
        return None
    people = PEOPLE
    tables: dict[str, list[dict[str, Any]]] = {}
    profile = (await session.execute(select(people).where(people.c.id == person_id))).mappings()
    tables[people.name] = [_row(r, [], person_id) for r in profile]
    by_table = _by_table(person_columns())
    owned: dict[Table, ColumnElement[bool]] = {}
    for table, columns in by_table.items():
        condition = _refers(columns, person_id)
        rows = (
            await session.execute(
                select(table).where(condition).order_by(*table.primary_key.columns)
            )
        ).mappings()
        found = [_row(r, columns, person_id) for r in rows]
        if found:
            tables[table.name] = found
            owned[table] = condition
    # Rows that belong to an exported row and name nobody themselves: voice notes, tags, links.
    for table in Base.metadata.sorted_tables:
        if table in by_table or table is people:
            continue
        conditions = [
            fk.parent.in_(select(fk.column).where(owned[parent]))
            for fk in table.foreign_keys
            if (parent := fk.column.table) in owned and isinstance(parent, Table)
        ]
        if not conditions:
            continue
        rows = (
            await session.execute(
                select(table).where(or_(*conditions)).order_by(*table.primary_key.columns)
            )
        ).mappings()
        found = [_row(r, [], person_id) for r in rows]
        if found:
            tables[table.name] = found
    minutes = await minutes_of_person(session, person_id)
    community_ids = sorted(
        {
            int(r["community_id"])
            for rows in tables.values()
            for r in rows
            if isinstance(r.get("community_id"), int)
        }
        | {int(m["community_id"]) for m in minutes}
    )
    communities = await session.execute(
        select(Community.id, Community.title).where(Community.id.in_(community_ids))
    )
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "person_id": person_id,
        "communities": {str(cid): title for cid, title in communities},
        "tables": tables,
        "minutes_entries": minutes,
    }
    return Export(document, holdings)


# ---------------------------------------------------------------------------- erasure


@dataclass
class PostChange:
    """A group post of a reflection that must follow the erasure."""

    reflection: Reflection  # as it is now (kept anonymously), or as it was (deleted)
    community: Community
    where: Where
    removed: bool


@dataclass
class Erasure:
    """What an erasure did, and what kopi must still change in Telegram afterwards."""

    deleted: Counter[str] = field(default_factory=Counter)  # table -> rows
    anonymized: Counter[str] = field(default_factory=Counter)  # kept without the author
    unlinked: int = 0  # community records that lost the person's name
    posts: list[PostChange] = field(default_factory=list)
    meetings: set[int] = field(default_factory=set)  # whose RSVP tally named the person
    deleted_concerns: list[tuple[int, str]] = field(default_factory=list)  # (community, text)


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def erase_person(
    session: AsyncSession,
    person_id: int,
    choice: Choice,
    *,
    anonymous_label: Mapping[str, str],
    now: datetime,
) -> Erasure | None:
    """Erase a person's personal data; their shared items are deleted or kept anonymously.

    anonymous_label: how a kept minutes entry is credited, per community language.
    Returns None when kopi does not know the person.
    """
    person = await session.get(Person, person_id)
    if person is None:
        return None
    keep = choice == Choice.ANONYMIZE
    erasure = Erasure()

    # Reflections: private ones and drafts go; shared ones go or stay without their author.
    reflections = await session.scalars(
        select(Reflection)
        .where(Reflection.author_id == person_id)
        .options(selectinload(Reflection.voices))
        .order_by(Reflection.id)
    )
    communities: dict[int, Community | None] = {}
    for reflection in list(reflections):
        shared = reflection.status == Status.DONE.value and reflection.visibility in SHARED
        if reflection.community_id not in communities:
            communities[reflection.community_id] = await session.get(
                Community, reflection.community_id
            )
        community = communities[reflection.community_id]
        posted = bool(reflection.post) and reflection.source == Source.GUIDED.value
        if keep and shared:
            was_named = reflection.visibility == Visibility.NAMED.value
            reflection.author_id = None
            reflection.visibility = Visibility.ANONYMOUS.value
            reflection.source_chat_id = None
            reflection.source_message_id = None
            erasure.anonymized[Reflection.__tablename__] += 1
            if posted and was_named and community is not None:
                where = await where_of(session, reflection, now)
                erasure.posts.append(PostChange(reflection, community, where, removed=False))
        elif posted and community is not None:
            where = await where_of(session, reflection, now)
            erasure.posts.append(PostChange(reflection, community, where, removed=True))
    await session.flush()
    erasure.deleted[Reflection.__tablename__] += _count(
        await session.execute(
            delete(Reflection)
            .where(Reflection.author_id == person_id)
            .execution_options(synchronize_session=False)
        )
    )

    # Captures: kept with no trace of the author (as an anonymous concern is), or deleted.
    mine = CaptureItem.author_id == person_id
    if keep:
        erasure.anonymized[CaptureItem.__tablename__] += _count(
            await session.execute(
                update(CaptureItem)
                .where(mine)
                .values(
                    author_id=None,
                    author_kind=AuthorKind.ANONYMOUS.value,
                    author_label=None,
                    chat_id=None,
                    message_id=None,
                )
                .execution_options(synchronize_session=False)
            )
        )
    else:
        concerns = await session.execute(
            select(CaptureItem.community_id, CaptureItem.text).where(
                mine, CaptureItem.kind == Kind.CONCERN.value
            )
        )
        erasure.deleted_concerns = [(cid, body) for cid, body in concerns]
        erasure.deleted[CaptureItem.__tablename__] += _count(
            await session.execute(
                delete(CaptureItem).where(mine).execution_options(synchronize_session=False)
            )
        )

    # Project updates: news of a project they wrote.
    theirs = ProjectUpdate.author_id == person_id
    if keep:
        erasure.anonymized[ProjectUpdate.__tablename__] += _count(
            await session.execute(
                update(ProjectUpdate)
                .where(theirs)
                # The message it came from names her too (a private chat's id is hers).
                .values(
                    author_id=None, source_chat_id=None, source_message_id=None, source_query=None
                )
            )
        )
    else:
        erasure.deleted[ProjectUpdate.__tablename__] += _count(
            await session.execute(delete(ProjectUpdate).where(theirs))
        )

    # Minutes entries (by author id): kept under the label, or deleted with the rest below.
    if keep:
        erasure.anonymized[MinutesEntry.__tablename__] += await anonymize_minutes_of(
            session, person_id, anonymous_label
        )

    # Votes: the tallies beside them are recounted once the votes are gone.
    voted = list(
        await session.scalars(select(CaptureVote.item_id).where(CaptureVote.person_id == person_id))
    )
    answered = await session.scalars(
        select(MeetingRsvp.meeting_id).where(
            MeetingRsvp.person_id == person_id, MeetingRsvp.response.is_not(None)
        )
    )
    erasure.meetings = set(answered)

    # Everything else that refers to them, whatever table it is in.
    for column in person_columns():
        table = column.table
        if _keeps_row(column):
            erasure.unlinked += _count(
                await session.execute(
                    update(table).where(column == person_id).values({column.name: None})
                )
            )
        else:
            erasure.deleted[table.name] += _count(
                await session.execute(delete(table).where(column == person_id))
            )
    # What she wrote in private chat with kopi is keyed by that chat, whose id is hers.
    for table in Base.metadata.sorted_tables:
        if "source_chat_id" in table.c and "source_message_id" in table.c:
            await session.execute(
                update(table)
                .where(table.c.source_chat_id == person_id)
                .values(source_chat_id=None, source_message_id=None)
            )
    if voted:
        count = (
            select(func.count())
            .select_from(CaptureVote)
            .where(CaptureVote.item_id == CaptureItem.id, CaptureVote.active.is_(True))
            .scalar_subquery()
        )
        await session.execute(
            update(CaptureItem)
            .where(CaptureItem.id.in_(voted))
            .values(votes=count)
            .execution_options(synchronize_session=False)
        )
    await session.execute(delete(Person).where(Person.id == person_id))
    session.expunge(person)
    erasure.deleted[Person.__tablename__] += 1
    if erasure.deleted[CaptureItem.__tablename__] and session.get_bind().dialect.name == "sqlite":
        # FTS5 keeps a deleted row's words in older index segments until they are merged.
        await session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
    erasure.deleted = +erasure.deleted  # drop the zero counts
    erasure.anonymized = +erasure.anonymized
    await session.flush()
    return erasure


async def forget_bare_person(session: AsyncSession, person_id: int) -> bool:
    """Delete a person row nothing else refers to; return whether it was deleted."""
    if await holds_more_than_a_profile(session, person_id):
        return False
    result = await session.execute(delete(Person).where(Person.id == person_id))
    return _count(result) > 0


# ---------------------------------------------------------------------------- group posts


async def replace_agenda_line(
    session: AsyncSession, community_id: int, line: str, replacement: str
) -> list[MeetingDelivery]:
    """Replace a numbered line ("2. <line>") in what kopi posted to a community's group (the
    reminders' proposed agenda); return the deliveries that changed."""
    pattern = re.compile(rf"^(\d+\. ){re.escape(line)}$", re.MULTILINE)
    rows = await session.scalars(
        select(MeetingDelivery).where(
            MeetingDelivery.community_id == community_id,
            MeetingDelivery.target == GROUP_TARGET,
            MeetingDelivery.body.contains(line, autoescape=True),
        )
    )
    changed = []
    for row in rows:
        body, count = pattern.subn(lambda m: m.group(1) + replacement, row.body or "")
        if count:
            row.body = body
            changed.append(row)
    await session.flush()
    return changed


async def sent_reminders(
    session: AsyncSession, meeting_ids: set[int]
) -> list[tuple[MeetingDelivery, Community]]:
    """Return the reminders sent to groups for these meetings (their tally is kept live)."""
    if not meeting_ids:
        return []
    rows = await session.execute(
        select(MeetingDelivery, Community)
        .join(Community, Community.id == MeetingDelivery.community_id)
        .where(
            MeetingDelivery.meeting_id.in_(meeting_ids),
            MeetingDelivery.target == GROUP_TARGET,
            MeetingDelivery.kind.like("rem:%"),
            MeetingDelivery.state == DeliveryState.SENT.value,
            MeetingDelivery.message_id.is_not(None),
        )
        .order_by(MeetingDelivery.id)
    )
    return [(delivery, community) for delivery, community in rows]
