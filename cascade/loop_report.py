"""The loop report to the issuer's group: final, corrected, interim, or at cancel.

Three decisions end in the same report — the last answer (final or corrected),
an escalation round (interim) and a cancel — so the order and deadline services
both send it through this one function, and the report is built from the rows
the same way whichever of them sends it. A finished list order also gets its
merged list, as a message when short, else as a CSV file.

The "☑️ … done" notices to the issuer's group that are still queued when the
last answer comes are folded: they are taken from the outbox and sent, after the
report, as one merged notice (or a few, if long) listing each unit with its
total. In a city the whole first level finishes in the last minute; queued one by
one at the group's 20 messages a minute they kept the report waiting for minutes.

Every report, final, interim or at cancel, reads the order's rows a page at a time
into one tally (`read_report`): read whole, a city order's 37,074 rows as models were
the bot's peak memory.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cascade import report as reports
from cascade.orders import Order, OrderKind, TargetState
from cascade.outgoing import MessageRef, OutgoingMessage, Priority
from cascade.ports import PersonRef, UnitOfWork
from cascade.presenter import Presenter
from cascade.report import ReportFlavour
from cascade.tower import UnitRef

REPORT_PURPOSE = {
    ReportFlavour.FINAL: "final_report",
    ReportFlavour.CORRECTED: "final_report",
    ReportFlavour.INTERIM: "interim_report",
    ReportFlavour.CANCELLED: "cancel_report",
}
FINISHED = (ReportFlavour.FINAL, ReportFlavour.CORRECTED)
PAGE_ROWS = 2_000  # order rows read at once for a report


RowsSink = Callable[[list[TargetState]], None]


async def read_rows(tx: UnitOfWork, order: Order, *sinks: RowsSink) -> None:
    """Every row of the order (the issuer's subtree), a page at a time in path order,
    each page given to each of `sinks`; no caller holds the whole order."""
    cursor: str | None = ""
    while cursor is not None:
        states, cursor = await tx.orders.target_page(order.id, order.issuer_unit, cursor, PAGE_ROWS)
        for sink in sinks:
            sink(states)


async def read_report(
    tx: UnitOfWork, order: Order, now: datetime, *also: RowsSink
) -> reports.OrderReport:
    """The whole order's report (the issuer's scope), its rows read a page at a time;
    `also` are given the same pages, for what else a caller needs from the rows (the
    cancel's boards to refresh), in the same one pass."""
    tally = reports.ReportTally(order, order.issuer_unit)
    await read_rows(tx, order, tally.add, *also)
    return tally.result(now)


def child_done_prefix(order_id: int, parent_code: str) -> str:
    """The dedupe-key prefix of an order's "done" notices to one parent's group."""
    return f"child-done:{order_id}:{parent_code}:"


def child_done_key(order_id: int, parent_code: str, unit_code: str) -> str:
    """The dedupe key of `unit_code`'s "done" notice (codes never contain ':')."""
    return f"{child_done_prefix(order_id, parent_code)}{unit_code}:"


async def send_report(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    issuer: UnitRef,
    built: reports.OrderReport,
    flavour: ReportFlavour,
    by: PersonRef | None = None,
    reply_to: int | None = None,
) -> None:
    """The loop report `built` (final, corrected, interim or at cancel, `by` whom) to the
    issuer's group."""
    if issuer.chat_id is None:
        return
    names = await tx.tower.refs(built.late_units + built.pending_units)
    rendered = presenter.final_report(issuer, built, names, flavour, by)
    ref = MessageRef(purpose=REPORT_PURPOSE[flavour], order_id=order.id, unit_code=issuer.code)
    # Taken before the report is queued, so nothing of this order waits ahead of it.
    folded = (
        await tx.outbox.take(child_done_prefix(order.id, issuer.code))
        if flavour in FINISHED
        else []
    )
    await tx.outbox.add(
        OutgoingMessage.of(issuer.chat_id, rendered, Priority.REPORT, ref, reply_to)
    )
    if order.kind is OrderKind.LIST and flavour in FINISHED and built.items:
        # The merged list itself, labelled by unit: a message when short, else a file.
        codes = sorted({code for item in built.items for code in item.units})
        merged, document = presenter.merged_list(issuer, built, await tx.tower.refs(codes))
        ref = MessageRef(purpose="merged_list", order_id=order.id, unit_code=issuer.code)
        message = OutgoingMessage.of(issuer.chat_id, merged, Priority.REPORT, ref)
        if document is not None:
            message.document = document
            message.filename = f"order-{order.id}-list.csv"
        await tx.outbox.add(message)
    if folded:
        await _send_folded(tx, presenter, order, issuer, issuer.chat_id, folded)


async def _send_folded(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    issuer: UnitRef,
    chat_id: int,
    folded: list[OutgoingMessage],
) -> None:
    """The queued "done" notices taken from the issuer's group, as one merged notice
    (a notice whose unit is no longer known goes again as it was)."""
    codes = [m.ref.unit_code for m in folded if m.ref is not None and m.ref.unit_code]
    by_code = await tx.orders.states(order.id, codes)
    names = await tx.tower.refs(codes)
    done = []
    for message in folded:
        code = message.ref.unit_code if message.ref is not None else None
        if code is not None and code in names and code in by_code:
            done.append((names[code], by_code[code]))
        else:
            await tx.outbox.add(message)
    ref = MessageRef(purpose="children_done", order_id=order.id, unit_code=issuer.code)
    for rendered in presenter.children_done(order, issuer, done):
        await tx.outbox.add(OutgoingMessage.of(chat_id, rendered, Priority.REPORT, ref))
