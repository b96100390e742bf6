"""Guided forms' state in the database: one row per person and chat (bot/forms.py).

A form's step lived in the process that opened it; with several workers behind
one webhook, the next step can arrive at another worker, which must see it.
Portable SQL (an upsert, text timestamps), so it runs on either engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.conn import Connection, Row


@dataclass
class FormRow:
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    touched_at: datetime | None = None
    expired: bool = False


COLUMNS = "state, data, touched_at, expired"


def form_of(row: Row) -> FormRow:
    """A stored form from a row of `COLUMNS`."""
    return FormRow(
        state=row[0],
        data=json.loads(row[1]),
        touched_at=datetime.fromisoformat(row[2]) if row[2] else None,
        expired=bool(row[3]),
    )


class SqliteFormRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def get(self, key: str) -> FormRow:
        sql = f"SELECT {COLUMNS} FROM form_states WHERE key = ?"
        async with self.conn.execute(sql, (key,)) as cur:
            row = await cur.fetchone()
        return form_of(row) if row is not None else FormRow()

    async def set_state(self, key: str, state: str | None, at: datetime) -> None:
        """A new step (or none): the form's clock restarts and a timed-out mark goes."""
        touched = at.isoformat() if state is not None else None
        await self.conn.execute(
            "INSERT INTO form_states (key, state, touched_at, expired) VALUES (?, ?, ?, 0) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state, "
            "touched_at = excluded.touched_at, expired = 0",
            (key, state, touched),
        )
        await self._forget_empty(key)

    async def set_data(self, key: str, data: dict[str, Any]) -> None:
        await self.conn.execute(
            "INSERT INTO form_states (key, data) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (key, json.dumps(data, ensure_ascii=False)),
        )
        await self._forget_empty(key)

    async def expire(self, key: str, touched_at: datetime) -> bool:
        """Forget a timed-out form, unless it moved since `touched_at` was read
        (another worker's newer step wins); True when this call forgot it."""
        cur = await self.conn.execute(
            "UPDATE form_states SET state = NULL, data = '{}', touched_at = NULL, expired = 1 "
            "WHERE key = ? AND touched_at = ?",
            (key, touched_at.isoformat()),
        )
        return cur.rowcount > 0

    async def take_expired(self, key: str) -> bool:
        """True once for a form that timed out: the mark is cleared as it is read."""
        cur = await self.conn.execute(
            "UPDATE form_states SET expired = 0 WHERE key = ? AND expired = 1", (key,)
        )
        taken = cur.rowcount > 0
        await self._forget_empty(key)
        return taken

    async def _forget_empty(self, key: str) -> None:
        await self.conn.execute(
            "DELETE FROM form_states WHERE key = ? AND state IS NULL AND data = '{}' "
            "AND expired = 0",
            (key,),
        )
