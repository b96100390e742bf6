"""Guided forms (/order, /returnee) that time out.

A form left open used to wait forever for its next step, ready to take the
person's next reply as its answer. The FSM storage here forgets a form
`FORM_TTL` after its last step (time from the injectable clock); a person who
then answers the stale prompt is told the form expired (`expired_just_now`)
instead of getting silence.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from cascade.clock import Clock

FORM_TTL = timedelta(minutes=10)


class ExpiringMemoryStorage(MemoryStorage):
    def __init__(self, clock: Clock, ttl: timedelta = FORM_TTL) -> None:
        super().__init__()
        self.clock = clock
        self.ttl = ttl
        self._touched: dict[StorageKey, datetime] = {}
        self._expired: set[StorageKey] = set()

    def _expire(self, key: StorageKey) -> None:
        touched = self._touched.get(key)
        if touched is not None and self.clock.now() - touched > self.ttl:
            del self._touched[key]
            self.storage.pop(key, None)
            self._expired.add(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await super().set_state(key, state)
        name = state.state if isinstance(state, State) else state
        self._expired.discard(key)
        if name is None:
            self._touched.pop(key, None)
        else:
            self._touched[key] = self.clock.now()

    async def get_state(self, key: StorageKey) -> str | None:
        self._expire(key)
        return await super().get_state(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        self._expire(key)
        return await super().get_data(key)

    def expired_just_now(self, key: StorageKey) -> bool:
        """True once for a form that timed out since its person last wrote."""
        self._expire(key)
        if key in self._expired:
            self._expired.discard(key)
            return True
        return False
