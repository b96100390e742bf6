"""The inbox of long polling on real databases: rows kept per bot, handed back
oldest first, a batch stored and handled rows deleted in one transaction.

The poller relies on each of these (bot/dispatch.py): a batch is confirmed to
Telegram only after `keep` committed, and `waiting` is what a restart replays.
"""

from __future__ import annotations

import asyncio

import pytest

from cascade.outgoing import OutgoingMessage
from storage.conn import IntegrityError
from storage.db import Database
from storage.inbox import Inbox, InboxRow

BIG = 2**53 + 7  # beyond a double's exact range: ids are 64-bit integers


async def test_rows_are_handed_back_oldest_first_per_bot(db: Database) -> None:
    mine, other = Inbox(db, 123456), Inbox(db, 777)
    await mine.keep([(BIG, '{"update_id": "big"}'), (5, "five"), (40, "forty")])
    await other.keep([(6, "the other bot's")])
    assert await mine.waiting() == [(5, "five"), (40, "forty"), (BIG, '{"update_id": "big"}')]
    assert await other.waiting() == [(6, "the other bot's")]


async def test_a_batch_stored_twice_keeps_its_first_rows(db: Database) -> None:
    inbox = Inbox(db, 1)
    await inbox.keep([(1, "first"), (2, "second")])
    await inbox.keep([(2, "again"), (3, "third")])
    assert await inbox.waiting() == [(1, "first"), (2, "second"), (3, "third")]


async def test_handled_rows_go_with_the_next_batch_or_on_their_own(db: Database) -> None:
    inbox, other = Inbox(db, 1), Inbox(db, 2)
    await inbox.keep([(i, f"u{i}") for i in range(1, 6)])
    await other.keep([(2, "same id, other bot")])
    await inbox.keep([(6, "u6")], handled=[1, 2, 4])
    assert [i for i, _ in await inbox.waiting()] == [3, 5, 6]
    await inbox.forget([3, 6, 99])  # an id without a row is no error
    assert await inbox.waiting() == [(5, "u5")]
    assert await other.waiting() == [(2, "same id, other bot")]


async def test_a_failed_batch_stores_nothing_and_deletes_nothing(db: Database) -> None:
    inbox = Inbox(db, 1)
    await inbox.keep([(1, "one")])
    bad: list[tuple[int, str]] = [(2, "two"), (3, None)]  # type: ignore[list-item]  # NOT NULL
    with pytest.raises(IntegrityError):
        await inbox.keep(bad, handled=[1])
    assert await inbox.waiting() == [(1, "one")]


async def test_after_a_failed_batch_the_next_one_is_stored(db: Database) -> None:
    """The batch is one transaction on the database thread (`write_at_once`): one that
    fails there is rolled back there, and leaves no transaction open behind it."""
    inbox = Inbox(db, 1)
    bad: list[tuple[int, str]] = [(1, "one"), (2, None)]  # type: ignore[list-item]  # NOT NULL
    with pytest.raises(IntegrityError):
        await inbox.keep(bad)
    await inbox.keep([(3, "three")])
    async with db.transaction() as tx:  # and an ordinary transaction still opens
        await tx.conn.execute("SELECT 1")
    assert await inbox.waiting() == [(3, "three")]


async def test_a_batch_whose_writer_is_cancelled_is_written_to_its_end(db: Database) -> None:
    """A poller stopped while its batch is being written: on SQLite the write handed to
    the database thread still runs whole, on PostgreSQL the transaction is rolled back;
    never half a batch. The cancellation goes on, and the next write works."""
    inbox = Inbox(db, 1)
    store = await db.inbox()  # on SQLite the inbox's own file (storage/inbox_file.py)
    writing = asyncio.create_task(inbox.keep([(1, "one"), (2, "two")]))
    await asyncio.sleep(0)  # its first step runs up to the database's answer
    assert store._lock.locked()  # the write under way, holding the inbox's writers' lock
    writing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await writing
    await inbox.keep([(3, "three")], handled=[2])
    whole = [] if db.is_postgres else [(1, "one")]
    assert await inbox.waiting() == [*whole, (3, "three")]


async def test_nothing_to_do_opens_no_transaction(db: Database) -> None:
    await db.close()  # a transaction would fail: the database is closed
    await Inbox(db, 1).keep([], [])


async def test_attempts_are_counted_and_a_row_set_aside_is_kept_but_not_handed_back(
    db: Database,
) -> None:
    """An update that kills the process is counted at each replay, then set aside:
    its row stays (for a look), it is never handed back, and its chat's line is
    queued in the same transaction."""
    inbox, other = Inbox(db, 1), Inbox(db, 2)
    await inbox.keep([(1, "one"), (2, "two"), (BIG, "big")])
    await other.keep([(1, "other bot's one")])
    await inbox.attempt([1, BIG])
    await inbox.attempt([1])
    await inbox.attempt([])
    assert await inbox.replayable() == [
        InboxRow(1, "one", 2),
        InboxRow(2, "two", 0),
        InboxRow(BIG, "big", 1),
    ]
    assert await other.replayable() == [InboxRow(1, "other bot's one", 0)]

    told = OutgoingMessage(chat_id=-(2**40), text="请重新发送", reply_to_message_id=BIG)
    await inbox.set_aside(1, told)
    await inbox.set_aside(BIG, None)
    assert await inbox.waiting() == [(2, "two")]
    assert await inbox.aside() == [1, BIG]
    assert await other.waiting() == [(1, "other bot's one")] and await other.aside() == []
    async with db.transaction() as tx:
        queued = await tx.outbox.read(await tx.outbox.due(now=10**12))
    assert [(r.message.chat_id, r.message.text, r.message.reply_to_message_id) for r in queued] == [
        (-(2**40), "请重新发送", BIG)
    ]
    await inbox.keep([(1, "delivered again")])  # a row set aside is not replaced
    assert await inbox.aside() == [1, BIG] and await inbox.waiting() == [(2, "two")]
