"""Orders (指令) and the per-unit record of how each unit answered them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field

DEFAULT_DURATION = timedelta(minutes=15)
MAX_ORDER_TEXT = 2000


class OrderKind(StrEnum):
    """What an answer is: a receipt, a number, or a list of lines."""

    NOTICE = "notice"
    COUNT = "count"
    LIST = "list"


class OrderStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Order(BaseModel):
    """One order issued by a unit to every unit of its subtree."""

    id: int
    issuer_unit: str
    issuer_user: int
    kind: OrderKind
    text: str = Field(min_length=1, max_length=MAX_ORDER_TEXT)
    created_at: datetime
    deadline_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    finished_at: datetime | None = None
    total_targets: int = 0
    done_targets: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is OrderStatus.OPEN


@dataclass(slots=True, kw_only=True)
class TargetState:
    """One unit's state within one order (the issuer's unit is the root row).

    `subtotal` is the sum over the unit's subtree of the latest bottom-unit
    values (for lists: their distinct lines), maintained incrementally; so are
    `sub_total` and `sub_done`, the targets of the subtree and how many of them
    are done (the unit itself counted unless it is the root), so a status or a
    board reads a handful of rows instead of the whole order.

    A plain slotted record, not a pydantic model: it is only ever built by the
    domain (`targeting.target_states`) and by storage from rows it wrote, never
    from outside input, and every answer sets ~25 of its fields and copies its
    chain; pydantic's `__setattr__` (~0.8 us a field) and `model_copy` (~4 us a
    row) were a third of deciding an answer in a city's storm (issue 9 item 2,
    benchmarks/RESULTS.md).
    """

    order_id: int
    unit_code: str
    parent_code: str | None
    level: int
    is_root: bool = False
    is_bottom: bool = False
    children_total: int = 0
    children_done: int = 0
    acked_at: datetime | None = None
    acked_by: int | None = None
    answered_at: datetime | None = None
    updated_at: datetime | None = None
    answered_by: int | None = None
    value: int | None = None
    items: list[str] | None = None
    subtotal: int = 0
    done_at: datetime | None = None
    late: bool = False
    sub_total: int = 0
    sub_done: int = 0

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def copy(self) -> TargetState:
        """An independent copy (its `items` list too: the roll-up replaces it whole,
        but a caller may not)."""
        return TargetState(
            order_id=self.order_id,
            unit_code=self.unit_code,
            parent_code=self.parent_code,
            level=self.level,
            is_root=self.is_root,
            is_bottom=self.is_bottom,
            children_total=self.children_total,
            children_done=self.children_done,
            acked_at=self.acked_at,
            acked_by=self.acked_by,
            answered_at=self.answered_at,
            updated_at=self.updated_at,
            answered_by=self.answered_by,
            value=self.value,
            items=list(self.items) if self.items is not None else None,
            subtotal=self.subtotal,
            done_at=self.done_at,
            late=self.late,
            sub_total=self.sub_total,
            sub_done=self.sub_done,
        )


class TargetStep(BaseModel):
    """One short step of writing an order's targets: the units after `after` up to and
    including `upto`, inside the issuer's subtree [`low`, `high`). Storage's keys,
    passed back to storage as they are (the domain never reads them)."""

    order_id: int
    after: str
    upto: str
    low: str
    high: str
    last: bool
