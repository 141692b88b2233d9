"""`kopi doctor`: check, in plain words, what an operator needs to be right before kopi is.

The token (getMe), privacy mode, every active community's group (reachable, kopi still in it,
able to read the teachers' messages), the webhook, the migrations, the disk near the SQLite file
and the age of the newest backup. Each finding is ok, a warning (kopi works, something is worth a
look) or a problem; any problem makes the exit status 1. Texts in English and Bahasa Indonesia.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from telegram import Bot, User
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, TelegramError
from telegram.request import BaseRequest

from bot.config import Settings
from models.community import Community
from scheduler import backups

Level = Literal["ok", "warn", "fail"]

MIN_FREE = 1 << 30  # bytes: below a gigabyte (or twice the database) free, say so
STALE_BACKUP = timedelta(days=2)  # the job backs up daily: two days means it stopped
WEBHOOK_BACKLOG = 100  # updates waiting at Telegram: kopi is behind (or not running)
RECENT_ERROR = timedelta(days=1)
GROUPS_AT_ONCE = 8
DEFAULT_MAX_GROUPS = 200

EN: dict[str, str] = {
    "title": "kopi doctor",
    "summary.ok": "Everything looks right.",
    "summary.warn": "No problems; {warnings} warning(s) worth a look.",
    "summary.fail": "{problems} problem(s), {warnings} warning(s).",
    "token.missing": "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env.",
    "token.rejected": "Telegram rejects TELEGRAM_BOT_TOKEN: check it with @BotFather "
    "(/mybots > API Token) and set it again.",
    "token.unreachable": "Telegram cannot be reached at {url}: {error}.",
    "token.ok": "Token: Telegram knows kopi as @{username} (id {id}).",
    "privacy.off": "Privacy mode is off: kopi reads every message in its groups.",
    "privacy.on": "Privacy mode is on: kopi reads every message only in groups where it is an "
    "admin (@BotFather > /mybots > Bot Settings > Group Privacy > Turn off, then add kopi again).",
    "webhook.ok": "Webhook: Telegram sends updates to {url} ({pending} waiting).",
    "webhook.polling": "Webhook: none; kopi polls for updates ({pending} waiting).",
    "webhook.not_set": "Webhook: WEBHOOK_URL is set but Telegram has none yet; `kopi run` "
    "registers it.",
    "webhook.other": "Webhook: Telegram sends updates to {url}, not to WEBHOOK_URL ({expected}).",
    "webhook.unexpected": "Webhook: Telegram sends updates to {url} while WEBHOOK_URL is empty; "
    "`kopi run` removes it (is another kopi using this token?).",
    "webhook.backlog": "{pending} updates wait at Telegram: kopi is behind, or not running.",
    "webhook.error": "Telegram could not deliver to the webhook {ago} ago: {error}.",
    "groups.none": "Groups: no active community yet.",
    "groups.ok": "Groups: kopi is in all {checked} active communities' groups.",
    "groups.partly": "Groups: checked {checked} of {total} active communities (--max-groups 0 "
    "checks all).",
    "group.removed": "Group {title} ({chat_id}): kopi is no longer in it ({status}).",
    "group.unreachable": "Group {title} ({chat_id}): Telegram does not know it: {error}.",
    "group.migrated": "Group {title} ({chat_id}) became the supergroup {new_id}; kopi follows "
    "it at the group's next message.",
    "group.privacy": "Group {title} ({chat_id}): kopi sees only commands and replies there "
    "(make kopi an admin, or turn privacy mode off).",
    "database.missing": "No database at {path}: `kopi db upgrade` (or `kopi run`) creates it.",
    "database.unreachable": "The database does not answer: {error}.",
    "migrations.ok": "Database: at the newest revision ({revision}).",
    "migrations.none": "Database: not set up (no revision): run `kopi db upgrade`.",
    "migrations.behind": "Database: at revision {revision}, kopi's newest is {head}: run "
    "`kopi db upgrade` (`kopi run` does it too).",
    "migrations.unknown": "Database: at revision {revision}, which this kopi does not know "
    "(written by a newer kopi?).",
    "disk.ok": "Disk: {free} free next to the database ({size}).",
    "disk.low": "Disk: only {free} free next to the database ({size}); keep at least {need}.",
    "disk.postgresql": "Disk: the database is PostgreSQL; watch its server's disk.",
    "backup.ok": "Backups: the newest is {age} old ({count} in {dir}).",
    "backup.none": "Backups: none in {dir} yet (kopi makes one 5 minutes after it starts).",
    "backup.stale": "Backups: the newest in {dir} is {age} old; the daily job has stopped.",
    "backup.off": "Backups: BACKUP_DIR is not set, so no daily backup is made.",
    "backup.postgresql": "Backups: the database is PostgreSQL; schedule pg_dump "
    "(docs/OPERATIONS.md).",
    "backup.disk_low": "Backups: only {free} free in {dir}; a backup needs {size}.",
}

ID: dict[str, str] = {
    "title": "kopi doctor",
    "summary.ok": "Semua tampak baik.",
    "summary.warn": "Tidak ada masalah; {warnings} peringatan perlu dilihat.",
    "summary.fail": "{problems} masalah, {warnings} peringatan.",
    "token.missing": "TELEGRAM_BOT_TOKEN belum diisi: masukkan token dari @BotFather ke .env.",
    "token.rejected": "Telegram menolak TELEGRAM_BOT_TOKEN: periksa di @BotFather "
    "(/mybots > API Token) lalu isi lagi.",
    "token.unreachable": "Telegram tidak bisa dihubungi di {url}: {error}.",
    "token.ok": "Token: Telegram mengenal kopi sebagai @{username} (id {id}).",
    "privacy.off": "Mode privasi mati: kopi membaca semua pesan di grupnya.",
    "privacy.on": "Mode privasi menyala: kopi membaca semua pesan hanya di grup tempat kopi "
    "menjadi admin (@BotFather > /mybots > Bot Settings > Group Privacy > Turn off, lalu "
    "tambahkan kopi lagi).",
    "webhook.ok": "Webhook: Telegram mengirim pembaruan ke {url} ({pending} menunggu).",
    "webhook.polling": "Webhook: tidak ada; kopi mengambil pembaruan sendiri ({pending} menunggu).",
    "webhook.not_set": "Webhook: WEBHOOK_URL diisi tetapi Telegram belum punya webhook; "
    "`kopi run` mendaftarkannya.",
    "webhook.other": "Webhook: Telegram mengirim pembaruan ke {url}, bukan ke WEBHOOK_URL "
    "({expected}).",
    "webhook.unexpected": "Webhook: Telegram mengirim pembaruan ke {url} padahal WEBHOOK_URL "
    "kosong; `kopi run` menghapusnya (apakah kopi lain memakai token ini?).",
    "webhook.backlog": "{pending} pembaruan menunggu di Telegram: kopi tertinggal, atau tidak "
    "berjalan.",
    "webhook.error": "Telegram gagal mengirim ke webhook {ago} lalu: {error}.",
    "groups.none": "Grup: belum ada komunitas aktif.",
    "groups.ok": "Grup: kopi ada di grup semua {checked} komunitas aktif.",
    "groups.partly": "Grup: {checked} dari {total} komunitas aktif diperiksa (--max-groups 0 "
    "memeriksa semua).",
    "group.removed": "Grup {title} ({chat_id}): kopi sudah tidak ada di sana ({status}).",
    "group.unreachable": "Grup {title} ({chat_id}): Telegram tidak mengenalnya: {error}.",
    "group.migrated": "Grup {title} ({chat_id}) menjadi supergrup {new_id}; kopi mengikutinya "
    "pada pesan berikutnya di grup itu.",
    "group.privacy": "Grup {title} ({chat_id}): kopi hanya melihat perintah dan balasan di sana "
    "(jadikan kopi admin, atau matikan mode privasi).",
    "database.missing": "Tidak ada basis data di {path}: `kopi db upgrade` (atau `kopi run`) "
    "membuatnya.",
    "database.unreachable": "Basis data tidak menjawab: {error}.",
    "migrations.ok": "Basis data: di revisi terbaru ({revision}).",
    "migrations.none": "Basis data: belum disiapkan (tanpa revisi): jalankan `kopi db upgrade`.",
    "migrations.behind": "Basis data: di revisi {revision}, yang terbaru {head}: jalankan "
    "`kopi db upgrade` (`kopi run` juga melakukannya).",
    "migrations.unknown": "Basis data: di revisi {revision}, yang tidak dikenal kopi ini "
    "(ditulis kopi yang lebih baru?).",
    "disk.ok": "Disk: {free} kosong di samping basis data ({size}).",
    "disk.low": "Disk: hanya {free} kosong di samping basis data ({size}); sisakan paling "
    "sedikit {need}.",
    "disk.postgresql": "Disk: basis datanya PostgreSQL; awasi disk servernya.",
    "backup.ok": "Cadangan: yang terbaru berumur {age} ({count} di {dir}).",
    "backup.none": "Cadangan: belum ada di {dir} (kopi membuatnya 5 menit setelah mulai).",
    "backup.stale": "Cadangan: yang terbaru di {dir} berumur {age}; tugas hariannya berhenti.",
    "backup.off": "Cadangan: BACKUP_DIR belum diisi, jadi tidak ada cadangan harian.",
    "backup.postgresql": "Cadangan: basis datanya PostgreSQL; jadwalkan pg_dump "
    "(docs/OPERATIONS.md).",
    "backup.disk_low": "Cadangan: hanya {free} kosong di {dir}; satu cadangan perlu {size}.",
}

TEXTS = {"en": EN, "id": ID}
MARKS: dict[Level, str] = {"ok": "[ OK ]", "warn": "[WARN]", "fail": "[FAIL]"}


@dataclass(frozen=True)
class Finding:
    """One thing the doctor found: how bad, which text, and the values it names."""

    level: Level
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


def language(environ: Mapping[str, str]) -> str:
    """Return the operator's language: Indonesian for an id_* locale, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "id" if value.lower().startswith(("id", "in_")) else "en"
    return "en"


def size(count: float) -> str:
    """Return a byte count in plain units (12.3 GB)."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1000:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"


def duration(delta: timedelta, lang: str) -> str:
    """Return a rough age: 40 minutes, 5 hours, 3 days."""
    seconds = max(0, int(delta.total_seconds()))
    words = {"en": ("minutes", "hours", "days"), "id": ("menit", "jam", "hari")}[lang]
    if seconds < 2 * 3600:
        return f"{seconds // 60} {words[0]}"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} {words[1]}"
    return f"{seconds // 86400} {words[2]}"


def render(findings: Sequence[Finding], lang: str) -> str:
    """Return the findings as lines of plain text, with a summary line."""
    texts = TEXTS[lang]
    lines = [texts["title"]]
    for finding in findings:
        values = {
            k: duration(v, lang) if isinstance(v, timedelta) else v
            for k, v in finding.values.items()
        }
        lines.append(f"{MARKS[finding.level]} {texts[finding.key].format(**values)}")
    problems = sum(f.level == "fail" for f in findings)
    warnings = sum(f.level == "warn" for f in findings)
    summary = "summary.fail" if problems else "summary.warn" if warnings else "summary.ok"
    lines.append(texts[summary].format(problems=problems, warnings=warnings))
    return "\n".join(lines)


async def diagnose(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    now: datetime | None = None,
    min_free: int = MIN_FREE,
    max_groups: int = DEFAULT_MAX_GROUPS,
) -> list[Finding]:
    """Run every check; request replaces the network (tests), now the wall clock."""
    now = now or datetime.now(UTC)
    database: list[Finding] = []
    groups = await _database(settings, database)
    telegram, in_groups = await _telegram(settings, request, now, groups, max_groups)
    return [
        *telegram,
        *database,
        *in_groups,
        *_disk(settings, min_free),
        *_backups(settings, now),
    ]


class Group(NamedTuple):
    """An active community's group, as the database knows it."""

    chat_id: int
    title: str


async def _database(settings: Settings, findings: list[Finding]) -> list[Group] | None:
    """Check the migrations; return the active communities (None: the database is unusable)."""
    from alembic.script import ScriptDirectory

    from models.db import alembic_config, create_engine

    path = _sqlite_file(settings)
    if path is not None and not _exists(path):  # connecting would create an empty file
        findings.append(Finding("fail", "database.missing", {"path": path}))
        return None
    script = ScriptDirectory.from_config(alembic_config())
    heads = set(script.get_heads())
    known = {r.revision for r in script.walk_revisions()}
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            try:
                rows = await connection.execute(text("select version_num from alembic_version"))
                revisions = {str(r[0]) for r in rows}
            except Exception:
                revisions = set()
                await connection.rollback()
            if not revisions:
                findings.append(Finding("fail", "migrations.none"))
                return None
            revision = ", ".join(sorted(revisions))
            if revisions == heads:
                findings.append(Finding("ok", "migrations.ok", {"revision": revision}))
            elif revisions - known:
                findings.append(Finding("fail", "migrations.unknown", {"revision": revision}))
                return None
            else:
                head = ", ".join(sorted(heads))
                findings.append(
                    Finding("fail", "migrations.behind", {"revision": revision, "head": head})
                )
                return None
            result = await connection.execute(
                select(Community.chat_id, Community.title)
                .where(Community.active.is_(True))
                .order_by(Community.id)
            )
            return [Group(int(chat_id), str(title)) for chat_id, title in result]
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        findings.append(Finding("fail", "database.unreachable", {"error": first_line}))
        return None
    finally:
        await engine.dispose()


async def _telegram(
    settings: Settings,
    request: BaseRequest | None,
    now: datetime,
    groups: list[Group] | None,
    max_groups: int,
) -> tuple[list[Finding], list[Finding]]:
    """Check the token, privacy mode and the webhook; then each active community's group."""
    if not settings.token:
        return [Finding("fail", "token.missing")], []
    bot = Bot(
        settings.token,
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=request,
        get_updates_request=request,
    )
    try:
        try:
            await bot.initialize()  # getMe
        except InvalidToken:
            return [Finding("fail", "token.rejected")], []
        except TelegramError as error:  # NetworkError, TimedOut, a 5xx
            values = {"url": settings.api_url, "error": str(error)}
            return [Finding("fail", "token.unreachable", values)], []
        me = bot.bot
        reads_all = bool(me.can_read_all_group_messages)
        found = [
            Finding("ok", "token.ok", {"username": me.username, "id": me.id}),
            Finding("ok", "privacy.off") if reads_all else Finding("warn", "privacy.on"),
            *await _webhook(bot, settings, now),
        ]
        in_groups = [] if groups is None else await _groups(bot, me, reads_all, groups, max_groups)
        return found, in_groups
    finally:
        await bot.shutdown()


async def _webhook(bot: Bot, settings: Settings, now: datetime) -> list[Finding]:
    info = await bot.get_webhook_info()
    found: list[Finding] = []
    pending = info.pending_update_count
    expected = settings.webhook_url
    if expected and not info.url:
        found.append(Finding("warn", "webhook.not_set"))
    elif expected and info.url != expected:
        found.append(Finding("fail", "webhook.other", {"url": info.url, "expected": expected}))
    elif expected:
        found.append(Finding("ok", "webhook.ok", {"url": info.url, "pending": pending}))
    elif info.url:
        found.append(Finding("warn", "webhook.unexpected", {"url": info.url}))
    else:
        found.append(Finding("ok", "webhook.polling", {"pending": pending}))
    if pending > WEBHOOK_BACKLOG:
        found.append(Finding("warn", "webhook.backlog", {"pending": pending}))
    error_at = info.last_error_date
    if info.url and error_at is not None and now - error_at < RECENT_ERROR:
        found.append(
            Finding(
                "fail",
                "webhook.error",
                {"ago": now - error_at, "error": info.last_error_message or "?"},
            )
        )
    return found


async def _groups(
    bot: Bot, me: User, reads_all: bool, communities: list[Group], max_groups: int
) -> list[Finding]:
    if not communities:
        return [Finding("ok", "groups.none")]
    checked = communities if max_groups <= 0 else communities[:max_groups]
    gate = asyncio.Semaphore(GROUPS_AT_ONCE)

    async def one(community: Group) -> Finding | None:
        values: dict[str, Any] = {"title": community.title, "chat_id": community.chat_id}
        async with gate:
            try:
                member = await bot.get_chat_member(community.chat_id, me.id)
            except ChatMigrated as error:
                return Finding("warn", "group.migrated", {**values, "new_id": error.new_chat_id})
            except Forbidden as error:
                return Finding("fail", "group.removed", {**values, "status": error.message})
            except BadRequest as error:
                return Finding("fail", "group.unreachable", {**values, "error": error.message})
        if member.status in ("left", "kicked"):
            return Finding("fail", "group.removed", {**values, "status": member.status})
        if member.status == "member" and not reads_all:
            return Finding("warn", "group.privacy", values)
        return None

    results = await asyncio.gather(*(one(c) for c in checked))
    found = [r for r in results if r is not None]
    if len(checked) < len(communities):
        found.append(
            Finding("warn", "groups.partly", {"checked": len(checked), "total": len(communities)})
        )
    elif not any(f.level == "fail" for f in found):
        found.insert(0, Finding("ok", "groups.ok", {"checked": len(checked)}))
    return found


def _sqlite_file(settings: Settings) -> Path | None:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _exists(path: Path) -> bool:
    return path.is_file()


def _database_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.is_file())


def _disk(settings: Settings, min_free: int) -> list[Finding]:
    path = _sqlite_file(settings)
    if path is None:
        return [Finding("ok", "disk.postgresql")]
    if not path.is_file():
        return []  # said above: no database
    used = _database_size(path)
    free = shutil.disk_usage(path.parent).free
    need = max(min_free, 2 * used)
    values = {"free": size(free), "size": size(used), "need": size(need)}
    return [
        Finding("ok" if free >= need else "fail", "disk.ok" if free >= need else "disk.low", values)
    ]


def _backups(settings: Settings, now: datetime) -> list[Finding]:
    path = _sqlite_file(settings)
    if path is None:
        return [Finding("ok", "backup.postgresql")]
    directory = settings.backup_dir
    if directory is None:
        return [Finding("warn", "backup.off")]
    found = backups.backups(directory)
    values: dict[str, Any] = {"dir": directory, "count": len(found)}
    result: list[Finding] = []
    if not found:
        result.append(Finding("fail", "backup.none", values))
    else:
        age = now - found[-1][0]
        level: Level = "ok" if age <= STALE_BACKUP else "fail"
        result.append(
            Finding(level, "backup.ok" if level == "ok" else "backup.stale", {**values, "age": age})
        )
    if path.is_file() and directory.is_dir():
        used = _database_size(path)
        free = shutil.disk_usage(directory).free
        if free < used:
            result.append(
                Finding(
                    "fail", "backup.disk_low", {**values, "free": size(free), "size": size(used)}
                )
            )
    return result


def run(
    settings: Settings, *, lang: str | None = None, max_groups: int = DEFAULT_MAX_GROUPS
) -> int:
    """Print the doctor's findings; return 1 when there is a problem, else 0."""
    lang = lang or language(os.environ)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # reading the revisions says nothing
    findings = asyncio.run(diagnose(settings, max_groups=max_groups))
    print(render(findings, lang))
    return 1 if any(f.level == "fail" for f in findings) else 0
