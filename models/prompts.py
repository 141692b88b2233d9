"""Pending questions: kopi asked someone in a chat for a text, and waits for the answer.

One row per (chat, speaker): a new question replaces an older one. The row says what the answer
is for (``kind``, with an optional ``target_id`` and ``payload``), which message asked it, and
until when an answer is taken. It is consumed (deleted) in the same transaction that saves what
it asked for, so a repeated delivery of the answer saves nothing twice, and a restart loses no
question.

speaker_id is the person's Telegram id, or the group's own id for an anonymous admin (who writes
as the group), hence no foreign key to people.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Prompt(Base):
    """A question kopi asked a speaker in a chat; their answer there is taken for it."""

    __tablename__ = "prompts"
    __table_args__ = (UniqueConstraint("chat_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    speaker_id: Mapped[int] = mapped_column(BigInteger, index=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(Integer, default=None)
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    prompt_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


async def put_prompt(
    session: AsyncSession,
    chat_id: int,
    speaker_id: int,
    kind: str,
    now: datetime,
    expires_at: datetime,
    *,
    community_id: int | None = None,
    target_id: int | None = None,
    payload: str | None = None,
    prompt_message_id: int | None = None,
) -> Prompt:
    """Remember what a speaker's next answer in a chat is for (replacing an earlier question)."""
    await drop_prompt(session, chat_id, speaker_id)
    prompt = Prompt(
        chat_id=chat_id,
        speaker_id=speaker_id,
        community_id=community_id,
        kind=kind,
        target_id=target_id,
        payload=payload,
        prompt_message_id=prompt_message_id,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(prompt)
    await session.flush()
    return prompt


async def get_prompt(
    session: AsyncSession, chat_id: int, speaker_id: int, now: datetime
) -> Prompt | None:
    """Return the unexpired question a speaker in a chat was asked, if any."""
    return await session.scalar(
        select(Prompt).where(
            Prompt.chat_id == chat_id, Prompt.speaker_id == speaker_id, Prompt.expires_at > now
        )
    )


async def open_prompts(session: AsyncSession, now: datetime) -> list[Prompt]:
    """Return every question still waiting for its answer."""
    return list(await session.scalars(select(Prompt).where(Prompt.expires_at > now)))


async def take_prompt(session: AsyncSession, prompt_id: int) -> bool:
    """Consume a question; False if it was taken already (a repeated delivery)."""
    result = await session.execute(delete(Prompt).where(Prompt.id == prompt_id))
    return bool(getattr(result, "rowcount", 0))


async def drop_prompt(session: AsyncSession, chat_id: int, speaker_id: int) -> bool:
    """Forget a speaker's question in a chat; return whether there was one."""
    result = await session.execute(
        delete(Prompt).where(Prompt.chat_id == chat_id, Prompt.speaker_id == speaker_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def drop_expired(session: AsyncSession, now: datetime) -> int:
    """Delete questions nobody answered in time; return how many."""
    result = await session.execute(delete(Prompt).where(Prompt.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
