"""Words for where an order stands: `/status` and `/pending`.

`/status` is one message: done of total, per level, the total so far, the time
left, and the units the bot cannot reach. `/pending` lists the units still to
answer under their parents, commanders mentioned, and tells apart those who
have not seen the order from those who pressed 收到 but have no value yet
(different people to chase); it stops at MAX_PENDING_LINES and says how many more.
"""

from __future__ import annotations

from bot.formatting import Formatter
from bot.html import mention
from bot.i18n import Texts
from bot.presenter import BotPresenter
from cascade.orders import OrderKind, OrderStatus
from cascade.queries import PendingView
from cascade.report import OrderReport
from cascade.tower import UnitRef

MAX_PENDING_LINES = 60
MAX_UNREACHABLE_NAMES = 80


def status_text(
    t: Texts,
    fmt: Formatter,
    presenter: BotPresenter,
    loc: str,
    report: OrderReport,
    unreachable: list[UnitRef],
) -> str:
    order = report.order
    levels = fmt.join(
        loc,
        [
            t.get(loc, "status-level", level=fmt.level(loc, s.level), done=s.done, total=s.total)
            for s in report.levels
        ],
    )
    value = ""
    if order.kind is not OrderKind.NOTICE:
        key = "status-total-count" if order.kind is OrderKind.COUNT else "status-total-list"
        value = t.get(loc, key, value=report.total_value) + "\n"
    remaining = (
        t.get(loc, "status-remaining", time=fmt.seconds(loc, report.remaining_seconds))
        if report.remaining_seconds > 0
        else t.get(loc, "status-overdue")
    )
    text = t.get(
        loc,
        "status",
        order=str(order.id),
        kind=presenter.kind(loc, order.kind),
        state=t.get(loc, f"status-{order.status.value}"),
        text=order.text,
        done=report.done,
        total=report.total,
        percent=fmt.percent(report.done, report.total),
        levels=levels,
        value=value,
        elapsed=fmt.seconds(loc, report.elapsed_seconds),
        remaining=remaining if order.status is OrderStatus.OPEN else "",
    )
    if unreachable:
        names = fmt.join(loc, [u.name for u in unreachable[:MAX_UNREACHABLE_NAMES]])
        text = text.rstrip(" ·\n") + "\n" + t.get(loc, "status-unreachable", units=names)
    return text.rstrip(" ·\n")


def pending_text(t: Texts, loc: str, view: PendingView) -> str:
    order_id = str(view.report.order.id)
    count = view.total
    if count == 0:
        return t.get(loc, "pending-none", order=order_id)
    lines = [t.get(loc, "pending-head", order=order_id, count=count)]
    shown = 0
    for group in view.groups:
        if shown >= MAX_PENDING_LINES:
            break
        lines.append(t.get(loc, "pending-group", parent=" › ".join(group.heading)))
        for unit in group.units:
            if shown >= MAX_PENDING_LINES:
                break
            who = mention(unit.commander_name, unit.commander_id)
            line = t.get(loc, "pending-unit", unit=unit.name, commander=who)
            # Not seen at all, or seen (收到) without a value: different people to chase.
            if unit.code in view.seen:
                line += t.get(loc, "pending-seen")
            elif unit.code in view.waiting:
                line += t.get(loc, "pending-seen-below")
            else:
                line += t.get(loc, "pending-unseen")
            lines.append(line)
            shown += 1
    if count > shown:
        lines.append(t.get(loc, "pending-more", count=count - shown))
    return "\n".join(lines)
