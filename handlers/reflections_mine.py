"""/refleksisaya: a teacher's own reflections — list, read, edit, change sharing, delete.

Every lookup here is scoped to the person pressing the button (``get_own``): a forged or
forwarded button never shows anyone else's reflection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from handlers.common import button, is_group, keyboard, reply, send
from handlers.context import KopiContext
from handlers.conversation import ask
from handlers.reflections_view import (
    current_html,
    label,
    preview,
    send_parts,
    status_label,
    sync_post,
    view_parts,
    wants_post,
)
from handlers.reflections_write import resume
from handlers.start import deep_link_url
from handlers.texts import format_date
from models.community import Community, Person
from models.reflections import (
    EDIT_PROMPT,
    Answer,
    Reflection,
    Source,
    Status,
    Visibility,
    close,
    delete_own,
    focus,
    get_own,
    reflections_of,
    set_post,
    where_of,
)

PAGE_SIZE = 5

ButtonHandler = Callable[[Update, KopiContext, list[int], list[str]], Awaitable[None]]


def can_share(reflection: Reflection) -> bool:
    """Return whether the author may change who reads it (a group message is already public)."""
    return reflection.source == Source.GUIDED.value and reflection.status == Status.DONE.value


async def list_command(update: Update, context: KopiContext) -> None:
    """/refleksisaya: in private, the list; in a group, a button to the private list."""
    if is_group(update):
        url = deep_link_url(context.bot.username, "r", "saya")
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(context.t("reflect.button.mine"), url=url)]]
        )
        await reply(update, context, context.t("reflect.group.mine"), markup)
        return
    await show_list(update, context, 0)


async def show_list(update: Update, context: KopiContext, page: int, *, edit: bool = False) -> None:
    """Show one page of the person's reflections and drafts, newest first."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    lang = context.lang
    async with context.db.begin() as session:
        listed, total = await reflections_of(
            session, user.id, offset=max(page, 0) * PAGE_SIZE, limit=PAGE_SIZE
        )
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if not listed:
        if total and page > 0:  # the page emptied (deletions): show the last one
            await show_list(update, context, pages - 1, edit=edit)
            return
        markup = keyboard([button(context.t("reflect.button.write"), "rf:new")])
        await send(context, chat.id, context.t("reflect.mine.empty"), markup=markup)
        return
    lines = [context.t("reflect.mine.title", page=page + 1, pages=pages)]
    numbers: list[InlineKeyboardButton] = []
    for index, item in enumerate(listed, start=page * PAGE_SIZE + 1):
        reflection = item.reflection
        moment = reflection.completed_at or reflection.created_at
        lines.append(
            context.t(
                "reflect.mine.item",
                number=index,
                date=format_date(lang, moment, item.timezone),
                community=item.community_title,
                status=status_label(lang, reflection),
                preview=preview(lang, reflection),
            )
        )
        numbers.append(button(str(index), f"rf:o:{reflection.id}"))
    nav = []
    if page > 0:
        nav.append(button(context.t("reflect.button.newer"), f"rf:l:{page - 1}"))
    if page + 1 < pages:
        nav.append(button(context.t("reflect.button.older"), f"rf:l:{page + 1}"))
    markup = keyboard(numbers, nav, [button(context.t("reflect.button.write"), "rf:new")])
    text = "\n\n".join(lines)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
            return
        except TelegramError:
            pass  # too old to edit: send it anew
    await send(context, chat.id, text, markup=markup)


async def _page_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    await show_list(update, context, n[0] if n else 0, edit=True)


async def _list_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    await show_list(update, context, 0)


async def _open_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    """Show one reflection whole; a draft is continued instead."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if not n:
        return
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], user.id)
        where = await where_of(session, reflection, context.now()) if reflection else None
    if reflection is None or where is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    if reflection.status == Status.DRAFT.value:
        await resume(update, context, reflection.id)
        return
    rid = reflection.id
    rows = [
        [
            button(context.t("reflect.button.edit"), f"rf:e:{rid}"),
            button(context.t("reflect.button.delete"), f"rf:d:{rid}"),
        ],
        [button(context.t("reflect.button.share"), f"rf:h:{rid}")] if can_share(reflection) else [],
        [button(context.t("reflect.button.play"), f"rf:pv:{rid}")] if reflection.voices else [],
        [button(context.t("reflect.button.list"), "rf:L")],
    ]
    await send_parts(context, chat.id, view_parts(context.lang, reflection, where), keyboard(*rows))


async def _edit_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    """Ask which part to change."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    reflection = await _own_done(context, user.id, n)
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    rows = [
        [button(label(context.lang, part), f"rf:ep:{reflection.id}:{part}")]
        for part in reflection.parts()
    ]
    rows.append([button(context.t("reflect.button.cancel"), f"rf:ec:{reflection.id}")])
    await send(context, chat.id, context.t("reflect.edit.choose"), markup=keyboard(*rows))


async def _edit_part_button(
    update: Update, context: KopiContext, n: list[int], a: list[str]
) -> None:
    """Ask for the new text or voice note of one part (the conversation core's EDIT_PROMPT)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    part = a[1] if len(a) > 1 else ""
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], user.id) if n else None
        if (
            reflection is None
            or reflection.status != Status.DONE.value
            or part not in reflection.parts()
        ):
            reflection = None
        else:
            await focus(session, user.id, reflection, context.now())
    if reflection is None:
        await send(context, chat.id, context.t("error.expired_button"))
        return
    text = context.t("reflect.edit.prompt", label=label(context.lang, part))
    current = current_html(context.lang, reflection, part)
    if current:
        text += "\n\n" + current
    markup = keyboard([button(context.t("reflect.button.cancel"), f"rf:ec:{reflection.id}")])
    await ask(
        update,
        context,
        None,
        lambda who: text,
        kind=EDIT_PROMPT,
        target_id=reflection.id,
        payload=part,
        markup=markup,
    )


async def _edit_cancel_button(
    update: Update, context: KopiContext, n: list[int], a: list[str]
) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if n:
        async with context.db.begin() as session:
            await close(session, user.id, n[0])
    await send(context, chat.id, context.t("reflect.edit.cancelled"))


async def after_edit(context: KopiContext, chat_id: int, person_id: int, answer: Answer) -> None:
    """Confirm an edit (not the rest of a split message) and update the group post."""
    reflection = answer.reflection
    if wants_post(reflection) or reflection.post:
        async with context.db.begin() as session:
            community = await session.get(Community, reflection.community_id)
            author = await session.get(Person, person_id)
            where = await where_of(session, reflection, context.now())
        if community is not None:
            named = reflection.visibility == Visibility.NAMED.value and author is not None
            post, _ = await sync_post(
                context,
                reflection,
                community,
                author.full_name if named and author else None,
                where,
            )
            async with context.db.begin() as session:
                stored = await session.get(Reflection, reflection.id)
                if stored is not None:
                    await set_post(stored, post)
    if answer.appended:
        return
    markup = keyboard([button(context.t("reflect.button.view"), f"rf:o:{reflection.id}")])
    text = context.t("reflect.edit.saved", label=label(context.lang, answer.part))
    await send(context, chat_id, text, markup=markup)


async def _share_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    """Offer the other ways of sharing this reflection."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    reflection = await _own_done(context, user.id, n)
    if reflection is None or not can_share(reflection):
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    rid = reflection.id
    choices = [
        (Visibility.PRIVATE, "reflect.button.private", "p"),
        (Visibility.NAMED, "reflect.button.named", "n"),
        (Visibility.ANONYMOUS, "reflect.button.anonymous", "a"),
    ]
    rows = [
        [button(context.t(key), f"rf:v:{rid}:{code}")]
        for visibility, key, code in choices
        if visibility.value != reflection.visibility
    ]
    rows.append([button(context.t("reflect.button.cancel"), f"rf:o:{rid}")])
    text = context.t("reflect.share.choose", status=status_label(context.lang, reflection))
    await send(context, chat.id, text, markup=keyboard(*rows))


async def _delete_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    """Ask before deleting a reflection or a draft."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], user.id) if n else None
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    draft = reflection.status == Status.DRAFT.value
    key = "reflect.delete.confirm_draft" if draft else "reflect.delete.confirm"
    markup = keyboard(
        [
            button(context.t("reflect.button.confirm_delete"), f"rf:dd:{reflection.id}"),
            button(context.t("reflect.button.no"), f"rf:o:{reflection.id}"),
        ]
    )
    await send(context, chat.id, context.t(key), markup=markup)


async def _delete_confirmed(
    update: Update, context: KopiContext, n: list[int], a: list[str]
) -> None:
    """Delete a reflection (and its post in the group, while Telegram still allows it)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], user.id) if n else None
        if reflection is not None:
            where = await where_of(session, reflection, context.now())
            await delete_own(session, reflection.id, user.id)
            community = await session.get(Community, reflection.community_id)
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    if reflection.post and community is not None:
        reflection.visibility = Visibility.PRIVATE.value  # so that the post is taken down
        await sync_post(context, reflection, community, None, where)
    await send(context, chat.id, context.t("reflect.deleted"))


async def _play_button(update: Update, context: KopiContext, n: list[int], a: list[str]) -> None:
    """Send the reflection's voice notes back to its author."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], user.id) if n else None
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    for voice in reflection.voices:
        caption = context.t("reflect.post.voice", label=label(context.lang, voice.part))
        await context.bot.send_voice(chat.id, voice.file_id, caption=caption, parse_mode="HTML")


async def _own_done(context: KopiContext, person_id: int, n: list[int]) -> Reflection | None:
    if not n:
        return None
    async with context.db.begin() as session:
        reflection = await get_own(session, n[0], person_id)
    if reflection is None or reflection.status != Status.DONE.value:
        return None
    return reflection


BUTTONS: dict[str, ButtonHandler] = {
    "l": _page_button,
    "L": _list_button,
    "o": _open_button,
    "e": _edit_button,
    "ep": _edit_part_button,
    "ec": _edit_cancel_button,
    "h": _share_button,
    "d": _delete_button,
    "dd": _delete_confirmed,
    "pv": _play_button,
}
