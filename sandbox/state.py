"""`SandboxState`: the whole simulated Telegram world, in memory, without HTTP.

Why this module exists: end-to-end tests, the demo's web chat page and drills
all need one place that knows who is in which chat, what every chat shows, which
updates each bot has not fetched yet and how the bot answered each button press.
Keeping it free of aiohttp means in-process tests can act as people with plain
method calls (`post_message`, `press_button`) and read results back
(`chat_messages`, `callback_answer`), while `sandbox.api` and `sandbox.control`
only translate HTTP to these calls.

Everything here runs on the event loop's thread; the only awaiting methods are
the long-poll (`get_updates`), `wait_for` and the outgoing hooks.

Where later features go: every send, edit and delete a bot makes passes through
`before_outgoing` (called by the Bot API layer after the chat is resolved and
before anything changes).  Telegram's rate limits (`sandbox.limits`, 429 with
retry_after) and injected failures per chat (`sandbox.faults`: 403,
migrate_to_chat_id, 5xx, slowness) are applied there; ad-hoc ones go in
`outgoing_hooks`; see `OutgoingHook`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import inspect
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from sandbox.entities import detect_entities, entities_to_html, mentioned_users, utf16_len
from sandbox.errors import ApiError, ControlError
from sandbox.faults import FaultInjector
from sandbox.limits import RateLimiter, SandboxLimits
from sandbox.markup import callback_data_of, is_inline
from sandbox.media import StoredFile, extension_of, make_file_id, make_file_unique_id
from sandbox.models import (
    CHAT_TYPES,
    MEMBER_STATUSES,
    PRESENT_STATUSES,
    BotRecord,
    CallbackRecord,
    ChatRecord,
    Conversation,
    MessageRecord,
    OutgoingRequest,
    UserRecord,
    Webhook,
)

T = TypeVar("T")

TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]{20,}$")

DEFAULT_BOT_FIRST_NAME = "Towerbot"
DEFAULT_BOT_USERNAME = "towerbot_sandbox_bot"

# A hook may raise ApiError (e.g. ApiError.too_many_requests(3)) or sleep.
OutgoingHook = Callable[[OutgoingRequest], Awaitable[None] | None]

_UNSET: Any = object()

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
# The emoji a bot may react with (Bot API, ReactionTypeEmoji).
REACTION_EMOJI = frozenset(
    "❤ 👍 👎 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 "
    "🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 "
    "🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡".split()
)
SENT_LOG_MAX = 200_000  # the bot-message feed keeps at least half this many
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CALLBACK_INVALID = "query is too old and response timeout expired or query ID is invalid"


# Who "sends" the migrate_from_chat_id message in the new supergroup on Telegram.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


class SandboxState:
    """The in-memory Telegram world: bots, people, chats, messages, updates, files."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        bot_first_name: str = DEFAULT_BOT_FIRST_NAME,
        bot_username: str = DEFAULT_BOT_USERNAME,
        auto_register_bots: bool = True,
        max_events: int = 10_000,
        limits: SandboxLimits | None = None,
    ) -> None:
        self.clock = clock
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.auto_register_bots = auto_register_bots
        self.bots: dict[str, BotRecord] = {}
        self.outgoing_hooks: list[OutgoingHook] = []
        # Told of every setWebhook/deleteWebhook: the server's webhook deliverer.
        self.webhook_listeners: list[Callable[[BotRecord], None]] = []
        # Telegram's limits (off unless `limits` is given) and injected faults per chat;
        # see sandbox.limits / sandbox.faults.  Both follow state changes (commit, reset).
        self.limiter = RateLimiter(lambda: self.clock(), limits)
        self.faults = FaultInjector(self)
        self.change_listeners: list[Callable[[dict[str, Any]], None]] = [
            self.limiter.on_change,
            self.faults.on_change,
        ]
        self._max_events = max_events
        self._event_seq = 0
        self._change_waiters: set[asyncio.Event] = set()
        self._clear_world()

    def _clear_world(self) -> None:
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.conversations: dict[tuple[int, int], Conversation] = {}
        # The same conversations by chat (in creation order), so reading one chat
        # does not scan every conversation of a 37,000-group tower.
        self._chat_conversations: dict[int, dict[int, Conversation]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.events: deque[dict[str, Any]] = deque(maxlen=self._max_events)
        # Every message a bot sent, in order (see `sent_after`); seq numbers are contiguous.
        self._sent_log: list[tuple[int, int, int, int, list[str], list[int], float]] = []
        self._sent_seq = 0
        self._file_serial = 0
        self._callback_serial = 0

    def now(self) -> int:
        return int(self.clock())

    def set_limits(self, limits: SandboxLimits | None) -> None:
        """Enforce Telegram's sending limits (429s), or stop with None."""
        self.limiter.set_limits(limits)

    # ------------------------------------------------------------------ bots

    def add_bot(
        self,
        token: str,
        *,
        first_name: str | None = None,
        username: str | None = None,
        can_read_all_group_messages: bool = False,
    ) -> BotRecord:
        """Register (or update) a bot; returns its record."""
        match = TOKEN_RE.match(token)
        if match is None:
            raise ControlError(f"not a bot token: {token!r}")
        bot = self.bots.get(token)
        if bot is None:
            bot = BotRecord(
                token=token,
                id=int(match.group(1)),
                first_name=first_name or self.bot_first_name,
                username=username or self.bot_username,
                can_read_all_group_messages=can_read_all_group_messages,
            )
            self.bots[token] = bot
        else:
            bot.first_name = first_name or bot.first_name
            bot.username = username or bot.username
            bot.can_read_all_group_messages = can_read_all_group_messages
        self._changed("bot", bot_id=bot.id)
        return bot

    def bot_by_token(self, token: str) -> BotRecord | None:
        """The bot of a token; a well-formed unknown token registers a bot when
        `auto_register_bots` is on (the default), else None (401)."""
        bot = self.bots.get(token)
        if bot is None and self.auto_register_bots and TOKEN_RE.match(token):
            bot = self.add_bot(token)
        return bot

    def bot_by_id(self, bot_id: int) -> BotRecord | None:
        for bot in self.bots.values():
            if bot.id == bot_id:
                return bot
        return None

    def _default_bot(self, bot_id: int | None) -> BotRecord:
        if bot_id is not None:
            bot = self.bot_by_id(bot_id)
            if bot is None:
                raise ControlError(f"unknown bot {bot_id}", 404)
            return bot
        if not self.bots:
            raise ControlError(
                "no bot is registered yet: a bot registers with its first Bot API call, "
                "or register one with POST /control/bots"
            )
        return next(iter(self.bots.values()))

    # ------------------------------------------------------------------ people and chats

    def add_user(
        self,
        id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        *,
        private_chat: bool = False,
    ) -> dict[str, Any]:
        """Register or update a person; `private_chat=True` also opens their
        private chat with the bots (as if they had pressed Start)."""
        if not isinstance(id, int) or id <= 0:
            raise ControlError(f"a user id must be a positive integer, got {id!r}")
        if self.bot_by_id(id) is not None:
            raise ControlError(f"{id} is a bot's id")
        if not first_name:
            raise ControlError("first_name is required")
        user = UserRecord(id, first_name, last_name, username, language_code)
        self.users[id] = user
        if private_chat and id not in self.chats:
            self.chats[id] = ChatRecord(id=id, type="private", members={id: "member"})
        self._changed("user", user_id=id)
        return user.api()

    def add_chat(
        self,
        id: int,
        title: str | None = None,
        type: str = "group",
        members: Iterable[int] = (),
        *,
        admins: Iterable[int] = (),
        creator_id: int | None = None,
        username: str | None = None,
        is_forum: bool = False,
        bot_status: str = "member",
        parent_id: int | None = None,
        level: int | None = None,
        unit_code: str | None = None,
    ) -> dict[str, Any]:
        """Register or update a chat.  A private chat's id is the person's id.

        `members` (people) become "member", `admins` "administrator",
        `creator_id` "creator"; every bot has `bot_status` unless set otherwise
        with `set_chat_member`.  `parent_id`, `level` and `unit_code` place a
        group in a tower of groups (only the demo's chat page reads them).
        """
        if type not in CHAT_TYPES:
            raise ControlError(f"chat type must be one of {sorted(CHAT_TYPES)}, got {type!r}")
        if bot_status not in MEMBER_STATUSES:
            raise ControlError(f"unknown bot_status {bot_status!r}")
        if type == "private":
            if id not in self.users:
                raise ControlError(f"a private chat's id is its person's id; user {id} unknown")
            chat = self.chats.get(id) or ChatRecord(id=id, type="private")
            chat.members[id] = "member"
            chat.default_bot_status = bot_status
        else:
            if not isinstance(id, int) or id >= 0:
                raise ControlError(f"a group's id must be a negative integer, got {id!r}")
            if not title:
                raise ControlError("a group needs a title")
            chat = self.chats.get(id) or ChatRecord(id=id, type=type)
            chat.type = type
            chat.title = title
            chat.username = username.lstrip("@") if username else None
            chat.is_forum = is_forum
            chat.default_bot_status = bot_status
            chat.parent_id, chat.level, chat.unit_code = parent_id, level, unit_code
            for user_id, status in (
                *((m, "member") for m in members),
                *((a, "administrator") for a in admins),
                *(((creator_id, "creator"),) if creator_id is not None else ()),
            ):
                if user_id not in self.users and self.bot_by_id(user_id) is None:
                    raise ControlError(f"chat {id}: member {user_id} is not a registered user")
                chat.members[user_id] = status
        self.chats[id] = chat
        self._changed("chat", chat_id=id)
        return self.chat_api(chat)

    def add_bulk(
        self,
        chats: Iterable[Mapping[str, Any]] = (),
        users: Iterable[Mapping[str, Any]] = (),
    ) -> dict[str, int]:
        """Register many people, then many chats (keyword dicts as for
        `add_user` / `add_chat`); returns how many of each."""
        user_count = 0
        for user in users:
            self.add_user(**user)
            user_count += 1
        chat_count = 0
        for chat in chats:
            self.add_chat(**chat)
            chat_count += 1
        return {"users": user_count, "chats": chat_count}

    def member_status(self, chat: ChatRecord, user_id: int) -> str:
        """Status of a person or bot in a chat ("left" when never there)."""
        status = chat.members.get(user_id)
        if status is not None:
            return status
        if self.bot_by_id(user_id) is not None:
            return chat.default_bot_status
        return "left"

    def set_chat_member(
        self,
        chat_id: int,
        user_id: int,
        status: str,
        by_id: int | None = None,
        *,
        chat_type: str | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """Change someone's status in a chat and queue the update Telegram sends:
        `my_chat_member` to the bot concerned, `chat_member` to the others.

        Adding a bot to a chat that does not exist yet creates it (group unless
        `chat_type` says otherwise).  Returns the ChatMemberUpdated object.
        """
        if status not in MEMBER_STATUSES:
            raise ControlError(f"status must be one of {sorted(MEMBER_STATUSES)}")
        target_bot = self.bot_by_id(user_id)
        if target_bot is None and user_id not in self.users:
            raise ControlError(f"user {user_id} is not registered", 404)
        chat = self.chats.get(chat_id)
        if chat is None:
            if target_bot is None or status not in PRESENT_STATUSES:
                raise ControlError(f"chat {chat_id} not found", 404)
            kind = chat_type or ("private" if chat_id > 0 else "group")
            if kind == "private":
                if chat_id not in self.users:
                    raise ControlError(f"user {chat_id} is not registered", 404)
                chat = ChatRecord(id=chat_id, type="private", members={chat_id: "member"})
            else:
                chat = ChatRecord(id=chat_id, type=kind, title=title or f"Group {chat_id}")
            chat.default_bot_status = "left"
            self.chats[chat_id] = chat
        if chat.type == "private" and target_bot is None:
            raise ControlError("in a private chat only a bot's status can change (block/unblock)")
        by = by_id if by_id is not None else user_id
        if by not in self.users and self.bot_by_id(by) is None:
            raise ControlError(f"user {by} (by_id) is not registered", 404)
        old_status = self.member_status(chat, user_id)
        chat.members[user_id] = status
        payload = {
            "chat": self.chat_api(chat),
            "from": self.user_api(by),
            "date": self.now(),
            "old_chat_member": self.chat_member_api(chat, user_id, old_status),
            "new_chat_member": self.chat_member_api(chat, user_id, status),
        }
        for bot in self.bots.values():
            if bot is target_bot:
                self._queue_update(bot, "my_chat_member", payload)
            elif chat.type != "private" and self.member_status(chat, bot.id) == "administrator":
                self._queue_update(bot, "chat_member", payload)
        self._changed("chat_member", chat_id=chat_id, user_id=user_id, status=status)
        return payload

    # ------------------------------------------------------------------ people act

    def post_message(
        self,
        chat_id: int,
        from_id: int,
        text: str,
        reply_to_message_id: int | None = None,
        *,
        bot_id: int | None = None,
    ) -> dict[str, Any]:
        """A person sends a text message; bots get a `message` update as Telegram
        would deliver it (privacy mode applies in groups).  Returns the Message.

        In a private chat the message goes to `bot_id` (default: the first
        registered bot); the private chat is created if needed.
        """
        user = self.users.get(from_id)
        if user is None:
            raise ControlError(f"user {from_id} is not registered (POST /control/users)")
        if not isinstance(text, str) or not text.strip():
            raise ControlError("message text is empty")
        if utf16_len(text) > 4096:
            raise ControlError("message is too long")
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id != from_id:
                raise ControlError(f"chat {chat_id} not found", 404)
            self._default_bot(bot_id)  # fail before creating anything
            chat = ChatRecord(id=chat_id, type="private", members={chat_id: "member"})
            self.chats[chat_id] = chat
        if chat.type == "private":
            if chat_id != from_id:
                raise ControlError(f"only user {chat_id} can write in their private chat")
            bot = self._default_bot(bot_id)
            if self.member_status(chat, bot.id) not in PRESENT_STATUSES:
                # Writing to a bot one has blocked unblocks it (Telegram restarts it).
                self.set_chat_member(chat_id, bot.id, "member", by_id=from_id)
            conversation = self._conversation(chat, bot.id)
        else:
            status = chat.members.get(from_id)
            if status in ("left", "kicked"):
                raise ControlError(f"user {from_id} is not in chat {chat_id} ({status})")
            if status is None:
                chat.members[from_id] = "member"
            conversation = self._conversation(chat, 0)
        if reply_to_message_id is not None:
            target = conversation.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise ControlError(f"message to be replied not found: {reply_to_message_id}")
        record = MessageRecord(
            message_id=conversation.next_message_id,
            chat_id=chat_id,
            conversation_bot_id=conversation.bot_id,
            from_id=from_id,
            from_bot=False,
            date=self.now(),
            text=text,
            entities=detect_entities(text),
            reply_to_message_id=reply_to_message_id,
        )
        self._append(conversation, record)
        message = self.message_api(record)
        for bot in self._recipients(chat, record):
            self._queue_update(bot, "message", message)
        self._changed("message", chat_id=chat_id, message_id=record.message_id)
        return message

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        from_id: int,
        data: str,
        *,
        bot_id: int | None = None,
    ) -> str:
        """A person presses an inline button with `data`; the bot that sent the
        message gets a `callback_query` update.  Returns the callback query id."""
        if from_id not in self.users:
            raise ControlError(f"user {from_id} is not registered")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ControlError(f"chat {chat_id} not found", 404)
        if chat.type == "private":
            conversation = self._conversation(chat, self._default_bot(bot_id).id)
        else:
            conversation = self._conversation(chat, 0)
            if chat.members.get(from_id) in ("left", "kicked"):
                raise ControlError(f"user {from_id} is not in chat {chat_id}")
        record = conversation.messages.get(message_id)
        if record is None or record.deleted:
            raise ControlError(f"message {message_id} not found in chat {chat_id}")
        if not record.from_bot:
            raise ControlError(f"message {message_id} was not sent by a bot")
        if data not in callback_data_of(record.reply_markup):
            raise ControlError(f"message {message_id} has no button with callback_data {data!r}")
        bot = self.bot_by_id(record.from_id)
        if bot is None:
            raise ControlError(f"the bot of message {message_id} is gone")
        self._callback_serial += 1
        digest = hashlib.sha256(f"{bot.token}:{self._callback_serial}".encode()).digest()
        query_id = str(int.from_bytes(digest[:8], "big") >> 1)
        while query_id in self.callbacks:
            query_id = str(int(query_id) + 1)
        self.callbacks[query_id] = CallbackRecord(
            id=query_id,
            bot_id=bot.id,
            chat_id=chat_id,
            message_id=message_id,
            conversation_bot_id=conversation.bot_id,
            from_id=from_id,
            data=data,
            created_at=self.clock(),
        )
        instance = hashlib.sha256(f"{chat_id}:{bot.id}".encode()).digest()
        self._queue_update(
            bot,
            "callback_query",
            {
                "id": query_id,
                "from": self.user_api(from_id),
                "message": self.message_api(record),
                "chat_instance": str(int.from_bytes(instance[:8], "big", signed=True)),
                "data": data,
            },
        )
        self._changed("callback_query", chat_id=chat_id, callback_query_id=query_id)
        return query_id

    # ------------------------------------------------------------------ reading the world

    def chat_messages(self, chat_id: int, *, bot_id: int | None = None) -> list[dict[str, Any]]:
        """Every message of a chat in order (people's and bots'), as control
        views: message_id, from_id, text, entities, reply_markup,
        reply_to_message_id, edit_count, deleted, document, photo, ...

        For a private chat with several bots, `bot_id` picks the conversation
        (default: all of them, by date)."""
        conversations = [
            conversation
            for conv_bot, conversation in self._chat_conversations.get(chat_id, {}).items()
            if bot_id is None or conv_bot in (0, bot_id)
        ]
        records = [r for c in conversations for r in c.messages.values()]
        if len(conversations) > 1:
            records.sort(key=lambda r: (r.date, r.conversation_bot_id, r.message_id))
        return [self.message_view(r) for r in records]

    def bot_messages(self, chat_id: int, *, bot_id: int | None = None) -> list[dict[str, Any]]:
        """Only the messages bots sent to the chat (deleted ones included, flagged)."""
        return [
            m
            for m in self.chat_messages(chat_id, bot_id=bot_id)
            if m["is_bot"] and (bot_id is None or m["from_id"] == bot_id)
        ]

    def message(
        self, chat_id: int, message_id: int, *, bot_id: int | None = None
    ) -> dict[str, Any] | None:
        """One message's control view, or None."""
        for view in self.chat_messages(chat_id, bot_id=bot_id):
            if view["message_id"] == message_id:
                return view
        return None

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        """How the bot answered a button press (text, show_alert, ...), or None."""
        record = self.callbacks.get(callback_query_id)
        return None if record is None or record.answer is None else dict(record.answer)

    def bot_commands(self, *, bot_id: int | None = None) -> list[dict[str, Any]]:
        """What setMyCommands stored: one entry per bot, scope and language."""
        result: list[dict[str, Any]] = []
        for bot in self.bots.values():
            if bot_id is not None and bot.id != bot_id:
                continue
            for entry in bot.commands.values():
                result.append({"bot_id": bot.id, **entry})
        return result

    def pending_updates(self, token: str) -> list[dict[str, Any]]:
        """Updates queued for a bot and not yet confirmed."""
        bot = self.bots.get(token)
        return [] if bot is None else list(bot.updates)

    def _log_sent(self, record: MessageRecord, bot_id: int, reply_markup: Any) -> None:
        self._sent_seq += 1
        data = sorted(callback_data_of(reply_markup)) if is_inline(reply_markup) else []
        mentions = mentioned_users((*record.entities, *record.caption_entities))
        self._sent_log.append(
            (
                self._sent_seq,
                record.chat_id,
                record.message_id,
                bot_id,
                data,
                mentions,
                self.clock(),
            )
        )
        if len(self._sent_log) > SENT_LOG_MAX:
            del self._sent_log[: SENT_LOG_MAX // 2]

    def sent_after(self, seq: int, limit: int = 5000) -> list[dict[str, Any]]:
        """Messages bots sent after `seq` (oldest first, at most `limit`): chat, message
        id, bot, the callback data of its buttons, the users it mentions (text_mention
        entities: whom a reminder names) and when (the state's clock). A
        process acting as thousands of people follows this feed instead of reading
        every chat."""
        log = self._sent_log
        if not log or log[-1][0] <= seq:
            return []
        start = max(0, seq + 1 - log[0][0])
        keys = ("seq", "chat_id", "message_id", "bot_id", "data", "mentions", "at")
        return [dict(zip(keys, item, strict=True)) for item in log[start : start + limit]]

    def events_after(self, seq: int) -> list[dict[str, Any]]:
        """Change events (message, edit, delete, callback_answer, ...) after `seq`."""
        return [e for e in self.events if e["seq"] > seq]

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the predicate, not a cancel
    ) -> T:
        """Wait until `predicate()` is truthy (re-checked after every change);
        returns its value, raises TimeoutError after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            waiter = asyncio.Event()
            self._change_waiters.add(waiter)
            try:
                async with asyncio.timeout(remaining):  # wait_for may swallow a cancel
                    await waiter.wait()
            except TimeoutError:
                pass
            finally:
                self._change_waiters.discard(waiter)

    def reset(self) -> None:
        """Forget every person, chat, message, file, button press and pending
        update.  Bots stay known and keep counting update ids, so a bot that is
        polling goes on working."""
        for bot in self.bots.values():
            bot.updates.clear()
            bot.commands.clear()
        self._clear_world()
        self._changed("reset")

    def wake_pollers(self) -> None:
        """Wake every pending getUpdates (used when the server stops)."""
        for bot in self.bots.values():
            bot.wake()

    # ------------------------------------------------------------------ Bot API objects

    def user_api(self, user_id: int) -> dict[str, Any]:
        bot = self.bot_by_id(user_id)
        if bot is not None:
            return bot.user_api()
        user = self.users.get(user_id)
        if user is not None:
            return user.api()
        return {"id": user_id, "is_bot": False, "first_name": str(user_id)}

    def mention_user(self, user_id: int, link_text: str) -> dict[str, Any]:
        """The `user` of a text_mention entity: the person as known, else the link text."""
        if user_id in self.users or self.bot_by_id(user_id) is not None:
            return self.user_api(user_id)
        return {"id": user_id, "is_bot": False, "first_name": link_text or str(user_id)}

    def chat_api(self, chat: ChatRecord) -> dict[str, Any]:
        """Bot API `Chat` (as in Message.chat)."""
        if chat.type == "private":
            result = {k: v for k, v in self.user_api(chat.id).items() if k != "is_bot"}
            result.pop("language_code", None)
            result["type"] = "private"
            return result
        result = {"id": chat.id, "title": chat.title, "type": chat.type}
        if chat.username:
            result["username"] = chat.username
        if chat.is_forum:
            result["is_forum"] = True
        return result

    def chat_full_info(self, chat: ChatRecord) -> dict[str, Any]:
        """Bot API `ChatFullInfo` (getChat)."""
        info = self.chat_api(chat)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        if chat.type != "private":
            info["permissions"] = {
                "can_send_messages": True,
                "can_send_audios": True,
                "can_send_documents": True,
                "can_send_photos": True,
                "can_send_videos": True,
                "can_send_video_notes": True,
                "can_send_voice_notes": True,
                "can_send_polls": True,
                "can_send_other_messages": True,
                "can_add_web_page_previews": True,
                "can_change_info": True,
                "can_invite_users": True,
                "can_pin_messages": True,
                "can_manage_topics": True,
            }
        return info

    def chat_member_api(
        self, chat: ChatRecord, user_id: int, status: str | None = None
    ) -> dict[str, Any]:
        """Bot API `ChatMember` for a person or bot."""
        status = status or self.member_status(chat, user_id)
        member: dict[str, Any] = {"user": self.user_api(user_id), "status": status}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_send_welcome_messages": False,
                    "can_pin_messages": True,
                }
            )
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "restricted":
            member.update(
                {
                    "is_member": True,
                    "can_send_messages": False,
                    "can_send_audios": False,
                    "can_send_documents": False,
                    "can_send_photos": False,
                    "can_send_videos": False,
                    "can_send_video_notes": False,
                    "can_send_voice_notes": False,
                    "can_send_polls": False,
                    "can_send_other_messages": False,
                    "can_add_web_page_previews": False,
                    "can_change_info": False,
                    "can_invite_users": False,
                    "can_pin_messages": False,
                    "can_manage_topics": False,
                    "until_date": 0,
                }
            )
        return member

    def message_api(self, record: MessageRecord, *, with_reply: bool = True) -> dict[str, Any]:
        """Bot API `Message` for a record (with `reply_to_message` one level deep)."""
        chat = self.chats.get(record.chat_id) or ChatRecord(id=record.chat_id, type="group")
        message: dict[str, Any] = {
            "message_id": record.message_id,
            "from": self.user_api(record.from_id),
            "chat": self.chat_api(chat),
            "date": record.date,
        }
        if record.message_thread_id is not None and chat.is_forum:
            message["message_thread_id"] = record.message_thread_id
        if with_reply and record.reply_to_message_id is not None:
            conversation = self.conversations.get((record.chat_id, record.conversation_bot_id))
            target = conversation.messages.get(record.reply_to_message_id) if conversation else None
            if target is not None and not target.deleted:
                message["reply_to_message"] = self.message_api(target, with_reply=False)
        if record.edit_date is not None:
            message["edit_date"] = record.edit_date
        if record.text is not None:
            message["text"] = record.text
            if record.entities:
                message["entities"] = [dict(e) for e in record.entities]
        stored = self.files.get(record.document_id or record.photo_id or "")
        if stored is not None:
            if record.document_id:
                message["document"] = stored.document_api()
            else:
                message["photo"] = stored.photo_api()
        if record.caption is not None:
            message["caption"] = record.caption
            if record.caption_entities:
                message["caption_entities"] = [dict(e) for e in record.caption_entities]
        if record.reply_markup is not None:
            message["reply_markup"] = json.loads(json.dumps(record.reply_markup))
        return message

    def message_view(self, record: MessageRecord) -> dict[str, Any]:
        """The control API's view of a message: what a person would see, plus
        bookkeeping (edit_count, deleted)."""
        stored = self.files.get(record.document_id or record.photo_id or "")
        text = record.text if record.text is not None else record.caption
        entities = record.entities if record.text is not None else record.caption_entities
        return {
            "message_id": record.message_id,
            "chat_id": record.chat_id,
            "from_id": record.from_id,
            "from": self.user_api(record.from_id),
            "is_bot": record.from_bot,
            "date": record.date,
            "text": record.text,
            "entities": [dict(e) for e in record.entities],
            "caption": record.caption,
            "caption_entities": [dict(e) for e in record.caption_entities],
            "html": entities_to_html(text, entities) if text is not None else None,
            "reply_markup": json.loads(json.dumps(record.reply_markup))
            if record.reply_markup
            else None,
            "reply_keyboard": json.loads(json.dumps(record.client_markup))
            if record.client_markup
            else None,
            "reply_to_message_id": record.reply_to_message_id,
            "edit_count": record.edit_count,
            "edit_date": record.edit_date,
            "deleted": record.deleted,
            "pinned": record.pinned,
            "reactions": {str(k): list(v) for k, v in record.bot_reactions.items()},
            "document": stored.document_api() if stored and record.document_id else None,
            "photo": stored.photo_api() if stored and record.photo_id else None,
            "conversation_bot_id": record.conversation_bot_id or None,
        }

    # ------------------------------------------------------------------ Bot API side

    def resolve_chat(self, bot: BotRecord, chat_ref: int | str, *, for_send: bool) -> ChatRecord:
        """The chat a bot names (id or "@username"), with Telegram's errors."""
        chat: ChatRecord | None = None
        chat_id: int | None = None
        if isinstance(chat_ref, str) and chat_ref.startswith("@"):
            name = chat_ref[1:].lower()
            chat = next(
                (c for c in self.chats.values() if c.username and c.username.lower() == name),
                None,
            )
        else:
            try:
                chat_id = int(chat_ref)
            except (TypeError, ValueError):
                raise ApiError.bad_request("chat not found") from None
            chat = self.chats.get(chat_id)
        if chat is None:
            self.faults.check_missing_chat(chat_id)  # an upgraded group: migrate error
            if for_send and chat_id is not None and chat_id in self.users:
                raise ApiError.forbidden("bot can't initiate conversation with a user")
            raise ApiError.bad_request("chat not found")
        return chat

    def check_bot_in_chat(self, bot: BotRecord, chat: ChatRecord) -> None:
        """403 when the bot was removed from the group or blocked by the person."""
        status = self.member_status(chat, bot.id)
        if status in PRESENT_STATUSES:
            return
        if chat.type == "private":
            raise ApiError.forbidden("bot was blocked by the user")
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if status == "kicked":
            raise ApiError.forbidden(f"bot was kicked from the {kind}")
        raise ApiError.forbidden(f"bot is not a member of the {kind}")

    async def before_outgoing(self, request: OutgoingRequest) -> None:
        """The one place every send, edit and delete passes before it happens.

        Applies the chat's injected faults, runs `outgoing_hooks` in order (each
        may raise ApiError -- 429 with retry_after, 403, migrate_to_chat_id, 5xx
        -- or await to be slow), checks that the bot is still in the chat, and
        last the rate limits (so a request rejected for another reason never
        spends the budget).
        """
        await self.faults.check(request)
        for hook in list(self.outgoing_hooks):
            result = hook(request)
            if inspect.isawaitable(result):
                await result
        self.check_bot_in_chat(request.bot, request.chat)
        await self.limiter.check(request)

    def send_bot_message(
        self,
        bot: BotRecord,
        chat: ChatRecord,
        *,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = None,
        caption_entities: list[dict[str, Any]] | None = None,
        reply_markup: dict[str, Any] | None = None,
        reply_to_message_id: int | None = None,
        allow_sending_without_reply: bool = False,
        file: StoredFile | None = None,
        message_thread_id: int | None = None,
    ) -> dict[str, Any]:
        """Append a bot's message to the chat; returns the Bot API Message."""
        conversation = self._conversation(chat, bot.id if chat.type == "private" else 0)
        if reply_to_message_id is not None:
            target = conversation.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                if not allow_sending_without_reply:
                    raise ApiError.bad_request("message to be replied not found")
                reply_to_message_id = None
        record = MessageRecord(
            message_id=conversation.next_message_id,
            chat_id=chat.id,
            conversation_bot_id=conversation.bot_id,
            from_id=bot.id,
            from_bot=True,
            date=self.now(),
            text=text,
            entities=list(entities or []),
            caption=caption,
            caption_entities=list(caption_entities or []),
            reply_markup=reply_markup if is_inline(reply_markup) else None,
            client_markup=None if is_inline(reply_markup) else reply_markup,
            reply_to_message_id=reply_to_message_id,
            message_thread_id=message_thread_id,
        )
        if file is not None:
            if file.kind == "photo":
                record.photo_id = file.file_id
            else:
                record.document_id = file.file_id
        self._append(conversation, record)
        chat.last_bot_id = bot.id
        self._log_sent(record, bot.id, reply_markup)
        self._changed("message", chat_id=chat.id, message_id=record.message_id, bot_id=bot.id)
        return self.message_api(record)

    def bot_message_record(
        self, bot: BotRecord, chat: ChatRecord, message_id: int
    ) -> MessageRecord:
        """A message the bot can see in the chat (deleted ones excluded)."""
        conversation = self._conversation(chat, bot.id if chat.type == "private" else 0)
        record = conversation.messages.get(message_id)
        if record is None or record.deleted:
            raise KeyError(message_id)
        return record

    def edit_bot_message(
        self,
        bot: BotRecord,
        chat: ChatRecord,
        message_id: int,
        *,
        text: str | None = _UNSET,
        entities: list[dict[str, Any]] | None = None,
        caption: str | None = _UNSET,
        caption_entities: list[dict[str, Any]] | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Edit a bot's message in place (text, caption and/or inline keyboard).

        Omitting `text` and `caption` edits only the keyboard; the keyboard is
        always replaced (None removes it), as on Telegram.
        """
        try:
            record = self.bot_message_record(bot, chat, message_id)
        except KeyError:
            raise ApiError.bad_request("message to edit not found") from None
        if record.from_id != bot.id:
            raise ApiError.bad_request("message can't be edited")
        new_text, new_entities = record.text, record.entities
        new_caption, new_caption_entities = record.caption, record.caption_entities
        if text is not _UNSET:
            if record.text is None:
                raise ApiError.bad_request("there is no text in the message to edit")
            new_text, new_entities = text, list(entities or [])
        if caption is not _UNSET:
            if record.document_id is None and record.photo_id is None:
                raise ApiError.bad_request("there is no caption in the message to edit")
            new_caption, new_caption_entities = caption, list(caption_entities or [])
        if (
            new_text == record.text
            and new_entities == record.entities
            and new_caption == record.caption
            and new_caption_entities == record.caption_entities
            and reply_markup == record.reply_markup
        ):
            raise ApiError.bad_request(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        record.text, record.entities = new_text, new_entities
        record.caption, record.caption_entities = new_caption, new_caption_entities
        record.reply_markup = reply_markup
        record.edit_date = self.now()
        record.edit_count += 1
        self._changed("edit", chat_id=chat.id, message_id=message_id, bot_id=bot.id)
        return self.message_api(record)

    def delete_bot_message(self, bot: BotRecord, chat: ChatRecord, message_id: int) -> None:
        """Delete a message as the bot; kept in history flagged `deleted`."""
        try:
            record = self.bot_message_record(bot, chat, message_id)
        except KeyError:
            raise ApiError.bad_request("message to delete not found") from None
        if (
            record.from_id != bot.id
            and chat.type != "private"
            and self.member_status(chat, bot.id) not in ("administrator", "creator")
        ):
            raise ApiError.bad_request("message can't be deleted")
        record.deleted = True
        self._changed("delete", chat_id=chat.id, message_id=message_id, bot_id=bot.id)

    def set_reaction(
        self, bot: BotRecord, chat: ChatRecord, message_id: int, reaction: list[Any]
    ) -> None:
        """A bot's reaction on any message of the chat (Bot API setMessageReaction):
        one emoji of Telegram's list, as a non-premium account may set; an empty
        list takes the bot's reaction away."""
        self.check_bot_in_chat(bot, chat)
        conversation = self._conversation(chat, bot.id if chat.type == "private" else 0)
        record = conversation.messages.get(message_id)
        if record is None or record.deleted:
            raise ApiError.bad_request("message to react not found")
        for item in reaction:
            if not (
                isinstance(item, dict)
                and item.get("type") == "emoji"
                and item.get("emoji") in REACTION_EMOJI
            ):
                raise ApiError.bad_request("REACTION_INVALID")
        if len(reaction) > 1:
            raise ApiError.bad_request("REACTIONS_TOO_MANY")
        if reaction:
            record.bot_reactions[bot.id] = [dict(item) for item in reaction]
        else:
            record.bot_reactions.pop(bot.id, None)
        self._changed("reaction", chat_id=chat.id, message_id=message_id, bot_id=bot.id)

    def pin_bot_message(
        self,
        bot: BotRecord,
        chat: ChatRecord,
        message_id: int | None,
        pinned: bool,
        *,
        all_messages: bool = False,
    ) -> None:
        """Pin or unpin a message; without `message_id`, unpin the newest pinned
        one (or every one with `all_messages`)."""
        if chat.type != "private" and self.member_status(chat, bot.id) not in (
            "administrator",
            "creator",
        ):
            raise ApiError.bad_request("not enough rights to manage pinned messages in the chat")
        conversation = self._conversation(chat, bot.id if chat.type == "private" else 0)
        pinned_now = [r for r in conversation.messages.values() if r.pinned and not r.deleted]
        if all_messages:
            targets = pinned_now
        elif message_id is None:
            targets = pinned_now[-1:]
        else:
            found = conversation.messages.get(message_id)
            if found is None or found.deleted:
                raise ApiError.bad_request("message to pin not found")
            targets = [found]
        for record in targets:
            record.pinned = pinned
            self._changed("pin", chat_id=chat.id, message_id=record.message_id, pinned=pinned)

    def answer_callback_query(
        self,
        bot: BotRecord,
        callback_query_id: str,
        *,
        text: str | None = None,
        show_alert: bool = False,
        url: str | None = None,
        cache_time: int = 0,
    ) -> None:
        record = self.callbacks.get(callback_query_id)
        if record is None or record.bot_id != bot.id or record.answer is not None:
            raise ApiError.bad_request(_CALLBACK_INVALID)
        record.answer = {
            "callback_query_id": callback_query_id,
            "text": text,
            "show_alert": show_alert,
            "url": url,
            "cache_time": cache_time,
            "answered_at": self.clock(),
        }
        self._changed("callback_answer", callback_query_id=callback_query_id)

    def leave_chat(self, bot: BotRecord, chat: ChatRecord) -> None:
        if chat.type == "private":
            raise ApiError.bad_request("chat member status can't be changed in private chats")
        self.check_bot_in_chat(bot, chat)
        self.set_chat_member(chat.id, bot.id, "left", by_id=bot.id)

    def store_upload(
        self,
        bot: BotRecord,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
    ) -> StoredFile:
        """Keep an uploaded file; returns it with fresh file_id and file_path."""
        self._file_serial += 1
        folder = "photos" if kind == "photo" else "documents"
        ext = ".jpg" if kind == "photo" else extension_of(file_name)
        stored = StoredFile(
            file_id=make_file_id(kind, self._file_serial, bot.id),
            file_unique_id=make_file_unique_id(data),
            file_path=f"{folder}/file_{self._file_serial}{ext}",
            data=data,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            bot_id=bot.id,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # --------------------------------------------------------------- updates

    async def get_updates(
        self,
        bot: BotRecord,
        *,
        offset: int | None = None,
        limit: int = 100,
        timeout: float = 0,  # noqa: ASYNC109 - getUpdates' own long-poll parameter
        allowed_updates: Iterable[str] | None = None,
        closing: Callable[[], bool] = lambda: False,
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm updates below `offset`, then return up to `limit`
        pending ones, waiting up to `timeout` seconds for the first to arrive.

        A newer getUpdates call ends an older pending one with 409 Conflict, as
        on Telegram.  `closing()` true ends the wait early (server shutdown).
        """
        if bot.webhook is not None:
            raise ApiError(409, _WEBHOOK_ACTIVE)
        if allowed_updates is not None:
            bot.allowed_updates = frozenset(allowed_updates) or None
        bot.poll_serial += 1
        serial = bot.poll_serial
        if bot.active_poll is not None:
            bot.wake()  # the older poll notices the new serial and ends with 409
        bot.active_poll = serial
        bot.poll_count += 1
        self._changed("poll", bot_id=bot.id)
        limit = max(1, min(limit, 100))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        try:
            while True:
                if bot.poll_serial != serial:
                    raise ApiError(409, _CONFLICT)
                if bot.webhook is not None:  # setWebhook during the long poll
                    raise ApiError(409, _WEBHOOK_ACTIVE)
                self._confirm(bot, offset)
                if bot.updates or closing():
                    return list(bot.updates)[:limit]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                waiter = asyncio.Event()
                bot.waiters.add(waiter)
                try:
                    async with asyncio.timeout(remaining):  # wait_for may swallow a cancel
                        await waiter.wait()
                except TimeoutError:
                    pass
                finally:
                    bot.waiters.discard(waiter)
        finally:
            if bot.active_poll == serial:
                bot.active_poll = None

    def drop_pending_updates(self, bot: BotRecord) -> None:
        bot.updates.clear()

    # --------------------------------------------------------------- webhooks

    def set_webhook(
        self,
        bot: BotRecord,
        url: str,
        *,
        secret_token: str = "",
        max_connections: int = 40,
        allowed_updates: Iterable[str] | None = None,
        drop_pending_updates: bool = False,
        ip_address: str | None = None,
        has_custom_certificate: bool = False,
    ) -> None:
        """setWebhook (an empty `url` is deleteWebhook): updates then go by HTTP POST
        (`sandbox.webhook`) and getUpdates answers 409 until the webhook is deleted.
        Updates not yet delivered stay queued for whichever way comes next."""
        if allowed_updates is not None:
            bot.allowed_updates = frozenset(allowed_updates) or None
        if drop_pending_updates:
            bot.updates.clear()
        if url:
            bot.webhook = Webhook(
                url=url,
                secret_token=secret_token,
                max_connections=max_connections,
                ip_address=ip_address,
                has_custom_certificate=has_custom_certificate,
            )
        else:
            bot.webhook = None
        bot.wake()  # a pending getUpdates ends with 409
        for listener in list(self.webhook_listeners):
            listener(bot)
        self._changed("webhook", bot_id=bot.id, url=url)

    def webhook_info(self, bot: BotRecord) -> dict[str, Any]:
        """getWebhookInfo: the Bot API's WebhookInfo (optional fields only when known)."""
        hook = bot.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": bool(hook and hook.has_custom_certificate),
            "pending_update_count": len(bot.updates),
        }
        if hook is None:
            return info
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message or ""
        info["max_connections"] = hook.max_connections
        if bot.allowed_updates is not None:
            info["allowed_updates"] = sorted(bot.allowed_updates)
        return info

    def webhook_delivered(self, bot: BotRecord, update_id: int) -> None:
        """The webhook answered 2xx: the update is confirmed, as an offset would."""
        for update in bot.updates:
            if update["update_id"] == update_id:
                bot.updates.remove(update)
                break
        bot.wake()
        self._changed("webhook_delivered", bot_id=bot.id, update_id=update_id)

    def webhook_failed(self, bot: BotRecord, hook: Webhook, message: str) -> None:
        """A delivery failed: getWebhookInfo shows it; the update stays queued."""
        hook.last_error_date = self.now()
        hook.last_error_message = message
        self._changed("webhook_error", bot_id=bot.id, message=message)

    @staticmethod
    def _confirm(bot: BotRecord, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset > 0:
            while bot.updates and bot.updates[0]["update_id"] < offset:
                bot.updates.popleft()
        else:
            while len(bot.updates) > -offset:
                bot.updates.popleft()

    # --------------------------------------------------------------- commands

    @staticmethod
    def _scope_key(scope: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
        scope = scope or {"type": "default"}
        return scope, json.dumps(scope, sort_keys=True, separators=(",", ":"))

    def set_my_commands(
        self,
        bot: BotRecord,
        commands: list[dict[str, str]],
        scope: dict[str, Any] | None = None,
        language_code: str = "",
    ) -> None:
        scope, key = self._scope_key(scope)
        if not commands:
            bot.commands.pop((key, language_code), None)
        else:
            bot.commands[(key, language_code)] = {
                "scope": scope,
                "language_code": language_code,
                "commands": [dict(c) for c in commands],
            }
        self._changed("commands", bot_id=bot.id)

    def get_my_commands(
        self, bot: BotRecord, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        _, key = self._scope_key(scope)
        entry = bot.commands.get((key, language_code))
        return [dict(c) for c in entry["commands"]] if entry else []

    # --------------------------------------------------------------- internals

    def _conversation(self, chat: ChatRecord, bot_id: int) -> Conversation:
        key = (chat.id, bot_id)
        conversation = self.conversations.get(key)
        if conversation is None:
            conversation = Conversation(chat_id=chat.id, bot_id=bot_id)
            self.conversations[key] = conversation
            self._chat_conversations.setdefault(chat.id, {})[bot_id] = conversation
        return conversation

    @staticmethod
    def _append(conversation: Conversation, record: MessageRecord) -> None:
        conversation.messages[record.message_id] = record
        conversation.next_message_id = record.message_id + 1

    def _recipients(self, chat: ChatRecord, record: MessageRecord) -> list[BotRecord]:
        """Bots that receive a person's message (Telegram's privacy mode rules)."""
        if chat.type == "private":
            bot = self.bot_by_id(record.conversation_bot_id)
            return [bot] if bot is not None else []
        result: list[BotRecord] = []
        conversation = self.conversations.get((chat.id, 0))
        replied = (
            conversation.messages.get(record.reply_to_message_id)
            if conversation and record.reply_to_message_id is not None
            else None
        )
        text = record.text or ""
        for bot in self.bots.values():
            status = self.member_status(chat, bot.id)
            if status not in PRESENT_STATUSES:
                continue
            if (
                bot.can_read_all_group_messages
                or status in ("administrator", "creator")
                or (replied is not None and replied.from_id == bot.id)
                or self._addressed_to(bot, chat, text, record.entities)
            ):
                result.append(bot)
        return result

    @staticmethod
    def _addressed_to(
        bot: BotRecord, chat: ChatRecord, text: str, entities: list[dict[str, Any]]
    ) -> bool:
        utf16 = text.encode("utf-16-le")
        for entity in entities:
            piece = utf16[entity["offset"] * 2 : (entity["offset"] + entity["length"]) * 2]
            word = piece.decode("utf-16-le", errors="replace")
            if entity["type"] == "mention" and word[1:].lower() == bot.username.lower():
                return True
            if entity["type"] == "bot_command":
                _, _, target = word.partition("@")
                if target:
                    if target.lower() == bot.username.lower():
                        return True
                elif entity["offset"] == 0 and chat.last_bot_id in (None, bot.id):
                    return True
        return False

    def _queue_update(self, bot: BotRecord, kind: str, payload: dict[str, Any]) -> None:
        if not bot.accepts(kind):
            return
        update = {"update_id": bot.next_update_id, kind: payload}
        bot.next_update_id += 1
        bot.updates.append(update)
        bot.wake()

    # ------------------------------------------------------------------ world operations

    def announce(self, kind: str, **data: Any) -> None:
        """Tell the page, the waiters and the listeners that something changed
        (for the parts of the sandbox, like faults, that change the world)."""
        self._changed(kind, **data)

    def actor_in(self, chat: ChatRecord, by_id: int | None) -> int | None:
        """Who did something to `chat`: `by_id`, else the creator, an admin, or any
        member present (None when nobody registered is in it)."""
        if by_id is not None:
            if by_id not in self.users and self.bot_by_id(by_id) is None:
                raise ControlError(f"user {by_id} (by_id) is not registered", 404)
            return by_id
        for wanted in ("creator", "administrator", "member"):
            for user_id, status in chat.members.items():
                if status == wanted and user_id in self.users:
                    return user_id
        return None

    def migrate_chat(self, chat_id: int, to_chat_id: int, by_id: int | None = None) -> ChatRecord:
        """Upgrade basic group `chat_id` to supergroup `to_chat_id`, as Telegram does:
        same title, members and tower placement under the new id, the old id gone,
        and the service messages (`migrate_to_chat_id` in the old chat,
        `migrate_from_chat_id` in the new) queued for every bot present."""
        old = self.chats.get(chat_id)
        if old is None:
            raise ControlError(f"chat {chat_id} not found", 404)
        if old.type != "group":
            raise ControlError(f"chat {old.id} is a {old.type}; only a basic group can be upgraded")
        if not isinstance(to_chat_id, int) or to_chat_id >= 0:
            raise ControlError(f"to_chat_id must be a negative integer, got {to_chat_id!r}")
        if to_chat_id in self.chats:
            raise ControlError(f"chat {to_chat_id} already exists")
        actor = self.actor_in(old, by_id)
        new = dataclasses.replace(
            old, id=to_chat_id, type="supergroup", is_forum=False, members=dict(old.members)
        )
        del self.chats[old.id]
        self.chats[new.id] = new
        now = self.now()
        old_conversation = self._conversation(old, 0)
        to_message = {
            "message_id": old_conversation.next_message_id,
            "from": self.user_api(actor) if actor is not None else dict(GROUP_ANONYMOUS_BOT),
            "chat": self.chat_api(old),
            "date": now,
            "migrate_to_chat_id": new.id,
        }
        old_conversation.next_message_id += 1
        new_conversation = self._conversation(new, 0)
        from_message = {
            "message_id": new_conversation.next_message_id,
            "from": dict(GROUP_ANONYMOUS_BOT),
            "sender_chat": self.chat_api(new),
            "chat": self.chat_api(new),
            "date": now,
            "migrate_from_chat_id": old.id,
        }
        new_conversation.next_message_id += 1
        for bot in self.bots.values():  # service messages reach bots despite privacy mode
            if self.member_status(new, bot.id) in PRESENT_STATUSES:
                self._queue_update(bot, "message", to_message)
                self._queue_update(bot, "message", from_message)
        self._changed("migrate", chat_id=old.id, to_chat_id=new.id)
        self._changed("chat", chat_id=new.id)
        return new

    def _changed(self, kind: str, **data: Any) -> None:
        self._event_seq += 1
        event = {"seq": self._event_seq, "type": kind, **data}
        self.events.append(event)
        for listener in self.change_listeners:
            listener(event)
        for waiter in list(self._change_waiters):
            waiter.set()
