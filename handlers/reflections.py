"""Private reflections on the 4F model: guided in private chat, reached from the group by link.

The flow is driven from the database, not from a ConversationHandler: a draft is a reflection
with its current step, and each step is a question of the conversation core
(``handlers.conversation``: kind STEP_PROMPT, or EDIT_PROMPT for a part of a finished
reflection). The core's dispatcher takes the answer — the person's next private message, or a
reply to the question — and calls :data:`ANSWERS`; "batal" closes the question and keeps the
draft. Every answer is committed before the next question is sent, so a restart (or a second
process) continues at the same question with the earlier answers intact.

The answers take voice notes too, keep their question open for the rest of a message the app
split (and for a message set aside after a silence), and a command or button of another
feature closes the question, so that the teacher's next message belongs to what they turned
to; a reply to another of kopi's messages is left to its feature.

A #refleksi message in a group is kept by :func:`hashtag_handler` (handler group REFLECTIONS in
bot.app, before EDITS: an edited #refleksi message updates its reflection), without stopping
anything, so a message that carries another feature's hashtag as well still reaches it.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import reflections_actions as actions
from handlers import reflections_mine as mine
from handlers.callbacks import ActionHandler, Callback, P, Payload, on, read
from handlers.callbacks import answer as answer_press
from handlers.common import button, is_group, keyboard, reply, send, spec
from handlers.context import KopiContext
from handlers.conversation import DECLINED, OPEN, Answering, Taken
from handlers.reflections_view import label, step_label
from handlers.reflections_write import (
    ask_step,
    begin,
    choice_markup,
    member_community,
    publish,
    resume,
)
from handlers.start import Help, Language, Languages, deep_link, deep_link_url
from handlers.texts import pick_language, t
from models.community import Community, Person
from models.prompts import Prompt, get_prompt, take_prompt
from models.reflections import (
    CHOOSE,
    EDIT_PROMPT,
    MEETING,
    PARTS,
    PROMPT_KINDS,
    STEP_PROMPT,
    Again,
    Answer,
    Choosing,
    Held,
    Spent,
    Status,
    Visibility,
    Voice,
    Where,
    choose_meeting,
    close,
    drop_held,
    finish,
    get_own,
    go_to,
    held_meeting,
    held_meetings,
    idle_drafts,
    may_continue,
    next_step,
    previous_step,
    save_group_reflection,
    set_visibility,
    take_answer,
    take_held,
    where_of,
)

log = logging.getLogger(__name__)

COMMANDS = [
    spec("refleksi", "reflect.cmd.write", "private", "group", aliases=["reflect"]),
    spec("refleksisaya", "reflect.cmd.mine", "private"),
]

PREFIX = "r"  # deep links: r, r-<community>, r-<community>-<meeting>, r-saya
OWN_COMMANDS = {"refleksi", "reflect", "refleksisaya"}
# Commands and buttons that only show something: they do not pause a reflection.
NEUTRAL_COMMANDS = {"bantuan", "help", "bahasa", "language"}
# Buttons that leave a reflection's question open: its own, and those that only show something.
NEUTRAL_ACTIONS: tuple[type[Payload], ...] = (*actions.ACTIONS, Help, Languages, Language)
HASHTAG = re.compile(r"(?<![\w#])#refleksi(?!\w)", re.IGNORECASE)
LINK = re.compile(rf"^{PREFIX}(?:-(\d{{1,9}})(?:-(\d{{1,9}}))?)?$")
VISIBILITY_CODES: dict[actions.VisibilityCode, Visibility] = {
    "p": Visibility.PRIVATE,
    "n": Visibility.NAMED,
    "a": Visibility.ANONYMOUS,
}


# ---------------------------------------------------------------------------- entry points


async def write_command(update: Update, context: KopiContext) -> None:
    """/refleksi: in a group, a link to the private chat; in private, start or resume."""
    if is_group(update):
        await invite(update, context)
        return
    await begin(update, context)


async def invite(update: Update, context: KopiContext) -> None:
    """Answer in the group with a button that opens the private chat set on this community."""
    community = context.community
    if community is None:
        return
    url = deep_link_url(context.bot.username, PREFIX, str(community.id))
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.t("reflect.button.write"), url=url)]]
    )
    await reply(update, context, context.t("reflect.group.invite"), markup)


async def open_link(update: Update, context: KopiContext) -> None:
    """/start r[-community[-meeting]] or r-saya: open reflections from a group's button."""
    payload = context.args[0] if context.args else PREFIX
    if payload == f"{PREFIX}-saya":
        await mine.show_list(update, context, 0)
        return
    match = LINK.match(payload)
    if match is None:
        await reply(update, context, context.t("reflect.link_unknown"))
        await begin(update, context)
        return
    if match.group(1) is None:
        await begin(update, context)
        return
    community = await member_community(update, context, int(match.group(1)))
    if community is None:
        return
    meeting_id = int(match.group(2)) if match.group(2) else None
    await begin(update, context, community_id=community.id, meeting_id=meeting_id)


# ---------------------------------------------------------------------------- answers


async def _answer_step(
    update: Update, context: KopiContext, pending: Prompt, text: str
) -> Taken | None:
    """A message answering a draft's step (the conversation core's STEP_PROMPT)."""
    return await _take(update, context, pending, part=None)


async def _answer_edit(
    update: Update, context: KopiContext, pending: Prompt, text: str
) -> Taken | None:
    """A message giving a finished reflection's part its new text (EDIT_PROMPT)."""
    return await _take(update, context, pending, part=pending.payload or "")


async def _take(
    update: Update, context: KopiContext, pending: Prompt, *, part: str | None
) -> Taken | None:
    """Write a message into the reflection its question is about; ask what comes next."""
    message, chat, user = update.message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None or pending.target_id is None:
        return DECLINED
    voice = _voice_of(message)
    text = message.text if message.text is not None else message.caption if voice else None
    if text is None and voice is None:
        await reply(update, context, context.t("reflect.unsupported"))
        return OPEN  # a photo: the question still waits for text or a voice note
    now = context.now()
    async with context.db.begin() as session:
        result = await take_answer(
            session,
            user.id,
            pending.target_id,
            part=part,
            text=text,
            voice=voice,
            now=now,
            message_id=message.message_id,
        )
        if result is None or isinstance(result, Spent):
            await take_prompt(session, pending.id)
            return DECLINED  # not (or no longer) for the reflection: the features answer it
        # An edit takes one answer; a long one keeps its question for the rest of the message.
        edited = part is not None and isinstance(result, Answer)
        closed = edited and not may_continue(text) and await take_prompt(session, pending.id)
        where = await where_of(session, result.reflection, now, choices=True)
    if isinstance(result, Held):
        await _ask_held(context, chat.id, result, where)
        return OPEN
    if isinstance(result, Choosing):
        markup = choice_markup(context, result.reflection)
        await send(context, chat.id, context.t("reflect.choose_hint"), markup=markup)
        return OPEN
    if isinstance(result, Again):
        # Delivered twice (kopi stopped before noting it): the question may not have gone out.
        if result.reflection.status == Status.DRAFT.value:
            await ask_step(update, context, result.reflection, where)
            return None
        return OPEN
    return await _answered(update, context, user.id, result, where, closed=closed)


async def _answered(
    update: Update,
    context: KopiContext,
    person_id: int,
    answer: Answer,
    where: Where,
    *,
    closed: bool = False,
) -> Taken | None:
    """Follow an answer: the next question, nothing (a split message), or an edit's result."""
    reflection = answer.reflection
    chat = update.effective_chat
    assert chat is not None
    if reflection.status == Status.DRAFT.value:
        if not answer.appended or reflection.step == CHOOSE:
            await ask_step(update, context, reflection, where)
            return None
        return OPEN  # the rest of a split message: the same question waits
    await mine.after_edit(context, chat.id, person_id, answer)
    return None if closed else OPEN


async def _cancelled_step(update: Update, context: KopiContext, pending: Prompt) -> None:
    """ "batal" at a step: the draft is kept where it was; say how to go on."""
    if pending.target_id is not None:
        await _stopped(update, context, pending.target_id)


async def _cancelled_edit(update: Update, context: KopiContext, pending: Prompt) -> None:
    await reply(update, context, context.t("reflect.edit.cancelled"))


def _keeps(update: Update) -> bool:
    """Return whether a command or press leaves a reflection's question open: its own, or one
    that only shows something; any other turns the person to another feature."""
    query = update.callback_query
    if query is not None:
        return isinstance(read(query.data), NEUTRAL_ACTIONS)
    message = update.message
    return message is not None and message.text is not None and _keeps_reflection(message.text)


ANSWERS = {
    STEP_PROMPT: Answering(_answer_step, any_message=True, cancelled=_cancelled_step, keeps=_keeps),
    EDIT_PROMPT: Answering(_answer_edit, any_message=True, cancelled=_cancelled_edit, keeps=_keeps),
}


def _voice_of(message: Message) -> Voice | None:
    """Return a message's voice note, if it has one."""
    if message.voice is None:
        return None
    # to_dict() gives Telegram's seconds without PTB's int-to-timedelta deprecation warning.
    seconds = message.voice.to_dict().get("duration", 0)
    return Voice(message.voice.file_id, int(seconds) if isinstance(seconds, int | float) else 0)


def _keeps_reflection(command_text: str) -> bool:
    """Return whether a command leaves a reflection waiting (its own, or one that only shows)."""
    words = command_text.split()
    command = words[0][1:].split("@", 1)[0].lower()
    payload = words[1] if len(words) > 1 else None
    if command == "start":
        return payload is None or bool(LINK.match(payload)) or payload == f"{PREFIX}-saya"
    return command in OWN_COMMANDS or command in NEUTRAL_COMMANDS


async def _ask_held(context: KopiContext, chat_id: int, held: Held, where: Where) -> None:
    reflection = held.reflection
    part = label(context.lang, held.part)
    if reflection.status == Status.DRAFT.value:
        text = context.t("reflect.held", community=where.community_title, label=part)
    else:
        text = context.t("reflect.held_edit", label=part)
    markup = keyboard(
        [
            button(context.t("reflect.button.held_yes"), actions.KeepHeld(reflection.id)),
            button(context.t("reflect.button.held_no"), actions.DropHeld(reflection.id)),
        ]
    )
    await send(context, chat_id, text, markup=markup)


# ---------------------------------------------------------------------------- buttons


def _in_private(action: type[P], callback: Callback[P]) -> ActionHandler:
    """Return an action's handler that answers the press, and refuses it outside private chat
    (a reflection's buttons are only ever sent there: a forwarded one does nothing)."""

    async def pressed(update: Update, context: KopiContext, press: P) -> None:
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            await answer_press(update, context.t("error.private_only"), alert=True)
            return
        await answer_press(update)
        await callback(update, context, press)

    return on(action, pressed)


async def on_start(update: Update, context: KopiContext, press: actions.Start) -> None:
    await begin(update, context)


async def on_community(update: Update, context: KopiContext, press: actions.ForCommunity) -> None:
    community = await member_community(update, context, press.community_id)
    if community is not None:
        await begin(update, context, community_id=community.id)


async def on_new(
    update: Update,
    context: KopiContext,
    press: actions.New | actions.NewFor | actions.NewForMeeting,
) -> None:
    community_id = meeting_id = None
    if not isinstance(press, actions.New):
        community = await member_community(update, context, press.community_id)
        if community is None:
            return
        community_id = community.id
        meeting_id = press.meeting_id if isinstance(press, actions.NewForMeeting) else None
    await begin(update, context, community_id=community_id, meeting_id=meeting_id, new=True)


async def on_resume(update: Update, context: KopiContext, press: actions.Resume) -> None:
    await resume(update, context, press.draft_id)


async def on_move(update: Update, context: KopiContext, press: actions.Back | actions.Skip) -> None:
    """Go back or skip from the step the button was shown at."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    forward = isinstance(press, actions.Skip)
    now = context.now()
    async with context.db.begin() as session:
        draft = await get_own(session, press.draft_id, user.id)
        if draft is None or draft.status != Status.DRAFT.value or draft.step != press.step:
            draft = None  # a button of a step already left
        else:
            step = next_step(press.step) if forward else previous_step(press.step)
            if (
                not forward
                and step == PARTS[0]
                and await held_meetings(session, draft.community_id, now, 1)
            ):
                step = MEETING  # back from the first question: which meeting it is about
            draft = await go_to(session, user.id, draft, step, now)
            where = await where_of(session, draft, now, choices=True)
    if draft is None:
        await send(context, chat.id, context.t("error.expired_button"))
        return
    await ask_step(update, context, draft, where)


async def on_meeting(update: Update, context: KopiContext, press: actions.ChooseMeeting) -> None:
    """Set the meeting a draft is about (0 for none), then go on."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    now = context.now()
    refused = False
    chosen = press.meeting_id
    async with context.db.begin() as session:
        draft = await get_own(session, press.draft_id, user.id)
        if draft is None or draft.status != Status.DRAFT.value:
            draft = None
        else:
            meeting = (
                await held_meeting(session, chosen, draft.community_id, now) if chosen else None
            )
            # Only a held meeting of the draft's own community: a forged id changes nothing.
            refused = bool(chosen) and meeting is None
            if not refused:
                draft = await choose_meeting(session, user.id, draft, meeting, now)
            where = await where_of(session, draft, now, choices=True)
    if draft is None:
        await send(context, chat.id, context.t("error.expired_button"))
        return
    if refused:
        await send(context, chat.id, context.t("reflect.meeting.gone"))
    await ask_step(update, context, draft, where)


async def on_stop(update: Update, context: KopiContext, press: actions.Stop) -> None:
    """Pause: the draft stays; offer to continue or delete it."""
    await _stopped(update, context, press.draft_id)


async def _stopped(update: Update, context: KopiContext, draft_id: int) -> None:
    """Close the draft's question (its answers stay); offer to continue or delete it."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        draft = await get_own(session, draft_id, user.id)
        if draft is not None:
            await close(session, user.id, draft.id)
    if draft is None or draft.status != Status.DRAFT.value:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    markup = keyboard(
        [button(context.t("reflect.button.resume"), actions.Resume(draft.id))],
        [button(context.t("reflect.button.delete_draft"), actions.Delete(draft.id))],
    )
    await send(context, chat.id, context.t("reflect.stopped"), markup=markup)


async def on_held(
    update: Update, context: KopiContext, press: actions.KeepHeld | actions.DropHeld
) -> None:
    """Take or drop the message written after a long silence (as the answer to the question
    that is still open)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    keep = isinstance(press, actions.KeepHeld)
    now = context.now()
    answer: Answer | None = None
    closed = False
    async with context.db.begin() as session:
        if not keep:
            await drop_held(session, user.id)
        else:
            rid = press.reflection_id
            pending = await get_prompt(session, chat.id, user.id, now)
            if pending is not None and pending.kind in PROMPT_KINDS and pending.target_id == rid:
                part = pending.payload if pending.kind == EDIT_PROMPT else None
                answer = await take_held(session, user.id, rid, part, now)
                if answer is not None and part is not None:
                    closed = await take_prompt(session, pending.id)  # an edit takes one answer
            if answer is not None:
                where = await where_of(session, answer.reflection, now, choices=True)
    if not keep:
        await send(context, chat.id, context.t("reflect.held_no"))
    elif answer is None:
        await send(context, chat.id, context.t("error.expired_button"))
    else:
        await _answered(update, context, user.id, answer, where, closed=closed)


async def on_share(update: Update, context: KopiContext, press: actions.Share) -> None:
    """Finish a draft as private, shared or anonymous; or change a reflection's sharing."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    visibility = VISIBILITY_CODES[press.visibility]
    now = context.now()
    before: str | None = None
    community: Community | None = None
    author: Person | None = None
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
        valid = reflection is not None and (
            (reflection.status == Status.DRAFT.value and reflection.step == CHOOSE)
            or (reflection.status == Status.DONE.value and mine.can_share(reflection))
        )
        if reflection is None or not valid or reflection.is_empty():
            reflection = None
        else:
            before = reflection.visibility
            if reflection.status == Status.DRAFT.value:
                reflection = await finish(session, reflection, visibility, now)
                before = None
            elif before != visibility.value:
                set_visibility(reflection, visibility, now)
            community = await session.get(Community, reflection.community_id)
            author = await session.get(Person, user.id)
            where = await where_of(session, reflection, now)
    if reflection is None:
        await send(context, chat.id, context.t("error.expired_button"))
        return
    if before == visibility.value:
        status = context.t(f"reflect.status.{visibility.value}")
        await send(context, chat.id, context.t("reflect.share.unchanged", status=status))
        return
    assert community is not None
    await publish(context, chat.id, reflection, community, author, where, before=before)


def button_handlers() -> list[ActionHandler]:
    """Return one handler per reflection action (each only in private chat)."""
    handlers = [
        _in_private(actions.Start, on_start),
        _in_private(actions.ForCommunity, on_community),
        _in_private(actions.New, on_new),
        _in_private(actions.NewFor, on_new),
        _in_private(actions.NewForMeeting, on_new),
        _in_private(actions.Resume, on_resume),
        _in_private(actions.ChooseMeeting, on_meeting),
        _in_private(actions.Back, on_move),
        _in_private(actions.Skip, on_move),
        _in_private(actions.Stop, on_stop),
        _in_private(actions.KeepHeld, on_held),
        _in_private(actions.DropHeld, on_held),
        _in_private(actions.Share, on_share),
        _in_private(actions.Page, mine.on_page),
        _in_private(actions.Mine, mine.on_mine),
        _in_private(actions.Open, mine.on_open),
        _in_private(actions.Edit, mine.on_edit),
        _in_private(actions.EditPart, mine.on_edit_part),
        _in_private(actions.EditCancel, mine.on_edit_cancel),
        _in_private(actions.ShareOptions, mine.on_share_options),
        _in_private(actions.Delete, mine.on_delete),
        _in_private(actions.DeleteConfirmed, mine.on_delete_confirmed),
        _in_private(actions.Play, mine.on_play),
    ]
    assert {h.action for h in handlers} == set(actions.ACTIONS)  # one handler per action
    return handlers


# ---------------------------------------------------------------------------- the group


async def group_hashtag(update: Update, context: KopiContext) -> None:
    """Keep a #refleksi message as a reflection shared by its author (once per message)."""
    message = update.effective_message
    community = context.community
    if message is None or community is None or not community.active:
        return
    user = message.from_user
    text = message.text if message.text is not None else message.caption or ""
    body = HASHTAG.sub("", text).strip()
    voice = _voice_of(message)
    if user is None or user.is_bot or message.sender_chat is not None or (not body and not voice):
        # Nothing to keep (or nobody to keep it for): show where reflections are written.
        if update.edited_message is None:
            await invite(update, context)
        return
    async with context.db.begin() as session:
        _, created = await save_group_reflection(
            session,
            community_id=community.id,
            author_id=user.id,
            chat_id=message.chat_id,
            message_id=message.message_id,
            body=body or None,
            voice=voice,
            now=context.now(),
        )
    if created:
        chat_id, message_id = message.chat_id, message.message_id

        async def acknowledge() -> None:
            try:
                await context.bot.set_message_reaction(chat_id, message_id, "✍")
            except TelegramError as error:
                log.info("no reaction on %s/%s: %s", chat_id, message_id, error)

        context.services.outbox.post(chat_id, acknowledge)


# ---------------------------------------------------------------------------- silence


async def notify_idle_drafts(context: KopiContext) -> int:
    """Tell teachers silent for 30 minutes that their draft is kept and how to go on (a job)."""
    async with context.db.begin() as session:
        found = await idle_drafts(session, context.now())
    for item in found:
        person = item.person
        lang = pick_language(
            person.language, person.telegram_language, context.services.default_language
        )
        text = t(
            lang,
            "reflect.idle",
            community=item.community_title,
            step=step_label(lang, item.reflection.step),
        )
        markup = keyboard(
            [button(t(lang, "reflect.button.resume"), actions.Resume(item.reflection.id))]
        )
        await send(context, person.id, text, markup=markup)
    return len(found)


# ---------------------------------------------------------------------------- wiring


async def _on_hashtag(update: Update, context: KopiContext) -> None:
    message = update.effective_message
    if message is not None and not (message.text or "").startswith("/"):
        await group_hashtag(update, context)


def hashtag_handler() -> BaseHandler[Update, KopiContext, None]:
    """Return the handler of #refleksi in a group, sent or edited (bot.app's group REFLECTIONS).

    It runs before group EDITS, which stops every edited message, and outside group 0, where the
    first match wins: a message with another feature's hashtag as well still reaches it.
    """
    hashtag = filters.Regex(HASHTAG) | filters.CaptionRegex(HASHTAG)
    return MessageHandler(filters.ChatType.GROUPS & hashtag, _on_hashtag)


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the reflection handlers of group 0 (hashtag_handler() runs before them)."""
    return [
        CommandHandler("start", open_link, filters=deep_link(PREFIX)),
        CommandHandler(["refleksi", "reflect"], write_command),
        CommandHandler("refleksisaya", mine.list_command),
        *button_handlers(),
    ]
