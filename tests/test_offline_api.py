"""The offline Bot API answers like Telegram: entities, limits and refusals."""

from __future__ import annotations

from bot.offline.entities import auto_entities, format_text, parse_html, utf16_len
from bot.offline.fake import ApiError, FakeTelegram


def test_entities_use_utf16_offsets() -> None:
    text = "🙏 Ibu #keresahan soal /simpan di https://x.id @budi_guru"
    entities = {e["type"]: e for e in auto_entities(text)}
    assert entities["hashtag"]["offset"] == utf16_len("🙏 Ibu ") == 7
    assert entities["hashtag"]["length"] == len("#keresahan")
    assert entities["bot_command"]["offset"] == utf16_len("🙏 Ibu #keresahan soal ")
    assert {"url", "mention"} <= set(entities)
    assert auto_entities("#123 #a1 a#b") == [{"type": "hashtag", "offset": 5, "length": 3}]


def test_html_becomes_text_and_entities() -> None:
    text, entities = parse_html("<b>Halo</b>, <i>Bu &amp; Pak</i> <a href='https://t.me/x'>t</a>")
    assert text == "Halo, Bu & Pak t"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        ("bold", 0, 4),
        ("italic", 6, 8),
        ("text_link", 15, 1),
    ]


async def test_refusals_like_telegram() -> None:
    fake = FakeTelegram()
    budi = fake.add_user("Budi")
    group = fake.add_group("G", bot_status="member")

    async def call(method: str, **params: object) -> dict:
        return await fake.call(method, params)

    # A user who never opened a private chat cannot be messaged.
    body = await call("sendMessage", chat_id=budi["id"], text="hai")
    assert (body["ok"], body["error_code"]) == (False, 403)
    # Broken HTML, empty and over-long texts, over-long callback data.
    assert (
        "can't parse entities"
        in (await call("sendMessage", chat_id=group["id"], text="<b>x", parse_mode="HTML"))[
            "description"
        ]
    )
    assert (
        "Unsupported start tag"
        in (await call("sendMessage", chat_id=group["id"], text="<script>", parse_mode="HTML"))[
            "description"
        ]
    )
    assert (await call("sendMessage", chat_id=group["id"], text=" "))["description"] == (
        "Bad Request: message text is empty"
    )
    assert (await call("sendMessage", chat_id=group["id"], text="x" * 4097))["description"] == (
        "Bad Request: message is too long"
    )
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}
    assert (await call("sendMessage", chat_id=group["id"], text="a", reply_markup=markup))[
        "description"
    ] == "Bad Request: BUTTON_DATA_INVALID"
    # A good message gets an id, a date in seconds and entities.
    ok = await call(
        "sendMessage", chat_id=group["id"], text="#praktikbaik <b>ya</b>", parse_mode="HTML"
    )
    message = ok["result"]
    assert message["message_id"] == 1 and isinstance(message["date"], int)
    assert [e["type"] for e in message["entities"]] == ["hashtag", "bold"]
    # Editing to the same content is refused; a reaction must be a Telegram reaction.
    same = await call(
        "editMessageText",
        chat_id=group["id"],
        message_id=1,
        text="#praktikbaik <b>ya</b>",
        parse_mode="HTML",
    )
    assert "message is not modified" in same["description"]
    bad = await call(
        "setMessageReaction",
        chat_id=group["id"],
        message_id=1,
        reaction=[{"type": "emoji", "emoji": "🦖"}],
    )
    assert bad["description"] == "Bad Request: REACTION_INVALID"
    # Injected faults answer as Telegram would, then stop.
    fake.fail(
        lambda: ApiError(429, "Too Many Requests: retry after 3", {"retry_after": 3}),
        method="sendMessage",
    )
    limited = await call("sendMessage", chat_id=group["id"], text="a")
    assert limited["parameters"] == {"retry_after": 3}
    assert (await call("sendMessage", chat_id=group["id"], text="a"))["ok"] is True
    # Every call is recorded.
    assert [c.method for c in fake.calls][:2] == ["sendMessage", "sendMessage"]


def test_format_text_adds_auto_entities_to_html() -> None:
    text, entities = format_text("Lihat <b>#literasi</b> di https://kopi.id", "HTML")
    assert text == "Lihat #literasi di https://kopi.id"
    assert {e["type"] for e in entities} == {"bold", "hashtag", "url"}
