"""Issue 9 item 3: the early toast speaks its chat's language, read with its batch.

Through the bot's own poller, inbox and dispatcher on the fake session (both
engines). The poller reads the chats of a batch's presses in one statement while
the batch is stored (bot/press_replies.py), so a toast does not queue for a read
of its own; the language rule stays bot/context.py's: a unit's group speaks its
unit's language, any other chat the person's. Each press here waits behind a slow
update of its chat with `busy` at 1, so its toast goes as it is taken in.
"""

from __future__ import annotations

import asyncio

import pytest
from aiogram.types import Chat, Update

from bot.press_replies import PressReplies
from bot.press_watch import unread
from tests.bot.test_poller_offsets import until
from tests.bot.test_press_watch import EARLY, answers_to, hold_text, polling, pressed
from tests.support.tgfake import TS0101_CHAT, TS0101_COMMANDER, Harness

EN = "⏳ Got your press; working on it…"
NEW_CHAT = -100_777  # the supergroup ts-01-01's group became
UNBOUND = -100_888  # a group no unit is bound to


async def toast_in(h: Harness, chat: int, update_id: int, language: str | None = "zh-hans") -> str:
    """The early toast of a press in `chat` by a person speaking `language`, taken in
    while a slow update holds the chat."""
    held = hold_text(h, f"slow {update_id}")
    message = h.message(chat, TS0101_COMMANDER, f"slow {update_id}")
    h.session.inbound.append(Update(update_id=update_id, message=message))
    await asyncio.wait_for(held.entered.wait(), 10)
    press = pressed(h, update_id + 1, TS0101_CHAT, TS0101_COMMANDER, "ack:1")
    assert press.callback_query is not None and press.callback_query.message is not None
    query = press.callback_query.model_copy(
        update={
            "from_user": h.user(TS0101_COMMANDER, language),
            "message": press.callback_query.message.model_copy(
                update={"chat": Chat(id=chat, type="supergroup")}
            ),
        }
    )
    h.session.inbound.append(Update(update_id=update_id + 1, callback_query=query))
    await until(lambda: bool(answers_to(h.session, query.id)))
    held.set()
    await until(lambda: h.app.presses.waiting == 0)
    ((text, _),) = answers_to(h.session, query.id)
    return text or ""


async def set_locale(h: Harness, code: str, locale: str) -> None:
    async with h.app.db.transaction() as tx:
        await tx.conn.execute("UPDATE units SET locale = ? WHERE code = ?", (locale, code))


def replies(h: Harness) -> PressReplies:
    owner = h.app.presses.toast.__self__  # type: ignore[attr-defined]
    assert isinstance(owner, PressReplies)
    return owner


async def test_a_chat_bound_to_an_english_unit_gets_it_in_english_without_a_read_each(
    issued: Harness,
) -> None:
    h = issued
    h.app.presses.busy = 1
    await set_locale(h, "ts-01-01", "en")
    async with polling(h):
        assert await toast_in(h, TS0101_CHAT, 60_000) == EN  # the unit's, not the person's
    assert replies(h).reader.batches == 0  # read with its batch, not at its toast


async def test_after_a_language_change_the_next_press_speaks_the_new_language(
    issued: Harness,
) -> None:
    h = issued
    h.app.presses.busy = 1
    async with polling(h):
        assert await toast_in(h, TS0101_CHAT, 60_010, language="en") == EARLY
        await set_locale(h, "ts-01-01", "en")
        assert await toast_in(h, TS0101_CHAT, 60_020) == EN
        await set_locale(h, "ts-01-01", "zh-Hans")
        assert await toast_in(h, TS0101_CHAT, 60_030, language="en") == EARLY


async def test_after_a_migration_the_supergroup_speaks_its_units_language(
    issued: Harness,
) -> None:
    h = issued
    h.app.presses.busy = 1
    await set_locale(h, "ts-01-01", "en")
    migration = h.message(TS0101_CHAT, TS0101_COMMANDER, "x").model_copy(
        update={"text": None, "entities": None, "migrate_to_chat_id": NEW_CHAT}
    )
    async with polling(h):
        h.session.inbound.append(Update(update_id=60_040, message=migration))
        await until(lambda: h.app.poller.runner.handled == 1)
        async with h.app.db.transaction() as tx:
            unit = await tx.tower.by_chat(NEW_CHAT)
        assert unit is not None and unit.code == "ts-01-01"
        assert await toast_in(h, NEW_CHAT, 60_050) == EN
        # The old group's id is no unit's any more: the person's language.
        assert await toast_in(h, TS0101_CHAT, 60_060) == EARLY


@pytest.mark.parametrize(("language", "said"), [("en", EN), ("zh-hans", EARLY), (None, EARLY)])
async def test_a_chat_no_unit_is_bound_to_speaks_the_persons_language(
    issued: Harness, language: str | None, said: str
) -> None:
    h = issued
    h.app.presses.busy = 1
    async with polling(h):
        assert await toast_in(h, UNBOUND, 60_070, language) == said


async def test_presses_whose_chats_were_not_read_with_their_batch_read_them_at_the_toast(
    issued: Harness,
) -> None:
    """A webhook's press, or a batch whose read failed: the toast reads its chat as
    before, in the same language."""
    h = issued
    h.app.presses.busy = 1
    h.app.presses.languages = unread
    await set_locale(h, "ts-01-01", "en")
    async with polling(h):
        assert await toast_in(h, TS0101_CHAT, 60_080) == EN
        assert replies(h).reader.batches == 1  # its own read
        assert await toast_in(h, UNBOUND, 60_090, language="en") == EN
