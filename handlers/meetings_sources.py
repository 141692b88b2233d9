"""What meetings read from other features: the problem map and the reflections.

The agenda comes from the problem map (``models.capture``) and the digest counts captures and
reflections (``models.capture``, ``models.reflections``); those modules belong to other features,
so they are imported where they are used and reached only through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class AgendaItem:
    """An open concern proposed for the agenda."""

    id: int
    text: str


async def top_concerns(session: AsyncSession, community_id: int, limit: int) -> list[AgendaItem]:
    """Return the open concerns with the most "saya juga" votes."""
    from models.capture import top_open_concerns

    items = await top_open_concerns(session, community_id, limit)
    return [AgendaItem(item.id, item.text) for item in items]


async def count_captures(
    session: AsyncSession, community_id: int, kind: str, since: datetime
) -> int:
    """Return how many concerns or good practices were captured since a moment."""
    from models.capture import count_items_since

    return await count_items_since(session, community_id, kind, since)


async def count_reflections(session: AsyncSession, community_id: int, since: datetime) -> int:
    """Return how many reflections were shared with the community since a moment."""
    from models.reflections import count_shared_reflections_since

    return await count_shared_reflections_since(session, community_id, since)


async def count_meeting_reflections(session: AsyncSession, meeting_id: int) -> int:
    """Return how many finished reflections are about a meeting (a count: no content, no names)."""
    from models.reflections import count_reflections_for_meeting

    return await count_reflections_for_meeting(session, meeting_id)
