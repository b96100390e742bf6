"""Issue 9 item 3: the webhook takes its updates in as polling does, through the inbox.

The bot's own webhook handler (with the bot's poller as its inbox), its dispatcher
and the fake session, on both engines: a request is answered 200 once its update is
stored in the inbox, before it is handled, and the update is then handled from there
by the poller's runner; the same update posted twice is handled once; a store that
refuses the write answers an error status (Telegram sends it again) and the update
sent again is handled; one the dispatcher then fails on keeps its row and is
handled on the runner's retry; a press still gets exactly one answerCallbackQuery. Handlers
are held and released by the test, so nothing depends on the machine's speed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import Update

from storage.inbox import Inbox
from tests.bot.test_poller_offsets import until
from tests.bot.test_press_watch import answers_to, hold_text, pressed, webhook
from tests.bot.test_storage_failures import _read_only
from tests.support.tgfake import TS01_CHAT, TS01_COMMANDER, Harness
from tests.support.updates import as_json

Post = Callable[[Update], Awaitable[int]]


def count_messages(h: Harness) -> list[int]:
    """The update ids of the messages that reached the dispatcher's message handlers."""
    seen: list[int] = []

    async def counted(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        seen.append(data["event_update"].update_id)
        return await handler(event, data)

    h.app.dispatcher.message.outer_middleware(counted)
    return seen


async def kept(h: Harness) -> list[int]:
    return [update_id for update_id, _ in await Inbox(h.app.db, h.app.bot.id).waiting()]


async def test_a_webhook_update_is_answered_once_stored_and_handled_once_after(
    issued: Harness,
) -> None:
    h = issued
    held = hold_text(h, "slow")
    seen = count_messages(h)
    slow = Update(update_id=60_001, message=h.message(TS01_CHAT, TS01_COMMANDER, "slow"))
    async with webhook(h) as post:
        assert await post(slow) == 200
        assert await kept(h) == [60_001]  # durable before the 200
        # ...as the body it was posted with (aiohttp's `json=`), not parsed and dumped
        stored = await Inbox(h.app.db, h.app.bot.id).waiting()
        assert stored == [(60_001, json.dumps(as_json(slow)))]
        await asyncio.wait_for(held.entered.wait(), 10)
        assert h.app.poller.runner.handled == 0  # answered while its handler still runs
        held.set()
        await until(lambda: h.app.poller.runner.handled == 1)
    assert seen == [60_001]
    await h.app.poller.forget()
    assert await kept(h) == []


async def test_the_same_update_posted_twice_is_handled_once(issued: Harness) -> None:
    h = issued
    held = hold_text(h, "slow")
    seen = count_messages(h)
    slow = Update(update_id=60_011, message=h.message(TS01_CHAT, TS01_COMMANDER, "slow"))
    async with webhook(h) as post:
        # Twice at once (the second arrives while the first is being stored)...
        assert await asyncio.gather(post(slow), post(slow)) == [200, 200]
        await asyncio.wait_for(held.entered.wait(), 10)
        assert await post(slow) == 200  # ...and once more while it is handled
        held.set()
        await until(lambda: h.app.poller.runner.handled >= 1)
        await h.app.poller.runner.wait_idle()
    assert seen == [60_011]
    assert h.app.poller.runner.handled == 1
    assert await kept(h) == [60_011]


async def test_a_refused_store_answers_an_error_and_the_update_sent_again_is_handled(
    issued: Harness,
) -> None:
    h = issued
    seen = count_messages(h)
    update = Update(update_id=60_021, message=h.message(TS01_CHAT, TS01_COMMANDER, "hello"))
    async with webhook(h) as post:
        await _read_only(h)
        status = await post(update)
        assert status >= 500  # Telegram sends an update again after any non-2xx answer
        assert h.app.poller.runner.pending == 0  # nothing handed on that is not stored
        if h.app.db.is_postgres:
            await h.app.db.conn.execute("SET default_transaction_read_only = off")
        else:
            await h.app.db.conn.execute("PRAGMA query_only = OFF")
        assert await kept(h) == []
        assert await post(update) == 200  # Telegram's retry
        await until(lambda: h.app.poller.runner.handled == 1)
    assert seen == [60_021]


async def test_a_press_over_the_webhook_gets_exactly_one_answer(issued: Harness) -> None:
    h = issued
    h.session.clear()
    press = pressed(h, 60_031, TS01_CHAT, TS01_COMMANDER, "ack:1")
    async with webhook(h) as post:
        assert await post(press) == 200
        await until(lambda: h.app.poller.runner.handled == 1)
        assert await post(press) == 200  # delivered again: not handled again
        await h.app.poller.runner.wait_idle()
    assert answers_to(h.session, "q60031") == [("已收到，谢谢！", None)]
    assert (await h.row_status("ts-01"))["acked_at"] is not None
    assert h.app.presses.waiting == 0


async def test_an_update_the_dispatcher_fails_on_after_its_200_is_kept_and_handled(
    issued: Harness,
) -> None:
    """Answered 200 once stored, the update's feeding then fails (out of the handlers'
    own error handling): its row stays while it waits for its retry, and the retry
    handles it. An update answered 200 is never lost."""
    h = issued
    seen = count_messages(h)
    real = h.app.dispatcher.feed_update
    failures = {"left": 1}
    retry = asyncio.Event()
    waiting = asyncio.Event()

    async def failing_once(*args: Any, **kwargs: Any) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("the database went away for a moment")
        return await real(*args, **kwargs)

    async def held(seconds: float) -> None:
        waiting.set()
        await retry.wait()

    h.app.dispatcher.feed_update = failing_once  # type: ignore[method-assign]
    h.app.poller.runner.sleep = held
    update = Update(update_id=60_041, message=h.message(TS01_CHAT, TS01_COMMANDER, "hello"))
    async with webhook(h) as post:
        assert await post(update) == 200
        await asyncio.wait_for(waiting.wait(), 10)
        await h.app.poller.forget()
        assert await kept(h) == [60_041]  # waiting for its retry: its row is kept
        retry.set()
        await until(lambda: h.app.poller.runner.handled == 1)
    assert seen == [60_041] and h.app.poller.runner.failed == 0
    await h.app.poller.forget()
    assert await kept(h) == []
