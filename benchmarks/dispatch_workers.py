"""Several webhook workers side by side for `python -m benchmarks.dispatch --workers N`.

Why: one bot process on one core cannot take issue 9's 2,000 answers a second; the
deployment's way past one core is several `towerbot run --webhook` workers sharing
one PostgreSQL (docs/webhook.md, docs/scaling.md). Here each worker is a process of
its own (benchmarks/dispatch_bot.py with the webhook's secret): the real webhook
handler on its own port of 127.0.0.1, its own inbox lease, each chat kept in order
across workers by bot/worker_order.py, its sender sending while it holds the token's
lease; its Bot API calls relayed to the benchmark's stand-in over a Unix socket.
The stand-in POSTs the updates round robin over the workers (`WebhookPoster`), as a
balancer that reads no body would, so a chat's press and its reply often land on
two workers: exactly the case the workers' chat order is for, and the benchmark
checks that no reply was handled before its chat's press.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks.dispatch import WEBHOOK_SECRET, ChildBot, InstantTelegram, Pending, WebhookPoster
from storage.pg import is_url


class WebhookWorkers:
    """`workers` webhook workers, each a process of its own, fed by one stand-in."""

    pid: int | str = "self"  # memory sampled here is the stand-in's; each worker's peak apart

    def __init__(
        self,
        session: InstantTelegram,
        db: str,
        workers: int,
        concurrency: int,
        paid: bool,
        handled: Callable[[int, float], None],
        connections: int,
    ) -> None:
        if workers > 1 and not is_url(db):
            raise ValueError("several workers share a PostgreSQL database (--db URL), not a file")
        self.children = [
            ChildBot(session, db, concurrency, paid, handled, secret=WEBHOOK_SECRET)
            for _ in range(workers)
        ]
        self.poster = WebhookPoster(session, connections)
        self.peaks: list[float] = []

    @property
    def refused(self) -> int:
        return self.poster.refused

    async def start(self) -> None:
        for child in self.children:  # one after another: each takes its inbox lease
            await child.start()
        await self.poster.open([f"http://127.0.0.1:{c.port}/hook" for c in self.children])

    def hand(self, update: Pending) -> None:
        self.poster.hand(update)

    async def idle(self) -> None:
        return None  # every update handed over was reported handled by its worker

    def press_counts(self) -> dict[str, int] | None:
        return None  # in the workers' processes; the stand-in counts answers per press

    async def stop(self) -> float | None:
        """Stop the workers; the largest worker's peak RSS (VmHWM) in MB, each in `peaks`."""
        try:
            await self.poster.close()
        finally:
            for child in self.children:
                self.peaks.append(await child.stop() or 0.0)
        return max(self.peaks)
