"""The reminders, the interim report (at the deadline), the escalation rounds and the
cancel report read the order a page of rows at a time, like the final report; what
they say must be what the whole order read at once says.

The tower (Tashan, 237 rows) is read 7 rows a page, so every report spans dozens of
pages; the report each service hands the presenter is compared with `build` over every
row read in one go at the same moment, each escalation round's groups with the
pending units counted up the chain from the same rows, and the units reminded with
those whose own answer is missing.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import pytest

from cascade.clock import FakeClock
from cascade.deadline_service import DeadlineService
from cascade.deadlines import TimerKind, own_missing
from cascade.order_service import OrderService
from cascade.orders import Order, OrderKind, TargetState
from cascade.outgoing import Rendered
from cascade.ports import PersonRef
from cascade.report import NAMES_SHOWN, OrderReport, ReportFlavour, build
from cascade.tower import Unit, UnitRef
from storage.db import Database
from storage.importer import import_units
from storage.order_repo import SqliteOrderRepository
from tests.support.plain_words import PlainWords

HQ_CHAT = -1002000000001
HQ_COMMANDER = 6000000001
PAGE = 7


class Recording(PlainWords):
    """Plain words that keep the reports and escalations the services built."""

    def __init__(self) -> None:
        self.reports: list[tuple[ReportFlavour, OrderReport]] = []
        self.escalations: dict[int, dict[str, list[str]]] = {}
        self.reminded: dict[str, bool] = {}  # unit → pressed 收到, value missing
        self.names: list[str] = []  # the units whose names the last report was given

    def reminder(self, order: Order, unit: UnitRef, remaining: timedelta, late: bool) -> Rendered:
        self.reminded[unit.code] = False
        return Rendered(text="reminder")

    def reminder_acked(
        self, order: Order, unit: UnitRef, remaining: timedelta, late: bool
    ) -> Rendered:
        self.reminded[unit.code] = True
        return Rendered(text="reminder_acked")

    def final_report(
        self,
        issuer: UnitRef,
        report: OrderReport,
        names: dict[str, UnitRef],
        flavour: ReportFlavour,
        by: PersonRef | None = None,
        headings: Mapping[str, Sequence[str]] | None = None,
    ) -> Rendered:
        self.reports.append((flavour, report))
        self.names = sorted(names)
        return Rendered(text="final_report")

    def escalation(
        self,
        order: Order,
        group: UnitRef,
        pending: list[UnitRef],
        round_: int,
        overdue: timedelta,
        late: bool,
        ungrouped: list[UnitRef] | None = None,
    ) -> Rendered:
        self.escalations.setdefault(round_, {})[group.code] = [u.code for u in pending]
        return Rendered(text="escalation")


@pytest.fixture
def counted_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages of `PAGE` rows; the list grows by one per page read."""
    pages: list[int] = []
    real = SqliteOrderRepository.target_page

    async def target_page(
        self: SqliteOrderRepository, order_id: int, under: str, after: str, limit: int
    ) -> tuple[list[TargetState], str | None]:
        pages.append(limit)
        return await real(self, order_id, under, after, limit)

    monkeypatch.setattr("cascade.loop_report.PAGE_ROWS", PAGE)
    monkeypatch.setattr(SqliteOrderRepository, "target_page", target_page)
    return pages


def expected_reminders(rows: list[TargetState], kind: OrderKind) -> dict[str, bool]:
    """Each unit whose own answer is missing → whether it pressed 收到 without a value."""
    return {
        s.unit_code: kind is not OrderKind.NOTICE and s.is_bottom and s.acked_at is not None
        for s in rows
        if not s.is_root and not s.is_done and own_missing(s)
    }


def expected_groups(rows: list[TargetState], round_: int) -> dict[str, list[str]]:
    """Each pending unit under its ancestor `round_` + 1 levels up, if in the order."""
    parent = {s.unit_code: s.parent_code for s in rows}
    groups: dict[str, list[str]] = {}
    for state in rows:
        if state.is_root or state.is_done:
            continue
        up: str | None = state.unit_code
        for _ in range(round_ + 1):
            up = parent.get(up) if up is not None else None
            up = up if up in parent else None
        if up is not None:
            groups.setdefault(up, []).append(state.unit_code)
    return groups


async def answer(orders: OrderService, order: Order, units: list[Unit], kids: set[str]) -> None:
    """Commanders of units with sub-units say 收到; the bottom ones answer (a number, a
    line of a list, or 收到 to a notice)."""
    rng = random.Random(order.id)
    for unit in units:
        assert unit.chat_id is not None and unit.commander is not None
        who = unit.commander.telegram_id or 0
        if unit.code in kids or order.kind is OrderKind.NOTICE:
            await orders.acknowledge(order.id, unit.chat_id, who)
        else:
            value = (
                str(rng.randint(0, 9))
                if order.kind is OrderKind.COUNT
                else f"甲{rng.randint(0, 3)}"
            )
            await orders.report(order.id, unit.chat_id, who, value, None)


@pytest.mark.parametrize("kind", [OrderKind.COUNT, OrderKind.LIST, OrderKind.NOTICE])
async def test_interim_escalations_and_cancel_read_pages_and_match_the_whole_order(
    db: Database, tashan: list[Unit], counted_pages: list[int], kind: OrderKind
) -> None:
    await import_units(db, tashan)
    clock = FakeClock()
    words = Recording()
    orders = OrderService(db.transaction, clock, words)
    deadlines = DeadlineService(db.transaction, clock, words)
    order = await orders.issue(HQ_CHAT, HQ_COMMANDER, kind, "数一下", timedelta(minutes=10))
    kids = {u.parent for u in tashan if u.parent is not None}
    units = [u for u in tashan if u.parent is not None]
    random.Random(3).shuffle(units)

    async def whole() -> list[TargetState]:
        async with db.transaction() as tx:
            return await tx.orders.targets(order.id)

    async def check(
        step: Callable[[], Awaitable[Any]],
        flavour: ReportFlavour | None = None,
        round_: int | None = None,
    ) -> None:
        rows_before = await whole()
        counted_pages.clear()
        await step()
        assert len(counted_pages) == -(-len(rows_before) // PAGE) > 30  # one pass, paged
        rows = await whole()
        if round_ is not None:
            assert words.escalations[round_] == expected_groups(rows, round_)
            assert words.escalations[round_]  # some unit is named somewhere
        if flavour is not None:
            got_flavour, got = words.reports[-1]
            assert got_flavour is flavour
            assert got == build(got.order, rows, order.issuer_unit, clock.now())
            assert got.pending_units and got.total == len(rows) - 1
            # Names are read only for the units the report names, not the pending city.
            assert len(got.pending_units) > NAMES_SHOWN
            assert words.names == sorted(got.named()) and len(words.names) <= 2 * NAMES_SHOWN

    await answer(orders, order, units[:80], kids)
    for unit in units[80:90]:  # 收到 only: a bottom one is reminded of its value
        assert unit.chat_id is not None and unit.commander is not None
        await orders.acknowledge(order.id, unit.chat_id, unit.commander.telegram_id or 0)
    clock.advance(minutes=7)
    await check(lambda: deadlines.fire(order.id, TimerKind.REMINDER, 0))
    assert words.reminded == expected_reminders(await whole(), kind)
    assert any(words.reminded.values()) == (kind is not OrderKind.NOTICE)
    clock.advance(minutes=4)
    await check(lambda: deadlines.fire(order.id, TimerKind.ESCALATION, 0), ReportFlavour.INTERIM, 0)
    assert words.reports[-1][1].late_units  # past the deadline: the units not done
    await answer(orders, order, units[80:120], kids)  # late answers
    clock.advance(minutes=5)
    await check(lambda: deadlines.fire(order.id, TimerKind.ESCALATION, 1), round_=1)
    clock.advance(minutes=1)
    await check(lambda: orders.cancel(order.id, HQ_CHAT, HQ_COMMANDER), ReportFlavour.CANCELLED)
