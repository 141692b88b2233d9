"""Compute message entities the way Telegram does: from HTML markup and from plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

Entity = dict[str, Any]

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}

_AUTO = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<hashtag>(?<![\w#])#(?=\w*[^\W\d])\w+)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{5,32})"
    r"|(?P<url>\bhttps?://[^\s<>]+|\bt\.me/[^\s<>]+)"
)


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, as Telegram counts offsets."""
    return len(text.encode("utf-16-le")) // 2


class EntityError(ValueError):
    """Markup Telegram would refuse; the message is Telegram's own description."""


def auto_entities(text: str) -> list[Entity]:
    """Return the entities Telegram detects in plain text: commands, hashtags, mentions, URLs."""
    entities: list[Entity] = []
    for match in _AUTO.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        entities.append(
            {
                "type": kind,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    return entities


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[Entity] = []
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            raise EntityError(f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        if tag == "span" and ("class", "tg-spoiler") not in attrs:
            raise EntityError('Bad Request: can\'t parse entities: Unsupported start tag "span"')
        self.stack.append((tag, utf16_len(self.text), dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            raise EntityError(f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        _, start, attrs = self.stack.pop()
        length = utf16_len(self.text) - start
        if length == 0:
            return
        entity: Entity = {"type": _TAGS[tag], "offset": start, "length": length}
        if tag == "a":
            entity["url"] = attrs.get("href") or ""
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(markup: str) -> tuple[str, list[Entity]]:
    """Return the text and entities of an HTML-formatted message, or raise EntityError."""
    if re.search(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)", markup):
        raise EntityError(
            "Bad Request: can't parse entities: Character '&' is reserved and must be escaped"
        )
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    if parser.stack:
        raise EntityError(
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start "
            f'tag "{parser.stack[-1][0]}"'
        )
    if "<" in parser.rawdata:
        raise EntityError("Bad Request: can't parse entities: Unclosed start tag")
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return parser.text, entities


def format_text(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Return what Telegram would show for text sent with this parse mode, and its entities."""
    if parse_mode is None or parse_mode == "":
        return text, auto_entities(text)
    if parse_mode.upper() != "HTML":
        raise EntityError(f"Bad Request: unsupported parse_mode {parse_mode} in the offline API")
    plain, entities = parse_html(text)
    marked = {(e["type"], e["offset"], e["length"]) for e in entities}
    extra = [e for e in auto_entities(plain) if (e["type"], e["offset"], e["length"]) not in marked]
    return plain, sorted(entities + extra, key=lambda e: (e["offset"], -e["length"]))
