"""Joining the tower through links, over real HTTP with the sandbox.

`/invite` gives a `?startgroup=` link per unit and a `?start=` link per empty
person slot (a CSV, sent privately to whoever asked); the unit's commander adding the bot with the link binds the
group; anyone else is refused and the parent is told; a person opening their
link is registered in their seat; `/bind CODE` is the HQ admin's fallback.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import yaml

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from tests.support.pgserver import Engine

FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
HQ_CHAT, HQ_BOSS, ADMIN = -1004000000001, 7200000001, 7200000009
A_BOSS, A_MEMBER, B_BOSS, STRANGER = 7200000002, 7200000003, 7200000004, 7200000005


def tower_file(path: Path) -> Path:
    tower = {
        "code": "hq",
        "name": "城西指挥部",
        "level": 0,
        "chat_id": HQ_CHAT,
        "commander": {"name": "王建", "telegram_id": HQ_BOSS},
        "units": [
            {
                "code": "a",
                "name": "菊坊楼道",
                "level": 3,
                "kind": "building",
                "commander": {"name": "李强", "telegram_id": A_BOSS},
                "members": [{"name": "张红"}],
            },
            {
                "code": "b",
                "name": "青口商铺排",
                "level": 3,
                "kind": "shop_row",
                "commander": {"name": "陈芳", "telegram_id": B_BOSS},
            },
        ],
    }
    file = path / "join.yaml"
    file.write_text(yaml.safe_dump(tower, allow_unicode=True), encoding="utf-8")
    return file


async def reply_to(world: SandboxWorld, chat_id: int, message_id: int) -> dict:
    return (
        await world.state.wait_for(
            lambda: [
                m
                for m in world.state.bot_messages(chat_id)
                if m["reply_to_message_id"] == message_id
            ],
            timeout=10,
        )
    )[0]


async def test_invite_bind_claim_and_admin_bind(engine: Engine, tmp_path: Path) -> None:
    world = SandboxWorld(
        tower_file(tmp_path),
        tmp_path,
        db=await engine.new_target(tmp_path),
        limits=FAST,
        admins=frozenset({ADMIN}),
    )
    async with world:
        state = world.state
        for uid, name in ((A_MEMBER, "张红"), (STRANGER, "路人"), (ADMIN, "管理员")):
            state.add_user(uid, name)
        state.add_chat(HQ_BOSS, type="private")  # he has started the bot privately
        asked = state.post_message(HQ_CHAT, HQ_BOSS, "/invite")
        note = await reply_to(world, HQ_CHAT, asked["message_id"])
        assert "私信" in note["text"]
        # The links go to him alone, never into the group.
        sheet = (
            await state.wait_for(
                lambda: [m for m in state.bot_messages(HQ_BOSS) if m["document"]], timeout=10
            )
        )[0]
        assert "2" in sheet["caption"]
        assert not any(m["document"] for m in state.bot_messages(HQ_CHAT))
        data = state.files[sheet["document"]["file_id"]].data.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(data)))
        group_link = next(r["group_link"] for r in rows if r["code"] == "a" and r["group_link"])
        person_link = next(r["person_link"] for r in rows if r["person"] == "张红")
        token = group_link.split("?startgroup=")[1]
        assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()

        # A stranger adds the bot to some group with A's link: refused, HQ told.
        state.add_chat(-1004000000077, "随便一个群", "supergroup", members=[STRANGER])
        tried = state.post_message(-1004000000077, STRANGER, f"/start {token}")
        refusal = await reply_to(world, -1004000000077, tried["message_id"])
        assert "菊坊楼道" in refusal["text"]
        await state.wait_for(
            lambda: any("试图" in (m["text"] or "") for m in state.bot_messages(HQ_CHAT)),
            timeout=10,
        )

        # A's commander creates the group and adds the bot with the link: bound.
        state.add_chat(-1004000000002, "菊坊楼道群", "supergroup", members=[A_BOSS, A_MEMBER])
        started = state.post_message(-1004000000002, A_BOSS, f"/start {token}")
        done = await reply_to(world, -1004000000002, started["message_id"])
        assert "已绑定" in done["text"] and "菊坊楼道" in done["text"]
        async with world.bot.db.transaction() as tx:
            unit = await tx.tower.ref("a")
        assert unit is not None and unit.chat_id == -1004000000002

        # The member opens their personal link in a private chat: registered.
        claim = state.post_message(A_MEMBER, A_MEMBER, f"/start {person_link.split('?start=')[1]}")
        registered = await reply_to(world, A_MEMBER, claim["message_id"])
        assert "已登记" in registered["text"]
        async with world.bot.db.transaction() as tx:
            assert [s.telegram_id for s in await tx.tower.slots("a") if s.name == "张红"] == [
                A_MEMBER
            ]

        # /bind: refused for a commander, done for an HQ admin.
        state.add_chat(-1004000000003, "青口商铺群", "supergroup", members=[B_BOSS, ADMIN])
        denied = state.post_message(-1004000000003, B_BOSS, "/bind b")
        assert "管理员" in (await reply_to(world, -1004000000003, denied["message_id"]))["text"]
        bound = state.post_message(-1004000000003, ADMIN, "/bind b")
        assert "已绑定" in (await reply_to(world, -1004000000003, bound["message_id"]))["text"]

        # The bound group now receives orders.
        state.post_message(HQ_CHAT, HQ_BOSS, "/order 10m notice 测试新群")
        await state.wait_for(
            lambda: any(
                "测试新群" in (m["text"] or "") for m in state.bot_messages(-1004000000003)
            ),
            timeout=10,
        )
        await asyncio.sleep(0)
