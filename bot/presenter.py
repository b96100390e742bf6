"""Words for the domain's messages: the bot's implementation of `Presenter`.

Each message is rendered in the receiving unit's locale, as Telegram HTML with
people's text escaped and commanders mentioned by id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.callbacks import AckCallback, ListSplitCallback
from bot.formatting import Formatter
from bot.html import Markup, join, mention
from bot.i18n import Texts
from cascade import masking
from cascade.list_entries import first_split, marks
from cascade.memo import Memo
from cascade.order_service import AckOutcome
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.outgoing import Button, Countdown, Rendered
from cascade.ports import PersonRef
from cascade.report import NAMES_SHOWN, OrderReport, ReportFlavour
from cascade.tower import Role, UnitRef

MAX_NAMES = NAMES_SHOWN  # the domain reads a report's names for no more units than this
MAX_MERGED_LINES = 40
MAX_MERGED_CHARS = 3500
MAX_LINES = 40
UNGROUPED_NAMED = 5  # units without a group named in an escalation's note; the count covers all
MAX_LIST_SHOWN = 20  # a list answer's entries shown in its line; the count covers all
# The characters of one listed placeable (units with their commanders' mentions): below
# what Fluent accepts in one placeable (2,500) and, shown without the links' HTML, well
# inside Telegram's 4,096 per message.
UNITS_LENGTH = 2000
# A reminder is rendered first with this in the place of its time left (a character
# no escaped text holds), so that the place is known exactly (its `Countdown`).
TIME_LEFT_MARK = Markup("\x1f")


# Copy texts kept at once: each order has a few (languages, bottom or not).
COPY_SHAPES = 256
# A board's child lines kept as drawn (`_child_line`): ~350 bytes each, ~3 MB at most.
CHILD_LINES = 8192

RECORDED_REACTION = "👌"  # one of the emoji a bot may react with


class BotPresenter:
    def __init__(self, texts: Texts, fmt: Formatter) -> None:
        self.t = texts
        self.fmt = fmt
        # Copies' texts by shape (`_copy_text`); cleared when full, never stale: the
        # key holds everything the text is made of.
        self._copies: Memo[tuple[object, ...], str] = Memo(COPY_SHAPES)
        self._lines: Memo[tuple[str, str, int, int], Markup] = Memo(CHILD_LINES)

    def kind(self, locale: str, kind: OrderKind) -> str:
        return self.t.get(locale, f"kind-{kind.value}")

    def order_copy(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> Rendered:
        ack = Button(
            text=self.t.get(unit.locale, "button-ack"),
            callback_data=AckCallback(order_id=order.id).pack(),
        )
        return Rendered(text=self._copy_text(order, unit, issuer, is_bottom), buttons=[[ack]])

    def _copy_text(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> str:
        """A copy's text, made once per shape: it depends only on the order, its issuer's
        name, the language and whether the unit is at the bottom, and each of a city's
        presses re-renders its copy for the "acknowledged" edit (`order_acked`)."""
        shape = (
            order.id,
            order.kind,
            order.text,
            order.deadline_at,
            order.created_at,
            issuer.name,
            unit.locale,
            is_bottom,
        )
        text = self._copies.get(shape)
        if text is None:
            text = self._copies.keep(shape, self._render_copy(order, unit, issuer, is_bottom))
        return text

    def _render_copy(self, order: Order, unit: UnitRef, issuer: UnitRef, is_bottom: bool) -> str:
        loc = unit.locale
        # Bottom units of count/list orders answer with a value; the others only confirm.
        how_key = "how-notice"
        if order.kind is OrderKind.COUNT:
            how_key = "how-count" if is_bottom else "how-value-below"
        elif order.kind is OrderKind.LIST:
            how_key = "how-list" if is_bottom else "how-list-below"
        return self.t.get(
            loc,
            "order-copy",
            order=str(order.id),
            kind=self.kind(loc, order.kind),
            issuer=issuer.name,
            text=order.text,
            deadline=self.fmt.moment(loc, order.deadline_at, order.created_at),
            duration=self.fmt.duration(loc, order.deadline_at - order.created_at),
            how=self.t.get(loc, how_key, order=str(order.id)),
        )

    def order_acked(
        self,
        order: Order,
        unit: UnitRef,
        issuer: UnitRef,
        is_bottom: bool,
        who: PersonRef,
        at: datetime,
    ) -> Rendered:
        """The copy as sent, its button line now saying who acknowledged and when."""
        label = self.t.plain(unit.locale, "button-acked", who=who.name, clock=self.fmt.clock(at))
        ack = Button(text=label, callback_data=AckCallback(order_id=order.id).pack())
        return Rendered(text=self._copy_text(order, unit, issuer, is_bottom), buttons=[[ack]])

    def ack_toast(self, locale: str, outcome: AckOutcome) -> str:
        """The toast a "收到" press shows: thanks, already confirmed, or "reply with the value"."""
        if outcome.needs_value:
            return self.t.plain(locale, "ack-needs-value", kind=self.kind(locale, outcome.kind))
        return self.t.plain(locale, "ack-done" if outcome.first else "ack-again")

    def order_issued(self, order: Order, issuer: UnitRef, by_level: dict[int, int]) -> Rendered:
        loc = issuer.locale
        return Rendered(
            text=self.t.get(
                loc,
                "order-issued",
                order=str(order.id),
                kind=self.kind(loc, order.kind),
                duration=self.fmt.duration(loc, order.deadline_at - order.created_at),
                deadline=self.fmt.moment(loc, order.deadline_at, order.created_at),
                targets=sum(by_level.values()),
                levels=self.fmt.levels(loc, by_level),
            )
        )

    def answer_recorded(
        self, order: Order, unit: UnitRef, state: TargetState, replaced: bool
    ) -> Rendered:
        if order.kind is OrderKind.NOTICE:
            return self.ack_recorded(order, unit, state, waiting=False)
        loc = unit.locale
        late = self.t.get(loc, "answer-replaced") if replaced else ""
        if state.late:
            late += self.t.get(loc, "answer-late")
        if order.kind is OrderKind.LIST:
            return self._list_recorded(order, unit, state.items or [], late)
        text = self.t.get(loc, "answer-count", unit=unit.name, value=state.value, late=late)
        # A plain answer on time is confirmed by a reaction on the person's message: no
        # new message in the group, and none of the city's budget taken from orders and
        # reminders. A correction or a late answer still gets its line, which says so.
        return Rendered(text=text, reaction=None if late else RECORDED_REACTION)

    def ack_recorded(
        self, order: Order, unit: UnitRef, state: TargetState, waiting: bool
    ) -> Rendered:
        """A reply that says 收到 (to a notice or a list order, or "无" from the middle of
        a list order): 👌 on it as a press's toast thanks, a line when late (which says
        so) or when the unit's own list is still `waiting` (which asks for it)."""
        if waiting:
            kind = self.kind(unit.locale, order.kind)
            return Rendered(text=self.t.get(unit.locale, "ack-needs-value", kind=kind))
        late = self.t.get(unit.locale, "answer-late") if state.late else ""
        text = self.t.get(unit.locale, "answer-ack", unit=unit.name, order=str(order.id), late=late)
        return Rendered(text=text, reaction=None if late else RECORDED_REACTION)

    def _list_recorded(self, order: Order, unit: UnitRef, items: list[str], late: str) -> Rendered:
        """A list answer's line, always a message (never a reaction alone): how many
        entries were recorded and which, as the merged list and the reports count them;
        where an entry's 、 or comma may separate entries of their own, one line asks with
        two buttons (the count is wrong either way if the bot guesses)."""
        loc = unit.locale
        if not items:
            return Rendered(text=self.t.get(loc, "answer-list-none", unit=unit.name, late=late))
        # Masked as every group message is (cascade/masking.py): the count and the
        # entries' shapes are what the person checks.
        shown = [masking.list_entry(item) for item in items[:MAX_LIST_SHOWN]]
        listed = join("；" if self.t.pick(loc) != "en" else "; ", shown)
        if len(items) > len(shown):
            listed = join("", [listed, self.t.get(loc, "answer-list-more", count=len(items))])
        text = self.t.get(
            loc, "answer-list", unit=unit.name, count=len(items), items=listed, late=late
        )
        split = first_split(items)
        if split is None:
            return Rendered(text=text)
        index, pieces = split
        # The marks quoted as typed: 「、」, or 「,」「and」 where both separate the pieces.
        between = "」「" if self.t.pick(loc) != "en" else '" "'
        ask = self.t.get(
            loc,
            "answer-list-ask",
            entry=masking.list_entry(items[index]),
            mark=between.join(marks(items[index])),
            count=len(pieces),
        )
        data = ListSplitCallback(order_id=order.id, index=index, count=len(pieces))
        buttons = [
            Button(
                text=self.t.plain(loc, "button-list-split", count=len(pieces)),
                callback_data=data.pack(),
            ),
            Button(
                text=self.t.plain(loc, "button-list-keep"),
                callback_data=data.model_copy(update={"count": 1}).pack(),
            ),
        ]
        return Rendered(text=f"{text}\n{ask}", buttons=[buttons])

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

    def total_corrected(
        self, order: Order, group: UnitRef, unit: UnitRef, old: int, new: int, by: UnitRef
    ) -> Rendered:
        loc = group.locale
        return Rendered(
            text=self.t.get(
                loc,
                "total-corrected",
                order=str(order.id),
                own="yes" if unit.code == group.code else "no",
                unit=unit.name,
                old=old,
                new=new,
                by=by.name,
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
                unit=child.name,
                total=self._total(loc, order, state.subtotal),
            )
        )

    def children_done(
        self, order: Order, parent: UnitRef, done: list[tuple[UnitRef, TargetState]]
    ) -> list[Rendered]:
        loc = parent.locale
        lines = [
            self.t.get(
                loc,
                "children-done-line",
                unit=child.name,
                total=self._total(loc, order, state.subtotal),
            )
            for child, state in done
        ]
        parts: list[list[Markup]] = []
        size = 0
        for line in lines:  # a message stays well inside Telegram's 4,096 characters
            if not parts or size + len(line) > MAX_MERGED_CHARS:
                parts.append([])
                size = 0
            parts[-1].append(line)
            size += len(line) + 1
        return [
            Rendered(
                text=join(
                    "\n",
                    [
                        self.t.get(loc, "children-done", order=str(order.id), count=len(part)),
                        *part,
                    ],
                )
            )
            for part in parts
        ]

    def names(self, locale: str, codes: list[str], refs: dict[str, UnitRef]) -> str:
        shown = [refs[c].name if c in refs else c for c in codes[:MAX_NAMES]]
        text = self.fmt.join(locale, shown)
        if len(codes) > MAX_NAMES:
            text += " " + self.t.get(locale, "report-more", count=len(codes) - MAX_NAMES)
        return text

    def grouped_names(
        self,
        locale: str,
        codes: list[str],
        refs: dict[str, UnitRef],
        headings: Mapping[str, Sequence[str]],
    ) -> Markup:
        """The first `MAX_NAMES` of `codes`, those under a headed parent grouped after
        its heading (第1小区（1号房东、2号房东）), the others by name alone; the rest
        counted (另有 N 个)."""
        groups: dict[str | None, list[str]] = {}
        for code in codes[:MAX_NAMES]:
            parent = refs[code].parent if code in refs else None
            groups.setdefault(parent if parent in headings else None, []).append(code)
        parts: list[Markup] = []
        for parent, members in groups.items():
            listed = self.fmt.join(locale, [refs[c].name if c in refs else c for c in members])
            if parent is None:
                parts.append(listed)
            else:
                heading = " › ".join(headings[parent])
                parts.append(
                    self.t.get(locale, "report-pending-group", parent=heading, units=listed)
                )
        text = join(self.t.plain(locale, "report-pending-separator"), parts)
        if len(codes) > MAX_NAMES:
            text += " " + self.t.get(locale, "report-more", count=len(codes) - MAX_NAMES)
        return text

    def final_report(
        self,
        issuer: UnitRef,
        report: OrderReport,
        names: dict[str, UnitRef],
        flavour: ReportFlavour,
        by: PersonRef | None = None,
        headings: Mapping[str, Sequence[str]] | None = None,
    ) -> Rendered:
        """The loop report; `headings` (parent code → its heading) group the pending
        units under their parents, so two 1号房东 of two 第1小区 are told apart."""
        loc = issuer.locale
        order = report.order
        tail = []
        if by is not None:
            tail.append(
                self.t.get(loc, "report-cancelled-by", who=mention(by.name, by.telegram_id))
            )
        if report.pending_units:
            pending = self.grouped_names(loc, report.pending_units, names, headings or {})
            tail.append(self.t.get(loc, "report-pending", units=pending))
        answered_late = report.late_answered
        if answered_late:
            late = self.names(loc, answered_late, names)
            tail.append(self.t.get(loc, "report-late", units=late))
        else:
            tail.append(self.t.get(loc, "report-late-none"))
        return Rendered(
            text=self.t.get(
                loc,
                "final-report",
                order=str(order.id),
                title=self.t.get(loc, f"report-title-{flavour.value}"),
                text=order.text,
                done=report.done,
                total=report.total,
                percent=self.fmt.percent(report.done, report.total),
                accuracy=f"{report.done}/{report.total}",
                value=self.value_line(loc, report),
                first=self.fmt.seconds(loc, report.first_answer_seconds),
                t50=self.fmt.seconds(loc, report.time_to.get(50)),
                t90=self.fmt.seconds(loc, report.time_to.get(90)),
                t100=self.fmt.seconds(loc, report.time_to.get(100)),
                levels=self.fmt.join(
                    loc,
                    [
                        self.t.get(
                            loc,
                            "report-level",
                            level=self.fmt.level(loc, s.level),
                            median=self.fmt.seconds(loc, s.median_seconds),
                            p90=self.fmt.seconds(loc, s.p90_seconds),
                        )
                        for s in report.levels
                    ],
                ),
                late=join("\n", tail),
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

    def merged_list(
        self, issuer: UnitRef, report: OrderReport, names: dict[str, UnitRef], private: bool
    ) -> tuple[Rendered, bytes | None]:
        """A list order's de-duplicated lines, each with the units that reported it:
        the message itself when short, else a caption and a CSV file. In the issuer's
        group (`private` False) every entry is masked, as in every group message, and
        a line says the whole list went to the issuer privately."""
        loc = issuer.locale
        order = report.order

        def label(codes: list[str]) -> list[str]:
            return [names[c].name if c in names else c for c in codes]

        def shown(text: str) -> str:
            return text if private else masking.list_entry(text)

        lines = [
            self.t.get(
                loc,
                "merged-line",
                text=shown(item.text),
                units=self.fmt.join(loc, label(item.units)),
            )
            for item in report.items
        ]
        head = self.t.get(loc, "merged-head", order=str(order.id), count=len(report.items))
        if not private:
            head = join("\n", [head, self.t.get(loc, "merged-masked", order=str(order.id))])
        text = join("\n", [head, *lines])
        if len(report.items) <= MAX_MERGED_LINES and len(text) <= MAX_MERGED_CHARS:
            return Rendered(text=text), None
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [self.t.plain(loc, "merged-col-item"), self.t.plain(loc, "merged-col-units")]
        )
        for item in report.items:
            writer.writerow([shown(item.text), "、".join(label(item.units))])
        caption = self.t.get(loc, "merged-file", order=str(order.id), count=len(report.items))
        if not private:
            caption = join("\n", [caption, self.t.get(loc, "merged-masked", order=str(order.id))])
        return Rendered(text=caption), out.getvalue().encode("utf-8-sig")

    def cancelled(self, order: Order, unit: UnitRef) -> Rendered:
        return Rendered(text=self.t.get(unit.locale, "cancelled-copy", order=str(order.id)))

    def cancel_done(self, order: Order, asker: UnitRef, issuer: UnitRef, told: int) -> Rendered:
        return Rendered(
            text=self.t.get(
                asker.locale, "cancel-done", order=str(order.id), count=told, issuer=issuer.name
            )
        )

    def reminder(self, order: Order, unit: UnitRef, remaining: timedelta, late: bool) -> Rendered:
        return self._reminder("reminder", order, unit, remaining, late)

    def _reminder(
        self,
        key: str,
        order: Order,
        unit: UnitRef,
        remaining: timedelta,
        late: bool,
        locale: str | None = None,
        **extra: object,
    ) -> Rendered:
        """A reminder to a unit's commander (mentioned) of an order, with the time left,
        in the unit's language or, sent to another group, in that group's (`locale`)."""
        loc = locale or unit.locale
        return self._counting(
            loc,
            remaining,
            lambda left: self.t.get(
                loc,
                key,
                order=str(order.id),
                text=_short(order.text),
                unit=unit.name,
                commander=mention(unit.commander_name, unit.commander_id),
                remaining=left,
                late=self.t.get(loc, "sent-late") if late else "",
                **extra,
            ),
        )

    def _counting(
        self, loc: str, remaining: timedelta, render: Callable[[Markup], Markup]
    ) -> Rendered:
        """A reminder's text with its time left in words and where they stand, so that
        the sender writes them anew as it goes (cascade/countdown.py); without a
        countdown if the mark is not found exactly once (an order's text holding it)."""
        words = self.time_left(loc, remaining)
        marked = render(TIME_LEFT_MARK)
        if marked.count(TIME_LEFT_MARK) != 1:
            return Rendered(text=render(Markup(words)))
        at = marked.index(TIME_LEFT_MARK)
        return Rendered(
            text=str.replace(marked, TIME_LEFT_MARK, words),
            countdown=Countdown(at=at, length=len(words), locale=loc),
        )

    def time_left(self, locale: str, remaining: timedelta) -> str:
        return str(self.fmt.duration(locale, remaining))

    def targeting(self, unit: UnitRef, words: str, roles: list[Role], holders: int | None) -> str:
        """Whom a targeted order is for; role holders answer for their unit (issue 12)."""
        loc = unit.locale
        names = self.fmt.join(loc, [self.t.get(loc, f"role-{r.value}") for r in roles])
        if holders is not None:
            key = "targeting-issued-roles" if roles else "targeting-issued"
            return self.t.get(loc, key, words=words, roles=names, holders=holders)
        key = "targeting-copy-roles" if roles else "targeting-copy"
        return self.t.get(loc, key, words=words, roles=names)

    def reminder_acked(
        self, order: Order, unit: UnitRef, remaining: timedelta, late: bool
    ) -> Rendered:
        """A unit pressed 收到 but sent no value: its own reminder (已收到但未上报数字)."""
        return self._reminder("reminder-acked", order, unit, remaining, late, kind=order.kind.value)

    def reminder_ungrouped(
        self,
        order: Order,
        units: list[UnitRef],
        group: UnitRef,
        remaining: timedelta,
        late: bool,
    ) -> Rendered:
        """Units without a group are still pending: the group above them is asked, in one
        message, to chase them (one alone is named in a sentence of its own)."""
        loc = group.locale
        if len(units) == 1:
            return self._reminder(
                "reminder-ungrouped", order, units[0], remaining, late, locale=loc
            )
        lines = self._unit_lines(loc, units)
        return self._counting(
            loc,
            remaining,
            lambda left: self.t.get(
                loc,
                "reminder-ungrouped-many",
                order=str(order.id),
                text=_short(order.text),
                count=len(units),
                units=lines,
                remaining=left,
                late=self.t.get(loc, "sent-late") if late else "",
            ),
        )

    def _unit_lines(self, loc: str, units: list[UnitRef]) -> Markup:
        """Units, one a line with their commanders mentioned: at most MAX_LINES, and no
        more than fit one placeable (a city's escalation to HQ once listed 40 units with
        their commanders' mentions in 2,522 characters, Fluent refused the text, and the
        escalation was retried every 30 s without ever being sent); 另有 N 个 after."""
        lines: list[Markup] = []
        length = 0
        for u in units[:MAX_LINES]:
            line = self.t.get(
                loc,
                "escalation-unit",
                unit=u.name,
                commander=mention(u.commander_name, u.commander_id),
            )
            if length + len(line) + 1 > UNITS_LENGTH:
                break
            lines.append(line)
            length += len(line) + 1
        if len(units) > len(lines):
            lines.append(self.t.get(loc, "pending-more", count=len(units) - len(lines)))
        return join("\n", lines)

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
        loc = group.locale
        text = self.t.get(
            loc,
            "escalation" if round_ == 0 else "escalation-again",
            order=str(order.id),
            text=_short(order.text),
            count=len(pending),
            units=self._unit_lines(loc, pending),
            overdue=self.fmt.duration(loc, overdue),
            late=self.t.get(loc, "sent-late") if late else "",
        )
        if ungrouped:
            text = join("\n", [text, self._ungrouped_note(loc, ungrouped)])
        return Rendered(text=text)

    def _ungrouped_note(self, loc: str, units: list[UnitRef]) -> Markup:
        """Why units below another unit are named here: that unit has no group of its own
        (its commander mentioned, the person to ask); a few named, the count of all."""
        if len(units) == 1:
            (u,) = units
            return self.t.get(
                loc,
                "escalation-ungrouped",
                unit=u.name,
                commander=mention(u.commander_name, u.commander_id),
            )
        named = [
            self.t.get(
                loc,
                "unit-commander",
                unit=u.name,
                commander=mention(u.commander_name, u.commander_id),
            )
            for u in units[:UNGROUPED_NAMED]
        ]
        return self.t.get(
            loc,
            "escalation-ungrouped-many",
            count=len(units),
            units=join(self.t.get(loc, "list-separator"), named),
            more="" if len(units) <= UNGROUPED_NAMED else self.t.get(loc, "list-and-more"),
        )

    def progress(
        self,
        order: Order,
        unit: UnitRef,
        children: list[tuple[UnitRef, int, int]],
        own: TargetState,
        late: list[UnitRef],
        now: datetime,
    ) -> Rendered:
        loc = unit.locale
        # The same count as /status: the unit's subtree counters (itself included
        # unless it issued the order), not the sum of its children alone.
        done, total = own.sub_done, own.sub_total
        percent = 100 if total == 0 else done * 100 // total
        lines = []
        for child, child_done, child_total in children[:MAX_LINES]:
            lines.append(self._child_line(loc, child.name, child_done, child_total))
        if len(children) > MAX_LINES:
            lines.append(self.t.get(loc, "pending-more", count=len(children) - MAX_LINES))
        if order.status is OrderStatus.CANCELLED:
            clock = self.t.get(loc, "status-cancelled")
        elif order.status is OrderStatus.DONE or done == total:
            clock = self.t.get(loc, "status-done")
        elif now < order.deadline_at:
            clock = self.t.get(
                loc, "status-remaining", time=self.fmt.duration(loc, order.deadline_at - now)
            )
        else:
            clock = self.t.get(loc, "status-overdue")
        extra = ""
        if order.kind is not OrderKind.NOTICE:
            extra = "\n" + self._total(loc, order, own.subtotal)
        if late:
            extra += "\n" + self.t.get(
                loc,
                "report-late",
                units=self.fmt.join(loc, [u.name for u in late[:MAX_NAMES]]),
            )
        return Rendered(
            text=self.t.get(
                loc,
                "progress",
                order=str(order.id),
                text=_short(order.text),
                bar=bar(percent),
                done=done,
                total=total,
                percent=self.fmt.percent(done, total),
                clock=clock,
                children=join("\n", lines),
                extra=extra,
                updated=self.fmt.clock(now),
            )
        )

    def _child_line(self, loc: str, name: str, done: int, total: int) -> Markup:
        """A child's line on a board, drawn once per name and count: an answer storm
        redraws each board many times, and all but a few of its lines are as before
        (their Fluent fill and escaping were a third of a board's drawing)."""
        shape = (loc, name, done, total)
        line = self._lines.get(shape)
        if line is None:
            key = "progress-child-done" if done == total else "progress-child"
            line = self._lines.keep(shape, self.t.get(loc, key, unit=name, done=done, total=total))
        return line

    def unreachable(self, unit: UnitRef, parent: UnitRef, reason: str) -> Rendered:
        return Rendered(
            text=self.t.get(
                parent.locale,
                "unreachable",
                unit=unit.name,
                commander=mention(unit.commander_name, unit.commander_id),
            )
        )

    def reachable_again(self, unit: UnitRef, parent: UnitRef) -> Rendered:
        return Rendered(text=self.t.get(parent.locale, "reachable-again", unit=unit.name))

    def unit_moved(self, unit: UnitRef, new_chat_title: str) -> Rendered:
        """Told to the group a unit left when its commander moved it elsewhere."""
        return Rendered(
            text=self.t.get(unit.locale, "unit-moved", unit=unit.name, chat=new_chat_title)
        )

    def bind_refused(
        self, unit: UnitRef, parent: UnitRef, chat_title: str, who: PersonRef
    ) -> Rendered:
        return Rendered(
            text=self.t.get(
                parent.locale,
                "bind-refused-report",
                unit=unit.name,
                chat=chat_title,
                who=mention(who.name, who.telegram_id),
            )
        )


def bar(percent: int, width: int = 10) -> str:
    """A text progress bar: ▓▓▓▓░░░░░░."""
    filled = min(width, max(0, round(percent * width / 100)))
    return "▓" * filled + "░" * (width - filled)


def _short(text: str, limit: int = 60) -> str:
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"
