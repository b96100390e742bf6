"""Several webhook workers on one PostgreSQL inbox: whose rows a worker takes.

Each worker's rows carry its id and it holds the `inbox:ID` lease while it runs
(storage/inbox.py). A start's replay, and a live worker's periodic adoption, take
the rows of no owner and of owners gone (lease expired or released), never a live
worker's; two workers claiming at once never take the same row; a chat's earlier
row not handled is found whoever holds it, one set aside is not; the leases of
workers gone are deleted by the next claim. Database handles stand for workers; on
SQLite (one process, no owners) these are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from storage.inbox import Inbox, lease_name
from storage.lease import LeaseLost, RunLease
from tests.support.pgserver import Engine

BOT_ID = 7_000_000_001
CHAT, OTHER = -1_002_000_000_002, -1_002_000_000_003


@pytest.fixture
async def target(engine: Engine, tmp_path: Path) -> str:
    if not engine.is_postgres:
        pytest.skip("SQLite runs one process: its inbox has no owners")
    return await engine.new_target(tmp_path)


@pytest.fixture
async def db(target: str) -> AsyncIterator[Database]:
    async with Database(target) as opened:
        yield opened


async def live(db: Database, owner: str) -> Inbox:
    """A worker's inbox, its lease taken (and left to expire only if never renewed)."""
    await RunLease(db, name=lease_name(owner), holder=owner).take()
    return Inbox(db, BOT_ID, owner)


async def expired(db: Database, owner: str) -> Inbox:
    """The inbox of a worker that stopped renewing its lease long ago (it died)."""
    await RunLease(db, name=lease_name(owner), holder=owner, now=lambda: 0.0).take()
    return Inbox(db, BOT_ID, owner)


async def test_a_start_takes_the_rows_of_workers_gone_and_leaves_a_live_ones(
    db: Database,
) -> None:
    running = await live(db, "running")
    await running.keep([(1, "running's"), (5, "running's too")], chats=[CHAT, OTHER])
    died = await expired(db, "died")
    await died.keep([(2, "died's")], chats=[CHAT])
    await Inbox(db, BOT_ID, "no lease").keep([(3, "a worker whose lease was released")])
    await Inbox(db, BOT_ID).keep([(4, "kept before owners")])

    starting = await live(db, "starting")
    assert [row.update_id for row in await starting.claim()] == [2, 3, 4]
    assert await starting.claim() == []  # now its own: taken once
    assert await running.claim() == []  # a live worker's own rows are not claimed again

    # The starting worker stops: its lease released, its rows are the others' to take.
    await RunLease(db, name=lease_name("starting"), holder="starting").release()
    taken = await running.claim()
    assert [(row.update_id, row.payload) for row in taken] == [
        (2, "died's"),
        (3, "a worker whose lease was released"),
        (4, "kept before owners"),
    ]
    assert [i for i, _ in await running.waiting()] == [1, 2, 3, 4, 5]


async def leases(db: Database) -> list[str]:
    async with db.transaction() as tx:
        rows = await tx.conn.execute_fetchall("SELECT name FROM leases ORDER BY name")
    return [str(row[0]) for row in rows]


async def test_a_claim_deletes_the_leases_of_workers_gone_and_leaves_the_live_ones(
    db: Database,
) -> None:
    """A worker killed outright never deletes its lease: the next claim does, whether
    the worker left rows or none, and a worker stalled past its lease finds it lost."""
    running = await live(db, "running")
    died = await expired(db, "died")
    await died.keep([(1, "died's")])
    await expired(db, "died empty")  # every row of it handled before it died
    stalled = RunLease(db, name=lease_name("stalled"), holder="stalled", now=lambda: 0.0)
    await stalled.take()
    starting = await live(db, "starting")
    assert [row.update_id for row in await starting.claim()] == [1]
    assert await leases(db) == [lease_name("running"), lease_name("starting")]
    with pytest.raises(LeaseLost):
        await stalled.renew()
    assert await running.claim() == []  # nothing gone left to take or delete
    assert await leases(db) == [lease_name("running"), lease_name("starting")]


async def test_a_row_set_aside_is_not_claimed(db: Database) -> None:
    died = await expired(db, "died")
    await died.keep([(1, "poison"), (2, "fine")])
    await died.set_aside(1, None)
    assert [row.update_id for row in await (await live(db, "next")).claim()] == [2]


async def test_workers_claiming_at_once_never_take_the_same_row(target: str) -> None:
    async with Database(target) as one, Database(target) as two, Database(target) as three:
        died = await expired(one, "died")
        ids = list(range(1, 401))
        await died.keep([(i, f"u{i}") for i in ids])
        workers = [await live(db, f"worker {n}") for n, db in enumerate((one, two, three))]
        taken = await asyncio.gather(*(worker.claim() for worker in workers))
        claimed = [[row.update_id for row in rows] for rows in taken]
        every = sorted(i for rows in claimed for i in rows)
        assert every == ids  # each row taken, and by one worker only
        for worker, rows in zip(workers, claimed, strict=True):
            async with worker.db.transaction() as tx:
                owned = await tx.conn.execute_fetchall(
                    "SELECT update_id FROM inbox WHERE owner = ? ORDER BY update_id",
                    (worker.owner,),
                )
            assert [int(r[0]) for r in owned] == rows


async def test_a_chats_earlier_row_not_handled_is_found_whoever_holds_it(db: Database) -> None:
    """A row still there and not set aside holds its chat's later updates, whether a
    live worker, a dead one, no worker or this one holds it; of the rows waited for,
    those not this worker's are found in one query (this worker's are its runner's)."""
    here, there = await live(db, "here"), await live(db, "there")
    died = await expired(db, "died")
    nobody = Inbox(db, BOT_ID)
    await died.keep([(1, "died's, earlier")], chats=[CHAT])
    await there.keep([(2, "there's"), (3, "there's, other chat")], chats=[CHAT, OTHER])
    await here.keep([(4, "here's"), (6, "here's, later")], chats=[CHAT, CHAT])
    await nobody.keep([(5, "nobody's")], chats=[OTHER])
    assert await here.ahead(CHAT, 6) == 1  # the dead worker's row waits to be claimed
    assert await here.ahead(CHAT, 1) is None
    assert await here.ahead(OTHER, 4) == 3
    assert await here.ahead(OTHER, 6) == 3
    assert await there.ahead(CHAT, 2) == 1
    assert await here.not_here([1, 2, 3, 4, 5, 6]) == {1, 2, 3, 5}
    assert await here.not_here([]) == set()
    await there.set_aside(2, None)
    assert await here.not_here([2, 3]) == {3}
    assert [row.update_id for row in await here.claim()] == [1, 5]  # died's and nobody's
    assert await here.not_here([1, 5]) == set()  # now this worker's
    assert await here.ahead(CHAT, 6) == 1  # still not handled
    await here.forget([1, 4])
    assert await here.ahead(CHAT, 6) is None  # 2 is set aside
    await there.forget([3])
    assert await here.ahead(OTHER, 6) == 5
