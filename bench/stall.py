"""Stall benchmark: one member's burst of commands, then a facilitator's capture, in one group.

The real Application with kopi's production rate limiter (30 messages/s, 20/min per group) runs
against the offline Bot API with a set latency per call. A member sends --commands `/bantuan`,
then the facilitator writes a `#keresahan`; all arrive at once, as Telegram would deliver them.
Reported: when the capture was committed after it arrived (target: within 1 s), when the
member's last reply went out, and how many replies the member got.

    python -m bench.stall                     # 30 commands, 100 ms latency
    python -m bench.stall --commands 10 --latency 0
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from sqlalchemy import select
from telegram import Update

from bench.common import Databases, command_line, git_revision, machine, table
from bench.inbound import register
from bot.app import build_application
from bot.config import Settings
from bot.offline.fake import JSON, FakeTelegram
from bot.offline.request import OfflineRequest
from models.capture import CaptureItem
from models.community import ensure_membership, get_community, upsert_person
from models.db import create_engine, session_factory


async def scenario(url: str, commands: int, latency: float, cap: float) -> list[object]:
    fake = FakeTelegram(can_read_all_group_messages=True)
    budi = fake.add_user("Budi", language_code="id")
    sari = fake.add_user("Sari", language_code="id")
    group = fake.add_group("Komunitas Guru", admins=[budi], bot_status="administrator")
    fake.set_status(group, sari, "member")
    await register(url, [budi], [group])
    engine = create_engine(url)
    async with session_factory(engine).begin() as session:
        community = await get_community(session, group["id"])
        assert community is not None
        await upsert_person(session, sari["id"], first_name="Sari")
        await ensure_membership(session, community, sari["id"])
    await engine.dispose()

    settings = Settings(token="123456:BENCH", database_url=url)  # production rate limits
    app = build_application(settings, request=OfflineRequest(fake), migrate=False)
    replies: list[float] = []
    original = fake.call

    async def timed_call(method: str, params: JSON, files: Any = None) -> JSON:
        body = await original(method, params, files)
        if method == "sendMessage" and body.get("ok"):
            replies.append(time.perf_counter())
        return body

    fake.call = timed_call  # type: ignore[method-assign]
    updates = [fake.message(sari, group, "/bantuan") for _ in range(commands)]
    capture = fake.message(budi, group, "#keresahan murid sulit fokus setelah istirahat")
    await app.initialize()
    fake.latency = latency
    await app.start()
    for raw in updates:
        await app.update_queue.put(Update.de_json(raw, app.bot))
    arrived = time.perf_counter()
    await app.update_queue.put(Update.de_json(capture, app.bot))
    committed: float | None = None
    engine = create_engine(url)
    db = session_factory(engine)
    while time.perf_counter() - arrived < cap:
        async with db() as session:
            found = await session.scalar(
                select(CaptureItem.id).where(
                    CaptureItem.message_id == capture["message"]["message_id"]
                )
            )
        if found is not None:
            committed = time.perf_counter()
            break
        await asyncio.sleep(0.02)
    await engine.dispose()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    return [
        commands,
        int(latency * 1000),
        f"{committed - arrived:.2f}" if committed is not None else f"> {cap:.0f} (capped)",
        "yes" if committed is not None and committed - arrived <= 1.0 else "no",
        len(replies),
        f"{max(replies) - arrived:.1f}" if replies else "-",
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=30)
    parser.add_argument("--latency", type=float, default=100, help="ms per Bot API call")
    parser.add_argument("--cap", type=float, default=120, help="seconds to wait for the capture")
    args = parser.parse_args()
    databases = Databases()
    await databases.prepare()
    row = await scenario(databases.fresh(), args.commands, args.latency / 1000, args.cap)
    databases.close()
    print("Stall: a member's commands, then a facilitator's capture; limiter 30/s, 20/min/group")
    print(f"machine: {machine()}; commit {git_revision()}")
    print()
    print(
        table(
            [
                "commands",
                "latency ms",
                "capture committed after s",
                "within 1 s",
                "replies sent (by cap)",
                "last reply s",
            ],
            [row],
        )
    )
    print()
    print(f"reproduce: {command_line()}")


if __name__ == "__main__":
    asyncio.run(main())
