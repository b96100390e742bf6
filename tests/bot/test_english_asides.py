"""English asides after a value stand apart from it: "5 (corrected; …)".

The English texts appended "(corrected; …)", "(after the deadline: …)", "(late)" and
"(sent late, after a restart)" right after the value or sentence before them:
`Recorded for "…": 4(corrected; this value replaces the earlier one)(after the
deadline: counted and marked late)`. Chinese needs no space before its （…）.
"""

from __future__ import annotations

from bot.i18n import Texts
from tests.support.tgfake import TS0101_CHAT, TS0101_COMMANDER, Harness


async def test_a_late_value_and_its_correction_read_with_spaces_in_english(issued: Harness) -> None:
    h = issued
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute("UPDATE units SET locale = 'en' WHERE code = 'ts-01-01'")
    h.clock.advance(minutes=16)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "3", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    assert (await h.last(TS0101_CHAT)).endswith(": 3 (after the deadline: counted and marked late)")
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "4", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    assert ": 4 (corrected; this value replaces the earlier one)" in await h.last(TS0101_CHAT)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "/card")
    await h.drain()
    assert "reported 4 (late)" in await h.last(TS0101_CHAT)


def test_the_sent_late_aside_stands_apart_in_english_and_not_in_chinese() -> None:
    texts = Texts()
    assert texts.get("en", "sent-late") == " (sent late, after a restart)"
    assert texts.get("zh-Hans", "sent-late").startswith("（")
