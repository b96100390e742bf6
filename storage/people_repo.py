"""Person slots (the `members` rows) with roles and phones, and the /member audit trail."""

from __future__ import annotations

import json
from datetime import datetime

from cascade.orders import OrderKind, TargetState
from cascade.people import MemberChange, PersonSeat
from cascade.ports import AnswerRecord
from cascade.targeting import OrderFilter, TargetUnit
from cascade.tower import Person, Position, Role, Unit
from storage.conn import Connection, Row, is_postgres
from storage.paths import path_of, subtree_range
from storage.tower_repo import REF_COLUMNS, ref_of

_UNIT_COLUMNS = ", ".join("u." + c.strip() for c in REF_COLUMNS.split(","))
_SEAT_SQL = (
    f"SELECT m.seq, m.position, m.name AS person_name, m.telegram_id, m.roles, m.phone, "
    f"{_UNIT_COLUMNS} FROM members m JOIN units u ON u.code = m.unit_code "
)


def _seat(row: Row) -> PersonSeat:
    return PersonSeat(
        unit=ref_of(row),
        seq=row["seq"],
        position=Position(row["position"]),
        name=row["person_name"],
        telegram_id=row["telegram_id"],
        roles=[Role(r) for r in json.loads(row["roles"] or "[]")],
        phone=row["phone"],
    )


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqlitePeopleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def _seats(self, where: str, params: tuple[object, ...]) -> list[PersonSeat]:
        sql = _SEAT_SQL + where + " ORDER BY u.level, u.path, m.seq"
        async with self.conn.execute(sql, params) as cur:
            return [_seat(r) for r in await cur.fetchall()]

    async def seats_of(self, telegram_id: int) -> list[PersonSeat]:
        return await self._seats("WHERE m.telegram_id = ?", (telegram_id,))

    async def seats_named(self, name: str) -> list[PersonSeat]:
        return await self._seats("WHERE m.name = ?", (name,))

    async def seats_in(self, code: str) -> list[PersonSeat]:
        return await self._seats("WHERE m.unit_code = ?", (code,))

    async def add(self, code: str, seat: PersonSeat) -> int:
        """A new slot at the end of the unit's roll; returns its `seq`."""
        async with self.conn.execute(
            "SELECT COALESCE(MAX(seq), -1) + 1 FROM members WHERE unit_code = ?", (code,)
        ) as cur:
            row = await cur.fetchone()
        seq = int(row[0]) if row else 0
        await self.conn.execute(
            "INSERT INTO members (unit_code, seq, position, name, telegram_id, roles, phone) "
            "VALUES (?,?,?,?,?,?,?)",
            (
                code,
                seq,
                seat.position.value,
                seat.name,
                seat.telegram_id,
                json.dumps([r.value for r in seat.roles]),
                seat.phone,
            ),
        )
        await self._refresh_doc(code)
        return seq

    async def update(self, seat: PersonSeat) -> None:
        await self.conn.execute(
            "UPDATE members SET name = ?, roles = ?, phone = ?, telegram_id = ? "
            "WHERE unit_code = ? AND seq = ?",
            (
                seat.name,
                json.dumps([r.value for r in seat.roles]),
                seat.phone,
                seat.telegram_id,
                seat.unit.code,
                seat.seq,
            ),
        )
        await self._refresh_doc(seat.unit.code)

    async def remove(self, code: str, seq: int) -> None:
        await self.conn.execute("DELETE FROM members WHERE unit_code = ? AND seq = ?", (code, seq))
        await self._refresh_doc(code)

    async def _refresh_doc(self, code: str) -> None:
        """The unit's stored document follows its roll, so a re-import diffs against it."""
        async with self.conn.execute("SELECT doc FROM units WHERE code = ?", (code,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return
        unit = Unit.model_validate_json(row["doc"])
        seats = await self.seats_in(code)

        def person(seat: PersonSeat) -> Person:
            return Person(
                name=seat.name, telegram_id=seat.telegram_id, roles=seat.roles, phone=seat.phone
            )

        commanders = [person(s) for s in seats if s.position is Position.COMMANDER]
        unit.commander = commanders[0] if commanders else None
        unit.deputies = [person(s) for s in seats if s.position is Position.DEPUTY]
        unit.members = [person(s) for s in seats if s.position is Position.MEMBER]
        await self.conn.execute(
            "UPDATE units SET doc = ? WHERE code = ?", (unit.model_dump_json(), code)
        )

    async def log(self, change: MemberChange) -> None:
        await self.conn.execute(
            "INSERT INTO member_log (unit_code, actor, at, action, before, after) "
            "VALUES (?,?,?,?,?,?)",
            (
                change.unit_code,
                change.actor,
                change.at.isoformat(),
                change.action,
                change.before.model_dump_json() if change.before else None,
                change.after.model_dump_json() if change.after else None,
            ),
        )

    async def changes(self, codes: list[str], limit: int = 20) -> list[MemberChange]:
        out: list[MemberChange] = []
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT id, unit_code, actor, at, action, before, after FROM member_log "
                f"WHERE unit_code IN ({marks}) ORDER BY id DESC LIMIT ?"
            )
            async with self.conn.execute(sql, (*chunk, limit)) as cur:
                for r in await cur.fetchall():
                    out.append(
                        MemberChange(
                            id=r["id"],
                            unit_code=r["unit_code"],
                            actor=r["actor"],
                            at=datetime.fromisoformat(r["at"]),
                            action=r["action"],
                            before=PersonSeat.model_validate_json(r["before"])
                            if r["before"]
                            else None,
                            after=PersonSeat.model_validate_json(r["after"])
                            if r["after"]
                            else None,
                        )
                    )
        out.sort(key=lambda c: -c.id)
        return out[:limit]

    async def answers_by(self, telegram_id: int, limit: int = 5) -> list[AnswerRecord]:
        sql = (
            "SELECT ou.order_id, o.text, o.kind, ou.unit_code, ou.acked_at, ou.answered_at, "
            "ou.value, ou.items, ou.late FROM order_units ou JOIN orders o ON o.id = ou.order_id "
            "WHERE (ou.answered_by = ? OR ou.acked_by = ?) AND ou.is_root = 0 "
            "ORDER BY ou.order_id DESC LIMIT ?"
        )
        async with self.conn.execute(sql, (telegram_id, telegram_id, limit)) as cur:
            rows = await cur.fetchall()
        return [
            AnswerRecord(
                order_id=r["order_id"],
                order_text=r["text"],
                kind=OrderKind(r["kind"]),
                unit_code=r["unit_code"],
                acked_at=_dt(r["acked_at"]),
                answered_at=_dt(r["answered_at"]),
                value=r["value"],
                items=len(json.loads(r["items"])) if r["items"] else 0,
                late=bool(r["late"]),
            )
            for r in rows
        ]

    # ------------------------------------------------------------ targeted orders

    async def roles_in(self, code: str, telegram_id: int) -> list[Role]:
        """The roles a person holds in a unit (every slot of theirs there)."""
        sql = "SELECT roles FROM members WHERE unit_code = ? AND telegram_id = ?"
        async with self.conn.execute(sql, (code, telegram_id)) as cur:
            rows = await cur.fetchall()
        return list(dict.fromkeys(Role(r) for row in rows for r in json.loads(row["roles"])))

    async def target_units(self, code: str) -> list[TargetUnit]:
        """Every unit below `code` with its kind, tags and role holders, parents first."""
        async with self.conn.execute("SELECT path FROM units WHERE code = ?", (code,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return []
        low, high = subtree_range(row["path"])
        tags = (
            "(doc::json -> 'tags')::text"
            if is_postgres(self.conn)
            else "json_extract(doc, '$.tags')"
        )
        sql = (
            f"SELECT code, parent, level, kind, {tags} AS tags FROM units "
            "WHERE path >= ? AND path < ? AND code != ? ORDER BY path"
        )
        async with self.conn.execute(sql, (low, high, code)) as cur:
            units = {
                r["code"]: TargetUnit(
                    code=r["code"],
                    parent=r["parent"],
                    level=r["level"],
                    kind=r["kind"],
                    tags=json.loads(r["tags"]) if r["tags"] else [],
                )
                for r in await cur.fetchall()
            }
        sql = (
            "SELECT m.unit_code, m.seq, m.telegram_id, m.roles FROM members m JOIN units u "
            "ON u.code = m.unit_code WHERE u.path >= ? AND u.path < ? AND m.roles != '[]'"
        )
        async with self.conn.execute(sql, (low, high)) as cur:
            for r in await cur.fetchall():
                unit = units.get(r["unit_code"])
                if unit is not None:
                    tid = r["telegram_id"]
                    who = str(tid) if tid is not None else f"{r['unit_code']}#{r['seq']}"
                    held = unit.roles.setdefault(who, [])
                    held.extend(Role(x) for x in json.loads(r["roles"]) if Role(x) not in held)
        return list(units.values())

    async def save_filter(self, order_id: int, flt: OrderFilter, holders: int) -> None:
        await self.conn.execute(
            "INSERT INTO order_filters (order_id, filter, holders) VALUES (?,?,?) "
            "ON CONFLICT (order_id) DO UPDATE SET filter = excluded.filter, "
            "holders = excluded.holders",
            (order_id, flt.model_dump_json(), holders),
        )

    async def plan_targets(self, order_id: int, states: list[TargetState]) -> None:
        """A targeted order's rows, root first and parents before children, with their
        paths inside the order and subtree sizes; the order's totals follow the plan."""
        chains: dict[str, list[str]] = {}
        for state in states:
            above = chains.get(state.parent_code or "", []) if not state.is_root else []
            chains[state.unit_code] = [*above, state.unit_code]
        sizes: dict[str, int] = {s.unit_code: 0 for s in states}
        for state in states:
            for code in chains[state.unit_code]:
                if code != state.unit_code or not state.is_root:
                    sizes[code] += 1
        await self.conn.executemany(
            "INSERT INTO order_plan (order_id, unit_code, parent_code, path, level, is_root, "
            "is_bottom, children_total, sub_total) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    order_id,
                    s.unit_code,
                    s.parent_code,
                    path_of(chains[s.unit_code]),
                    s.level,
                    int(s.is_root),
                    int(s.is_bottom),
                    s.children_total,
                    sizes[s.unit_code],
                )
                for s in states
            ],
        )
        await self.conn.execute(
            "UPDATE orders SET total_targets = (SELECT COUNT(*) FROM order_plan "
            "WHERE order_id = ? AND is_root = 0) WHERE id = ?",
            (order_id, order_id),
        )
        await self.conn.execute("DELETE FROM order_levels WHERE order_id = ?", (order_id,))
        await self.conn.execute(
            "INSERT INTO order_levels (order_id, level, total) SELECT order_id, level, COUNT(*) "
            "FROM order_plan WHERE order_id = ? AND is_root = 0 GROUP BY order_id, level",
            (order_id,),
        )

    async def order_filter(self, order_id: int) -> OrderFilter | None:
        sql = "SELECT filter FROM order_filters WHERE order_id = ?"
        async with self.conn.execute(sql, (order_id,)) as cur:
            row = await cur.fetchone()
        return OrderFilter.model_validate_json(row["filter"]) if row else None
