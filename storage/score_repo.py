"""The landlord score in SQLite: a log of signed changes and the rankings sent."""

from __future__ import annotations

from datetime import datetime

from cascade.scoring import ScoreEntry
from storage.conn import Connection


class SqliteScoreRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add(self, entry: ScoreEntry) -> bool:
        """Record a change; False when this incident already moved this landlord's score."""
        cur = await self.conn.execute(
            "INSERT INTO score_log (unit_code, landlord_id, landlord_name, period, "
            "delta, reason, source, incident_id, actor, at) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            (
                entry.unit_code,
                entry.landlord_id,
                entry.landlord_name,
                entry.period,
                entry.delta,
                entry.reason,
                entry.source,
                entry.incident_id,
                entry.actor,
                entry.at.isoformat(),
            ),
        )
        return cur.rowcount > 0

    async def totals(self, period: str, codes: list[str]) -> dict[str, int]:
        """The sum of changes in `period` per unit (units without changes are absent)."""
        out: dict[str, int] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT unit_code, SUM(delta) AS total FROM score_log "
                f"WHERE period = ? AND unit_code IN ({marks}) GROUP BY unit_code"
            )
            async with self.conn.execute(sql, (period, *chunk)) as cur:
                for row in await cur.fetchall():
                    out[row["unit_code"]] = int(row["total"])
        return out

    async def entries(self, code: str, period: str) -> list[ScoreEntry]:
        sql = (
            "SELECT id, unit_code, landlord_id, landlord_name, period, delta, reason, source, "
            "incident_id, actor, at FROM score_log WHERE unit_code = ? AND period = ? ORDER BY id"
        )
        async with self.conn.execute(sql, (code, period)) as cur:
            rows = await cur.fetchall()
        return [
            ScoreEntry(
                id=r["id"],
                unit_code=r["unit_code"],
                landlord_id=r["landlord_id"],
                landlord_name=r["landlord_name"],
                period=r["period"],
                delta=r["delta"],
                reason=r["reason"],
                source=r["source"],
                incident_id=r["incident_id"],
                actor=r["actor"],
                at=datetime.fromisoformat(r["at"]),
            )
            for r in rows
        ]

    async def ranking_known(self) -> bool:
        async with self.conn.execute("SELECT 1 FROM score_rankings LIMIT 1") as cur:
            return await cur.fetchone() is not None

    async def claim_ranking(self, moment: datetime, sent: bool, at: datetime) -> bool:
        """Take the ranking due at `moment`; False when it was already taken (sent once)."""
        cur = await self.conn.execute(
            "INSERT INTO score_rankings (moment, sent, at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
            (moment.isoformat(), int(sent), at.isoformat()),
        )
        return cur.rowcount > 0
