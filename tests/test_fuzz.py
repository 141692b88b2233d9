"""Fuzz: random updates through the real Application never cause an unhandled exception.

Hypothesis generates messages (unicode, right-to-left text, emoji, up to 10,000 characters, any
kopi command or hashtag, captions, files, replies, forum topics), edits, channel posts, button
presses with random data, membership changes, service messages, updates with missing optional
fields and update kinds kopi does not know. Every handler kopi registers sees them. Afterwards the
bot still answers.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.app import all_commands
from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, FakeTelegram
from models import Base
from models.db import create_engine

EXAMPLES = int(os.environ.get("KOPI_FUZZ_EXAMPLES", "40"))

COMMANDS = sorted(
    {c.command for c in all_commands()} | {a for c in all_commands() for a in c.aliases}
)
HASHTAGS = [
    "#keresahan",
    "#KEKHAWATIRAN",
    "#masalah",
    "#concern",
    "#praktikbaik",
    "#praktik",
    "#goodpractice",
    "#refleksi",
    "#literasi",
    "#numerasi",
    "#",
    "##",
    "#123",
]
NASTY = [
    "",
    " ",
    "\u200f\u202e",
    "مرحبا بالعالم",
    "שלום",
    "🙋‍♀️🇮🇩👨‍👩‍👧",
    "<b>",
    "</i>",
    "&amp;",
    "&",
    "*",
    '"',
    "(",
    ")",
    "AND",
    "NOT",
    "-",
    "NEAR",
    "\x00",
    "%",
    "_",
    "'; DROP TABLE x;--",
    "@",
    "/",
    "\n\n\n",
    "a" * 300,
]


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(HASHTAGS),
        st.text(max_size=40),
        st.sampled_from(
            [f"/{c}" for c in COMMANDS] + [f"/{c}@kopi_komunitas_bot" for c in COMMANDS]
        ),
    )


def message_text() -> st.SearchStrategy[str]:
    long_text = st.builds(
        lambda w, n: (w + " ") * n,
        st.sampled_from(["#keresahan", "x", "🙏"]),
        st.integers(min_value=500, max_value=3000),
    ).map(lambda s: s[:10_000])
    return st.one_of(
        st.lists(words(), min_size=1, max_size=8).map(" ".join),
        long_text,
        st.builds(lambda c, rest: f"/{c} {rest}", st.sampled_from(COMMANDS), st.text(max_size=60)),
    )


@st.composite
def updates(draw: st.DrawFn, fake: FakeTelegram, people: list[JSON], chats: list[JSON]) -> JSON:
    kind = draw(
        st.sampled_from(
            [
                "message",
                "message",
                "message",
                "caption",
                "edit",
                "press",
                "press_random",
                "member",
                "service",
                "channel",
                "anonymous",
                "no_sender",
                "unknown",
                "reply",
            ]
        )
    )
    user = draw(st.sampled_from(people))
    chat = draw(st.sampled_from(chats))
    if chat["type"] == "private":
        chat = fake.chats[user["id"]].chat
    thread = draw(st.sampled_from([None, 7])) if chat.get("is_forum") else None
    if kind == "message":
        return fake.message(user, chat, draw(message_text()), thread_id=thread)
    if kind == "caption":
        return fake.message(
            user,
            chat,
            caption=draw(message_text()),
            photo=draw(st.booleans()),
            document=draw(st.sampled_from([None, "rpp.pdf", "ü.docx"])),
        )
    if kind == "reply":
        pick = draw(st.integers(min_value=0, max_value=10**6))
        sent = [m for m in fake.messages.values() if m["chat"]["id"] == chat["id"]]
        target = sent[pick % len(sent)] if sent else None
        return fake.message(user, chat, draw(message_text()), reply_to=target)
    if kind == "edit":
        original = fake.message(user, chat, draw(message_text()))
        return fake.edit(original, draw(message_text()))
    if kind == "press":
        # Draws must not depend on the fake's state (Hypothesis replays them): pick by number.
        pick = draw(st.integers(min_value=0, max_value=10**6))
        buttons = [
            (m, b["callback_data"])
            for m in fake.messages.values()
            for row in m.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
            if "callback_data" in b
        ]
        if buttons:
            message, data = buttons[pick % len(buttons)]
            return fake.press(user, message, data)
        kind = "press_random"
    if kind == "press_random":
        message = fake.message(None, chat, "x")["message"]
        message["from"] = dict(fake.bot)
        data = draw(
            st.one_of(
                st.text(max_size=64),
                st.sampled_from(["lang:xx", "lang:", "help", "lang", ":", "9" * 64]),
            )
        )
        message["reply_markup"] = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        fake.messages[(chat["id"], message["message_id"])] = message
        return fake.press(user, message, data)
    if kind == "member":
        if chat["type"] == "private":
            return fake.message(user, chat, "/start")
        status = draw(st.sampled_from(["member", "administrator", "left", "kicked"]))
        if status in ("left", "kicked"):
            return fake.bot_removed(chat, user)
        return fake.bot_added(chat, user, status=status)
    if kind == "service":
        extra = draw(
            st.sampled_from(
                [
                    {"new_chat_members": [dict(people[0])]},
                    {"new_chat_members": [dict(fake.bot)]},
                    {"left_chat_member": dict(people[-1])},
                    {"new_chat_title": "Judul baru"},
                    {"pinned_message": {"message_id": 1, "date": 0, "chat": dict(chat)}},
                    {"group_chat_created": True},
                ]
            )
        )
        return fake.message(user, chat, extra=extra)
    if kind == "channel":
        post = fake.message(None, chat, draw(message_text()))["message"]
        post["chat"] = {"id": -100999, "type": "channel", "title": "Kanal"}
        return {
            "update_id": post["message_id"] + 10_000_000,
            draw(st.sampled_from(["channel_post", "edited_channel_post"])): post,
        }
    if kind == "anonymous":
        return fake.message(None, chat, draw(message_text()), sender_chat=dict(chat))
    if kind == "no_sender":
        return fake.message(None, chat, draw(message_text()))
    # An update kind newer than kopi (Telegram adds kinds; PTB keeps them as api_kwargs).
    unknown: dict[str, Any] = {
        "update_id": 20_000_000 + draw(st.integers(0, 10**6)),
        draw(st.sampled_from(["something_new", "future_kind"])): {"id": "1", "x": [1, {"y": None}]},
    }
    return unknown


def fresh_database(migrated: str, tmp_path: Path) -> str:
    pg = os.environ.get("TEST_DATABASE_URL", "").strip()
    if pg:

        async def truncate() -> None:
            engine = create_engine(pg)
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            async with engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            await engine.dispose()

        asyncio.run(truncate())
        return pg
    path = tmp_path / "fuzz.db"
    shutil.copy(migrated, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_random_updates_never_crash_kopi(
    migrated: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = fresh_database(migrated, tmp_path)
    fake = FakeTelegram()
    loop = asyncio.new_event_loop()
    config = Settings(
        token="123456:FUZZ",
        database_url=url,
        rate_overall_per_second=10_000,
        rate_group_per_minute=100_000,
    )
    bot = loop.run_until_complete(OfflineBot.start(config, fake, migrate=False))
    people = [
        fake.add_user("Budi", language_code="id"),
        fake.add_user("Sari", language_code="en"),
        fake.add_user("Ω", language_code=None),
    ]
    for person in people:  # everyone has started the bot, so private replies are allowed
        fake.started.add(person["id"])
    group = fake.add_group("Grup", admins=[people[0]], members=people[1:])
    forum = fake.add_group("Forum", forum=True, admins=[people[1]], members=[people[0]])
    chats = [group, forum, {"type": "private"}]
    for chat in (group, forum):
        loop.run_until_complete(bot.process(fake.bot_added(chat, people[0])))
    processed = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def feed(data: st.DataObject) -> None:
        nonlocal processed
        batch = data.draw(st.lists(updates(fake, people, chats), min_size=1, max_size=8))
        for update in batch:
            loop.run_until_complete(bot.process(update))
            processed += 1

    try:
        with caplog.at_level(logging.ERROR):
            feed()
            # Still answering afterwards (in the group kopi may have been removed from: re-add).
            if fake.chats[group["id"]].bot_status in ("left", "kicked"):
                loop.run_until_complete(bot.process(fake.bot_added(group, people[0])))
            loop.run_until_complete(bot.process(fake.message(people[0], group, "/bantuan")))
    finally:
        loop.run_until_complete(bot.stop())
        loop.close()
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], "\n".join(r.getMessage() + "\n" + str(r.exc_text) for r in failures)
    assert processed >= EXAMPLES
    assert fake.last(group).text.startswith(("Perintah kopi di grup", "kopi's commands"))
