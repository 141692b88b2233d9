"""/laporan (/report): the community's report for a period, as an XLSX and a PDF document.

A facilitator types ``/laporan`` in the group and picks the period with a button: this month,
this semester (January-June or July-December) or another period, for which kopi asks for two
dates (``1/8/2026 30/11/2026``) with a reply prompt. ``/laporan 1/8/2026 30/11/2026``,
``/laporan bulan`` and ``/laporan semester`` skip the question. Members are refused politely.

The work runs in the background, behind the chat's other replies (the outbox), so the group's
next messages are handled meanwhile: the data is read in one read-only session, the files are
built in a worker thread (asyncio.to_thread), and a progress message ("Menyiapkan laporan…
1/3") is edited as it goes; then both files are sent as documents. One report per community
runs at a time.

The question for dates is the conversation core's (``handlers.conversation``), so an answer is
understood after a restart too; an answer that is not two dates gets the example again.

In private, ``/laporan`` works for the facilitator's community (buttons when she has several):
the files come to the private chat, with a "Kirim ke grup" button that sends the same report to
the group. That press is keyed by the message it sits on, so pressing it twice sends once.

Buttons: :class:`ReportPeriod` (``rp:p:<yyyymmdd>:<yyyymmdd>``), :class:`ReportCustom`
(``rp:c``, ask for dates), :class:`ReportToGroup` (``rp:g:<yyyymmdd>:<yyyymmdd>``).
"""

from __future__ import annotations

import asyncio
import html
import logging
from dataclasses import dataclass
from datetime import date, datetime

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CommandHandler

from handlers.agreements import press_community, source_of
from handlers.callbacks import Payload, on
from handlers.common import (
    button,
    edit,
    keyboard,
    not_modified,
    refuse_unless_facilitator,
    reply,
    spec,
    thread_of,
)
from handlers.community_choice import Run, is_private, private_command
from handlers.context import KopiContext
from handlers.conversation import Answer, ask, drop
from handlers.report_files import (
    build_pdf,
    build_xlsx,
    file_name,
    month_label,
    period_label,
    semester_label,
)
from handlers.texts import Markup
from models.agreements import Source
from models.community import Community
from models.prompts import Prompt, take_prompt
from models.reports import (
    Period,
    gather,
    local_today,
    make_period,
    month_period,
    record_request,
    semester_period,
)
from scheduler.phrases import read_period, read_report_day

log = logging.getLogger(__name__)

COMMANDS = [spec("laporan", "report.cmd", "admin", "private", aliases=["report"])]

MONTH_WORDS = frozenset({"bulan", "bulanan", "month", "monthly"})
SEMESTER_WORDS = frozenset({"semester", "semesteran"})
KIND_DATES = "report.dates"


@dataclass(frozen=True)
class ReportPeriod(Payload, prefix="rp:p"):
    """Make the report for a period (its first and last day as yyyymmdd)."""

    first: int
    last: int


@dataclass(frozen=True)
class ReportCustom(Payload, prefix="rp:c"):
    """Ask for the dates of another period."""


@dataclass(frozen=True)
class ReportToGroup(Payload, prefix="rp:g"):
    """Send a report made in private to the community's group too."""

    first: int
    last: int


def _day(number: int) -> date | None:
    try:
        return datetime.strptime(f"{number:08d}", "%Y%m%d").date()
    except ValueError:
        return None


def _period_of(action: ReportPeriod | ReportToGroup, community: Community) -> Period | None:
    first, last = _day(action.first), _day(action.last)
    if first is None or last is None:
        return None
    return make_period(first, last, community.timezone)


# ---------------------------------------------------------------------------- periods


def parse_day(text: str, today: date) -> tuple[date | None, str]:
    """Read a date at the start of text ('1/8/2026', '2026-08-01', '1 Agustus 2026'; without a
    year: this year's); return it and what follows (`kopi export`: a date, no 'kemarin')."""
    if not text.strip()[:1].isdigit():
        return None, text.strip()
    return read_report_day(text, today)


def parse_period(text: str, today: date, timezone: str) -> Period | None:
    """Return the period typed ('1/8/2026 30/11/2026', '1 Agustus sampai hari ini', 'Agustus -
    November 2026'; scheduler.phrases.read_period), or None."""
    days = read_period(text, today)
    return make_period(*days, timezone) if days is not None else None


def _period_data(period: Period) -> ReportPeriod:
    return ReportPeriod(*_days(period))


def _choices(context: KopiContext, community: Community) -> InlineKeyboardMarkup:
    today = local_today(context.now(), community.timezone)
    month = month_period(today, community.timezone)
    semester = semester_period(today, community.timezone)
    return keyboard(
        [
            button(
                context.t("report.button.month", period=month_label(context.lang, today)),
                _period_data(month),
            )
        ],
        [
            button(
                context.t("report.button.semester", period=semester_label(context.lang, semester)),
                _period_data(semester),
            )
        ],
        [button(context.t("report.button.custom"), ReportCustom())],
    )


# ---------------------------------------------------------------------------- asking


async def run_report(
    update: Update, context: KopiContext, community: Community, words: str
) -> None:
    """/laporan: offer the periods; /laporan <dates|bulan|semester> makes the report at once."""
    if await refuse_unless_facilitator(update, context):
        return
    if not words:
        await reply(update, context, context.t("report.choose"), _choices(context, community))
        return
    today = local_today(context.now(), community.timezone)
    keyword = words.lower().replace("ini", "").replace("this", "").strip()
    if keyword in MONTH_WORDS:
        period: Period | None = month_period(today, community.timezone)
    elif keyword in SEMESTER_WORDS:
        period = semester_period(today, community.timezone)
    else:
        period = parse_period(words, today, community.timezone)
    if period is None:
        await reply(update, context, context.t("report.bad_dates"), _choices(context, community))
        return
    await start_report(update, context, community, period)


async def on_period(update: Update, context: KopiContext, action: ReportPeriod) -> None:
    """A period button: make the report."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None or await refuse_unless_facilitator(update, context):
        return
    period = _period_of(action, community)
    if period is None:
        await query.answer(context.t("error.expired_button"))
        return
    await start_report(update, context, community, period)


async def on_custom(update: Update, context: KopiContext, action: ReportCustom) -> None:
    """Another period: ask for its dates."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None or await refuse_unless_facilitator(update, context):
        return
    await query.answer()
    await ask_dates(update, context)


async def ask_dates(update: Update, context: KopiContext, *, again: bool = False) -> None:
    """Ask the facilitator for two dates, with a prompt that opens a reply in their app."""

    def question(who: Markup) -> str:
        title = Markup(f"<b>{html.escape(context.t('report.ask.title'))}</b>")
        text = context.t("report.ask", title=title, who=who)
        return context.t("report.bad_dates") + "\n\n" + text if again else text

    await ask(update, context, context.community, question, kind=KIND_DATES)


async def dates_answered(update: Update, context: KopiContext, pending: Prompt, text: str) -> None:
    """The answer to the dates prompt: make the report, or ask again with an example."""
    community = context.community
    if community is None or community.id != pending.community_id:
        await drop(context, pending)
        return
    async with context.db.begin() as session:
        if not await take_prompt(session, pending.id):
            return  # a repeated delivery: taken already
    if await refuse_unless_facilitator(update, context):
        return
    today = local_today(context.now(), community.timezone)
    period = parse_period(text, today, community.timezone)
    if period is None:
        await ask_dates(update, context, again=True)
        return
    await start_report(update, context, community, period)


ANSWERS: dict[str, Answer] = {KIND_DATES: dates_answered}
IN_PRIVATE: dict[str, Run] = {"laporan": run_report}


# ---------------------------------------------------------------------------- making it


def _running(context: KopiContext) -> set[int]:
    return context.services.reports_running


async def start_report(
    update: Update, context: KopiContext, community: Community, period: Period
) -> None:
    """Show the progress message and hand the report to the chat's background queue."""
    chat, query = update.effective_chat, update.callback_query
    if chat is None:
        return
    running = _running(context)
    if community.id in running:
        if query is not None:
            await query.answer(context.t("report.busy"), show_alert=True)
        else:
            await reply(update, context, context.t("report.busy"))
        return
    async with context.db.begin() as session:
        fresh = await record_request(
            session, community.id, period, source_of(update), context.now()
        )
    if not fresh:  # this message or press asked before: Telegram delivered it again
        if query is not None:
            await query.answer(context.t("report.already"))
        else:
            await reply(update, context, context.t("report.already"))
        return
    running.add(community.id)
    try:
        text = _progress_text(context, period, 1, "read")
        progress: Message | None
        if query is not None and isinstance(query.message, Message):
            # The period buttons become the progress message: they cannot be pressed twice.
            await query.answer()
            await edit(query, text)
            progress = query.message
        else:
            progress = await reply(update, context, text, now=True)
        if progress is None:  # kopi can no longer write here
            running.discard(community.id)
            return
    except BaseException:
        running.discard(community.id)
        raise
    job = _Job(context, chat.id, thread_of(update), progress.message_id, community.id, period)
    if is_private(update):
        job.offer = keyboard(
            [button(context.t("report.button.to_group"), ReportToGroup(*_days(period)))]
        )
    context.services.outbox.post(chat.id, job.run)


def _days(period: Period) -> tuple[int, int]:
    return int(f"{period.first:%Y%m%d}"), int(f"{period.last:%Y%m%d}")


async def on_to_group(update: Update, context: KopiContext, action: ReportToGroup) -> None:
    """Send a report made in private to the group: once per offer, however often it is pressed."""
    query = update.callback_query
    community = await press_community(update, context)
    if query is None or community is None or await refuse_unless_facilitator(update, context):
        return
    offer = query.message
    period = _period_of(action, community)
    if period is None or not isinstance(offer, Message) or community.chat_id is None:
        await query.answer(context.t("error.expired_button"))
        return
    running = _running(context)
    if community.id in running:
        await query.answer(context.t("report.busy"), show_alert=True)
        return
    running.add(community.id)  # before the first await: a second press waits its turn
    try:
        # Keyed by the offer (its chat and message id), not by the press: every press of this
        # button is the same request.
        async with context.db.begin() as session:
            fresh = await record_request(
                session,
                community.id,
                period,
                Source(chat_id=offer.chat_id, message_id=offer.message_id),
                context.now(),
            )
        if not fresh:
            running.discard(community.id)
            await query.answer(context.t("report.to_group.already"))
            return
        await query.answer()
        await edit(query, _progress_text(context, period, 1, "read"))
    except BaseException:
        running.discard(community.id)
        raise
    job = _Job(context, offer.chat_id, None, offer.message_id, community.id, period)
    job.to_chat_id, job.to_thread_id = community.chat_id, None
    job.done = context.t(
        "report.to_group.done",
        period=period_label(context.lang, period),
        title=community.title or "?",
    )
    context.services.outbox.post(community.chat_id, job.run)


def _progress_text(context: KopiContext, period: Period, step: int, what: str) -> str:
    return context.t(
        "report.progress",
        period=period_label(context.lang, period),
        step=step,
        what=context.t(f"report.step.{what}"),
    )


class _Job:
    """One report: read, build both files in a worker thread, send them, say it is done."""

    def __init__(
        self,
        context: KopiContext,
        chat_id: int,
        thread_id: int | None,
        message_id: int,
        community_id: int,
        period: Period,
    ) -> None:
        self.context = context
        self.chat_id = chat_id
        self.thread_id = thread_id
        self.message_id = message_id
        self.community_id = community_id
        self.period = period
        # Where the files go (the chat itself unless sent on to the group), the final word
        # instead of the summary, and the buttons it carries (in private: send to the group).
        self.to_chat_id = chat_id
        self.to_thread_id = thread_id
        self.done: str | None = None
        self.offer: InlineKeyboardMarkup | None = None

    async def run(self) -> None:
        """Make and send the report; tell the group if it failed."""
        context = self.context
        try:
            async with context.db() as session:  # read-only: nothing is written
                data = await gather(session, self.community_id, self.period, context.now())
            if data is None:
                await self.say(context.t("report.failed"), final=True)
                return
            await self.say(_progress_text(context, self.period, 2, "xlsx"))
            workbook = await asyncio.to_thread(build_xlsx, data)
            await self.say(_progress_text(context, self.period, 3, "pdf"))
            document = await asyncio.to_thread(build_pdf, data)
            label = period_label(context.lang, self.period)
            await self.send(
                workbook,
                file_name(data, "xlsx"),
                context.t("report.caption.xlsx", title=data.title, period=label),
            )
            await self.send(
                document,
                file_name(data, "pdf"),
                context.t("report.caption.pdf", title=data.title, period=label),
            )
            done = self.done or context.t(
                "report.done",
                period=label,
                concerns=len(data.concerns),
                practices=len(data.practices),
                meetings=sum(1 for m in data.meetings if m.held),
                reflections=len(data.reflections),
            )
            await self.say(done, final=True, markup=self.offer)
        except Forbidden as error:
            log.info("report for chat %s not delivered: %s", self.chat_id, error.message)
        except Exception:
            log.exception("report of community %s failed", self.community_id)
            try:
                await self.say(context.t("report.failed"), final=True)
            except Exception:
                log.warning("could not tell chat %s that its report failed", self.chat_id)
        finally:
            _running(context).discard(self.community_id)

    async def say(
        self, text: str, *, final: bool = False, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Edit the progress message. A progress step that cannot be shown (the message was
        deleted, or is no longer editable) is skipped; the final word is then sent anew."""
        try:
            await self.context.bot.edit_message_text(
                text, chat_id=self.chat_id, message_id=self.message_id, reply_markup=markup
            )
        except BadRequest as error:
            if not_modified(error):
                return
            log.info("report progress in chat %s not edited: %s", self.chat_id, error.message)
            if not final:
                return
            sent = await self.context.bot.send_message(
                self.chat_id, text, message_thread_id=self.thread_id, reply_markup=markup
            )
            self.message_id = sent.message_id

    async def send(self, content: bytes, name: str, caption: str) -> None:
        """Send one file as a document in the chat (and forum topic) it goes to."""
        await self.context.bot.send_document(
            self.to_chat_id,
            InputFile(content, filename=name),
            caption=caption,
            message_thread_id=self.to_thread_id,
        )


# ---------------------------------------------------------------------------- wiring


def build_handlers() -> list[BaseHandler[Update, KopiContext, None]]:
    """Return the /laporan command and its buttons."""
    return [
        CommandHandler(["laporan", "report"], private_command(run_report)),
        on(ReportPeriod, on_period),
        on(ReportCustom, on_custom),
        on(ReportToGroup, on_to_group),
    ]
