"""`towerbot drill`: the seeds' order loop, simulated through the real bot.

The sandbox and the bot start locally; the HQ commander issues an order; every
unit's simulated commander presses "收到" after a random delay and the bottom
units answer with a number (or a list); the terminal shows progress, then the
final report the HQ group received, checked against what the people answered.
"""

from __future__ import annotations

import asyncio
import math
import random
import sys
import tempfile
import time
from pathlib import Path

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.orders import OrderStatus
from cascade.tower import Unit
from fixtures import fixture_path

ORDER_TEXTS = {
    "count": "统计本单元外地返回人数",
    "list": "上报外地返回人员住址",
    "notice": "今晚八点前完成全员排摸",
}
MEDIAN_DELAY = 3.0
ADDRESSES = ("溪西村{n}号", "塔山路{n}号", "商城三区{n}幢", "青口小区{n}幢")


class SimulatedPeople:
    """Commanders who answer after a log-normal delay (median a few seconds)."""

    def __init__(self, world: SandboxWorld, order_id: int, kind: str, speed: float, seed: int):
        self.world = world
        self.order_id = order_id
        self.kind = kind
        self.speed = speed
        self.rng = random.Random(seed)
        self.values: dict[str, int] = {}
        self.items: dict[str, list[str]] = {}

    def delay(self) -> float:
        return self.rng.lognormvariate(math.log(MEDIAN_DELAY), 0.6) / self.speed

    async def answer(self, unit: Unit, is_bottom: bool, delay: float) -> None:
        assert unit.chat_id is not None and unit.commander is not None
        commander = unit.commander.telegram_id
        assert commander is not None
        state = self.world.state
        copies = await state.wait_for(
            lambda: self.world.order_copies(unit.chat_id or 0, self.order_id), timeout=600
        )
        copy = copies[0]
        await asyncio.sleep(delay)
        state.press_button(unit.chat_id, copy["message_id"], commander, f"ack:{self.order_id}")
        if not is_bottom or self.kind == "notice":
            return
        if self.kind == "count":
            value = self.rng.randint(0, 12)
            self.values[unit.code] = value
            text = str(value)
        else:
            lines = [
                self.rng.choice(ADDRESSES).format(n=self.rng.randint(1, 99))
                for _ in range(self.rng.randint(0, 3) or 1)
            ]
            self.items[unit.code] = lines
            text = "\n".join(lines)
        state.post_message(unit.chat_id, commander, text, reply_to_message_id=copy["message_id"])


async def run_drill(fixture: str, speed: float, seed: int, kind: str) -> int:
    path = fixture_path(fixture)
    with tempfile.TemporaryDirectory() as workdir:
        limits = SenderLimits(per_second=30.0, chat_interval=1.0, group_per_minute=20)
        async with SandboxWorld(path, Path(workdir), limits=limits) as world:
            return await _drill(world, speed, seed, kind)


async def _drill(world: SandboxWorld, speed: float, seed: int, kind: str) -> int:
    tower = world.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander is not None
    hq = root.commander.telegram_id
    assert hq is not None
    started = time.monotonic()
    command = f"/order 15m {kind} {ORDER_TEXTS[kind]}"
    print(f"▶ {root.name} 指挥长 {root.commander.name}: {command}")
    world.state.post_message(root.chat_id, hq, command)
    order = await _wait_order(world, root.code)
    targets = len(tower) - 1
    print(f"  指令 #{order} 发往 {targets} 个单元")
    people = SimulatedPeople(world, order, kind, speed, seed)
    tasks = [
        asyncio.create_task(people.answer(unit, not tower.children[unit.code], people.delay()))
        for unit in tower.walk()
        if unit.code != root.code
    ]
    while True:
        _, report = await world.bot.queries.status(order, root.chat_id)
        elapsed = time.monotonic() - started
        line = f"\r  进度 {report.done}/{report.total} ({report.percent}%) 合计 {report.total_value} 用时 {elapsed:.0f}s"
        sys.stdout.write(line)
        sys.stdout.flush()
        if report.order.status is OrderStatus.DONE:
            break
        await asyncio.sleep(0.5)
    print()
    await asyncio.gather(*tasks)
    final = await _final_report_text(world, order)
    print(final)
    expected = (
        sum(people.values.values())
        if kind == "count"
        else sum(len(dict.fromkeys(v)) for v in people.items.values())
    )
    if kind != "notice":
        verdict = "✓ 汇总与各单元上报一致" if report.total_value == expected else "✗ 汇总不一致"
        print(f"{verdict}: 上报合计 {expected}，机器人汇总 {report.total_value}")
        return 0 if report.total_value == expected else 1
    return 0


async def _wait_order(world: SandboxWorld, root_code: str) -> int:
    async def latest() -> int | None:
        async with world.bot.db.transaction() as tx:
            order = await tx.orders.latest_for_unit(root_code)
        return order.id if order else None

    for _ in range(200):
        found = await latest()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise RuntimeError("the order was not issued; see the HQ group for the bot's answer")


async def _final_report_text(world: SandboxWorld, order_id: int) -> str:
    for _ in range(600):
        async with world.bot.db.transaction() as tx:
            sent = await tx.refs.sent(order_id, "final_report")
        if sent:
            chat_id, message_id = sent[-1]
            view = world.state.message(chat_id, message_id)
            return str(view["text"]) if view else ""
        await asyncio.sleep(0.1)
    return "(the final report was not delivered in time)"
