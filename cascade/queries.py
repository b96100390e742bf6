"""Read-only questions people ask the bot: status, pending units, who am I.

They run in a unit of work of their own (nothing is decided), and return views
that the bot words; the scope is the asking chat's unit's subtree, or for an order
the whole order when the chat's unit issued it or is above the unit that did
(`cascade.lookup.order_in_view`).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta, tzinfo

from pydantic import BaseModel

from cascade import report as reports
from cascade import stats as statistics
from cascade import tallies
from cascade.clock import Clock
from cascade.colours import ColourView, colour_map, echo, find_unit
from cascade.distinct_names import parent_headings
from cascade.errors import Refused
from cascade.export import ExportRow, OrderExport, export_rows
from cascade.incidents import Incident
from cascade.lookup import order_in_view, unit_of_chat
from cascade.orders import Order
from cascade.ports import Membership, UnitOfWork, UnitOfWorkFactory
from cascade.report import OrderReport
from cascade.targeting import OrderFilter, answering_refs, role_holders, select
from cascade.tower import UnitRef

# Units listed by /pending at most (the chat shows 60 lines; the count covers all).
MAX_PENDING = 200
PAGE_ROWS = 1_000  # order rows read at once for an export or a chart


class PendingGroup(BaseModel):
    """A parent's not-done units; `heading` is the parent's name, after the names of
    as many units above it as tell it from another heading of the same name."""

    parent: UnitRef
    units: list[UnitRef]
    heading: list[str]


class PendingView(BaseModel):
    """Not-done units by parent; `seen` pressed 收到 (a bottom unit: no value yet;
    a unit with sub-units: waiting for them), the others have not reacted at all."""

    report: OrderReport
    scope: UnitRef
    groups: list[PendingGroup]
    seen: set[str] = set()
    waiting: set[str] = set()
    total: int = 0  # not-done units in all; `groups` holds the first page of them


class Seat(BaseModel):
    """One of a person's seats and the chain of command above it."""

    membership: Membership
    chain: list[UnitRef]


class ColouredTree(BaseModel):
    """A subtree (parents first) with every unit's colour view (`/tree`, `/map`)."""

    scope: UnitRef
    units: list[UnitRef]
    views: dict[str, ColourView]


class IncidentList(BaseModel):
    """The newest incidents of a subtree (`/incidents`), with the units they came from."""

    scope: UnitRef
    which: str
    incidents: list[Incident]
    total: int
    units: dict[str, UnitRef]


class QueryService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def status(self, order_id: int | None, chat_id: int) -> tuple[UnitRef, OrderReport]:
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            order, scope = await order_in_view(tx, order_id, unit)
            states = await tx.orders.targets(order.id, under=scope)
            return unit, reports.build(order, states, scope, self.clock.now())

    async def summary(self, order_id: int | None, chat_id: int) -> tuple[UnitRef, OrderReport]:
        """What `/status` shows, from the roll-up's counters: done/total of the subtree in
        view (the chat's, or the whole order's, `order_in_view`), per level and the total
        so far, without reading the order's rows."""
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            order, scope = await order_in_view(tx, order_id, unit)
            whole = scope == order.issuer_unit
            state = (await tx.orders.states(order.id, [scope]))[scope]
            levels = await tx.orders.levels(order.id, None if whole else scope)
            return unit, reports.summary(order, state, levels, self.clock.now())

    async def unreachable(self, code: str) -> list[UnitRef]:
        """Units of `code`'s subtree (a report's scope) that the bot can't reach, parents
        first."""
        async with self.uow() as tx:
            return await tx.tower.unreachable_under(code)

    async def pending(
        self, order_id: int | None, chat_id: int, limit: int = MAX_PENDING
    ) -> PendingView:
        """The first `limit` not-done units of the chat's subtree (by level, then code)
        and how many there are in all: a page, whatever the size of the order."""
        unit, report = await self.summary(order_id, chat_id)
        async with self.uow() as tx:
            pending = await tx.orders.pending(report.order.id, report.scope, limit)
            refs = await tx.tower.refs(
                [s.unit_code for s in pending] + [s.parent_code for s in pending if s.parent_code]
            )
            refs = await answering_refs(tx, report.order.id, refs)
            groups: dict[str, list[UnitRef]] = {}
            for state in sorted(pending, key=lambda s: (s.level, s.unit_code)):
                if state.parent_code in refs and state.unit_code in refs:
                    groups.setdefault(state.parent_code, []).append(refs[state.unit_code])
            headings = await parent_headings(tx, [refs[code] for code in groups], report.scope)
        return PendingView(
            report=report,
            scope=unit,
            total=report.total - report.done,
            groups=[
                PendingGroup(parent=refs[code], units=units, heading=headings[code])
                for code, units in groups.items()
            ],
            seen={s.unit_code for s in pending if s.acked_at is not None and s.is_bottom},
            waiting={s.unit_code for s in pending if s.acked_at is not None and not s.is_bottom},
        )

    async def reach(self, chat_id: int) -> dict[int, int]:
        """How many units, by level, an order from this chat would go to."""
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            below = (await tx.tower.subtree(unit.code))[1:]
        return dict(sorted(Counter(u.level for u in below).items()))

    async def reach_targeted(self, chat_id: int, flt: OrderFilter) -> tuple[dict[int, int], int]:
        """Units by level a filtered order would go to, and how many role holders answer."""
        if flt.empty:
            return await self.reach(chat_id), 0
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            chosen = select(await tx.people.target_units(unit.code), flt)
        if not chosen:
            raise Refused("order-no-match", words=flt.words(), unit=unit.name)
        holders = len({h for u in chosen for h in role_holders(u, flt)}) if flt.roles else 0
        return dict(sorted(Counter(u.level for u in chosen).items())), holders

    async def subtree(self, chat_id: int) -> list[UnitRef]:
        """The chat's unit and everything below it, parents before children."""
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            return await tx.tower.subtree(unit.code)

    async def root_code(self) -> str | None:
        """The code of the tower's root unit (HQ), if a tower is loaded."""
        async with self.uow() as tx:
            root = await tx.tower.root()
        return root.code if root else None

    async def whoami(self, user_id: int) -> list[Seat]:
        async with self.uow() as tx:
            seats = []
            for membership in await tx.tower.memberships(user_id):
                chain = await tx.tower.chain(membership.unit.code)
                seats.append(Seat(membership=membership, chain=chain))
            return seats

    async def _order_scope(
        self, tx: UnitOfWork, order_id: int | None, chat_id: int
    ) -> tuple[UnitRef, Order, str]:
        """The unit whose subtree is in view (the chat's, or the issuer's for a unit at or
        above it: what the caption names), the order meant, and that unit's code."""
        unit = await unit_of_chat(tx, chat_id)
        order, scope = await order_in_view(tx, order_id, unit)
        shown = unit if scope == unit.code else await tx.tower.ref(scope)
        return shown or unit, order, scope

    async def export(self, order_id: int | None, chat_id: int) -> tuple[UnitRef, OrderExport]:
        """Every target row of the chat's subtree in one order, with names (`/export`).

        Read a page of rows and their units at a time: a city order's 37,000 rows and
        units held at once as models added ~200 MB to the bot's peak."""
        async with self.uow() as tx:
            unit, order, scope = await self._order_scope(tx, order_id, chat_id)
            rows: list[ExportRow] = []
            cursor: str | None = ""
            while cursor is not None:
                states, cursor = await tx.orders.target_page(order.id, scope, cursor, PAGE_ROWS)
                refs = await tx.tower.refs([s.unit_code for s in states if not s.is_root])
                rows += export_rows(order, states, refs)
        return unit, OrderExport(order=order, scope=scope, rows=rows)

    async def completion(
        self, order_id: int | None, chat_id: int
    ) -> tuple[UnitRef, statistics.Completion]:
        """Percent done over time in the chat's subtree, per level and in all (`/chart`)."""
        async with self.uow() as tx:
            unit, order, scope = await self._order_scope(tx, order_id, chat_id)
            tally = statistics.CompletionTally(order)
            cursor: str | None = ""
            while cursor is not None:  # a page of rows at a time, as for an export
                states, cursor = await tx.orders.target_page(order.id, scope, cursor, PAGE_ROWS)
                tally.add(states)
        return unit, tally.result(scope, self.clock.now())

    async def stats(self, chat_id: int, days: int) -> statistics.StatsView:
        """The orders issued by or sent to the chat's unit in the last `days` (`/stats`).

        The repositories have no "orders of a unit since" query, so this walks
        order numbers down from the unit's newest order and stops at the first
        one issued before the period (numbers grow with time), looking at no
        more than `MAX_SCANNED_ORDERS`; each order is summed up and its rows
        dropped before the next is read.
        """
        if not 1 <= days <= statistics.MAX_DAYS:
            raise Refused("bad-days", value=str(days), max=statistics.MAX_DAYS)
        now = self.clock.now()
        since = now - timedelta(days=days)
        acc = statistics.StatsAccumulator(now)
        truncated = False
        async with self.uow() as tx:
            unit = await unit_of_chat(tx, chat_id)
            newest = await tx.orders.latest_for_unit(unit.code)
            order_id = newest.id if newest is not None else 0
            scanned = 0
            while order_id > 0:
                if scanned >= statistics.MAX_SCANNED_ORDERS:
                    truncated = True
                    break
                order = await tx.orders.get(order_id)
                order_id -= 1
                scanned += 1
                if order is None:
                    continue
                if order.created_at < since:
                    break
                if not await tx.orders.chain(order.id, unit.code):
                    continue
                acc.add(order, await tx.orders.targets(order.id, under=unit.code))
            summary = acc.summary(since)
            names = await tx.tower.refs([u.code for u in summary.slowest])
        return statistics.StatsView(
            unit=unit, days=days, summary=summary, units=names, truncated=truncated
        )

    # ------------------------------------------------------------ colours, incidents, tallies

    async def _scope(self, tx: UnitOfWork, chat_id: int, code: str | None) -> UnitRef:
        """The chat's unit, or the unit `code` (a code or a name) inside its subtree."""
        unit = await unit_of_chat(tx, chat_id)
        if not code:
            return unit
        found = await find_unit(tx, code, unit)
        if found is None:
            raise Refused("colour-unknown-unit", code=echo(code))
        if all(a.code != unit.code for a in await tx.tower.chain(found.code)):
            raise Refused("scope-outside", unit=unit.name, target=found.name)
        return found

    async def colours(self, chat_id: int, code: str | None = None) -> ColouredTree:
        """The chat's subtree (or `code`'s, inside it) with red/yellow/green per unit."""
        async with self.uow() as tx:
            scope = await self._scope(tx, chat_id, code)
            units = await tx.tower.subtree(scope.code)
            incidents = await tx.incidents.under(scope.code, open_only=True)
            manual = await tx.incidents.manual_colours([u.code for u in units])
        return ColouredTree(scope=scope, units=units, views=colour_map(units, incidents, manual))

    async def incident_list(
        self, chat_id: int, which: str, tz: tzinfo, limit: int = 1000
    ) -> IncidentList:
        """Incidents of the chat's subtree, newest first: `all`, `open`, or `today` (in `tz`)."""
        async with self.uow() as tx:
            scope = await self._scope(tx, chat_id, None)
            since = None
            if which == "today":
                # Stored times are UTC ISO text, compared as text: ask in UTC too.
                today = tallies.local_day(self.clock.now(), tz)
                since = tallies.day_start(today, tz).astimezone(UTC)
            found = await tx.incidents.under(
                scope.code, open_only=which == "open", reported_since=since, limit=limit
            )
            refs = await tx.tower.refs(list({i.unit_code for i in found}))
        return IncidentList(scope=scope, which=which, incidents=found, total=len(found), units=refs)

    async def daily(self, chat_id: int, days: int, tz: tzinfo) -> tallies.Tally:
        """The daily tally of the chat's subtree for the last `days` days (`/daily`)."""
        async with self.uow() as tx:
            scope = await self._scope(tx, chat_id, None)
        return await self.daily_for(scope.code, days, tz)

    async def daily_for(self, code: str, days: int, tz: tzinfo) -> tallies.Tally:
        """The daily tally of `code`'s subtree (the evening report to HQ)."""
        if not 1 <= days <= tallies.MAX_DAYS:
            raise Refused("daily-bad-days", value=str(days), max=tallies.MAX_DAYS)
        first, last = tallies.window(self.clock.now(), days, tz)
        async with self.uow() as tx:
            units = await tx.tower.subtree(code)
            if not units:
                raise Refused("colour-unknown-unit", code=echo(code))
            incidents = await tx.incidents.under(
                code,
                reported_since=tallies.fetch_since(first, tz).astimezone(UTC),
                limit=1_000_000,
            )
        return tallies.tally(units[0], units, incidents, first, last, tz)
