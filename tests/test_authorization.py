"""The authorization matrix: every facilitator-only action tried by a member, and every button of
one community pressed from another — all refused, nothing changed, nothing revealed.

The matrix is built from what kopi itself offers, so new features are covered without editing
this file: the commands of the "admin" menu scope, the facilitator-only forms of group commands
(FACILITATOR_LINES), and every button kopi showed a facilitator while setting up a community.
What a member may change by pressing a button is listed per table (MEMBER_WRITABLE).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import all_commands
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models import Base
from tests.conftest import Clock

# Facilitator-only forms of commands that members may also use in other forms.
FACILITATOR_LINES = [
    "/norma tambah Kamera menyala saat rapat daring",
    "/tujuan Semua murid membaca 15 menit sehari",
    "/aturjadwal Jumat 15:00",
    "/pengingat 30",
    "/liburkan",
    "/pindahkan Sabtu 09:00",
    "/ringkasan",
    "/bahasa",
]
# Tables a member may change by pressing someone else's buttons (votes, RSVPs, agreement,
# joining a project, their own pending input or draft) and columns that follow those changes.
MEMBER_WRITABLE = {
    "capture_votes",
    "meeting_responses",
    "norm_agreements",
    "project_members",
    "prompts",
    "reflection_inputs",
    "reflections",
    "reflection_voices",
    "people",
    "memberships",
    "processed_updates",
    "meeting_deliveries",
}
FOLLOWING_COLUMNS = {"capture_items": {"votes", "updated_at"}}
SECRET = "RAHASIA-A"


async def snapshot(db: Any, skip: set[str] = frozenset()) -> dict[str, set[tuple[Any, ...]]]:
    """Return every row of every table (some columns left out), for comparing before/after."""
    state: dict[str, set[tuple[Any, ...]]] = {}
    async with db() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            ignored = FOLLOWING_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in ignored]
            rows = (await session.execute(select(*columns))).all()
            state[table.name] = {tuple(map(str, row)) for row in rows}
    return state


def changed(before: dict[str, set[Any]], after: dict[str, set[Any]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def press(fake: FakeTelegram, user: JSON, chat: JSON, message: JSON, data: str) -> JSON:
    """Press a button as shown now, or as first shown if its message was redrawn (an old tap)."""
    current = fake.messages.get((chat["id"], message["message_id"]), message)
    try:
        return fake.press(user, current, data)
    except ValueError:
        return fake.press(user, message, data)


def group_buttons(fake: FakeTelegram, chat: JSON) -> list[tuple[JSON, str]]:
    found = []
    for (chat_id, _), message in list(fake.messages.items()):
        if chat_id != chat["id"]:
            continue
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for b in row:
                if "callback_data" in b:
                    found.append((copy.deepcopy(message), b["callback_data"]))
    return found


@pytest.fixture
async def community_a(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, budi: JSON, sari: JSON
) -> JSON:
    """Community A, set up by its facilitator Budi, with every kind of record and view."""
    script = [
        f"#keresahan {SECRET} murid sulit fokus setelah istirahat #literasi",
        f"#praktikbaik {SECRET} pojok baca pagi #literasi",
        "/aturjadwal Kamis 14:00 WIB",
        f"/norma tambah {SECRET} datang tepat waktu",
        f"/tujuan {SECRET} literasi untuk semua murid",
        "/jadwal",
        "/norma",
        "/keresahan",
        "/praktik",
        "/proyek",
        "/notulen",
        "/ringkasan",
        "/pengingat",
        "/liburkan",
        "/pindahkan",
        f"/cari {SECRET}",
    ]
    await kopi.process(fake.message(sari, joined, "Halo"))  # Sari is a member of A
    for line in script:
        await kopi.process(fake.message(budi, joined, line))
    # Open every detail view the listings offer, so their buttons are in the matrix too.
    for message, data in group_buttons(fake, joined):
        if any(word in data for word in (":d:", ":v:", "det", "view", ":o:")):
            await kopi.process(press(fake, budi, joined, message, data))
    return joined


async def test_members_cannot_use_facilitator_commands(
    kopi: OfflineBot, fake: FakeTelegram, clock: Clock, community_a: JSON, sari: JSON, db
) -> None:
    admin_only = [c for c in all_commands() if "admin" in c.scopes and "group" not in c.scopes]
    lines = [f"/{c.command}" for c in admin_only] + [f"/{a}" for c in admin_only for a in c.aliases]
    lines += FACILITATOR_LINES
    assert len(lines) >= 10
    refused = []
    for line in lines:
        clock.advance(minutes=1)  # one command a minute: never paused by the command limit
        before = await snapshot(db, skip={"processed_updates", "prompts"})
        calls = await kopi.process(fake.message(sari, community_a, line))
        after = await snapshot(db, skip={"processed_updates", "prompts"})
        assert changed(before, after) == [], line
        texts = " ".join(c.text for c in calls if c.method == "sendMessage")
        if "hanya untuk fasilitator" in texts or "facilitators" in texts:
            refused.append(line)
        else:
            assert line.split()[0] in ("/tujuan", "/norma"), (line, texts)  # show, not change
    assert len(refused) >= len(lines) - 2


async def test_members_cannot_press_facilitator_buttons(
    kopi: OfflineBot, fake: FakeTelegram, community_a: JSON, sari: JSON, db
) -> None:
    buttons = group_buttons(fake, community_a)
    assert len(buttons) >= 15, "the set-up should show many buttons"
    for message, data in buttons:
        before = await snapshot(db, skip=MEMBER_WRITABLE)
        await kopi.process(press(fake, sari, community_a, message, data))
        after = await snapshot(db, skip=MEMBER_WRITABLE)
        assert changed(before, after) == [], f"a member's press of {data!r} changed it"


async def test_another_community_can_neither_change_nor_see_community_a(
    kopi: OfflineBot, fake: FakeTelegram, community_a: JSON, sari: JSON, db
) -> None:
    other = fake.add_group("Komunitas Lain", admins=[sari])
    await kopi.process(fake.bot_added(other, sari))
    buttons = group_buttons(fake, community_a)
    host = fake.message(None, other, "x")["message"]
    host["from"] = dict(fake.bot)
    fake.clear()
    before = await snapshot(
        db,
        skip={
            "processed_updates",
            "people",
            "memberships",
            "prompts",
            "reflection_inputs",
        },
    )
    for _, data in buttons:
        # Sari is a facilitator in her own group and replays A's buttons there.
        host["reply_markup"] = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        fake.messages[(other["id"], host["message_id"])] = dict(host)
        await kopi.process(fake.press(sari, host, data))
    for line in (
        f"/cari {SECRET}",
        "/keresahan",
        "/praktik",
        "/norma",
        "/tujuan",
        "/jadwal",
        "/proyek",
        "/notulen",
    ):
        await kopi.process(fake.message(sari, other, line))
    after = await snapshot(
        db,
        skip={
            "processed_updates",
            "people",
            "memberships",
            "prompts",
            "reflection_inputs",
        },
    )
    community_tables = [name for name in before if name != "communities"]
    assert [n for n in changed(before, after) if n in community_tables] == []
    leaked = [c for c in fake.calls if SECRET in str(c.params)]
    assert leaked == [], [(c.method, c.params.get("chat_id")) for c in leaked]
