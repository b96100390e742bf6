"""Injected failures per chat: what Telegram does to a bot on a bad day.

Why this module exists: the sender's error handling -- mark a unit unreachable
on 403 or "chat not found", re-key a group that became a supergroup, back off on
5xx, survive a slow server -- is the part of the bot that real Telegram
exercises rarely and unpredictably.  Here a test, drill or benchmark says "this
chat now fails like so" and the sandbox answers every send, edit and delete to
that chat with Telegram's exact error, so aiogram raises its real exceptions:

  forbidden     403 "Forbidden: bot was kicked from the supergroup chat" (group
                chat / "bot was blocked by the user" for a private chat)
  not_found     400 "Bad Request: chat not found"
  migrate       the basic group becomes supergroup `to_chat_id` at once: same
                title and members, the old id gone; requests to the old id get
                400 "Bad Request: group chat was upgraded to a supergroup chat"
                with `parameters.migrate_to_chat_id`; the service messages
                (`migrate_to_chat_id` in the old chat, `migrate_from_chat_id` in
                the new) are queued as updates
  server_error  the next `count` requests get 502 "Bad Gateway" (or 500
                "Internal Server Error" with status=500)
  slow          every request is answered `seconds` later
  removed       the bot is removed now (`my_chat_member`: "kicked" in a
                supergroup or private chat, "left" in a basic group) and later
                sends get 403 until it is added back

Python: `state.faults.inject(chat_id, "slow", seconds=2)` (or `forbid`,
`chat_not_found`, `migrate`, `server_error`, `slow`, `remove_bot`),
`state.faults.clear(chat_id)`.  HTTP (in `sandbox.control`, with the other control
routes): `POST /control/faults`, `GET /control/faults`,
`DELETE /control/faults/{chat_id}`, `DELETE /control/faults`.  The migration itself
is the state's public operation `SandboxState.migrate_chat`.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, Protocol, get_args

from sandbox.errors import ApiError, ControlError
from sandbox.models import PRESENT_STATUSES, BotRecord, ChatRecord, OutgoingRequest, UserRecord

FaultKind = Literal["forbidden", "not_found", "migrate", "server_error", "slow", "removed"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

# Checked in this order when a chat has several faults (slow first: a slow
# server is slow whatever it answers).
_ORDER = ("slow", "server_error", "removed", "forbidden", "not_found")

_SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway"}


@dataclass
class Fault:
    """One injected fault on one chat (for one bot, or every bot when bot_id is None)."""

    kind: str
    chat_id: int
    bot_id: int | None = None
    count: int | None = None  # server_error: requests still to fail
    status: int = 502  # server_error
    seconds: float = 0.0  # slow
    to_chat_id: int | None = None  # migrate

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"chat_id": self.chat_id, "kind": self.kind}
        if self.bot_id is not None:
            view["bot_id"] = self.bot_id
        if self.kind == "server_error":
            view.update(count=self.count, status=self.status)
        elif self.kind == "slow":
            view["seconds"] = self.seconds
        elif self.kind == "migrate":
            view["to_chat_id"] = self.to_chat_id
        return view


def _kicked_from(chat: ChatRecord) -> ApiError:
    if chat.type == "private":
        return ApiError.forbidden("bot was blocked by the user")
    kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
    return ApiError.forbidden(f"bot was kicked from the {kind}")


class FaultHost(Protocol):
    """What the injector needs of the world it breaks (`SandboxState` is one):
    named here so that faults depend on the state's public operations only."""

    chats: dict[int, ChatRecord]
    users: dict[int, UserRecord]
    bots: dict[str, BotRecord]

    def bot_by_id(self, bot_id: int) -> BotRecord | None: ...

    def member_status(self, chat: ChatRecord, user_id: int) -> str: ...

    def set_chat_member(
        self, chat_id: int, user_id: int, status: str, by_id: int | None = None
    ) -> Any: ...

    def actor_in(self, chat: ChatRecord, by_id: int | None) -> int | None: ...

    def migrate_chat(
        self, chat_id: int, to_chat_id: int, by_id: int | None = None
    ) -> ChatRecord: ...

    def announce(self, kind: str, **data: Any) -> None: ...


class FaultInjector:
    """The faults of every chat; `SandboxState.before_outgoing` asks `check` first."""

    def __init__(self, state: FaultHost) -> None:
        self.state = state
        self.faults: dict[int, dict[str, Fault]] = {}
        # old basic group id -> the supergroup it became (kept until reset)
        self.migrated: dict[int, int] = {}
        self.reset_stats()

    # ------------------------------------------------------------------ injecting

    def inject(
        self,
        chat_id: int,
        kind: str,
        *,
        to_chat_id: int | None = None,
        count: int = 1,
        status: int = 502,
        seconds: float = 1.0,
        bot_id: int | None = None,
        by_id: int | None = None,
    ) -> dict[str, Any]:
        """Make `chat_id` fail as `kind` (see the module docstring); returns the
        fault's view.  A second fault of the same kind replaces the first."""
        if kind not in FAULT_KINDS:
            raise ControlError(f"kind must be one of {list(FAULT_KINDS)}, got {kind!r}")
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise ControlError(f"chat {chat_id} not found", 404)
        if bot_id is not None and self.state.bot_by_id(bot_id) is None:
            raise ControlError(f"unknown bot {bot_id}", 404)
        fault = Fault(kind=kind, chat_id=chat_id, bot_id=bot_id)
        if kind == "migrate":
            if to_chat_id is None:
                raise ControlError("migrate needs to_chat_id (the new supergroup's id)")
            fault.to_chat_id = to_chat_id
            if to_chat_id in self.migrated:
                raise ControlError(f"chat {to_chat_id} already exists")
            self.state.migrate_chat(chat.id, to_chat_id, by_id)
            self.migrated[chat.id] = to_chat_id
            self.faults.pop(chat.id, None)
            return fault.view()
        if kind == "server_error":
            if count < 1:
                raise ControlError("count must be at least 1")
            if status not in _SERVER_ERRORS:
                raise ControlError(f"status must be one of {sorted(_SERVER_ERRORS)}")
            fault.count, fault.status = count, status
        elif kind == "slow":
            if not seconds > 0:
                raise ControlError("seconds must be positive")
            fault.seconds = seconds
        elif kind == "removed":
            self._remove_bots(chat, bot_id, by_id)
        self.faults.setdefault(chat_id, {})[kind] = fault
        self.state.announce("fault", chat_id=chat_id, fault=kind)
        return fault.view()

    def forbid(self, chat_id: int, *, bot_id: int | None = None) -> dict[str, Any]:
        return self.inject(chat_id, "forbidden", bot_id=bot_id)

    def chat_not_found(self, chat_id: int, *, bot_id: int | None = None) -> dict[str, Any]:
        return self.inject(chat_id, "not_found", bot_id=bot_id)

    def migrate(self, chat_id: int, to_chat_id: int, *, by_id: int | None = None) -> dict[str, Any]:
        return self.inject(chat_id, "migrate", to_chat_id=to_chat_id, by_id=by_id)

    def server_error(
        self, chat_id: int, count: int = 1, *, status: int = 502, bot_id: int | None = None
    ) -> dict[str, Any]:
        return self.inject(chat_id, "server_error", count=count, status=status, bot_id=bot_id)

    def slow(self, chat_id: int, seconds: float, *, bot_id: int | None = None) -> dict[str, Any]:
        return self.inject(chat_id, "slow", seconds=seconds, bot_id=bot_id)

    def remove_bot(
        self, chat_id: int, *, bot_id: int | None = None, by_id: int | None = None
    ) -> dict[str, Any]:
        return self.inject(chat_id, "removed", bot_id=bot_id, by_id=by_id)

    def clear(self, chat_id: int | None = None) -> int:
        """Forget the faults of one chat (or of every chat); returns how many.

        A migration is not undone (the group stays a supergroup), and a removed
        bot stays removed until added back (`set_chat_member`)."""
        if chat_id is None:
            removed = sum(len(f) for f in self.faults.values())
            self.faults.clear()
        else:
            removed = len(self.faults.pop(chat_id, {}))
        if removed:
            self.state.announce("fault", chat_id=chat_id, fault=None)
        return removed

    def active(self) -> list[dict[str, Any]]:
        """Every fault in force, plus the migrations done (kind "migrate")."""
        views = [f.view() for faults in self.faults.values() for f in faults.values()]
        views += [
            {"chat_id": old, "kind": "migrate", "to_chat_id": new}
            for old, new in self.migrated.items()
        ]
        return views

    # ------------------------------------------------------------------ counting

    def reset_stats(self) -> None:
        self.triggered_by_kind: Counter[str] = Counter()
        self.triggered_by_chat: Counter[int] = Counter()

    def stats(self) -> dict[str, Any]:
        return {
            "total": sum(self.triggered_by_kind.values()),
            "by_kind": dict(self.triggered_by_kind),
            "by_chat": dict(self.triggered_by_chat),
        }

    def _triggered(self, fault: Fault, chat_id: int) -> None:
        self.triggered_by_kind[fault.kind] += 1
        self.triggered_by_chat[chat_id] += 1

    # ------------------------------------------------------------------ at request time

    async def check(self, request: OutgoingRequest) -> None:
        """Apply the chat's faults to a send, edit or delete (raises ApiError)."""
        faults = self.faults.get(request.chat.id)
        if not faults:
            return
        for kind in _ORDER:
            fault = faults.get(kind)
            if fault is None or fault.bot_id not in (None, request.bot.id):
                continue
            if kind == "slow":
                self._triggered(fault, request.chat.id)
                await asyncio.sleep(fault.seconds)
            elif kind == "server_error":
                assert fault.count is not None
                fault.count -= 1
                if fault.count <= 0:
                    del faults[kind]
                self._triggered(fault, request.chat.id)
                raise ApiError(fault.status, _SERVER_ERRORS[fault.status])
            elif kind == "removed":
                status = self.state.member_status(request.chat, request.bot.id)
                if status in PRESENT_STATUSES:  # added back since: the fault is over
                    del faults[kind]
                    continue
                self._triggered(fault, request.chat.id)
                raise _kicked_from(request.chat)
            elif kind == "forbidden":
                self._triggered(fault, request.chat.id)
                raise _kicked_from(request.chat)
            elif kind == "not_found":
                self._triggered(fault, request.chat.id)
                raise ApiError.bad_request("chat not found")
        if not faults:
            self.faults.pop(request.chat.id, None)

    def check_missing_chat(self, chat_id: int | None) -> None:
        """Called when a bot names a chat that does not exist: a group that was
        upgraded answers with Telegram's migrate error instead of "chat not found"."""
        if chat_id is not None and chat_id in self.migrated:
            self.triggered_by_kind["migrate"] += 1
            self.triggered_by_chat[chat_id] += 1
            raise ApiError.migrated(self.migrated[chat_id])

    def on_change(self, event: dict[str, Any]) -> None:
        """State change listener: a reset forgets every fault and migration."""
        if event.get("type") == "reset":
            self.faults.clear()
            self.migrated.clear()
            self.reset_stats()

    # ------------------------------------------------------------------ world changes

    def _remove_bots(self, chat: ChatRecord, bot_id: int | None, by_id: int | None) -> None:
        state = self.state
        bots = [state.bot_by_id(bot_id)] if bot_id is not None else list(state.bots.values())
        new_status = "left" if chat.type == "group" else "kicked"
        actor = state.actor_in(chat, by_id) if chat.type != "private" else chat.id
        for bot in bots:
            if bot is None or state.member_status(chat, bot.id) not in PRESENT_STATUSES:
                continue
            state.set_chat_member(
                chat.id, bot.id, new_status, by_id=actor if actor is not None else bot.id
            )
