"""Incidents and manually set unit colours in SQLite."""

from __future__ import annotations

from datetime import datetime

from cascade.incidents import Colour, Disposition, Incident, Stage, UnitColour
from cascade.returnee import ReturneeReport
from storage.conn import Connection, Row
from storage.locking import skip_locked
from storage.paths import subtree_range

COLUMNS = (
    "id, unit_code, reporter_id, chat_id, text, report, high_risk, stage, disposition, "
    "created_at, reported_at, disposed_at, disposed_by, done_at, done_by, escalations, "
    "next_escalation_at"
)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _incident(row: Row) -> Incident:
    return Incident(
        id=row["id"],
        unit_code=row["unit_code"],
        reporter_id=row["reporter_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        report=ReturneeReport.model_validate_json(row["report"]),
        high_risk=bool(row["high_risk"]),
        stage=Stage(row["stage"]),
        disposition=Disposition(row["disposition"]) if row["disposition"] else None,
        created_at=datetime.fromisoformat(row["created_at"]),
        reported_at=_dt(row["reported_at"]),
        disposed_at=_dt(row["disposed_at"]),
        disposed_by=row["disposed_by"],
        done_at=_dt(row["done_at"]),
        done_by=row["done_by"],
        escalations=row["escalations"],
        next_escalation_at=_dt(row["next_escalation_at"]),
    )


class SqliteIncidentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def add(self, incident: Incident) -> Incident:
        rows = await self.conn.execute_fetchall(
            "INSERT INTO incidents (unit_code, reporter_id, chat_id, text, report, high_risk, "
            "stage, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
            (
                incident.unit_code,
                incident.reporter_id,
                incident.chat_id,
                incident.text,
                incident.report.model_dump_json(),
                int(incident.high_risk),
                incident.stage.value,
                incident.created_at.isoformat(),
            ),
        )
        (row,) = rows
        return incident.model_copy(update={"id": int(row[0])})

    async def get(self, incident_id: int) -> Incident | None:
        sql = f"SELECT {COLUMNS} FROM incidents WHERE id = ?"
        async with self.conn.execute(sql, (incident_id,)) as cur:
            row = await cur.fetchone()
        return _incident(row) if row else None

    async def save(self, incident: Incident) -> None:
        await self.conn.execute(
            "UPDATE incidents SET text = ?, report = ?, high_risk = ?, stage = ?, disposition = ?, "
            "reported_at = ?, disposed_at = ?, disposed_by = ?, done_at = ?, done_by = ?, "
            "escalations = ?, next_escalation_at = ? WHERE id = ?",
            (
                incident.text,
                incident.report.model_dump_json(),
                int(incident.high_risk),
                incident.stage.value,
                incident.disposition.value if incident.disposition else None,
                _ts(incident.reported_at),
                _ts(incident.disposed_at),
                incident.disposed_by,
                _ts(incident.done_at),
                incident.done_by,
                incident.escalations,
                _ts(incident.next_escalation_at),
                incident.id,
            ),
        )

    async def due(self, now: datetime) -> list[Incident]:
        """Open incidents whose next escalation has come."""
        sql = (
            f"SELECT {COLUMNS} FROM incidents WHERE stage IN ('open', 'disposed') "
            "AND next_escalation_at IS NOT NULL AND next_escalation_at <= ? ORDER BY id"
            # Held for the escalating transaction: one worker escalates each incident.
            f"{skip_locked(self.conn)}"
        )
        async with self.conn.execute(sql, (now.isoformat(),)) as cur:
            return [_incident(r) for r in await cur.fetchall()]

    async def under(
        self,
        code: str,
        open_only: bool = False,
        reported_since: datetime | None = None,
        limit: int = 10_000,
    ) -> list[Incident]:
        """Incidents of the units in `code`'s subtree (drafts left out), newest first."""
        async with self.conn.execute("SELECT path FROM units WHERE code = ?", (code,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return []
        low, high = subtree_range(row["path"])
        sql = (
            f"SELECT {', '.join('i.' + c.strip() for c in COLUMNS.split(','))} FROM incidents i "
            "JOIN units u ON u.code = i.unit_code WHERE u.path >= ? AND u.path < ? "
            "AND i.stage NOT IN ('draft', 'discarded')"
        )
        args: list[object] = [low, high]
        if open_only:
            sql += " AND i.stage IN ('open', 'disposed')"
        if reported_since is not None:
            sql += " AND i.reported_at >= ?"
            args.append(reported_since.isoformat())
        sql += " ORDER BY i.id DESC LIMIT ?"
        args.append(limit)
        async with self.conn.execute(sql, args) as cur:
            return [_incident(r) for r in await cur.fetchall()]

    async def set_colour(self, colour: UnitColour) -> None:
        """Set (or with GREEN clear) a unit's manual colour; every change is logged."""
        if colour.colour is Colour.GREEN:
            await self.conn.execute(
                "DELETE FROM unit_colours WHERE unit_code = ?", (colour.unit_code,)
            )
        else:
            await self.conn.execute(
                "INSERT INTO unit_colours (unit_code, colour, reason, set_by, set_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT (unit_code) DO UPDATE SET "
                "colour = excluded.colour, reason = excluded.reason, "
                "set_by = excluded.set_by, set_at = excluded.set_at",
                (
                    colour.unit_code,
                    colour.colour.value,
                    colour.reason,
                    colour.set_by,
                    colour.set_at.isoformat(),
                ),
            )
        await self.conn.execute(
            "INSERT INTO colour_log (unit_code, colour, reason, set_by, set_at) VALUES (?,?,?,?,?)",
            (
                colour.unit_code,
                colour.colour.value,
                colour.reason,
                colour.set_by,
                colour.set_at.isoformat(),
            ),
        )

    async def manual_colours(self, codes: list[str]) -> dict[str, UnitColour]:
        out: dict[str, UnitColour] = {}
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT * FROM unit_colours WHERE unit_code IN ({marks})"
            async with self.conn.execute(sql, chunk) as cur:
                for r in await cur.fetchall():
                    out[r["unit_code"]] = UnitColour(
                        unit_code=r["unit_code"],
                        colour=Colour(r["colour"]),
                        reason=r["reason"],
                        set_by=r["set_by"],
                        set_at=datetime.fromisoformat(r["set_at"]),
                    )
        return out
