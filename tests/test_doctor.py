"""`kopi doctor` against the offline Bot API: what is right, what is wrong, in plain words."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot import doctor
from bot.config import Settings
from bot.doctor import Finding, diagnose, render
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, ApiError, FakeTelegram
from bot.offline.request import OfflineRequest
from bot.offline.server import OfflineServer
from models.db import alembic_config, create_engine, upgrade
from scheduler import backups
from tests.conftest import Clock

PG = bool(os.environ.get("TEST_DATABASE_URL"))


def keys(findings: list[Finding]) -> dict[str, str]:
    """Return each finding's level by its text key."""
    return {f.key: f.level for f in findings}


def sqlite_file(settings: Settings) -> Path:
    return Path(settings.database_url.split("///", 1)[1])


async def check(
    settings: Settings, fake: FakeTelegram, clock: Clock, **kwargs: object
) -> list[Finding]:
    return await diagnose(settings, request=OfflineRequest(fake), now=clock(), **kwargs)  # type: ignore[arg-type]


async def test_all_is_well_with_privacy_off_a_fresh_backup_and_kopi_in_its_group(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    settings: Settings,
    clock: Clock,
    tmp_path: Path,
) -> None:
    fake.bot["can_read_all_group_messages"] = True
    if not PG:
        settings = replace(settings, backup_dir=tmp_path / "backups")
        plan = backups.BackupPlan(sqlite_file(settings), tmp_path / "backups", 7, clock)
        await asyncio.to_thread(backups.back_up, plan, clock() - timedelta(hours=5))
    findings = await check(settings, fake, clock)
    found = keys(findings)
    assert set(found.values()) == {"ok"}, render(findings, "en")
    assert list(found)[:4] == ["token.ok", "privacy.off", "webhook.polling", "migrations.ok"]
    assert found["groups.ok"] == "ok"
    text = render(findings, "en")
    assert "[ OK ] Token: Telegram knows kopi as @kopi_komunitas_bot (id 7000000001)." in text
    assert "[ OK ] Groups: kopi is in all 1 active communities' groups." in text
    if PG:
        assert "disk.postgresql" in found and "backup.postgresql" in found
    else:
        assert "[ OK ] Backups: the newest is 5 hours old (1 in " in text
        assert re.search(r"\[ OK \] Disk: [\d.]+ [KMGT]?B free next to the database", text)
    assert text.endswith("Everything looks right.")


async def test_a_rejected_token_is_a_problem_and_the_database_is_still_checked(
    kopi: OfflineBot, fake: FakeTelegram, settings: Settings, clock: Clock
) -> None:
    fake.fail(lambda: ApiError(401, "Unauthorized"), method="getMe")
    findings = await check(settings, fake, clock)
    found = keys(findings)
    assert found["token.rejected"] == "fail"
    assert "privacy.on" not in found and "webhook.polling" not in found
    assert found["migrations.ok"] == "ok"
    text = render(findings, "en")
    assert "[FAIL] Telegram rejects TELEGRAM_BOT_TOKEN" in text
    assert settings.token is not None and settings.token not in text
    assert re.search(r"^1 problem\(s\), \d+ warning\(s\)\.$", text, re.MULTILINE)


async def test_no_token_at_all(settings: Settings, fake: FakeTelegram, clock: Clock) -> None:
    findings = await check(replace(settings, token=None), fake, clock)
    assert keys(findings)["token.missing"] == "fail"


async def test_each_active_group_kopi_left_or_cannot_read_is_named(
    kopi: OfflineBot,
    fake: FakeTelegram,
    joined: JSON,
    budi: JSON,
    settings: Settings,
    clock: Clock,
) -> None:
    # privacy mode on (the fake's default): in a group where kopi is a plain member it sees only
    # commands and replies; where it is an admin it sees everything.
    admin_group = fake.add_group("Kombel Numerasi", admins=[budi])
    await kopi.process(fake.bot_added(admin_group, budi, status="administrator"))
    gone = fake.add_group("Kombel Sains", admins=[budi])
    await kopi.process(fake.bot_added(gone, budi))
    fake.chats[gone["id"]].bot_status = "kicked"  # removed while kopi was down: still active
    findings = await check(settings, fake, clock)
    text = render(findings, "en")
    assert keys(findings)["privacy.on"] == "warn"
    assert (
        f"[WARN] Group Guru Penggerak SMPN 1 ({joined['id']}): kopi sees only commands and "
        "replies there" in text
    )
    assert f"[FAIL] Group Kombel Sains ({gone['id']}): kopi is no longer in it (kicked)." in text
    assert "Kombel Numerasi" not in text
    assert "groups.ok" not in keys(findings)

    limited = await check(settings, fake, clock, max_groups=1)
    assert "[WARN] Groups: checked 1 of 3 active communities" in render(limited, "en")


async def test_a_group_telegram_does_not_know_is_a_problem(
    kopi: OfflineBot, fake: FakeTelegram, joined: JSON, settings: Settings, clock: Clock
) -> None:
    fake.bot["can_read_all_group_messages"] = True
    del fake.chats[joined["id"]]
    text = render(await check(settings, fake, clock), "en")
    assert f"[FAIL] Group Guru Penggerak SMPN 1 ({joined['id']}): Telegram does not know it" in text


class WebhookFailing(FakeTelegram):
    """Telegram's answer about a webhook it could not deliver to."""

    error_at: float = 0.0

    def _api_getWebhookInfo(self, params: JSON, files: object) -> JSON:
        info = super()._api_getWebhookInfo(params, files)
        info.update(
            last_error_date=int(self.error_at),
            last_error_message="Connection refused",
            pending_update_count=250,
        )
        return info


async def test_the_webhook_is_checked_against_webhook_url(
    settings: Settings, clock: Clock, kopi: OfflineBot
) -> None:
    fake = WebhookFailing(clock=clock.timestamp)
    fake.webhook_url = "https://kopi.example.sch.id/hook"
    fake.error_at = clock.timestamp() - 3 * 3600
    hooked = replace(settings, webhook_url="https://kopi.example.sch.id/hook", webhook_secret="s")
    findings = await check(hooked, fake, clock)
    text = render(findings, "en")
    assert "[ OK ] Webhook: Telegram sends updates to https://kopi.example.sch.id/hook (250" in text
    assert "[WARN] 250 updates wait at Telegram" in text
    assert "[FAIL] Telegram could not deliver to the webhook 3 hours ago: Connection refused." in (
        text
    )

    fake.error_at = clock.timestamp() - 3 * 86400  # an old error is history, not a problem
    assert "webhook.error" not in keys(await check(hooked, fake, clock))

    other = replace(hooked, webhook_url="https://new.example.sch.id/hook")
    assert keys(await check(other, fake, clock))["webhook.other"] == "fail"
    assert keys(await check(settings, fake, clock))["webhook.unexpected"] == "warn"


async def test_migrations_behind_and_a_missing_database(
    tmp_path: Path, fake: FakeTelegram, clock: Clock
) -> None:
    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite+aiosqlite:///{old}")
    await upgrade(engine, "0002")
    await engine.dispose()
    settings = Settings(token="123456:TEST-TOKEN", database_url=f"sqlite+aiosqlite:///{old}")
    findings = await check(settings, fake, clock)
    [head] = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert keys(findings)["migrations.behind"] == "fail"
    assert (
        f"[FAIL] Database: at revision 0002, kopi's newest is {head}: run `kopi db upgrade`"
        in render(findings, "en")
    )
    assert "groups.ok" not in keys(findings)  # not read from a database kopi cannot use yet

    missing = tmp_path / "nothing" / "kopi.db"
    absent = replace(settings, database_url=f"sqlite+aiosqlite:///{missing}")
    assert keys(await check(absent, fake, clock))["database.missing"] == "fail"
    assert not missing.parent.exists()  # the doctor created nothing


@pytest.mark.skipif(PG, reason="disk space and backups are checked next to a SQLite file")
async def test_low_disk_and_old_or_missing_backups_are_problems(
    kopi: OfflineBot, fake: FakeTelegram, settings: Settings, clock: Clock, tmp_path: Path
) -> None:
    findings = await check(settings, fake, clock, min_free=1 << 60)
    assert keys(findings)["disk.low"] == "fail"
    assert keys(findings)["backup.off"] == "warn"

    folder = tmp_path / "backups"
    with_dir = replace(settings, backup_dir=folder)
    assert keys(await check(with_dir, fake, clock))["backup.none"] == "fail"
    plan = backups.BackupPlan(sqlite_file(settings), folder, 7, clock)
    await asyncio.to_thread(backups.back_up, plan, clock() - timedelta(days=3))
    findings = await check(with_dir, fake, clock)
    assert keys(findings)["backup.stale"] == "fail"
    assert "the newest in" in render(findings, "en") and "is 3 days old" in render(findings, "en")


def test_both_languages_say_the_same_things() -> None:
    assert doctor.EN.keys() == doctor.ID.keys()
    for key, text in doctor.EN.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", doctor.ID[key])), key
    findings = [
        Finding("ok", "token.ok", {"username": "kopi_bot", "id": 1}),
        Finding("fail", "backup.stale", {"dir": "/srv/b", "age": timedelta(days=3), "count": 2}),
    ]
    text = render(findings, "id")
    assert "[ OK ] Token: Telegram mengenal kopi sebagai @kopi_bot (id 1)." in text
    assert "[FAIL] Cadangan: yang terbaru di /srv/b berumur 3 hari" in text
    assert text.endswith("1 masalah, 0 peringatan.")
    assert doctor.language({"LANG": "id_ID.UTF-8"}) == "id"
    assert doctor.language({"LANG": "en_US.UTF-8", "LC_ALL": "id_ID.UTF-8"}) == "id"
    assert doctor.language({"LANG": "C.UTF-8"}) == "en"
    assert doctor.language({}) == "en"


async def test_kopi_doctor_over_http_exits_0_when_well_and_1_when_kopi_was_removed(
    tmp_path: Path, database_url: str, kopi: OfflineBot, fake: FakeTelegram, joined: JSON
) -> None:
    fake.bot["can_read_all_group_messages"] = True
    server = OfflineServer(fake)
    server.start()
    token = "424242:DOCTOR-TOKEN"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": database_url,
            "LANG": "id_ID.UTF-8",
        }
    )

    async def kopi_doctor(*args: str) -> subprocess.CompletedProcess[str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "doctor",
            *args,
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode is not None
        return subprocess.CompletedProcess([], process.returncode, out.decode(), err.decode())

    try:
        well = await kopi_doctor()
        fake.chats[joined["id"]].bot_status = "left"
        removed = await kopi_doctor("--lang", "en")
    finally:
        await server.stop()
    assert well.returncode == 0, well.stdout + well.stderr
    assert "[ OK ] Token: Telegram mengenal kopi sebagai @kopi_komunitas_bot" in well.stdout
    assert "[ OK ] Grup: kopi ada di grup semua 1 komunitas aktif." in well.stdout
    assert removed.returncode == 1, removed.stdout + removed.stderr
    assert (
        f"[FAIL] Group Guru Penggerak SMPN 1 ({joined['id']}): kopi is no longer in it (left)."
        in removed.stdout
    )
    assert token not in well.stdout + well.stderr + removed.stdout + removed.stderr
