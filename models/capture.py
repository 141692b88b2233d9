"""Captured concerns and good practices: hashtags, votes, status, links and full-text search.

Nothing here imports telegram: a hashtag is parsed from plain text, a message is identified by the
chat and message ids it had, and an anonymous concern is stored without any trace of its author.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload
from sqlalchemy.sql import Select

from models.base import Base, UTCDateTime, insert_for, utcnow
from models.community import Person


class Kind(enum.StrEnum):
    """What a captured item is."""

    CONCERN = "concern"
    PRACTICE = "practice"


class Status(enum.StrEnum):
    """Where a concern stands: baru → dibahas → selesai."""

    NEW = "new"
    DISCUSSED = "discussed"
    RESOLVED = "resolved"


class AuthorKind(enum.StrEnum):
    """Who an item is credited to."""

    PERSON = "person"  # author_id says who
    ANONYMOUS = "anonymous"  # raised in private without a name: nothing about the author is kept
    CHANNEL = "channel"  # posted on behalf of a channel (author_label is its title)
    GROUP_ADMIN = "group_admin"  # an anonymous admin writing as the group
    UNKNOWN = "unknown"  # a message without any sender


# The hashtags that capture a message, case-insensitive, and what they capture.
KIND_TAGS: dict[str, Kind] = {
    "keresahan": Kind.CONCERN,
    "kekhawatiran": Kind.CONCERN,
    "masalah": Kind.CONCERN,
    "concern": Kind.CONCERN,
    "praktikbaik": Kind.PRACTICE,
    "praktik": Kind.PRACTICE,
    "goodpractice": Kind.PRACTICE,
}
MAX_TAG = 24  # tags travel in callback data (64 bytes), so they are kept short
MAX_TAGS = 10
# Telegram's own hashtag rule: '#' not glued to a word, then word characters with a letter in them.
HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d]\w*)")


class CaptureItem(Base):
    """A concern or a good practice captured in a community."""

    __tablename__ = "capture_items"
    __table_args__ = (
        # A Telegram message is captured once, however often it is delivered. The chat id is part
        # of the key because a group upgraded to a supergroup starts counting messages again.
        UniqueConstraint("community_id", "chat_id", "message_id", name="uq_capture_items_message"),
        # A concern raised in private carries a random token instead (see raise_concern).
        UniqueConstraint("community_id", "token", name="uq_capture_items_token"),
        Index("ix_capture_items_listing", "community_id", "kind", "created_at"),
        # The problem map: a community's concerns, most votes first, read a page at a time...
        Index("ix_capture_items_map", "community_id", "kind", "votes", "created_at", "id"),
        # ...and its count of open ones, from the index alone.
        Index("ix_capture_items_open", "community_id", "kind", "status", "hidden"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed by ix_capture_items_listing, which starts with it.
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW.value)
    text: Mapped[str] = mapped_column(Text, default="")
    # The solution plan agreed on when the concern was discussed or resolved.
    note: Mapped[str | None] = mapped_column(Text, default=None)
    # What SQLite's full-text index holds: the words of text and note, each prefixed with the
    # community ("k12xliterasi"), so a search reads only its own community's posting lists.
    search_terms: Mapped[str | None] = mapped_column(Text, default=None)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    author_kind: Mapped[str] = mapped_column(String(16), default=AuthorKind.PERSON.value)
    author_label: Mapped[str | None] = mapped_column(String(255), default=None)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    token: Mapped[str | None] = mapped_column(String(32), default=None)
    file_id: Mapped[str | None] = mapped_column(String(255), default=None)
    file_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    file_name: Mapped[str | None] = mapped_column(String(255), default=None)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(lazy="raise")
    tag_rows: Mapped[list[CaptureTag]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CaptureTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        """Return the item's tags (without '#'); the tag rows must have been loaded."""
        return [row.tag for row in self.tag_rows]

    @property
    def is_open(self) -> bool:
        """Return whether a concern still waits for a solution."""
        return self.status != Status.RESOLVED.value


class CaptureTag(Base):
    """A hashtag of an item, such as literasi or numerasi."""

    __tablename__ = "capture_tags"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("capture_items.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(MAX_TAG), primary_key=True)


class CaptureVote(Base):
    """A member's "🙋 saya juga" on a concern.

    A withdrawn vote stays as an inactive row remembering the press that withdrew it, so that a
    replayed press (same callback query id) is recognised and changes nothing.
    """

    __tablename__ = "capture_votes"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("capture_items.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_press: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaptureLink(Base):
    """A good practice that addresses a concern."""

    __tablename__ = "capture_links"

    concern_id: Mapped[int] = mapped_column(
        ForeignKey("capture_items.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("capture_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# Search structures that live outside Base.metadata: created by migration 0002 with raw SQL.
FTS_TABLE = "capture_items_fts"
PG_SEARCH_INDEX = "ix_capture_items_search"
SEARCH_SCHEMA_NAMES = frozenset(
    {
        FTS_TABLE,
        # FTS5's shadow tables (an external-content table has no _content table)
        f"{FTS_TABLE}_data",
        f"{FTS_TABLE}_idx",
        f"{FTS_TABLE}_docsize",
        f"{FTS_TABLE}_config",
        PG_SEARCH_INDEX,
    }
)
# The document PostgreSQL searches; the migration's GIN index is on exactly this expression.
PG_DOCUMENT = (
    "(setweight(to_tsvector('simple', 'k' || capture_items.community_id::text), 'D') || "
    "setweight(to_tsvector('simple', coalesce(capture_items.text, '') || ' ' || "
    "coalesce(capture_items.note, '')), 'A'))"
)


# ---------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Parsed:
    """What a message says: the kind its hashtag captures (if any), the text and the tags."""

    kind: Kind | None
    text: str
    tags: list[str]


def parse(text: str) -> Parsed:
    """Find the capturing hashtag (the first one wins), the other tags and the text to keep.

    The capturing hashtag is removed from the text; other hashtags stay, as they are part of what
    the teacher wrote, and also become tags.
    """
    kind: Kind | None = None
    tags: list[str] = []
    for match in HASHTAG.finditer(text):
        word = match.group(1).lower()
        if word in KIND_TAGS:
            kind = kind or KIND_TAGS[word]
        elif len(tags) < MAX_TAGS:
            tag = word[:MAX_TAG]
            if tag not in tags:
                tags.append(tag)
    kept = HASHTAG.sub(lambda m: "" if m.group(1).lower() in KIND_TAGS else m.group(0), text)
    lines = [" ".join(line.split()) for line in kept.strip().splitlines()]
    return Parsed(kind, "\n".join(lines).strip(), tags)


def has_words(text: str) -> bool:
    """Return whether a text says something besides hashtags."""
    return bool(HASHTAG.sub("", text).strip())


def only_hashtags(text: str) -> list[str] | None:
    """Return the hashtags of a text made of hashtags only (lower case), else None."""
    if has_words(text):
        return None
    return [m.group(1).lower() for m in HASHTAG.finditer(text)]


# ---------------------------------------------------------------------------- capturing


@dataclass(frozen=True)
class Author:
    """Who an item is credited to."""

    kind: AuthorKind
    person_id: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file kept by its Telegram file_id."""

    file_id: str
    kind: str  # photo, document, video, audio, voice
    name: str | None = None


@dataclass(frozen=True)
class NewItem:
    """An item to capture (see capture_many)."""

    community_id: int
    kind: Kind
    text: str
    tags: tuple[str, ...]
    author: Author
    now: datetime
    chat_id: int | None = None
    message_id: int | None = None
    token: str | None = None
    attachment: Attachment | None = None

    def key(self) -> tuple[int, int | None, int | None, str | None]:
        """Return what makes the item unique: its message, or its token."""
        return (self.community_id, self.chat_id, self.message_id, self.token)


async def capture_many(session: AsyncSession, items: Sequence[NewItem]) -> list[int | None]:
    """Save items in one statement; return each one's id, or None where it was captured before.

    One multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING, then one insert of all tags: the
    cost of a batch hardly depends on its size (see models/writer.py, which batches captures
    from concurrent chats).
    """
    if not items:
        return []
    rows = [
        {
            "community_id": item.community_id,
            "kind": item.kind.value,
            "status": Status.NEW.value,
            "text": item.text,
            "search_terms": community_terms(item.community_id, item.text),
            "author_id": item.author.person_id,
            "author_kind": item.author.kind.value,
            "author_label": item.author.label,
            "chat_id": item.chat_id,
            "message_id": item.message_id,
            "token": item.token,
            "file_id": item.attachment.file_id if item.attachment else None,
            "file_kind": item.attachment.kind if item.attachment else None,
            "file_name": item.attachment.name if item.attachment else None,
            "votes": 0,
            "hidden": False,
            "created_at": item.now,
            "updated_at": item.now,
        }
        for item in items
    ]
    # executemany with RETURNING: SQLAlchemy sends it as batched multi-row INSERTs from one
    # cached compiled statement ("insertmanyvalues").
    inserted = await session.execute(
        insert_for(session)(CaptureItem)
        .on_conflict_do_nothing()
        .returning(
            CaptureItem.id,
            CaptureItem.community_id,
            CaptureItem.chat_id,
            CaptureItem.message_id,
            CaptureItem.token,
        ),
        rows,
    )
    ids = {(c, chat, message, token): i for i, c, chat, message, token in inserted.all()}
    results: list[int | None] = []
    tag_rows: list[dict[str, Any]] = []
    for item in items:
        item_id = ids.pop(item.key(), None)  # a duplicate within the batch gets None
        results.append(item_id)
        if item_id is not None:
            tag_rows.extend({"item_id": item_id, "tag": tag} for tag in item.tags)
    if tag_rows:
        await session.execute(sa.insert(CaptureTag), tag_rows)
    return results


async def capture(
    session: AsyncSession,
    community_id: int,
    *,
    kind: Kind,
    text: str,
    tags: list[str],
    author: Author,
    now: datetime,
    chat_id: int | None = None,
    message_id: int | None = None,
    token: str | None = None,
    attachment: Attachment | None = None,
) -> int | None:
    """Save an item; return its id, or None when this message (or token) was captured before."""
    [item_id] = await capture_many(
        session,
        [
            NewItem(
                community_id,
                kind,
                text,
                tuple(tags),
                author,
                now,
                chat_id=chat_id,
                message_id=message_id,
                token=token,
                attachment=attachment,
            )
        ],
    )
    return item_id


async def find_by_message(
    session: AsyncSession, community_id: int, chat_id: int, message_id: int
) -> CaptureItem | None:
    """Return the item captured from this Telegram message, if any."""
    return await session.scalar(
        select(CaptureItem)
        .where(
            CaptureItem.community_id == community_id,
            CaptureItem.chat_id == chat_id,
            CaptureItem.message_id == message_id,
        )
        .options(selectinload(CaptureItem.tag_rows))
    )


async def revise(
    session: AsyncSession,
    item: CaptureItem,
    *,
    text: str,
    tags: list[str],
    now: datetime,
    kind: Kind | None = None,
) -> bool:
    """Follow an edit of the captured message: new text and tags (and kind, if it changed).

    The item's tag rows must be loaded. Return whether anything changed.
    """
    changed = False
    if has_words(text) and text != item.text:
        item.text = text
        item.search_terms = community_terms(item.community_id, text, item.note)
        changed = True
    if kind is not None and kind.value != item.kind:
        item.kind = kind.value
        changed = True
    if sorted(tags) != sorted(item.tags):
        item.tag_rows = [row for row in item.tag_rows if row.tag in tags] + [
            CaptureTag(tag=tag) for tag in tags if tag not in item.tags
        ]
        changed = True
    if changed:
        item.updated_at = now
        await session.flush()
    return changed


# ---------------------------------------------------------------------------- reading


def _visible(community_id: int) -> list[sa.ColumnElement[bool]]:
    return [CaptureItem.community_id == community_id, CaptureItem.hidden.is_(False)]


def _with_details(statement: Select[CaptureItem]) -> Select[CaptureItem]:
    return statement.options(selectinload(CaptureItem.tag_rows), selectinload(CaptureItem.author))


async def get_item(
    session: AsyncSession, community_id: int, item_id: int, *, hidden: bool = False
) -> CaptureItem | None:
    """Return an item of this community (with its author and tags); hidden ones only if asked."""
    conditions = [CaptureItem.id == item_id, CaptureItem.community_id == community_id]
    if not hidden:
        conditions.append(CaptureItem.hidden.is_(False))
    return await session.scalar(_with_details(select(CaptureItem).where(*conditions)))


async def list_concerns(
    session: AsyncSession, community_id: int, *, resolved: bool, offset: int, limit: int
) -> tuple[list[CaptureItem], int]:
    """Return a page of concerns (open: most votes first; resolved: latest first) and the total."""
    condition = and_(
        *_visible(community_id),
        CaptureItem.kind == Kind.CONCERN.value,
        (CaptureItem.status == Status.RESOLVED.value)
        if resolved
        else (CaptureItem.status != Status.RESOLVED.value),
    )
    order: list[sa.UnaryExpression[Any]] = (
        [CaptureItem.updated_at.desc(), CaptureItem.id.desc()]
        if resolved
        else [CaptureItem.votes.desc(), CaptureItem.created_at.asc(), CaptureItem.id.asc()]
    )
    total = await session.scalar(select(func.count()).select_from(CaptureItem).where(condition))
    rows = await session.scalars(
        _with_details(select(CaptureItem).where(condition).order_by(*order))
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def list_practices(
    session: AsyncSession, community_id: int, *, tag: str | None, offset: int, limit: int
) -> tuple[list[CaptureItem], int]:
    """Return a page of good practices (latest first), optionally with a tag, and the total."""
    conditions = [*_visible(community_id), CaptureItem.kind == Kind.PRACTICE.value]
    if tag:
        conditions.append(
            exists().where(CaptureTag.item_id == CaptureItem.id, CaptureTag.tag == tag)
        )
    condition = and_(*conditions)
    total = await session.scalar(select(func.count()).select_from(CaptureItem).where(condition))
    rows = await session.scalars(
        _with_details(select(CaptureItem).where(condition))
        .order_by(CaptureItem.created_at.desc(), CaptureItem.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def top_open_concerns(
    session: AsyncSession, community_id: int, limit: int
) -> list[CaptureItem]:
    """Return the open concerns with the most "saya juga" votes first (author and tags loaded)."""
    items, _ = await list_concerns(session, community_id, resolved=False, offset=0, limit=limit)
    return items


async def count_items_since(
    session: AsyncSession, community_id: int, kind: str, since: datetime
) -> int:
    """Return how many concerns or good practices (kind) were captured since a moment."""
    total = await session.scalar(
        select(func.count())
        .select_from(CaptureItem)
        .where(
            *_visible(community_id),
            CaptureItem.kind == Kind(kind).value,
            CaptureItem.created_at >= since,
        )
    )
    return int(total or 0)


# ---------------------------------------------------------------------------- votes


async def toggle_vote(session: AsyncSession, item: CaptureItem, person_id: int, press: str) -> bool:
    """Turn a member's vote on or off for one button press; return whether they now vote.

    press identifies the press (Telegram's callback query id): the same press seen twice
    changes nothing the second time.
    """
    vote = await session.get(CaptureVote, (item.id, person_id))
    if vote is None:
        vote = CaptureVote(item_id=item.id, person_id=person_id, active=True, last_press=press)
        session.add(vote)
    elif vote.last_press == press:
        return vote.active
    else:
        vote.active = not vote.active
        vote.last_press = press
    vote.updated_at = utcnow()
    await session.flush()
    count = (
        select(func.count())
        .select_from(CaptureVote)
        .where(CaptureVote.item_id == item.id, CaptureVote.active.is_(True))
        .scalar_subquery()
    )
    await session.execute(update(CaptureItem).where(CaptureItem.id == item.id).values(votes=count))
    await session.refresh(item, ["votes"])
    return vote.active


async def has_voted(session: AsyncSession, item_id: int, person_id: int) -> bool:
    """Return whether a member currently votes for a concern."""
    vote = await session.get(CaptureVote, (item_id, person_id))
    return vote is not None and vote.active


# ---------------------------------------------------------------------------- follow-up


async def set_status(
    session: AsyncSession, item: CaptureItem, status: Status, now: datetime
) -> bool:
    """Move a concern to a status; return whether it changed."""
    if item.status == status.value:
        return False
    item.status = status.value
    item.updated_at = now
    await session.flush()
    return True


async def set_note(session: AsyncSession, item: CaptureItem, note: str, now: datetime) -> None:
    """Record the agreed solution plan of a concern (the item may come from another session)."""
    await session.execute(
        update(CaptureItem)
        .where(CaptureItem.id == item.id)
        .values(
            note=note,
            search_terms=community_terms(item.community_id, item.text, note),
            updated_at=now,
        )
    )
    item.note = note


async def set_hidden(session: AsyncSession, item: CaptureItem, hidden: bool, now: datetime) -> None:
    """Hide an off-topic item from lists and search (or show it again)."""
    item.hidden = hidden
    item.updated_at = now
    await session.flush()


async def set_link(
    session: AsyncSession, concern: CaptureItem, practice_id: int, linked: bool
) -> bool:
    """Link a good practice of the same community to a concern (or unlink it).

    Return False when there is no such practice in the concern's community.
    """
    practice = await session.scalar(
        select(CaptureItem.id).where(
            CaptureItem.id == practice_id,
            CaptureItem.community_id == concern.community_id,
            CaptureItem.kind == Kind.PRACTICE.value,
        )
    )
    if practice is None:
        return False
    current = await session.get(CaptureLink, (concern.id, practice_id))
    if linked and current is None:
        session.add(CaptureLink(concern_id=concern.id, practice_id=practice_id))
    elif not linked and current is not None:
        await session.execute(
            delete(CaptureLink).where(
                CaptureLink.concern_id == concern.id, CaptureLink.practice_id == practice_id
            )
        )
    await session.flush()
    return True


async def linked_items(session: AsyncSession, item: CaptureItem) -> list[CaptureItem]:
    """Return the practices linked to a concern, or the concerns a practice addresses."""
    if item.kind == Kind.CONCERN.value:
        ids = select(CaptureLink.practice_id).where(CaptureLink.concern_id == item.id)
    else:
        ids = select(CaptureLink.concern_id).where(CaptureLink.practice_id == item.id)
    rows = await session.scalars(
        select(CaptureItem)
        .where(CaptureItem.id.in_(ids), *_visible(item.community_id))
        .order_by(CaptureItem.created_at, CaptureItem.id)
    )
    return list(rows)


async def linked_ids(session: AsyncSession, concern_id: int) -> set[int]:
    """Return the ids of the practices linked to a concern."""
    rows = await session.scalars(
        select(CaptureLink.practice_id).where(CaptureLink.concern_id == concern_id)
    )
    return set(rows)


# ---------------------------------------------------------------------------- search

MAX_TERMS = 8
MAX_TERM = 40
_WORD = re.compile(r"[^\W_]+")


def search_terms(words: str) -> list[str]:
    """Return the searchable words of what a user typed: letters and digits only, lower case.

    Everything else (quotes, '*', '(', '-', ':', emoji ...) is a separator, so no input can reach
    the search engine's own query syntax; AND/OR/NOT become ordinary words.
    """
    terms: list[str] = []
    for word in _WORD.findall(words.lower()):
        term = word[:MAX_TERM]
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def community_terms(community_id: int, *texts: str | None) -> str:
    """Return the words of texts as the community's own index tokens (see search_terms)."""
    folded = unicodedata.normalize("NFKD", " ".join(t for t in texts if t)).lower()
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(f"k{int(community_id)}x{word}" for word in re.findall(r"[^\W_]+", plain))


def _fts5_query(community_id: int, terms: list[str], operator: str) -> str:
    # Each term quoted (it holds no quote), with the community's prefix, as a prefix itself.
    return f" {operator} ".join(f'"k{int(community_id)}x{term}"*' for term in terms)


def _tsquery(community_id: int, terms: list[str], operator: str) -> str:
    words = f" {operator} ".join(f"{term}:*A" for term in terms)
    return f"k{int(community_id)}:D & ({words})"


async def search(
    session: AsyncSession, community_id: int, words: str, limit: int = 10
) -> list[CaptureItem]:
    """Return the community's items matching every word (else any word), newest first.

    Words match as prefixes ("liter" finds "literasi"), in the item's text and its solution plan.
    """
    terms = search_terms(words)
    if not terms:
        return []
    for all_words in (True, False) if len(terms) > 1 else (True,):
        items = await _search(session, community_id, terms, all_words, limit)
        if items:
            return items
    return []


async def _search(
    session: AsyncSession, community_id: int, terms: list[str], all_words: bool, limit: int
) -> list[CaptureItem]:
    # Newest matches first: the index finds the community's matches already in id order and
    # stops after the first few, where ranking would score every match (slow for common words in
    # a large community) and rank short texts by little more than their length.
    candidates = limit * 4  # room for hidden items, filtered afterwards
    if session.get_bind().dialect.name == "postgresql":
        query = _tsquery(community_id, terms, "&" if all_words else "|")
        hits = (
            select(CaptureItem.id)
            .where(
                sa.text(f"{PG_DOCUMENT} @@ to_tsquery('simple', :query)").bindparams(query=query)
            )
            .order_by(CaptureItem.id.desc())
            .limit(candidates)
            .subquery()
        )
        hit_id = hits.c.id
    else:
        fts = sa.table(FTS_TABLE, sa.column("rowid"))
        query = _fts5_query(community_id, terms, "AND" if all_words else "OR")
        hits = (
            select(fts.c.rowid.label("id"))
            .where(sa.text(f"{FTS_TABLE} MATCH :query").bindparams(query=query))
            .order_by(fts.c.rowid.desc())
            .limit(candidates)
            .subquery()
        )
        hit_id = hits.c.id
    statement = (
        select(CaptureItem)
        .join(hits, hit_id == CaptureItem.id)
        .where(*_visible(community_id))
        .order_by(CaptureItem.id.desc())
        .limit(limit)
    )
    rows = await session.scalars(_with_details(statement))
    return list(rows)
