"""Typed callback data for every inline button the bot shows (≤ 64 bytes each).

Ids are bounded to SQLite's 64-bit integers: callback data comes from clients
and can be forged, and a press such as ``ack:99999999999999999999`` must fail
the filter (and get the "button no longer valid" answer) rather than reach
the database and overflow there.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_ID = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Word = Annotated[str, Field(min_length=1, max_length=32)]


class AckCallback(CallbackData, prefix="ack"):
    """ "收到" under an order copy."""

    order_id: RowId


class FormCallback(CallbackData, prefix="of"):
    """A step of the guided /order form: kind, duration, confirm or cancel."""

    step: Word
    value: Word


class IncidentCallback(CallbackData, prefix="inc"):
    """Buttons of an incident: confirm/cancel a draft, a disposition, or 落实."""

    incident_id: RowId
    action: Word


class ReturneeFormCallback(CallbackData, prefix="rf"):
    """ "跳过" in the guided /returnee form."""

    step: Word


class MoveCallback(CallbackData, prefix="mv"):
    """Confirm (or cancel) moving a unit with a live group to the group pressed in."""

    code: Word
    go: bool


class ListSplitCallback(CallbackData, prefix="ls"):
    """Under a list answer whose entry `index` has 、 between whole entries: `count` is
    how many entries to record it as (its pieces, or 1 to keep it whole)."""

    order_id: RowId
    index: Annotated[int, Field(ge=0, le=10_000)]
    count: Annotated[int, Field(ge=1, le=10_000)]
