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
Every group's "done" notices fold the same way as they are queued
(`queue_child_done`): a notice still queued in the group is merged with the next
(a community of dozens of sub-units finishing together gets one message).

Every report, final, interim or at cancel, reads the order's rows a page at a time
into one tally (`read_report`): read whole, a city order's 37,074 rows as models were
the bot's peak memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from cascade import report as reports
from cascade.distinct_names import parent_headings
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
# The reports that end an order's loop for the issuer, and so carry a list order's list.
HANDS_OVER_LIST = (*FINISHED, ReportFlavour.CANCELLED)
PAGE_ROWS = 2_000  # order rows read at once for a report
# Units in one merged "done" notice: its dedupe key lists them, and stays well inside
# PostgreSQL's index entry (32-character codes: ~1 KB).
FOLD_UNITS = 30


RowsSink = Callable[[list[TargetState]], None]


async def read_rows(tx: UnitOfWork, order: Order, *sinks: RowsSink) -> None:
    """Every row of the order (the issuer's subtree), a page at a time in path order,
    each page given to each of `sinks`; no caller holds the whole order."""
    cursor: str | None = ""
    while cursor is not None:
        states, cursor = await tx.orders.target_page(order.id, order.issuer_unit, cursor, PAGE_ROWS)
        for sink in sinks:
            sink(states)


def branches_into(codes: list[str]) -> RowsSink:
    """A sink that keeps, in `codes`, the units with sub-units: their boards are the
    ones a reminder, an escalation or a cancel marks for a refresh."""
    return lambda page: codes.extend(s.unit_code for s in page if not s.is_bottom)


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


def child_done_key(order_id: int, parent_code: str, codes: Sequence[str], part: int = 0) -> str:
    """The dedupe key of a "done" notice listing `codes` (one unit's notice, or a merged
    one's): what a queued notice lists is read back from its key when it is folded
    (`listed_codes`). Unit codes are letters, digits, '-', '_' and '.' (cascade/tower.py),
    so ',' and ':' separate them; `part` tells apart the messages of one long list."""
    return f"{child_done_prefix(order_id, parent_code)}{','.join(codes)}:" + (
        f"#{part}" if part else ""
    )


def listed_codes(message: OutgoingMessage, prefix: str) -> list[str]:
    """The units a queued "done" notice lists, from its key (`child_done_key`)."""
    key = message.dedupe_key or ""
    if not key.startswith(prefix):
        return []
    return [code for code in key[len(prefix) :].split(":", 1)[0].split(",") if code]


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
    names = await tx.tower.refs(built.named())
    headings = await _pending_headings(tx, built, names, issuer.code)
    rendered = presenter.final_report(issuer, built, names, flavour, by, headings)
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
    if order.kind is OrderKind.LIST and flavour in HANDS_OVER_LIST and built.items:
        # The merged list itself, labelled by unit: a message when short, else a file
        # (at a cancel too: the lines already sent are the issuer's to use). The group
        # is shown it masked, as every group message is; the issuer gets it whole in
        # his private chat (and /export gives it again if that chat was never opened).
        codes = sorted({code for item in built.items for code in item.units})
        names = await tx.tower.refs(codes)
        for chat_id, private in ((issuer.chat_id, False), (order.issuer_user, True)):
            merged, document = presenter.merged_list(issuer, built, names, private)
            purpose = "merged_list_private" if private else "merged_list"
            ref = MessageRef(purpose=purpose, order_id=order.id, unit_code=issuer.code)
            message = OutgoingMessage.of(chat_id, merged, Priority.REPORT, ref)
            if document is not None:
                message.document = document
                message.filename = f"order-{order.id}-list.csv"
            await tx.outbox.add(message)
    if folded:
        await _fold(tx, presenter, order, issuer, issuer.chat_id, folded)


async def _pending_headings(
    tx: UnitOfWork, built: reports.OrderReport, names: dict[str, UnitRef], scope: str
) -> dict[str, list[str]]:
    """The headings of the parents the 未完成单元 list groups its units under, told
    apart as `/pending`'s are (第2街道 › 第1小区); the issuer's own units go unheaded."""
    shown = built.pending_units[: reports.NAMES_SHOWN]
    parents = {names[c].parent for c in shown if c in names} - {None, scope}
    refs = await tx.tower.refs(sorted(p for p in parents if p is not None)) if parents else {}
    return await parent_headings(tx, list(refs.values()), scope)


async def queue_child_done(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    parent: UnitRef,
    child: UnitRef,
    state: TargetState,
) -> None:
    """`child`'s "done" notice to its parent's group. With others still queued there,
    they and it become one merged notice (each unit with its total): a burst of
    sub-units finishing is one message in the group, not one per unit at its 20
    messages a minute."""
    if parent.chat_id is None:
        return
    taken = await tx.outbox.take(child_done_prefix(order.id, parent.code))
    await _fold(tx, presenter, order, parent, parent.chat_id, taken, (child, state))


async def _fold(
    tx: UnitOfWork,
    presenter: Presenter,
    order: Order,
    parent: UnitRef,
    chat_id: int,
    taken: list[OutgoingMessage],
    new: tuple[UnitRef, TargetState] | None = None,
) -> None:
    """The "done" notices `taken` from `parent`'s group (and `new`'s) queued again as
    one: a single unit's own notice, or merged notices of up to `FOLD_UNITS` units each.
    Each unit is listed once, with its total now; a notice listing a unit no longer
    known goes again as it was."""
    prefix = child_done_prefix(order.id, parent.code)
    codes = list(dict.fromkeys(code for m in taken for code in listed_codes(m, prefix)))
    by_code = await tx.orders.states(order.id, codes) if codes else {}
    names = await tx.tower.refs(codes) if codes else {}
    done: dict[str, tuple[UnitRef, TargetState]] = {}
    for message in taken:
        listed = listed_codes(message, prefix)
        if listed and all(code in names and code in by_code for code in listed):
            for code in listed:
                done.setdefault(code, (names[code], by_code[code]))
        else:
            await tx.outbox.add(message)
    if new is not None:
        done[new[0].code] = new
    units = list(done.values())
    if len(units) == 1:
        child, state = units[0]
        ref = MessageRef(purpose="child_done", order_id=order.id, unit_code=child.code)
        notice = OutgoingMessage.of(
            chat_id, presenter.child_done(order, parent, child, state), Priority.REPORT, ref
        )
        notice.dedupe_key = child_done_key(order.id, parent.code, [child.code])
        await tx.outbox.add(notice)
        return
    ref = MessageRef(purpose="children_done", order_id=order.id, unit_code=parent.code)
    for start in range(0, len(units), FOLD_UNITS):
        chunk = units[start : start + FOLD_UNITS]
        listed = [child.code for child, _ in chunk]
        for part, rendered in enumerate(presenter.children_done(order, parent, chunk)):
            notice = OutgoingMessage.of(chat_id, rendered, Priority.REPORT, ref)
            # Queued, it is folded again with the next one (a part that went out while
            # another is queued has its units repeated, never dropped).
            notice.dedupe_key = child_done_key(order.id, parent.code, listed, part)
            await tx.outbox.add(notice)
