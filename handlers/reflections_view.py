"""How reflections look: whole (never cut) across as many messages as needed, and in the group."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from handlers.common import MAX_MESSAGE, NO_PREVIEW, send, shorten
from handlers.context import KopiContext
from handlers.texts import Markup, format_date, t
from models.community import Community
from models.lengths import utf16_len
from models.reflections import CHOOSE, MEETING, PARTS, SHARED, Reflection, Source, Status, Where

log = logging.getLogger(__name__)

# Room for one section title and separators when a long answer fills a message.
BODY_BUDGET = MAX_MESSAGE - 200


@dataclass(frozen=True)
class Atom:
    """A piece of HTML that is never split, and what joins it to the piece before."""

    html: str
    joiner: str = "\n\n"


def escaped_pieces(raw: str, budget: int = BODY_BUDGET) -> list[str]:
    """Split raw text into escaped HTML pieces of at most budget units, keeping every character.

    Cuts fall at a line break or a space when one is near; only that one separator is dropped.
    """
    pieces: list[str] = []
    rest = raw
    while rest:
        escaped = html.escape(rest, quote=False)
        if utf16_len(escaped) <= budget:
            pieces.append(escaped)
            break
        low, high = 1, len(rest)
        while low < high:  # the longest prefix whose escaped form fits
            middle = (low + high + 1) // 2
            if utf16_len(html.escape(rest[:middle], quote=False)) <= budget:
                low = middle
            else:
                high = middle - 1
        cut, skip = low, 0
        for separator in ("\n", " "):
            at = rest.rfind(separator, 0, low)
            if at > low // 2:
                cut, skip = at, 1
                break
        pieces.append(html.escape(rest[:cut], quote=False))
        rest = rest[cut + skip :]
    return pieces


def pack(atoms: Sequence[Atom], limit: int = MAX_MESSAGE) -> list[str]:
    """Join atoms into as few messages of at most limit units as they fit in."""
    messages: list[str] = []
    current = ""
    for atom in atoms:
        if not current:
            current = atom.html
        elif utf16_len(current) + utf16_len(atom.joiner) + utf16_len(atom.html) <= limit:
            current += atom.joiner + atom.html
        else:
            messages.append(current)
            current = atom.html
    if current:
        messages.append(current)
    return messages


def label(lang: str, part: str) -> str:
    """Return the name of a part (Fakta, Perasaan, ...)."""
    return t(lang, f"reflect.part.{part}")


def step_label(lang: str, step: str | None) -> str:
    """Return where a draft is, such as '2/4 Perasaan'."""
    if step in PARTS:
        return f"{PARTS.index(step) + 1}/4 {label(lang, step)}"
    if step == MEETING:
        return t(lang, "reflect.step.meeting")
    return t(lang, "reflect.step.choose") if step == CHOOSE else "-"


def meeting_date(lang: str, where: Where) -> str | None:
    """Return the date of the meeting a reflection is about, in its community's zone."""
    if where.meeting_at is None:
        return None
    return format_date(lang, where.meeting_at, where.timezone)


def heading(lang: str, where: Where) -> Markup:
    """Return the community, and the meeting when there is one, for a question's title line."""
    date = meeting_date(lang, where)
    if date is None:
        return Markup(html.escape(where.community_title, quote=False))
    return Markup(t(lang, "reflect.in_meeting", community=where.community_title, date=date))


def about_line(lang: str, where: Where) -> list[Atom]:
    """Return the line naming the meeting a reflection is about (nothing when none)."""
    date = meeting_date(lang, where)
    return [Atom(t(lang, "reflect.about", date=date), "\n")] if date else []


def section_atoms(lang: str, reflection: Reflection) -> list[Atom]:
    """Return the written parts of a reflection, whole, each under its title."""
    atoms: list[Atom] = []
    for part in reflection.parts():
        text = reflection.text_of(part) or ""
        voices = reflection.voices_of(part)
        if not text.strip() and not voices:
            continue
        title = f"<b>{label(lang, part)}</b>"
        pieces = escaped_pieces(text) if text.strip() else []
        if voices:
            pieces.append(t(lang, "reflect.voice_count", count=len(voices)))
        atoms.append(Atom(f"{title}\n{pieces[0]}"))
        atoms.extend(Atom(piece, "\n") for piece in pieces[1:])
    return atoms


def preview(lang: str, reflection: Reflection, limit: int = 80) -> str:
    """Return the first words of a reflection, for lists."""
    for part in reflection.parts():
        text = (reflection.text_of(part) or "").strip()
        if text:
            return shorten(text, limit)
    if reflection.voices:
        return t(lang, "reflect.voice_count", count=len(reflection.voices))
    return t(lang, "reflect.preview.empty")


def status_label(lang: str, reflection: Reflection) -> str:
    """Return a reflection's state in words (draft, private, shared ...)."""
    if reflection.status == Status.DRAFT.value:
        return t(lang, "reflect.status.draft", step=step_label(lang, reflection.step))
    return t(lang, f"reflect.status.{reflection.visibility}")


async def send_parts(
    context: KopiContext,
    chat_id: int,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    *,
    thread_id: int | None = None,
) -> list[Message]:
    """Send prepared HTML messages in order; the buttons go on the last one."""
    sent: list[Message] = []
    for index, part in enumerate(parts):
        message = await send(
            context,
            chat_id,
            part,
            thread_id=thread_id,
            markup=markup if index == len(parts) - 1 else None,
        )
        if message is None:
            break
        sent.append(message)
    return sent


def post_atoms(
    lang: str, reflection: Reflection, author_name: str | None, where: Where
) -> list[Atom]:
    """Return a shared reflection as the group sees it (no name when anonymous)."""
    if author_name is None:
        head = t(lang, "reflect.post.anonymous")
    else:
        head = t(lang, "reflect.post.named", name=author_name)
    return [Atom(head), *about_line(lang, where), *section_atoms(lang, reflection)]


def wants_post(reflection: Reflection) -> bool:
    """Return whether kopi should have this reflection posted in its group."""
    return (
        reflection.status == Status.DONE.value
        and reflection.source == Source.GUIDED.value
        and reflection.visibility in SHARED
    )


async def sync_post(
    context: KopiContext,
    reflection: Reflection,
    community: Community,
    author_name: str | None,
    where: Where,
) -> tuple[dict[str, Any] | None, bool]:
    """Make the group post match the reflection: posted when shared, removed when private.

    Returns the post to remember and whether everything could be done. Text is edited in place
    when the message count is unchanged; otherwise the old post is deleted and a new one sent,
    in a forum to the topic where the community's meetings are announced.
    """
    old = reflection.post
    if not wants_post(reflection):
        if not old:
            return None, True
        return None, await _delete_post(context, old)
    lang = community.language
    texts = pack(post_atoms(lang, reflection, author_name, where))
    voices = [(v.file_id, v.part) for part in PARTS for v in reflection.voices_of(part)]
    if (
        old
        and old.get("chat") == community.chat_id
        and len(old.get("text", [])) == len(texts)
        and [file for file, _ in old.get("voice", [])] == [file for file, _ in voices]
        and await _edit_all(context, community.chat_id, old["text"], texts)
    ):
        return old, True
    if old:
        await _delete_post(context, old)
    thread_id = where.thread_id if community.is_forum else None
    try:
        sent = await send_parts(context, community.chat_id, texts, thread_id=thread_id)
    except BadRequest as error:
        if thread_id is None or "thread not found" not in error.message.lower():
            raise
        # The meetings' topic was deleted: the general topic still reaches everyone.
        sent = await send_parts(context, community.chat_id, texts)
    if len(sent) < len(texts):
        return _post(community.chat_id, sent, []), False
    voice_ids: list[list[Any]] = []
    for file_id, part in voices:
        caption = t(lang, "reflect.post.voice", label=label(lang, part))
        try:
            message = await context.bot.send_voice(
                sent[0].chat_id,
                file_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                message_thread_id=sent[0].message_thread_id if sent[0].is_topic_message else None,
            )
        except TelegramError as error:
            log.info("voice note of reflection %s not posted: %s", reflection.id, error)
            return _post(sent[0].chat_id, sent, voice_ids), False
        voice_ids.append([file_id, message.message_id])
    return _post(sent[0].chat_id, sent, voice_ids), True


def _post(chat_id: int, sent: list[Message], voices: list[list[Any]]) -> dict[str, Any] | None:
    if not sent:
        return None
    return {"chat": chat_id, "text": [m.message_id for m in sent], "voice": voices}


async def _edit_all(
    context: KopiContext, chat_id: int, message_ids: list[int], texts: list[str]
) -> bool:
    for message_id, text in zip(message_ids, texts, strict=True):
        try:
            await context.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as error:
            if "not modified" in error.message:
                continue
            return False
        except TelegramError:
            return False
    return True


async def _delete_post(context: KopiContext, post: dict[str, Any]) -> bool:
    """Delete what kopi posted for a reflection; return False if some of it stays."""
    chat_id = int(post["chat"])
    ids = [*post.get("text", []), *(mid for _, mid in post.get("voice", []))]
    done = True
    for message_id in ids:
        try:
            await context.bot.delete_message(chat_id, message_id)
        except TelegramError as error:
            log.info("post message %s in %s not deleted: %s", message_id, chat_id, error)
            done = False
    return done


def question_html(lang: str, reflection: Reflection, where: Where) -> str:
    """Return the question of a draft's current step, with the answer it has so far."""
    step = reflection.step if reflection.step in PARTS else PARTS[0]
    text = t(
        lang,
        "reflect.question",
        number=PARTS.index(step) + 1,
        label=label(lang, step),
        community=heading(lang, where),
        question=t(lang, f"reflect.q.{step}"),
    )
    current = current_html(lang, reflection, step)
    if current:
        return text + "\n\n" + current
    if step == PARTS[0]:
        return text + "\n\n" + t(lang, "reflect.hint")
    return text


def current_html(lang: str, reflection: Reflection, part: str) -> str:
    """Return 'current answer: …' for a part that has one, else an empty string."""
    text = (reflection.text_of(part) or "").strip()
    voices = reflection.voices_of(part)
    if not text and not voices:
        return ""
    shown = shorten(text, 300) if text else ""
    if voices:
        count = t(lang, "reflect.voice_count", count=len(voices))
        shown = f"{shown} ({count})" if shown else count
    return t(lang, "reflect.current", answer=shown)


def summary_parts(lang: str, reflection: Reflection, where: Where) -> list[str]:
    """Return the summary of a finished draft and the sharing question, as messages."""
    atoms = [Atom(t(lang, "reflect.summary.title", community=where.community_title))]
    atoms.extend(about_line(lang, where))
    atoms.extend(section_atoms(lang, reflection))
    key = "reflect.summary.empty" if reflection.is_empty() else "reflect.summary.choose"
    atoms.append(Atom(t(lang, key)))
    return pack(atoms)


def view_parts(lang: str, reflection: Reflection, where: Where) -> list[str]:
    """Return a reflection as its author reads it in their list."""
    moment = reflection.completed_at or reflection.created_at
    head = t(
        lang,
        "reflect.view.title",
        community=where.community_title,
        date=format_date(lang, moment, where.timezone),
        status=Markup(status_label(lang, reflection)),
    )
    atoms = [Atom(head), *about_line(lang, where), *section_atoms(lang, reflection)]
    if reflection.is_empty():
        atoms.append(Atom(t(lang, "reflect.preview.empty")))
    return pack(atoms)
