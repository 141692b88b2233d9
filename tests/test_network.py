"""kopi over real HTTP: long polling a Bot API server at TELEGRAM_API_URL, and webhook mode."""

from __future__ import annotations

import socket

import httpx
from sqlalchemy import select

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.offline.fake import FakeTelegram
from bot.offline.server import OfflineServer
from models.community import Community


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_long_polling_through_telegram_api_url(database_url: str, db) -> None:
    fake = FakeTelegram()
    server = OfflineServer(fake)
    server.start()
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:REAL-HTTP-TOKEN",
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
        }
    )
    app = build_application(settings, migrate=False)
    budi = fake.add_user("Budi", language_code="id")
    sari = fake.add_user("Sari", language_code="en")
    group = fake.add_group("Komunitas Numerasi", admins=[budi], members=[sari])
    try:
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        fake.enqueue(fake.bot_added(group, budi))
        fake.enqueue(fake.message(sari, fake.chats[sari["id"]].chat, "/start"))
        fake.enqueue(fake.message(budi, fake.chats[budi["id"]].chat, "/bantuan"))
        await fake.wait_for(lambda: len(fake.sent()) >= 3)
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await server.stop()
    assert fake.sent(group)[0].text.startswith("Halo, Bapak/Ibu Komunitas Numerasi!")
    assert fake.sent(sari["id"])[0].text.startswith("Hello, Sari!")
    assert fake.sent(budi["id"])[0].text.startswith("Perintah kopi di chat pribadi")
    assert {c.method for c in fake.calls} >= {"getMe", "setMyCommands", "sendMessage"}
    async with db() as session:
        community = await session.scalar(select(Community))
        assert community is not None and community.chat_id == group["id"]


async def test_webhook_checks_the_secret_token(database_url: str) -> None:
    fake = FakeTelegram()
    server = OfflineServer(fake)
    server.start()
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:WEBHOOK-TOKEN",
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
            "WEBHOOK_URL": "https://kopi.example.sch.id/kopi-hook",
            "WEBHOOK_SECRET": "rahasia_123",
        }
    )
    app = build_application(settings, migrate=False)
    budi = fake.add_user("Budi", language_code="id")
    port = free_port()
    try:
        await app.initialize()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="kopi-hook",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
        )
        await app.start()
        assert fake.webhook_url == "https://kopi.example.sch.id/kopi-hook"
        update = fake.message(budi, fake.chats[budi["id"]].chat, "/start")
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/kopi-hook"
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "tebakan"}
            )
            right = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "rahasia_123"}
            )
        assert wrong.status_code == 403
        assert right.status_code == 200
        await fake.wait_for(lambda: len(fake.sent(budi["id"])) == 1)
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await server.stop()
    assert fake.sent(budi["id"])[0].text.startswith("Halo, Budi!")
