"""The evening report's decision: the day's tally of the whole tower to HQ's group, once.

Yiwu's HQ read its numbers once a day and watched the trend, so each evening
the root unit's group gets the last `TREND_DAYS` days of the whole tower, as
words and a chart. There is nothing to send without a tower or to a root unit
with no group bound; the outcome says which, for the scheduler's log. The two
messages carry the day in their dedupe keys, so a job run twice in one evening
(a restart, a missed run caught up) queues them once.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Protocol

from pydantic import BaseModel

from cascade.outgoing import OutgoingMessage, Priority
from cascade.ports import UnitOfWorkFactory
from cascade.queries import QueryService
from cascade.tallies import TREND_DAYS, Tally
from cascade.tower import UnitRef


class EveningWords(BaseModel):
    """The evening report as the adapter words and draws it."""

    text: str
    caption: str
    chart: bytes


class DailyPresenter(Protocol):
    async def evening_report(self, tally: Tally) -> EveningWords:
        """The report, its chart (PNG) and the chart's caption, in the scope's language."""
        ...


class EveningOutcome(BaseModel):
    """Whether the report was queued; `scope` is HQ's unit (None: no tower loaded);
    `sent_elsewhere`: another worker claimed this day's report first."""

    queued: bool
    scope: UnitRef | None = None
    sent_elsewhere: bool = False


class DailyService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        queries: QueryService,
        presenter: DailyPresenter,
        tz: tzinfo,
    ) -> None:
        self.uow = uow
        self.queries = queries
        self.presenter = presenter
        self.tz = tz

    async def send_evening_report(self) -> EveningOutcome:
        """Queue the day's tally and its chart to the root unit's group."""
        code = await self.queries.root_code()
        if code is None:
            return EveningOutcome(queued=False)
        tally = await self.queries.daily_for(code, TREND_DAYS, self.tz)
        scope = tally.scope
        if scope.chat_id is None:
            return EveningOutcome(queued=False, scope=scope)
        words = await self.presenter.evening_report(tally)
        day = tally.last.day.isoformat()
        async with self.uow() as tx:
            # Every worker's scheduler wakes at the hour: the one that claims the day sends.
            if not await tx.timers.claim_once(
                "daily", f"{scope.code}:{day}", self.queries.clock.now()
            ):
                return EveningOutcome(queued=False, scope=scope, sent_elsewhere=True)
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=scope.chat_id,
                    text=words.text,
                    priority=Priority.REPORT,
                    dedupe_key=f"daily:{scope.code}:{day}",
                )
            )
            await tx.outbox.add(
                OutgoingMessage(
                    chat_id=scope.chat_id,
                    text=words.caption,
                    document=words.chart,
                    filename=f"daily-{day}.png",
                    photo=True,
                    priority=Priority.REPORT,
                    dedupe_key=f"daily-chart:{scope.code}:{day}",
                )
            )
        return EveningOutcome(queued=True, scope=scope)
