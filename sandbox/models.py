"""The records the sandbox world is made of: bots, people, chats, messages.

Why this module exists: `SandboxState` holds the behaviour (who may post where,
which bot gets which update); these plain dataclasses hold the data, so the
state module stays readable and a later web page or drill can inspect records
without pulling in any logic.  Ids are Python ints everywhere: Telegram's user
and chat ids exceed 2**32 and must never be truncated.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# Statuses a person or bot can have in a chat, as Telegram names them.
PRESENT_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
MEMBER_STATUSES = frozenset({*PRESENT_STATUSES, "left", "kicked"})
CHAT_TYPES = frozenset({"private", "group", "supergroup"})

# Update types not delivered unless asked for explicitly in allowed_updates.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class Webhook:
    """What setWebhook stored, and how delivery to it last went (getWebhookInfo)."""

    url: str
    secret_token: str = ""
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class BotRecord:
    """A bot, known by its token; `id` is the number before the colon."""

    token: str
    id: int
    first_name: str
    username: str
    can_join_groups: bool = True
    can_read_all_group_messages: bool = False
    supports_inline_queries: bool = False
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    next_update_id: int = 1
    # None: Telegram's default (everything except OPT_IN_UPDATE_TYPES).
    allowed_updates: frozenset[str] | None = None
    # (scope as canonical JSON, language_code) -> {"scope", "language_code", "commands"}
    commands: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # Set by setWebhook: updates then go by HTTP POST (sandbox.webhook), not getUpdates.
    webhook: Webhook | None = None
    poll_serial: int = 0
    active_poll: int | None = None
    poll_count: int = 0
    waiters: set[asyncio.Event] = field(default_factory=set)

    def user_api(self) -> dict[str, Any]:
        """The bot as a Bot API `User` (as it appears in `from`)."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def me_api(self) -> dict[str, Any]:
        """The result of getMe."""
        return {
            **self.user_api(),
            "can_join_groups": self.can_join_groups,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def wake(self) -> None:
        """Wake every getUpdates long poll of this bot."""
        for waiter in list(self.waiters):
            waiter.set()

    def accepts(self, update_type: str) -> bool:
        if self.allowed_updates is None:
            return update_type not in OPT_IN_UPDATE_TYPES
        return update_type in self.allowed_updates


@dataclass
class UserRecord:
    """A person (not a bot)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def api(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class ChatRecord:
    """A chat.  A private chat's id equals the person's id and exists once the
    person has talked to (started) the bot.

    `members` maps user and bot ids to their status.  A bot without an entry has
    `default_bot_status`: chats registered through the control API contain every
    bot unless told otherwise, so a test needs no extra step to "add the bot".
    """

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    members: dict[int, str] = field(default_factory=dict)
    default_bot_status: str = "member"
    last_bot_id: int | None = None  # the last bot that posted (privacy-mode rule)
    # Where the group sits in a tower of groups, for the demo's chat page (optional).
    parent_id: int | None = None
    level: int | None = None
    unit_code: str | None = None


@dataclass
class MessageRecord:
    """A message as the sandbox keeps it; turned into Bot API JSON on demand."""

    message_id: int
    chat_id: int
    conversation_bot_id: int  # the bot of a private conversation, 0 in groups
    from_id: int
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None  # inline keyboard only
    client_markup: dict[str, Any] | None = None  # reply keyboard / remove / force_reply
    reply_to_message_id: int | None = None
    message_thread_id: int | None = None
    document_id: str | None = None
    photo_id: str | None = None
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False
    pinned: bool = False
    # Reactions bots set on the message (setMessageReaction), by bot id.
    bot_reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Conversation:
    """The message history of one chat as one bot sees it.

    Groups have one conversation shared by all bots (bot id 0); a private chat
    has one per bot, since each bot has its own chat with the same person.
    Message ids are per conversation and start at 1.
    """

    chat_id: int
    bot_id: int
    messages: dict[int, MessageRecord] = field(default_factory=dict)
    next_message_id: int = 1


@dataclass
class CallbackRecord:
    """A button press and, once the bot has answered, its answer."""

    id: str
    bot_id: int
    chat_id: int
    message_id: int
    conversation_bot_id: int
    from_id: int
    data: str
    created_at: float
    answer: dict[str, Any] | None = None


@dataclass
class OutgoingRequest:
    """What a bot is about to do to a chat; passed to the outgoing hooks.

    `method` is the Bot API method name (sendMessage, editMessageText, ...),
    `message_id` is set for edits and deletions.
    """

    bot: BotRecord
    method: str
    chat: ChatRecord
    message_id: int | None = None
