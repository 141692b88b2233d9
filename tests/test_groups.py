"""kopi joining, leaving and following groups."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models.community import Community, Membership, Person


async def test_added_to_group_registers_and_greets_with_privacy_hint(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, budi: JSON, db
) -> None:
    calls = await kopi.process(fake.bot_added(group, budi))

    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1
    assert sent[0].params["chat_id"] == group["id"]
    assert "Halo, Bapak/Ibu Guru Penggerak SMPN 1" in sent[0].text
    assert "#keresahan" in sent[0].text
    assert "privacy mode" in sent[0].text  # kopi is a plain member and cannot read hashtags
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert (community.chat_id, community.title, community.active) == (
            group["id"],
            "Guru Penggerak SMPN 1",
            True,
        )
        membership = await session.scalar(select(Membership))
        assert membership is not None
        assert (membership.person_id, membership.role) == (budi["id"], "facilitator")


async def test_added_as_admin_greets_without_privacy_hint(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, budi: JSON
) -> None:
    calls = await kopi.process(fake.bot_added(group, budi, status="administrator"))
    assert "privacy mode" not in calls[-1].text
    assert "Halo" in calls[-1].text


async def test_english_adder_gets_an_english_group(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, sari: JSON
) -> None:
    calls = await kopi.process(fake.bot_added(group, sari))
    assert calls[-1].text.startswith("Hello, everyone in Guru Penggerak SMPN 1")


async def test_both_join_notices_greet_once(
    kopi: OfflineBot, fake: FakeTelegram, group: JSON, budi: JSON, db
) -> None:
    await kopi.process(fake.bot_joined_message(group, budi))
    await kopi.process(fake.bot_added(group, budi))
    assert len(fake.sent(group)) == 1
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(Community)) == 1


async def test_removed_keeps_data_and_readding_reactivates(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db
) -> None:
    await kopi.process(fake.message(sari, joined, "Selamat pagi"))
    await kopi.process(fake.bot_removed(joined, budi))
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.active is False
        assert await session.scalar(select(func.count()).select_from(Membership)) == 2

    calls = await kopi.process(fake.bot_added(joined, budi))
    assert "Senang kembali" in calls[-1].text
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.active is True
        assert await session.scalar(select(func.count()).select_from(Community)) == 1


async def test_members_are_registered_when_they_first_speak(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, sari: JSON, db
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo semua"))
    await kopi.process(fake.message(sari, joined, "Apa kabar?"))
    async with db() as session:
        person = await session.get(Person, sari["id"])
        assert person is not None and person.first_name == "Sari"
        assert person.telegram_language == "en"
        rows = (
            await session.scalars(select(Membership).where(Membership.person_id == sari["id"]))
        ).all()
        assert [m.role for m in rows] == ["member"]
    assert fake.sent(joined) == []  # ordinary chatter gets no reply


async def test_group_migration_moves_the_community(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db
) -> None:
    await kopi.process(fake.message(sari, joined, "Halo"))
    new_chat, updates = fake.migrate(joined, budi)
    for update in updates:
        await kopi.process(update)
    # A message from the new supergroup must not create a second community.
    await kopi.process(fake.message(sari, new_chat, "Sudah pindah"))
    async with db() as session:
        communities = (await session.scalars(select(Community))).all()
        assert [(c.chat_id, c.chat_type, c.active) for c in communities] == [
            (new_chat["id"], "supergroup", True)
        ]
        assert await session.scalar(select(func.count()).select_from(Membership)) == 2
    assert "supergrup" in fake.last(new_chat).text
    assert len(fake.sent(new_chat)) == 1


async def test_migration_merges_a_community_registered_under_the_new_id(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON, db
) -> None:
    new_chat, (to_update, from_update) = fake.migrate(joined, budi)
    # The supergroup's messages arrive first: kopi meets the new id as a stranger.
    await kopi.process(fake.message(sari, new_chat, "Halo dari supergrup"))
    await kopi.process(fake.message(budi, new_chat, "Halo juga"))
    await kopi.process(from_update)
    await kopi.process(to_update)
    async with db() as session:
        communities = (await session.scalars(select(Community))).all()
        assert [c.chat_id for c in communities] == [new_chat["id"]]
        memberships = (await session.scalars(select(Membership))).all()
        assert sorted((m.person_id, m.role) for m in memberships) == sorted(
            [(budi["id"], "facilitator"), (sari["id"], "member")]
        )
        assert {m.community_id for m in memberships} == {communities[0].id}


async def test_sending_to_a_migrated_group_follows_it(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, db
) -> None:
    from handlers.common import send

    new_chat, _ = fake.migrate(joined, budi)  # kopi never saw the service messages
    context = kopi.app.context_types.context(kopi.app)
    message = await send(context, joined["id"], "Tes")
    assert message is not None and message.chat.id == new_chat["id"]
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.chat_id == new_chat["id"]
