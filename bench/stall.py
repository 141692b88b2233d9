"""Stall benchmark: members' burst of commands, then a facilitator's capture, in one group.

The real Application with kopi's production rate limiter (30 messages/s, 20/min per group) runs
against the offline Bot API with a set latency per call. --members members send --commands
`/bantuan` between them (in turn), then the facilitator writes a `#keresahan`; all arrive at
once, as Telegram would deliver them. Reported: when the capture was committed after it arrived
(target: within 1 s), when the last reply went out, and how many replies were sent.

One member is held back by the command limit (handlers/throttle.py, 5 a minute); six members
sending five each are all answered, more than a group's 20 messages a minute, so their replies
wait in the chat's outbox instead of in front of the capture (handlers/common.py reply).

    python -m bench.stall                     # 1 member, 30 commands, 100 ms latency
    python -m bench.stall --members 6         # 6 members, 5 commands each
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


async def scenario(
    url: str, commands: int, latency: float, cap: float, members: int = 1
) -> list[object]:
    fake = FakeTelegram(can_read_all_group_messages=True)
    budi = fake.add_user("Budi", language_code="id")
    group = fake.add_group("Komunitas Guru", admins=[budi], bot_status="administrator")
    people = [fake.add_user(f"Anggota {n + 1}", language_code="id") for n in range(members)]
    await register(url, [budi], [group])
    engine = create_engine(url)
    async with session_factory(engine).begin() as session:
        community = await get_community(session, group["id"])
        assert community is not None
        for person in people:
            fake.set_status(group, person, "member")
            await upsert_person(session, person["id"], first_name=person["first_name"])
            await ensure_membership(session, community, person["id"])
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
    updates = [fake.message(people[n % members], group, "/bantuan") for n in range(commands)]
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
        members,
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
    parser.add_argument("--members", type=int, default=1, help="members sending the commands")
    parser.add_argument("--latency", type=float, default=100, help="ms per Bot API call")
    parser.add_argument("--cap", type=float, default=120, help="seconds to wait for the capture")
    args = parser.parse_args()
    databases = Databases()
    await databases.prepare()
    row = await scenario(
        databases.fresh(), args.commands, args.latency / 1000, args.cap, args.members
    )
    databases.close()
    print("Stall: members' commands, then a facilitator's capture; limiter 30/s, 20/min/group")
    print(f"machine: {machine()}; commit {git_revision()}")
    print()
    print(
        table(
            [
                "members",
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
