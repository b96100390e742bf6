"""A fake Telegram for the bot tests: a recording session and a harness.

`FakeSession` stands in for aiogram's HTTP session: it records every Bot API
method the bot calls and answers with plausible objects (a `Message` with an
increasing id for sends, a bot `User` for getMe, True otherwise). Failures can
be queued per chat to play Telegram errors. `Harness` feeds real `Update`s
through the real dispatcher and drains the outbox with the real sender.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import tempfile
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramMigrateToChat
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetMe,
    GetUpdates,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMessageReaction,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReactionTypeEmoji,
    Update,
    User,
)
from pydantic import SecretStr

from bot.app import TowerBot
from bot.raw_updates import GetRawUpdates, update_id_of
from bot.settings import SenderLimits, Settings
from cascade.clock import FakeClock
from cascade.tower import Unit
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import Engine
from tests.support.updates import as_json

TOKEN = "123456:" + "A" * 30
BOT_ID = 123456
BOT_USERNAME = "tower_test_bot"

HQ_CHAT = -1002000000001
HQ_COMMANDER = 6000000001
HQ_ADMIN = 6000000005  # 王嘉峰, a plain HQ member listed in `admins`
HQ_MEMBER = 6000000004  # 张红, a plain HQ member
TS01_CHAT, TS01_COMMANDER = -1002000000002, 6000000007  # 塔山村, level 2
TS0101_CHAT, TS0101_COMMANDER = -1002000000003, 6000000009  # 塔山村第一村民小组, level 3
TS0101_MEMBER = 6000000010
TS0102_CHAT, TS0102_COMMANDER = -1002000000004, 6000000014
UNBOUND_CHAT = -1009999999999


ErrorFactory = Callable[[TelegramMethod[Any]], Exception]


class FakeSession(BaseSession):
    """Records every method; answers like Telegram would, or raises what is queued."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.messages: list[Message] = []
        self.failures: dict[int, list[ErrorFactory]] = {}
        self.migrations: dict[int, int] = {}  # old chat id → new: Telegram keeps saying so
        self.closed = False
        self.delivered = asyncio.Event()  # set on every message sent
        self._ids = itertools.count(1000)
        # What getUpdates serves, as Telegram does: forgotten below the offset (not
        # recorded in `calls`: a running poller asks again and again). An update may
        # be queued as its JSON object, malformed ones too (served once).
        self.inbound: list[Update | dict[str, Any]] = []

    def fail_next(self, chat_id: int, *errors: ErrorFactory) -> None:
        self.failures.setdefault(chat_id, []).extend(errors)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> Any:
        if method.__api_method__ == "getUpdates":  # aiogram's or the poller's own
            return await self._updates(bot, method)
        self.calls.append(method)
        chat_id = getattr(method, "chat_id", None)
        queued = self.failures.get(chat_id) if isinstance(chat_id, int) else None
        if queued:
            raise queued.pop(0)(method)
        if isinstance(chat_id, int) and chat_id in self.migrations:
            raise TelegramMigrateToChat(
                method=method,
                message="Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrations[chat_id],
            )
        if isinstance(method, GetMe):
            return self.bot_user()
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            assert isinstance(method.chat_id, int)
            text = method.text if isinstance(method, SendMessage) else method.caption
            markup = method.reply_markup
            message = Message(
                message_id=next(self._ids),
                date=datetime(2020, 2, 20, tzinfo=UTC),
                chat=Chat(
                    id=method.chat_id, type="supergroup" if method.chat_id < 0 else "private"
                ),
                from_user=self.bot_user(),
                text=text,
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
            self.messages.append(message)
            self.delivered.set()
            return message.as_(bot)
        if isinstance(method, EditMessageText):
            return True
        if isinstance(method, AnswerCallbackQuery):
            return True
        return True

    async def _updates(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        """The server's JSON answer, read by the session as aiogram's HTTP session
        reads it (`check_response`), into whatever the method returns."""
        assert isinstance(method, GetUpdates | GetRawUpdates)
        if method.offset is not None:
            self.inbound = [u for u in self.inbound if not below(u, method.offset)]
        if not self.inbound:
            await asyncio.sleep(0.01)  # a long poll with nothing new
        batch = self.inbound[: min(100, method.limit or 100)]
        # An item without an update id can never be confirmed: served once.
        self.inbound = [u for u in self.inbound if served_id(u) is not None or u not in batch]
        result = [u if isinstance(u, dict) else as_json(u) for u in batch]
        content = json.dumps({"ok": True, "result": result}, ensure_ascii=False)
        return self.check_response(bot, method, 200, content).result

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        self.closed = True

    @staticmethod
    def bot_user() -> User:
        return User(id=BOT_ID, is_bot=True, first_name="塔群机器人", username=BOT_USERNAME)

    # ------------------------------------------------------------ questions

    def sends(self, chat_id: int | None = None) -> list[SendMessage]:
        return [
            c
            for c in self.calls
            if isinstance(c, SendMessage) and (chat_id is None or c.chat_id == chat_id)
        ]

    def copies(self) -> list[SendMessage]:
        """Sends that carry a "收到" (ack) button: the order copies."""
        return [c for c in self.sends() if ack_button_data(c.reply_markup) is not None]

    def texts(self, chat_id: int) -> list[str]:
        return [c.text for c in self.sends(chat_id)]

    def sent_messages(self, chat_id: int) -> list[Message]:
        return [m for m in self.messages if m.chat.id == chat_id]

    def reactions(self, chat_id: int) -> list[tuple[int, str]]:
        """(message id, emoji) of every reaction the bot set in a chat."""
        return [
            (c.message_id, r.emoji)
            for c in self.calls
            if isinstance(c, SetMessageReaction) and c.chat_id == chat_id
            for r in c.reaction or []
            if isinstance(r, ReactionTypeEmoji)
        ]

    def answers(self) -> list[AnswerCallbackQuery]:
        return [c for c in self.calls if isinstance(c, AnswerCallbackQuery)]

    def clear(self) -> None:
        self.calls.clear()


def served_id(update: Update | dict[str, Any]) -> int | None:
    """The id of an update queued for getUpdates (None: a malformed one without it)."""
    if isinstance(update, Update):
        return update.update_id
    return update_id_of(update)


def below(update: Update | dict[str, Any], offset: int) -> bool:
    """Whether getUpdates at `offset` has forgotten `update`."""
    update_id = served_id(update)
    return update_id is not None and update_id < offset


def ack_button_data(markup: object) -> str | None:
    """The callback data of the first button when it is an "ack:" button."""
    if not isinstance(markup, InlineKeyboardMarkup) or not markup.inline_keyboard:
        return None
    data = markup.inline_keyboard[0][0].callback_data or ""
    return data if data.startswith("ack:") else None


class StepClock:
    """A monotonic clock that moves one second per reading: no rate-limit waits."""

    def __init__(self) -> None:
        self.value = 1_000.0

    def __call__(self) -> float:
        self.value += 1.0
        return self.value


class Harness:
    def __init__(self, app: TowerBot, session: FakeSession, clock: FakeClock) -> None:
        self.app = app
        self.session = session
        self.clock = clock
        self._updates = itertools.count(1)
        self._incoming = itertools.count(1)

    def user(self, user_id: int, language: str | None = "zh-hans") -> User:
        return User(id=user_id, is_bot=False, first_name=f"u{user_id}", language_code=language)

    def message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to: Message | None = None,
        language: str | None = "zh-hans",
    ) -> Message:
        entities = None
        if text.startswith("/"):
            entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
        return Message(
            message_id=next(self._incoming),
            date=self.clock.now(),
            chat=Chat(id=chat_id, type="supergroup", title=f"chat {chat_id}"),
            from_user=self.user(user_id, language),
            text=text,
            entities=entities,
            reply_to_message=reply_to,
        )

    async def send(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        reply_to: Message | None = None,
        language: str | None = "zh-hans",
    ) -> Message:
        message = self.message(chat_id, user_id, text, reply_to, language)
        await self.app.dispatcher.feed_update(
            self.app.bot, Update(update_id=next(self._updates), message=message)
        )
        return message

    async def private(self, user_id: int, text: str) -> Message:
        """A message from `user_id` in their private chat with the bot (`send` is in groups)."""
        message = self.message(user_id, user_id, text).model_copy(
            update={"chat": Chat(id=user_id, type="private")}
        )
        await self.app.dispatcher.feed_update(
            self.app.bot, Update(update_id=next(self._updates), message=message)
        )
        return message

    async def press(self, on: Message, user_id: int, data: str) -> None:
        query = CallbackQuery(
            id=f"cq{next(self._updates)}",
            from_user=self.user(user_id),
            chat_instance="ci",
            message=on,
            data=data,
        )
        await self.app.dispatcher.feed_update(
            self.app.bot, Update(update_id=next(self._updates), callback_query=query)
        )

    async def confirm_draft(self, chat_id: int, user_id: int) -> str:
        """Press the first button (确认) of the returnee draft last shown in `chat_id`, as
        `user_id`, and let what follows be sent; the button's data (``…:INCIDENT_ID:…``)."""
        draft = self.prompt_in(chat_id)
        assert draft.reply_markup is not None
        confirm = draft.reply_markup.inline_keyboard[0][0].callback_data or ""
        await self.press(draft, user_id, confirm)
        await self.drain()
        return confirm

    async def drain(self) -> int:
        """Run the sender until the outbox has nothing due; returns rows handled."""
        handled = 0
        paced = 0.0  # real seconds spent waiting for the sender's pacing
        for _ in range(1000):
            before = len(self.session.calls)
            progressed, wait = await self.app.sender.drain_once()
            handled += len(self.session.calls) - before
            if progressed:
                continue
            async with self.app.db.transaction() as tx:
                left = await tx.outbox.due(self.app.sender.wall())
            if not left or paced > 5.0:
                break
            # Rows still due that the limits hold back for now (the pacing runs on
            # real time, and a loaded machine shifts it): wait as the sender would.
            pause = min(max(wait, 0.001), 0.2)
            await asyncio.sleep(pause)
            paced += pause
        async with self.app.db.transaction() as tx:
            left = await tx.outbox.due(self.app.sender.wall())
        assert left == [], f"{len(left)} outbox rows still due after draining"
        return handled

    async def outbox_counts(self) -> dict[str, int]:
        async with self.app.db.conn.execute(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status"
        ) as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}

    async def pending_rows(self) -> int:
        return (await self.outbox_counts()).get("pending", 0)

    async def said(self, chat_id: int) -> list[str]:
        """Texts sent to a chat, live progress boards left out (they change in place)."""
        async with self.app.db.conn.execute(
            "SELECT message_id FROM message_refs WHERE chat_id = ? AND purpose = 'progress'",
            (chat_id,),
        ) as cur:
            boards = {r[0] for r in await cur.fetchall()}
        return [
            m.text or "" for m in self.session.sent_messages(chat_id) if m.message_id not in boards
        ]

    async def last(self, chat_id: int) -> str:
        texts = await self.said(chat_id)
        assert texts, f"nothing was sent to {chat_id}"
        return texts[-1]

    def copy_in(self, chat_id: int) -> Message:
        """The order copy (the message with a "收到" button) last sent to a chat."""
        for message in reversed(self.session.sent_messages(chat_id)):
            if ack_button_data(message.reply_markup) is not None:
                return message
        raise AssertionError(f"no order copy in {chat_id}")

    def prompt_in(self, chat_id: int) -> Message:
        """The last message sent to a chat (a form prompt, a preview ...)."""
        messages = self.session.sent_messages(chat_id)
        assert messages, f"nothing was sent to {chat_id}"
        return messages[-1]

    async def row_status(self, unit_code: str, order_id: int = 1) -> dict[str, Any]:
        async with self.app.db.conn.execute(
            "SELECT * FROM order_units WHERE order_id = ? AND unit_code = ?", (order_id, unit_code)
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return dict(row)


@functools.cache
def tower_units(name: str) -> tuple[Unit, ...]:
    """A shipped tower, parsed once per test run (YAML parsing takes about a second)."""
    return tuple(load_path(fixture_path(name)))


# Every harness starts from a copy of a database file made once per test run: the
# tower imported (and, for `issued=`, one order already issued from HQ and sent).
_CACHE = tempfile.TemporaryDirectory(prefix="towerbot-tests-")
DEFAULT_ORDER = "/order 15m count 统计外地人数"


@dataclass
class _Snapshot:
    db: str
    calls: list[TelegramMethod[Any]]
    messages: list[Message]
    next_message_id: int
    next_incoming: int
    next_update: int


_SNAPSHOTS: dict[tuple[str, str, str], _Snapshot] = {}


_TEMPLATES: dict[tuple[str, str], str] = {}


async def _tower_template(tower: str, engine: Engine) -> str:
    """A database of `engine` with `tower` imported, made once per test run."""
    key = (engine.name, tower)
    if key not in _TEMPLATES:
        target = await engine.new_target(Path(_CACHE.name), f"{tower}.db", keep=True)
        db = Database(target)
        await db.open()
        await import_units(db, [u.model_copy(deep=True) for u in tower_units(tower)])
        await db.close()
        _TEMPLATES[key] = target
    return _TEMPLATES[key]


async def _issued_snapshot(tower: str, order: str, engine: Engine) -> _Snapshot:
    key = (engine.name, tower, order)
    if key not in _SNAPSHOTS:
        work = Path(tempfile.mkdtemp(dir=_CACHE.name))
        h = await make_harness(work, tower, engine=engine, keep=True)
        root = tower_units(tower)[0]
        assert root.chat_id is not None and root.commander is not None
        await h.send(root.chat_id, root.commander.telegram_id or 0, order)
        await h.drain()
        await h.app.stop()
        if not engine.is_postgres:
            assert not (work / f"{tower}.db-wal").exists(), "the copy must hold everything"
        _SNAPSHOTS[key] = _Snapshot(
            db=h.app.db.path,
            calls=list(h.session.calls),
            messages=list(h.session.messages),
            next_message_id=next(h.session._ids),
            next_incoming=next(h._incoming),
            next_update=next(h._updates),
        )
    return _SNAPSHOTS[key]


async def make_harness(
    tmp_path: Path,
    tower: str = "tashan",
    admins: frozenset[int] = frozenset({HQ_ADMIN}),
    issued: str | None = None,
    engine: Engine | None = None,
    keep: bool = False,
) -> Harness:
    """A TowerBot on a fake session with `tower` imported (from a cached copy), on
    `engine`'s database (SQLite when none is given; the conftests pass the
    parametrised `engine` fixture, so the tests run on both engines).

    With `issued`, the tower's HQ commander has already sent that command in
    the HQ group and everything it caused was sent: the session holds those
    calls, as if the test had done it itself.
    """
    engine = engine or Engine("sqlite")
    snapshot = await _issued_snapshot(tower, issued, engine) if issued else None
    source = snapshot.db if snapshot else await _tower_template(tower, engine)
    db_path = await engine.copy_of(source, tmp_path, f"{tower}.db", keep=keep)
    session = FakeSession()
    clock = FakeClock()
    app = TowerBot(
        Settings(
            bot_token=SecretStr(TOKEN),
            db=db_path,
            admins=admins,
            limits=SenderLimits(per_second=1000, chat_interval=0, group_per_minute=10**6),
        ),
        session,
        clock=clock,
    )
    await app.open()
    app.sender.monotonic = StepClock()
    h = Harness(app, session, clock)
    if snapshot is not None:
        session.calls = list(snapshot.calls)
        session.messages = list(snapshot.messages)
        session._ids = itertools.count(snapshot.next_message_id)
        h._incoming = itertools.count(snapshot.next_incoming)
        h._updates = itertools.count(snapshot.next_update)
    return h
