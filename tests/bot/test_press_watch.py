"""Issue 9 item 3: a press is answered within a second, once, and nothing it said is lost.

Through the bot's own poller, inbox and dispatcher on the fake session (both
engines): a press handled in time gets only its handler's answer; a press stuck
behind a slow update in its chat gets the neutral toast when its timer fires, and
its handler's later answer is dropped when the chat already shows the outcome (the
copy's "✅ 已收到" line) or becomes a chat message naming the person, through the
outbox, when it is the only sign of the outcome (a refusal). Every press gets one
answerCallbackQuery. The press timers are fired by the test (`Timers`), so nothing
here depends on how fast the machine is.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram.types import CallbackQuery, Update
from aiohttp import web
from pydantic import SecretStr

from bot.press_watch import Press, PressWatch, press_of
from bot.webhook import SECRET_HEADER, TowerRequestHandler
from tests.bot.test_poller_offsets import until
from tests.bot.test_storage_failures import _read_only
from tests.support.pgserver import free_port
from tests.support.tgfake import (
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    FakeSession,
    Harness,
)
from tests.support.updates import submit

EARLY = "⏳ 已收到点击，正在处理…"


class _Timer:
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.cancelled = False
        self.fired = False

    def cancel(self) -> None:
        self.cancelled = True


class Timers:
    """The press watch's timers, fired when the test says (not by the wall clock)."""

    def __init__(self) -> None:
        self.made: list[_Timer] = []

    def later(self, delay: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(callback)
        self.made.append(timer)
        return timer

    def fire(self) -> None:
        """Every timer not cancelled and not fired yet runs out now."""
        for timer in self.made:
            if not (timer.cancelled or timer.fired):
                timer.fired = True
                timer.callback()


@contextlib.asynccontextmanager
async def polling(h: Harness) -> AsyncIterator[Timers]:
    """The bot's own poller running against the fake session's getUpdates."""
    timers = Timers()
    h.app.presses.later = timers.later
    h.session.clear()
    task = asyncio.create_task(h.app.poller.run(), name="polling")
    try:
        yield timers
    finally:
        await asyncio.sleep(0)  # run() has marked itself as the polling task
        await h.app.poller.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def pressed(h: Harness, update_id: int, chat_id: int, user_id: int, data: str) -> Update:
    query = CallbackQuery(
        id=f"q{update_id}",
        from_user=h.user(user_id),
        chat_instance="ci",
        message=h.copy_in(chat_id),
        data=data,
    )
    return Update(update_id=update_id, callback_query=query)


class Held:
    """A slow update: `entered` once it is being handled, it goes on at `release`."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    def set(self) -> None:
        self.release.set()


def hold_text(h: Harness, text: str) -> Held:
    """A message `text` is handled only once the returned hold is set."""
    held = Held()

    async def slow(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        if getattr(event, "text", None) == text:
            held.entered.set()
            await held.release.wait()
        return await handler(event, data)

    h.app.dispatcher.message.outer_middleware(slow)
    return held


def answers_to(session: FakeSession, query_id: str) -> list[tuple[str | None, bool | None]]:
    return [(a.text, a.show_alert) for a in session.answers() if a.callback_query_id == query_id]


async def test_a_press_handled_in_time_gets_only_its_handlers_answer(issued: Harness) -> None:
    h = issued
    async with polling(h) as timers:
        h.session.inbound.append(pressed(h, 50_001, TS01_CHAT, TS01_COMMANDER, "ack:1"))
        await until(lambda: h.app.poller.runner.handled == 1)
        timers.fire()  # its timer, had the handler's answer not stopped it
        await asyncio.sleep(0)
    assert answers_to(h.session, "q50001") == [("已收到，谢谢！", None)]
    counts = h.app.presses.counts
    assert (counts.early, counts.by_handler, counts.late_told) == (0, 1, 0)
    assert h.app.presses.waiting == 0


async def test_an_answer_just_before_the_timer_leaves_no_early_toast(issued: Harness) -> None:
    """The handler answers, its update is still running when the timer runs out."""
    h = issued
    answered = asyncio.Event()
    finish = asyncio.Event()

    async def lingering(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        result = await handler(event, data)
        answered.set()
        await finish.wait()
        return result

    h.app.dispatcher.callback_query.outer_middleware(lingering)
    async with polling(h) as timers:
        h.session.inbound.append(pressed(h, 50_011, TS01_CHAT, TS01_COMMANDER, "ack:1"))
        await asyncio.wait_for(answered.wait(), 10)
        timers.fire()
        finish.set()
        await until(lambda: h.app.poller.runner.handled == 1)
    assert answers_to(h.session, "q50011") == [("已收到，谢谢！", None)]
    assert h.app.presses.counts.early == 0


async def stuck_press(h: Harness, update_id: int, chat: int, user: int, data: str) -> None:
    """A press taken in behind a slow update of its chat: its timer runs out (the early
    toast is checked to be its only answer so far), then the slow update goes on and
    both are handled."""
    held = hold_text(h, "slow")
    async with polling(h) as timers:
        h.session.inbound.append(Update(update_id=update_id, message=h.message(chat, user, "slow")))
        h.session.inbound.append(pressed(h, update_id + 1, chat, user, data))
        await until(lambda: h.app.presses.waiting == 1)  # taken in, behind "slow"
        timers.fire()
        query_id = f"q{update_id + 1}"
        await until(lambda: bool(answers_to(h.session, query_id)))
        assert answers_to(h.session, query_id) == [(EARLY, None)]
        assert h.app.poller.runner.handled == 0  # neither handled yet
        held.set()
        await until(lambda: h.app.poller.runner.handled == 2)
    await h.drain()


async def test_a_stuck_press_gets_the_toast_and_its_later_ack_is_not_sent_again(
    issued: Harness,
) -> None:
    h = issued
    await stuck_press(h, 50_020, TS01_CHAT, TS01_COMMANDER, "ack:1")
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    # One answer for the press; the "received" toast is not sent again in any form.
    assert answers_to(h.session, "q50021") == [(EARLY, None)]
    assert not [t for t in h.session.texts(TS01_CHAT) if "已收到，谢谢" in t]
    counts = h.app.presses.counts
    assert (counts.early, counts.by_handler, counts.late_dropped, counts.late_told) == (1, 0, 1, 0)


async def test_a_stuck_press_refused_later_is_told_in_the_chat_naming_the_person(
    issued: Harness,
) -> None:
    h = issued
    await stuck_press(h, 50_030, TS0101_CHAT, TS0101_COMMANDER, "ack:424242")
    assert answers_to(h.session, "q50031") == [(EARLY, None)]
    (told,) = [s for s in h.session.sends(TS0101_CHAT) if "424242" in s.text]
    who = f'<a href="tg://user?id={TS0101_COMMANDER}">u{TS0101_COMMANDER}</a>'
    assert told.text.startswith(f"{who}：")
    assert told.reply_parameters is not None
    assert told.reply_parameters.message_id == h.copy_in(TS0101_CHAT).message_id
    assert h.app.presses.counts.late_told == 1


@pytest.mark.parametrize("busy", [1, 2], ids=["at-once-from-one-round", "from-two-rounds"])
async def test_a_press_with_busy_rounds_ahead_is_answered_as_it_is_taken_in(
    issued: Harness, busy: int
) -> None:
    """A press taken in behind its chat's slow update: one round of handling ahead. With
    `busy` at 1 the toast goes at once, no timer waited for, and its handler's later 收到
    is still not sent again; at 2 its timer is started and the handler, let go before
    it runs out, answers it."""
    h = issued
    at_once = busy == 1
    h.app.presses.busy = busy
    held = hold_text(h, "slow")
    async with polling(h) as timers:
        h.session.inbound.append(
            Update(update_id=50_060, message=h.message(TS01_CHAT, TS01_COMMANDER, "slow"))
        )
        await asyncio.wait_for(held.entered.wait(), 10)  # "slow" holds its chat
        h.session.inbound.append(pressed(h, 50_061, TS01_CHAT, TS01_COMMANDER, "ack:1"))
        if at_once:
            await until(lambda: bool(answers_to(h.session, "q50061")))
            assert answers_to(h.session, "q50061") == [(EARLY, None)]
            assert timers.made == []  # answered without a timer running out
            assert h.app.poller.runner.handled == 0
        else:
            await until(lambda: len(timers.made) == 1)
        held.set()
        await until(lambda: h.app.poller.runner.handled == 2)
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    counts = h.app.presses.counts
    if at_once:
        assert answers_to(h.session, "q50061") == [(EARLY, None)]
        assert (counts.early, counts.by_handler, counts.late_dropped) == (1, 0, 1)
    else:
        assert timers.made[0].cancelled and not timers.made[0].fired
        assert answers_to(h.session, "q50061") == [("已收到，谢谢！", None)]
        assert (counts.early, counts.by_handler) == (0, 1)
    assert counts.late_told == 0
    assert h.app.presses.waiting == 0


async def test_rounds_ahead_count_the_chats_queue_and_the_backlog_beyond_the_slots() -> None:
    """Its chat's waiting updates are a round each; the others a round per
    `max_concurrent` beyond the slots; `before` counts a batch's earlier updates."""
    from bot.dispatch import ChatOrderedRunner

    release = asyncio.Event()

    async def handle(update: Update, chat: int) -> None:
        await release.wait()

    def in_chat(update_id: int, chat: int) -> Update:
        return Update.model_validate(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": 0,
                    "chat": {"id": chat, "type": "group"},
                    "text": "x",
                },
            }
        )

    runner = ChatOrderedRunner(handle, max_concurrent=2)
    assert runner.rounds_ahead(-1) == 0
    for update_id, chat in [(1, -1), (2, -1), (3, -2), (4, -3), (5, -4), (6, -5)]:
        submit(runner, in_chat(update_id, chat))
    await asyncio.sleep(0)  # two are handled, four wait
    # chat -1: two of its own (one round each), six pending: four beyond two slots
    assert runner.rounds_ahead(-1) == 2 + 2
    assert runner.rounds_ahead(-9) == 2  # a chat with nothing waiting
    assert runner.rounds_ahead(-9, before=2) == 3
    release.set()
    await runner.wait_idle()
    assert runner.rounds_ahead(-1) == 0


async def test_a_stuck_press_whose_database_turned_read_only_is_told_straight(
    issued: Harness,
) -> None:
    """The press is taken in and answered early; then the store refuses writes, so its
    handler's "cannot save" alert cannot go through the outbox: it is sent directly
    (as bot/errors.py sends that line for a message), not only logged."""
    h = issued
    held = hold_text(h, "slow")
    async with polling(h) as timers:
        h.session.inbound.append(
            Update(update_id=50_040, message=h.message(TS01_CHAT, TS01_COMMANDER, "slow"))
        )
        h.session.inbound.append(pressed(h, 50_041, TS01_CHAT, TS01_COMMANDER, "ack:1"))
        await until(lambda: h.app.presses.waiting == 1)
        timers.fire()
        await until(lambda: bool(answers_to(h.session, "q50041")))
        await _read_only(h)
        held.set()
        await until(lambda: h.app.poller.runner.handled == 2)
    assert answers_to(h.session, "q50041") == [(EARLY, None)]
    who = f'<a href="tg://user?id={TS01_COMMANDER}">u{TS01_COMMANDER}</a>'
    told = [s for s in h.session.sends(TS01_CHAT) if s.text.startswith(f"{who}：")]
    assert [s.text for s in told] == [f"{who}：暂时无法保存，请稍后再试。"]
    assert told[0].reply_parameters is not None
    assert told[0].reply_parameters.message_id == h.copy_in(TS01_CHAT).message_id
    assert h.app.presses.counts.late_told == 1


class _Recorded:
    """A stand-in for the bot: the watch's early answers, and what it was told."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str]] = []

    async def toast(self, press: Press) -> str:
        return "early"

    async def tell(self, bot: Any, press: Press, text: str) -> None:
        self.told.append((press.query_id, text))


async def test_an_unmarked_late_answer_is_told_and_an_empty_one_dropped() -> None:
    """A handler's answer without a marker is never silently lost."""
    from aiogram.methods import AnswerCallbackQuery

    recorded = _Recorded()
    timers = Timers()
    watch = PressWatch(1.0, recorded.toast, recorded.tell, later=timers.later)
    sent: list[AnswerCallbackQuery] = []

    async def request(bot: Any, method: Any) -> Any:
        sent.append(method)
        return True

    class Bot:
        async def __call__(self, method: Any) -> Any:
            return await watch(request, self, method)  # type: ignore[arg-type]

    bot = Bot()
    raw = {
        "update_id": 7,
        "callback_query": {
            "id": "q7",
            "from": {"id": 5, "is_bot": False, "first_name": "u5"},
            "chat_instance": "ci",
            "data": "x",
        },
    }
    watch.watch(bot, press_of(raw))  # type: ignore[arg-type]
    timers.fire()
    await until(lambda: watch.counts.early == 1)
    await watch(request, bot, AnswerCallbackQuery(callback_query_id="q7", text="no"))  # type: ignore[arg-type]
    await watch(request, bot, AnswerCallbackQuery(callback_query_id="q7"))  # type: ignore[arg-type]
    assert [(m.callback_query_id, m.text) for m in sent] == [("q7", "early")]
    assert recorded.told == [("q7", "no")]
    assert watch.counts.late_dropped == 1
    watch.finished(7)
    assert watch.waiting == 0


async def test_a_shown_answer_is_dropped_unsent_only_after_an_early_toast() -> None:
    """`shown_late`: a press not watched or not yet answered early is the handler's to
    answer (nothing counted); once its toast went, a `Shown` answer is counted as
    dropped without reaching the gate."""
    recorded = _Recorded()
    timers = Timers()
    watch = PressWatch(1.0, recorded.toast, recorded.tell, later=timers.later)
    sent: list[Any] = []

    async def request(bot: Any, method: Any) -> Any:
        sent.append(method)
        return True

    class Bot:
        async def __call__(self, method: Any) -> Any:
            return await watch(request, self, method)  # type: ignore[arg-type]

    raw = {
        "update_id": 8,
        "callback_query": {
            "id": "q8",
            "from": {"id": 5, "is_bot": False, "first_name": "u5"},
            "chat_instance": "ci",
            "data": "x",
        },
    }
    assert not watch.shown_late("q8")  # not watched
    watch.watch(Bot(), press_of(raw))  # type: ignore[arg-type]
    assert not watch.shown_late("q8")  # its timer has not run out
    timers.fire()
    await until(lambda: watch.counts.early == 1)
    assert watch.shown_late("q8")
    assert [m.callback_query_id for m in sent] == ["q8"]  # the early toast alone
    assert (watch.counts.late_dropped, watch.counts.by_handler) == (1, 0)


def test_every_press_answer_in_the_bot_says_what_becomes_of_it_late() -> None:
    """No handler answers a press directly: each goes through `answer_press` with a
    `Shown` or `Told` marker, so each falls into a defined case."""
    root = Path(__file__).resolve().parents[2] / "bot"
    raw: list[str] = []
    marked = 0
    for path in [*root.glob("routers/*.py"), root / "errors.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "answer":
                target = func.value
                if isinstance(target, ast.Name) and target.id == "query":
                    raw.append(f"{path.name}:{node.lineno}")
            if isinstance(func, ast.Name) and func.id == "answer_press":
                marker = node.args[1]
                options = (
                    [marker.body, marker.orelse] if isinstance(marker, ast.IfExp) else [marker]
                )
                for option in options:
                    assert isinstance(option, ast.Call) and isinstance(option.func, ast.Name)
                    assert option.func.id in {"Shown", "Told"}, f"{path.name}:{node.lineno}"
                marked += 1
    assert raw == []
    assert marked >= 19  # the answer sites of bot/routers and bot/errors.py were read


@contextlib.asynccontextmanager
async def webhook(h: Harness) -> AsyncIterator[Callable[[Update], Awaitable[int]]]:
    """The bot's webhook handler on a free port of 127.0.0.1, the bot's poller as its
    inbox (stored first, as `towerbot run --webhook` builds it): yields a function
    that posts an update to it (with the secret) and returns the HTTP status."""
    secret = "press_SECRET"
    app = web.Application()
    handler = TowerRequestHandler(h.app.dispatcher, h.app.bot, SecretStr(secret), h.app.poller)
    handler.register(app, path="/hook")
    port = free_port()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}/hook"
    try:
        async with aiohttp.ClientSession() as http:

            async def post(update: Update) -> int:
                body = update.model_dump(mode="json", exclude_none=True, by_alias=True)
                async with http.post(url, json=body, headers={SECRET_HEADER: secret}) as got:
                    return got.status

            yield post
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("at_once", [False, True], ids=["after-its-timer", "at-once"])
async def test_a_press_posted_to_the_webhook_behind_a_slow_update_gets_the_toast(
    issued: Harness, at_once: bool
) -> None:
    """`run --webhook`: the press is timed from its request, not from its chat's turn;
    the chat's updates queued or handled before it are the rounds ahead of it, so
    with `busy` at 1 it is answered as it arrives, no timer waited for."""
    h = issued
    if at_once:
        h.app.presses.busy = 1
    release = hold_text(h, "slow")
    timers = Timers()
    h.app.presses.later = timers.later
    h.session.clear()
    slow = Update(update_id=50_050, message=h.message(TS01_CHAT, TS01_COMMANDER, "slow"))
    press = pressed(h, 50_051, TS01_CHAT, TS01_COMMANDER, "ack:1")
    async with webhook(h) as post:
        first = asyncio.create_task(post(slow))
        await asyncio.wait_for(release.entered.wait(), 10)  # "slow" holds its chat
        second = asyncio.create_task(post(press))
        if not at_once:
            await until(lambda: h.app.presses.waiting == 1)
            timers.fire()
        await until(lambda: bool(answers_to(h.session, "q50051")))
        assert (timers.made == []) == at_once
        release.set()
        assert await asyncio.gather(first, second) == [200, 200]  # once stored
        await h.app.poller.runner.wait_idle()
    assert answers_to(h.session, "q50051") == [(EARLY, None)]
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    assert h.app.presses.waiting == 0
