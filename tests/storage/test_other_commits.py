"""Several workers on one PostgreSQL database: a sender hears the others' messages at once.

A transaction that queues outgoing messages sends a notice with its COMMIT, and every
`Database` listens on a connection of its own and sets the events its own commits set
(storage/notices.py). Two Database handles on one database stand for two workers: a
commit at one wakes the other; a rollback sends nothing; a listening connection that
is terminated, or hangs without closing, is made again, logged once, and hears the
next commit. On SQLite (one
process) these are skipped. The waits are generous bounds for a loaded machine, not
claims about speed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from storage import notices
from storage.db import Database, connect_pg
from storage.notices import CHANNEL
from storage.pg import PgConnection
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
    """Two workers' handles, each hearing the other as a process running a sender does."""
    async with Database(target) as first, Database(target) as second:
        await first.hear_others()
        await second.hear_others()
        yield first, second


@dataclass
class Observer:
    """Every notice on the channel, heard on a plain connection of the test's own."""

    notices: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self, conn: object, pid: int, channel: str, payload: str) -> None:
        self.notices.append(payload)
        self.arrived.set()


@pytest.fixture
async def observer(target: str) -> AsyncIterator[Observer]:
    seen = Observer()
    conn = await asyncpg.connect(target)
    try:
        await conn.add_listener(CHANNEL, seen.note)
        yield seen
    finally:
        await conn.close()


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


async def hears_a_commit(target: str, woken: asyncio.Event) -> None:
    """Another process's commit that queues a message sets `woken`."""
    async with Database(target) as other:
        woken.clear()
        await queue(other, "from another process")
        await arrives(woken)


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
    workers: tuple[Database, Database], observer: Observer
) -> None:
    first, second = workers
    heard = second.commit_event()
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
    await arrives(observer.arrived)
    assert len(observer.notices) == 1
    await arrives(heard)


async def test_a_transaction_that_queues_nothing_sends_no_notice(
    workers: tuple[Database, Database], observer: Observer
) -> None:
    first, _ = workers
    async with first.transaction() as tx:
        await tx.conn.execute("UPDATE schema_version SET version = version")
    await queue(first, "sent")
    await arrives(observer.arrived)
    assert len(observer.notices) == 1


async def test_a_handle_that_runs_no_sender_tells_others_and_listens_to_none(
    target: str, observer: Observer
) -> None:
    """A command or a test opens a handle without hearing others: it holds no listening
    connection, and its commits still wake the workers that listen."""
    async with Database(target) as worker, Database(target) as command:
        await worker.hear_others()
        admin = await asyncpg.connect(target)
        try:
            assert len(await listening_backends(admin)) == 2  # the worker's and the observer's
        finally:
            await admin.close()
        heard = worker.commit_event()
        await queue(command, "from a command")
        await arrives(heard)
        await arrives(observer.arrived)
        assert observer.notices == [command.me]


async def test_a_listener_that_cannot_connect_at_start_is_logged_and_tried_again(
    target: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The listening never stops a start: a first connection refused is logged, the
    start goes on, and once a connection is made the senders are woken."""
    monkeypatch.setattr(notices, "RETRY_SECONDS", 0.05)
    caplog.set_level(logging.WARNING, logger="storage.notices")
    refusals = [2]

    async def connect() -> PgConnection:
        if refusals[0]:
            refusals[0] -= 1
            raise OSError("connection refused")
        return await connect_pg(target)

    woken = asyncio.Event()
    listener = notices.OtherCommits(connect, woken.set, "me")
    await listener.start()  # does not raise
    try:
        assert "cannot listen for other workers' messages (connection refused)" in caplog.text
        await arrives(woken)
        assert "hearing other workers' messages now" in caplog.text
        await hears_a_commit(target, woken)
    finally:
        await listener.close()


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


async def test_a_listener_that_hangs_without_closing_is_found_and_made_again(
    target: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A listening connection whose server side stops answering (its backend stopped:
    no close, no error, as a peer gone silent) is found by the probe and made again."""
    monkeypatch.setattr(notices, "PROBE_SECONDS", 0.2)
    monkeypatch.setattr(notices, "PROBE_TIMEOUT", 0.5)
    caplog.set_level(logging.WARNING, logger="storage.notices")
    made: list[PgConnection] = []

    async def connect() -> PgConnection:
        made.append(await connect_pg(target))
        return made[-1]

    woken = asyncio.Event()
    listener = notices.OtherCommits(connect, woken.set, "me")
    await listener.start()
    hung = made[0].raw.get_server_pid()
    os.kill(hung, signal.SIGSTOP)
    try:
        await arrives(woken)  # woken once listening again
        assert len(made) == 2
        assert "no answer on the PostgreSQL connection that hears" in caplog.text
        await hears_a_commit(target, woken)
    finally:
        os.kill(hung, signal.SIGCONT)
        await listener.close()
