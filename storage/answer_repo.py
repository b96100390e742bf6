"""A batch of answers' reads and writes in as few trips to the database as it takes.

Why: alone, an answer is a dozen statements, each a trip: on SQLite a hand-off to
aiosqlite's thread, which on a loaded machine costs milliseconds, more than
SQLite's own work for a whole batch (issue 9); on PostgreSQL a trip to the
server, ~95 µs of the worker's CPU each, half of its CPU an answer
(benchmarks/RESULTS.md, "the PostgreSQL webhook workers' CPU per answer"). The
reads are the repositories' lookups for many keys at once, written once for both
engines as a generator that yields its statements (`Reading`): SQLite runs it
whole on its thread in one hand-off, PostgreSQL one statement a trip, a few a
batch. The writes are the statements the repositories use, one `executemany` a
table: on SQLite all inside one call on its thread, on PostgreSQL one trip each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any, TypeVar, cast

import aiosqlite

from cascade.orders import TargetState
from cascade.ports import AnswerKey, AnswerReads, AnswerWrites
from cascade.targeting import OrderFilter
from cascade.tower import Position
from storage.conn import Connection, Row
from storage.handoff import in_thread, run_to_end
from storage.locking import ORDER_LOCK, order_lock_params
from storage.order_repo import (
    ADD_DONE,
    SAVE_ORDER,
    SAVE_STATE,
    STATE_COLUMNS,
    order_of,
    order_row,
    state_of,
    state_row,
)
from storage.outbox_repo import DEDUPE, DISCARD, INSERT, SqliteOutboxRepository, queued_rows
from storage.paths import codes_of
from storage.pg import PgConnection
from storage.timer_repo import MARK_DIRTY
from storage.tower_repo import REF_COLUMNS, ref_of

K = TypeVar("K")
T = TypeVar("T")
# Reads that yield each statement with its parameters and are sent back its rows; what
# they return is what they read (`_here` runs them on SQLite's thread, `_over` on
# PostgreSQL).
Reading = Generator[tuple[str, Sequence[object]], list[Row], T]
# (order id, unit code) -> the row's rowid in `order_units`, as a batch read it.
RowIds = dict[tuple[int, str], int]
# A chain's row saved where the batch read it: found by its rowid, not through the
# primary key's index (a descent less for each of ~175 rows a batch); the key is
# still matched, and a row not matched fails the batch (`_save_states`).
SAVE_READ_STATE = SAVE_STATE + " AND rowid = ?"
# Bound parameters per query, well under SQLite's limit.
CHUNK = 250


def _chunks(items: list[K]) -> Iterator[tuple[list[K], str]]:
    """`items` in slices of CHUNK, each with its "?,?,..." placeholders."""
    for start in range(0, len(items), CHUNK):
        part = items[start : start + CHUNK]
        yield part, ",".join("?" * len(part))


def _read(keys: list[AnswerKey], rowids: RowIds | None, locks: bool) -> Reading[AnswerReads]:
    """Everything the answers of `keys` will read; the chains' rows' rowids into
    `rowids` (SQLite; None: the engine has none); with `locks`, first the roll-up lock
    of every order named (PostgreSQL, storage/locking.py), in the orders' order, so two
    workers' batches that share orders wait for each other rather than deadlock, and
    no row of an order is read before its lock is held."""
    out = AnswerReads()
    if locks:
        for order_id in sorted({k.order_id for k in keys if k.order_id is not None}):
            yield ORDER_LOCK, order_lock_params(order_id)
            out.locked.add(order_id)
    chats = list(dict.fromkeys(k.chat_id for k in keys))
    tower_paths: dict[str, str] = {}
    for chat_part, marks in _chunks(chats):
        sql = f"SELECT {REF_COLUMNS}, path FROM units WHERE chat_id IN ({marks})"
        for row in (yield sql, chat_part):
            out.units[row["chat_id"]] = out.refs[row["code"]] = ref_of(row)
            tower_paths[row["code"]] = row["path"]
    for chat in chats:
        out.units.setdefault(chat, None)
    wanted: dict[int, list[str]] = {}
    for key in keys:
        unit = out.units[key.chat_id]
        if key.order_id is not None and unit is not None:
            wanted.setdefault(key.order_id, []).append(unit.code)
    for order_id, codes in wanted.items():
        row = _first((yield "SELECT * FROM orders WHERE id = ?", (order_id,)))
        out.orders[order_id] = order_of(row) if row is not None else None
        sql = "SELECT filter FROM order_filters WHERE order_id = ?"
        row = _first((yield sql, (order_id,)))
        out.filters[order_id] = OrderFilter.model_validate_json(row[0]) if row else None
        order = out.orders[order_id]
        issuer = order.issuer_unit if order is not None else None
        yield from _chains(order_id, list(dict.fromkeys(codes)), out, tower_paths, issuer, rowids)
    # The issuers (an acknowledgement names its order's issuer); the chains' other
    # units only when a decision names them (cascade/answer_batch.py `_Tower.refs`).
    issuers = {o.issuer_unit for o in out.orders.values() if o is not None}
    missing = list(issuers - out.refs.keys())
    for part, marks in _chunks(missing):
        for row in (yield f"SELECT {REF_COLUMNS} FROM units WHERE code IN ({marks})", part):
            out.refs[row["code"]] = ref_of(row)
    pairs = [(u.code, k.user_id) for k in keys if (u := out.units[k.chat_id]) is not None]
    yield from _positions(list(dict.fromkeys(pairs)), out.positions)
    pressing = list(dict.fromkeys(k.user_id for k in keys if k.acknowledging))
    yield from _names(pressing, out.names)
    return out


def _first(rows: list[Row]) -> Row | None:
    return rows[0] if rows else None


def _chains(
    order_id: int,
    codes: list[str],
    out: AnswerReads,
    tower_paths: dict[str, str],
    issuer: str | None,
    rowids: RowIds | None,
) -> Reading[None]:
    """`OrderRepository.chain` of many units; a row that chains share is one object.

    A unit's path in the order is its path in the tower from the issuer down, as
    the order's targets were written (`OrderRepository.write_targets`), so it is taken
    from the tower's row already read rather than read again: one query for the
    chains' rows instead of two. The tower may have changed since the order was
    written and a targeted order skips the units not picked, so each such path is
    checked against the unit's own row in the order, which holds its real path;
    where they differ (or the unit is no target) the path is read and its chain
    read again. The chains are those `OrderRepository.chain` reads, whatever the guess."""
    guessed = {c: p for c in codes if (p := _below(tower_paths.get(c), issuer)) is not None}
    paths = {**guessed, **(yield from _paths(order_id, [c for c in codes if c not in guessed]))}
    rows: dict[str, tuple[str, TargetState]] = {}
    yield from _rows(order_id, paths.values(), rows, rowids)
    wrong = [c for c, path in guessed.items() if c not in rows or rows[c][0] != path]
    if wrong:
        for code in wrong:
            del paths[code]
        paths.update((yield from _paths(order_id, wrong)))
        yield from _rows(order_id, paths.values(), rows, rowids)
    for code in codes:
        path = paths.get(code)
        chain = [rows[c][1] for c in reversed(codes_of(path))] if path is not None else []
        out.chains[(order_id, code)] = chain


def _below(tower_path: str | None, issuer: str | None) -> str | None:
    """The part of a tower path from `issuer` down (None: not under it)."""
    if tower_path is None or issuer is None:
        return None
    start = tower_path.find(f"/{issuer}/")
    return tower_path[start:] if start >= 0 else None


def _paths(order_id: int, codes: list[str]) -> Reading[dict[str, str]]:
    """The paths of those of `codes` that are targets of the order."""
    paths: dict[str, str] = {}
    for part, marks in _chunks(codes):
        sql = (
            f"SELECT unit_code, path FROM order_units WHERE order_id = ? AND unit_code IN ({marks})"
        )
        paths.update((r[0], r[1]) for r in (yield sql, (order_id, *part)))
    return paths


def _rows(
    order_id: int,
    paths: Iterable[str],
    rows: dict[str, tuple[str, TargetState]],
    rowids: RowIds | None,
) -> Reading[None]:
    """Adds to `rows` (path, row) of every unit on `paths` it lacks; their rowids to
    `rowids` if given."""
    every = [c for c in dict.fromkeys(c for path in paths for c in codes_of(path)) if c not in rows]
    rowid = ", rowid" if rowids is not None else ""
    for part, marks in _chunks(every):
        sql = (
            f"SELECT {STATE_COLUMNS}{rowid} FROM order_units "
            f"WHERE order_id = ? AND unit_code IN ({marks})"
        )
        for r in (yield sql, (order_id, *part)):
            if rowids is None:
                rows[r[1]] = (r[3], state_of(r))
            else:
                rows[r[1]] = (r[3], state_of(r[:-1]))
                rowids[(order_id, r[1])] = r[-1]


def _positions(
    pairs: list[tuple[str, int]],
    out: dict[tuple[str, int], Position | None],
) -> Reading[None]:
    """`TowerRepository.position` of many (unit, person) pairs."""
    for part, _ in _chunks(pairs):
        codes = list(dict.fromkeys(code for code, _ in part))
        people = list(dict.fromkeys(person for _, person in part))
        asked = set(part)
        sql = (
            "SELECT unit_code, telegram_id, position FROM members "
            f"WHERE unit_code IN ({','.join('?' * len(codes))}) "
            f"AND telegram_id IN ({','.join('?' * len(people))}) ORDER BY seq"
        )
        for row in (yield sql, [*codes, *people]):
            pair = (row[0], row[1])
            if pair in asked and pair not in out:
                out[pair] = Position(row[2])
        rest = [pair for pair in part if pair not in out]
        if not rest:
            continue
        codes = list(dict.fromkeys(code for code, _ in rest))
        people = list(dict.fromkeys(person for _, person in rest))
        sql = (
            "SELECT DISTINCT parent, commander_id FROM units "
            f"WHERE parent IN ({','.join('?' * len(codes))}) "
            f"AND commander_id IN ({','.join('?' * len(people))})"
        )
        children = {(row[0], row[1]) for row in (yield sql, [*codes, *people])}
        for pair in rest:
            out[pair] = Position.MEMBER if pair in children else None


def _names(people: list[int], out: dict[int, str | None]) -> Reading[None]:
    """`TowerRepository.person_name` of many people (None: no name known)."""
    for part, marks in _chunks(people):
        sql = f"SELECT telegram_id, name FROM members WHERE telegram_id IN ({marks})"
        for row in (yield sql, part):
            out.setdefault(row[0], str(row[1]))
        # The units only for who has no slot: no index on the commander, this reads
        # the whole tower.
        rest = [person for person in part if person not in out]
        for rest_part, rest_marks in _chunks(rest):
            sql = (
                "SELECT commander_id, commander_name FROM units WHERE commander_id IN "
                f"({rest_marks}) AND commander_name IS NOT NULL"
            )
            for row in (yield sql, rest_part):
                out.setdefault(row[0], str(row[1]))
        for person in part:
            out.setdefault(person, None)


def _here(db: sqlite3.Connection, reading: Reading[T]) -> T:
    """`reading` run to its end on SQLite's thread: all its statements in one hand-off."""
    try:
        query = next(reading)
        while True:
            query = reading.send(db.execute(*query).fetchall())
    except StopIteration as done:
        return cast(T, done.value)


async def _over(conn: PgConnection, reading: Reading[T]) -> T:
    """`reading` run to its end on PostgreSQL, one trip a statement."""
    try:
        query = next(reading)
        while True:
            query = reading.send(await conn.execute_fetchall(*query))
    except StopIteration as done:
        return cast(T, done.value)


def _save_states(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """`SAVE_READ_STATE` for each row; every row must be matched (a row found at its
    rowid under another key would be a write lost: the batch fails instead)."""
    if rows and db.executemany(SAVE_READ_STATE, rows).rowcount != len(rows):
        raise RuntimeError("a chain's row was not where the batch read it")


def _begun(db: sqlite3.Connection, work: Callable[..., T], *args: Any) -> T:
    """BEGIN IMMEDIATE, then `work` (`SqliteAnswerRepository.begins`)."""
    db.execute("BEGIN IMMEDIATE")
    return work(db, *args)


class SqliteAnswerRepository:
    """On either engine (the name is the repositories' own: they all run on both)."""

    def __init__(self, conn: Connection, outbox: SqliteOutboxRepository) -> None:
        self.conn = conn
        self.outbox = outbox
        self.rowids: RowIds = {}
        # Set by `Database.answer_batch` (SQLite): the transaction's BEGIN IMMEDIATE goes
        # with this repository's first hand-off (the batch's read), not before it.
        self.begins = False

    async def read(self, keys: list[AnswerKey]) -> AnswerReads:
        """On PostgreSQL the orders' roll-up locks are taken first (`_read`) and
        reported in `AnswerReads.locked`; SQLite's transactions are serial already."""
        if isinstance(self.conn, PgConnection):
            return await _over(self.conn, _read(keys, None, locks=True))
        return await self._in_thread(_here, _read(keys, self.rowids, locks=False))

    async def _in_thread(self, work: Callable[..., T], *args: Any) -> T:
        """`work(sqlite3 connection, *args)` on the database thread, in one hand-off;
        the transaction's BEGIN with it if it is the first (let to end if cancelled
        then, as BEGIN is: an orphan BEGIN would break the next transaction)."""
        conn = self.conn
        assert isinstance(conn, aiosqlite.Connection)
        if not self.begins:
            return await in_thread(conn, work, *args)
        self.begins = False
        return await run_to_end(in_thread(conn, _begun, work, *args))

    async def write(self, writes: AnswerWrites) -> None:
        dedupes, inserts = queued_rows(writes.messages)
        # Parameters are built here, on the event loop's side; the thread only runs SQL.
        rowids = self.rowids
        read: list[tuple[object, ...]] = []
        unread: list[TargetState] = []
        for s in writes.states:
            rowid = rowids.get((s.order_id, s.unit_code))
            if rowid is None:
                unread.append(s)
            else:
                read.append((*state_row(s), rowid))
        steps: list[tuple[str, list[tuple[object, ...]]]] = [
            (SAVE_STATE, [state_row(s) for s in unread]),
            (SAVE_ORDER, [order_row(o) for o in writes.orders]),
            (ADD_DONE, [(n, o, lvl) for o, by in writes.done.items() for lvl, n in by.items()]),
            (MARK_DIRTY, [(o, code) for o, codes in writes.dirty.items() for code in codes]),
            (DISCARD, [(prefix, prefix + "\uffff") for prefix in writes.discards]),
            (DEDUPE, dedupes),
            (INSERT, inserts),
        ]

        def run(db: sqlite3.Connection) -> None:
            _save_states(db, read)
            for sql, rows in steps:
                if rows:
                    db.executemany(sql, rows)

        if isinstance(self.conn, PgConnection):  # no rowids read: every state in `steps`
            for sql, rows in steps:
                if rows:
                    await self.conn.executemany(sql, rows)
        else:
            await self._in_thread(run)
        self.outbox.added += len(inserts)
