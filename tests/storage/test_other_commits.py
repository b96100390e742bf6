"""Several workers on one PostgreSQL database: a sender hears the others' messages at once.

A transaction that queues outgoing messages sends a notice with its COMMIT, and every
`Database` listens on a connection of its own and sets the events its own commits set
(storage/notices.py). Two Database handles on one database stand for two workers: a
commit at one wakes the other; a rollback sends nothing; a listening connection that
is terminated is made again, logged once, and hears the next commit. On SQLite (one
process) these are skipped. The waits are generous bounds for a loaded machine, not
claims about speed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from storage.db import Database
from storage.notices import CHANNEL
from tests.support.pgserver import Engine

CHAT = -1_002_000_000_002
PATIENCE = 60.0


class Refused(Exception):
    """Raised inside a transaction to roll it back."""


@pytest.fixture
async def target(engine: Engine, tmp_path: Path) -> str:
    if not engine.is_postgres:
        pytest.skip("SQLite runs one process: there are no other workers to hear")
    return await engine.new_target(tmp_path)


@pytest.fixture
async def workers(target: str) -> AsyncIterator[tuple[Database, Database]]:
    async with Database(target) as first, Database(target) as second:
        yield first, second


async def queue(db: Database, text: str) -> None:
    async with db.transaction() as tx:
        await tx.outbox.add(
            OutgoingMessage(
                chat_id=CHAT, text=text, priority=Priority.ORDER, ref=MessageRef(purpose="test")
            )
        )


async def arrives(event: asyncio.Event) -> None:
    async with asyncio.timeout(PATIENCE):
        await event.wait()


async def listening_backends(admin: asyncpg.Connection) -> set[int]:
    rows = await admin.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    )
    return {int(row["pid"]) for row in rows}


async def test_a_commit_that_queues_messages_wakes_the_other_workers_sender(
    workers: tuple[Database, Database],
) -> None:
    first, second = workers
    heard = second.commit_event()
    await queue(first, "a confirmation")
    await arrives(heard)
    await arrives(second.committed)
    async with second.pages() as tx:
        assert len(await tx.outbox.due(10**12, limit=10)) == 1  # the row it was woken for


async def test_a_rolled_back_transaction_sends_no_notice(
    workers: tuple[Database, Database], target: str
) -> None:
    first, second = workers
    heard = second.commit_event()
    notices: list[str] = []
    arrived = asyncio.Event()
    observer = await asyncpg.connect(target)
    try:

        def note(conn: object, pid: int, channel: str, payload: str) -> None:
            notices.append(payload)
            arrived.set()

        await observer.add_listener(CHANNEL, note)
        with pytest.raises(Refused):
            async with first.transaction() as tx:
                await tx.outbox.add(
                    OutgoingMessage(
                        chat_id=CHAT,
                        text="never sent",
                        priority=Priority.ORDER,
                        ref=MessageRef(purpose="test"),
                    )
                )
                raise Refused
        assert not heard.is_set()
        # Notices arrive in commit order: had the rollback sent one, it would come first.
        await queue(first, "sent")
        await arrives(arrived)
        assert len(notices) == 1
        await arrives(heard)
    finally:
        await observer.close()


async def test_a_transaction_that_queues_nothing_sends_no_notice(
    workers: tuple[Database, Database], target: str
) -> None:
    first, _ = workers
    notices: list[str] = []
    arrived = asyncio.Event()
    observer = await asyncpg.connect(target)
    try:

        def note(conn: object, pid: int, channel: str, payload: str) -> None:
            notices.append(payload)
            arrived.set()

        await observer.add_listener(CHANNEL, note)
        async with first.transaction() as tx:
            await tx.conn.execute("UPDATE schema_version SET version = version")
        await queue(first, "sent")
        await arrives(arrived)
        assert len(notices) == 1
    finally:
        await observer.close()


async def test_a_terminated_listener_listens_again_and_hears_the_next_commit(
    workers: tuple[Database, Database], target: str, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = workers
    heard = second.commit_event()
    admin = await asyncpg.connect(target)
    try:
        before = await listening_backends(admin)
        assert len(before) == 2  # one for each worker
        caplog.set_level(logging.WARNING, logger="storage.notices")
        first.committed.clear()
        for pid in before:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        # Each is woken once listening again, so what was queued meanwhile is read.
        await arrives(first.committed)
        await arrives(heard)
        heard.clear()
        after = await listening_backends(admin)
        assert len(after) == 2
        assert not after & before
        lost = [r for r in caplog.records if r.getMessage().startswith("lost the PostgreSQL")]
        assert len(lost) == 2  # once for each worker
        await queue(first, "after the reconnection")
        await arrives(heard)
    finally:
        await admin.close()
