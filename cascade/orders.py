"""Orders (指令) and the per-unit record of how each unit answered them."""

from __future__ import annotations

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


class TargetState(BaseModel):
    """One unit's state within one order (the issuer's unit is the root row).

    `subtotal` is the sum over the unit's subtree of the latest bottom-unit
    values (for lists: their distinct lines), maintained incrementally; so are
    `sub_total` and `sub_done`, the targets of the subtree and how many of them
    are done (the unit itself counted unless it is the root), so a status or a
    board reads a handful of rows instead of the whole order.
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
