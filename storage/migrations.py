"""Ordered schema migrations, tracked with `PRAGMA user_version`.

A migration is appended, never edited: a database at version N runs exactly
the migrations after N, each in its own transaction.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the tower, orders with their per-unit rows, the outbox and message refs.
    """
    CREATE TABLE units (
        code TEXT PRIMARY KEY,
        parent TEXT,
        path TEXT NOT NULL,
        level INTEGER NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        chat_id INTEGER UNIQUE,
        locale TEXT NOT NULL,
        commander_name TEXT,
        commander_id INTEGER,
        unreachable INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
    );
    CREATE INDEX units_path ON units(path);
    CREATE TABLE members (
        unit_code TEXT NOT NULL REFERENCES units(code) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        position TEXT NOT NULL,
        name TEXT NOT NULL,
        telegram_id INTEGER,
        roles TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (unit_code, seq)
    );
    CREATE INDEX members_person ON members(telegram_id);
    CREATE TABLE orders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        issuer_unit TEXT NOT NULL,
        issuer_user INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        deadline_at TEXT NOT NULL,
        status TEXT NOT NULL,
        finished_at TEXT,
        total_targets INTEGER NOT NULL,
        done_targets INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE order_units (
        order_id INTEGER NOT NULL REFERENCES orders(id),
        unit_code TEXT NOT NULL,
        parent_code TEXT,
        path TEXT NOT NULL,
        level INTEGER NOT NULL,
        is_root INTEGER NOT NULL,
        is_bottom INTEGER NOT NULL,
        children_total INTEGER NOT NULL,
        children_done INTEGER NOT NULL DEFAULT 0,
        acked_at TEXT,
        acked_by INTEGER,
        answered_at TEXT,
        updated_at TEXT,
        answered_by INTEGER,
        value INTEGER,
        items TEXT,
        subtotal INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (order_id, unit_code)
    );
    CREATE INDEX order_units_path ON order_units(order_id, path);
    CREATE INDEX order_units_unit ON order_units(unit_code, order_id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        priority INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        document BLOB,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before REAL NOT NULL DEFAULT 0,
        sent_at TEXT,
        message_id INTEGER,
        error TEXT
    );
    CREATE INDEX outbox_due ON outbox(status, priority, id);
    CREATE TABLE message_refs (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        order_id INTEGER,
        unit_code TEXT,
        PRIMARY KEY (chat_id, message_id)
    );
    """,
]

MIGRATIONS.append(
    # 2: the order clock (reminders, escalation rounds) and live progress messages;
    # outbox rows that edit a sent message, carry a photo, or replace an older
    # queued row with the same key (coalesced progress edits).
    """
    CREATE TABLE order_timers (
        order_id INTEGER NOT NULL REFERENCES orders(id),
        kind TEXT NOT NULL,
        round INTEGER NOT NULL DEFAULT 0,
        due_at TEXT NOT NULL,
        fired_at TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (order_id, kind, round)
    );
    CREATE INDEX order_timers_due ON order_timers(fired_at, due_at);
    CREATE TABLE progress_dirty (
        order_id INTEGER NOT NULL,
        unit_code TEXT NOT NULL,
        PRIMARY KEY (order_id, unit_code)
    );
    ALTER TABLE outbox ADD COLUMN dedupe_key TEXT;
    CREATE INDEX outbox_dedupe ON outbox(dedupe_key, status);
    CREATE INDEX message_refs_order ON message_refs(order_id, purpose, unit_code)
    """
)

MIGRATIONS.append(
    # 3: life of real groups. Rows for an unreachable group are held, not dropped;
    # a row being sent is marked so a crash between send and record is counted;
    # invite tokens for ?startgroup= and ?start= links.
    """
    ALTER TABLE units ADD COLUMN unreachable_reason TEXT;
    ALTER TABLE outbox ADD COLUMN resent INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX outbox_chat ON outbox(chat_id, status);
    CREATE TABLE invites (
        token TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        unit_code TEXT NOT NULL,
        seq INTEGER,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        used_by INTEGER,
        used_at TEXT
    );
    CREATE UNIQUE INDEX invites_slot ON invites(kind, unit_code, seq)
    """
)

MIGRATIONS.append(
    # 4: incidents (returnees reported by landlords and members) and unit colours
    # set by a superior, with their audit trail.
    """
    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        unit_code TEXT NOT NULL,
        reporter_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        report TEXT NOT NULL,
        high_risk INTEGER NOT NULL DEFAULT 0,
        stage TEXT NOT NULL,
        disposition TEXT,
        created_at TEXT NOT NULL,
        reported_at TEXT,
        disposed_at TEXT,
        disposed_by INTEGER,
        done_at TEXT,
        done_by INTEGER,
        escalations INTEGER NOT NULL DEFAULT 0,
        next_escalation_at TEXT
    );
    CREATE INDEX incidents_due ON incidents(stage, next_escalation_at);
    CREATE INDEX incidents_unit ON incidents(unit_code, stage);
    CREATE INDEX incidents_reported ON incidents(reported_at);
    CREATE TABLE unit_colours (
        unit_code TEXT PRIMARY KEY,
        colour TEXT NOT NULL,
        reason TEXT,
        set_by INTEGER NOT NULL,
        set_at TEXT NOT NULL
    );
    ALTER TABLE message_refs ADD COLUMN incident_id INTEGER;
    CREATE TABLE colour_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        unit_code TEXT NOT NULL,
        colour TEXT NOT NULL,
        reason TEXT,
        set_by INTEGER NOT NULL,
        set_at TEXT NOT NULL
    )
    """
)

MIGRATIONS.append(
    # 5: the sender asks for the earliest pending row after every pass it could not
    # send in; without this index that is a scan of every pending row (33 ms with the
    # 46,000 rows of one order to all of Yiwu), holding the database each time.
    """
    CREATE INDEX outbox_pending_due ON outbox(status, not_before)
    """
)

MIGRATIONS.append(
    # 6: updates that took effect, written in the same transaction as the decision
    # they caused (storage/processed.py), so a replayed update is skipped. `key`
    # names the message or press itself, in case it comes again under a new id.
    """
    CREATE TABLE processed_updates (
        bot_id INTEGER NOT NULL,
        update_id INTEGER NOT NULL,
        key TEXT,
        PRIMARY KEY (bot_id, update_id)
    );
    CREATE UNIQUE INDEX processed_updates_key ON processed_updates(bot_id, key)
    """
)

MIGRATIONS.append(
    # 7: the lease of the one process running the bot on this database (storage/lease.py).
    """
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        expires_at REAL NOT NULL
    )
    """
)

MIGRATIONS.append(
    # 8: people in the tower. A phone per person slot (one person, one card); the
    # audit trail of /member changes; the landlord 12-point score as a log of
    # signed changes (a period's score is 12 plus its sum; one automatic change per
    # incident at most); the weekly rankings already sent, so each goes out once.
    """
    ALTER TABLE members ADD COLUMN phone TEXT;
    CREATE INDEX members_name ON members(name);
    CREATE TABLE member_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        unit_code TEXT NOT NULL,
        actor INTEGER NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX member_log_unit ON member_log(unit_code, id);
    CREATE TABLE score_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        unit_code TEXT NOT NULL,
        landlord_id INTEGER,
        landlord_name TEXT NOT NULL,
        period TEXT NOT NULL,
        delta INTEGER NOT NULL,
        reason TEXT NOT NULL,
        source TEXT NOT NULL,
        incident_id INTEGER,
        actor INTEGER,
        at TEXT NOT NULL
    );
    CREATE INDEX score_log_period ON score_log(period, unit_code);
    CREATE UNIQUE INDEX score_log_incident ON score_log(incident_id, unit_code)
        WHERE incident_id IS NOT NULL;
    CREATE TABLE score_rankings (
        moment TEXT PRIMARY KEY,
        sent INTEGER NOT NULL,
        at TEXT NOT NULL
    )
    """
)

MIGRATIONS.append(
    # 9: an order at city scale. Per-unit counters of the subtree (targets and done
    # targets, the unit itself included unless it is the order's root) and per-level
    # counters of the whole order, kept by every answer, so /status and a board read a
    # handful of rows instead of the whole order; where an order being written in short
    # steps stands (the last unit path whose target is written, the last target whose
    # first board is queued; NULL when all are); children found by parent on an index;
    # the messages of an order being written wait as drafts (status 'draft', `draft_of`
    # the order) until every target is written, so a failure half-way sends nothing.
    """
    ALTER TABLE order_units ADD COLUMN sub_total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE order_units ADD COLUMN sub_done INTEGER NOT NULL DEFAULT 0;
    UPDATE order_units SET
        sub_total = (SELECT COUNT(*) FROM order_units d WHERE d.order_id = order_units.order_id
            AND d.path >= order_units.path
            AND d.path < SUBSTR(order_units.path, 1, LENGTH(order_units.path) - 1) || '0'
            AND d.is_root = 0),
        sub_done = (SELECT COUNT(*) FROM order_units d WHERE d.order_id = order_units.order_id
            AND d.path >= order_units.path
            AND d.path < SUBSTR(order_units.path, 1, LENGTH(order_units.path) - 1) || '0'
            AND d.is_root = 0 AND d.done_at IS NOT NULL);
    CREATE TABLE order_levels (
        order_id INTEGER NOT NULL REFERENCES orders(id),
        level INTEGER NOT NULL,
        total INTEGER NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (order_id, level)
    );
    INSERT INTO order_levels (order_id, level, total, done)
        SELECT order_id, level, COUNT(*), COUNT(done_at) FROM order_units
        WHERE is_root = 0 GROUP BY order_id, level;
    ALTER TABLE orders ADD COLUMN issue_cursor TEXT;
    ALTER TABLE orders ADD COLUMN boards_cursor TEXT;
    CREATE INDEX order_units_parent ON order_units(order_id, parent_code);
    CREATE INDEX units_parent ON units(parent);
    ALTER TABLE outbox ADD COLUMN draft_of INTEGER;
    CREATE INDEX outbox_drafts ON outbox(draft_of) WHERE draft_of IS NOT NULL
    """
)

MIGRATIONS.append(
    # 10: targeted orders (/order L3 #kind +tag @role ...): the filter an order was
    # issued with, so answers are checked against it (role holders answer for their
    # unit), and the planned targets (the picked units, each under its nearest picked
    # ancestor) that the stepwise writing copies into order_units instead of the tower.
    """
    CREATE TABLE order_filters (
        order_id INTEGER PRIMARY KEY REFERENCES orders(id),
        filter TEXT NOT NULL,
        holders INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE order_plan (
        order_id INTEGER NOT NULL REFERENCES orders(id),
        unit_code TEXT NOT NULL,
        parent_code TEXT,
        path TEXT NOT NULL,
        level INTEGER NOT NULL,
        is_root INTEGER NOT NULL,
        is_bottom INTEGER NOT NULL,
        children_total INTEGER NOT NULL,
        sub_total INTEGER NOT NULL,
        PRIMARY KEY (order_id, unit_code)
    )
    """
)

MIGRATIONS.append(
    # 11: guided forms' state (bot/forms.py), so every worker of a deployment sees the
    # step a person is at. `key` is aiogram's storage key written out; `touched_at` is
    # when the form last moved (NULL: no form open); `expired` marks a form that timed
    # out until its person is told so, once.
    """
    CREATE TABLE form_states (
        key TEXT PRIMARY KEY,
        state TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        touched_at TEXT,
        expired INTEGER NOT NULL DEFAULT 0
    )
    """
)

MIGRATIONS.append(
    # 12: runs of recurring jobs already done (the daily tally of a day), each claimed
    # by a row that commits with what the run sends, so several workers whose
    # schedulers all wake at 20:00 send it once (bot/daily.py).
    """
    CREATE TABLE timer_claims (
        name TEXT NOT NULL,
        moment TEXT NOT NULL,
        fired_at TEXT NOT NULL,
        PRIMARY KEY (name, moment)
    )
    """
)

MIGRATIONS.append(
    # 13: the durable inbox of long polling (storage/inbox.py): each getUpdates batch
    # is stored here, in one transaction, before the poller confirms it to Telegram,
    # and a row is deleted once its update is handled; a restart replays what is
    # left. `payload` is the update's Bot API JSON; keyed by bot, as several bots may
    # share one database.
    """
    CREATE TABLE inbox (
        bot_id INTEGER NOT NULL,
        update_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (bot_id, update_id)
    )
    """
)

MIGRATIONS.append(
    # 14: several bot tokens share one tower, each sending to its own subtrees
    # (storage/lanes.py). `send_lanes` says which bot sends to a unit's group
    # (resolved from the lanes' subtrees when a sender starts; 0 while the bot
    # that serves it has not started yet); each outbox row carries its lane from
    # the moment it is written (NULL: the primary bot's), so a sender's page is a
    # range of one index instead of a subtree filter re-evaluated on every read.
    """
    CREATE TABLE send_lanes (
        unit_code TEXT PRIMARY KEY,
        bot_id INTEGER NOT NULL
    );
    ALTER TABLE outbox ADD COLUMN lane INTEGER;
    CREATE INDEX outbox_lane_due ON outbox(status, lane, priority, id);
    CREATE INDEX outbox_lane_next ON outbox(status, lane, not_before)
    """
)

MIGRATIONS.append(
    # 15: an update whose handling kills the process must not be replayed at every
    # start (storage/inbox.py): `attempts` counts the replays that began handling it,
    # and after a few it is `set_aside` (kept, no longer handled; its chat is told).
    """
    ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE inbox ADD COLUMN set_aside INTEGER NOT NULL DEFAULT 0;
    """
)

MIGRATIONS.append(
    # 16: the answers to people go ahead of the bulk (cascade/outgoing.py, `Priority`):
    # a confirmation by reaction is 4 (was 45, after every copy and reminder) and the
    # "✅ 已收到" line on a pressed copy is 6 (was a board's 50). Rows queued before
    # carry the old number in their column and in their payload's JSON (which the
    # sender parses back into a `Priority`): both are moved.
    """
    UPDATE outbox SET priority = 4,
        payload = REPLACE(payload, '"priority":45', '"priority":4')
    WHERE priority = 45;
    UPDATE outbox SET priority = 6,
        payload = REPLACE(payload, '"priority":50', '"priority":6')
    WHERE priority = 50 AND dedupe_key LIKE 'acked:%'
        AND status IN ('draft', 'pending', 'held', 'sending')
    """
)

MIGRATIONS.append(
    # 17: several webhook workers share one PostgreSQL inbox (storage/inbox.py). Each
    # row carries the worker that stored or took it (`owner`, the id of its
    # `inbox:OWNER` lease; NULL: one process, SQLite) and its chat (`chat_id`, keyed
    # as bot/dispatch.py keys chats), so a start or a live worker takes only the rows
    # of workers gone, and a chat's update waits for the chat's earlier rows held by
    # another live worker (bot/worker_order.py).
    """
    ALTER TABLE inbox ADD COLUMN owner TEXT;
    ALTER TABLE inbox ADD COLUMN chat_id INTEGER;
    CREATE INDEX inbox_chat ON inbox(bot_id, chat_id, update_id)
    """
)
