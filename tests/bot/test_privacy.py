"""Item 8 of "proven reliable": privacy by default.

The guided returnee form runs in the reporter's private chat (the group sees
the masked preview only); `/export` goes only to a commander who asked, in
private, for his subtree; queries answer members of the tower within their
subtree. The last test drives reports and list answers full of phones, ID
numbers and house numbers through every query, and finds none of them in any
message, caption or file the bot put into a group.
"""

from __future__ import annotations

import pytest

from tests.support.privacy_tools import group_texts, private_files, private_texts, refuses
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    HQ_MEMBER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0101_MEMBER,
    TS0102_COMMANDER,
    Harness,
)

PHONE, ID_NUMBER, ADDRESS = "13600001111", "110101199003071234", "溪西村12号"
OUTSIDER = 6999999998
COUSIN = 6000000120  # commander of ts-02-01, under another village
QUERIES = ("/status", "/pending", "/tree", "/chart", "/stats", "/map", "/daily", "/incidents")


async def test_the_guided_returnee_form_goes_on_in_private(harness: Harness) -> None:
    h = harness
    await h.send(TS0101_CHAT, TS0101_MEMBER, "/returnee")
    await h.drain()
    assert "私聊" in await h.last(TS0101_CHAT)
    assert "几个人" in private_texts(h, TS0101_MEMBER)[-1]
    for answer in ("带5位家人", "湖南", "武汉", "今晚", ADDRESS, PHONE):
        await h.private(TS0101_MEMBER, answer)
        await h.drain()
    preview = await h.last(TS0101_CHAT)
    assert "人数：6" in preview and "湖南" in preview
    assert all(PHONE not in t and ADDRESS not in t for t in group_texts(h))


async def test_returnee_alone_in_private_uses_the_reporters_unit(harness: Harness) -> None:
    h = harness
    await h.private(TS0101_MEMBER, "/returnee")
    await h.drain()
    assert "几个人" in private_texts(h, TS0101_MEMBER)[-1]


async def test_export_goes_privately_to_a_commander_only(issued: Harness) -> None:
    h = issued
    await h.send(TS01_CHAT, TS0101_COMMANDER, "/export")  # a member of ts-01, not its chief
    await h.drain()
    assert "只有" in await h.last(TS01_CHAT)
    await h.send(TS01_CHAT, TS01_COMMANDER, "/export")
    await h.drain()
    assert "私信" in await h.last(TS01_CHAT)
    assert not [t for t in group_texts(h) if t.startswith("code,")]


@pytest.mark.parametrize("query", QUERIES)
async def test_people_outside_the_tower_get_no_answer_to_queries(
    issued: Harness, query: str
) -> None:
    h = issued
    await h.send(HQ_CHAT, OUTSIDER, query)
    await h.drain()
    assert "只有本单元及上级单元的成员" in await h.last(HQ_CHAT)


async def test_queries_answer_members_within_their_subtree(issued: Harness) -> None:
    h = issued
    await h.send(HQ_CHAT, HQ_MEMBER, "/status")  # a plain HQ member: yes
    await h.drain()
    assert "完成" in await h.last(HQ_CHAT)
    await h.send(TS0101_CHAT, HQ_COMMANDER, "/status")  # the chief above: yes
    await h.drain()
    assert "完成" in await h.last(TS0101_CHAT)
    # A sibling's chief sits in the parent unit, whose subtree this is: yes.
    await h.send(TS0101_CHAT, TS0102_COMMANDER, "/pending")
    await h.drain()
    assert "未完成" in await h.last(TS0101_CHAT)
    await h.send(TS0101_CHAT, COUSIN, "/pending")  # a chief of another branch: no
    await h.drain()
    assert "只有本单元及上级单元的成员" in await h.last(TS0101_CHAT)


async def test_no_group_message_or_file_holds_a_phone_id_or_address(harness: Harness) -> None:
    h = harness
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m list 外地人员名单（姓名 电话 身份证 住址）")
    await h.drain()
    copy = h.copy_in(TS0101_CHAT)
    await h.send(
        TS0101_CHAT,
        TS0101_COMMANDER,
        f"赵六 {PHONE}\n李四 {ID_NUMBER} {ADDRESS}",
        reply_to=copy,
    )
    await h.send(
        TS0101_CHAT,
        TS0101_MEMBER,
        f"/returnee 租客赵六带5位家人从湖南回来，身份证{ID_NUMBER}，住{ADDRESS}，电话{PHONE}",
    )
    await h.drain()
    await h.confirm_draft(TS0101_CHAT, TS0101_MEMBER)
    # The secrets are in the system (else finding none in the groups proves nothing).
    stored = (await h.row_status("ts-01-01"))["items"]
    assert all(s in stored for s in (PHONE, ID_NUMBER, ADDRESS)), stored
    for chat_id, who in ((HQ_CHAT, HQ_COMMANDER), (TS01_CHAT, TS01_COMMANDER)):
        for query in (*QUERIES, "/export"):
            await h.send(chat_id, who, query)
            await h.drain()
            assert not refuses(await h.last(chat_id)), (chat_id, query)  # every query answered
    shown = "\n".join(group_texts(h))
    for secret in (PHONE, ID_NUMBER, ADDRESS):
        assert secret not in shown, secret
    # The details did reach the commanders, privately: the alert's details and the exports.
    assert any(PHONE in t for t in private_texts(h, TS01_COMMANDER))
    for commander in (HQ_COMMANDER, TS01_COMMANDER):
        (export,) = private_files(h, commander)
        assert all(s in export for s in (PHONE, ID_NUMBER, ADDRESS)), commander
