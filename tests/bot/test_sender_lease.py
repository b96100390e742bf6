"""One sender per bot token across workers (issue 14, item 4).

Two workers' senders for the same token share one database (two `Database`
handles; on both engines). Only the one holding the token's lease sends; when the
holder's process is seen gone, the other takes over within seconds, the old
one stops at its next renewal. Across the hand-over no message is left
unsent, and the only ones sent twice are those the old holder had in flight,
which the new one counts as possible duplicates (it cannot tell a request in
flight from one a dead process never finished).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiogram import Bot

from bot import sender as sender_module
from bot.sender import Sender
from bot.settings import SenderLimits
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.reachability import ReachabilityService
from storage.db import Database
from storage.lease import RunLease
from tests.support.tgfake import TOKEN, FakeSession, Harness

CHATS = [-1_002_000_000_000 - n for n in range(1, 241)]  # Tashan's groups
TTL = 5.0  # renewed every 1.7 s: a loaded machine does not let it lapse


@dataclass
class Worker:
    db: Database
    session: FakeSession
    sender: Sender
    task: asyncio.Task[None] | None = None

    def texts(self) -> list[str]:
        return [m.text or "" for m in self.session.messages]


def _worker(h: Harness, db: Database) -> Worker:
    session = FakeSession()
    bot = Bot(TOKEN, session=session)
    sender = Sender(
        bot,
        db.transaction,
        db.commit_event(),
        SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6),
        ReachabilityService(db.transaction, h.app.presenter),
        lease=RunLease(db, TTL, name=f"send:{bot.id}"),
    )
    return Worker(db, session, sender)


@pytest.fixture
async def senders(
    workers: list[Harness], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[list[Worker]]:
    monkeypatch.setattr(sender_module, "LEASE_RETRY", 0.1)
    pair = [_worker(h, h.app.db) for h in workers]
    try:
        yield pair
    finally:
        for worker in pair:
            if worker.task is not None:
                worker.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker.task


async def _queue(db: Database, texts: list[str]) -> None:
    async with db.transaction() as tx:
        for index, text in enumerate(texts):
            chat = CHATS[index % len(CHATS)]
            ref = MessageRef(purpose="test", unit_code=text)
            await tx.outbox.add(
                OutgoingMessage(chat_id=chat, text=text, priority=Priority.ORDER, ref=ref)
            )


async def _until(what: str, check: object, seconds: float = 90.0) -> None:
    assert callable(check)
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_only_the_lease_holder_sends_and_a_dead_holder_is_taken_over(
    senders: list[Worker],
) -> None:
    workers = senders
    first, second = workers
    first.task = asyncio.create_task(first.sender.run())
    await _until("the first to hold the lease", lambda: _holds(first))
    second.task = asyncio.create_task(second.sender.run())
    batch = [f"m{n}" for n in range(300)]
    await _queue(first.db, batch)
    await _until("the first batch sent", lambda: _sent(workers) >= len(batch))
    assert len(first.texts()) == len(batch)
    assert second.texts() == []

    # The holder's process is seen gone: the other takes over, the old one stops at
    # its next renewal; whatever crosses the hand-over is sent once.
    async with first.db.transaction() as tx:
        await tx.conn.execute("UPDATE leases SET pid = 2147483646 WHERE name LIKE 'send:%'")
    more = [f"n{n}" for n in range(300)]
    await _queue(second.db, more)
    await _until("the second batch sent", lambda: _sent(workers) >= len(batch) + len(more))
    # The old holder may well have sent all of them before its next renewal: the
    # hand-over is seen in the lease, and the batch after it shows who sends.
    await _until("the new holder taking the lease", lambda: _holds(second))
    await asyncio.sleep(TTL)  # a duplicate on its way would land now
    sent = Counter(first.texts() + second.texts())
    assert set(sent) == set(batch + more), "a message was not sent"
    twice = [text for text, n in sent.items() if n > 1]
    assert max(sent.values()) <= 2
    assert len(twice) <= second.sender.stats.possible_duplicates, twice
    later = [f"k{n}" for n in range(50)]
    before = len(first.texts())
    await _queue(first.db, later)
    total = sum(sent.values()) + len(later)
    await _until("a batch after the hand-over", lambda: _sent(workers) == total)
    assert len(first.texts()) == before, "the old holder still sends"
    assert set(later) <= set(second.texts()), "the new holder did not send"


def _holds(worker: Worker) -> bool:
    """The worker's sender has taken its lease (its pass-over log line is not needed)."""
    lease = worker.sender.lease
    return lease is not None and lease.taken


def _sent(workers: list[Worker]) -> int:
    return sum(len(w.texts()) for w in workers)
