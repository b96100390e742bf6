"""Item 3 of "proven reliable": seats cannot be taken.

Invite links go only to the commander who asked, privately; a seat link is
signed (a guessed or forged token is refused before any lookup), single-use and
expires; a unit whose group is live moves only when its commander (or an HQ
admin) confirms, and the old group is told.
"""

from __future__ import annotations

import csv
import io

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, Chat, Message, Update

from cascade.invites import InviteSigner
from tests.support.tgfake import (
    HQ_ADMIN,
    HQ_CHAT,
    HQ_COMMANDER,
    HQ_MEMBER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0101_MEMBER,
    Harness,
)

NEW_GROUP, ANOTHER_GROUP = -1003000000001, -1003000000002
STRANGER = 6999999999


def _documents(h: Harness) -> list[SendDocument]:
    return [c for c in h.session.calls if isinstance(c, SendDocument)]


def _sheet(h: Harness) -> list[dict[str, str]]:
    document = _documents(h)[-1].document
    assert isinstance(document, BufferedInputFile)
    return list(csv.DictReader(io.StringIO(document.data.decode("utf-8-sig"))))


async def _private(h: Harness, user_id: int, text: str) -> None:
    message = h.message(user_id, user_id, text).model_copy(
        update={"chat": Chat(id=user_id, type="private")}
    )
    await h.app.dispatcher.feed_update(
        h.app.bot, Update(update_id=next(h._updates), message=message)
    )


async def _empty_seat_links(h: Harness) -> tuple[str, str]:
    """Empties 王梦红's seat in ts-01-01 and has its commander ask for links."""
    await h.app.db.conn.execute(
        "UPDATE members SET telegram_id = NULL WHERE unit_code = 'ts-01-01' AND seq = 1"
    )
    await h.send(TS01_CHAT, TS01_COMMANDER, "/invite")
    await h.drain()
    rows = _sheet(h)
    (person,) = [r["person_link"] for r in rows if r["person_link"]]
    group = next(r["group_link"] for r in rows if r["code"] == "ts-01-01" and r["group_link"])
    return person.split("?start=")[1], group.split("?startgroup=")[1]


async def test_invite_links_go_privately_to_the_commander_who_asked(harness: Harness) -> None:
    await harness.send(HQ_CHAT, HQ_COMMANDER, "/invite")
    await harness.drain()
    (sheet,) = _documents(harness)
    assert sheet.chat_id == HQ_COMMANDER
    assert "私信" in await harness.last(HQ_CHAT)
    assert all(int(d.chat_id) > 0 for d in _documents(harness))


async def test_a_plain_member_gets_no_links(harness: Harness) -> None:
    await harness.send(HQ_CHAT, HQ_MEMBER, "/invite")
    await harness.drain()
    assert _documents(harness) == []
    assert "只有" in await harness.last(HQ_CHAT)


async def test_guessed_and_forged_tokens_are_refused(harness: Harness) -> None:
    person, _ = await _empty_seat_links(harness)
    forged = InviteSigner(b"not the bot's key").new()
    for token in ("A" * 24, person[:12] + "B" * 12, forged, person[:-1], "x" * 70):
        await _private(harness, STRANGER, f"/start {token}")
        await harness.drain()
        assert "无效" in await harness.last(STRANGER)
    async with harness.app.db.transaction() as tx:
        slots = await tx.tower.slots("ts-01-01")
    assert STRANGER not in {s.telegram_id for s in slots}


async def test_a_seat_link_works_once(harness: Harness) -> None:
    person, _ = await _empty_seat_links(harness)
    await _private(harness, TS0101_MEMBER, f"/start {person}")
    await harness.drain()
    assert "已登记" in await harness.last(TS0101_MEMBER)
    await _private(harness, STRANGER, f"/start {person}")
    await harness.drain()
    assert "已被使用" in await harness.last(STRANGER)
    await _private(harness, TS0101_MEMBER, f"/start {person}")  # the owner again: harmless
    await harness.drain()
    assert "已登记" in await harness.last(TS0101_MEMBER)


async def test_a_seat_link_expires_and_a_new_sheet_replaces_it(harness: Harness) -> None:
    person, _ = await _empty_seat_links(harness)
    harness.clock.advance(days=8)
    await _private(harness, TS0101_MEMBER, f"/start {person}")
    await harness.drain()
    assert "已过期" in await harness.last(TS0101_MEMBER)
    await harness.send(TS01_CHAT, TS01_COMMANDER, "/invite")
    await harness.drain()
    fresh = next(r["person_link"] for r in _sheet(harness) if r["person_link"])
    assert fresh.split("?start=")[1] != person
    await _private(harness, TS0101_MEMBER, f"/start {fresh.split('?start=')[1]}")
    await harness.drain()
    assert "已登记" in await harness.last(TS0101_MEMBER)


async def _press_move(h: Harness, chat_id: int, user_id: int, go: bool) -> None:
    prompt: Message = h.prompt_in(chat_id)
    assert prompt.reply_markup is not None
    data = prompt.reply_markup.inline_keyboard[0][0 if go else 1].callback_data or ""
    await h.press(prompt, user_id, data)
    await h.drain()


async def _chat_of(h: Harness, code: str) -> int | None:
    async with h.app.db.transaction() as tx:
        unit = await tx.tower.ref(code)
    assert unit is not None
    return unit.chat_id


async def test_moving_a_live_unit_needs_its_commander_and_tells_the_old_group(
    harness: Harness,
) -> None:
    _, group = await _empty_seat_links(harness)
    await harness.send(NEW_GROUP, TS0101_COMMANDER, f"/start {group}")
    await harness.drain()
    assert "确认" in await harness.last(NEW_GROUP)
    assert await _chat_of(harness, "ts-01-01") == TS0101_CHAT
    await _press_move(harness, NEW_GROUP, TS0101_MEMBER, go=True)
    (refusal,) = harness.session.answers()[-1:]
    assert refusal.text and "指挥长" in refusal.text
    assert await _chat_of(harness, "ts-01-01") == TS0101_CHAT
    await _press_move(harness, NEW_GROUP, TS0101_COMMANDER, go=True)
    assert await _chat_of(harness, "ts-01-01") == NEW_GROUP
    assert "迁移到新群" in await harness.last(TS0101_CHAT)


async def test_an_admin_bind_of_a_live_unit_asks_first(harness: Harness) -> None:
    await harness.send(ANOTHER_GROUP, HQ_ADMIN, "/bind ts-01-01")
    await harness.drain()
    assert await _chat_of(harness, "ts-01-01") == TS0101_CHAT
    await _press_move(harness, ANOTHER_GROUP, HQ_ADMIN, go=False)
    assert await _chat_of(harness, "ts-01-01") == TS0101_CHAT
    await _press_move(harness, ANOTHER_GROUP, HQ_ADMIN, go=True)
    assert await _chat_of(harness, "ts-01-01") == ANOTHER_GROUP
    assert "迁移到新群" in await harness.last(TS0101_CHAT)
