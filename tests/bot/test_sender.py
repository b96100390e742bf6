"""The sender under Telegram's errors: 429s wait, permanent errors fail, nothing is lost.

The sender is the only code that talks to Telegram. A flood-control 429 must
hold the chat for `retry_after` and then send every held message in order; a
request Telegram will never accept must be marked failed with its reason
instead of blocking the queue; a group upgraded to a supergroup must be
re-keyed and the message resent. Time is moved by hand (the sender takes its
clocks as parameters), so no test sleeps.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.methods import EditMessageText, TelegramMethod

from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from storage.outbox_repo import SqliteRefRepository
from tests.support.tgfake import TS01_CHAT, TS0101_CHAT, TS0102_CHAT, Harness


class ManualTime:
    """Wall and monotonic clocks that move only when told to.

    Each monotonic reading adds a millisecond and a half, as sending takes a
    little time, so the overall per-second limit lets a burst through.
    """

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.ticks = 0

    def wall(self) -> float:
        return self.now

    def monotonic(self) -> float:
        self.ticks += 1
        return self.now + self.ticks * 0.0015

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def time() -> ManualTime:
    return ManualTime()


def make_sender(h: Harness, time: ManualTime, **limits: Any) -> Sender:
    settings = {"per_second": 1000, "chat_interval": 0, "group_per_minute": 10**6, **limits}
    return Sender(
        bot=h.app.bot,
        uow=h.app.db.transaction,
        wakeup=h.app.db.committed,
        limits=SenderLimits(**settings),
        reach=h.app.reach,
        monotonic=time.monotonic,
        wall=time.wall,
    )


async def queue(h: Harness, chat_id: int, *texts: str, priority: Priority = Priority.ORDER) -> None:
    async with h.app.db.transaction() as tx:
        for text in texts:
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=chat_id,
                    text=text,
                    priority=priority,
                    ref=MessageRef(purpose="test", unit_code=text),
                )
            )


async def rows(h: Harness) -> list[dict[str, Any]]:
    async with h.app.db.conn.execute(
        "SELECT id, chat_id, status, attempts, error, not_before, payload FROM outbox ORDER BY id"
    ) as cur:
        return [dict(r) for r in await cur.fetchall()]


async def drain_all(sender: Sender) -> bool:
    """Drain (the clocks standing still) until nothing more can go; True if any did."""
    any_progress = False
    for _ in range(100):
        progressed, _ = await sender.drain_once()
        if not progressed:
            return any_progress
        any_progress = True
    raise AssertionError("the sender never settled")


def retry_after(seconds: int) -> Any:
    def make(method: TelegramMethod[Any]) -> Exception:
        return TelegramRetryAfter(
            method=method,
            message=f"Too Many Requests: retry after {seconds}",
            retry_after=seconds,
        )

    return make


async def test_429_holds_the_chat_and_loses_nothing(harness: Harness, time: ManualTime) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1", "a2")
    await queue(h, TS0102_CHAT, "b1")
    h.session.fail_next(TS0101_CHAT, retry_after(30))

    assert await drain_all(sender)  # b1 went out
    assert h.session.texts(TS0102_CHAT) == ["b1"]
    assert h.session.texts(TS0101_CHAT) == ["a1"]  # the attempt that got the 429
    a1, a2, b1 = await rows(h)
    assert (a1["status"], a1["attempts"]) == ("pending", 1)
    assert "429" in a1["error"] and "30" in a1["error"]
    assert a2["status"] == "pending" and a2["attempts"] == 0
    assert a1["not_before"] >= time.now + 30 and a2["not_before"] >= time.now + 30
    assert b1["status"] == "sent"
    assert sender.stats.rate_limited == 1

    # Not before retry_after: nothing is sent, nothing is dropped.
    time.advance(29)
    progressed, wait = await sender.drain_once()
    assert not progressed
    assert 0 < wait
    assert h.session.texts(TS0101_CHAT) == ["a1"]
    assert [r["status"] for r in await rows(h)] == ["pending", "pending", "sent"]

    time.advance(2)
    assert await drain_all(sender)
    assert h.session.texts(TS0101_CHAT) == ["a1", "a1", "a2"], "resent in order"
    statuses = [(r["status"], r["attempts"]) for r in await rows(h)]
    assert statuses == [("sent", 2), ("sent", 1), ("sent", 1)]
    assert sender.stats.sent == 3


async def test_429_in_one_chat_does_not_hold_the_others(harness: Harness, time: ManualTime) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1")
    await queue(h, TS0102_CHAT, "b1", "b2")
    await queue(h, TS01_CHAT, "c1")
    h.session.fail_next(TS0101_CHAT, retry_after(5))
    await drain_all(sender)
    assert h.session.texts(TS0102_CHAT) == ["b1", "b2"]
    assert h.session.texts(TS01_CHAT) == ["c1"]


async def test_a_permanent_error_marks_the_row_failed_with_its_reason(
    harness: Harness, time: ManualTime
) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1", "a2")
    h.session.fail_next(
        TS0101_CHAT,
        lambda m: TelegramBadRequest(method=m, message="Bad Request: can't parse entities"),
    )
    assert await drain_all(sender)
    a1, a2 = await rows(h)
    assert (a1["status"], a1["attempts"]) == ("failed", 1)
    assert "can't parse entities" in a1["error"]
    assert a2["status"] == "sent", "a failed row does not block its chat"
    assert sender.stats.failed == 1
    # A failed row is never picked up again.
    time.advance(3600)
    progressed, _ = await sender.drain_once()
    assert not progressed
    assert h.session.texts(TS0101_CHAT) == ["a1", "a2"]


async def test_a_group_that_removed_the_bot_holds_its_messages_and_tells_the_parent(
    harness: Harness, time: ManualTime
) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1", "a2")
    kicked = lambda m: TelegramForbiddenError(method=m, message="Forbidden: bot was kicked")  # noqa: E731
    h.session.fail_next(TS0101_CHAT, kicked, kicked)
    await drain_all(sender)
    await drain_all(sender)
    statuses = {r["payload"].split('"text":"')[1][:2]: r["status"] for r in await rows(h)}
    assert statuses["a1"] == statuses["a2"] == "held", "held, not dropped"
    parent_lines = [t for t in h.session.texts(TS01_CHAT) if "塔山村第一村民小组" in t]
    assert len(parent_lines) == 1 and "无法送达" in parent_lines[0]


async def test_an_unexpected_telegram_error_does_not_stop_the_sender(
    harness: Harness, time: ManualTime
) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1")
    await queue(h, TS0102_CHAT, "b1")
    h.session.fail_next(TS0101_CHAT, lambda m: TelegramAPIError(method=m, message="Unknown"))
    await sender.drain_once()
    assert h.session.texts(TS0102_CHAT) == ["b1"]
    (a1, _) = await rows(h)
    assert a1["status"] in {"pending", "failed"}, "not stuck as 'sending' until a restart"


async def test_network_errors_back_off_and_retry(harness: Harness, time: ManualTime) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "a1")
    h.session.fail_next(
        TS0101_CHAT,
        lambda m: TelegramNetworkError(method=m, message="connection reset"),
        lambda m: TelegramNetworkError(method=m, message="connection reset"),
    )
    await sender.drain_once()
    (row,) = await rows(h)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["not_before"] > time.now
    time.advance(200)
    await sender.drain_once()
    time.advance(200)
    await sender.drain_once()
    (row,) = await rows(h)
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert sender.stats.retried == 2 and sender.stats.sent == 1


async def test_a_migrated_group_is_rekeyed_and_the_message_resent(
    harness: Harness, time: ManualTime
) -> None:
    h = harness
    sender = make_sender(h, time)
    new_chat = -1003999999999
    await queue(h, TS0101_CHAT, "a1", "a2")
    h.session.migrations[TS0101_CHAT] = new_chat
    for _ in range(3):
        await sender.drain_once()
    assert h.session.texts(new_chat) == ["a1", "a2"]
    assert [r["status"] for r in await rows(h)] == ["sent", "sent"]
    async with h.app.db.transaction() as tx:
        unit = await tx.tower.by_chat(new_chat)
        assert unit is not None and unit.code == "ts-01-01"
        assert await tx.tower.by_chat(TS0101_CHAT) is None


async def test_interactive_answers_go_before_orders(harness: Harness, time: ManualTime) -> None:
    h = harness
    sender = make_sender(h, time)
    await queue(h, TS0101_CHAT, "order", priority=Priority.ORDER)
    await queue(h, TS0101_CHAT, "progress", priority=Priority.PROGRESS)
    await queue(h, TS0101_CHAT, "answer", priority=Priority.INTERACTIVE)
    await drain_all(sender)
    assert h.session.texts(TS0101_CHAT) == ["answer", "order", "progress"]


async def test_per_chat_spacing_is_kept(harness: Harness, time: ManualTime) -> None:
    h = harness
    sender = make_sender(h, time, chat_interval=1.0, group_per_minute=20)
    await queue(h, TS0101_CHAT, *[f"m{i}" for i in range(25)])
    await queue(h, TS0102_CHAT, "other")
    assert await drain_all(sender)
    assert h.session.texts(TS0101_CHAT) == ["m0"]  # one per second per chat
    assert h.session.texts(TS0102_CHAT) == ["other"]
    progressed, wait = await sender.drain_once()
    assert not progressed and 0 < wait <= 1.0
    for _ in range(40):
        time.advance(1.0)
        await sender.drain_once()
    # At most 20 per minute in one group, whatever the per-second spacing allows.
    assert len(h.session.texts(TS0101_CHAT)) == 20
    time.advance(30)
    for _ in range(10):
        time.advance(1.0)
        await sender.drain_once()
    assert len(h.session.texts(TS0101_CHAT)) == 25


@pytest.mark.parametrize("event", ["wakeup", "kick"])
async def test_a_sender_cancelled_as_it_wakes_stops(
    harness: Harness, time: ManualTime, event: str
) -> None:
    """A stop that lands in the same turn as the sender's wake-up still stops it.

    On Python 3.11, `asyncio.wait_for` returns the awaited event's result when the
    task is cancelled in that same turn, and the cancellation is lost: the sender
    went on looping and the bot's stop waited for it forever (a drill's bot under
    load never exited). Idle, the sender waits for a commit (`wakeup`); with a
    request in flight, for it to come back (`kick`).
    """
    sender = make_sender(harness, time)
    if event == "kick":
        back: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        back.set_result(True)  # a request that came back, not yet collected
        sender._in_flight[TS01_CHAT] = back  # type: ignore[assignment]
    task = asyncio.create_task(sender.run())
    for _ in range(50):  # until it waits
        await asyncio.sleep(0.01)
    (sender.wakeup if event == "wakeup" else sender._kick).set()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    if not done:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert done, "the sender did not stop"


async def test_edits_find_their_messages_once_per_batch(
    harness: Harness, time: ManualTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The messages a batch's edits edit are found with the batch's claim, not in a
    transaction each; an edit of a message not sent yet still waits for it."""
    sender = make_sender(harness, time)
    await queue(harness, TS0101_CHAT, "A")
    await queue(harness, TS0102_CHAT, "B")
    await drain_all(sender)
    originals = {m.chat.id: m.message_id for m in harness.session.messages}
    alone: list[MessageRef] = []
    find = SqliteRefRepository.find

    async def counted(self: SqliteRefRepository, ref: MessageRef) -> tuple[int, int] | None:
        alone.append(ref)
        return await find(self, ref)

    monkeypatch.setattr(SqliteRefRepository, "find", counted)
    async with harness.app.db.transaction() as tx:
        for chat, unit in ((TS0101_CHAT, "A"), (TS0102_CHAT, "B"), (TS01_CHAT, "never")):
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=chat,
                    text=f"{unit} edited",
                    priority=Priority.PROGRESS,
                    edit_of=MessageRef(purpose="test", unit_code=unit),
                )
            )
    harness.session.calls.clear()
    await sender.drain_once()
    edits = [c for c in harness.session.calls if isinstance(c, EditMessageText)]
    assert sorted((e.chat_id, e.message_id, e.text) for e in edits) == sorted(
        [
            (TS0101_CHAT, originals[TS0101_CHAT], "A edited"),
            (TS0102_CHAT, originals[TS0102_CHAT], "B edited"),
        ]
    )
    # Only the edit whose message was not found at the claim looked again, alone.
    assert alone == [MessageRef(purpose="test", unit_code="never")]
    waiting = [r for r in await rows(harness) if r["chat_id"] == TS01_CHAT]
    assert [(r["status"], r["error"]) for r in waiting] == [("pending", "waiting for the original")]
