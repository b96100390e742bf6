"""A press waiting behind slower updates is answered within a second, exactly once.

Why this exists: the chat-ordered runner (bot/dispatch.py) handles a press only
when its chat's turn and a slot come. In an answer storm that took 5-12 s, while
the person's phone showed a spinner, and Telegram refuses an answer once a press
is ~15 s old. So each press is watched from the moment it enters the process (the
poller's take-in, the webhook's request): if its handler has not answered it
`after` seconds later (Settings.press_ack_after), the bot answers it itself with
a neutral, truthful toast ("⏳ 已收到点击，正在处理…") in the chat's language.

Each press gets one answerCallbackQuery. Every answer passes this request
middleware, and the first to claim the press wins: claims are made on the event
loop with no await between looking and marking, so a handler answering at 0.79 s
cancels the 0.8 s timer, and a timer that fired makes the handler's answer late.

A late answer is what its handler says it is, with a typed marker
(`answer_press`): `Shown` when the outcome is already visible in the chat (the
copy's "✅ 已收到 · name time" line, a message that follows), dropped; `Told`
when the answer is the only sign of the outcome (a refusal, an alert, a toast
nothing else shows): it reaches the person as a chat message naming them,
through the outbox (bot/press_replies.py). An answer without a marker counts as
`Told`: never silently lost.

The timer need not run out for a press that cannot be handled soon: whoever takes
the press in says how many rounds of handling go before it (`ahead`: its chat's
updates still waiting, and the runner's backlog beyond its slots, in rounds of
slots). At `busy` rounds or more (a round of 64 updates took ~0.1 s in the
3,600-unit storm, so 4 rounds is about half the timer) the toast goes at once,
and the press is answered as soon as it is taken in; a press that will be handled
promptly still gets its handler's own answer.

Only a few small tuples per press are kept (not its update): the runner holds
waiting updates as JSON for memory's sake, and so does this.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import CallbackQuery

from bot.raw_updates import RawUpdate, field, integer, language_of, object_field, update_id_of

log = logging.getLogger(__name__)

ANSWER_LIMIT = 200  # characters Telegram shows of a press's answer
BUSY = 4  # rounds of handling ahead of a press from which it is answered at once


@dataclass(frozen=True)
class Shown:
    """The outcome is already visible in the chat: after an early toast, dropped."""

    text: str | None = None


@dataclass(frozen=True)
class Told:
    """The answer is the only sign of the outcome: after an early toast, it becomes a
    chat message naming the person."""

    text: str
    alert: bool = False


PressAnswer = Shown | Told


class _Early:
    """The watch's own toast (passes the gate it keeps)."""


_answering: contextvars.ContextVar[PressAnswer | _Early | None] = contextvars.ContextVar(
    "towerbot_press_answer", default=None
)


async def answer_press(query: CallbackQuery, answer: PressAnswer) -> None:
    """Answer `query` as its handler; `answer` says what becomes of it if the bot
    already answered the press early (see the module)."""
    token = _answering.set(answer)
    try:
        alert = isinstance(answer, Told) and answer.alert
        text = answer.text[:ANSWER_LIMIT] if answer.text else None
        await query.answer(text, show_alert=True if alert else None)
    finally:
        _answering.reset(token)


class Press(NamedTuple):
    """What is kept of a watched press: whom to answer, where, in which language.
    `chat_read`: the language of its chat's unit was read as it was taken in
    (`unit_locale`, None for a chat no unit is bound to); otherwise its toast reads
    it (bot/press_replies.py)."""

    query_id: str
    update_id: int
    chat_id: int | None
    message_id: int | None  # the pressed message's
    user_id: int
    name: str
    language: str | None
    chat_read: bool = False
    unit_locale: str | None = None


def press_of(raw: RawUpdate) -> Press | None:
    """The press an update carries, if it is one (read from its JSON: a press is timed
    as it is taken in, before aiogram makes the update into its models)."""
    query = object_field(raw, "callback_query")
    query_id, update_id = field(query, "id"), update_id_of(raw)
    person = object_field(query, "from")
    user_id, first = integer(field(person, "id")), field(person, "first_name")
    if not isinstance(query_id, str) or update_id is None or user_id is None:
        return None
    last = field(person, "last_name")
    names = [name for name in (first, last) if isinstance(name, str) and name]
    message = object_field(query, "message")
    return Press(
        query_id,
        update_id,
        integer(field(object_field(message, "chat"), "id")),
        integer(field(message, "message_id")),
        user_id,
        " ".join(names),  # as aiogram's `User.full_name`
        language_of(query),
    )


# The early toast's text for a press; a late answer's text delivered to its chat; the
# presses taken in together, with their chats' languages read (bot/press_replies.py).
Toast = Callable[[Press], Awaitable[str]]
Tell = Callable[[Bot, Press, str], Awaitable[None]]
Languages = Callable[[Sequence[Press]], Coroutine[Any, Any, list[Press]]]


async def unread(presses: Sequence[Press]) -> list[Press]:
    """No languages read ahead: each toast reads its own."""
    return list(presses)


class Timer(Protocol):
    def cancel(self) -> None: ...


# Run a callback after so many seconds (the event loop's call_later; tests fire it).
Later = Callable[[float, Callable[[], None]], Timer]


def call_later(delay: float, callback: Callable[[], None]) -> Timer:
    return asyncio.get_running_loop().call_later(delay, callback)


class _NoTimer:
    """The timer of a press answered at once: nothing to stop."""

    def cancel(self) -> None:
        return None


_NO_TIMER = _NoTimer()


@dataclass
class _Watched:
    press: Press
    bot: Bot
    timer: Timer
    early: bool = False


@dataclass
class PressCounts:
    """How presses were answered: early by the bot or by their handler, and what
    became of the handlers' answers that came after an early toast."""

    early: int = 0
    by_handler: int = 0
    late_told: int = 0
    late_dropped: int = 0


class PressWatch(BaseRequestMiddleware):
    """The timers of the presses taken in, and the gate every press answer passes
    (installed on the bot's session, beside bot/presses.py's guard)."""

    def __init__(
        self,
        after: float,
        toast: Toast,
        tell: Tell,
        later: Later = call_later,
        busy: int = BUSY,
        languages: Languages = unread,
    ) -> None:
        """`after` seconds (0: never answer early); `toast` gives the early toast's
        text, `tell` delivers a late answer to the press's chat; a press taken in
        with `busy` rounds of handling or more ahead of it is answered at once;
        `languages` reads the chats' languages of presses taken in together, for
        their toasts."""
        self.after = after
        self.busy = busy
        self.toast = toast
        self.tell = tell
        self.later = later
        self.languages = languages
        self.counts = PressCounts()
        self._watched: dict[str, _Watched] = {}
        self._of_update: dict[int, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def watch(self, bot: Bot, press: Press | None, ahead: int = 0) -> None:
        """Start the press's timer (`press_of` the update taken in: None if it is no
        press) as it enters the process, with `ahead` rounds of handling before its
        turn: from `busy` on, the timer is not waited for and the press is answered at
        once."""
        if press is None or self.after <= 0 or press.query_id in self._watched:
            return
        now = ahead >= self.busy
        timer = _NO_TIMER if now else self.later(self.after, lambda: self._due(press.query_id))
        self._watched[press.query_id] = _Watched(press, bot, timer)
        self._of_update[press.update_id] = press.query_id
        if now:
            self._due(press.query_id)

    def finished(self, update_id: int) -> None:
        """The update was handled (or failed): its press is no longer watched."""
        query_id = self._of_update.pop(update_id, None)
        watched = self._watched.pop(query_id, None) if query_id is not None else None
        if watched is not None:
            watched.timer.cancel()

    def shown_late(self, query_id: str) -> bool:
        """Whether a handler's `Shown` answer to this press would come after its early
        toast, and so be dropped at the gate: counted as dropped here, so the handler
        neither renders nor sends it (a 收到 press's toast was rendered, built as a
        method and passed through the session's middlewares for every press of a storm,
        nearly all already answered early)."""
        watched = self._watched.get(query_id)
        if watched is None or not watched.early:
            return False
        self.counts.late_dropped += 1
        return True

    @property
    def waiting(self) -> int:
        """Presses watched whose update is not handled yet and whose handler has not
        answered them first."""
        return len(self._watched)

    def _due(self, query_id: str) -> None:
        watched = self._watched.get(query_id)
        if watched is None or watched.early:
            return
        watched.early = True  # from here on the handler's answer is late
        task = asyncio.create_task(self._answer_early(watched), name=f"press {query_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_early(self, watched: _Watched) -> None:
        _answering.set(_Early())  # this task's own context
        press = watched.press
        try:
            text = await self.toast(press)
            await watched.bot(AnswerCallbackQuery(callback_query_id=press.query_id, text=text))
        except Exception:
            log.exception("press %s: the early answer failed", press.query_id)
            return
        self.counts.early += 1

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        if not isinstance(method, AnswerCallbackQuery):
            return await make_request(bot, method)
        marker = _answering.get()
        watched = self._watched.get(method.callback_query_id)
        if isinstance(marker, _Early) or watched is None:
            return await make_request(bot, method)
        if not watched.early:  # the handler is first: no early toast for this press
            watched.timer.cancel()
            del self._watched[method.callback_query_id]
            self.counts.by_handler += 1
            return await make_request(bot, method)
        await self._late(bot, watched.press, method, marker)
        # The session hands the middleware chain's value back as the result.
        return True  # type: ignore[return-value]

    async def _late(
        self, bot: Bot, press: Press, method: AnswerCallbackQuery, marker: PressAnswer | None
    ) -> None:
        """A handler's answer to a press already answered early: told in the chat or
        dropped, as its marker says."""
        if marker is None:  # unmarked: whatever it says is told
            marker = Told(method.text, bool(method.show_alert)) if method.text else Shown()
        if isinstance(marker, Shown) or not marker.text:
            self.counts.late_dropped += 1
            return
        await self.tell(bot, press, marker.text)
        self.counts.late_told += 1

    async def close(self) -> None:
        """Stop every timer and early answer still running (the bot is stopping)."""
        for watched in self._watched.values():
            watched.timer.cancel()
        self._watched.clear()
        self._of_update.clear()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
