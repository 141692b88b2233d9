"""Communities (one per group chat), people and their memberships."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from models.base import Base, UTCDateTime, insert_for, utcnow


class Role(enum.StrEnum):
    """A person's role in a community."""

    FACILITATOR = "facilitator"
    MEMBER = "member"


class Community(Base):
    """A community of practice: one Telegram group chat."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    chat_type: Mapped[str] = mapped_column(String(16), default="group")
    is_forum: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    language: Mapped[str] = mapped_column(String(8), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="community", lazy="raise", cascade="all, delete-orphan"
    )


class Person(Base):
    """A Telegram user kopi has met."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(255), default="")
    last_name: Mapped[str | None] = mapped_column(String(255), default=None)
    username: Mapped[str | None] = mapped_column(String(64), default=None)
    # The language chosen with /bahasa; None follows Telegram's language_code.
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    telegram_language: Mapped[str | None] = mapped_column(String(16), default=None)
    # True once the person has opened a private chat with the bot (it may message them).
    started: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        """Return the person's display name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or "?"


class Membership(Base):
    """A person's membership of a community."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("community_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    community: Mapped[Community] = relationship(back_populates="memberships", lazy="raise")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="raise")


async def get_community(session: AsyncSession, chat_id: int) -> Community | None:
    """Return the community of a group chat, if kopi knows it."""
    return await session.scalar(select(Community).where(Community.chat_id == chat_id))


async def activate_community(
    session: AsyncSession,
    chat_id: int,
    *,
    title: str,
    chat_type: str,
    is_forum: bool,
    timezone: str,
    language: str,
) -> tuple[Community, Literal["new", "reactivated", "unchanged"]]:
    """Register or re-activate a community; return it and what changed."""
    # Concurrent updates may meet a new group at once: insert-or-nothing, then read.
    inserted = await session.execute(
        insert_for(session)(Community)
        .values(
            chat_id=chat_id,
            title=title,
            chat_type=chat_type,
            is_forum=is_forum,
            timezone=timezone,
            language=language,
            active=True,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["chat_id"])
        .returning(Community.id)
    )
    new = inserted.scalar() is not None
    community = await get_community(session, chat_id)
    assert community is not None
    if new:
        return community, "new"
    was_inactive = not community.active
    community.active = True
    community.title = title or community.title
    community.chat_type = chat_type
    community.is_forum = is_forum
    return community, "reactivated" if was_inactive else "unchanged"


async def deactivate_community(session: AsyncSession, chat_id: int) -> bool:
    """Mark a community inactive (the bot left or was removed); keep its data."""
    result = await session.execute(
        update(Community)
        .where(Community.chat_id == chat_id, Community.active.is_(True))
        .values(active=False, updated_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


async def upsert_person(
    session: AsyncSession,
    user_id: int,
    *,
    first_name: str,
    last_name: str | None = None,
    username: str | None = None,
    telegram_language: str | None = None,
    started: bool = False,
) -> Person:
    """Create or refresh a person from what Telegram says about them."""
    values: dict[str, object] = {
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
    }
    if telegram_language:
        values["telegram_language"] = telegram_language
    if started:
        values["started"] = True
    person = await session.get(Person, user_id)
    if person is not None:
        for key, value in values.items():
            if getattr(person, key) != value:
                setattr(person, key, value)
        await session.flush()
        return person
    # Two chats may meet the same new person at once: insert-or-update, then read.
    statement = insert_for(session)(Person).values(id=user_id, created_at=utcnow(), **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_=values)
    )
    person = await session.get(Person, user_id, populate_existing=True)
    assert person is not None
    return person


async def ensure_membership(
    session: AsyncSession, community: Community, person_id: int, *, role: Role | None = None
) -> Membership:
    """Make a person a member of a community; set the role when one is given."""
    await session.execute(
        insert_for(session)(Membership)
        .values(
            community_id=community.id,
            person_id=person_id,
            role=(role or Role.MEMBER).value,
            joined_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["community_id", "person_id"])
    )
    membership = await session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.person_id == person_id
        )
    )
    assert membership is not None
    if role is not None and membership.role != role.value:
        membership.role = role.value
    return membership


async def communities_of(session: AsyncSession, person_id: int) -> list[Community]:
    """Return the active communities a person belongs to, by title."""
    rows = await session.scalars(
        select(Community)
        .join(Membership, Membership.community_id == Community.id)
        .where(Membership.person_id == person_id, Community.active.is_(True))
        .order_by(Community.title, Community.id)
    )
    return list(rows)


async def set_person_language(session: AsyncSession, person_id: int, language: str) -> None:
    """Remember the language a person chose."""
    await session.execute(update(Person).where(Person.id == person_id).values(language=language))


async def set_community_language(session: AsyncSession, chat_id: int, language: str) -> None:
    """Set the language kopi speaks in a group."""
    await session.execute(
        update(Community).where(Community.chat_id == chat_id).values(language=language)
    )


async def migrate_community(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> bool:
    """Move a community from a group's old chat id to its supergroup id.

    Everything that belongs to a community refers to it by its own id, so re-keying the chat id
    moves it all. If kopi already registered the new chat as a separate community, that
    duplicate is merged into the old one: its rows move over (rows that would collide with the old
    community's unique rows are dropped) and the duplicate is deleted. Return whether anything
    changed.
    """
    if old_chat_id == new_chat_id:
        return False
    old = await get_community(session, old_chat_id)
    new = await get_community(session, new_chat_id)
    if old is None:
        return False
    if new is not None:
        await _merge_into(session, source_id=new.id, target_id=old.id)
        old.active = old.active or new.active
        await session.delete(new)
        await session.flush()
    old.chat_id = new_chat_id
    old.chat_type = "supergroup"
    await session.flush()
    return True


async def _merge_into(session: AsyncSession, *, source_id: int, target_id: int) -> None:
    """Move every row that references community source_id over to target_id."""
    communities = Community.__table__
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not communities:
                continue
            column = fk.parent
            # Drop the source's rows that would break a unique constraint once moved.
            for constraint in table.constraints:
                if (
                    not isinstance(constraint, UniqueConstraint)
                    or column.name not in constraint.columns
                ):
                    continue
                other = aliased(table)
                same = [other.c[c.name] == c for c in constraint.columns if c is not column]
                await session.execute(
                    delete(table).where(
                        column == source_id,
                        exists().where(and_(other.c[column.name] == target_id, *same)),
                    )
                )
            await session.execute(
                update(table).where(column == source_id).values({column.name: target_id})
            )


@dataclass(frozen=True)
class Speaker:
    """Someone kopi heard from: their Telegram profile, and the community they spoke in."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    telegram_language: str | None = None
    started: bool = False
    community_id: int | None = None


async def register_speakers(
    session: AsyncSession, speakers: Sequence[Speaker]
) -> list[str | None]:
    """Record people and their memberships in a few statements; return each one's chosen language.

    Made for batches (models/writer.py): one upsert of all people, one insert of the missing
    memberships, one read of the languages they chose.
    """
    if not speakers:
        return []
    people: dict[int, dict[str, Any]] = {}
    for s in speakers:  # one row per person: a statement may not update the same row twice
        row = people.setdefault(
            s.user_id,
            {"id": s.user_id, "started": False, "created_at": utcnow(), "language": None},
        )
        row.update(
            first_name=s.first_name,
            last_name=s.last_name,
            username=s.username,
            telegram_language=s.telegram_language,
        )
        row["started"] = row["started"] or s.started
    insert = insert_for(session)(Person)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "first_name": insert.excluded.first_name,
                "last_name": insert.excluded.last_name,
                "username": insert.excluded.username,
                "telegram_language": func.coalesce(
                    insert.excluded.telegram_language, Person.telegram_language
                ),
                "started": or_(Person.started, insert.excluded.started),
            },
        ),
        list(people.values()),
    )
    memberships = {
        (s.community_id, s.user_id): {
            "community_id": s.community_id,
            "person_id": s.user_id,
            "role": Role.MEMBER.value,
            "joined_at": utcnow(),
        }
        for s in speakers
        if s.community_id is not None
    }
    if memberships:
        await session.execute(
            insert_for(session)(Membership).on_conflict_do_nothing(
                index_elements=["community_id", "person_id"]
            ),
            list(memberships.values()),
        )
    rows = await session.execute(select(Person.id, Person.language).where(Person.id.in_(people)))
    chosen = {person_id: language for person_id, language in rows}
    return [chosen.get(s.user_id) for s in speakers]
