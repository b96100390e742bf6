"""Engine benchmark: the city tower through the same service code the handlers call.

Why this exists: towerbot was built for Yiwu (37,074 targets, ~300,000 people),
and every cost of the engine -- writing an order, recording an answer, answering
`/status` -- grows with the tower unless it is built not to.  This measures, on
fresh SQLite files, with the real `OrderService`, `QueryService` and the bot's
own presenter (Fluent texts):

- `import`: `towerbot import` of the Yiwu CSV into an empty file (its own
  process: wall time and peak RSS);
- `create N`: one count order from the root to every unit below it, on towers
  of 236 (Tashan), ~3,600, ~12,000 and 37,074 targets (prefixes of Yiwu), and
  the longest any other transaction waited behind it (a probe opens a tiny
  transaction every 5 ms while the order is written); on SQLite also raw
  `sqlite3`'s time to write the same order rows and outbox rows again in one
  transaction on the same file (`sqlite_create_limit`);
- `answers`: N answers (bottom units report numbers, chiefs press 收到) from
  `--concurrency` concurrent callers, each awaited until its transaction
  committed, answers per second; and the engine's own limit for the same
  durability in the same run (raw `sqlite3`, same file, same pragmas -- or raw
  asyncpg on PostgreSQL -- one transaction per answer that writes the unit's
  row and adds the value to every ancestor's subtotal), and the ratio of the two
  (the heap is settled first, `bot/heap.py`, as `towerbot run` does once started);
- `/status` latency p50/p99 at HQ and at a level-2 unit, asked every 20 ms
  while the answers come in;
- `/export` and `/chart` at HQ of each order (they read every row): seconds, and
  the process's peak RSS after each;
- peak RSS of the process that ran the engine (`ru_maxrss`).

Every run is a fresh process on fresh copies of the imported files; figures
are the median over `--runs` runs.  After the answers the root total is
checked against the sum of the latest leaf values (a wrong number fails the run).

    python -m benchmarks.engine                    # 5 runs, 5,000 answers each (~6 min)
    python -m benchmarks.engine --runs 1 --answers 1000 --sizes 236,3600
    python -m benchmarks.engine --profile create   # cProfile of one city order
    python -m benchmarks.engine --db postgresql://user@127.0.0.1/postgres --runs 1

With `--db URL` the same runs go to PostgreSQL: the towers are imported once into
databases `towerbot_bench_<size>` on that server (its login must be allowed to
CREATE DATABASE) and every run works on a fresh `CREATE DATABASE ... TEMPLATE`
copy, dropped afterwards; the engine's own limit is then raw asyncpg's (`pg_limit`):
the same two UPDATEs per answer, one transaction each, on one connection, run on
the same database right after the service's answers (the same rows, so the same
index and row work; the values written do not change the cost).

Writes `--json` (default `benchmarks/engine-results.json`) and prints a table.
Not part of the test run (tests/storage/test_engine_smoke.py runs it on a
tiny tower).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import csv
import json
import os
import platform
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storage.pg import is_url

ROOT = Path(__file__).resolve().parent.parent
SIZES = (236, 3_600, 12_000, 37_074)
PROBE_SECONDS = 0.005
STATUS_SECONDS = 0.02


@dataclass
class Towers:
    """Imported template databases by target count, and the Yiwu CSV."""

    csv: Path
    dbs: dict[int, str]  # a file path, or a postgresql:// URL


# ----------------------------------------------------------------------------- set-up


def yiwu_prefix(source: Path, target: Path, targets: int) -> int:
    """The root and the first level-1 subtrees of `source` (pre-order CSV) whose
    units stay within `targets`; returns the number of targets written."""
    with (
        source.open(encoding="utf-8", newline="") as inp,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(inp)
        writer = csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        root = next(reader)
        writer.writerow(root)
        written = 0
        block: list[list[str]] = []
        for row in reader:
            if row[2] == "1" and block:
                if written + len(block) > targets:
                    block = []
                    break
                for line in block:
                    writer.writerow(line)
                written += len(block)
                block = []
            block.append(row)
        if block and written + len(block) <= targets:
            for line in block:
                writer.writerow(line)
            written += len(block)
    return written


def _on(url: str, database: str) -> str:
    """The same server's URL for another database."""
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


async def _admin(url: str, sql: str, *args: object) -> list[Any]:
    """One statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import asyncpg

    conn = await asyncpg.connect(_on(url, "postgres"))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


_COPIES = iter(range(1_000_000))


async def _pg_copy(template: str) -> str:
    """A new database on the template's server holding a copy of it; its URL."""
    name = f"{urlsplit(template).path.lstrip('/')}_run_{os.getpid()}_{next(_COPIES)}"
    await _admin(template, f'CREATE DATABASE "{name}" TEMPLATE "{urlsplit(template).path[1:]}"')
    return _on(template, name)


async def _pg_drop(url: str) -> None:
    await _admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')


def run_import(csv_path: Path, db_path: Path | str) -> tuple[float, int]:
    """`towerbot import` in its own process: (seconds, peak RSS in bytes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "import", str(csv_path), "--db", str(db_path)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"import of {csv_path} failed ({proc.returncode})")
    return seconds, usage.ru_maxrss * 1024


def prepare(
    workdir: Path, sizes: list[int], csv_path: Path | None, server: str | None = None
) -> Towers:
    workdir.mkdir(parents=True, exist_ok=True)
    yiwu = csv_path or workdir / "yiwu.csv"
    if not yiwu.exists():
        from fixtures import yiwu as generator

        generator.write_csv(yiwu, seed=1)
    dbs: dict[int, str] = {}
    for size in sizes:
        db = workdir / f"tower-{size}.db"
        target = str(db)
        if server is not None:
            name = f"towerbot_bench_{size}"
            target = _on(server, name)
            found = "SELECT 1 FROM pg_database WHERE datname = $1"
            if not asyncio.run(_admin(server, found, name)):
                asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
                db = workdir / "missing.db"  # import below
            else:
                db = Path(__file__)  # exists: already imported
        if size == 236:
            from fixtures import fixture_path

            source = fixture_path("tashan")
        else:
            source = workdir / f"tower-{size}.csv"
            if size >= 37_074:
                source = yiwu
            elif not source.exists():
                yiwu_prefix(yiwu, source, size)
        if not db.exists():
            run_import(source, target)
        dbs[size] = target
    return Towers(csv=yiwu, dbs=dbs)


# ----------------------------------------------------------------------------- one run


def _engine() -> tuple[Any, Any, Any, Any]:
    from bot.formatting import Formatter
    from bot.i18n import Texts
    from bot.presenter import BotPresenter
    from cascade.clock import SystemClock

    texts = Texts()
    return texts, Formatter(texts), BotPresenter(texts, Formatter(texts)), SystemClock()


async def _open(path: Path | str) -> Any:
    from storage.db import Database

    return await Database(path).open()


async def _root(db: Any) -> tuple[int, int]:
    """(chat id, commander id) of the tower's root unit."""
    async with db.conn.execute(
        "SELECT chat_id, commander_id FROM units WHERE parent IS NULL"
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]), int(row[1])


@contextlib.asynccontextmanager
async def probing(db: Any) -> AsyncIterator[list[tuple[float, float]]]:
    """Another update beside the work in the block: a tiny transaction every few ms.
    Yields the list of (when each ended, how long it waited), complete once the block
    has left."""
    stop = asyncio.Event()
    waits: list[tuple[float, float]] = []

    async def probe() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            async with db.transaction() as tx:
                await tx.tower.root()
            ended = time.perf_counter()
            waits.append((ended, ended - started))
            await asyncio.sleep(PROBE_SECONDS)

    task = asyncio.create_task(probe())
    await asyncio.sleep(0.02)
    try:
        yield waits
    finally:
        stop.set()
        await task


async def measure_create(path: Path | str, profile: Path | None = None) -> dict[str, float]:
    """Issue one count order from the root to every unit below it."""
    from bot.first_boards import FirstBoards
    from cascade.order_service import OrderService
    from cascade.orders import OrderKind

    _, _, presenter, clock = _engine()
    db = await _open(path)
    try:
        chat, commander = await _root(db)
        service = OrderService(db.transaction, clock, presenter)
        # As in the bot: the first boards are written by a task after the confirmation.
        boards = FirstBoards(service)
        service.on_boards = boards.due
        writer = asyncio.create_task(boards.run())
        async with probing(db) as waits:
            profiler = cProfile.Profile() if profile else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            order = await service.issue(
                chat, commander, OrderKind.COUNT, "统计外地返回人数", timedelta(minutes=15)
            )
            confirmed = time.perf_counter()
            if profiler and profile:
                profiler.disable()
                profiler.dump_stats(str(profile))
            while True:  # the first boards, written in the background
                async with db.snapshot() as tx:
                    if order.id not in await tx.orders.being_written():
                        break
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - started
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await writer
        async with db.conn.execute("SELECT COUNT(*) FROM outbox") as cur:
            row = await cur.fetchone()
        files = await _files_at_hq(db, order.id, chat)
        return {
            **files,
            "seconds": seconds,
            "copies_seconds": confirmed - started,
            "targets": order.total_targets,
            "outbox_rows": int(row[0]),
            "max_wait_ms": 1000 * max((w for _, w in waits), default=0.0),
            "max_wait_issuing_ms": 1000
            * max((w for end, w in waits if end <= confirmed), default=0.0),
        }
    finally:
        await db.close()


def _peak_rss() -> int:
    """This process's peak resident set so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def _files_at_hq(db: Any, order_id: int, chat: int) -> dict[str, float]:
    """`/export` (the CSV bytes too) and `/chart`'s curves at HQ of the whole order:
    seconds each, and the process's peak RSS after each (they read every row)."""
    from cascade.export import to_csv
    from cascade.queries import QueryService

    _, fmt, _, clock = _engine()
    queries = QueryService(db.snapshot, clock)
    started = time.perf_counter()
    _, view = await queries.export(order_id, chat)
    data = to_csv(view.rows, fmt.tz)
    export_seconds = time.perf_counter() - started
    export_rss = _peak_rss()
    del view, data
    started = time.perf_counter()
    await queries.completion(order_id, chat)
    return {
        "export_seconds": export_seconds,
        "export_peak_rss": export_rss,
        "chart_seconds": time.perf_counter() - started,
        "chart_peak_rss": _peak_rss(),
    }


async def _answerers(db: Any, order_id: int) -> tuple[list[tuple[str, int, int, int]], int]:
    """Every target as (code, chat id, commander id, is_bottom), and a level-2 chat."""
    sql = (
        "SELECT u.code, u.chat_id, u.commander_id, t.is_bottom, t.level FROM order_units t "
        "JOIN units u ON u.code = t.unit_code WHERE t.order_id = ? AND t.is_root = 0"
    )
    async with db.conn.execute(sql, (order_id,)) as cur:
        rows = await cur.fetchall()
    out = [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
    level2 = [int(r[1]) for r in rows if r[4] == 2] or [int(r[1]) for r in rows]
    return out, level2[0]


def raw_sqlite(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection to `path` with the durability and checks the bot's own
    connection has (storage/db.py: WAL, synchronous NORMAL, foreign keys), in autocommit
    so each measurement writes its own BEGIN and COMMIT: the physical limits are measured
    at the bot's settings, not cheaper ones."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def sqlite_limit(path: Path, order_id: int, answers: list[tuple[str, int]]) -> float:
    """Answers/s of raw sqlite3 for the same writes and durability: per answer one
    transaction updating the unit's row and every ancestor's subtotal."""
    conn = raw_sqlite(path)
    paths = dict(
        conn.execute("SELECT unit_code, path FROM order_units WHERE order_id = ?", (order_id,))
    )
    started = time.perf_counter()
    now = "2026-01-01T00:00:00+00:00"
    for code, value in answers:
        chain = [c for c in paths[code].split("/") if c]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE order_units SET value = ?, answered_at = ?, updated_at = ?, done_at = ? "
            "WHERE order_id = ? AND unit_code = ?",
            (value, now, now, now, order_id, code),
        )
        marks = ",".join("?" * (len(chain) - 1))
        conn.execute(
            "UPDATE order_units SET subtotal = subtotal + ? "
            f"WHERE order_id = ? AND unit_code IN ({marks})",
            (value, order_id, *chain[:-1]),
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return len(answers) / seconds


async def pg_limit(url: str, order_id: int, answers: list[tuple[str, int]]) -> float:
    """Answers/s of raw asyncpg for the writes `sqlite_limit` makes, at the server's
    own durability settings: one transaction per answer, one connection."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT unit_code, path FROM order_units WHERE order_id = $1", order_id
        )
        paths = {r[0]: r[1] for r in rows}
        now = "2026-01-01T00:00:00+00:00"
        own = await conn.prepare(
            "UPDATE order_units SET value = $1, answered_at = $2, updated_at = $2, "
            "done_at = $2 WHERE order_id = $3 AND unit_code = $4"
        )
        up = await conn.prepare(
            "UPDATE order_units SET subtotal = subtotal + $1 "
            "WHERE order_id = $2 AND unit_code = ANY($3::text[])"
        )
        started = time.perf_counter()
        for code, value in answers:
            chain = [c for c in paths[code].split("/") if c]
            async with conn.transaction():
                await own.fetch(value, now, order_id, code)
                await up.fetch(value, order_id, chain[:-1])
        return len(answers) / (time.perf_counter() - started)
    finally:
        await conn.close()


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure_answers(
    path: Path | str, count: int, concurrency: int, seed: int, alone: bool = False
) -> dict[str, float]:
    """Issue a city order, then answer it while `/status` is asked at HQ and level 2;
    answers are batched as the bot does (`alone`: one transaction each)."""
    from bot import heap
    from cascade.errors import Refused
    from cascade.order_service import OrderService
    from cascade.orders import OrderKind
    from cascade.queries import QueryService
    from storage import processed

    _, _, presenter, clock = _engine()
    db = await _open(path)
    try:
        chat, commander = await _root(db)
        service = OrderService(
            db.transaction,
            clock,
            presenter,
            batch_answers=not alone,
            updates=processed.CARRIER,  # as the bot builds it
            batch_uow=db.answer_batch,
        )
        queries = QueryService(db.snapshot, clock)  # as the bot builds it
        heap.settle()  # as `towerbot run` does once its bots are built (bot/heap.py)
        order = await service.issue(
            chat, commander, OrderKind.COUNT, "统计外地返回人数", timedelta(minutes=15)
        )
        targets, level2_chat = await _answerers(db, order.id)
        rng = random.Random(seed)
        rng.shuffle(targets)
        # Chiefs press 收到 and bottom units report, in one shuffled stream.
        plan = [(code, c, u, bool(b), rng.randint(0, 9)) for code, c, u, b in targets[:count]]
        limit_copy = None
        if not db.is_postgres:  # raw sqlite3's limit is measured on a copy afterwards
            limit_copy = Path(path).with_name(Path(path).stem + "-limit.db")
            await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(path, limit_copy)

        stop = asyncio.Event()
        hq_times: list[float] = []
        l2_times: list[float] = []

        async def ask() -> None:
            turn = 0
            # At least one question of each kind, even when the answers are over before
            # the second is due (a tiny tower answers 60 times in under 20 ms).
            while not stop.is_set() or not (hq_times and l2_times):
                which, times = (chat, hq_times) if turn % 2 == 0 else (level2_chat, l2_times)
                turn += 1
                started = time.perf_counter()
                await queries.summary(order.id, which)  # what /status shows
                times.append(time.perf_counter() - started)
                await asyncio.sleep(STATUS_SECONDS)

        queue = list(reversed(plan))

        async def answer() -> None:
            while queue:
                _, chat_id, user, bottom, value = queue.pop()
                try:
                    if bottom:
                        await service.report(order.id, chat_id, user, str(value), None)
                    else:
                        await service.acknowledge(order.id, chat_id, user)
                except Refused as exc:  # a benchmark answer is never refused
                    raise RuntimeError(f"answer refused: {exc}") from exc

        asker = asyncio.create_task(ask())
        started = time.perf_counter()
        await asyncio.gather(*(answer() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        stop.set()
        await asker

        async with db.conn.execute(
            "SELECT subtotal FROM order_units WHERE order_id = ? AND is_root = 1", (order.id,)
        ) as cur:
            root_total = int((await cur.fetchone())[0])
        async with db.conn.execute(
            "SELECT COALESCE(SUM(value), 0) FROM order_units WHERE order_id = ? AND is_bottom = 1",
            (order.id,),
        ) as cur:
            leaf_sum = int((await cur.fetchone())[0])
        if root_total != leaf_sum:
            raise RuntimeError(f"root total {root_total} != sum of leaf values {leaf_sum}")
        boards = await _refresh_boards(db, presenter, clock)
    finally:
        await db.close()
    rate = len(plan) / seconds
    leaves = [(p[0], p[4]) for p in plan if p[3]]
    if limit_copy is not None:
        limit = sqlite_limit(limit_copy, order.id, leaves)
        limit_copy.unlink()
    else:
        limit = await pg_limit(str(path), order.id, leaves)
    limits = {"limit_per_second": limit, "ratio": rate / limit}
    return {
        "answers": len(plan),
        "per_second": rate,
        **limits,
        "status_hq_p50_ms": 1000 * _pct(hq_times, 50),
        "status_hq_p99_ms": 1000 * _pct(hq_times, 99),
        "status_l2_p50_ms": 1000 * _pct(l2_times, 50),
        "status_l2_p99_ms": 1000 * _pct(l2_times, 99),
        "root_total": root_total,
        **boards,
    }


async def _refresh_boards(db: Any, presenter: Any, clock: Any) -> dict[str, float]:
    """Redraw every board the answers left dirty, as the bot's timer does, while another
    update's tiny transaction runs every few ms: how long that one waits behind it."""
    from cascade.progress import ProgressService

    progress = ProgressService(db.transaction, clock, presenter)
    async with probing(db) as waits:
        started = time.perf_counter()
        boards = 0
        while queued := await progress.flush():
            boards += queued
        seconds = time.perf_counter() - started
    return {
        "boards_redrawn": boards,
        "boards_seconds": seconds,
        "boards_max_wait_ms": 1000 * max((w for _, w in waits), default=0.0),
    }


async def fresh(template: str, into: Path) -> str:
    """A copy of a template tower to run on: a file copy, or a database copy."""
    if is_url(template):
        return await _pg_copy(template)
    target = into / Path(template).name
    shutil.copy(template, target)
    return str(target)


async def done_with(target: str) -> None:
    if is_url(target):
        await _pg_drop(target)


def sqlite_create_limit(path: Path) -> float:
    """Seconds raw sqlite3 takes to write the newest order's rows (`order_units`) and
    every outbox row (its copies, first boards and confirmation: the `outbox_rows`
    counted) again, in one transaction, on the same file with the same indexes and
    pragmas: the physical limit for writing a city order. Measured after the run's
    reads, on its file, which is not used again."""
    conn = raw_sqlite(path)
    (order_id,) = conn.execute("SELECT MAX(id) FROM orders").fetchone()
    units = conn.execute("SELECT * FROM order_units WHERE order_id = ?", (order_id,)).fetchall()
    outbox = conn.execute("SELECT * FROM outbox").fetchall()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM order_units WHERE order_id = ?", (order_id,))
    conn.execute("DELETE FROM outbox")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table, rows in (("order_units", units), ("outbox", outbox)):
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


async def one_run(
    towers: Towers,
    sizes: list[int],
    answers: int,
    concurrency: int,
    seed: int,
    tmp: Path,
    alone: bool = False,
) -> dict[str, Any]:
    result: dict[str, Any] = {"create": {}}
    for size in sizes:
        target = await fresh(towers.dbs[size], tmp)
        created = await measure_create(target)
        if not is_url(target):
            created["sqlite_limit_seconds"] = sqlite_create_limit(Path(target))
        result["create"][str(size)] = created
        await done_with(target)
    biggest = max(sizes)
    if answers:
        target = await fresh(towers.dbs[biggest], tmp)
        result["answers"] = await measure_answers(target, answers, concurrency, seed, alone)
        await done_with(target)
    result["engine_peak_rss"] = _peak_rss()
    return result


# ----------------------------------------------------------------------------- report


def _median(runs: list[dict[str, Any]], *keys: str) -> float:
    values = []
    for run in runs:
        value: Any = run
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def summarise(runs: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "import_seconds": _median(runs, "import", "seconds"),
        "import_peak_rss_mb": _median(runs, "import", "peak_rss") / 2**20,
        "engine_peak_rss_mb": _median(runs, "engine_peak_rss") / 2**20,
        "create": {},
    }
    for size in sizes:
        key = str(size)
        targets = _median(runs, "create", key, "targets")
        seconds = _median(runs, "create", key, "seconds")
        out["create"][key] = {
            "targets": int(targets),
            "seconds": seconds,
            "copies_seconds": _median(runs, "create", key, "copies_seconds"),
            "ms_per_1000_targets": 1000 * seconds / targets * 1000,
            "max_wait_ms": _median(runs, "create", key, "max_wait_ms"),
            "max_wait_issuing_ms": _median(runs, "create", key, "max_wait_issuing_ms"),
            **{
                k: _median(runs, "create", key, k)
                for k in (
                    "export_seconds",
                    "export_peak_rss",
                    "chart_seconds",
                    "chart_peak_rss",
                    "sqlite_limit_seconds",
                )
                if k in runs[0]["create"][key]
            },
        }
    if "answers" in runs[0]:
        out["answers"] = {
            k: _median(runs, "answers", k) for k in runs[0]["answers"] if k != "root_total"
        }
    return out


def table(summary: dict[str, Any]) -> str:
    lines = ["| figure | median |", "|---|---:|"]
    lines.append(f"| import Yiwu (s) | {summary['import_seconds']:.2f} |")
    lines.append(f"| import peak RSS (MB) | {summary['import_peak_rss_mb']:.0f} |")
    for c in summary["create"].values():
        lines.append(
            f"| create order, {c['targets']:,} targets: confirmed with its copies queued / "
            f"first boards too, in the background (s) | "
            f"{c['copies_seconds']:.3f} / {c['seconds']:.3f} "
            f"({c['ms_per_1000_targets']:.0f} ms/1k in all; longest wait of another "
            f"transaction {c['max_wait_issuing_ms']:.0f} ms while issuing, "
            f"{c['max_wait_ms']:.0f} ms in all) |"
        )
        if "sqlite_limit_seconds" in c:
            lines.append(
                f"| raw sqlite3 writing the same order's rows and outbox rows in one "
                f"transaction, {c['targets']:,} targets (s) | {c['sqlite_limit_seconds']:.3f} |"
            )
        lines.append(
            f"| /export and /chart at HQ, {c['targets']:,} targets: seconds; process peak RSS "
            f"after each (MB) | {c['export_seconds']:.2f} / {c['chart_seconds']:.2f}; "
            f"{c['export_peak_rss'] / 2**20:.0f} / {c['chart_peak_rss'] / 2**20:.0f} |"
        )
    a = summary.get("answers")
    if a:
        lines.append(f"| answers/s ({a['answers']:.0f} answers) | {a['per_second']:,.0f} |")
        lines.append(
            f"| the engine's own limit, same run (answers/s) | {a['limit_per_second']:,.0f} |"
        )
        lines.append(f"| ratio | {a['ratio']:.2f} |")
        lines.append(
            f"| /status at HQ during answers p50 / p99 (ms) | "
            f"{a['status_hq_p50_ms']:.1f} / {a['status_hq_p99_ms']:.1f} |"
        )
        lines.append(
            f"| /status at level 2 during answers p50 / p99 (ms) | "
            f"{a['status_l2_p50_ms']:.1f} / {a['status_l2_p99_ms']:.1f} |"
        )
        lines.append(
            f"| progress boards the answers left dirty, redrawn: boards; seconds (longest "
            f"wait of another transaction, ms) | {a['boards_redrawn']:,.0f}; "
            f"{a['boards_seconds']:.2f} ({a['boards_max_wait_ms']:.0f}) |"
        )
    lines.append(f"| engine peak RSS (MB) | {summary['engine_peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# ----------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=5_000, help="answers per run (0: none)")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent answerers")
    parser.add_argument(
        "--alone", action="store_true", help="one transaction per answer (no group commit)"
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="target counts")
    parser.add_argument("--csv", type=Path, help="the Yiwu CSV (default: generated, seed 1)")
    parser.add_argument("--workdir", type=Path, help="where towers are kept between runs")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "engine-results.json")
    parser.add_argument("--profile", choices=["create", "answers"], help="cProfile one run")
    parser.add_argument(
        "--db", help="a postgresql:// URL: run on that server instead of SQLite files"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.gettempdir()) / "towerbot-engine-bench"

    if args.child:  # one run in this fresh process; JSON on stdout
        spec = json.loads(args.child)
        towers = Towers(csv=Path(spec["csv"]), dbs={int(k): v for k, v in spec["dbs"].items()})
        with tempfile.TemporaryDirectory() as tmp:
            result = asyncio.run(
                one_run(
                    towers,
                    sizes,
                    args.answers,
                    args.concurrency,
                    spec["seed"],
                    Path(tmp),
                    args.alone,
                )
            )
        print(json.dumps(result))
        return 0

    if args.db is not None and not is_url(args.db):
        parser.error("--db takes a postgresql:// URL (SQLite runs need no --db)")
    towers = prepare(workdir, sizes, args.csv, args.db)
    if args.profile:
        return _profile(args.profile, towers, max(sizes), args.answers, args.concurrency)
    runs: list[dict[str, Any]] = []
    for number in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            into: str = str(Path(tmp) / "import.db")
            if args.db is not None:
                into = _on(args.db, f"towerbot_bench_import_{os.getpid()}")
                asyncio.run(_admin(args.db, f'CREATE DATABASE "{urlsplit(into).path[1:]}"'))
            seconds, rss = run_import(towers.csv, into)
            if args.db is not None:
                asyncio.run(_pg_drop(into))
        spec = {
            "csv": str(towers.csv),
            "dbs": {str(k): str(v) for k, v in towers.dbs.items()},
            "seed": number + 1,
        }
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.engine",
                "--child",
                json.dumps(spec),
                "--sizes",
                args.sizes,
                "--answers",
                str(args.answers),
                "--concurrency",
                str(args.concurrency),
                *(["--alone"] if args.alone else []),
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        run = json.loads(out.stdout.strip().splitlines()[-1])
        run["import"] = {"seconds": seconds, "peak_rss": rss}
        runs.append(run)
        print(f"run {number + 1}/{args.runs}: {json.dumps(run)}", file=sys.stderr)
    summary = summarise(runs, sizes)
    print(table(summary))
    args.json.write_text(
        json.dumps({"machine": machine(), "summary": summary, "runs": runs}, indent=2)
    )
    print(f"wrote {args.json}")
    return 0


def _profile(which: str, towers: Towers, size: int, answers: int, concurrency: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.out"
        db = asyncio.run(fresh(towers.dbs[size], Path(tmp)))
        if which == "create":
            asyncio.run(measure_create(db, profile=out))
        else:
            profiler = cProfile.Profile()
            profiler.enable()
            asyncio.run(measure_answers(db, answers, concurrency, 1))
            profiler.disable()
            profiler.dump_stats(str(out))
        pstats.Stats(str(out)).sort_stats("cumulative").print_stats(
            r"cascade|storage|aiosqlite|asyncpg|bot/", 45
        )
        asyncio.run(done_with(db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
