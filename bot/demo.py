"""`kopi demo`: chat with kopi in the terminal, as teachers in a group or in private, no token.

The real Application runs against the offline Bot API with an embedded SQLite database. Type as
the current person; lines starting with ':' steer the demo (see DEMO_HELP); a number presses the
button with that number.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.offline.driver import OfflineBot
from bot.offline.fake import JSON, Call, FakeTelegram
from handlers.texts import t

DEMO_DATABASE = Path("data") / "demo.db"
DEMO_HELP = """\
  :as NAMA       jadi orang lain (dibuat bila belum ada)   become someone else
  :group         bicara di grup komunitas                  talk in the community group
  :private       bicara di chat pribadi dengan kopi        talk to kopi in private
  :admin         jadikan/hapus admin grup                  make/unmake a group admin
  :reply N TEKS  balas pesan nomor N                       reply to message number N
  :press TEKS    tekan tombol terbaru yang memuat TEKS     press the latest button showing TEXT
  :who           siapa dan di mana                         who and where
  :quit          keluar                                    leave
  N              tekan tombol nomor N                      press button number N"""


@dataclass
class DemoState:
    """Who is typing where, and what can be pressed or replied to."""

    fake: FakeTelegram
    group: JSON
    people: dict[str, JSON] = field(default_factory=dict)
    me: str = "Budi"
    where: str = "group"
    buttons: list[tuple[JSON, JSON]] = field(default_factory=list)  # (message, button)
    messages: list[JSON] = field(default_factory=list)

    @property
    def user(self) -> JSON:
        return self.people[self.me]

    @property
    def chat(self) -> JSON:
        if self.where == "group":
            return self.group
        return self.fake.chats[self.user["id"]].chat

    def person(self, name: str) -> JSON:
        key = name.strip().title()
        if key not in self.people:
            self.people[key] = self.fake.add_user(key, language_code="id")
        return self.people[key]


class Demo:
    """The demo's loop: read a line, turn it into an update, show what kopi did."""

    def __init__(self, bot: OfflineBot, state: DemoState, out: TextIO) -> None:
        self.bot = bot
        self.state = state
        self.out = out

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def prompt(self) -> str:
        where = "grup" if self.state.where == "group" else "pribadi"
        return f"[{self.state.me} @ {where}] > "

    async def handle(self, line: str) -> bool:
        """Handle one line; return False to stop."""
        line = line.strip()
        if not line:
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        if line.startswith(":"):
            await self.command(line)
            return True
        if line.isdigit():
            await self.press(int(line))
            return True
        await self.send(self.state.fake.message(self.state.user, self.state.chat, line))
        return True

    async def command(self, line: str) -> None:
        name, _, rest = line[1:].partition(" ")
        state = self.state
        if name == "as" and rest.strip():
            state.person(rest)
            state.me = rest.strip().title()
            self.say(f"  (sekarang Anda {state.me})")
        elif name == "group":
            state.where = "group"
        elif name == "private":
            state.where = "private"
        elif name == "admin":
            chat_state = state.fake.chats[state.group["id"]]
            admin = chat_state.statuses.get(state.user["id"]) == "administrator"
            chat_state.statuses[state.user["id"]] = "member" if admin else "administrator"
            self.bot.services.admin_cache.clear()
            self.say(f"  ({state.me} {'bukan admin lagi' if admin else 'kini admin grup'})")
        elif name == "who":
            status = state.fake.chats[state.group["id"]].statuses.get(state.user["id"], "-")
            self.say(f"  {state.me} ({status}) di {state.where}; orang: {', '.join(state.people)}")
        elif name == "reply":
            number, _, text = rest.partition(" ")
            if not number.isdigit() or not 0 < int(number) <= len(state.messages):
                self.say("  (nomor pesan tidak dikenal)")
                return
            target = state.messages[int(number) - 1]
            chat = self.state.fake.chats[target["chat"]["id"]].chat
            await self.send(state.fake.message(state.user, chat, text or None, reply_to=target))
        elif name == "press" and rest.strip():
            wanted = rest.strip().lower()
            for index in range(len(state.buttons), 0, -1):
                if wanted in state.buttons[index - 1][1]["text"].lower():
                    await self.press(index)
                    return
            self.say("  (tidak ada tombol seperti itu)")
        else:
            self.say(DEMO_HELP)

    async def press(self, number: int) -> None:
        if not 0 < number <= len(self.state.buttons):
            self.say("  (tidak ada tombol dengan nomor itu)")
            return
        message, pressed = self.state.buttons[number - 1]
        url = pressed.get("url")
        if url:
            match = re.search(r"[?&]start=([\w-]+)", url)
            if match:  # a deep link opens the private chat and sends /start <payload>
                self.state.where = "private"
                await self.send(
                    self.state.fake.message(
                        self.state.user, self.state.chat, f"/start {match.group(1)}"
                    )
                )
            else:
                self.say(f"  (tautan: {url})")
            return
        current = self.state.fake.messages.get((message["chat"]["id"], message["message_id"]))
        try:
            update = self.state.fake.press(
                self.state.user, current or message, pressed["callback_data"]
            )
        except ValueError:  # the message was redrawn without that button
            self.say("  (tombol itu sudah tidak ada; lihat pesan terbaru)")
            return
        await self.send(update)

    async def send(self, update: JSON) -> None:
        if "message" in update:
            self.state.messages.append(update["message"])
            self.say(f"  #{len(self.state.messages)}")
        calls = await self.bot.process(update)
        self.show(calls)

    def show(self, calls: list[Call]) -> None:
        for call in calls:
            if call.error is not None:
                continue
            if call.method in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto"):
                self.show_message(call)
            elif call.method == "setMessageReaction":
                emoji = "".join(r.get("emoji", "") for r in call.params.get("reaction") or [])
                self.say(f"  kopi {emoji} (reaksi)")
            elif call.method == "answerCallbackQuery" and call.params.get("text"):
                self.say(f"  kopi (notifikasi): {call.params['text']}")

    def show_message(self, call: Call) -> None:
        message = call.result
        assert isinstance(message, dict)
        chat = message["chat"]
        where = "grup" if chat["type"] != "private" else f"pribadi {chat.get('first_name', '')}"
        edited = " (diedit)" if call.method == "editMessageText" else ""
        self.state.messages.append(message)
        self.say(f"  #{len(self.state.messages)} kopi → {where}{edited}:")
        body = call.text
        if "document" in message:
            body = f"[berkas {message['document'].get('file_name', '')}] {body}"
        for text_line in body.splitlines() or [""]:
            self.say(f"    {text_line}")
        markup = message.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            labels = []
            for pressed in row:
                self.state.buttons.append((message, pressed))
                labels.append(f"[{len(self.state.buttons)}] {pressed['text']}")
            self.say("    " + "  ".join(labels))


async def _run(database_url: str, lines: Callable[[str], str | None], out: TextIO) -> int:
    fake = FakeTelegram(can_read_all_group_messages=True)
    settings = Settings(token=None, database_url=database_url)
    bot = await OfflineBot.start(settings, fake)
    fake.clear()
    budi = fake.add_user("Budi", "Santoso", username="budi_guru", language_code="id")
    group = fake.add_group("Komunitas Guru Penggerak", admins=[budi])
    state = DemoState(fake=fake, group=group, people={"Budi": budi})
    for name in ("Sari", "Andi"):
        state.person(name)
        fake.set_status(group, state.people[name], "member")
    demo = Demo(bot, state, out)
    demo.say(t("id", "demo.banner"))
    demo.say(DEMO_HELP)
    demo.say('  (Budi menambahkan kopi ke grup "Komunitas Guru Penggerak")')
    await demo.send(fake.bot_added(group, budi))
    try:
        while True:
            line = await asyncio.to_thread(lines, demo.prompt())
            if line is None or not await demo.handle(line):
                break
    finally:
        await bot.stop()
    demo.say("Sampai jumpa! / Goodbye!")
    return 0


def run_demo(
    database_url: str | None = None, stdin: TextIO | None = None, out: TextIO | None = None
) -> int:
    """Run the terminal demo; stdin that is not a terminal is read as a script and echoed."""
    source = stdin or sys.stdin
    output = out or sys.stdout
    if database_url is None:
        DEMO_DATABASE.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite+aiosqlite:///{DEMO_DATABASE}"
    interactive = source.isatty()

    def read(prompt: str) -> str | None:
        if interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = source.readline()
        if not line:
            return None
        print(prompt + line.rstrip("\n"), file=output, flush=True)
        return line

    return asyncio.run(_run(database_url, read, output))
