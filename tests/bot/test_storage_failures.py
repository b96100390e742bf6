"""Item 9 (the database part) of "proven reliable": a full or read-only store.

When the database refuses writes, the person gets one line ("暂时无法保存，请稍后再试"),
sent straight through the Bot API because the outbox cannot be written either;
the issuer of an order that failed is told it was not issued. Nothing is
half-written: the order does not exist afterwards.
"""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import SendMessage

from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, TS0101_CHAT, TS0101_COMMANDER, Harness


async def _orders(h: Harness) -> int:
    async with h.app.db.conn.execute("SELECT COUNT(*) FROM orders") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


def _direct(h: Harness, chat_id: int) -> list[str]:
    return [c.text for c in h.session.calls if isinstance(c, SendMessage) and c.chat_id == chat_id]


# A full disk is played with SQLite's page limit; PostgreSQL has no such switch.
sqlite_only = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


async def _read_only(h: Harness) -> None:
    """Every later write of the bot's connection is refused, as by a read-only store."""
    if h.app.db.is_postgres:
        await h.app.db.conn.execute("SET default_transaction_read_only = on")
    else:
        await h.app.db.conn.execute("PRAGMA query_only = ON")


async def _disk_full(h: Harness) -> None:
    """The file may not grow by a single page: every insert that needs one fails."""
    async with h.app.db.conn.execute("PRAGMA page_count") as cur:
        row = await cur.fetchone()
    assert row is not None
    await h.app.db.conn.execute(f"PRAGMA max_page_count = {int(row[0])}")


@sqlite_only
async def test_an_order_on_a_full_disk_tells_its_issuer_it_was_not_issued(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await _disk_full(harness)
    await harness.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    assert _direct(harness, HQ_CHAT) == ["指令未下达：暂时无法保存，请稍后再试。"]
    assert await _orders(harness) == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


async def test_a_read_only_database_gets_one_line_for_a_reply(issued: Harness) -> None:
    await _read_only(issued)
    issued.session.clear()
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "7", reply_to=issued.copy_in(TS0101_CHAT))
    assert _direct(issued, TS0101_CHAT) == ["暂时无法保存，请稍后再试。"]


async def test_a_press_on_a_read_only_database_gets_an_alert(issued: Harness) -> None:
    await _read_only(issued)
    issued.session.clear()
    await issued.press(issued.copy_in(TS0101_CHAT), TS0101_COMMANDER, "ack:1")
    (answer,) = issued.session.answers()
    assert answer.text == "暂时无法保存，请稍后再试。" and answer.show_alert


@sqlite_only
async def test_service_resumes_once_the_disk_has_room(harness: Harness) -> None:
    await _disk_full(harness)
    await harness.send(HQ_CHAT, HQ_COMMANDER, "/order 15m notice 全员到岗")
    await harness.app.db.conn.execute("PRAGMA max_page_count = 1073741823")
    await harness.send(HQ_CHAT, HQ_COMMANDER, "/order 15m notice 全员到岗")
    assert await _orders(harness) == 1
