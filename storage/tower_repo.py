"""The tower in SQLite: units with materialised paths, and their people."""

from __future__ import annotations

import json
from collections.abc import Iterable

from cascade.invites import Slot
from cascade.ports import Membership
from cascade.tower import Position, Unit, UnitRef
from storage.conn import Connection, Row
from storage.lanes import relane_chats
from storage.paths import codes_of, subtree_range
from storage.trusted import trusted

REF_COLUMNS = (
    "code, name, level, kind, parent, chat_id, locale, commander_name, commander_id, unreachable"
)


def ref_of(row: Row) -> UnitRef:
    """A row with `REF_COLUMNS` among its columns, built without validation
    (storage/trusted.py): a batch of answers reads ~170 of them."""
    return trusted(
        UnitRef,
        {
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "kind": row["kind"],
            "parent": row["parent"],
            "chat_id": row["chat_id"],
            "locale": row["locale"],
            "commander_name": row["commander_name"],
            "commander_id": row["commander_id"],
            "unreachable": bool(row["unreachable"]),
        },
    )


def _one(rows: Iterable[Row]) -> Row | None:
    """The first row of a result read in one hop to the database thread
    (`execute_fetchall`: a cursor's execute, fetch and close are three)."""
    return next(iter(rows), None)


class SqliteTowerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def unit(self, code: str) -> Unit | None:
        row = _one(
            await self.conn.execute_fetchall("SELECT doc FROM units WHERE code = ?", (code,))
        )
        return Unit.model_validate_json(row["doc"]) if row else None

    async def ref(self, code: str) -> UnitRef | None:
        return (await self.refs([code])).get(code)

    async def by_chat(self, chat_id: int) -> UnitRef | None:
        sql = f"SELECT {REF_COLUMNS} FROM units WHERE chat_id = ?"
        row = _one(await self.conn.execute_fetchall(sql, (chat_id,)))
        return ref_of(row) if row else None

    async def refs(self, codes: Iterable[str]) -> dict[str, UnitRef]:
        wanted = list(dict.fromkeys(codes))
        out: dict[str, UnitRef] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {REF_COLUMNS} FROM units WHERE code IN ({marks})"
            for row in await self.conn.execute_fetchall(sql, chunk):
                out[row["code"]] = ref_of(row)
        return out

    async def memberships(self, telegram_id: int) -> list[Membership]:
        sql = (
            f"SELECT m.position, {', '.join('u.' + c.strip() for c in REF_COLUMNS.split(','))} "
            "FROM members m JOIN units u ON u.code = m.unit_code "
            "WHERE m.telegram_id = ? ORDER BY u.level, u.code, m.seq"
        )
        seen: set[str] = set()
        out: list[Membership] = []
        async with self.conn.execute(sql, (telegram_id,)) as cur:
            for row in await cur.fetchall():
                if row["code"] not in seen:
                    seen.add(row["code"])
                    out.append(Membership(unit=ref_of(row), position=Position(row["position"])))
        return out

    async def person_name(self, telegram_id: int) -> str | None:
        sql = (
            "SELECT name FROM members WHERE telegram_id = ? "
            "UNION ALL SELECT commander_name FROM units "
            "WHERE commander_id = ? AND commander_name IS NOT NULL LIMIT 1"
        )
        row = _one(await self.conn.execute_fetchall(sql, (telegram_id, telegram_id)))
        return str(row[0]) if row is not None else None

    async def position(self, code: str, telegram_id: int) -> Position | None:
        sql = "SELECT position FROM members WHERE unit_code = ? AND telegram_id = ? ORDER BY seq"
        row = _one(await self.conn.execute_fetchall(sql, (code, telegram_id)))
        if row is not None:
            return Position(row["position"])
        sql = "SELECT 1 FROM units WHERE parent = ? AND commander_id = ? LIMIT 1"
        child = _one(await self.conn.execute_fetchall(sql, (code, telegram_id)))
        return Position.MEMBER if child else None

    async def chain(self, code: str) -> list[UnitRef]:
        row = _one(
            await self.conn.execute_fetchall("SELECT path FROM units WHERE code = ?", (code,))
        )
        if row is None:
            return []
        codes = list(reversed(codes_of(row["path"])))
        refs = await self.refs(codes)
        return [refs[c] for c in codes if c in refs]

    async def subtree(self, code: str) -> list[UnitRef]:
        row = _one(
            await self.conn.execute_fetchall("SELECT path FROM units WHERE code = ?", (code,))
        )
        if row is None:
            return []
        low, high = subtree_range(row["path"])
        sql = f"SELECT {REF_COLUMNS} FROM units WHERE path >= ? AND path < ? ORDER BY path"
        return [ref_of(r) for r in (await self.conn.execute_fetchall(sql, (low, high)))]

    async def unreachable_under(self, code: str) -> list[UnitRef]:
        """The units of `code`'s subtree marked unreachable, in path order."""
        row = _one(
            await self.conn.execute_fetchall("SELECT path FROM units WHERE code = ?", (code,))
        )
        if row is None:
            return []
        low, high = subtree_range(row["path"])
        sql = (
            f"SELECT {REF_COLUMNS} FROM units WHERE path >= ? AND path < ? AND unreachable = 1 "
            "ORDER BY path"
        )
        return [ref_of(r) for r in (await self.conn.execute_fetchall(sql, (low, high)))]

    async def rekey_chat(self, old: int, new: int) -> None:
        await self.conn.execute("UPDATE units SET chat_id = ? WHERE chat_id = ?", (new, old))

    async def set_reachable(self, code: str, reachable: bool, reason: str | None) -> bool:
        """Change the unit's reachability; True when it actually changed."""
        cur = await self.conn.execute(
            "UPDATE units SET unreachable = ?, unreachable_reason = ? "
            "WHERE code = ? AND unreachable = ?",
            (int(not reachable), reason, code, int(reachable)),
        )
        return cur.rowcount > 0

    async def slots(self, code: str) -> list[Slot]:
        sql = (
            "SELECT seq, position, name, telegram_id FROM members WHERE unit_code = ? ORDER BY seq"
        )
        async with self.conn.execute(sql, (code,)) as cur:
            return [
                Slot(
                    seq=r["seq"],
                    position=Position(r["position"]),
                    name=r["name"],
                    telegram_id=r["telegram_id"],
                )
                for r in await cur.fetchall()
            ]

    async def fill_slot(self, code: str, seq: int, telegram_id: int) -> None:
        """A person joined through their link; a commander's id also goes on the unit."""
        await self.conn.execute(
            "UPDATE members SET telegram_id = ? WHERE unit_code = ? AND seq = ?",
            (telegram_id, code, seq),
        )
        await self.conn.execute(
            "UPDATE units SET commander_id = ? WHERE code = ? AND EXISTS (SELECT 1 FROM members "
            "WHERE unit_code = ? AND seq = ? AND position = 'commander')",
            (telegram_id, code, code, seq),
        )

    async def bind_chat(self, code: str, chat_id: int) -> None:
        """The group becomes the unit's; messages queued for either group (the unit's
        old one too) go through the bot that now serves it (storage/lanes.py)."""
        rows = await self.conn.execute_fetchall("SELECT chat_id FROM units WHERE code = ?", (code,))
        await self.conn.execute(
            "UPDATE units SET chat_id = ?, unreachable = 0, unreachable_reason = NULL "
            "WHERE code = ?",
            (chat_id, code),
        )
        await relane_chats(self.conn, [chat_id, *(r[0] for r in rows if r[0] is not None)])

    async def root(self) -> UnitRef | None:
        """The tower's root unit (HQ)."""
        sql = f"SELECT {REF_COLUMNS} FROM units WHERE parent IS NULL ORDER BY level, code LIMIT 1"
        row = _one(await self.conn.execute_fetchall(sql))
        return ref_of(row) if row else None

    async def all_refs(self) -> list[UnitRef]:
        sql = f"SELECT {REF_COLUMNS} FROM units ORDER BY path"
        return [ref_of(r) for r in (await self.conn.execute_fetchall(sql))]

    async def codes(self) -> set[str]:
        """Every stored unit's code, for import diffs."""
        return {r["code"] for r in await self.conn.execute_fetchall("SELECT code FROM units")}

    async def docs(self, codes: list[str]) -> dict[str, tuple[str, str]]:
        """code → (path, doc) of the stored units among `codes` (at most ~1,000)."""
        if not codes:
            return {}
        sql = f"SELECT code, path, doc FROM units WHERE code IN ({','.join('?' * len(codes))})"
        return {
            r["code"]: (r["path"], r["doc"]) for r in await self.conn.execute_fetchall(sql, codes)
        }

    async def delete(self, codes: list[str]) -> None:
        await self.conn.executemany("DELETE FROM units WHERE code = ?", [(c,) for c in codes])

    async def insert(self, rows: list[tuple[Unit, str, str]]) -> None:
        """Insert units with their path and canonical document, then their people."""
        await self.conn.executemany(
            "INSERT INTO units (code, parent, path, level, kind, name, chat_id, locale, "
            "commander_name, commander_id, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    u.code,
                    u.parent,
                    path,
                    u.level,
                    u.kind,
                    u.name,
                    u.chat_id,
                    u.locale,
                    u.commander.name if u.commander else None,
                    u.commander.telegram_id if u.commander else None,
                    doc,
                )
                for u, path, doc in rows
            ],
        )
        await self.conn.executemany(
            "INSERT INTO members (unit_code, seq, position, name, telegram_id, roles, phone) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (
                    u.code,
                    seq,
                    position.value,
                    p.name,
                    p.telegram_id,
                    json.dumps(list(p.roles)),
                    p.phone,
                )
                for u, _, _ in rows
                for seq, (position, p) in enumerate(u.people())
            ],
        )
