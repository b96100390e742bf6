"""Updates of different chats run side by side; each chat's stay in order.

The runner is tested on its own (a slow update in one chat holds only that
chat) and through the real dispatcher on a fake session: an answer and its
correction submitted back to back are recorded in order, while a press in
another chat is answered before a slow update ahead of it has finished.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.types import Update, User

from bot.access import is_query
from bot.dispatch import PER_UPDATE, ChatOrderedRunner, Kept, NotYet, held_bytes
from bot.raw_updates import chat_key
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    TS0102_COMMANDER,
    Harness,
)
from tests.support.updates import as_json, press, submit, text_of, update


def test_a_press_is_keyed_by_the_chat_of_its_message() -> None:
    on = update(1, -77).message
    assert on is not None
    person = User(id=5, is_bot=False, first_name="u")
    assert chat_key(as_json(press(2, person, message=on))) == -77
    assert chat_key(as_json(press(3, person, inline_message_id="i"))) == 5


async def test_a_slow_update_holds_its_own_chat_only() -> None:
    release = asyncio.Event()
    done: list[tuple[int, int]] = []

    async def handle(u: Update, chat: int) -> None:
        assert u.message is not None
        assert chat == u.message.chat.id  # handed the key it was queued under
        if u.message.text == "slow":
            await release.wait()
        done.append((u.message.chat.id, u.update_id))

    runner = ChatOrderedRunner(handle)
    submit(runner, update(1, -1, "slow"))
    submit(runner, update(2, -1))
    for i in range(3, 8):
        submit(runner, update(i, -2))
    for _ in range(20):
        await asyncio.sleep(0)
    assert done == [(-2, i) for i in range(3, 8)]  # the other chat went on
    assert runner.pending == 2
    release.set()
    await runner.wait_idle()
    assert done[-2:] == [(-1, 1), (-1, 2)]  # and this chat kept its order
    assert runner.pending == 0 and runner.handled == 7


async def no_wait(seconds: float) -> None:
    """A backoff that lets the retry go at once (the delays are tested elsewhere)."""


async def test_a_failing_update_is_tried_again_then_does_not_stop_its_chat() -> None:
    seen: list[int] = []

    async def handle(u: Update, chat: int) -> None:
        seen.append(u.update_id)
        if u.update_id == 1:
            raise RuntimeError("boom")

    runner = ChatOrderedRunner(handle, max_attempts=3, sleep=no_wait)
    submit(runner, update(1, -1))
    submit(runner, update(2, -1))
    await runner.wait_idle()
    assert seen == [1, 1, 1, 2] and runner.failed == 1 and runner.retried == 2


async def test_an_update_waiting_for_its_retry_holds_its_chat_not_its_slot() -> None:
    """With one slot: while update 1 waits out its backoff, chat -1's update 2 waits
    behind it and chat -2's update 3 takes the slot."""
    retry = asyncio.Event()
    waiting = asyncio.Event()
    seen: list[int] = []

    async def handle(u: Update, chat: int) -> None:
        seen.append(u.update_id)
        if seen == [1]:
            raise ConnectionError("away for a moment")

    async def held(seconds: float) -> None:
        waiting.set()
        await retry.wait()

    runner = ChatOrderedRunner(handle, max_concurrent=1, sleep=held)
    for i, chat in ((1, -1), (2, -1), (3, -2)):
        submit(runner, update(i, chat))
    await asyncio.wait_for(waiting.wait(), 1.0)
    for _ in range(20):
        await asyncio.sleep(0)
    assert seen == [1, 3] and runner.pending == 2
    retry.set()
    await runner.wait_idle()
    assert seen == [1, 3, 1, 2] and runner.failed == 0 and runner.handled == 3


async def test_an_update_not_yet_ready_frees_its_slot_and_is_no_failure() -> None:
    """With one slot and `max_attempts` 1: update 1 says "not yet" twice (an earlier
    update of its chat is at another worker); meanwhile chat -1's update 2 waits behind
    it, chat -2's update 3 takes the slot, and update 1 is neither counted as failed
    nor set aside; once ready it goes, then update 2."""
    ready = asyncio.Event()
    waiting = asyncio.Event()
    seen: list[int] = []
    parsed: list[int] = []
    set_aside: list[int] = []

    async def until_ready() -> None:
        waiting.set()
        await ready.wait()

    async def handle(u: Update, chat: int) -> None:
        seen.append(u.update_id)
        if u.update_id == 1 and seen.count(1) < 3:
            raise NotYet(until_ready)

    def parse(text: str) -> Update:
        parsed.append(Update.model_validate_json(text).update_id)
        return Update.model_validate_json(text)

    async def aside(kept: Kept, failures: int) -> None:
        set_aside.append(kept.update_id)

    runner = ChatOrderedRunner(
        handle, max_concurrent=1, max_attempts=1, parse=parse, set_aside=aside
    )
    for i, chat in ((1, -1), (2, -1), (3, -2)):
        submit(runner, update(i, chat))
    await asyncio.wait_for(waiting.wait(), 1.0)
    for _ in range(20):
        await asyncio.sleep(0)
    assert seen == [1, 3] and runner.pending == 2  # its slot went to chat -2
    waiting.clear()
    ready.set()
    await runner.wait_idle()
    assert seen == [1, 3, 1, 1, 2]
    assert parsed == [1, 3, 2]  # parsed once, however often it waits
    assert runner.failed == 0 and runner.retried == 0 and set_aside == []
    assert runner.handled == 3


async def test_an_earlier_update_queued_while_the_head_waits_goes_first() -> None:
    """Update 5 says "not yet" (an earlier update of its chat, 4, is at a dead worker);
    meanwhile this process takes 4 over and 7 comes: each is queued by id, and once 5
    is ready the chat's head is taken again, so 4 goes before 5, and 7 last."""
    ready = asyncio.Event()
    waiting = asyncio.Event()
    seen: list[int] = []

    async def until_ready() -> None:
        waiting.set()
        await ready.wait()

    async def handle(u: Update, chat: int) -> None:
        seen.append(u.update_id)
        if u.update_id == 5 and seen.count(5) == 1:
            raise NotYet(until_ready)

    runner = ChatOrderedRunner(handle, max_concurrent=1, max_attempts=1)
    submit(runner, update(5, -1))
    await asyncio.wait_for(waiting.wait(), 1.0)
    submit(runner, update(7, -1))
    submit(runner, update(4, -1))
    assert seen == [5]
    ready.set()
    await runner.wait_idle()
    assert seen == [5, 4, 5, 7]
    assert runner.handled == 3 and runner.pending == 0 and runner.failed == 0


async def test_an_earlier_update_queued_during_a_handling_is_handled_after_it() -> None:
    """A handling under way is not cut short by an earlier update of its chat queued
    meanwhile (one process: nothing made it wait), and neither is lost."""
    release = asyncio.Event()
    started = asyncio.Event()
    seen: list[int] = []

    async def handle(u: Update, chat: int) -> None:
        if u.update_id == 2:
            started.set()
            await release.wait()
        seen.append(u.update_id)

    runner = ChatOrderedRunner(handle)
    submit(runner, update(2, -1))
    await asyncio.wait_for(started.wait(), 1.0)
    submit(runner, update(1, -1))
    release.set()
    await runner.wait_idle()
    assert seen == [2, 1] and runner.handled == 2 and runner.pending == 0


async def test_at_most_max_concurrent_run_at_once() -> None:
    running = 0
    peak = 0

    async def handle(u: Update, chat: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1

    runner = ChatOrderedRunner(handle, max_concurrent=4)
    for i in range(40):
        submit(runner, update(i, -i - 1))
    await runner.wait_idle()
    assert peak == 4 and runner.handled == 40


async def test_wait_room_returns_once_the_json_held_shrinks() -> None:
    """The runner counts the bytes of the updates it keeps as JSON (their text and
    `PER_UPDATE` each), until each is handled."""
    gate = asyncio.Event()

    async def handle(u: Update, chat: int) -> None:
        await gate.wait()

    runner = ChatOrderedRunner(handle)
    texts = []
    for i in range(5):
        u = update(i, -i - 1, "x" * (100 * i))
        texts.append(text_of(u))
        assert submit(runner, u) == held_bytes(texts[-1])
    assert runner.held == sum(len(t.encode()) + PER_UPDATE for t in texts)
    waiter = asyncio.create_task(runner.wait_room(runner.held - 1))
    await asyncio.sleep(0)
    assert not waiter.done()
    gate.set()
    await asyncio.wait_for(waiter, 1.0)
    await runner.wait_idle()
    assert runner.held == 0


def _feed(h: Harness) -> ChatOrderedRunner:
    async def handle(u: Update, chat: int) -> Any:
        return await h.app.dispatcher.feed_update(h.app.bot, u)

    return ChatOrderedRunner(handle)


async def test_a_correction_never_overtakes_the_value_it_corrects(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    runner = _feed(h)
    values = ["3", "4", "5", "6", "7"]
    for i, text in enumerate(values):
        message = h.message(TS0101_CHAT, TS0101_COMMANDER, text, reply_to=copy)
        submit(runner, Update(update_id=10_000 + i, message=message))
    # Another chat's answer, submitted in between, runs alongside.
    other = h.copy_in(TS0102_CHAT)
    message = h.message(TS0102_CHAT, TS0102_COMMANDER, "12", reply_to=other)
    submit(runner, Update(update_id=20_000, message=message))
    await runner.wait_idle()
    assert runner.failed == 0
    assert (await h.row_status("ts-01-01"))["value"] == 7
    assert (await h.row_status("tashan"))["subtotal"] == 19


async def test_a_press_is_answered_while_a_slow_update_in_another_chat_runs(
    issued: Harness,
) -> None:
    h = issued
    release = asyncio.Event()
    slow_started = asyncio.Event()

    async def slow_status(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        if getattr(event, "text", None) == "/status":  # a slow /status at HQ
            slow_started.set()
            await release.wait()
        return await handler(event, data)

    h.app.dispatcher.message.outer_middleware(slow_status)
    runner = _feed(h)
    hq = h.message(HQ_CHAT, HQ_COMMANDER, "/status")
    submit(runner, Update(update_id=30_000, message=hq))
    copy = h.copy_in(TS0101_CHAT)
    data = copy.reply_markup.inline_keyboard[0][0].callback_data  # type: ignore[union-attr]
    submit(runner, press(30_001, h.user(TS0101_COMMANDER), data, copy))
    await asyncio.wait_for(slow_started.wait(), 5.0)
    for _ in range(200):
        if h.session.answers():
            break
        await asyncio.sleep(0.01)
    assert [a.callback_query_id for a in h.session.answers()] == ["press-30001"]
    assert runner.pending == 1  # the /status is still running
    release.set()
    await runner.wait_idle()
    assert runner.failed == 0


async def test_a_query_is_not_queued_behind_the_answers_waiting_for_slots() -> None:
    """Every answer slot is taken and hundreds of chats wait: `/status` still runs."""
    gate = asyncio.Event()
    done: list[int] = []

    async def handle(u: Update, chat: int) -> None:
        assert u.message is not None
        if u.message.text != "/status":
            await gate.wait()
        done.append(u.update_id)

    runner = ChatOrderedRunner(
        handle,
        max_concurrent=2,
        quick=lambda raw: raw.get("message", {}).get("text") == "/status",
    )
    for i in range(300):
        submit(runner, update(i, -i - 1, "7"))
    submit(runner, update(999, HQ_CHAT, "/status"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert done == [999]  # answered while all 300 answers still wait
    gate.set()
    await runner.wait_idle()
    assert len(done) == 301


def test_the_read_only_queries_take_the_quick_lane() -> None:
    assert is_query(as_json(update(1, HQ_CHAT, "/status")))
    assert is_query(as_json(update(2, HQ_CHAT, "/pending@towerbot 3")))
    assert not is_query(as_json(update(3, HQ_CHAT, "/order 15m count 统计")))
    assert not is_query(as_json(update(4, HQ_CHAT, "12")))
    assert not is_query({"update_id": 5, "message": {"text": 12}})  # not a text at all


async def test_updates_kept_as_json_are_parsed_only_at_their_turn_in_order() -> None:
    release = asyncio.Event()
    parsed: list[int] = []
    done: list[tuple[int, str]] = []
    handled: list[int] = []

    def parse(text: str) -> Update:
        result = Update.model_validate_json(text)
        parsed.append(result.update_id)
        return result

    async def handle(u: Update, chat: int) -> None:
        assert u.message is not None and u.message.text is not None
        if u.message.text == "slow":
            await release.wait()
        done.append((u.update_id, u.message.text))

    runner = ChatOrderedRunner(handle, max_concurrent=1, on_handled=handled.append, parse=parse)
    first = update(1, -1, "slow")
    submit(runner, first)
    for i in range(2, 6):  # four more: two behind it in its chat, two in another chat
        submit(runner, update(i, -1 if i < 4 else -2, str(i)))
    runner.keep(6, as_json(update(6, -2, "{")), "{")  # a payload that cannot be read
    submit(runner, update(7, -2, "7"))
    await asyncio.sleep(0.05)
    # Only the update in the one slot was made into aiogram's models; the rest wait as JSON.
    assert parsed == [1] and runner.pending == 7
    release.set()
    await runner.wait_idle()
    assert [i for i, _ in done if i < 4] == [1, 2, 3]  # each chat in order
    assert [i for i, _ in done if i >= 4] == [4, 5, 7]
    assert done[0] == (1, "slow") and (5, "5") in done
    # The unreadable one failed alone and counts as handled (its inbox row can go).
    assert runner.failed == 1 and sorted(handled) == list(range(1, 8))
