"""The loop report to the issuer's group: final, corrected, interim, or at cancel.

Three decisions end in the same report — the last answer (final or corrected),
an escalation round (interim) and a cancel — so the order and deadline services
both send it through this one function, and the report is built from the rows
the same way whichever of them sends it. A finished list order also gets its
merged list, as a message when short, else as a CSV file.
"""

from __future__ import annotations

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


async def send_report(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    issuer: UnitRef,
    states: list[TargetState],
    now: datetime,
    flavour: ReportFlavour,
    by: PersonRef | None = None,
    reply_to: int | None = None,
) -> None:
    """The loop report (final, corrected, interim or at cancel, `by` whom) to the issuer's group."""
    if issuer.chat_id is None:
        return
    built = reports.build(order, states, order.issuer_unit, now)
    names = await tx.tower.refs(built.late_units + built.pending_units)
    rendered = presenter.final_report(issuer, built, names, flavour, by)
    ref = MessageRef(purpose=REPORT_PURPOSE[flavour], order_id=order.id, unit_code=issuer.code)
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
