"""Reflections on the 4F model (Facts, Feelings, Findings, Future), their drafts and voice notes.

Privacy is decided here, not in the handlers:

- A reflection's content is read through functions scoped to its author (``get_own``,
  ``reflections_of``) or through ``shared_reflections``, which returns only shared reflections
  and never the author of an anonymous one. Other features (exports, digests, search) must use
  ``shared_reflections`` or the counts, never the table directly.
- An anonymous reflection keeps ``author_id`` so that its author can list, edit and delete it;
  the link leaves this module only through the author-scoped functions.

The writing flow is driven from the database: a draft is a reflection with status ``draft`` and
its current ``step``, committed with each answer. Each step is a question of the conversation
core (``models.prompts``, kind STEP_PROMPT, target the draft; an edit is EDIT_PROMPT, payload the
part): the prompt row says that the person's next private message answers the draft, and a
restart loses neither. A person's :class:`ReflectionInput` keeps what the prompt row does not: the
part last answered (so that the rest of a message the app split joins it), the last message
taken (a redelivery answers nothing twice), when they were last active (silence) and a message
set aside after a silence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from models.base import Base, UTCDateTime
from models.community import Community, Membership, Person
from models.meetings import Meeting, get_schedule
from models.prompts import Prompt

PARTS = ("facts", "feelings", "findings", "future")
BODY = "body"  # the free text of a #refleksi message from the group
CHOOSE = "choose"  # a draft's last step: private, shared with the name, or anonymous
# A draft's first step when its community has held meetings: which meeting it is about. The
# latest held meeting is already set as the default, so a teacher who simply starts writing
# answers the first question about it.
MEETING = "meeting"
RECENT_MEETINGS = 4  # the held meetings offered
HELD = "scheduled"  # a meeting's status when it was (or is being) held

# The Telegram app sends a text over 4096 characters as several messages, all but the last close
# to that limit, within about a second of each other. A message continues the previous answer
# only if that one was this long and this recent: a quick short reply is an answer of its own.
MERGE_WINDOW = timedelta(seconds=5)
SPLIT_LENGTH = 3500  # UTF-16 code units, as Telegram counts
IDLE_AFTER = timedelta(minutes=30)

# The conversation core's kinds of the reflection's questions (models.prompts): a draft's step
# (target_id: the draft), and a finished reflection's part being edited (payload: the part).
STEP_PROMPT = "reflect.step"
EDIT_PROMPT = "reflect.edit"
PROMPT_KINDS = (STEP_PROMPT, EDIT_PROMPT)


class Status(enum.StrEnum):
    """Where a reflection is in its life."""

    DRAFT = "draft"
    DONE = "done"


class Visibility(enum.StrEnum):
    """Who may read a reflection."""

    PRIVATE = "private"  # its author only
    NAMED = "named"  # the community, with the author's name
    ANONYMOUS = "anonymous"  # the community, without the author's name


SHARED = (Visibility.NAMED.value, Visibility.ANONYMOUS.value)


class Source(enum.StrEnum):
    """How a reflection was written."""

    GUIDED = "guided"  # the 4F questions in private chat
    GROUP = "group"  # a #refleksi message in the group


class Reflection(Base):
    """A teacher's reflection (or a draft of one) for a community."""

    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("source_chat_id", "source_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    # None: the author erased their personal data and left this shared reflection to the
    # community without a name (models/personal_data.py).
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # The meeting it is about (a held meeting of the same community), if any.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), default=None, index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT.value)
    # A draft's current step: MEETING, one of PARTS, or CHOOSE. None once done.
    step: Mapped[str | None] = mapped_column(String(16), default=None)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.PRIVATE.value)
    source: Mapped[str] = mapped_column(String(16), default=Source.GUIDED.value)
    facts: Mapped[str | None] = mapped_column(Text, default=None)
    feelings: Mapped[str | None] = mapped_column(Text, default=None)
    findings: Mapped[str | None] = mapped_column(Text, default=None)
    future: Mapped[str | None] = mapped_column(Text, default=None)
    body: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    # The group message a #refleksi reflection came from (one reflection per message).
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # What kopi posted to the group: {"chat": id, "text": [message ids], "voice": [[file, id]]}.
    post: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    voices: Mapped[list[ReflectionVoice]] = relationship(
        lazy="raise", order_by="ReflectionVoice.id", passive_deletes=True
    )

    def text_of(self, part: str) -> str | None:
        """Return the text of one part (a 4F part or the body)."""
        value: str | None = getattr(self, part)
        return value

    def voices_of(self, part: str) -> list[ReflectionVoice]:
        """Return the voice notes of one part (voices must have been loaded)."""
        return [v for v in self.voices if v.part == part]

    def parts(self) -> tuple[str, ...]:
        """Return the parts this reflection is written in."""
        return (BODY,) if self.source == Source.GROUP.value else PARTS

    def is_empty(self) -> bool:
        """Return whether nothing has been written or recorded (voices must have been loaded)."""
        return not self.voices and not any((self.text_of(p) or "").strip() for p in (*PARTS, BODY))


class ReflectionVoice(Base):
    """A voice note answering one part of a reflection, kept by Telegram file id."""

    __tablename__ = "reflection_voices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(255))
    duration: Mapped[int] = mapped_column(Integer, default=0)


class ReflectionInput(Base):
    """A person's writing state that the conversation core's prompt row does not carry.

    Whether a message answers a reflection, and which, is the prompt row's (STEP_PROMPT,
    EDIT_PROMPT); ``awaiting`` and ``paused`` said so before and are no longer written (the
    columns stay until a migration drops them).
    """

    __tablename__ = "reflection_inputs"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    reflection_id: Mapped[int] = mapped_column(
        ForeignKey("reflections.id", ondelete="CASCADE"), index=True
    )
    # Unused since the prompt row says what is awaited (was: the part, MEETING, CHOOSE or None).
    awaiting: Mapped[str | None] = mapped_column(String(16), default=None)
    active_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Unused since a pause closes the prompt (was: their messages are not answers now).
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The part last answered and when, so that the rest of a split message joins it.
    last_part: Mapped[str | None] = mapped_column(String(16), default=None)
    last_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    idle_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The last private message taken: a redelivered update must not answer the next question.
    last_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # A message written after a long silence, kept until the person says where it belongs.
    held_text: Mapped[str | None] = mapped_column(Text, default=None)
    held_voice: Mapped[str | None] = mapped_column(String(255), default=None)
    held_duration: Mapped[int | None] = mapped_column(Integer, default=None)


@dataclass(frozen=True)
class Voice:
    """A voice note as Telegram describes it."""

    file_id: str
    duration: int = 0


@dataclass(frozen=True)
class Answer:
    """What happened to a private message taken as an answer."""

    reflection: Reflection
    part: str
    appended: bool  # it continued the previous answer (a split message): ask nothing new


@dataclass(frozen=True)
class Again:
    """A message already taken (Telegram delivered it twice): ask the current question again."""

    reflection: Reflection


@dataclass(frozen=True)
class Choosing:
    """A message while a finished draft waits for its sharing choice: point at the buttons."""

    reflection: Reflection


@dataclass(frozen=True)
class Held:
    """A message written after a long silence: the person is asked where it belongs."""

    reflection: Reflection
    part: str


@dataclass(frozen=True)
class Spent:
    """A message after an edit was taken whole: it is not for the reflection."""


@dataclass(frozen=True)
class Listed:
    """A reflection in its author's list, with its community."""

    reflection: Reflection
    community_title: str
    timezone: str


@dataclass(frozen=True)
class SharedReflection:
    """A shared reflection as a community may see it: no author when anonymous."""

    id: int
    community_id: int
    meeting_id: int | None
    author_name: str | None
    facts: str | None
    feelings: str | None
    findings: str | None
    future: str | None
    body: str | None
    shared_at: datetime | None


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting a reflection may be about."""

    id: int
    starts_at: datetime


@dataclass(frozen=True)
class Where:
    """What a reflection belongs to: its community, the meeting it is about, where the
    community's meetings are announced (a forum topic), and the meetings it may be about."""

    community_title: str
    timezone: str
    meeting_at: datetime | None = None
    thread_id: int | None = None
    meetings: tuple[HeldMeeting, ...] = ()


# ---------------------------------------------------------------------------- reading


async def get_own(session: AsyncSession, reflection_id: int, author_id: int) -> Reflection | None:
    """Return a reflection (voices loaded) if this person wrote it, else None."""
    return await session.scalar(
        select(Reflection)
        .where(Reflection.id == reflection_id, Reflection.author_id == author_id)
        .options(selectinload(Reflection.voices))
    )


async def drafts_of(session: AsyncSession, author_id: int) -> list[Reflection]:
    """Return a person's drafts, the most recently changed first."""
    rows = await session.scalars(
        select(Reflection)
        .where(Reflection.author_id == author_id, Reflection.status == Status.DRAFT.value)
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
        .options(selectinload(Reflection.voices))
    )
    return list(rows)


async def reflections_of(
    session: AsyncSession, author_id: int, *, offset: int = 0, limit: int = 5
) -> tuple[list[Listed], int]:
    """Return a page of a person's reflections and drafts (newest first) and how many there are."""
    total = await session.scalar(
        select(func.count()).select_from(Reflection).where(Reflection.author_id == author_id)
    )
    rows = await session.execute(
        select(Reflection, Community.title, Community.timezone)
        .join(Community, Community.id == Reflection.community_id)
        .where(Reflection.author_id == author_id)
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        .offset(offset)
        .limit(limit)
        .options(selectinload(Reflection.voices))
    )
    return [Listed(r, title, tz) for r, title, tz in rows], int(total or 0)


async def shared_reflections(
    session: AsyncSession, community_id: int, *, since: datetime | None = None
) -> list[SharedReflection]:
    """Return a community's shared reflections, oldest first; anonymous ones have no author."""
    query = (
        select(Reflection, Person)
        .outerjoin(Person, Person.id == Reflection.author_id)  # no author: erased, anonymous
        .where(
            Reflection.community_id == community_id,
            Reflection.status == Status.DONE.value,
            Reflection.visibility.in_(SHARED),
        )
        .order_by(Reflection.shared_at, Reflection.id)
    )
    if since is not None:
        query = query.where(Reflection.shared_at >= since)
    rows = await session.execute(query)
    return [
        SharedReflection(
            id=r.id,
            community_id=r.community_id,
            meeting_id=r.meeting_id,
            author_name=(
                person.full_name
                if person is not None and r.visibility == Visibility.NAMED.value
                else None
            ),
            facts=r.facts,
            feelings=r.feelings,
            findings=r.findings,
            future=r.future,
            body=r.body,
            shared_at=r.shared_at,
        )
        for r, person in rows
    ]


async def count_shared_reflections_since(
    session: AsyncSession, community_id: int, since: datetime
) -> int:
    """Return how many reflections were shared with a community since a moment."""
    count = await session.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(
            Reflection.community_id == community_id,
            Reflection.status == Status.DONE.value,
            Reflection.visibility.in_(SHARED),
            Reflection.shared_at >= since,
        )
    )
    return int(count or 0)


async def count_reflections_for_meeting(session: AsyncSession, meeting_id: int) -> int:
    """Return how many finished reflections are about a meeting, whatever their visibility."""
    count = await session.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(Reflection.meeting_id == meeting_id, Reflection.status == Status.DONE.value)
    )
    return int(count or 0)


async def held_meetings(
    session: AsyncSession, community_id: int, now: datetime, limit: int = RECENT_MEETINGS
) -> list[HeldMeeting]:
    """Return a community's most recent meetings that have been held, the latest first."""
    rows = await session.execute(
        select(Meeting.id, Meeting.starts_at)
        .where(
            Meeting.community_id == community_id,
            Meeting.starts_at <= now,
            Meeting.status == HELD,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    return [HeldMeeting(meeting_id, starts_at) for meeting_id, starts_at in rows]


async def held_meeting(
    session: AsyncSession, meeting_id: int, community_id: int, now: datetime
) -> HeldMeeting | None:
    """Return the meeting if it is a held meeting of this community; None for any other id
    (another community's meeting, one not held, a forged number)."""
    row = (
        await session.execute(
            select(Meeting.id, Meeting.starts_at).where(
                Meeting.id == meeting_id,
                Meeting.community_id == community_id,
                Meeting.starts_at <= now,
                Meeting.status == HELD,
            )
        )
    ).first()
    return HeldMeeting(row[0], row[1]) if row is not None else None


async def where_of(
    session: AsyncSession, reflection: Reflection, now: datetime, *, choices: bool = False
) -> Where:
    """Return what a reflection belongs to; with choices, the meetings a draft at its meeting
    step or first question may be about (the steps that show or go back to that choice).

    The meetings' forum topic is read only for a shared reflection (the one that is posted).
    """
    community = await session.get(Community, reflection.community_id)
    meeting = await session.get(Meeting, reflection.meeting_id) if reflection.meeting_id else None
    schedule = (
        await get_schedule(session, reflection.community_id)
        if reflection.visibility in SHARED
        else None
    )
    meetings = (
        await held_meetings(session, reflection.community_id, now)
        if choices and reflection.step in (MEETING, PARTS[0])
        else []
    )
    return Where(
        community_title=community.title if community is not None else "?",
        timezone=community.timezone if community is not None else "Asia/Jakarta",
        meeting_at=meeting.starts_at if meeting is not None else None,
        thread_id=schedule.thread_id if schedule is not None else None,
        meetings=tuple(meetings),
    )


async def is_member(session: AsyncSession, community_id: int, person_id: int) -> bool:
    """Return whether a person is a known member of an active community."""
    found = await session.scalar(
        select(Membership.id)
        .join(Community, Community.id == Membership.community_id)
        .where(
            Membership.community_id == community_id,
            Membership.person_id == person_id,
            Community.active.is_(True),
        )
    )
    return found is not None


# ---------------------------------------------------------------------------- writing


async def new_draft(
    session: AsyncSession,
    *,
    author_id: int,
    community_id: int,
    meeting_id: int | None,
    now: datetime,
    ask_meeting: bool = False,
) -> Reflection:
    """Start a guided reflection and make it the person's input: at its first question, or
    (ask_meeting) at the choice of the meeting, with meeting_id as the default."""
    step = MEETING if ask_meeting else PARTS[0]
    draft = Reflection(
        community_id=community_id,
        author_id=author_id,
        meeting_id=meeting_id,
        status=Status.DRAFT.value,
        step=step,
        visibility=Visibility.PRIVATE.value,
        source=Source.GUIDED.value,
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    await session.flush()
    await focus(session, author_id, draft, now)
    return await _reload(session, draft)


async def choose_meeting(
    session: AsyncSession,
    person_id: int,
    draft: Reflection,
    meeting: HeldMeeting | None,
    now: datetime,
) -> Reflection:
    """Set the meeting a draft is about (None: not about a meeting); from the meeting step, go
    on to the first question. The caller checked that the meeting is one of the community's."""
    draft.meeting_id = meeting.id if meeting is not None else None
    draft.updated_at = now
    if draft.step == MEETING:
        return await go_to(session, person_id, draft, PARTS[0], now)
    return await _reload(session, draft)


async def _reload(session: AsyncSession, reflection: Reflection) -> Reflection:
    """Return the reflection with its voices read again (they may have changed)."""
    await session.flush()
    loaded = await session.scalar(
        select(Reflection)
        .where(Reflection.id == reflection.id)
        .options(selectinload(Reflection.voices))
        .execution_options(populate_existing=True)
    )
    assert loaded is not None
    return loaded


async def focus(
    session: AsyncSession, person_id: int, reflection: Reflection, now: datetime
) -> ReflectionInput:
    """Start afresh on a reflection (a step asked, an edit begun): active now, nothing pending."""
    state = await session.get(ReflectionInput, person_id)
    if state is None:
        state = ReflectionInput(person_id=person_id, reflection_id=reflection.id, active_at=now)
        session.add(state)
    state.reflection_id = reflection.id
    state.awaiting = None
    state.active_at = now
    state.paused = False
    state.last_part = None
    state.last_answer_at = None
    state.idle_notified_at = None
    state.held_text = state.held_voice = None
    state.held_duration = None
    await session.flush()
    return state


async def close(session: AsyncSession, person_id: int, reflection_id: int | None = None) -> bool:
    """Close the reflection's question to a person (of one reflection, or any); return whether
    there was one. The draft stays where it is; nothing continues a message any more."""
    query = delete(Prompt).where(
        Prompt.chat_id == person_id, Prompt.speaker_id == person_id, Prompt.kind.in_(PROMPT_KINDS)
    )
    if reflection_id is not None:
        query = query.where(Prompt.target_id == reflection_id)
    result = await session.execute(query)
    state = await session.get(ReflectionInput, person_id)
    if state is not None:
        state.last_part = state.last_answer_at = None
    return bool(getattr(result, "rowcount", 0))


async def take_answer(
    session: AsyncSession,
    person_id: int,
    reflection_id: int,
    *,
    part: str | None = None,
    text: str | None,
    voice: Voice | None,
    now: datetime,
    message_id: int | None = None,
) -> Answer | Held | Again | Choosing | Spent | None:
    """Take a private message as the answer to a reflection's question.

    part None: the draft's current step; a part: the new text of a finished reflection's part.
    Within MERGE_WINDOW of a previous answer of SPLIT_LENGTH or more the message continues it
    (the app split a long message). After IDLE_AFTER without activity the message is held and
    the person asked where it belongs. A message already taken (a redelivered update) changes
    nothing and returns Again; one written while a finished draft waits for its sharing choice
    returns Choosing; one after an edit was taken whole returns Spent. Returns None when the
    reflection is gone or no longer at that stage, or when a sharing choice was left for longer
    than IDLE_AFTER: the message is not for reflections.
    """
    reflection = await get_own(session, reflection_id, person_id)
    editing = part is not None
    wanted = Status.DONE.value if editing else Status.DRAFT.value
    if reflection is None or reflection.status != wanted:
        return None
    state = await session.get(ReflectionInput, person_id)
    if state is None or state.reflection_id != reflection.id:
        state = await focus(session, person_id, reflection, now)
    if (
        message_id is not None
        and state.last_message_id is not None
        and message_id <= state.last_message_id
    ):
        return Again(reflection)
    if message_id is not None:
        state.last_message_id = message_id
    if not editing and reflection.step == MEETING:
        # Writing instead of choosing keeps the default meeting: the message answers Facts.
        reflection.step = PARTS[0]
    if (
        state.last_part is not None
        and state.last_answer_at is not None
        and now - state.last_answer_at <= MERGE_WINDOW
    ):
        continued = state.last_part
        await _write(session, reflection, continued, text, voice, append=True)
        reflection.updated_at = state.last_answer_at = state.active_at = now
        state.last_part = continued if may_continue(text) else None
        await session.flush()
        return Answer(await _reload(session, reflection), continued, appended=True)
    if editing and state.last_answer_at is not None:
        return Spent()  # the edit was answered (a long answer keeps its question a moment)
    step = part or reflection.step or PARTS[0]
    if step == CHOOSE:
        return None if now - state.active_at > IDLE_AFTER else Choosing(reflection)
    if now - state.active_at > IDLE_AFTER:
        state.held_text = text
        state.held_voice = voice.file_id if voice else None
        state.held_duration = voice.duration if voice else None
        await session.flush()
        return Held(reflection, step)
    return await _answer(session, state, reflection, step, text, voice, now)


async def take_held(
    session: AsyncSession, person_id: int, reflection_id: int, part: str | None, now: datetime
) -> Answer | None:
    """Take the message held after a silence as the answer it was offered for (part None: the
    draft's current step)."""
    state = await session.get(ReflectionInput, person_id)
    if state is None or state.reflection_id != reflection_id:
        return None
    if state.held_text is None and state.held_voice is None:
        return None
    reflection = await get_own(session, reflection_id, person_id)
    wanted = Status.DONE.value if part is not None else Status.DRAFT.value
    if reflection is None or reflection.status != wanted:
        return None
    step = part or reflection.step or PARTS[0]
    if step == MEETING:
        step = reflection.step = PARTS[0]
    if step == CHOOSE:
        return None
    voice = Voice(state.held_voice, state.held_duration or 0) if state.held_voice else None
    text = state.held_text
    state.held_text = state.held_voice = None
    state.held_duration = None
    return await _answer(session, state, reflection, step, text, voice, now)


async def drop_held(session: AsyncSession, person_id: int) -> None:
    """Forget a held message and close the question: the person meant it for something else."""
    state = await session.get(ReflectionInput, person_id)
    if state is not None:
        state.held_text = state.held_voice = None
        state.held_duration = None
    await close(session, person_id)


async def _answer(
    session: AsyncSession,
    state: ReflectionInput,
    reflection: Reflection,
    part: str,
    text: str | None,
    voice: Voice | None,
    now: datetime,
) -> Answer:
    await _write(session, reflection, part, text, voice, append=False)
    if reflection.status == Status.DRAFT.value:
        reflection.step = next_step(part)
    reflection.updated_at = now
    state.last_part = part if may_continue(text) else None
    state.last_answer_at = state.active_at = now
    state.idle_notified_at = None
    await session.flush()
    return Answer(await _reload(session, reflection), part, appended=False)


async def _write(
    session: AsyncSession,
    reflection: Reflection,
    part: str,
    text: str | None,
    voice: Voice | None,
    *,
    append: bool,
) -> None:
    """Write a message into a part: replace the part's answer, or continue it."""
    if part not in (*PARTS, BODY):
        raise ValueError(f"not a part of a reflection: {part!r}")
    old = reflection.text_of(part)
    if append:
        if text:
            setattr(reflection, part, f"{old}\n{text}" if old else text)
    else:
        setattr(reflection, part, text or None)
        await session.execute(
            delete(ReflectionVoice).where(
                ReflectionVoice.reflection_id == reflection.id, ReflectionVoice.part == part
            )
        )
    if voice is not None:
        session.add(
            ReflectionVoice(
                reflection_id=reflection.id,
                part=part,
                file_id=voice.file_id,
                duration=voice.duration,
            )
        )


def may_continue(text: str | None) -> bool:
    """Return whether a message is long enough to be the first part of a split message."""
    return text is not None and len(text.encode("utf-16-le")) // 2 >= SPLIT_LENGTH


def next_step(step: str) -> str:
    """Return the step after this one (the sharing choice after the last part)."""
    if step == CHOOSE:
        return CHOOSE
    if step == MEETING:
        return PARTS[0]
    index = PARTS.index(step)
    return PARTS[index + 1] if index + 1 < len(PARTS) else CHOOSE


def previous_step(step: str) -> str:
    """Return the step before this one (the first part stays the first)."""
    if step == CHOOSE:
        return PARTS[-1]
    if step == MEETING:
        return MEETING
    return PARTS[max(PARTS.index(step) - 1, 0)]


async def go_to(
    session: AsyncSession, person_id: int, draft: Reflection, step: str, now: datetime
) -> Reflection:
    """Move a draft to a step (back, skip, resume); the person starts afresh on it."""
    draft.step = step
    draft.updated_at = now
    await focus(session, person_id, draft, now)
    return await _reload(session, draft)


async def finish(
    session: AsyncSession, draft: Reflection, visibility: Visibility, now: datetime
) -> Reflection:
    """Save a draft as a reflection with the chosen visibility; its question and its author's
    writing state go."""
    draft.status = Status.DONE.value
    draft.step = None
    draft.completed_at = now
    set_visibility(draft, visibility, now)
    if draft.author_id is not None:
        await close(session, draft.author_id, draft.id)
    await session.execute(
        delete(ReflectionInput).where(
            ReflectionInput.person_id == draft.author_id,
            ReflectionInput.reflection_id == draft.id,
        )
    )
    return await _reload(session, draft)


def set_visibility(reflection: Reflection, visibility: Visibility, now: datetime) -> None:
    """Change who may read a reflection; shared_at says since when the community may."""
    was_shared = reflection.visibility in SHARED
    reflection.visibility = visibility.value
    reflection.updated_at = now
    if visibility.value in SHARED:
        if not was_shared:
            reflection.shared_at = now
    else:
        reflection.shared_at = None


async def delete_own(session: AsyncSession, reflection_id: int, author_id: int) -> bool:
    """Delete a reflection or draft of this author (its voices, question and input go with it)."""
    await session.execute(
        delete(Prompt).where(
            Prompt.chat_id == author_id,
            Prompt.kind.in_(PROMPT_KINDS),
            Prompt.target_id == reflection_id,
        )
    )
    await session.execute(
        delete(ReflectionInput).where(ReflectionInput.reflection_id == reflection_id)
    )
    await session.execute(
        delete(ReflectionVoice).where(ReflectionVoice.reflection_id == reflection_id)
    )
    result = await session.execute(
        delete(Reflection).where(Reflection.id == reflection_id, Reflection.author_id == author_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def save_group_reflection(
    session: AsyncSession,
    *,
    community_id: int,
    author_id: int,
    chat_id: int,
    message_id: int,
    body: str | None,
    voice: Voice | None,
    now: datetime,
) -> tuple[Reflection, bool]:
    """Keep a #refleksi message as a reflection shared with its author's name.

    One reflection per message: the same message again (a replay, or an edit) updates the text
    and returns created=False.
    """
    existing = await session.scalar(
        select(Reflection)
        .where(Reflection.source_chat_id == chat_id, Reflection.source_message_id == message_id)
        .options(selectinload(Reflection.voices))
    )
    if existing is not None:
        if body is not None and body != existing.body:
            existing.body = body
            existing.updated_at = now
        return existing, False
    reflection = Reflection(
        community_id=community_id,
        author_id=author_id,
        status=Status.DONE.value,
        visibility=Visibility.NAMED.value,
        source=Source.GROUP.value,
        body=body,
        created_at=now,
        updated_at=now,
        completed_at=now,
        shared_at=now,
        source_chat_id=chat_id,
        source_message_id=message_id,
    )
    session.add(reflection)
    await session.flush()
    if voice is not None:
        session.add(
            ReflectionVoice(
                reflection_id=reflection.id,
                part=BODY,
                file_id=voice.file_id,
                duration=voice.duration,
            )
        )
    return await _reload(session, reflection), True


@dataclass(frozen=True)
class IdleDraft:
    """A draft whose author has been silent for IDLE_AFTER."""

    reflection: Reflection
    community_title: str
    person: Person


async def idle_drafts(session: AsyncSession, now: datetime) -> list[IdleDraft]:
    """Return the drafts silent for IDLE_AFTER whose authors were not told yet; mark them told.

    Only a draft whose question is open (not paused, not closed by another feature) counts."""
    rows = await session.execute(
        select(ReflectionInput, Reflection, Community.title, Person)
        .join(Reflection, Reflection.id == ReflectionInput.reflection_id)
        .join(Community, Community.id == Reflection.community_id)
        .join(Person, Person.id == ReflectionInput.person_id)
        .join(
            Prompt,
            (Prompt.chat_id == ReflectionInput.person_id)
            & (Prompt.speaker_id == ReflectionInput.person_id)
            & (Prompt.kind == STEP_PROMPT)
            & (Prompt.target_id == Reflection.id),
        )
        .where(
            ReflectionInput.idle_notified_at.is_(None),
            Prompt.expires_at > now,
            ReflectionInput.active_at <= now - IDLE_AFTER,
            Reflection.status == Status.DRAFT.value,
        )
        .order_by(ReflectionInput.active_at)
    )
    found = []
    for state, reflection, title, person in rows:
        state.idle_notified_at = now
        found.append(IdleDraft(reflection, title, person))
    await session.flush()
    return found


async def set_post(reflection: Reflection, post: dict[str, Any] | None) -> None:
    """Remember what kopi posted to the group for a shared reflection."""
    reflection.post = post
