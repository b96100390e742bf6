"""Order timers, runs of recurring jobs, and progress messages waiting for a refresh.

Several workers may share the database (PostgreSQL): a timer is claimed in the
transaction that fires it, a recurring job's run by a row that commits with it.
"""

from __future__ import annotations

from datetime import datetime

from cascade.deadlines import Timer, TimerKind
from storage.conn import Connection, Row
from storage.locking import skip_locked


def _timer(row: Row) -> Timer:
    return Timer(
        order_id=row["order_id"],
        kind=TimerKind(row["kind"]),
        round=row["round"],
        due_at=datetime.fromisoformat(row["due_at"]),
        fired_at=datetime.fromisoformat(row["fired_at"]) if row["fired_at"] else None,
        late=bool(row["late"]),
    )


MARK_DIRTY = "INSERT INTO progress_dirty (order_id, unit_code) VALUES (?,?) ON CONFLICT DO NOTHING"


class SqliteTimerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add(self, timers: list[Timer]) -> None:
        await self.conn.executemany(
            "INSERT INTO order_timers (order_id, kind, round, due_at) VALUES (?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            [(t.order_id, t.kind.value, t.round, t.due_at.isoformat()) for t in timers],
        )

    async def get(self, order_id: int, kind: TimerKind, round_: int) -> Timer | None:
        sql = "SELECT * FROM order_timers WHERE order_id = ? AND kind = ? AND round = ?"
        async with self.conn.execute(sql, (order_id, kind.value, round_)) as cur:
            row = await cur.fetchone()
        return _timer(row) if row else None

    async def claim(self, order_id: int, kind: TimerKind, round_: int) -> Timer | None:
        sql = (
            "SELECT * FROM order_timers WHERE order_id = ? AND kind = ? AND round = ? "
            f"AND fired_at IS NULL{skip_locked(self.conn)}"
        )
        async with self.conn.execute(sql, (order_id, kind.value, round_)) as cur:
            row = await cur.fetchone()
        return _timer(row) if row else None

    async def claim_once(self, name: str, moment: str, at: datetime) -> bool:
        cur = await self.conn.execute(
            "INSERT INTO timer_claims (name, moment, fired_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name, moment) DO NOTHING",
            (name, moment, at.isoformat()),
        )
        return cur.rowcount > 0

    async def mark_fired(self, timer: Timer) -> None:
        assert timer.fired_at is not None
        await self.conn.execute(
            "UPDATE order_timers SET fired_at = ?, late = ? "
            "WHERE order_id = ? AND kind = ? AND round = ?",
            (
                timer.fired_at.isoformat(),
                int(timer.late),
                timer.order_id,
                timer.kind.value,
                timer.round,
            ),
        )

    async def unfired(self, due_by: datetime | None = None) -> list[Timer]:
        sql = "SELECT * FROM order_timers WHERE fired_at IS NULL"
        args: tuple[str, ...] = ()
        if due_by is not None:
            sql += " AND due_at <= ?"
            args = (due_by.isoformat(),)
        async with self.conn.execute(sql + " ORDER BY due_at", args) as cur:
            return [_timer(r) for r in await cur.fetchall()]

    async def mark_dirty(self, order_id: int, codes: list[str]) -> None:
        await self.conn.executemany(MARK_DIRTY, [(order_id, code) for code in codes])

    async def take_dirty(self, limit: int = 500) -> list[tuple[int, str]]:
        # Workers flushing at once each take their own rows (SKIP LOCKED on PostgreSQL).
        sql = f"SELECT order_id, unit_code FROM progress_dirty LIMIT ?{skip_locked(self.conn)}"
        async with self.conn.execute(sql, (limit,)) as cur:
            rows = [(r[0], r[1]) for r in await cur.fetchall()]
        await self.conn.executemany(
            "DELETE FROM progress_dirty WHERE order_id = ? AND unit_code = ?", rows
        )
        return rows
