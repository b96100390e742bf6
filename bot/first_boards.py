"""The first progress boards of newly issued orders, written in the background.

A city-wide order has ~3,600 units with sub-units, each with a first board rendered
through Fluent (~15 s of CPU here). Written inside the `/order` update, they held
the issuer's confirmation and every update queued behind it. The order's targets
commit with where its boards stand (`boards_cursor`), and each step of boards
commits the cursor with the boards it queued: boards a crash cut off are finished
by `OrderService.resume_writing` at the next start, none twice.
"""

from __future__ import annotations

import asyncio
import logging

from cascade.order_service import OrderService

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class FirstBoards:
    """One task writing the first boards of the orders handed to `due`, oldest first."""

    def __init__(self, orders: OrderService) -> None:
        self.orders = orders
        self._due: set[int] = set()
        self._wake = asyncio.Event()

    def due(self, order_id: int) -> None:
        """An order's targets are committed: its first boards are to be written."""
        self._due.add(order_id)
        self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._due)

    async def run(self) -> None:
        """Write boards until cancelled; a failed step is tried again a second later
        (what was written stays written: the cursor moved with it)."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._due:
                order_id = min(self._due)
                self._due.discard(order_id)
                try:
                    await self.orders.write_boards(order_id)
                except Exception:
                    log.exception("first boards of order %s failed; trying again", order_id)
                    self._due.add(order_id)
                    await asyncio.sleep(RETRY_SECONDS)
