"""A crash between a guided form's step and what the step does loses nothing.

A form's step (form_states) used to commit on its own, and with it the record
that the update was handled; the step's prompt, or the order "下达" issues,
came in a later transaction. A process killed between the two left the form a
step on, the prompt never sent (or the order never issued), and the update,
handed over again by Telegram after the restart, skipped as handled. Now the
step rides on the handler's next transaction (bot/forms.py): both are durable,
or neither is and the update handed over again does the step whole.

The kill is a BaseException raised where the step's effects are written: no
error handler runs, nothing after it runs, as with SIGKILL; then the bot is
restarted on the same database and given the same update again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Message, Update

from storage.outbox_repo import SqliteOutboxRepository
from storage.timer_repo import SqliteTimerRepository
from tests.bot.test_order_form import data, open_form, order_rows
from tests.support.restarts import restart
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, Harness


class Killed(BaseException):
    """Stands for SIGKILL: no handler, no error reply, nothing after it runs."""


def kill_once(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> None:
    """The next call of `cls.name` kills the process; the restarted one is whole."""
    original: Callable[..., Awaitable[Any]] = getattr(cls, name)

    async def dies(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(cls, name, original)
        raise Killed

    monkeypatch.setattr(cls, name, dies)


async def crash_then_again(h: Harness, update: Update) -> Harness:
    """Deliver `update` to a bot that dies in it, restart, and deliver it again (as
    Telegram does with an update it never saw acknowledged)."""
    with pytest.raises(Killed):
        await h.app.dispatcher.feed_update(h.app.bot, update)
    again = await restart(h)
    await again.app.dispatcher.feed_update(again.app.bot, update)
    await again.drain()
    return again


def press(h: Harness, on: Message, data: str, update_id: int) -> Update:
    query = CallbackQuery(
        id=f"crash{update_id}", from_user=h.user(HQ_COMMANDER), chat_instance="ci", message=on,
        data=data,
    )  # fmt: skip
    return Update(update_id=update_id, callback_query=query)


async def at_duration(h: Harness) -> Message:
    """A notice's form walked to "时限？" (text, then kind); its prompt."""
    prompt = await open_form(h)
    await h.send(HQ_CHAT, HQ_COMMANDER, "全员到岗", reply_to=prompt)
    await h.drain()
    await h.press(h.prompt_in(HQ_CHAT), HQ_COMMANDER, data("kind", "notice"))
    await h.drain()
    return h.prompt_in(HQ_CHAT)


async def test_killed_between_the_text_step_and_its_prompt_the_text_is_asked_on(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = await open_form(harness)
    text = harness.message(HQ_CHAT, HQ_COMMANDER, "统计返乡人员", reply_to=prompt)
    kill_once(monkeypatch, SqliteOutboxRepository, "add")  # the "指令类型？" prompt

    again = await crash_then_again(harness, Update(update_id=9001, message=text))
    try:
        kind_step = again.prompt_in(HQ_CHAT)
        assert kind_step.text == "指令类型？"
        assert len(again.session.sends(HQ_CHAT)) == 1
        await again.press(kind_step, HQ_COMMANDER, data("kind", "notice"))
        await again.drain()
        assert again.prompt_in(HQ_CHAT).text == "时限？"  # the form goes on from there
    finally:
        await again.app.stop()


async def test_killed_between_a_button_step_and_its_prompt_the_press_is_answered_on(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = await open_form(harness)
    await harness.send(HQ_CHAT, HQ_COMMANDER, "统计返乡人员", reply_to=prompt)
    await harness.drain()
    kind_step = harness.prompt_in(HQ_CHAT)
    kill_once(monkeypatch, SqliteOutboxRepository, "add")  # the "时限？" prompt

    again = await crash_then_again(harness, press(harness, kind_step, data("kind", "count"), 9002))
    try:
        assert again.prompt_in(HQ_CHAT).text == "时限？"
    finally:
        await again.app.stop()


async def test_killed_while_confirm_issues_the_order_it_is_issued_once_after_restart(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "下达" clears the form and issues the order: a kill inside the order's
    transaction must not leave the form cleared and the order never issued."""
    h = harness
    await h.press(await at_duration(h), HQ_COMMANDER, data("duration", "15m"))
    await h.drain()
    preview = h.prompt_in(HQ_CHAT)
    kill_once(monkeypatch, SqliteTimerRepository, "add")  # inside the order's transaction

    again = await crash_then_again(h, press(h, preview, data("confirm", "-"), 9003))
    try:
        assert await order_rows(again) == 1
        assert len(again.session.copies()) == 236
        assert any("已下达" in t for t in await again.said(HQ_CHAT))
    finally:
        await again.app.stop()


async def test_a_step_whose_handler_failed_is_not_saved(harness: Harness) -> None:
    """A press on "时限" whose preview cannot be drawn (the order text is gone from the
    form) is an apology, and the form stays at "时限？" so the press can be tried again."""
    h = harness
    duration_step = await at_duration(h)
    storage = h.app.dispatcher.fsm.storage
    key = StorageKey(bot_id=h.app.bot.id, chat_id=HQ_CHAT, user_id=HQ_COMMANDER)
    await storage.set_data(key, {"kind": "notice"})  # no "text": the preview fails

    await h.press(duration_step, HQ_COMMANDER, data("duration", "15m"))
    await h.drain()
    assert h.session.answers()[-1].show_alert is True  # the apology
    assert await storage.get_state(key) == "OrderForm:duration"
    assert "duration" not in await storage.get_data(key)
