"""`towerbot drill`: the seeds' order loop, simulated through the real bot.

The sandbox and the bot start locally; the HQ commander issues an order; every
unit's simulated commander presses "收到" after a log-normal delay and the
bottom units answer with a number (or a list); a share of units never answers,
so reminders and escalations run. With `--speed N` the bot's clock, the
sandbox's clock, the people and Telegram's sending limits all run N times
faster, so `--speed 60` plays the 15-minute loop in about 15 seconds. The
terminal shows progress; at the end the loop report is printed and a JSON
report and the completion chart are written.
"""

from __future__ import annotations

import asyncio
import html
import json
import math
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel

from bot.charts import ChartLabels, render
from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import ScaledClock
from cascade.deadlines import ClockPolicy
from cascade.orders import OrderStatus
from cascade.report import OrderReport, ReportFlavour
from cascade.stats import completion
from cascade.tower import Tower, Unit
from fixtures import fixture_path

ORDER_TEXTS = {
    "count": "统计本单元外地返回人数",
    "list": "上报外地返回人员住址",
    "notice": "今晚八点前完成全员排摸",
}
ADDRESSES = ("溪西村{n}号", "塔山路{n}号", "商城三区{n}幢", "青口小区{n}幢")
DURATION = timedelta(minutes=15)


class PeopleModel(BaseModel):
    """How long simulated commanders take (simulated seconds, log-normal)."""

    chief_median: float = 60.0
    leaf_median: float = 120.0
    sigma: float = 0.8

    @classmethod
    def parse(cls, text: str) -> PeopleModel:
        """`chief=60,leaf=120,sigma=0.8` (any subset)."""
        values: dict[str, float] = {}
        names = {"chief": "chief_median", "leaf": "leaf_median", "sigma": "sigma"}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, raw = part.partition("=")
            if key not in names:
                raise ValueError(f"unknown people parameter {key!r} (chief, leaf, sigma)")
            values[names[key]] = float(raw)
        return cls(**values)


class DrillOptions(BaseModel):
    fixture: str
    speed: float = 1.0
    seed: int = 1
    kind: str = "count"
    silent: float = 0.0
    people: PeopleModel = PeopleModel()
    paid: bool = False
    out: Path = Path(".")


class SimulatedPeople:
    def __init__(self, world: SandboxWorld, order_id: int, options: DrillOptions) -> None:
        self.world = world
        self.order_id = order_id
        self.options = options
        self.rng = random.Random(options.seed)
        self.values: dict[str, int] = {}
        self.items: dict[str, list[str]] = {}
        self.answered: set[str] = set()

    def delay(self, is_bottom: bool) -> float:
        """Real seconds this commander takes to answer."""
        model = self.options.people
        median = model.leaf_median if is_bottom else model.chief_median
        return self.rng.lognormvariate(math.log(median), model.sigma) / self.options.speed

    async def watch(self, units: list[Unit], tower: Tower) -> None:
        """One loop sees each order copy arrive and starts that commander's clock."""
        waiting = {u.code: u for u in units}
        tasks = []
        try:
            while waiting:
                for code, unit in list(waiting.items()):
                    copies = self.world.order_copies(unit.chat_id or 0, self.order_id)
                    if copies:
                        del waiting[code]
                        bottom = not tower.children[code]
                        tasks.append(
                            asyncio.create_task(
                                self.answer(
                                    unit, bottom, copies[0]["message_id"], self.delay(bottom)
                                )
                            )
                        )
                await asyncio.sleep(0.05)
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()

    async def answer(self, unit: Unit, is_bottom: bool, copy_id: int, delay: float) -> None:
        assert unit.chat_id is not None and unit.commander is not None
        commander = unit.commander.telegram_id
        assert commander is not None
        state = self.world.state
        await asyncio.sleep(delay)
        state.press_button(unit.chat_id, copy_id, commander, f"ack:{self.order_id}")
        self.answered.add(unit.code)
        if not is_bottom or self.options.kind == "notice":
            return
        if self.options.kind == "count":
            value = self.rng.randint(0, 12)
            self.values[unit.code] = value
            text = str(value)
        else:
            lines = [
                self.rng.choice(ADDRESSES).format(n=self.rng.randint(1, 99))
                for _ in range(self.rng.randint(1, 3))
            ]
            self.items[unit.code] = lines
            text = "\n".join(lines)
        state.post_message(unit.chat_id, commander, text, reply_to_message_id=copy_id)

    def expected_total(self) -> int:
        if self.options.kind == "count":
            return sum(self.values.values())
        return sum(len(dict.fromkeys(v)) for v in self.items.values())


def drill_limits(speed: float, paid: bool) -> SenderLimits:
    """Telegram's limits in compressed time: N times faster clock, N times the rate."""
    return SenderLimits(
        TOWERBOT_RATE=30.0 * speed,
        TOWERBOT_CHAT_INTERVAL=1.0 / speed,
        TOWERBOT_GROUP_PER_MINUTE=max(1, int(20 * speed)),
        TOWERBOT_PAID_BROADCAST=paid,
        TOWERBOT_PAID_RATE=min(1000.0, 1000.0 * speed) if paid else 1000.0,
    )


async def run_drill(options: DrillOptions) -> int:
    path = fixture_path(options.fixture)
    clock = ScaledClock(options.speed)
    policy = ClockPolicy()
    with tempfile.TemporaryDirectory(prefix="towerbot-drill-") as workdir:
        world = SandboxWorld(
            path,
            Path(workdir),
            limits=drill_limits(options.speed, options.paid),
            clock=clock,
            policy=policy,
            sandbox_clock=lambda: clock.now().timestamp(),
            progress_seconds=max(1.0, 3.0 / options.speed),
        )
        async with world:
            return await _drill(world, options, policy)


async def _drill(world: SandboxWorld, options: DrillOptions, policy: ClockPolicy) -> int:
    tower = world.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander is not None
    hq = root.commander.telegram_id
    assert hq is not None
    command = f"/order 15m {options.kind} {ORDER_TEXTS[options.kind]}"
    print(f"▶ {root.name}（{len(tower) - 1} 个下级单元）指挥长 {root.commander.name}: {command}")
    print(f"  速度 ×{options.speed:g}，沉默比例 {options.silent:.0%}，种子 {options.seed}")
    started = time.monotonic()
    world.state.post_message(root.chat_id, hq, command)
    order_id = await _wait_order(world, root.code)
    people = SimulatedPeople(world, order_id, options)
    units = [u for u in tower.walk() if u.code != root.code]
    silent = set(people.rng.sample([u.code for u in units], round(options.silent * len(units))))
    answering = [u for u in units if u.code not in silent]
    watcher = asyncio.create_task(people.watch(answering, tower))
    give_up = DURATION + policy.escalation_interval * 2
    while True:
        _, report = await world.bot.queries.status(order_id, root.chat_id)
        simulated = world.bot.clock.now() - report.order.created_at
        line = (
            f"\r  进度 {report.done}/{report.total} ({report.percent}%) 合计 {report.total_value}"
            f"  模拟用时 {_minutes(simulated)}  实际 {time.monotonic() - started:.0f}s "
        )
        sys.stdout.write(line)
        sys.stdout.flush()
        if report.order.status is OrderStatus.DONE or (silent and simulated > give_up):
            break
        await asyncio.sleep(0.25)
    print()
    watcher.cancel()
    await asyncio.gather(watcher, return_exceptions=True)
    await _settle(world)
    _, report = await world.bot.queries.status(order_id, root.chat_id)
    if report.order.status is OrderStatus.DONE:
        print(await _report_text(world, order_id, "final_report"))
    else:  # silent units: the loop as it stands after the escalation rounds
        print(f"（有单元始终未回复：以下为截止后 {_minutes(give_up - DURATION)} 的情况）")
        print(await _current_report(world, order_id, root))
    return await _write_outputs(world, options, order_id, root, tower, people, silent, report)


async def _write_outputs(
    world: SandboxWorld,
    options: DrillOptions,
    order_id: int,
    root: Unit,
    tower: Tower,
    people: SimulatedPeople,
    silent: set[str],
    report: OrderReport,
) -> int:
    async with world.bot.db.transaction() as tx:
        order = await tx.orders.get(order_id)
        states = await tx.orders.targets(order_id)
    assert order is not None
    curve = completion(order, states, root.code, world.bot.clock.now())
    labels = ChartLabels(
        title=f"Order #{order_id} drill: {options.fixture}",
        xlabel="minutes since issued",
        ylabel="% of units done",
        deadline="deadline",
        lines={None: "all units", **{s.level: f"level {s.level}" for s in curve.levels}},
    )
    options.out.mkdir(parents=True, exist_ok=True)
    chart = options.out / "drill-chart.png"
    chart.write_bytes(await asyncio.to_thread(render, curve, labels))
    expected = people.expected_total()
    held = (
        report.time_to.get(100) is not None
        and (report.time_to[100] or 0) <= DURATION.total_seconds()
    )
    result = {
        "fixture": options.fixture,
        "units": len(tower) - 1,
        "speed": options.speed,
        "seed": options.seed,
        "kind": options.kind,
        "silent_units": sorted(silent),
        "answered_units": len(people.answered),
        "expected_total": expected,
        "reported_total": report.total_value,
        "totals_match": options.kind == "notice" or expected == report.total_value,
        "done": report.done,
        "targets": report.total,
        "time_to_seconds": {str(k): v for k, v in report.time_to.items()},
        "first_answer_seconds": report.first_answer_seconds,
        "levels": [s.model_dump() for s in report.levels],
        "late_units": report.late_units,
        "pending_units": report.pending_units,
        "loop_held_15_minutes": held,
        "sender": world.bot.sender.stats.model_dump(),
    }
    out = options.out / "drill-report.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if options.kind != "notice":
        verdict = "✓ 汇总与各单元上报一致" if result["totals_match"] else "✗ 汇总不一致"
        print(f"{verdict}: 上报合计 {expected}，机器人汇总 {report.total_value}")
    print(f"15 分钟闭环：{'达成' if held else '未达成'}；报告 {out}，图表 {chart}")
    return 0 if result["totals_match"] else 1


def _minutes(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60}m{seconds % 60:02d}s"


async def _wait_order(world: SandboxWorld, root_code: str) -> int:
    for _ in range(400):
        async with world.bot.db.transaction() as tx:
            order = await tx.orders.latest_for_unit(root_code)
        if order is not None:
            return order.id
        await asyncio.sleep(0.05)
    raise RuntimeError("the order was not issued; see the HQ group for the bot's answer")


async def _settle(world: SandboxWorld) -> None:
    """Let the bot take in every answer already posted (it handles updates in order)."""
    token = world.bot.bot.token
    for _ in range(400):
        if not world.state.pending_updates(token):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)


async def _current_report(world: SandboxWorld, order_id: int, root: Unit) -> str:
    """The loop report's wording for the order as it stands now (plain text)."""
    assert root.chat_id is not None
    issuer, report = await world.bot.queries.status(order_id, root.chat_id)
    async with world.bot.db.transaction() as tx:
        names = await tx.tower.refs(report.late_units + report.pending_units)
    rendered = world.bot.presenter.final_report(issuer, report, names, ReportFlavour.INTERIM)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered.text))


async def _report_text(world: SandboxWorld, order_id: int, purpose: str) -> str:
    for _ in range(600):
        async with world.bot.db.transaction() as tx:
            sent = await tx.refs.sent(order_id, purpose)
        if sent:
            view = world.state.message(*sent[-1])
            return str(view["text"]) if view else ""
        await asyncio.sleep(0.1)
    return "(the report was not delivered in time)"
