"""Hostile input: 10,000 generated updates through the real dispatcher.

Random and malformed commands, huge and empty texts, emoji, right-to-left
text, HTML metacharacters, forged, replayed, expired and foreign button data,
replies to messages that are not orders, edits, unknown chats and users, and
updates delivered twice (tests/support/hostile.py). Nothing may raise or be
logged as an error; every command a person sent to this bot gets a reply (a
result, a usage line or a refusal), every press an answer; the order roll-up's
invariants hold after every update that wrote anything (one that wrote nothing
cannot break them); the database passes `integrity_check`.
"""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage

from tests.support.hostile import HostileTraffic, check_invariants
from tests.support.tgfake import Harness

UPDATES = 10_000


async def _outbox_rows(h: Harness) -> int:
    async with h.app.db.conn.execute("SELECT COUNT(*) FROM outbox") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_ten_thousand_hostile_updates(
    issued: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = issued
    caplog.set_level(logging.WARNING)
    traffic = HostileTraffic(seed=20200220, bot_id=h.app.bot.id)
    unanswered: list[str] = []
    seen: set[int] = set()
    for step in range(UPDATES):
        if step % 100 == 0:
            await h.drain()
            traffic.bot_messages = h.session.messages[-400:]
        sent = traffic.next()
        first = sent.update.update_id not in seen
        seen.add(sent.update.update_id)
        rows, calls = await _outbox_rows(h), len(h.session.calls)
        changes = h.app.db.conn.total_changes
        await h.app.dispatcher.feed_update(h.app.bot, sent.update)  # must not raise
        wrote = h.app.db.conn.total_changes != changes
        if first and sent.command is not None:
            direct = [c for c in h.session.calls[calls:] if isinstance(c, SendMessage)]
            if await _outbox_rows(h) == rows and not direct:
                message = sent.update.message
                assert message is not None
                unanswered.append(f"{message.chat.id}: {(message.text or '')[:60]!r}")
        if first and sent.press is not None:
            answers = [
                c
                for c in h.session.calls[calls:]
                if isinstance(c, AnswerCallbackQuery) and c.callback_query_id == sent.press
            ]
            assert answers, f"press {sent.update.callback_query} got no answer"
        if wrote:
            broken = await check_invariants(h.app.db.conn)
            assert not broken, (step, sent.update.model_dump_json(exclude_none=True)[:300], broken)
    await h.drain()
    assert await check_invariants(h.app.db.conn) == []
    assert unanswered == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    if not h.app.db.is_postgres:  # PostgreSQL checks its pages itself
        async with h.app.db.conn.execute("PRAGMA integrity_check") as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] == "ok"
