"""Item 4 of "proven reliable": forms never swallow answers.

A reply to an order copy is an answer whatever form its writer has open;
`/order` alone where nothing is below says so instead of opening a form; a form
left alone times out, and an answer to its stale prompt is told so.
"""

from __future__ import annotations

from tests.support.tgfake import TS01_CHAT, TS01_COMMANDER, TS0101_CHAT, TS0101_COMMANDER, Harness


async def test_order_alone_in_a_bottom_unit_says_nothing_is_below(issued: Harness) -> None:
    issued.session.clear()
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "/order")
    await issued.drain()
    assert "没有下级单元" in await issued.last(TS0101_CHAT)
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "12", reply_to=issued.copy_in(TS0101_CHAT))
    assert (await issued.row_status("ts-01-01"))["value"] == 12


async def test_a_reply_to_an_order_copy_is_an_answer_while_the_returnee_form_is_open(
    issued: Harness,
) -> None:
    await issued.send(TS0101_CHAT, TS0101_COMMANDER, "/returnee")
    await issued.drain()
    answer = await issued.send(
        TS0101_CHAT, TS0101_COMMANDER, "12", reply_to=issued.copy_in(TS0101_CHAT)
    )
    await issued.drain()
    assert (await issued.row_status("ts-01-01"))["value"] == 12
    assert issued.session.reactions(TS0101_CHAT) == [(answer.message_id, "👌")]


async def test_a_reply_to_an_order_copy_is_an_answer_while_the_order_form_is_open(
    issued: Harness,
) -> None:
    await issued.send(TS01_CHAT, TS01_COMMANDER, "/order")
    await issued.drain()
    assert "指令内容" in await issued.last(TS01_CHAT)
    await issued.send(TS01_CHAT, TS01_COMMANDER, "12", reply_to=issued.copy_in(TS01_CHAT))
    await issued.drain()
    # The order's own answer (a level-2 unit's numbers come from below), not a form step.
    assert "数字由下级上报" in await issued.last(TS01_CHAT)


async def test_a_form_times_out_and_its_stale_prompt_says_so(issued: Harness) -> None:
    await issued.send(TS01_CHAT, TS01_COMMANDER, "/order")
    await issued.drain()
    prompt = issued.prompt_in(TS01_CHAT)
    issued.clock.advance(minutes=11)
    await issued.send(TS01_CHAT, TS01_COMMANDER, "全员到岗", reply_to=prompt)
    await issued.drain()
    assert "表单已超时" in await issued.last(TS01_CHAT)
    await issued.send(TS01_CHAT, TS01_COMMANDER, "全员到岗", reply_to=prompt)
    await issued.drain()
    assert len([t for t in await issued.said(TS01_CHAT) if "表单已超时" in t]) == 1


async def test_a_form_answered_in_time_goes_on(issued: Harness) -> None:
    await issued.send(TS01_CHAT, TS01_COMMANDER, "/order")
    await issued.drain()
    prompt = issued.prompt_in(TS01_CHAT)
    issued.clock.advance(minutes=9)
    await issued.send(TS01_CHAT, TS01_COMMANDER, "全员到岗", reply_to=prompt)
    await issued.drain()
    assert "指令类型" in await issued.last(TS01_CHAT)


async def test_a_text_in_a_private_chat_with_no_form_open_is_answered(harness: Harness) -> None:
    """A phone number typed after the returnee form had closed got no answer at all."""
    await harness.private(TS0101_COMMANDER, "0579-85512345")
    await harness.drain()
    assert await harness.said(TS0101_COMMANDER) == [
        "这里没有等待回答的表单。上报返回人员请发送 /returnee，其他命令见 /help。"
    ]
    await harness.send(TS0101_CHAT, TS0101_COMMANDER, "大家好")  # chatter in a group: nothing
    await harness.drain()
    assert await harness.said(TS0101_CHAT) == []
