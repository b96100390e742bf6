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
import contextlib
import heapq
import html
import json
import logging
import math
import random
import re
import resource
import signal
import sys
import tempfile
import time
from collections import Counter, deque
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.app import TowerBot
from bot.charts import ChartLabels, render, renderable
from bot.drill_bot import BotMetrics, cpu_seconds
from bot.settings import SenderLimits
from bot.world import SandboxWorld
from cascade.clock import Clock, ScaledClock
from cascade.deadlines import ClockPolicy
from cascade.orders import OrderStatus, TargetState
from cascade.report import OrderReport, ReportFlavour
from cascade.stats import Completion, completion
from cascade.tower import Tower, Unit
from fixtures import fixture_path
from sandbox.entities import mentioned_users
from sandbox.markup import callback_data_of

log = logging.getLogger(__name__)

ORDER_TEXTS = {
    "count": "统计本单元外地返回人数",
    "list": "上报外地返回人员住址",
    "notice": "今晚八点前完成全员排摸",
}
ADDRESSES = ("溪西村{n}号", "塔山路{n}号", "商城三区{n}幢", "青口小区{n}幢")
DURATION = timedelta(minutes=15)


class PeopleModel(BaseModel):
    """How long simulated commanders take (simulated seconds, log-normal).

    `remind_median`: a commander whose answer is not in when the bot's reminder names
    him in his group answers within a new, shorter log-normal delay (the same sigma)
    if that comes sooner: what a reminder is for. Without it the people's tail alone
    decides the loop at city scale (33,455 leaves at median 120 s, sigma 0.6: ~13
    answer after 15 minutes whatever the bot does). 0 ignores reminders.
    """

    chief_median: float = 60.0
    leaf_median: float = 120.0
    sigma: float = 0.6
    remind_median: float = 30.0

    @classmethod
    def parse(cls, text: str) -> PeopleModel:
        """`chief=60,leaf=120,sigma=0.8,remind=30` (any subset)."""
        values: dict[str, float] = {}
        names = {
            "chief": "chief_median",
            "leaf": "leaf_median",
            "sigma": "sigma",
            "remind": "remind_median",
        }
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, raw = part.partition("=")
            if key not in names:
                raise ValueError(f"unknown people parameter {key!r} (chief, leaf, sigma, remind)")
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
    # The developer's timing lines (set-up, issue transaction, sender and CPU figures);
    # the JSON report has them either way.
    verbose: bool = False
    # The bot's database: a postgresql:// URL of an empty database (or a file path);
    # None for a new SQLite file in a temporary folder.
    db: str | None = None


class SimulatedPeople:
    def __init__(self, world: SandboxWorld | None, order_id: int, options: DrillOptions) -> None:
        self.world = world  # None when the people act over HTTP (bot.drill_procs)
        self.order_id = order_id
        self.options = options
        self.rng = random.Random(options.seed)
        self.values: dict[str, int] = {}
        self.items: dict[str, list[str]] = {}
        self.answered: set[str] = set()
        self.answer_errors = 0
        # When each answering unit's commander is due to answer (real monotonic time),
        # and when the order was posted: what the report's `not_done` is traced from.
        self.scheduled: dict[str, float] = {}
        # Units whose commander answered sooner because a reminder named him.
        self.hurried: set[str] = set()
        self.ordered_at = time.monotonic()

    def schedule(self, code: str, is_bottom: bool, arrived: float) -> float:
        """The real time this unit's commander answers a copy that arrived at `arrived`."""
        at = arrived + self.delay(is_bottom)
        self.scheduled[code] = at
        return at

    def reminded(self, code: str, at: float) -> float | None:
        """A message naming this unit's commander reached his group at `at` (real
        time): the earlier time he now answers, or None when the reminder changes
        nothing (reminders ignored, his answer already in or not yet scheduled, or
        due sooner anyway). The caller queues the new time; the old one is skipped
        because the unit is answered by then."""
        median = self.options.people.remind_median
        due = self.scheduled.get(code)
        if median <= 0 or due is None or code in self.answered:
            return None
        sooner = at + self.rng.lognormvariate(math.log(median), self.options.people.sigma) / (
            self.options.speed
        )
        if sooner >= due:
            return None
        self.scheduled[code] = sooner
        self.hurried.add(code)
        return sooner

    def not_done(self, states: list[TargetState], silent: set[str]) -> dict[str, Any]:
        """Every target the bot has not marked done, and why, as the people saw it:
        waiting for a unit below it, silent by design, its answer not yet due (the
        log-normal tail), its copy never seen, or answered but not recorded by the bot
        (an answer lost: listed by unit). Also when the people's last answer was due,
        in simulated seconds after the order, and how many answers were due after the
        15-minute deadline: the earliest the loop could close, however fast the bot."""
        pending = {s.unit_code: s for s in states if not s.is_root and not s.is_done}
        blocked = {s.parent_code for s in pending.values()}
        reasons: Counter[str] = Counter()
        lost: list[str] = []
        for code, state in pending.items():
            if code in self.answered and not self._recorded(state):
                reasons["answered_not_recorded"] += 1
                lost.append(code)
            elif code in blocked:
                reasons["waiting_for_units_below"] += 1
            elif code in silent:
                reasons["silent"] += 1
            elif code in self.scheduled:
                reasons["answer_not_yet_due"] += 1
            else:
                reasons["copy_never_seen"] += 1
        last = max(self.scheduled.values(), default=None)
        deadline = self.ordered_at + DURATION.total_seconds() / self.options.speed
        return {
            "units": len(pending),
            **dict(sorted(reasons.items())),
            "answered_not_recorded_units": sorted(lost)[:50],
            # However fast the bot: these commanders answer after the 15-minute deadline.
            "answers_hurried_by_reminders": len(self.hurried),
            "answers_due_after_15_minutes": sum(
                1 for at in self.scheduled.values() if at > deadline
            ),
            "last_answer_due_simulated_seconds": round(
                (last - self.ordered_at) * self.options.speed
            )
            if last is not None
            else None,
        }

    def answer_latency(self, states: list[TargetState], clock: Clock) -> dict[str, float] | None:
        """Real seconds from a commander's answer (when it was due: the people post
        it within 50 ms) to the bot recording it (the reply at the bottom, the press
        above), percentiles over every answer recorded: the whole way through the
        server's update queue and the bot's, which the bot's own backlog does not show."""
        now = time.monotonic()
        waits: list[float] = []
        for state in states:
            due = self.scheduled.get(state.unit_code)
            value = state.is_bottom and self.options.kind != "notice"
            recorded = state.answered_at if value else state.acked_at
            if due is None or recorded is None or state.unit_code not in self.answered:
                continue
            until = clock.real_seconds_until(recorded)
            if until is not None:
                waits.append(now + until - due)
        if not waits:
            return None
        waits.sort()

        def at(share: float) -> float:
            return round(waits[min(len(waits) - 1, int(share * len(waits)))], 2)

        return {"answers": len(waits), "p50": at(0.5), "p90": at(0.9), "p99": at(0.99),
                "max": round(waits[-1], 2)}  # fmt: skip

    def _recorded(self, state: TargetState) -> bool:
        """Whether the bot holds what this unit's commander sent: the press, and at
        the bottom of a count or list order the reply too."""
        if state.acked_at is None:
            return False
        if not state.is_bottom or self.options.kind == "notice":
            return True
        return state.value is not None or state.items is not None

    def delay(self, is_bottom: bool) -> float:
        """Real seconds this commander takes to answer."""
        model = self.options.people
        median = model.leaf_median if is_bottom else model.chief_median
        return self.rng.lognormvariate(math.log(median), model.sigma) / self.options.speed

    async def watch(
        self, units: list[Unit], answering: list[Unit], tower: Tower, copies: CopyWatcher
    ) -> None:
        """See each order copy arrive (sandbox change events, no polling of every
        chat) and answer for its commander once his delay has passed."""
        data = f"ack:{self.order_id}"
        targets = {u.chat_id: u for u in units if u.chat_id is not None}
        by_chat = dict(targets)
        copy_of: dict[str, int] = {}  # unit code -> its copy's message id
        will_answer = {u.code for u in answering}
        due: list[tuple[float, int, Unit, bool, int]] = []  # (real time, serial, ...)
        serial = 0
        while targets or due:
            while copies.events:
                chat_id, message_id, at = copies.events.popleft()
                unit = by_chat.get(chat_id)
                if unit is None:
                    continue
                assert self.world is not None
                view = self.world.state.message(chat_id, message_id)
                if not view:
                    continue
                bottom = not tower.children[unit.code]
                if data not in callback_data_of(view.get("reply_markup")):
                    commander = unit.commander.telegram_id if unit.commander else None
                    entities = [*view.get("entities", []), *view.get("caption_entities", [])]
                    named = commander in mentioned_users(entities)
                    sooner = self.reminded(unit.code, at) if named else None
                    if sooner is not None:
                        serial += 1
                        item = (sooner, serial, unit, bottom, copy_of[unit.code])
                        heapq.heappush(due, item)
                    continue
                if targets.pop(chat_id, None) is None:
                    continue
                copies.arrived(at)
                if unit.code in will_answer:
                    serial += 1
                    copy_of[unit.code] = message_id
                    item = (self.schedule(unit.code, bottom, at), serial, unit, bottom, message_id)
                    heapq.heappush(due, item)
            now = time.monotonic()
            handled = 0
            while due and due[0][0] <= now:
                _, _, unit, bottom, copy_id = heapq.heappop(due)
                if unit.code in self.answered:
                    continue  # answered sooner, when a reminder named him
                try:
                    self.answer(unit, bottom, copy_id)
                except Exception:  # a person who cannot answer must not stop the drill
                    self.answer_errors += 1
                    log.exception("unit %s could not answer", unit.code)
                handled += 1
                if handled % 200 == 0:
                    await asyncio.sleep(0)
            wait = 0.05 if not due else min(0.05, max(0.0, due[0][0] - time.monotonic()))
            await asyncio.sleep(wait)

    def answer(self, unit: Unit, is_bottom: bool, copy_id: int) -> None:
        assert unit.chat_id is not None and unit.commander is not None
        commander = unit.commander.telegram_id
        assert commander is not None and self.world is not None
        state = self.world.state
        state.press_button(unit.chat_id, copy_id, commander, f"ack:{self.order_id}")
        self.answered.add(unit.code)
        text = self.reply_text(unit, is_bottom)
        if text is not None:
            state.post_message(unit.chat_id, commander, text, reply_to_message_id=copy_id)

    def reply_text(self, unit: Unit, is_bottom: bool) -> str | None:
        """What this unit's commander replies to the order (bottom units), remembered
        so the drill can check the bot's totals against it."""
        if not is_bottom or self.options.kind == "notice":
            return None
        if self.options.kind == "count":
            value = self.rng.randint(0, 12)
            self.values[unit.code] = value
            return str(value)
        lines = [
            self.rng.choice(ADDRESSES).format(n=self.rng.randint(1, 99))
            for _ in range(self.rng.randint(1, 3))
        ]
        self.items[unit.code] = lines
        return "\n".join(lines)

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
    ).model_copy(
        # Paid broadcasts run N times faster too: at --speed 10 that is 10,000 a second of
        # real time, above the 1,000 a real deployment may set (hence set after validation).
        update={"paid_per_second": 1000.0 * speed}
    )


async def run_drill(options: DrillOptions) -> int:
    path = fixture_path(options.fixture)
    clock = ScaledClock(options.speed)
    policy = ClockPolicy()
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="towerbot-drill-") as workdir:
        world = SandboxWorld(
            path,
            Path(workdir),
            limits=drill_limits(options.speed, options.paid),
            clock=clock,
            policy=policy,
            sandbox_clock=lambda: clock.now().timestamp(),
            progress_seconds=max(1.0, 3.0 / options.speed),
            db=options.db,
        )
        with StopSignals() as signals:
            try:
                async with world:
                    if options.verbose:
                        print(
                            f"  准备 {time.monotonic() - began:.1f}s（读塔、沙盒登记、导入数据库）"
                        )
                    return await _drill(world, options, policy, signals.stop)
            except asyncio.CancelledError:
                if not signals.cancelled:
                    raise
                return 143  # stopped by a signal, as a shell reports it


class StopSignals:
    """SIGTERM and SIGINT (`timeout`, Ctrl-C) during a drill.

    The first one stops the people and the drill reports the loop as it stands (like
    the silent units' give-up); one more, two seconds or more after the first, cancels
    the run at once (`cancelled`; the drill returns 143). `timeout` signals the drill
    and then its whole process group at once: that echo is ignored. While `reporting`
    is False (before the order is out there is no loop to report) the first one
    cancels the run."""

    ECHO_SECONDS = 2.0

    def __init__(self, reporting: bool = True) -> None:
        self.stop = asyncio.Event()
        self.reporting = reporting
        self.cancelled = False
        self._first = 0.0
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __enter__(self) -> StopSignals:
        self._task = asyncio.current_task()
        self._loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self._loop.add_signal_handler(number, self._received, number)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self._loop.remove_signal_handler(number)

    def _received(self, number: signal.Signals) -> None:
        now = time.monotonic()
        if not self.stop.is_set():
            self.stop.set()
            self._first = now
            if self.reporting:
                print(f"\n（收到 {number.name}：结束演练并报告当前情况）", flush=True)
                return
            print(f"\n（收到 {number.name}：演练尚未开始，停止）", flush=True)
        elif now - self._first < self.ECHO_SECONDS:
            return
        self.cancelled = True
        if self._task is not None:
            self._task.cancel()


class CopyWatcher:
    """Every message the bot sends, as the sandbox reports it (chat, message id,
    real time); listening starts before the order is posted, so no copy is missed."""

    def __init__(self, world: SandboxWorld) -> None:
        self.state = world.state
        self.events: deque[tuple[int, int, float]] = deque()
        self.count = 0
        self.first: float | None = None
        self.last: float | None = None

    def __enter__(self) -> CopyWatcher:
        self.state.change_listeners.append(self._on_change)
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.change_listeners.remove(self._on_change)

    def _on_change(self, event: dict[str, Any]) -> None:
        if event["type"] == "message" and event.get("bot_id") is not None:
            self.events.append((event["chat_id"], event["message_id"], time.monotonic()))

    def arrived(self, at: float) -> None:
        """One order copy reached its group at `at` (real monotonic time)."""
        self.count += 1
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)


class DrillMetrics(BotMetrics):
    """How the machine kept up: the issue transaction, updates handled (counted as in
    the bot's own process, `BotMetrics`), the sender's real rate, the update backlog
    and memory, sampled once a real second."""

    def __init__(self, world: SandboxWorld, speed: float) -> None:
        super().__init__()
        self.world = world
        self.speed = speed
        self.started = time.monotonic()
        self.samples: list[tuple[float, int, int, int]] = []  # t, sent+edited, updates, backlog
        self.progress: dict[str, int] = {}
        self.people: SimulatedPeople | None = None

    def backlog(self) -> int:
        bot = self.world.state.bot_by_token(self.world.bot.bot.token)
        return len(bot.updates) if bot is not None else 0

    async def sample(self) -> None:
        while True:
            stats = self.world.bot.sender.stats
            self.samples.append(
                (time.monotonic(), stats.sent + stats.edited, self.updates, self.backlog())
            )
            await asyncio.sleep(1.0)

    def summary(self, copies: CopyWatcher) -> dict[str, Any]:
        now = time.monotonic()
        wall = now - self.started
        cpu = cpu_seconds() - self.cpu_started
        issue_end = self.issue[1] if self.issue else None
        fan_out = (
            copies.last - issue_end if copies.last is not None and issue_end is not None else None
        )
        sent = self.samples[-1][1] if self.samples else 0
        during = [  # the sender's samples while order copies were going out
            x
            for x in self.samples
            if issue_end is not None and issue_end <= x[0] <= (copies.last or 0)
        ]
        fan_out_rate = (
            round((during[-1][1] - during[0][1]) / (during[-1][0] - during[0][0]), 1)
            if len(during) >= 2 and during[-1][0] > during[0][0]
            else None
        )
        busy = [  # seconds in which the bot had updates waiting
            (a, b) for a, b in zip(self.samples, self.samples[1:], strict=False) if a[3] > 0
        ]
        busy_seconds = sum(b[0] - a[0] for a, b in busy)
        busy_updates = sum(b[2] - a[2] for a, b in busy)
        return {
            "wall_seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),
            "cpu_share": round(cpu / wall, 2) if wall else None,
            "peak_rss_mb": round(_peak_rss_mb(), 0),
            "issue_seconds": round(self.issue[1] - self.issue[0], 2) if self.issue else None,
            "order_copies_seen": copies.count,
            "fan_out_real_seconds": round(fan_out, 1) if fan_out is not None else None,
            "fan_out_simulated_seconds": round(fan_out * self.speed, 0)
            if fan_out is not None
            else None,
            "fan_out_copies_per_real_second": round(copies.count / fan_out, 1) if fan_out else None,
            "last_copy_after_order_simulated_seconds": round(
                (copies.last - self.issue[0]) * self.speed
            )
            if copies.last is not None and self.issue
            else None,
            "sender_per_real_second_during_fan_out": fan_out_rate,
            "sender_sent_and_edited": sent,
            "sender_mean_per_real_second": round(sent / wall, 1) if wall else None,
            "sender_peak_per_real_second_10s": _peak_rate(self.samples, 1),
            "sender_target_per_real_second": self.world.bot.limits.rate,
            "updates_handled": self.updates,
            "update_mean_ms": round(1000 * self.update_seconds / self.updates, 2)
            if self.updates
            else None,
            "update_max_ms": round(1000 * self.max_update_seconds, 1),
            "updates_per_real_second_while_backlogged": round(busy_updates / busy_seconds, 1)
            if busy_seconds
            else None,
            "updates_peak_per_real_second_10s": _peak_rate(self.samples, 2),
            "seconds_with_update_backlog": round(busy_seconds, 0),
            "max_update_backlog": max((s[3] for s in self.samples), default=0),
            "answer_calls": self.answers,
            "answer_call_mean_ms": round(1000 * self.answer_seconds / self.answers, 2)
            if self.answers
            else None,
        }


def _write_partial(options: DrillOptions, metrics: DrillMetrics, copies: CopyWatcher) -> None:
    """A run stopped before the loop closed: how far it got and how the machine kept up."""
    result: dict[str, Any] = {
        "fixture": options.fixture,
        "speed": options.speed,
        "paid": options.paid,
        "stopped_early": True,
        "progress": metrics.progress,
        "expected_total_so_far": metrics.people.expected_total() if metrics.people else None,
        "sender": metrics.world.bot.sender.stats.model_dump(),
        "performance": metrics.summary(copies),
    }
    options.out.mkdir(parents=True, exist_ok=True)
    out = options.out / "drill-partial.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n（演练被中止）已写入 {out}")
    print("  " + json.dumps(result["progress"], ensure_ascii=False))
    if options.verbose:
        print("  性能：" + "，".join(f"{k}={v}" for k, v in result["performance"].items()))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _peak_rate(samples: list[tuple[float, int, int, int]], column: int) -> float | None:
    """The highest rate of a counter column over any 10 s window of samples."""
    best: float | None = None
    j = 0
    for i in range(len(samples)):
        while samples[i][0] - samples[j][0] > 10.0:
            j += 1
        span = samples[i][0] - samples[j][0]
        if span >= 5.0:
            rate = (samples[i][column] - samples[j][column]) / span
            best = rate if best is None else max(best, rate)
    return round(best, 1) if best is not None else None


async def _drill(
    world: SandboxWorld, options: DrillOptions, policy: ClockPolicy, stop: asyncio.Event
) -> int:
    tower = world.tower
    root = tower.root()
    assert root.chat_id is not None and root.commander is not None
    hq = root.commander.telegram_id
    assert hq is not None
    command = f"/order 15m {options.kind} {ORDER_TEXTS[options.kind]}"
    print(f"▶ {root.name}（{len(tower) - 1} 个下级单元）指挥长 {root.commander.name}: {command}")
    print(f"  速度 ×{options.speed:g}，沉默比例 {options.silent:.0%}，种子 {options.seed}")
    metrics = DrillMetrics(world, options.speed)
    metrics.instrument(world.bot, primary=True)
    sampler = asyncio.create_task(metrics.sample())
    with CopyWatcher(world) as copies:
        try:
            return await _run_order(
                world, options, policy, root, hq, command, metrics, copies, stop
            )
        except asyncio.CancelledError:
            _write_partial(options, metrics, copies)
            raise
        finally:
            sampler.cancel()
            await asyncio.gather(sampler, return_exceptions=True)


async def _run_order(
    world: SandboxWorld,
    options: DrillOptions,
    policy: ClockPolicy,
    root: Unit,
    hq: int,
    command: str,
    metrics: DrillMetrics,
    copies: CopyWatcher,
    stop: asyncio.Event,
) -> int:
    tower = world.tower
    assert root.chat_id is not None
    started = time.monotonic()
    world.state.post_message(root.chat_id, hq, command)
    order_id = await _wait_order(world, root.code)
    if metrics.issue is not None and options.verbose:
        print(f"  下达事务 {metrics.issue[1] - metrics.issue[0]:.1f}s（实际）")
    people = SimulatedPeople(world, order_id, options)
    people.ordered_at = started
    metrics.people = people
    units = [u for u in tower.walk() if u.code != root.code]
    silent = set(people.rng.sample([u.code for u in units], round(options.silent * len(units))))
    answering = [u for u in units if u.code not in silent]
    watcher = asyncio.create_task(people.watch(units, answering, tower, copies))
    give_up = DURATION + policy.escalation_interval * 2
    while True:
        async with world.bot.db.transaction() as tx:  # two rows, not the whole order
            order = await tx.orders.get(order_id)
            roots = await tx.orders.chain(order_id, root.code)
        assert order is not None
        simulated = world.bot.clock.now() - order.created_at
        metrics.progress = {
            "done": order.done_targets,
            "targets": order.total_targets,
            "subtotal": roots[0].subtotal if roots else 0,
            "simulated_seconds": round(simulated.total_seconds()),
        }
        percent = 100 * order.done_targets // max(1, order.total_targets)
        line = (
            f"\r  进度 {order.done_targets}/{order.total_targets} ({percent}%)"
            f" 合计 {roots[0].subtotal if roots else 0}"
            f"  模拟用时 {_minutes(simulated)}  实际 {time.monotonic() - started:.0f}s"
            f"  已发 {copies.count} 份  待处理更新 {metrics.backlog()} "
        )
        sys.stdout.write(line)
        sys.stdout.flush()
        if watcher.done() and watcher.exception() is not None:
            raise RuntimeError("the simulated people stopped") from watcher.exception()
        if order.status is OrderStatus.DONE or (silent and simulated > give_up) or stop.is_set():
            break
        await asyncio.sleep(0.25)
    print()
    watcher.cancel()
    await asyncio.gather(watcher, return_exceptions=True)
    await _settle(world, seconds=300 if stop.is_set() else 600)
    _, report = await world.bot.queries.status(order_id, root.chat_id)
    if report.order.status is OrderStatus.DONE:
        print(await _report_text(world, order_id, "final_report"))
    elif stop.is_set():
        print(f"（演练提前结束：以下为模拟用时 {_minutes(simulated)} 时的情况）")
        print(await current_report(world.bot, order_id, root))
    else:  # silent units: the loop as it stands after the escalation rounds
        print(f"（有单元始终未回复：以下为截止后 {_minutes(give_up - DURATION)} 的情况）")
        print(await current_report(world.bot, order_id, root))
    performance = metrics.summary(copies)
    performance["answer_errors"] = people.answer_errors
    performance["stopped_early_at_simulated_seconds"] = (
        round(simulated.total_seconds()) if stop.is_set() else None
    )
    return await write_outputs(
        world.bot,
        options,
        order_id,
        root,
        tower,
        people,
        silent,
        report,
        performance,
        world.bot.sender.stats.model_dump(),
    )


async def write_outputs(
    app: TowerBot,
    options: DrillOptions,
    order_id: int,
    root: Unit,
    tower: Tower,
    people: SimulatedPeople,
    silent: set[str],
    report: OrderReport,
    performance: dict[str, Any],
    sender: dict[str, Any],
) -> int:
    """The loop report: JSON, the completion chart and the verdict lines."""
    async with app.db.transaction() as tx:
        order = await tx.orders.get(order_id)
        states = await tx.orders.targets(order_id)
    assert order is not None
    curve = completion(order, states, root.code, app.clock.now())
    labels = drill_chart_labels(order_id, options.fixture, curve)
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
        "values_checked": _check_values(options, people, states),
        "done": report.done,
        "targets": report.total,
        "time_to_seconds": {str(k): v for k, v in report.time_to.items()},
        "first_answer_seconds": report.first_answer_seconds,
        "levels": [s.model_dump() for s in report.levels],
        "late_units": report.late_units,
        "pending_units": report.pending_units,
        "loop_held_15_minutes": held,
        "not_done": people.not_done(states, silent),
        "answer_latency_real_seconds": people.answer_latency(states, app.clock),
        "sender": sender,
        "paid": options.paid,
        "performance": performance,
    }
    out = options.out / "drill-report.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if options.kind != "notice":
        verdict = "✓ 汇总与各单元上报一致" if result["totals_match"] else "✗ 汇总不一致"
        print(f"{verdict}: 上报合计 {expected}，机器人汇总 {report.total_value}")
    print(f"15 分钟闭环：{'达成' if held else '未达成'}；报告 {out}，图表 {chart}")
    if options.verbose:
        print("  性能：" + "，".join(f"{k}={v}" for k, v in performance.items()))
        print("  未完成单元：" + json.dumps(result["not_done"], ensure_ascii=False))
        print("  回复到记录（实际秒）：" + json.dumps(result["answer_latency_real_seconds"]))
    return 0 if result["totals_match"] else 1


def drill_chart_labels(order_id: int, fixture: str, curve: Completion) -> ChartLabels:
    """The chart in Chinese like the drill's terminal output; in English where no
    installed font can draw Chinese (the labels would come out as boxes)."""
    chinese = ChartLabels(
        title=f"指令 #{order_id} 演练：{fixture}",
        xlabel="下达后分钟数",
        ylabel="已完成单元（%）",
        deadline="时限",
        lines={None: "全部单元", **{s.level: f"{s.level}级" for s in curve.levels}},
    )
    if renderable(chinese.texts()):
        return chinese
    return ChartLabels(
        title=f"Order #{order_id} drill: {fixture}",
        xlabel="minutes since issued",
        ylabel="% of units done",
        deadline="deadline",
        lines={None: "all units", **{s.level: f"level {s.level}" for s in curve.levels}},
    )


def _check_values(
    options: DrillOptions, people: SimulatedPeople, states: list[TargetState]
) -> dict[str, int] | None:
    """Unit by unit, what the bot recorded against what each commander sent (count
    orders): meaningful even when a stopped run left answers queued for the bot."""
    if options.kind != "count":
        return None
    recorded = {s.unit_code: s.value for s in states if s.is_bottom and s.value is not None}
    return {
        "sent_by_people": len(people.values),
        "recorded_by_bot": len(recorded),
        "recorded_but_different": sum(
            1 for code, value in recorded.items() if people.values.get(code) != value
        ),
        "recorded_sum": sum(v for v in recorded.values() if v is not None),
        "sent_sum_of_recorded_units": sum(people.values.get(code, 0) for code in recorded),
        "still_queued": len(set(people.values) - set(recorded)),
    }


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


async def _settle(world: SandboxWorld, seconds: float = 600) -> None:
    """Let the bot take in every answer already posted (it handles updates in order)."""
    token = world.bot.bot.token
    for _ in range(int(seconds / 0.05)):  # a city-sized backlog takes a while
        bot = world.state.bot_by_token(token)
        if bot is None or not bot.updates:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)


async def current_report(app: TowerBot, order_id: int, root: Unit) -> str:
    """The loop report's wording for the order as it stands now (plain text)."""
    assert root.chat_id is not None
    issuer, report = await app.queries.status(order_id, root.chat_id)
    async with app.db.transaction() as tx:
        names = await tx.tower.refs(report.named())
    rendered = app.presenter.final_report(issuer, report, names, ReportFlavour.INTERIM)
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
