"""Which bot sends each outbox row, when several bot tokens share one tower.

A city beyond one token's 30 messages a second runs extra bots, each serving some
subtrees (`Lane.serves`); the primary bot sends everything else (`Lane.avoid`).
The lane of a row used to be decided on every page read, by a subtree filter over
the units table inside the writers' transaction: at Yiwu three senders spent most
of their time there (benchmarks/RESULTS.md, "lane filter"). Now it is decided once:

- `send_lanes` maps a unit to the bot that sends to its group. Each sender writes
  it when it starts (`resolve`): a serving bot claims its subtrees under its bot id;
  the primary drops every unit no bot is configured for and marks the ones it must
  avoid with 0 until their bot has started, so a reconfigured tower never has the
  primary post into a group that another bot serves.
- each outbox row carries `lane` from the moment it is written (`LANE_OF_CHAT`,
  the chat's unit looked up by the unique `units.chat_id`; NULL: the primary's),
  and again whenever the lanes or a group's binding change (`relane`).

A sender's page is then one index range (`outbox_lane_due`: status, lane,
priority, id).

The same table says which bot handles a group's incoming messages (`handles`):
a group holding several of our bots delivers each member's message to each of
them, and only the bot that sends to the group answers it (bot/once.py).
"""

from __future__ import annotations

from cascade.outgoing import Lane
from storage.conn import Connection

# The lane of a row for chat `?`: its unit's bot, NULL for the primary bot.
LANE_OF_CHAT = (
    "(SELECT l.bot_id FROM units lu JOIN send_lanes l ON l.unit_code = lu.code "
    "WHERE lu.chat_id = ?)"
)
# Rows not sent yet; a sent or failed row keeps the lane it went out on.
UNSENT = "status IN ('draft', 'pending', 'held', 'sending')"
RELANE = f"UPDATE outbox SET lane = {LANE_OF_CHAT.replace('?', 'outbox.chat_id')} WHERE {UNSENT}"
# A unit and everything below it: the half-open path range of storage/paths.py
# ('0' is the character after '/').
SUBTREE = (
    "SELECT d.code FROM units s JOIN units d "
    "ON d.path >= s.path AND d.path < SUBSTR(s.path, 1, LENGTH(s.path) - 1) || '0' "
    "WHERE s.code = ?"
)
ELSEWHERE = 0  # another bot's unit, that bot not started yet: nobody sends to it


def shared(lane: Lane | None) -> bool:
    """Whether several bots share the tower (this bot serves some units or avoids some)."""
    return lane is not None and bool(lane.serves or lane.avoid)


def handles(lane: Lane | None, bot_id: int, serving: int | None) -> bool:
    """Whether bot `bot_id` (sending `lane`) handles a message in a group bound to a
    unit whose `send_lanes.bot_id` is `serving` (None: no row, the primary's).

    One token (no lane, or one with neither `serves` nor `avoid`): every message.
    A serving bot: its own units' groups. The primary: the units without a row. A
    unit marked ELSEWHERE (its bot not started yet) is handled by nobody now: that
    bot receives the message from Telegram when it starts (Telegram keeps a bot's
    updates until it fetches them) and handles it then, so the primary answering
    it now would have it answered twice."""
    if lane is None or not shared(lane):
        return True
    if lane.serves:
        return serving == bot_id
    return serving is None


async def serving_of(conn: Connection, chat_id: int) -> tuple[bool, int | None]:
    """(whether the chat is bound to a unit, the bot serving it: NULL for the primary)."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT l.bot_id FROM units u LEFT JOIN send_lanes l ON l.unit_code = u.code "
            "WHERE u.chat_id = ?",
            (chat_id,),
        )
    )
    if not rows:
        return False, None
    bot_id = rows[0][0]
    return True, None if bot_id is None else int(bot_id)


def lane_filter(lane: Lane | None) -> tuple[str, tuple[object, ...]]:
    """The `AND ...` that keeps one sender's rows (indexed), with its argument."""
    if lane is None or not shared(lane):
        return "", ()
    if lane.serves:
        return "AND lane = ?", (_key(lane),)
    return "AND lane IS NULL", ()


def _key(lane: Lane) -> int:
    """A serving lane's key; 0 would be the rows nobody may send yet."""
    if lane.bot_id == ELSEWHERE:
        raise ValueError("a serving lane needs its bot's id")
    return lane.bot_id


async def _subtrees(conn: Connection, codes: list[str]) -> set[str]:
    units: set[str] = set()
    for code in dict.fromkeys(codes):
        units.update(r[0] for r in await conn.execute_fetchall(SUBTREE, (code,)))
    return units


async def resolve(conn: Connection, lane: Lane | None) -> None:
    """Write this sender's part of `send_lanes` and re-lane the unsent rows (at start).

    A serving bot replaces its own units; the primary keeps only the units it must
    avoid (a bot dropped from the configuration gives its units back to it) and
    marks those no bot has claimed yet."""
    if lane is None:
        return
    if lane.serves:
        key = _key(lane)
        units = await _subtrees(conn, lane.serves)
        await conn.execute("DELETE FROM send_lanes WHERE bot_id = ?", (key,))
        await conn.executemany(
            "INSERT INTO send_lanes (unit_code, bot_id) VALUES (?, ?) "
            "ON CONFLICT (unit_code) DO UPDATE SET bot_id = excluded.bot_id",
            [(code, key) for code in sorted(units)],
        )
    else:
        avoid = await _subtrees(conn, lane.avoid)
        known = {r[0] for r in await conn.execute_fetchall("SELECT unit_code FROM send_lanes")}
        await conn.executemany(
            "DELETE FROM send_lanes WHERE unit_code = ?", [(c,) for c in sorted(known - avoid)]
        )
        await conn.executemany(
            "INSERT INTO send_lanes (unit_code, bot_id) VALUES (?, ?) "
            "ON CONFLICT (unit_code) DO NOTHING",
            [(code, ELSEWHERE) for code in sorted(avoid - known)],
        )
    await conn.execute(RELANE)


async def relane_chats(conn: Connection, chat_ids: list[int]) -> None:
    """A group was bound to a unit (or left one): its unsent rows follow the unit's bot."""
    await conn.executemany(
        f"UPDATE outbox SET lane = {LANE_OF_CHAT} WHERE chat_id = ? AND {UNSENT}",
        [(chat_id, chat_id) for chat_id in dict.fromkeys(chat_ids)],
    )
