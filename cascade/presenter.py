"""What the domain asks the adapter to word: one method per kind of message.

The domain decides who gets which message; the bot implements this protocol
with translated texts and its own callback data, so no wording lives here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from cascade.orders import Order, TargetState
from cascade.outgoing import Rendered
from cascade.ports import PersonRef
from cascade.report import OrderReport, ReportFlavour
from cascade.tower import Role, UnitRef


class Presenter(Protocol):
    def order_copy(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> Rendered:
        """A copy's words may depend on the unit's locale and `is_bottom` only: a city
        order renders one copy per (locale, is_bottom) and sends it to every such unit."""
        ...

    def order_acked(
        self,
        order: Order,
        unit: UnitRef,
        issuer: UnitRef,
        is_bottom: bool,
        who: PersonRef,
        at: datetime,
    ) -> Rendered: ...
    def order_issued(self, order: Order, issuer: UnitRef, by_level: dict[int, int]) -> Rendered: ...
    def answer_recorded(
        self, order: Order, unit: UnitRef, state: TargetState, replaced: bool
    ) -> Rendered: ...
    def ack_recorded(
        self, order: Order, unit: UnitRef, state: TargetState, waiting: bool
    ) -> Rendered: ...
    def unit_done(self, order: Order, unit: UnitRef, state: TargetState) -> Rendered: ...
    def child_done(
        self, order: Order, parent: UnitRef, child: UnitRef, state: TargetState
    ) -> Rendered: ...
    def total_corrected(
        self, order: Order, group: UnitRef, unit: UnitRef, old: int, new: int, by: UnitRef
    ) -> Rendered:
        """To `group`, told `unit`'s total `old` when it was done: `by` corrected it to `new`."""
        ...

    def children_done(
        self, order: Order, parent: UnitRef, done: list[tuple[UnitRef, TargetState]]
    ) -> list[Rendered]:
        """Several "done" notices to `parent`'s group merged: one message, or a few
        when the list is long (nothing left out)."""
        ...

    def final_report(
        self,
        issuer: UnitRef,
        report: OrderReport,
        names: dict[str, UnitRef],
        flavour: ReportFlavour,
        by: PersonRef | None = None,
        headings: Mapping[str, Sequence[str]] | None = None,
    ) -> Rendered: ...
    def merged_list(
        self, issuer: UnitRef, report: OrderReport, names: dict[str, UnitRef], private: bool
    ) -> tuple[Rendered, bytes | None]: ...
    def cancelled(self, order: Order, unit: UnitRef) -> Rendered: ...
    def cancel_done(self, order: Order, asker: UnitRef, issuer: UnitRef, told: int) -> Rendered: ...
    def reminder(
        self, order: Order, unit: UnitRef, remaining: timedelta, late: bool
    ) -> Rendered: ...
    def targeting(self, unit: UnitRef, words: str, roles: list[Role], holders: int | None) -> str:
        """A line saying whom a targeted order is for (issuer: with the count of role holders)."""
        ...

    def reminder_acked(
        self, order: Order, unit: UnitRef, remaining: timedelta, late: bool
    ) -> Rendered: ...
    def time_left(self, locale: str, remaining: timedelta) -> str:
        """A time left in words, as a reminder's `Countdown` shows it (剩余9分18秒's
        9分18秒): what the sender's claim writes there as the reminder goes."""
        ...

    def reminder_ungrouped(
        self,
        order: Order,
        units: list[UnitRef],
        group: UnitRef,
        remaining: timedelta,
        late: bool,
    ) -> Rendered:
        """One reminder for `units`, which have no group, to `group`, the nearest one
        above them."""
        ...

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
        """The pending units below `group` at the deadline or a later round; `ungrouped`
        are the units without a group whose pending units are named here in their stead."""
        ...

    def progress(
        self,
        order: Order,
        unit: UnitRef,
        children: list[tuple[UnitRef, int, int]],
        own: TargetState,
        late: list[UnitRef],
        now: datetime,
    ) -> Rendered: ...
    def unreachable(self, unit: UnitRef, parent: UnitRef, reason: str) -> Rendered: ...
    def reachable_again(self, unit: UnitRef, parent: UnitRef) -> Rendered: ...
    def bind_refused(
        self, unit: UnitRef, parent: UnitRef, chat_title: str, who: PersonRef
    ) -> Rendered: ...
    def unit_moved(self, unit: UnitRef, new_chat_title: str) -> Rendered: ...
