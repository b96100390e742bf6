"""Orders and their per-unit rows; the roll-up reads and writes one chain."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from cascade.memo import Memo
from cascade.orders import Order, OrderKind, OrderStatus, TargetState, TargetStep
from storage.conn import Connection, Row
from storage.locking import order_lock
from storage.paths import codes_of, subtree_range

STATE_COLUMNS = (
    "order_id, unit_code, parent_code, path, level, is_root, is_bottom, children_total, "
    "children_done, acked_at, acked_by, answered_at, updated_at, answered_by, value, items, "
    "subtotal, done_at, late, sub_total, sub_done"
)
# A subtree is the half-open path range [path, path with its last '/' bumped to '0').
SQL_HIGH = "SUBSTR({0}, 1, LENGTH({0}) - 1) || '0'"


# Timestamps as written, by instant and offset: a batch of answers writes each answer's
# time into every row of its chain, and rows read back carry times written before, so
# most repeat; `isoformat` was a twentieth of recording an answer. Bounded: cleared
# when full. The offset is in the key because equal instants at different offsets
# are equal datetimes but different texts.
_WRITTEN: Memo[tuple[datetime, timedelta | None], str] = Memo(4096)


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    key = (value, value.utcoffset())
    text = _WRITTEN.get(key)
    return _WRITTEN.keep(key, value.isoformat()) if text is None else text


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def order_of(row: Row) -> Order:
    return Order(
        id=row["id"],
        issuer_unit=row["issuer_unit"],
        issuer_user=row["issuer_user"],
        kind=OrderKind(row["kind"]),
        text=row["text"],
        created_at=datetime.fromisoformat(row["created_at"]),
        deadline_at=datetime.fromisoformat(row["deadline_at"]),
        status=OrderStatus(row["status"]),
        finished_at=_dt(row["finished_at"]),
        total_targets=row["total_targets"],
        done_targets=row["done_targets"],
    )


def state_of(row: Row) -> TargetState:
    """A row selected as `STATE_COLUMNS`, read by position: an order of 37,000 units is
    read whole for every progress refresh of the HQ board, and lookups by column name
    cost a third of that."""
    (
        order_id,
        unit_code,
        parent_code,
        _path,
        level,
        is_root,
        is_bottom,
        children_total,
        children_done,
        acked_at,
        acked_by,
        answered_at,
        updated_at,
        answered_by,
        value,
        items,
        subtotal,
        done_at,
        late,
        sub_total,
        sub_done,
    ) = row
    # Every column converted to its field's type here (a plain record: no validation).
    return TargetState(
        order_id=order_id,
        unit_code=unit_code,
        parent_code=parent_code,
        level=level,
        is_root=bool(is_root),
        is_bottom=bool(is_bottom),
        children_total=children_total,
        children_done=children_done,
        acked_at=_dt(acked_at),
        acked_by=acked_by,
        answered_at=_dt(answered_at),
        updated_at=_dt(updated_at),
        answered_by=answered_by,
        value=value,
        items=json.loads(items) if items is not None else None,
        subtotal=subtotal,
        done_at=_dt(done_at),
        late=bool(late),
        sub_total=sub_total,
        sub_done=sub_done,
    )


SAVE_STATE = (
    "UPDATE order_units SET children_done = ?, acked_at = ?, acked_by = ?, "
    "answered_at = ?, updated_at = ?, answered_by = ?, value = ?, items = ?, "
    "subtotal = ?, done_at = ?, late = ?, sub_done = ? WHERE order_id = ? AND unit_code = ?"
)
SAVE_ORDER = "UPDATE orders SET status = ?, finished_at = ?, done_targets = ? WHERE id = ?"
ADD_DONE = "UPDATE order_levels SET done = done + ? WHERE order_id = ? AND level = ?"


def state_row(s: TargetState) -> tuple[object, ...]:
    """`SAVE_STATE`'s parameters for one row."""
    return (
        s.children_done,
        _ts(s.acked_at),
        s.acked_by,
        _ts(s.answered_at),
        _ts(s.updated_at),
        s.answered_by,
        s.value,
        json.dumps(s.items, ensure_ascii=False) if s.items is not None else None,
        s.subtotal,
        _ts(s.done_at),
        int(s.late),
        s.sub_done,
        s.order_id,
        s.unit_code,
    )


def order_row(order: Order) -> tuple[object, ...]:
    """`SAVE_ORDER`'s parameters."""
    return (order.status.value, _ts(order.finished_at), order.done_targets, order.id)


def step_range(step: TargetStep, alias: str) -> tuple[str, tuple[str, str]]:
    """The units of a step as a condition on `alias.path` with one lower and one upper
    bound, so the index range starts where the step starts (with a second lower
    bound the planner may start at the issuer and walk every step written before)."""
    lower = f"{alias}.path >= ?" if step.after == "" else f"{alias}.path > ?"
    upper = f"{alias}.path < ?" if step.last else f"{alias}.path <= ?"
    return (
        f"{lower} AND {upper}",
        (step.low if step.after == "" else step.after, step.high if step.last else step.upto),
    )


def _one(rows: Iterable[Row]) -> Row | None:
    """The first row of a result read in one hop to the database thread
    (`execute_fetchall`: a cursor's execute, fetch and close are three)."""
    return next(iter(rows), None)


class SqliteOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def create(
        self,
        issuer_unit: str,
        issuer_user: int,
        kind: OrderKind,
        text: str,
        created_at: datetime,
        deadline_at: datetime,
    ) -> Order:
        """The order row and its per-level counters; the targets are written afterwards
        in short steps (`write_targets`), so no step holds the database for long."""
        low, high = await self._range(issuer_unit)
        rows = await self.conn.execute_fetchall(
            "INSERT INTO orders (issuer_unit, issuer_user, kind, text, created_at, deadline_at, "
            "status, total_targets, issue_cursor, boards_cursor) "
            "VALUES (?,?,?,?,?,?,?, (SELECT COUNT(*) - 1 FROM units WHERE path >= ? AND path < ?),"
            " '', '') RETURNING id",
            (
                issuer_unit,
                issuer_user,
                kind.value,
                text,
                _ts(created_at),
                _ts(deadline_at),
                OrderStatus.OPEN.value,
                low,
                high,
            ),
        )
        (row,) = rows
        order_id = int(row[0])
        await self.conn.execute(
            "INSERT INTO order_levels (order_id, level, total) SELECT ?, level, COUNT(*) "
            "FROM units WHERE path >= ? AND path < ? AND code <> ? GROUP BY level",
            (order_id, low, high, issuer_unit),
        )
        order = await self.get(order_id)
        assert order is not None
        return order

    async def _range(self, code: str) -> tuple[str, str]:
        row = _one(
            await self.conn.execute_fetchall("SELECT path FROM units WHERE code = ?", (code,))
        )
        if row is None:
            raise LookupError(f"no unit {code!r}")
        return subtree_range(row["path"])

    async def write_targets(self, order_id: int, limit: int) -> TargetStep | None:
        """Write the next `limit` targets of an order being written (parents before
        children, in path order), set-based from the tower; None when all are written."""
        await order_lock(self.conn, order_id)  # a restarted worker may resume it too
        async with self.conn.execute(
            "SELECT issuer_unit, issue_cursor FROM orders WHERE id = ?", (order_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None or row["issue_cursor"] is None:
            return None
        issuer, after = row["issuer_unit"], row["issue_cursor"]
        low, high = await self._range(issuer)
        first = ("path >= ?", low) if after == "" else ("path > ?", after)
        async with self.conn.execute(
            f"SELECT path FROM units WHERE {first[0]} AND path < ? ORDER BY path LIMIT 1 OFFSET ?",
            (first[1], high, limit - 1),
        ) as cur:
            bound = await cur.fetchone()
        upto = bound["path"] if bound is not None else high
        last = bound is None
        step = TargetStep(order_id=order_id, after=after, upto=upto, low=low, high=high, last=last)
        where, args = step_range(step, "u")
        # Paths inside the order start at the issuer: cut what lies above it.
        start = low.rindex("/", 0, len(low) - 1) + 1
        if await self._planned(order_id):
            # A targeted order (issue 12): the picked units as planned, not the whole tower.
            await self.conn.execute(
                "INSERT INTO order_units (order_id, unit_code, parent_code, path, level, "
                "is_root, is_bottom, children_total, sub_total) "
                "SELECT ?, p.unit_code, p.parent_code, p.path, p.level, p.is_root, p.is_bottom, "
                "p.children_total, p.sub_total FROM units u CROSS JOIN order_plan p "
                f"WHERE p.order_id = ? AND p.unit_code = u.code AND {where}",
                (order_id, order_id, *args),
            )
            await self.conn.execute(
                "UPDATE orders SET issue_cursor = ? WHERE id = ?",
                (None if last else upto, order_id),
            )
            return step
        await self.conn.execute(
            "INSERT INTO order_units (order_id, unit_code, parent_code, path, level, is_root, "
            "is_bottom, children_total, sub_total) "
            "SELECT ?, u.code, CASE WHEN u.code = ? THEN NULL ELSE u.parent END, "
            "SUBSTR(u.path, ?), u.level, CASE WHEN u.code = ? THEN 1 ELSE 0 END, "
            "CASE WHEN EXISTS (SELECT 1 FROM units c WHERE c.parent = u.code) THEN 0 ELSE 1 END, "
            "(SELECT COUNT(*) FROM units c WHERE c.parent = u.code), "
            "(SELECT COUNT(*) FROM units d WHERE d.path >= u.path AND d.path < "
            + SQL_HIGH.format("u.path")
            + ") - CASE WHEN u.code = ? THEN 1 ELSE 0 END "
            f"FROM units u WHERE {where}",
            (order_id, issuer, start, issuer, issuer, *args),
        )
        await self.conn.execute(
            "UPDATE orders SET issue_cursor = ? WHERE id = ?", (None if last else upto, order_id)
        )
        return step

    async def _planned(self, order_id: int) -> bool:
        sql = "SELECT 1 FROM order_plan WHERE order_id = ? LIMIT 1"
        async with self.conn.execute(sql, (order_id,)) as cur:
            return await cur.fetchone() is not None

    async def stop_writing(self, order_id: int) -> None:
        """A cancelled order writes no more targets nor first boards."""
        await self.conn.execute(
            "UPDATE orders SET issue_cursor = NULL, boards_cursor = NULL WHERE id = ?",
            (order_id,),
        )

    async def abandon(self, order_id: int) -> None:
        """Remove every trace of an order that could not be written (its drafts go
        with `OutboxRepository.drop_drafts`)."""
        for table in (
            "order_units",
            "order_levels",
            "order_timers",
            "progress_dirty",
            "order_plan",
            "order_filters",
        ):
            await self.conn.execute(f"DELETE FROM {table} WHERE order_id = ?", (order_id,))
        await self.conn.execute("DELETE FROM orders WHERE id = ?", (order_id,))

    async def copy_shapes(self, step: TargetStep) -> list[tuple[str, bool, str]]:
        """(locale, is_bottom, a unit of that shape) of the copies a step sends."""
        where, args = step_range(step, "u")
        sql = (
            # CROSS JOIN keeps the step's units as the outer loop (SQLite otherwise may
            # walk every row of the order written so far); standard SQL all the same.
            "SELECT u.locale, t.is_bottom, MIN(u.code) FROM units u CROSS JOIN order_units t "
            f"WHERE t.order_id = ? AND t.unit_code = u.code AND {where} "
            "AND t.is_root = 0 AND u.chat_id IS NOT NULL GROUP BY u.locale, t.is_bottom"
        )
        return [
            (r[0], bool(r[1]), r[2])
            for r in (await self.conn.execute_fetchall(sql, (step.order_id, *args)))
        ]

    async def board_step(self, order_id: int, limit: int) -> list[str] | None:
        """The next units (with sub-units) whose first board is due, once every target
        is written; None when there are none left."""
        # Before the cursor is read: a worker starting while another writes this
        # order's boards (or two starting together) would read the same cursor at
        # PostgreSQL's read committed and queue the same boards twice.
        await order_lock(self.conn, order_id)
        async with self.conn.execute(
            "SELECT issue_cursor, boards_cursor FROM orders WHERE id = ?", (order_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None or row["issue_cursor"] is not None or row["boards_cursor"] is None:
            return None
        sql = (
            "SELECT unit_code, path FROM order_units WHERE order_id = ? AND path > ? "
            "AND is_bottom = 0 ORDER BY path LIMIT ?"
        )
        rows = list(await self.conn.execute_fetchall(sql, (order_id, row["boards_cursor"], limit)))
        cursor = rows[-1]["path"] if len(rows) == limit else None
        await self.conn.execute(
            "UPDATE orders SET boards_cursor = ? WHERE id = ?", (cursor, order_id)
        )
        return [r["unit_code"] for r in rows]

    async def being_written(self) -> list[int]:
        """Orders whose targets or first boards are not all written (after a restart)."""
        sql = (
            "SELECT id FROM orders WHERE issue_cursor IS NOT NULL OR boards_cursor IS NOT NULL "
            "ORDER BY id"
        )
        return [r[0] for r in (await self.conn.execute_fetchall(sql))]

    async def states(self, order_id: int, codes: list[str]) -> dict[str, TargetState]:
        """The rows of these units."""
        return {
            state.unit_code: state for state in await self._rows_of(order_id, "unit_code", codes)
        }

    async def children(self, order_id: int, codes: list[str]) -> dict[str, list[TargetState]]:
        """The rows of these units' children in the order, in path order."""
        out: dict[str, list[TargetState]] = {c: [] for c in codes}
        for state in await self._rows_of(order_id, "parent_code", codes, by_path=True):
            if state.parent_code is not None:  # always: it matched one of `codes`
                out[state.parent_code].append(state)
        return out

    async def _rows_of(
        self, order_id: int, column: str, codes: list[str], by_path: bool = False
    ) -> list[TargetState]:
        """The order's rows whose `column` is one of `codes`, read 500 codes a query
        (SQLite's bound-parameter limit), sorted by path here when `by_path`: with
        ORDER BY path, SQLite walked the whole order by its path index (37,000 rows at
        Yiwu, ~20 ms) instead of looking the few codes up by theirs."""
        raw: list[Row] = []
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? AND {column} IN ({marks})"
            raw += await self.conn.execute_fetchall(sql, (order_id, *chunk))
        if by_path:
            raw.sort(key=lambda row: str(row[3]))
        return [state_of(row) for row in raw]

    async def levels(self, order_id: int, under: str | None = None) -> dict[int, tuple[int, int]]:
        """level → (done, total) of the order's targets, or of one unit's subtree."""
        if under is None:
            sql = "SELECT level, done, total FROM order_levels WHERE order_id = ? ORDER BY level"
            args: tuple[object, ...] = (order_id,)
        else:
            sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
            row = _one(await self.conn.execute_fetchall(sql, (order_id, under)))
            if row is None:
                return {}
            low, high = subtree_range(row["path"])
            sql = (
                "SELECT level, COUNT(done_at), COUNT(*) FROM order_units WHERE order_id = ? "
                "AND path >= ? AND path < ? AND is_root = 0 GROUP BY level ORDER BY level"
            )
            args = (order_id, low, high)
        return {r[0]: (r[1], r[2]) for r in (await self.conn.execute_fetchall(sql, args))}

    async def pending(self, order_id: int, under: str, limit: int) -> list[TargetState]:
        """The first `limit` not-done targets of `under`'s subtree, by level then code."""
        sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
        row = _one(await self.conn.execute_fetchall(sql, (order_id, under)))
        if row is None:
            return []
        low, high = subtree_range(row["path"])
        sql = (
            f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? AND path >= ? "
            "AND path < ? AND is_root = 0 AND done_at IS NULL ORDER BY level, unit_code LIMIT ?"
        )
        return [
            state_of(r) for r in await self.conn.execute_fetchall(sql, (order_id, low, high, limit))
        ]

    async def add_done(self, order_id: int, by_level: dict[int, int]) -> None:
        """Count targets newly done in the per-level counters."""
        await self.conn.executemany(
            ADD_DONE, [(n, order_id, level) for level, n in by_level.items()]
        )

    async def get(self, order_id: int) -> Order | None:
        row = _one(
            await self.conn.execute_fetchall("SELECT * FROM orders WHERE id = ?", (order_id,))
        )
        return order_of(row) if row else None

    async def save(self, order: Order) -> None:
        await self.conn.execute(SAVE_ORDER, order_row(order))

    async def lock(self, order_id: int) -> None:
        await order_lock(self.conn, order_id)

    async def chain(self, order_id: int, unit_code: str) -> list[TargetState]:
        sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
        row = _one(await self.conn.execute_fetchall(sql, (order_id, unit_code)))
        if row is None:
            return []
        codes = codes_of(row["path"])
        marks = ",".join("?" * len(codes))
        sql = (
            f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? AND unit_code IN ({marks})"
        )
        states = {
            r["unit_code"]: state_of(r)
            for r in (await self.conn.execute_fetchall(sql, (order_id, *codes)))
        }
        return [states[c] for c in reversed(codes)]

    async def save_states(self, states: list[TargetState]) -> None:
        await self.conn.executemany(SAVE_STATE, [state_row(s) for s in states])

    async def target_page(
        self, order_id: int, under: str, after: str, limit: int
    ) -> tuple[list[TargetState], str | None]:
        """The next `limit` rows of `under`'s subtree (itself included) in path order
        after the cursor `after` ("": from the start), and the cursor of the page that
        follows (None after the last): a city's 37,000 rows read a page at a time."""
        sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
        row = _one(await self.conn.execute_fetchall(sql, (order_id, under)))
        if row is None:
            return [], None
        low, high = subtree_range(row["path"])
        sql = (
            f"SELECT {STATE_COLUMNS} FROM order_units "
            "WHERE order_id = ? AND path >= ? AND path > ? AND path < ? ORDER BY path LIMIT ?"
        )
        rows = list(await self.conn.execute_fetchall(sql, (order_id, low, after, high, limit)))
        cursor = rows[-1]["path"] if len(rows) == limit else None
        return [state_of(r) for r in rows], cursor

    async def targets(self, order_id: int, under: str | None = None) -> list[TargetState]:
        if under is None:
            sql = f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? ORDER BY path"
            args: tuple[object, ...] = (order_id,)
        else:
            sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
            row = _one(await self.conn.execute_fetchall(sql, (order_id, under)))
            if row is None:
                return []
            low, high = subtree_range(row["path"])
            sql = (
                f"SELECT {STATE_COLUMNS} FROM order_units "
                "WHERE order_id = ? AND path >= ? AND path < ? ORDER BY path"
            )
            args = (order_id, low, high)
        return [state_of(r) for r in (await self.conn.execute_fetchall(sql, args))]

    async def latest_for_unit(
        self,
        unit_code: str,
        open_only: bool = False,
        needs_value: bool = False,
        takes_value: bool = False,
    ) -> Order | None:
        values = needs_value or takes_value
        sql = (
            "SELECT o.* FROM order_units t JOIN orders o ON o.id = t.order_id "
            "WHERE t.unit_code = ? "
            + ("AND o.status = 'open' " if open_only or values else "")
            + ("AND o.kind != 'notice' AND t.is_bottom = 1 AND t.is_root = 0 " if values else "")
            + ("AND t.answered_at IS NULL " if needs_value else "")
            + "ORDER BY o.id DESC LIMIT 1"
        )
        row = _one(await self.conn.execute_fetchall(sql, (unit_code,)))
        return order_of(row) if row else None
