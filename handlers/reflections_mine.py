"""/refleksisaya: a teacher's own reflections — list, read, edit, change sharing, delete.

Every lookup here is scoped to the person pressing the button (``get_own``): a forged or
forwarded button never shows anyone else's reflection.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from handlers import reflections_actions as actions
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
        markup = keyboard([button(context.t("reflect.button.write"), actions.New())])
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
        numbers.append(button(str(index), actions.Open(reflection.id)))
    nav = []
    if page > 0:
        nav.append(button(context.t("reflect.button.newer"), actions.Page(page - 1)))
    if page + 1 < pages:
        nav.append(button(context.t("reflect.button.older"), actions.Page(page + 1)))
    markup = keyboard(numbers, nav, [button(context.t("reflect.button.write"), actions.New())])
    text = "\n\n".join(lines)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
            return
        except TelegramError:
            pass  # too old to edit: send it anew
    await send(context, chat.id, text, markup=markup)


async def on_page(update: Update, context: KopiContext, press: actions.Page) -> None:
    await show_list(update, context, press.page, edit=True)


async def on_mine(update: Update, context: KopiContext, press: actions.Mine) -> None:
    await show_list(update, context, 0)


async def on_open(update: Update, context: KopiContext, press: actions.Open) -> None:
    """Show one reflection whole; a draft is continued instead."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
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
            button(context.t("reflect.button.edit"), actions.Edit(rid)),
            button(context.t("reflect.button.delete"), actions.Delete(rid)),
        ],
        [button(context.t("reflect.button.share"), actions.ShareOptions(rid))]
        if can_share(reflection)
        else [],
        [button(context.t("reflect.button.play"), actions.Play(rid))] if reflection.voices else [],
        [button(context.t("reflect.button.list"), actions.Mine())],
    ]
    await send_parts(context, chat.id, view_parts(context.lang, reflection, where), keyboard(*rows))


async def on_edit(update: Update, context: KopiContext, press: actions.Edit) -> None:
    """Ask which part to change."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    reflection = await _own_done(context, user.id, press.reflection_id)
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    rows = [
        [button(label(context.lang, part), actions.EditPart(reflection.id, part))]
        for part in reflection.parts()
    ]
    rows.append([button(context.t("reflect.button.cancel"), actions.EditCancel(reflection.id))])
    await send(context, chat.id, context.t("reflect.edit.choose"), markup=keyboard(*rows))


async def on_edit_part(update: Update, context: KopiContext, press: actions.EditPart) -> None:
    """Ask for the new text or voice note of one part (the conversation core's EDIT_PROMPT)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    part = press.part
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
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
    markup = keyboard(
        [button(context.t("reflect.button.cancel"), actions.EditCancel(reflection.id))]
    )
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


async def on_edit_cancel(update: Update, context: KopiContext, press: actions.EditCancel) -> None:
    """Leave the part as it was (its question closes)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        await close(session, user.id, press.reflection_id)
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
    markup = keyboard([button(context.t("reflect.button.view"), actions.Open(reflection.id))])
    text = context.t("reflect.edit.saved", label=label(context.lang, answer.part))
    await send(context, chat_id, text, markup=markup)


async def on_share_options(
    update: Update, context: KopiContext, press: actions.ShareOptions
) -> None:
    """Offer the other ways of sharing this reflection."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    reflection = await _own_done(context, user.id, press.reflection_id)
    if reflection is None or not can_share(reflection):
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    rid = reflection.id
    choices: list[tuple[Visibility, str, actions.VisibilityCode]] = [
        (Visibility.PRIVATE, "reflect.button.private", "p"),
        (Visibility.NAMED, "reflect.button.named", "n"),
        (Visibility.ANONYMOUS, "reflect.button.anonymous", "a"),
    ]
    rows = [
        [button(context.t(key), actions.Share(rid, code))]
        for visibility, key, code in choices
        if visibility.value != reflection.visibility
    ]
    rows.append([button(context.t("reflect.button.cancel"), actions.Open(rid))])
    text = context.t("reflect.share.choose", status=status_label(context.lang, reflection))
    await send(context, chat.id, text, markup=keyboard(*rows))


async def on_delete(update: Update, context: KopiContext, press: actions.Delete) -> None:
    """Ask before deleting a reflection or a draft."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    draft = reflection.status == Status.DRAFT.value
    key = "reflect.delete.confirm_draft" if draft else "reflect.delete.confirm"
    markup = keyboard(
        [
            button(
                context.t("reflect.button.confirm_delete"), actions.DeleteConfirmed(reflection.id)
            ),
            button(context.t("reflect.button.no"), actions.Open(reflection.id)),
        ]
    )
    await send(context, chat.id, context.t(key), markup=markup)


async def on_delete_confirmed(
    update: Update, context: KopiContext, press: actions.DeleteConfirmed
) -> None:
    """Delete a reflection (and its post in the group, while Telegram still allows it)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
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


async def on_play(update: Update, context: KopiContext, press: actions.Play) -> None:
    """Send the reflection's voice notes back to its author."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.db.begin() as session:
        reflection = await get_own(session, press.reflection_id, user.id)
    if reflection is None:
        await send(context, chat.id, context.t("reflect.not_found"))
        return
    for voice in reflection.voices:
        caption = context.t("reflect.post.voice", label=label(context.lang, voice.part))
        await context.bot.send_voice(chat.id, voice.file_id, caption=caption, parse_mode="HTML")


async def _own_done(context: KopiContext, person_id: int, reflection_id: int) -> Reflection | None:
    async with context.db.begin() as session:
        reflection = await get_own(session, reflection_id, person_id)
    if reflection is None or reflection.status != Status.DONE.value:
        return None
    return reflection
