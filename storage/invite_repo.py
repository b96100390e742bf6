"""Invite tokens: one per unit's group and one per empty person slot."""

from __future__ import annotations

from datetime import datetime

from cascade.invites import Invite
from storage.conn import Connection, Row


def _invite(row: Row) -> Invite:
    return Invite(
        token=row["token"],
        kind=row["kind"],
        unit_code=row["unit_code"],
        seq=row["seq"],
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        used_by=row["used_by"],
    )


class SqliteInviteRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add(self, invite: Invite) -> None:
        await self.conn.execute(
            "INSERT INTO invites (token, kind, unit_code, seq, created_by, created_at) "
            "VALUES (?,?,?,?,?,?)",
            (
                invite.token,
                invite.kind,
                invite.unit_code,
                invite.seq,
                invite.created_by,
                invite.created_at.isoformat(),
            ),
        )

    async def get(self, token: str) -> Invite | None:
        async with self.conn.execute("SELECT * FROM invites WHERE token = ?", (token,)) as cur:
            row = await cur.fetchone()
        return _invite(row) if row else None

    async def for_slot(self, kind: str, code: str, seq: int) -> Invite | None:
        sql = "SELECT * FROM invites WHERE kind = ? AND unit_code = ? AND seq = ?"
        async with self.conn.execute(sql, (kind, code, seq)) as cur:
            row = await cur.fetchone()
        return _invite(row) if row else None

    async def use(self, token: str, user_id: int, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE invites SET used_by = ?, used_at = ? WHERE token = ?",
            (user_id, at.isoformat(), token),
        )

    async def drop(self, token: str) -> None:
        await self.conn.execute("DELETE FROM invites WHERE token = ?", (token,))
