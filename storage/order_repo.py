"""Orders and their per-unit rows; the roll-up reads and writes one chain."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from storage.paths import codes_of, path_of, subtree_range

STATE_COLUMNS = (
    "order_id, unit_code, parent_code, path, level, is_root, is_bottom, children_total, "
    "children_done, acked_at, acked_by, answered_at, updated_at, answered_by, value, items, "
    "subtotal, done_at, late"
)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _order(row: aiosqlite.Row) -> Order:
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


def _state(row: aiosqlite.Row) -> TargetState:
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
    ) = row
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
    )


class SqliteOrderRepository:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def create(
        self,
        issuer_unit: str,
        issuer_user: int,
        kind: OrderKind,
        text: str,
        created_at: datetime,
        deadline_at: datetime,
        targets: list[TargetState],
    ) -> Order:
        cur = await self.conn.execute(
            "INSERT INTO orders (issuer_unit, issuer_user, kind, text, created_at, deadline_at, "
            "status, total_targets) VALUES (?,?,?,?,?,?,?,?)",
            (
                issuer_unit,
                issuer_user,
                kind.value,
                text,
                _ts(created_at),
                _ts(deadline_at),
                OrderStatus.OPEN.value,
                sum(1 for t in targets if not t.is_root),
            ),
        )
        order_id = cur.lastrowid
        assert order_id is not None
        paths = _relative_paths(targets)
        await self.conn.executemany(
            "INSERT INTO order_units (order_id, unit_code, parent_code, path, level, is_root, "
            "is_bottom, children_total) VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    order_id,
                    t.unit_code,
                    t.parent_code,
                    paths[t.unit_code],
                    t.level,
                    int(t.is_root),
                    int(t.is_bottom),
                    t.children_total,
                )
                for t in targets
            ],
        )
        order = await self.get(order_id)
        assert order is not None
        return order

    async def get(self, order_id: int) -> Order | None:
        async with self.conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)) as cur:
            row = await cur.fetchone()
        return _order(row) if row else None

    async def save(self, order: Order) -> None:
        await self.conn.execute(
            "UPDATE orders SET status = ?, finished_at = ?, done_targets = ? WHERE id = ?",
            (order.status.value, _ts(order.finished_at), order.done_targets, order.id),
        )

    async def chain(self, order_id: int, unit_code: str) -> list[TargetState]:
        sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
        async with self.conn.execute(sql, (order_id, unit_code)) as cur:
            row = await cur.fetchone()
        if row is None:
            return []
        codes = codes_of(row["path"])
        marks = ",".join("?" * len(codes))
        sql = (
            f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? AND unit_code IN ({marks})"
        )
        async with self.conn.execute(sql, (order_id, *codes)) as cur:
            states = {r["unit_code"]: _state(r) for r in await cur.fetchall()}
        return [states[c] for c in reversed(codes)]

    async def save_states(self, states: list[TargetState]) -> None:
        await self.conn.executemany(
            "UPDATE order_units SET children_done = ?, acked_at = ?, acked_by = ?, "
            "answered_at = ?, updated_at = ?, answered_by = ?, value = ?, items = ?, "
            "subtotal = ?, done_at = ?, late = ? WHERE order_id = ? AND unit_code = ?",
            [
                (
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
                    s.order_id,
                    s.unit_code,
                )
                for s in states
            ],
        )

    async def targets(self, order_id: int, under: str | None = None) -> list[TargetState]:
        if under is None:
            sql = f"SELECT {STATE_COLUMNS} FROM order_units WHERE order_id = ? ORDER BY path"
            args: tuple[object, ...] = (order_id,)
        else:
            sql = "SELECT path FROM order_units WHERE order_id = ? AND unit_code = ?"
            async with self.conn.execute(sql, (order_id, under)) as cur:
                row = await cur.fetchone()
            if row is None:
                return []
            low, high = subtree_range(row["path"])
            sql = (
                f"SELECT {STATE_COLUMNS} FROM order_units "
                "WHERE order_id = ? AND path >= ? AND path < ? ORDER BY path"
            )
            args = (order_id, low, high)
        async with self.conn.execute(sql, args) as cur:
            return [_state(r) for r in await cur.fetchall()]

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
        async with self.conn.execute(sql, (unit_code,)) as cur:
            row = await cur.fetchone()
        return _order(row) if row else None


def _relative_paths(targets: list[TargetState]) -> dict[str, str]:
    """Paths inside the order (root = issuer), parents listed before children."""
    chains: dict[str, list[str]] = {}
    for state in targets:
        above = chains.get(state.parent_code or "", []) if not state.is_root else []
        chains[state.unit_code] = [*above, state.unit_code]
    return {code: path_of(chain) for code, chain in chains.items()}
