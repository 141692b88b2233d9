"""A Telegram Bot API that lives in memory: it answers like Telegram and records every call.

The same object serves the tests (in-process, through :class:`OfflineRequest`), the demo, and a
local HTTP server (``bot.offline.server``) for tests that go over the network. Users, groups and
what they do are made with the ``user_*`` / ``add_*`` methods, which return real update payloads.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.offline.entities import EntityError, auto_entities, format_text, utf16_len

JSON = dict[str, Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
REACTIONS = set(
    [
        "👍",
        "👎",
        "❤",
        "🔥",
        "🥰",
        "👏",
        "😁",
        "🤔",
        "🤯",
        "😱",
        "🤬",
        "😢",
        "🎉",
        "🤩",
        "🤮",
        "💩",
        "🙏",
        "👌",
        "🕊",
        "🤡",
        "🥱",
        "🥴",
        "😍",
        "🐳",
        "❤\u200d🔥",
        "🌚",
        "🌭",
        "💯",
        "🤣",
        "⚡",
        "🍌",
        "🏆",
        "💔",
        "🤨",
        "😐",
        "🍓",
        "🍾",
        "💋",
        "🖕",
        "😈",
        "😴",
        "😭",
        "🤓",
        "👻",
        "👨\u200d💻",
        "👀",
        "🎃",
        "🙈",
        "😇",
        "😨",
        "🤝",
        "✍",
        "🤗",
        "🫡",
        "🎅",
        "🎄",
        "☃",
        "💅",
        "🤪",
        "🗿",
        "🆒",
        "💘",
        "🙉",
        "🦄",
        "😘",
        "💊",
        "🙊",
        "😎",
        "👾",
        "🤷\u200d♂",
        "🤷",
        "🤷\u200d♀",
        "😡",
    ]
)


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: JSON
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    result: Any = None
    error: ApiError | None = None

    @property
    def text(self) -> str:
        """Return the text (or caption) this call sent, as Telegram shows it."""
        if isinstance(self.result, dict):
            return str(self.result.get("text") or self.result.get("caption") or "")
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[JSON]:
        """Return the inline buttons of this call, row after row."""
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not markup:
            return []
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Fault:
    """An injected failure: the next matching calls (or a share of them) fail this way."""

    error: Callable[[], ApiError | BaseException]
    method: str | None = None
    times: int | None = 1
    probability: float = 1.0


@dataclass
class Hold:
    """Matching calls held back until released: a way to freeze the bot in the middle of a send.

    With processed=True Telegram has done what the call asks (the message is in the chat) and only
    the answer is held: the bot waits, as it would for a slow network. With processed=False the
    call waits before Telegram looks at it (faults injected meanwhile still apply once released).
    The first `skip` matching calls pass; every later one is held until release().
    """

    method: str | None
    skip: int = 0
    processed: bool = True
    calls: list[Call] = field(default_factory=list)
    seen: int = 0
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str) -> bool:
        """Return whether a call of method is to be held (counting it)."""
        if self.gate.is_set() or self.method not in (None, method) or method == "getUpdates":
            return False
        self.seen += 1
        return self.seen > self.skip

    def release(self) -> None:
        """Let every held call go on (and stop holding new ones)."""
        self.gate.set()


@dataclass
class ChatState:
    """What the offline Telegram knows about a chat."""

    chat: JSON
    bot_status: str = "member"
    statuses: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    next_message_id: int = 1


class FakeTelegram:
    """An in-memory Bot API server with a test-friendly user side."""

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        bot_username: str = "kopi_komunitas_bot",
        can_read_all_group_messages: bool = False,
        clock: Callable[[], float] = time.time,
        seed: int = 0,
    ) -> None:
        self.bot: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "kopi",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": False,
        }
        self.clock = clock
        self.calls: list[Call] = []
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, JSON] = {}
        self.started: set[int] = set()
        self.messages: dict[tuple[int, int], JSON] = {}
        self.reactions: dict[tuple[int, int], list[JSON]] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.faults: list[Fault] = []
        self.holds: list[Hold] = []
        self.latency: float = 0.0
        self.random = random.Random(seed)
        self._ids = itertools.count(1)
        self._user_ids = itertools.count(100_001)
        self._group_ids = itertools.count(4_000_001)
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._pending: list[JSON] = []
        self._new_update = asyncio.Event()
        self._activity: asyncio.Condition | None = None
        self.webhook_url: str | None = None

    # ------------------------------------------------------------------ the Bot API side

    async def call(self, method: str, params: JSON, files: dict[str, Any] | None = None) -> JSON:
        """Answer one Bot API request with the JSON body Telegram would send."""
        if self.latency:
            await asyncio.sleep(self.latency)
        record = Call(method=method, params=dict(params), files=_files(files))
        if method != "getUpdates":
            self.calls.append(record)
        hold = next((h for h in self.holds if h.matches(method)), None)
        if hold is not None and not hold.processed:
            await self._held(hold, record)
        try:
            try:
                self._maybe_fail(method)
            except ApiError:
                raise
            except BaseException as failure:  # a timeout or a reset: the bot sees no answer
                record.error = ApiError(0, f"no answer: {failure!r}")
                raise
            handler = getattr(self, "_api_" + method, None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params, record.files)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            record.error = error
            body: JSON = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return body
        record.result = result
        if hold is not None and hold.processed:
            await self._held(hold, record)
        await self._notify()
        return {"ok": True, "result": result}

    async def _held(self, hold: Hold, record: Call) -> None:
        hold.calls.append(record)
        await self._notify()
        await hold.gate.wait()

    def hold(self, method: str | None = None, *, skip: int = 0, processed: bool = True) -> Hold:
        """Hold back matching calls after the first `skip` of them, until the hold is released."""
        held = Hold(method, skip, processed)
        self.holds.append(held)
        return held

    async def _notify(self) -> None:
        if self._activity is not None:
            async with self._activity:
                self._activity.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 10.0) -> None:
        """Wait until predicate() holds, re-checked after every successful or held call."""
        if self._activity is None:
            self._activity = asyncio.Condition()
        async with asyncio.timeout(seconds), self._activity:
            await self._activity.wait_for(predicate)

    def _maybe_fail(self, method: str) -> None:
        for fault in list(self.faults):
            if fault.method not in (None, method) or method == "getUpdates":
                continue
            if fault.probability < 1.0 and self.random.random() >= fault.probability:
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
            error = fault.error()
            raise error

    def fail(
        self,
        error: Callable[[], ApiError | BaseException],
        *,
        method: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
    ) -> None:
        """Make the next matching calls fail (ApiError answers, or exceptions such as timeouts)."""
        self.faults.append(Fault(error, method, times, probability))

    def _chat(self, params: JSON) -> ChatState:
        raw = params.get("chat_id")
        try:
            chat_id = int(str(raw))
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        state = self.chats.get(chat_id)
        if state is None:
            raise ApiError(400, "Bad Request: chat not found")
        if state.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": state.migrated_to},
            )
        return state

    def _writable_chat(self, params: JSON) -> ChatState:
        state = self._chat(params)
        chat = state.chat
        if chat["type"] == "private":
            if chat["id"] not in self.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif state.bot_status in ("left", "kicked"):
            kind = "supergroup" if chat["type"] == "supergroup" else "group"
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        return state

    def _api_getMe(self, params: JSON, files: Any) -> JSON:
        return dict(self.bot)

    def _api_logOut(self, params: JSON, files: Any) -> bool:
        return True

    def _api_close(self, params: JSON, files: Any) -> bool:
        return True

    def _api_deleteWebhook(self, params: JSON, files: Any) -> bool:
        self.webhook_url = None
        return True

    def _api_setWebhook(self, params: JSON, files: Any) -> bool:
        self.webhook_url = str(params.get("url") or "") or None
        return True

    def _api_getWebhookInfo(self, params: JSON, files: Any) -> JSON:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _api_getUpdates(self, params: JSON, files: Any) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if not self._pending and timeout > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                return []
        return self._pending[:limit]

    def _api_setMyCommands(self, params: JSON, files: Any) -> bool:
        commands = _json(params.get("commands")) or []
        for command in commands:
            name = command.get("command", "")
            if not (1 <= len(name) <= 32) or not all(
                c.islower() or c.isdigit() or c == "_" for c in name
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not (1 <= len(command.get("description", "")) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands[key] = commands
        return True

    def _api_deleteMyCommands(self, params: JSON, files: Any) -> bool:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def _api_getMyCommands(self, params: JSON, files: Any) -> list[JSON]:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return self.commands.get(key, [])

    def _api_getChat(self, params: JSON, files: Any) -> JSON:
        state = self._chat(params)
        info = dict(state.chat)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                },
            }
        )
        return info

    def _member(self, state: ChatState, user_id: int) -> JSON:
        if user_id == self.bot["id"]:
            status, user = state.bot_status, self.bot
        else:
            status = state.statuses.get(user_id, "left")
            user = self.users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": "?"}
        return _member_json(user, status)

    def _api_getChatMember(self, params: JSON, files: Any) -> JSON:
        state = self._chat(params)
        return self._member(state, int(params["user_id"]))

    def _api_getChatAdministrators(self, params: JSON, files: Any) -> list[JSON]:
        state = self._chat(params)
        if state.chat["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        admins = [uid for uid, s in state.statuses.items() if s in ("creator", "administrator")]
        result = [self._member(state, uid) for uid in admins]
        if state.bot_status == "administrator":
            result.append(self._member(state, self.bot["id"]))
        return result

    def _api_getChatMemberCount(self, params: JSON, files: Any) -> int:
        state = self._chat(params)
        return 1 + sum(1 for s in state.statuses.values() if s not in ("left", "kicked"))

    def _new_bot_message(self, state: ChatState, params: JSON) -> JSON:
        chat = state.chat
        message: JSON = {
            "message_id": 0,  # numbered once Telegram would accept it
            "date": int(self.clock()),
            "chat": dict(chat),
            "from": dict(self.bot),
        }
        thread = params.get("message_thread_id")
        if thread is not None:
            if not chat.get("is_forum"):
                raise ApiError(400, "Bad Request: message thread not found")
            message["message_thread_id"] = int(thread)
            message["is_topic_message"] = True
        reply = _json(params.get("reply_parameters"))
        if reply:
            target = self.messages.get((chat["id"], int(reply["message_id"])))
            if target is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if target is not None:
                message["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
        markup = _json(params.get("reply_markup"))
        if markup:
            _check_markup(markup)
            if "inline_keyboard" in markup:  # a sent message carries only an inline keyboard
                message["reply_markup"] = markup
        message["message_id"] = self._next_id(state)
        return message

    def _api_sendMessage(self, params: JSON, files: Any) -> JSON:
        state = self._writable_chat(params)
        raw = str(params.get("text") or "")
        text, entities = self._format(raw, params.get("parse_mode"), MAX_TEXT, "message")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        message = self._new_bot_message(state, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        self.messages[(state.chat["id"], message["message_id"])] = message
        return message

    def _format(self, raw: str, parse_mode: Any, limit: int, what: str) -> tuple[str, list[JSON]]:
        try:
            text, entities = format_text(raw, str(parse_mode) if parse_mode else None)
        except EntityError as error:
            raise ApiError(400, str(error)) from None
        if utf16_len(text) > limit:
            kind = "caption" if what == "caption" else "message"
            raise ApiError(400, f"Bad Request: {kind} is too long")
        return text, entities

    def _send_file(self, params: JSON, files: dict[str, tuple[str, bytes, str]], kind: str) -> JSON:
        state = self._writable_chat(params)
        caption = params.get("caption")
        caption_text: str = ""
        caption_entities: list[JSON] = []
        if caption:
            caption_text, caption_entities = self._format(
                str(caption), params.get("parse_mode"), MAX_CAPTION, "caption"
            )
        message = self._new_bot_message(state, params)
        upload = files.get(kind)
        reference = params.get(kind)
        if upload is not None:
            name, content, mime = upload
            file_id = f"offline-{kind}-{next(self._file_ids)}"
            described: JSON = {
                "file_id": file_id,
                "file_unique_id": file_id + "-u",
                "file_size": len(content),
            }
            if kind == "document":
                described.update({"file_name": name, "mime_type": mime})
        elif isinstance(reference, str) and reference:
            described = {"file_id": reference, "file_unique_id": reference + "-u"}
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if kind == "photo":
            described.update({"width": 640, "height": 480})
            message["photo"] = [described]
        else:
            message[kind] = described
        if caption:
            message["caption"] = caption_text
            if caption_entities:
                message["caption_entities"] = caption_entities
        self.messages[(state.chat["id"], message["message_id"])] = message
        return message

    def _api_sendDocument(self, params: JSON, files: dict[str, Any]) -> JSON:
        return self._send_file(params, files, "document")

    def _api_sendPhoto(self, params: JSON, files: dict[str, Any]) -> JSON:
        return self._send_file(params, files, "photo")

    def _api_sendVoice(self, params: JSON, files: dict[str, Any]) -> JSON:
        message = self._send_file(params, files, "voice")
        message["voice"].setdefault("duration", int(params.get("duration") or 0))
        return message

    def _api_sendChatAction(self, params: JSON, files: Any) -> bool:
        self._writable_chat(params)
        return True

    def _edited(self, params: JSON) -> JSON:
        state = self._writable_chat(params)
        key = (state.chat["id"], int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _api_editMessageText(self, params: JSON, files: Any) -> JSON:
        message = self._edited(params)
        text, entities = self._format(
            str(params.get("text") or ""), params.get("parse_mode"), MAX_TEXT, "message"
        )
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = _json(params.get("reply_markup"))
        if markup:
            _check_markup(markup)
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = text
        message["entities"] = entities
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(self.clock())
        return message

    def _api_editMessageReplyMarkup(self, params: JSON, files: Any) -> JSON:
        message = self._edited(params)
        markup = _json(params.get("reply_markup"))
        if markup:
            _check_markup(markup)
        if markup == message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current "
                "content and reply markup of the message",
            )
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(self.clock())
        return message

    def _api_deleteMessage(self, params: JSON, files: Any) -> bool:
        state = self._chat(params)
        key = (state.chat["id"], int(params.get("message_id") or 0))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        del self.messages[key]
        return True

    def _api_answerCallbackQuery(self, params: JSON, files: Any) -> bool:
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_setMessageReaction(self, params: JSON, files: Any) -> bool:
        state = self._writable_chat(params)
        key = (state.chat["id"], int(params.get("message_id") or 0))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to react not found")
        reaction = _json(params.get("reaction")) or []
        for item in reaction:
            if item.get("type") == "emoji" and item.get("emoji") not in REACTIONS:
                raise ApiError(400, "Bad Request: REACTION_INVALID")
        self.reactions[key] = reaction
        return True

    def _api_setChatMenuButton(self, params: JSON, files: Any) -> bool:
        return True

    def _api_setMyDescription(self, params: JSON, files: Any) -> bool:
        return True

    def _api_setMyShortDescription(self, params: JSON, files: Any) -> bool:
        return True

    def _api_getFile(self, params: JSON, files: Any) -> JSON:
        file_id = str(params.get("file_id") or "")
        return {"file_id": file_id, "file_unique_id": file_id + "-u", "file_path": f"f/{file_id}"}

    def _next_id(self, state: ChatState) -> int:
        value = state.next_message_id
        state.next_message_id += 1
        return value

    # ------------------------------------------------------------------ the people's side

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = "id",
        user_id: int | None = None,
    ) -> JSON:
        """Create a Telegram user."""
        uid = user_id if user_id is not None else next(self._user_ids)
        user: JSON = {"id": uid, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[uid] = user
        self.chats.setdefault(uid, ChatState(chat=_private_chat(user)))
        return user

    def add_group(
        self,
        title: str,
        *,
        supergroup: bool = False,
        forum: bool = False,
        members: list[JSON] | None = None,
        admins: list[JSON] | None = None,
        bot_status: str = "left",
    ) -> JSON:
        """Create a group chat (the bot is not in it until it is added)."""
        number = next(self._group_ids)
        if supergroup or forum:
            chat: JSON = {"id": -1_000_000_000_000 - number, "type": "supergroup", "title": title}
            if forum:
                chat["is_forum"] = True
        else:
            chat = {"id": -number, "type": "group", "title": title}
        state = ChatState(chat=chat, bot_status=bot_status)
        for user in members or []:
            state.statuses[user["id"]] = "member"
        for user in admins or []:
            state.statuses[user["id"]] = "administrator"
        self.chats[chat["id"]] = state
        return chat

    def set_status(self, chat: JSON, user: JSON, status: str) -> None:
        """Set a user's status in a chat (creator, administrator, member, left, kicked)."""
        self.chats[chat["id"]].statuses[user["id"]] = status

    def _update(self, **payload: Any) -> JSON:
        update: JSON = {"update_id": next(self._update_ids), **payload}
        return update

    def enqueue(self, update: JSON) -> JSON:
        """Hand an update to getUpdates (for a bot that polls)."""
        self._pending.append(update)
        self._new_update.set()
        return update

    def message(
        self,
        user: JSON | None,
        chat: JSON,
        text: str | None = None,
        *,
        caption: str | None = None,
        photo: bool = False,
        document: str | None = None,
        voice: bool = False,
        reply_to: JSON | None = None,
        thread_id: int | None = None,
        sender_chat: JSON | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        """Return an update: a user sends a message (text, or a file with a caption)."""
        state = self.chats[chat["id"]]
        current = state.chat
        if user is not None:
            if current["type"] == "private":
                self.started.add(user["id"])
            elif state.statuses.get(user["id"]) in (None, "left", "kicked"):
                state.statuses[user["id"]] = "member"
        message: JSON = {
            "message_id": self._next_id(state),
            "date": int(self.clock()),
            "chat": dict(current),
        }
        if user is not None:
            message["from"] = dict(user)
        if sender_chat is not None:
            message["sender_chat"] = dict(sender_chat)
        if thread_id is not None and current.get("is_forum"):
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if text is not None:
            message["text"] = text
            entities = auto_entities(text)
            if entities:
                message["entities"] = entities
        if caption is not None:
            message["caption"] = caption
            entities = auto_entities(caption)
            if entities:
                message["caption_entities"] = entities
        if photo:
            fid = f"user-photo-{next(self._file_ids)}"
            message["photo"] = [
                {"file_id": fid, "file_unique_id": fid + "-u", "width": 800, "height": 600}
            ]
        if document is not None:
            fid = f"user-doc-{next(self._file_ids)}"
            message["document"] = {
                "file_id": fid,
                "file_unique_id": fid + "-u",
                "file_name": document,
            }
        if voice:
            fid = f"user-voice-{next(self._file_ids)}"
            message["voice"] = {"file_id": fid, "file_unique_id": fid + "-u", "duration": 7}
        if reply_to is not None:
            message["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        if extra:
            message.update(extra)
        self.messages[(current["id"], message["message_id"])] = message
        return self._update(message=message)

    def edit(self, update: JSON, text: str) -> JSON:
        """Return an update: the author edits the message of an earlier update."""
        original = update.get("message") or update["edited_message"]
        edited = dict(original)
        field_name = "caption" if "caption" in original else "text"
        edited[field_name] = text
        entities = auto_entities(text)
        edited["caption_entities" if field_name == "caption" else "entities"] = entities
        edited["edit_date"] = int(self.clock())
        self.messages[(original["chat"]["id"], original["message_id"])] = edited
        return self._update(edited_message=edited)

    def press(self, user: JSON, message: JSON, data: str) -> JSON:
        """Return an update: a user presses an inline button of a message the bot sent."""
        buttons = [
            b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
        ]
        if not any(b.get("callback_data") == data for b in buttons):
            raise ValueError(f"no button with callback data {data!r} on that message")
        query: JSON = {
            "id": str(next(self._callback_ids)),
            "from": dict(user),
            "chat_instance": str(message["chat"]["id"]),
            "data": data,
            "message": message,
        }
        return self._update(callback_query=query)

    def bot_added(self, chat: JSON, by: JSON, *, status: str = "member") -> JSON:
        """Return an update: someone adds the bot to a group."""
        state = self.chats[chat["id"]]
        old = state.bot_status
        state.bot_status = status
        state.statuses.setdefault(by["id"], "administrator")
        return self._update(my_chat_member=self._chat_member_update(state, by, old, status))

    def bot_removed(self, chat: JSON, by: JSON) -> JSON:
        """Return an update: someone removes the bot from a group."""
        state = self.chats[chat["id"]]
        old = state.bot_status
        state.bot_status = "left"
        return self._update(my_chat_member=self._chat_member_update(state, by, old, "left"))

    def bot_joined_message(self, chat: JSON, by: JSON) -> JSON:
        """Return an update: the service message "X added kopi" (new_chat_members)."""
        state = self.chats[chat["id"]]
        state.bot_status = "member" if state.bot_status in ("left", "kicked") else state.bot_status
        return self.message(by, chat, extra={"new_chat_members": [dict(self.bot)]})

    def _chat_member_update(self, state: ChatState, by: JSON, old: str, new: str) -> JSON:
        return {
            "chat": dict(state.chat),
            "from": dict(by),
            "date": int(self.clock()),
            "old_chat_member": _member_json(self.bot, old),
            "new_chat_member": _member_json(self.bot, new),
        }

    def migrate(self, chat: JSON, by: JSON) -> tuple[JSON, list[JSON]]:
        """Upgrade a group to a supergroup; return the new chat and the two service updates."""
        state = self.chats[chat["id"]]
        new_chat: JSON = {
            "id": -1_000_000_000_000 - abs(chat["id"]),
            "type": "supergroup",
            "title": state.chat["title"],
        }
        new_state = ChatState(
            chat=new_chat, bot_status=state.bot_status, statuses=dict(state.statuses)
        )
        self.chats[new_chat["id"]] = new_state
        first = self.message(by, chat, extra={"migrate_to_chat_id": new_chat["id"]})
        state.migrated_to = new_chat["id"]
        second = self.message(by, new_chat, extra={"migrate_from_chat_id": chat["id"]})
        return new_chat, [first, second]

    # ------------------------------------------------------------------ reading what happened

    def sent(self, chat: JSON | int | None = None, *, method: str | None = None) -> list[Call]:
        """Return the successful calls that sent or edited messages, optionally in one chat."""
        chat_id = chat["id"] if isinstance(chat, dict) else chat
        wanted = (
            {method}
            if method
            else {
                "sendMessage",
                "sendDocument",
                "sendPhoto",
                "editMessageText",
                "editMessageReplyMarkup",
            }
        )
        return [
            c
            for c in self.calls
            if c.method in wanted
            and c.error is None
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def last(self, chat: JSON | int | None = None) -> Call:
        """Return the last message the bot sent or edited (in a chat)."""
        sent = self.sent(chat)
        if not sent:
            raise AssertionError("the bot sent nothing there")
        return sent[-1]

    def message_of(self, call: Call) -> JSON:
        """Return the message as it stands now, for a call that sent or edited it."""
        result = call.result
        assert isinstance(result, dict), "that call did not return a message"
        return self.messages[(result["chat"]["id"], result["message_id"])]

    def clear(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(400, "Bad Request: can't parse JSON") from None
    return value


def _files(files: dict[str, Any] | None) -> dict[str, tuple[str, bytes, str]]:
    result: dict[str, tuple[str, bytes, str]] = {}
    for name, value in (files or {}).items():
        if isinstance(value, tuple):
            filename, content = value[0], value[1]
            mime = value[2] if len(value) > 2 else "application/octet-stream"
            if hasattr(content, "read"):
                content = content.read()
            result[name] = (str(filename), bytes(content), str(mime))
    return result


def _check_markup(markup: JSON) -> None:
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not (1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def _scope_key(scope: Any) -> str:
    scope = _json(scope) or {"type": "default"}
    return str(scope.get("type", "default")) + (
        f":{scope['chat_id']}" if "chat_id" in scope else ""
    )


def _private_chat(user: JSON) -> JSON:
    chat: JSON = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if user.get("last_name"):
        chat["last_name"] = user["last_name"]
    if user.get("username"):
        chat["username"] = user["username"]
    return chat


def _member_json(user: JSON, status: str) -> JSON:
    member: JSON = {"status": status, "user": dict(user)}
    if status == "administrator":
        member.update(
            {
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        )
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member
