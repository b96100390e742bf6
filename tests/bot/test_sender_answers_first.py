"""Answers to people go ahead of a city order's copies, and the copies still all go.

A confirmation (the 👌 on a person's number) used to wait behind every copy and
reminder: at Telegram's 30/s with a city order pending, minutes. The sender now
gives the answers to people each send slot both they and the bulk could use,
until the answers have taken `TOWERBOT_REPLY_SHARE` of those slots; the bulk
keeps the rest, so it is slowed by a bounded factor and never starved. Time is
moved by hand and the calls are counted in the order they reach the fake
Telegram: no test sleeps or times anything.
"""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage, SetMessageReaction

from bot.ratelimit import AnswerShare
from bot.sender import Sender
from cascade.outgoing import MessageRef, OutgoingMessage, Priority, Rendered
from tests.bot.test_sender import ManualTime, make_sender
from tests.support.tgfake import TS0101_CHAT, Harness

GROUPS = -1007000000000  # a city's groups: GROUPS - n


@pytest.fixture
def time() -> ManualTime:
    return ManualTime()


def copy(chat_id: int) -> OutgoingMessage:
    ref = MessageRef(purpose="order_copy", order_id=1, unit_code=str(chat_id))
    return OutgoingMessage(chat_id=chat_id, text="copy", priority=Priority.ORDER, ref=ref)


def confirmation(chat_id: int, reply_to: int) -> OutgoingMessage:
    ref = MessageRef(purpose="answer_recorded", order_id=1, unit_code=str(chat_id))
    rendered = Rendered(text="✅ 已记录", reaction="👌")
    return OutgoingMessage.of(chat_id, rendered, Priority.INTERACTIVE, ref, reply_to)


async def send_all(h: Harness, sender: Sender, time: ManualTime) -> None:
    """Drain, the clock moving 50 ms at a time, until nothing is left to send."""
    for _ in range(2000):
        await sender.drain_once()
        async with h.app.db.transaction() as tx:
            if not (await tx.outbox.counts()).get("pending"):
                return
        time.advance(0.05)
    raise AssertionError("the sender never finished")


def kinds(h: Harness) -> list[str]:
    """Each call to Telegram in order: "copy" or "answer"."""
    return [
        "answer" if isinstance(c, SetMessageReaction) else "copy"
        for c in h.session.calls
        if isinstance(c, SendMessage | SetMessageReaction)
    ]


async def test_a_confirmation_queued_after_a_thousand_copies_goes_before_most(
    harness: Harness, time: ManualTime
) -> None:
    h = harness
    sender = make_sender(h, time, chat_interval=1.0, group_per_minute=20)
    async with h.app.db.transaction() as tx:
        for n in range(1000):
            await tx.outbox.add(copy(GROUPS - n))
        await tx.outbox.add(confirmation(GROUPS - 5000, 42))
    await send_all(h, sender, time)
    calls = kinds(h)
    assert calls.count("copy") == 1000 and calls.count("answer") == 1
    assert calls.index("answer") < 10  # before 990 of the copies, not after all of them
    assert h.session.reactions(GROUPS - 5000) == [(42, "👌")]


async def test_the_copies_keep_their_share_while_answers_flood(
    harness: Harness, time: ManualTime
) -> None:
    """300 confirmations and 300 copies, all due: while both wait, one send in four
    is an answer (a share of 0.25), so the copies are never starved; once the
    copies are out the answers take every slot."""
    h = harness
    sender = make_sender(h, time, reply_share=0.25)
    assert sender.share.share == 0.25
    async with h.app.db.transaction() as tx:
        for n in range(300):
            await tx.outbox.add(copy(GROUPS - n))
        for n in range(300):
            await tx.outbox.add(confirmation(GROUPS - 1000 - n, 42))
    await send_all(h, sender, time)
    calls = kinds(h)
    assert calls.count("copy") == 300 and calls.count("answer") == 300
    first = calls[:200]
    assert first[0] == "answer"  # the first slot both could use goes to an answer
    assert 49 <= first.count("answer") <= 51  # a quarter, while copies wait
    last_copy = max(i for i, kind in enumerate(calls) if kind == "copy")
    assert last_copy < 400  # 300 copies in 400 sends: three in four
    assert set(calls[last_copy + 1 :]) == {"answer"}


async def test_a_chat_keeps_its_order(harness: Harness, time: ManualTime) -> None:
    """In one chat, an answer to its people goes before its bulk, as its priority says,
    and the bulk goes in the order it was queued."""
    h = harness
    sender = make_sender(h, time, chat_interval=1.0, group_per_minute=20)
    async with h.app.db.transaction() as tx:
        await tx.outbox.add(copy(TS0101_CHAT).model_copy(update={"text": "copy 1"}))
        await tx.outbox.add(copy(TS0101_CHAT).model_copy(update={"text": "copy 2"}))
        await tx.outbox.add(
            OutgoingMessage(chat_id=TS0101_CHAT, text="无权", reply_to_message_id=7)
        )
    await send_all(h, sender, time)
    assert h.session.texts(TS0101_CHAT) == ["无权", "copy 1", "copy 2"]


def test_the_share_bounds_what_the_answers_take() -> None:
    for share in (0.1, 0.25, 1 / 3, 0.5, 0.9):
        turns = AnswerShare(share)
        answers = 0
        for n in range(1, 1001):
            answers += turns.answer_first()
            assert answers <= share * n + 1  # the answers' bound
            assert n - answers >= (1 - share) * n - 1  # the bulk's: never starved
        assert abs(answers - share * 1000) <= 1
