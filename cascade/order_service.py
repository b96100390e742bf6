"""The order loop's decisions: issue, acknowledge, report, cancel.

Each public method is one decision in one unit of work: it checks who may do
it, changes the order rows through the roll-up, and queues every message the
decision causes in the same transaction, so a crash loses nothing half-done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from itertools import pairwise
from typing import TypeVar

from pydantic import BaseModel

from cascade import rollup
from cascade.answer_batch import AnswerBatcher
from cascade.clock import Clock
from cascade.deadlines import ClockPolicy, Timer, first_timers, own_missing, unit_reminder_key
from cascade.errors import Refused
from cascade.list_entries import pieces
from cascade.lookup import resolve_order, unit_of_chat
from cascade.loop_report import branches_into, queue_child_done, read_report, send_report
from cascade.numerals import MAX_COUNT, ApproximateCount, CountTooLarge, parse_count
from cascade.orders import MAX_ORDER_TEXT, Order, OrderKind, OrderStatus, TargetState
from cascade.outgoing import MessageRef, Note, OutgoingMessage, Priority
from cascade.ports import AnswerKey, PersonRef, UnitOfWork, UnitOfWorkFactory, UpdateCarrier
from cascade.presenter import Presenter
from cascade.progress import BOARDS_PER_STEP, queue_boards
from cascade.report import ReportFlavour
from cascade.targeting import OrderFilter, role_holders, select, target_states
from cascade.tower import ANSWERING, UnitRef

T = TypeVar("T")
MAX_LIST_LINES = 500
# What a commander writes to a notice instead of pressing the button.
ACK_WORDS = frozenset(
    {"收到", "已收到", "收", "好", "好的", "明白", "知道了", "已阅", "ok", "okay", "👌", "received"}
)
# "Nothing of our own": a list answer of no entries, and from a unit in the middle of a
# list order, its 收到.
NONE_WORDS = frozenset({"无", "没有", "暂无", "无人", "none", "nothing", "nil", "no"})
# Targets written per transaction: ~25 ms here, so no other update waits long.
STEP_ROWS = 1_000


class AckOutcome(BaseModel):
    """What a "收到" press did, for the answer shown to the person who pressed."""

    order_id: int
    kind: OrderKind
    unit_code: str
    first: bool
    needs_value: bool


class OrderService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        presenter: Presenter,
        admins: frozenset[int] = frozenset(),
        policy: ClockPolicy | None = None,
        on_timers: Callable[[list[Timer]], None] | None = None,
        step_rows: int = STEP_ROWS,
        on_boards: Callable[[int], None] | None = None,
        batch_answers: bool = False,
        updates: UpdateCarrier | None = None,
        batch_uow: UnitOfWorkFactory | None = None,
    ) -> None:
        """`on_boards`, when given, takes an order whose first progress boards are due
        and writes them in the background (`write_boards`): a city order has ~3,600,
        rendered one by one, and the issuer's confirmation must not wait for them.
        Without it they are written before `issue` returns.

        With `batch_answers`, concurrent answers share transactions (group commit,
        cascade/answer_batch.py); `updates` then carries each caller's incoming update
        into the batch's transaction, so it is recorded with the answer, and
        `batch_uow` opens the batches' transactions (`AnswerBatcher`; `uow` if not given)."""
        self.uow = uow
        self.clock = clock
        self.presenter = presenter
        self.admins = admins
        self.policy = policy or ClockPolicy()
        self.on_timers = on_timers
        self.step_rows = step_rows
        self.on_boards = on_boards
        self.batcher = AnswerBatcher(uow, updates, batches=batch_uow) if batch_answers else None

    async def issue(
        self,
        chat_id: int,
        user_id: int,
        kind: OrderKind,
        text: str,
        duration: timedelta,
        reply_to: int | None = None,
        flt: OrderFilter | None = None,
    ) -> Order:
        """Send an order from the chat's unit to every unit below it (or those `flt` picks)."""
        text = text.strip()
        if not text:
            raise Refused("order-text-missing")
        if len(text) > MAX_ORDER_TEXT:
            raise Refused("order-text-too-long", max=MAX_ORDER_TEXT)
        async with self.uow() as tx:
            issuer = await unit_of_chat(tx, chat_id)
            await self._require_answering(
                tx, issuer, user_id, admin_ok=True, key="not-allowed-order"
            )
            now = self.clock.now()
            order = await tx.orders.create(issuer.code, user_id, kind, text, now, now + duration)
            holders = 0
            if flt is not None and not flt.empty:
                holders = await _plan(tx, order.id, issuer, flt)
                planned = await tx.orders.get(order.id)
                assert planned is not None
                order = planned
            if order.total_targets < 1:
                raise Refused("no-units-below", unit=issuer.name)
            timers = first_timers(order, self.policy)
            await tx.timers.add(timers)
            by_level = {
                level: total for level, (_, total) in (await tx.orders.levels(order.id)).items()
            }
            confirmation = self.presenter.order_issued(order, issuer, by_level)
            if flt is not None and not flt.empty:
                note = self.presenter.targeting(issuer, flt.words(), flt.roles, holders)
                confirmation.text = confirmation.text + "\n" + note
            ref = MessageRef(purpose="order_issued", order_id=order.id, unit_code=issuer.code)
            await tx.outbox.add(
                OutgoingMessage.of(chat_id, confirmation, Priority.INTERACTIVE, ref, reply_to),
                draft_of=order.id,
            )
        try:
            await self.write_targets(order.id)
        except BaseException:
            await self._abandon(order.id)
            raise
        await self.release(order.id)
        if self.on_timers is not None:
            self.on_timers(timers)
        await self._boards_due(order.id)
        return order

    async def _boards_due(self, order_id: int) -> None:
        """The order's targets are committed, and with them where its first boards
        stand (`boards_cursor`): a process that dies before they are all written
        finishes them at its next start (`resume_writing`)."""
        if self.on_boards is not None:
            self.on_boards(order_id)
        else:
            await self.write_boards(order_id)

    async def _abandon(self, order_id: int) -> None:
        async with self.uow() as tx:
            await tx.outbox.drop_drafts(order_id)
            await tx.orders.abandon(order_id)

    async def release(self, order_id: int, per_step: int = STEP_ROWS) -> None:
        """Let an order's messages go once every target is written (until then they are
        drafts: a failure half-way sends nothing and leaves nothing)."""
        while True:
            async with self.uow() as tx:
                if await tx.outbox.release(order_id, per_step) < per_step:
                    return

    async def write_targets(self, order_id: int) -> None:
        """Write an issued order's targets and queue its copies as drafts, a short
        transaction per step of `step_rows` units, so other updates never wait long
        behind a city-wide order. Each step is whole (its rows, its copies and where
        the writing stands commit together), so after a crash `resume_writing` carries
        on where it stopped."""
        while True:
            async with self.uow() as tx:
                order = await tx.orders.get(order_id)
                if order is None:
                    return
                if not order.is_open:
                    await tx.orders.stop_writing(order_id)
                    await tx.outbox.drop_drafts(order_id)
                    return
                step = await tx.orders.write_targets(order_id, self.step_rows)
                if step is None:
                    return
                issuer = await tx.tower.ref(order.issuer_unit)
                assert issuer is not None
                shapes = await tx.orders.copy_shapes(step)
                samples = await tx.tower.refs([code for _, _, code in shapes])
                flt = await tx.people.order_filter(order_id)
                copies = []
                # A copy's words depend on the order, the issuer, the unit's language and
                # whether the unit is at the bottom: rendered once per shape, not per unit.
                for locale, is_bottom, code in shapes:
                    sample = samples[code]
                    assert sample.chat_id is not None
                    rendered = self.presenter.order_copy(order, sample, issuer, is_bottom)
                    if flt is not None:  # a targeted order says whom it is for
                        note = self.presenter.targeting(sample, flt.words(), flt.roles, None)
                        rendered.text = rendered.text + "\n" + note
                    ref = MessageRef(purpose="order_copy", order_id=order.id, unit_code=code)
                    message = OutgoingMessage.of(sample.chat_id, rendered, Priority.ORDER, ref)
                    copies.append((locale, is_bottom, message))
                await tx.outbox.add_copies(step, copies)
            if step.last:
                return

    async def write_boards(self, order_id: int, per_step: int = BOARDS_PER_STEP) -> int:
        """Queue the first progress board of every unit with sub-units once the order's
        targets are written, `per_step` boards a transaction; returns how many."""
        queued = 0
        while True:
            async with self.uow() as tx:
                order = await tx.orders.get(order_id)
                if order is None:
                    return queued
                codes = await tx.orders.board_step(order_id, per_step)
                if not codes:
                    return queued
                queued += await queue_boards(tx, self.presenter, order, codes, self.clock, True)

    async def resume_writing(self) -> list[int]:
        """Finish the orders a restart caught half-written; returns their ids."""
        async with self.uow() as tx:
            unfinished = sorted(set(await tx.orders.being_written() + await tx.outbox.drafts_of()))
        for order_id in unfinished:
            await self.write_targets(order_id)
            await self.release(order_id)
            await self._boards_due(order_id)
        return unfinished

    async def check_can_order(self, chat_id: int, user_id: int) -> None:
        """Refuse early (before a form is filled in) if this person may not order here."""
        async with self.uow() as tx:
            issuer = await unit_of_chat(tx, chat_id)
            await self._require_answering(
                tx, issuer, user_id, admin_ok=True, key="not-allowed-order"
            )

    async def acknowledge(
        self, order_id: int, chat_id: int, user_id: int, user_name: str | None = None
    ) -> AckOutcome:
        """The unit of this chat says "收到" to the order (the group sees who, when)."""

        async def decide(tx: UnitOfWork) -> AckOutcome:
            return await self._acknowledge(tx, order_id, chat_id, user_id, user_name)

        return await self._answer(AnswerKey(order_id, chat_id, user_id, True), decide)

    async def _acknowledge(
        self, tx: UnitOfWork, order_id: int, chat_id: int, user_id: int, user_name: str | None
    ) -> AckOutcome:
        order, unit, chain = await self._answering_chain(tx, order_id, chat_id, user_id)
        result = rollup.acknowledge(chain, order.kind, user_id, self.clock.now(), order.deadline_at)
        await self._settle(tx, order, chain, result)
        if result.first_answer:
            await self._show_ack(tx, order, unit, chain[0], user_id, user_name)
        own = chain[0]
        return AckOutcome(
            order_id=order.id,
            kind=order.kind,
            unit_code=unit.code,
            first=result.first_answer,
            needs_value=order.kind is not OrderKind.NOTICE
            and own.is_bottom
            and own.answered_at is None,
        )

    async def report(
        self,
        order_id: int | None,
        chat_id: int,
        user_id: int,
        raw: str,
        reply_to: int | None,
        correction: bool = False,
    ) -> Order:
        """The unit of this chat reports its value (a re-report replaces it)."""

        async def decide(tx: UnitOfWork) -> Order:
            return await self._report(tx, order_id, chat_id, user_id, raw, reply_to, correction)

        return await self._answer(AnswerKey(order_id, chat_id, user_id), decide)

    async def _answer(self, key: AnswerKey, decide: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Decide an answer: in a batch shared with concurrent answers when batching
        (cascade/answer_batch.py), else in a transaction of its own."""
        if self.batcher is not None:
            return await self.batcher.submit(key, decide)
        async with self.uow() as tx:
            return await decide(tx)

    async def _report(
        self,
        tx: UnitOfWork,
        order_id: int | None,
        chat_id: int,
        user_id: int,
        raw: str,
        reply_to: int | None,
        correction: bool,
    ) -> Order:
        here = await unit_of_chat(tx, chat_id)
        named = await _answering_unit(tx, here, user_id, raw)
        if named.code != here.code:
            raw = _after_name(raw, named)  # 「2号房东 5」 from the group above is 5
        if order_id is None:
            order_id = (await self._value_order(tx, named, correction, raw)).id
        order, unit, chain = await self._answering_chain(tx, order_id, chat_id, user_id, named)
        own = chain[0]
        now = self.clock.now()
        replaced = own.answered_at is not None
        if order.kind is OrderKind.NOTICE and not _is_ack(raw):
            raise Refused("notice-no-value", order=order.id)
        acking = order.kind is OrderKind.NOTICE or _is_received(order, raw, own.is_bottom)
        if acking:
            # 收到 to a notice, to a list order, or from a unit in the middle (whose values
            # come from its sub-units; of a list order 无 too) is its press of 收到, shown
            # as the press shows it, never an entry.
            result = rollup.acknowledge(chain, order.kind, user_id, now, order.deadline_at)
            if result.first_answer:
                await self._show_ack(tx, order, unit, own, user_id, None)
        elif not own.is_bottom:
            raise Refused(
                "values-from-below", unit=unit.name, order=order.id, kind=order.kind.value
            )
        else:
            value, items = _parse_value(order, raw)
            result = rollup.answer(chain, order.kind, user_id, now, order.deadline_at, value, items)
        await self._settle(tx, order, chain, result)
        # One per answer: a note, written from its shape's template (cascade/outgoing.py),
        # or a message when it asks with buttons (a list entry that may be several).
        # Written in the language of the chat that reads it: a unit without a group
        # answers in the group above, whose language may not be its own.
        reader = unit
        if unit.chat_id != chat_id:
            chat_locale = (await unit_of_chat(tx, chat_id)).locale
            reader = unit.model_copy(update={"locale": chat_locale})
        if acking:
            waiting = order.kind is not OrderKind.NOTICE and own_missing(own)
            rendered = self.presenter.ack_recorded(order, reader, own, waiting)
        else:
            rendered = self.presenter.answer_recorded(order, reader, own, replaced)
        if rendered.buttons:
            ref = MessageRef(purpose="answer_recorded", order_id=order.id, unit_code=unit.code)
            await tx.outbox.add(
                OutgoingMessage.of(chat_id, rendered, Priority.INTERACTIVE, ref, reply_to)
            )
            return order
        await tx.outbox.add(
            Note.of(
                chat_id,
                rendered,
                Priority.INTERACTIVE,
                "answer_recorded",
                order.id,
                unit.code,
                reply_to,
            )
        )
        return order

    async def split_entry(
        self, order_id: int, chat_id: int, user_id: int, index: int, count: int
    ) -> int:
        """A button under a list answer: entry `index` recorded as its `count` pieces
        between 、 (a re-report, answered like one), or kept as one entry (count 1,
        nothing changes). Returns how many entries it stands for; refused when the
        answer changed since and the entry no longer splits so."""

        async def decide(tx: UnitOfWork) -> int:
            _order, _unit, chain = await self._answering_chain(tx, order_id, chat_id, user_id)
            items = chain[0].items or []
            found = pieces(items[index]) if index < len(items) else None
            if found is None or count not in (1, len(found)):
                raise Refused("list-split-stale")
            if count > 1:
                raw = "\n".join(items[:index] + found + items[index + 1 :])
                await self._report(tx, order_id, chat_id, user_id, raw, None, False)
            return count

        return await self._answer(AnswerKey(order_id, chat_id, user_id), decide)

    async def cancel(
        self,
        order_id: int | None,
        chat_id: int,
        user_id: int,
        user_name: str | None = None,
        reply_to: int | None = None,
    ) -> Order:
        """Stop an open order: pending units are told, the issuer gets the report
        naming who cancelled, and the person who asked is answered where they asked."""
        async with self.uow() as tx:
            # An admin may cancel any order by its number from any unit's group, also one
            # issued below it: an HQ admin in the HQ group was told 与「HQ」无关.
            asker = await unit_of_chat(tx, chat_id)
            anywhere = user_id in self.admins
            order = await resolve_order(tx, order_id, asker, open_only=True, anywhere=anywhere)
            issuer = await tx.tower.ref(order.issuer_unit)
            assert issuer is not None
            await self._require_answering(
                tx, issuer, user_id, admin_ok=True, key="not-allowed-cancel"
            )
            if not order.is_open:
                raise Refused("order-closed", order=order.id)
            now = self.clock.now()
            order.status = OrderStatus.CANCELLED
            order.finished_at = now
            await tx.orders.save(order)
            # The report's pages also give the boards to refresh (units with sub-units).
            branches: list[str] = []
            built = await read_report(tx, order, now, branches_into(branches))
            pending = built.pending_units
            refs = await tx.tower.refs(pending)
            for code in pending:
                unit = refs.get(code)
                # The group where /cancel was typed gets the answer below instead.
                if unit is not None and unit.chat_id not in (None, chat_id):
                    rendered = self.presenter.cancelled(order, unit)
                    ref = MessageRef(purpose="cancelled", order_id=order.id, unit_code=code)
                    await tx.outbox.add(
                        OutgoingMessage.of(unit.chat_id, rendered, Priority.ORDER, ref)
                    )
            await tx.timers.mark_dirty(order.id, branches)
            by = PersonRef(
                name=await tx.tower.person_name(user_id) or user_name or str(user_id),
                telegram_id=user_id,
            )
            here = issuer.chat_id == chat_id
            await send_report(
                tx,
                self.presenter,
                order,
                issuer,
                built,
                ReportFlavour.CANCELLED,
                by=by,
                reply_to=reply_to if here else None,
            )
            if not here:
                rendered = self.presenter.cancel_done(order, asker, issuer, len(pending))
                ref = MessageRef(purpose="cancel_done", order_id=order.id, unit_code=asker.code)
                await tx.outbox.add(
                    OutgoingMessage.of(chat_id, rendered, Priority.INTERACTIVE, ref, reply_to)
                )
            return order

    async def _answering_chain(
        self,
        tx: UnitOfWork,
        order_id: int,
        chat_id: int,
        user_id: int,
        named: UnitRef | None = None,
    ) -> tuple[Order, UnitRef, list[TargetState]]:
        """The order, the unit answering (`named` if the answer named it, else the chat's,
        or one below it without a group, `_answering_unit`) and its chain up to the
        order's root."""
        await tx.orders.lock(order_id)  # answers under one parent must not miss each other
        order = await tx.orders.get(order_id)
        if order is None:
            raise Refused("order-unknown", order=order_id)
        if order.status is OrderStatus.CANCELLED:
            raise Refused("order-cancelled", order=order.id)
        unit = named or await _answering_unit(tx, await unit_of_chat(tx, chat_id), user_id)
        chain = await tx.orders.chain(order.id, unit.code)
        if not chain or chain[0].is_root:
            raise Refused("not-a-target", order=order.id, unit=unit.name)
        flt = await tx.people.order_filter(order.id)
        if flt is not None and flt.roles:
            # A role-targeted order: the role holders answer for the unit, not the commander.
            held = await tx.people.roles_in(unit.code, user_id)
            if not any(role in flt.roles for role in held):
                raise Refused(
                    "not-role-holder",
                    unit=unit.name,
                    roles=" ".join(f"@{r.value}" for r in flt.roles),
                )
            return order, unit, chain
        await self._require_answering(tx, unit, user_id, admin_ok=False, key="not-unit-commander")
        return order, unit, chain

    async def _settle(
        self, tx: UnitOfWork, order: Order, chain: list[TargetState], result: rollup.RollupResult
    ) -> None:
        """Persist the chain and send what the newly done units and totals call for."""
        await tx.orders.save_states(chain)
        if not own_missing(chain[0]):
            # Its reminder, queued but not sent yet, would chase an answer already in
            # (keyed by unit, so under a role filter too; other units' stay queued).
            await tx.outbox.discard(unit_reminder_key(order.id, chain[0].unit_code))
        by_code = {s.unit_code: s for s in chain}
        was_done = order.status is OrderStatus.DONE
        root = chain[-1]
        reporting = root.unit_code in result.newly_done or (was_done and result.changed)
        # Names and groups only when a message needs them: most answers (a bottom unit
        # whose parent is not done yet) send nothing here and skip the lookup.
        wanted = reporting or any(not by_code[c].is_bottom for c in result.newly_done)
        refs = await tx.tower.refs([s.unit_code for s in chain]) if wanted else {}
        for code in result.newly_done:
            state = by_code[code]
            if state.is_root:
                continue
            order.done_targets += 1
            if state.is_bottom:
                continue
            unit = refs[code]
            if unit.chat_id is not None:
                ref = MessageRef(purpose="unit_done", order_id=order.id, unit_code=code)
                rendered = self.presenter.unit_done(order, unit, state)
                await tx.outbox.add(
                    OutgoingMessage.of(unit.chat_id, rendered, Priority.REPORT, ref)
                )
            parent = refs.get(state.parent_code or "")
            if parent is not None:
                await queue_child_done(tx, self.presenter, order, parent, unit, state)
        if result.delta and not result.newly_done and order.kind is not OrderKind.NOTICE:
            await self._tell_corrected_totals(tx, order, chain, result.delta, was_done)
        if result.newly_done:
            await tx.orders.add_done(order.id, rollup.done_by_level(chain, result.newly_done))
        if root.unit_code in result.newly_done:
            order.status = OrderStatus.DONE
            order.finished_at = self.clock.now()
        await tx.orders.save(order)
        await tx.timers.mark_dirty(order.id, [s.unit_code for s in chain[1:]])
        if reporting:
            issuer = refs[root.unit_code]
            flavour = ReportFlavour.CORRECTED if was_done else ReportFlavour.FINAL
            built = await read_report(tx, order, self.clock.now())
            await send_report(tx, self.presenter, order, issuer, built, flavour)

    async def _tell_corrected_totals(
        self, tx: UnitOfWork, order: Order, chain: list[TargetState], delta: int, was_done: bool
    ) -> None:
        """A corrected value changed totals groups were already told (🎉 a unit's own,
        ☑️ a sub-unit's): each such group is told its newest told total once, old → new,
        naming the correcting unit; the issuer's group of a finished order gets the
        corrected report instead. Groups told nothing hear nothing."""
        told: list[tuple[TargetState, TargetState]] = []  # (group's unit, unit whose total)
        for below, state in pairwise(chain):
            if state.is_root and was_done:
                continue
            if state.is_done and not state.is_root:
                told.append((state, state))
            elif below.is_done and not below.is_bottom:
                told.append((state, below))
        if not told:
            return
        refs = await tx.tower.refs([s.unit_code for s in chain])
        by = refs[chain[0].unit_code]
        for group_state, subject in told:
            group = refs[group_state.unit_code]
            if group.chat_id is None:
                continue
            # One line a group and unit while unsent: corrections queued behind the
            # group's budget fold into one, told old → newest (nothing if back to old).
            key = f"total-fixed:{order.id}:{group.code}:{subject.unit_code}:"
            queued = [m.dedupe_key for m in await tx.outbox.take(key) if m.dedupe_key]
            old = int(queued[0].removeprefix(key)) if queued else subject.subtotal - delta
            if old == subject.subtotal:
                continue
            rendered = self.presenter.total_corrected(
                order, group, refs[subject.unit_code], old, subject.subtotal, by
            )
            message = OutgoingMessage.of(group.chat_id, rendered, Priority.REPORT)
            message.dedupe_key = f"{key}{old}"
            await tx.outbox.add(message)

    async def _show_ack(
        self,
        tx: UnitOfWork,
        order: Order,
        unit: UnitRef,
        own: TargetState,
        user_id: int,
        user_name: str | None,
    ) -> None:
        """The order copy's button line says who acknowledged and when (one edit)."""
        issuer = await tx.tower.ref(order.issuer_unit)
        if unit.chat_id is None or issuer is None:
            return
        who = PersonRef(
            name=await tx.tower.person_name(user_id) or user_name or "?", telegram_id=user_id
        )
        rendered = self.presenter.order_acked(
            order, unit, issuer, own.is_bottom, who, own.acked_at or self.clock.now()
        )
        message = OutgoingMessage.of(unit.chat_id, rendered, Priority.ACKNOWLEDGED)
        message.edit_of = MessageRef(purpose="order_copy", order_id=order.id, unit_code=unit.code)
        message.dedupe_key = f"acked:{order.id}:{unit.code}"
        await tx.outbox.add(message)

    async def _value_order(
        self, tx: UnitOfWork, unit: UnitRef, correction: bool, raw: str
    ) -> Order:
        """What `/report VALUE` without a number means: the newest open order still
        waiting for the answering `unit`'s value (for an edited `/report`, the newest one
        it answers, answered or not); otherwise one line saying why there is none."""
        newest = await tx.orders.latest_for_unit(unit.code, open_only=True)
        if newest is not None and newest.kind is OrderKind.NOTICE and _is_ack(raw):
            return newest  # "/report 收到" acknowledges the newest notice
        if newest is not None and _is_received(newest, raw, bottom=False):
            chain = await tx.orders.chain(newest.id, unit.code)
            if chain and not chain[0].is_root and not chain[0].is_bottom:
                return newest  # "/report 收到" (a list's 无) from the middle acknowledges it
        order = await tx.orders.latest_for_unit(
            unit.code, needs_value=not correction, takes_value=correction
        )
        if order is not None:
            return order
        if newest is None:
            raise Refused("no-open-order", unit=unit.name)
        if newest.kind is OrderKind.NOTICE:
            raise Refused("notice-no-value", order=newest.id)
        chain = await tx.orders.chain(newest.id, unit.code)
        if not chain or chain[0].is_root:
            raise Refused("not-a-target", order=newest.id, unit=unit.name)
        if not chain[0].is_bottom:
            raise Refused(
                "values-from-below", unit=unit.name, order=newest.id, kind=newest.kind.value
            )
        raise Refused("nothing-to-report", unit=unit.name, order=newest.id)

    async def _require_answering(
        self, tx: UnitOfWork, unit: UnitRef, user_id: int, admin_ok: bool, key: str
    ) -> None:
        if admin_ok and user_id in self.admins:
            return
        if await tx.tower.position(unit.code, user_id) not in ANSWERING:
            raise Refused(key, unit=unit.name)


async def _answering_unit(tx: UnitOfWork, unit: UnitRef, user_id: int, raw: str = "") -> UnitRef:
    """The unit an answer (a value, a 收到 press) sent in `unit`'s group is for: that
    unit, or, from a person who answers for no unit there, the one unit right below it
    without a group of its own that he commands or deputises. Such a unit's commander
    sits in the group above and the reminders send people to him there; without this
    his answer was refused and the unit stayed pending until the end. A person who
    answers for several such units names the one an answer `raw` is for before the
    value (「2号房东 5」); without a name he is told his units and that form, since
    guessing one would put a number on the wrong unit."""
    if await tx.tower.position(unit.code, user_id) in ANSWERING:
        return unit
    below = [
        seat.unit
        for seat in await tx.tower.memberships(user_id)
        if seat.position in ANSWERING
        and seat.unit.parent == unit.code
        and seat.unit.chat_id is None
    ]
    if len(below) == 1:
        return below[0]
    named = [one for one in below if _after_name(raw, one) != raw]
    if len(named) == 1:
        return named[0]
    if below:
        raise Refused(
            "answers-for-several",
            units="、".join(one.name for one in below),
            example=below[0].name,
        )
    return unit


def _after_name(raw: str, unit: UnitRef) -> str:
    """`raw` without `unit`'s name written before the value (「2号房东 5」, 「2号房东：5」),
    or `raw` itself when it does not begin with that name."""
    text = raw.strip()
    rest = text.removeprefix(unit.name)
    if rest == text or not rest or rest[0] not in " \t\n:：":
        return raw
    return rest.lstrip(" \t\n:：")


async def _plan(tx: UnitOfWork, order_id: int, issuer: UnitRef, flt: OrderFilter) -> int:
    """Plan a targeted order's rows (issue 12): only the units the filter picks, each
    under its nearest picked ancestor; returns how many people hold the filter's roles
    in them (0 without a role filter). The stepwise writing copies the plan."""
    below = await tx.people.target_units(issuer.code)
    chosen = select(below, flt)
    if not chosen:
        raise Refused("order-no-match", words=flt.words(), unit=issuer.name)
    await tx.people.plan_targets(order_id, target_states(issuer.code, issuer.level, below, chosen))
    holders = len({h for u in chosen for h in role_holders(u, flt)}) if flt.roles else 0
    await tx.people.save_filter(order_id, flt, holders)
    return holders


def _is_ack(raw: str) -> bool:
    return raw.strip().lower().rstrip("!！。.") in ACK_WORDS


def _is_received(order: Order, raw: str, bottom: bool) -> bool:
    """Whether `raw` says "received" (收到, ok) to a list order, or from a unit in the
    middle of any order's tower (its press of 收到: a unit without a group of its own
    has no copy to press), or from a unit in the middle of a list order "nothing of
    our own" (无: its list comes from its sub-units)."""
    if _is_ack(raw):
        return order.kind is OrderKind.LIST or not bottom
    return order.kind is OrderKind.LIST and not bottom and _is_none(raw)


def _is_none(raw: str) -> bool:
    """无, none, or a count of nothing alone (0, 零, 0个, 0条): a list of no entries."""
    return raw.strip().lower().rstrip("!！。.") in NONE_WORDS or _bare_count(raw) == 0


def _bare_count(raw: str) -> int | None:
    """The number a list answer is when it is one number alone (5, 五, 5个), else None."""
    try:
        return parse_count(raw.strip().rstrip("!！。."))
    except ValueError:  # words, an estimate (七八) or a number too large
        return None


def _parse_value(order: Order, raw: str) -> tuple[int | None, list[str] | None]:
    if order.kind is OrderKind.COUNT:
        try:
            return parse_count(raw), None
        except ApproximateCount as exc:  # 七八, 十几, 3-5: never summed as 78 or 3
            raise Refused("approx-count", order=order.id, value=raw.strip()[:40]) from exc
        except CountTooLarge as exc:
            raise Refused(
                "count-too-large", order=order.id, value=raw.strip()[:40], max=f"{MAX_COUNT:,}"
            ) from exc
        except ValueError as exc:
            raise Refused("bad-count", order=order.id, value=raw.strip()[:40]) from exc
    if _is_none(raw):
        return None, []  # "无": an answer with no entries, never an entry "无"
    if _bare_count(raw) is not None:  # "5": five of what? A list is its entries
        raise Refused("list-number", order=order.id, value=raw.strip()[:40])
    lines = [
        line.strip(" \t-•·") for line in raw.replace("；", "\n").replace(";", "\n").splitlines()
    ]
    items = [line for line in lines if line]
    if not items:
        raise Refused("bad-list", order=order.id)
    if len(items) > MAX_LIST_LINES:
        raise Refused("list-too-long", max=MAX_LIST_LINES)
    return None, items
