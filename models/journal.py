"""The journal of Telegram updates already processed, so that a redelivery changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, insert_for, utcnow


class ProcessedUpdate(Base):
    """A Telegram update id that kopi has finished processing."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


async def was_processed(session: AsyncSession, update_id: int) -> bool:
    """Return whether this update was processed before."""
    found = await session.scalar(
        select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)
    )
    return found is not None


async def highest_processed(session: AsyncSession) -> int | None:
    """Return the highest update id in the journal, if any."""
    return await session.scalar(select(func.max(ProcessedUpdate.update_id)))


async def mark_processed(session: AsyncSession, update_ids: list[int]) -> None:
    """Record updates as processed (ids already recorded are ignored)."""
    if not update_ids:
        return
    now = utcnow()
    await session.execute(
        insert_for(session)(ProcessedUpdate)
        .values([{"update_id": u, "processed_at": now} for u in update_ids])
        .on_conflict_do_nothing()
    )


async def prune_journal(session: AsyncSession, *, older_than: timedelta) -> None:
    """Forget updates processed long ago; Telegram redelivers only for about a day."""
    await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < utcnow() - older_than)
    )
