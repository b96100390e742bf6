"""Words for the domain's messages: the bot's implementation of `Presenter`.

Each message is rendered in the receiving unit's locale, as Telegram HTML with
people's text escaped and commanders mentioned by id.
"""

from __future__ import annotations

from bot.callbacks import AckCallback
from bot.formatting import Formatter
from bot.html import esc
from bot.i18n import Texts
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.outgoing import Button, Rendered
from cascade.ports import UnitRef
from cascade.report import OrderReport

MAX_NAMES = 20


class BotPresenter:
    def __init__(self, texts: Texts, fmt: Formatter) -> None:
        self.t = texts
        self.fmt = fmt

    def kind(self, locale: str, kind: OrderKind) -> str:
        return self.t.get(locale, f"kind-{kind.value}")

    def order_copy(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> Rendered:
        loc = unit.locale
        # Bottom units of count/list orders answer with a value; the others only confirm.
        how_key = "how-notice"
        if order.kind is OrderKind.COUNT:
            how_key = "how-count" if is_bottom else "how-value-below"
        elif order.kind is OrderKind.LIST:
            how_key = "how-list" if is_bottom else "how-value-below"
        text = self.t.get(
            loc,
            "order-copy",
            order=str(order.id),
            kind=self.kind(loc, order.kind),
            issuer=esc(issuer.name),
            text=esc(order.text),
            deadline=self.fmt.clock(order.deadline_at),
            duration=self.fmt.duration(order.deadline_at - order.created_at),
            how=self.t.get(loc, how_key, order=str(order.id)),
        )
        ack = Button(
            text=self.t.get(loc, "button-ack"),
            callback_data=AckCallback(order_id=order.id).pack(),
        )
        return Rendered(text=text, buttons=[[ack]])

    def order_issued(self, order: Order, issuer: UnitRef, by_level: dict[int, int]) -> Rendered:
        loc = issuer.locale
        return Rendered(
            text=self.t.get(
                loc,
                "order-issued",
                order=str(order.id),
                kind=self.kind(loc, order.kind),
                duration=self.fmt.duration(order.deadline_at - order.created_at),
                deadline=self.fmt.clock(order.deadline_at),
                targets=sum(by_level.values()),
                levels=self.fmt.levels(loc, by_level),
            )
        )

    def answer_recorded(
        self, order: Order, unit: UnitRef, state: TargetState, replaced: bool
    ) -> Rendered:
        loc = unit.locale
        late = ""
        if replaced:
            late += self.t.get(loc, "answer-replaced")
        if state.late:
            late += self.t.get(loc, "answer-late")
        if order.kind is OrderKind.LIST:
            text = self.t.get(
                loc, "answer-list", unit=esc(unit.name), count=len(state.items or []), late=late
            )
        else:
            text = self.t.get(
                loc, "answer-count", unit=esc(unit.name), value=state.value, late=late
            )
        return Rendered(text=text)

    def _total(self, locale: str, order: Order, value: int) -> str:
        if order.kind is OrderKind.NOTICE:
            return ""
        key = "total-count" if order.kind is OrderKind.COUNT else "total-list"
        return self.t.get(locale, key, value=value)

    def unit_done(self, order: Order, unit: UnitRef, state: TargetState) -> Rendered:
        loc = unit.locale
        return Rendered(
            text=self.t.get(
                loc,
                "unit-done",
                order=str(order.id),
                children=state.children_total,
                total=self._total(loc, order, state.subtotal),
            )
        )

    def child_done(
        self, order: Order, parent: UnitRef, child: UnitRef, state: TargetState
    ) -> Rendered:
        loc = parent.locale
        return Rendered(
            text=self.t.get(
                loc,
                "child-done",
                order=str(order.id),
                unit=esc(child.name),
                total=self._total(loc, order, state.subtotal),
            )
        )

    def names(self, locale: str, codes: list[str], refs: dict[str, UnitRef]) -> str:
        shown = [esc(refs[c].name) if c in refs else esc(c) for c in codes[:MAX_NAMES]]
        text = self.fmt.join(locale, shown)
        if len(codes) > MAX_NAMES:
            text += " " + self.t.get(locale, "report-more", count=len(codes) - MAX_NAMES)
        return text

    def final_report(
        self, issuer: UnitRef, report: OrderReport, names: dict[str, UnitRef], corrected: bool
    ) -> Rendered:
        loc = issuer.locale
        order = report.order
        flag = ""
        if order.status is OrderStatus.CANCELLED:
            flag = self.t.get(loc, "final-cancelled")
        elif corrected:
            flag = self.t.get(loc, "final-corrected")
        tail = []
        if report.pending_units:
            tail.append(
                self.t.get(
                    loc, "report-pending", units=self.names(loc, report.pending_units, names)
                )
            )
        if report.late_units:
            tail.append(
                self.t.get(loc, "report-late", units=self.names(loc, report.late_units, names))
            )
        else:
            tail.append(self.t.get(loc, "report-late-none"))
        accuracy = f"{report.done}/{report.total}"
        return Rendered(
            text=self.t.get(
                loc,
                "final-report",
                order=str(order.id),
                corrected=flag,
                text=esc(order.text),
                done=report.done,
                total=report.total,
                percent=report.percent,
                accuracy=accuracy,
                value=self.value_line(loc, report),
                first=self.fmt.seconds(report.first_answer_seconds),
                t50=self.fmt.seconds(report.time_to.get(50)),
                t90=self.fmt.seconds(report.time_to.get(90)),
                t100=self.fmt.seconds(report.time_to.get(100)),
                levels=self.fmt.join(
                    loc,
                    [
                        f"{self.fmt.level(loc, s.level)} {self.fmt.seconds(s.median_seconds)}"
                        for s in report.levels
                    ],
                ),
                late="\n".join(tail),
            )
        )

    def value_line(self, loc: str, report: OrderReport) -> str:
        """The totals line (with its newline), empty for notices."""
        order = report.order
        if order.kind is OrderKind.COUNT:
            consistent = self.t.get(
                loc, "consistent-yes" if report.sums_consistent else "consistent-no"
            )
            return (
                self.t.get(
                    loc, "report-total-count", value=report.total_value, consistent=consistent
                )
                + "\n"
            )
        if order.kind is OrderKind.LIST:
            return (
                self.t.get(
                    loc, "report-total-list", value=report.total_value, distinct=len(report.items)
                )
                + "\n"
            )
        return ""

    def cancelled(self, order: Order, unit: UnitRef) -> Rendered:
        return Rendered(text=self.t.get(unit.locale, "cancelled-copy", order=str(order.id)))
