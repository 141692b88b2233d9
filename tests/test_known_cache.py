"""What kopi caches of communities, people and memberships is cleared by the commit that changes
it, whichever function writes it (models.db.watch), and kept when the change is rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from handlers.context import KnownPerson
from models.community import Community, Membership, Person, get_community, set_community_language


async def test_a_committed_change_clears_the_cache_and_a_rolled_back_one_keeps_it(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo semua"))
    known = kopi.services.known
    assert known.community(joined["id"]) is not None
    assert isinstance(known.people[sari["id"]], KnownPerson)
    db = kopi.services.db

    with pytest.raises(RuntimeError):
        async with db.begin() as session:
            await set_community_language(session, joined["id"], "en")
            raise RuntimeError("a crash before the commit")
    assert known.community(joined["id"]) is not None  # nothing changed

    async with db.begin() as session:
        await set_community_language(session, joined["id"], "en")
    assert known.community(joined["id"]) is None
    # The next message in the group reads the new language from the database.
    await kopi.process(fake.message(sari, joined, "/bantuan"))
    assert known.community(joined["id"]) is not None
    assert known.community(joined["id"]).language == "en"  # type: ignore[union-attr]


async def test_orm_changes_and_bulk_statements_name_the_rows_they_change(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> None:
    for user in (budi, sari):
        await kopi.process(fake.message(user, joined, "Halo"))
    known = kopi.services.known
    db = kopi.services.db
    assert {budi["id"], sari["id"]} <= set(known.people)

    # An ORM change to one person forgets that person only.
    async with db.begin() as session:
        person = await session.get(Person, sari["id"])
        assert person is not None
        person.language = "id"
    assert sari["id"] not in known.people and budi["id"] in known.people
    assert not any(user_id == sari["id"] for _, user_id in known.members)

    # A membership deleted by a bulk statement naming the person forgets her memberships.
    await kopi.process(fake.message(sari, joined, "Halo lagi"))
    async with db.begin() as session:
        await session.execute(delete(Membership).where(Membership.person_id == sari["id"]))
    assert not any(user_id == sari["id"] for _, user_id in known.members)
    assert any(user_id == budi["id"] for _, user_id in known.members)

    # A bulk update that does not name its rows forgets every community.
    async with db.begin() as session:
        community = await get_community(session, joined["id"])
        assert community is not None
        await session.execute(
            update(Community).where(Community.id == community.id).values(timezone="Asia/Makassar")
        )
    assert known.communities == {}
