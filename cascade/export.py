"""One order as a spreadsheet: a row per target unit, for commanders to file and audit.

After a drill or a real loop, HQ wants the evidence in Excel: who received the
order when, what each unit reported, who was late. The rows come from the same
per-unit records as `/status` (and `answered_at` means the same as in
`cascade.report`), so the file and the chat never disagree. Excel guesses the
encoding of a CSV file, and without a byte-order mark it guesses wrong for
Chinese, so the file is UTF-8 with a BOM. Times are ISO 8601 in the tower's
time zone (Asia/Shanghai), with the offset, so they sort and parse everywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, tzinfo

from pydantic import BaseModel

from cascade.orders import Order, TargetState
from cascade.report import answered_at
from cascade.tower import UnitRef

COLUMNS = (
    "code",
    "name",
    "level",
    "parent",
    "commander",
    "received_at",
    "answered_at",
    "value",
    "late",
    "done_at",
)
LIST_SEPARATOR = "; "
BOM = "\ufeff"


class ExportRow(BaseModel):
    """One target unit of one order, as the file shows it."""

    code: str
    name: str
    level: int
    parent: str | None
    commander: str | None
    received_at: datetime | None
    answered_at: datetime | None
    value: str
    late: bool
    done_at: datetime | None


def value_of(state: TargetState) -> str:
    """The unit's own answer: its number, its list lines joined, or nothing."""
    if state.items is not None:
        return LIST_SEPARATOR.join(state.items)
    return "" if state.value is None else str(state.value)


def export_rows(
    order: Order, states: Iterable[TargetState], refs: dict[str, UnitRef]
) -> list[ExportRow]:
    """A row per target in the given order of `states`; the issuer's own row is left out.

    A unit missing from `refs` (removed from the tower since) keeps its code
    and an empty name rather than disappearing from the record.
    """
    rows = []
    for state in states:
        if state.is_root:
            continue
        ref = refs.get(state.unit_code)
        rows.append(
            ExportRow(
                code=state.unit_code,
                name=ref.name if ref else "",
                level=state.level,
                parent=state.parent_code,
                commander=ref.commander_name if ref else None,
                received_at=state.acked_at,
                answered_at=answered_at(state, order.kind),
                value=value_of(state),
                late=state.late,
                done_at=state.done_at,
            )
        )
    return rows


def iso(moment: datetime | None, tz: tzinfo) -> str:
    return "" if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def to_csv(rows: Iterable[ExportRow], tz: tzinfo) -> bytes:
    """The rows as CSV bytes: BOM, a header of `COLUMNS`, CRLF line ends (Excel's own)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            (
                row.code,
                row.name,
                row.level,
                row.parent or "",
                row.commander or "",
                iso(row.received_at, tz),
                iso(row.answered_at, tz),
                row.value,
                "yes" if row.late else "no",
                iso(row.done_at, tz),
            )
        )
    return (BOM + out.getvalue()).encode("utf-8")


class OrderExport(BaseModel):
    """The rows of one order within one scope (the asking unit's subtree)."""

    order: Order
    scope: str
    rows: list[ExportRow]
