"""A reply to the returnee draft amends it, and the draft says what is missing or to check.

The draft said "❓ 还缺：住址（可回复补充）"; the reporter replied with the address alone
and the new draft had lost the count, the origin, the arrival and the phone (the
reply was read as a whole new report). A field read but asked ("人数：4" with 人数
still asked) was listed as missing beside its own value.
"""

from __future__ import annotations

import pytest

from tests.support.tgfake import TS01_COMMANDER, TS0101_CHAT, TS0101_MEMBER, Harness

REPORT = "/returnee 租客老王带老婆孩子一共3人从湖北孝感经停武汉回来，明天下午到，住3幢2单元501，电话13912345678"


async def reply_to_draft(h: Harness, text: str) -> str:
    await h.send(TS0101_CHAT, TS0101_MEMBER, text, reply_to=h.prompt_in(TS0101_CHAT))
    await h.drain()
    return await h.last(TS0101_CHAT)


async def test_a_reply_with_the_missing_piece_keeps_the_rest(harness: Harness) -> None:
    h = harness
    await h.send(TS0101_CHAT, TS0101_MEMBER, REPORT)
    await h.drain()
    first = await h.last(TS0101_CHAT)
    assert "❓ 请核实：住址" in first and "还缺" not in first  # read, to be checked
    text = await reply_to_draft(h, "住址是宾王小区3幢2单元501")
    assert text.startswith("📝 返回人员上报 #1")
    assert "人数：3" in text and "来自：湖北孝感" in text and "途经：武汉" in text
    assert "到达：2月21日下午" in text and "联系电话：139****5678" in text
    assert "❓" not in text  # nothing left to ask
    assert "501" not in text  # still masked in the group
    text = await reply_to_draft(h, "人数改成4人")
    assert "人数：4" in text and "来自：湖北孝感" in text
    await h.confirm_draft(TS0101_CHAT, TS0101_MEMBER)
    details = await h.last(TS01_COMMANDER)  # the parent commander
    assert "宾王小区3幢2单元501" in details and "人数改成4人" in details  # the whole text


async def test_a_reply_to_the_reported_stage_is_answered(harness: Harness) -> None:
    """Once confirmed, a reply to the "已上报" message in the reporter's group is not
    left unanswered: it gets the line saying how to correct the report."""
    h = harness
    await h.send(TS0101_CHAT, TS0101_MEMBER, REPORT)
    await h.drain()
    await h.confirm_draft(TS0101_CHAT, TS0101_MEMBER)
    stage = h.prompt_in(TS0101_CHAT)
    assert "已上报" in (stage.text or "")
    text = await reply_to_draft(h, "其实是4个人")
    assert text.startswith("上报 #1 已确认，无法再修改；如有更正")


@pytest.mark.parametrize(
    ("locale", "missing", "check"),
    [
        ("zh-Hans", "❓ 还缺：联系电话", "❓ 请核实：住址"),
        ("en", "Still missing: phone", "Please check: address"),
    ],
)
async def test_missing_and_to_check_are_told_apart(
    harness: Harness, locale: str, missing: str, check: str
) -> None:
    h = harness
    async with h.app.db.transaction() as tx:
        await tx.tower.conn.execute(
            "UPDATE units SET locale = ? WHERE chat_id = ?", (locale, TS0101_CHAT)
        )
    await h.send(
        TS0101_CHAT, TS0101_MEMBER, "/returnee 租客老王3人从湖北孝感回来，明天下午到，住3幢2单元501"
    )
    await h.drain()
    text = await h.last(TS0101_CHAT)
    assert missing in text and check in text
