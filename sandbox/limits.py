"""Telegram's sending limits, enforced by the sandbox (off unless switched on).

Why this module exists: the bot's sender claims to stay inside Telegram's
limits -- about 30 messages a second per bot, one message a second per chat,
20 messages a minute per group, edits included -- and to wait out a 429 instead
of dropping the message.  Neither claim can be checked against a server that
accepts everything.  With `SandboxLimits` switched on, the sandbox answers
exactly as Telegram does when a bot goes too fast::

    HTTP 429 {"ok": false, "error_code": 429,
              "description": "Too Many Requests: retry after N",
              "parameters": {"retry_after": N}}

with N the whole seconds until the request would be accepted (at least 1), and
counts what it accepted and rejected per chat, so a test or a benchmark can
read "how many 429s, how many messages arrived" from the server's side.

Rules (per bot; a request is measured when it arrives):
- sendMessage, sendPhoto, sendDocument and the edits (editMessageText,
  editMessageCaption, editMessageReplyMarkup) count; other methods do not;
- overall: at most `per_second` in any sliding 1 s window, or `paid_per_second`
  for requests with `allow_paid_broadcast=true` (they count against that budget
  instead, and still against the per-chat ones);
- per chat: at most `chat_per_second` a second (sliding window);
- per group or supergroup: at most `group_per_minute` in any sliding 60 s window;
- a request that is rejected (429, or any other error) does not count: only a
  message or edit that actually happened does.

Time is the state's clock, so tests move time instead of sleeping.  Switch on
with `SandboxState(limits=SandboxLimits())`, `state.set_limits(...)` or
`POST /control/limits` (in `sandbox.control`); read counts with
`state.limiter.stats()` or `GET /control/stats`.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError
from sandbox.models import OutgoingRequest

# Methods that spend the sending budget, as `OutgoingRequest.method` names them.
COUNTED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)
_COUNTED_LOWER = frozenset(m.lower() for m in COUNTED_METHODS)

GROUP_WINDOW = 60.0
OVERALL_WINDOW = 1.0

# The Bot API request being served, set by `paid_broadcast_middleware` (each aiohttp
# request runs in its own task); in-process callers use `paid_broadcast()` instead.
_CURRENT_REQUEST: ContextVar[web.Request | None] = ContextVar("sandbox_request", default=None)
_PAID_OVERRIDE: ContextVar[bool | None] = ContextVar("sandbox_paid_broadcast", default=None)


@dataclass(frozen=True)
class SandboxLimits:
    """Telegram's published limits; `scaled(10)` keeps the proportions, runs 10x faster."""

    per_second: float = 30.0
    chat_per_second: float = 1.0
    group_per_minute: int = 20
    paid_per_second: float = 1000.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value > 0:
                raise ValueError(f"SandboxLimits.{name} must be positive, got {value!r}")

    def scaled(self, factor: float) -> SandboxLimits:
        """Every limit multiplied by `factor` (the group limit rounded down, at least 1)."""
        if not factor > 0:
            raise ValueError(f"scale factor must be positive, got {factor!r}")
        return SandboxLimits(
            per_second=self.per_second * factor,
            chat_per_second=self.chat_per_second * factor,
            group_per_minute=max(1, int(self.group_per_minute * factor)),
            paid_per_second=self.paid_per_second * factor,
        )

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    @property
    def chat_window(self) -> tuple[float, int]:
        """(window in seconds, messages allowed in it) for one chat.

        1/s is "one message in any 1 s"; 10/s is "ten in any 1 s"; 0.5/s is
        "one in any 2 s".
        """
        span = max(1.0, 1.0 / self.chat_per_second)
        return span, max(1, math.floor(self.chat_per_second * span + 1e-9))


@dataclass
class _Pending:
    """A request that passed the limits and will count once it has happened."""

    bot_id: int
    chat_id: int
    is_group: bool
    paid: bool
    at: float


_PENDING: ContextVar[_Pending | None] = ContextVar("sandbox_limit_pending", default=None)


def _wait(times: deque[float], now: float, span: float, capacity: int) -> float:
    """Seconds until one more entry fits in `capacity` per sliding `span` (0 if now).

    `times` is ascending; only its newest `capacity` entries are looked at.
    """
    if len(times) < capacity:
        return 0.0
    oldest_needed = times[len(times) - capacity]  # must leave the window first
    return max(0.0, oldest_needed + span - now)


def _prune(times: deque[float], older_than: float) -> None:
    while times and times[0] <= older_than:
        times.popleft()


@contextlib.contextmanager
def paid_broadcast(enabled: bool = True) -> Iterator[None]:
    """For in-process callers of `before_outgoing`: treat the requests made inside
    the block as sent with `allow_paid_broadcast=true` (or not, with False)."""
    token = _PAID_OVERRIDE.set(enabled)
    try:
        yield
    finally:
        _PAID_OVERRIDE.reset(token)


class RateLimiter:
    """The sandbox's side of Telegram's flood control, plus the counts behind
    `GET /control/stats`.

    `SandboxState.before_outgoing` calls `check` last (after faults and the
    membership check); the state's change events (`on_change`) commit a request
    once its message or edit exists, so a request that failed after the check
    never counts.
    """

    def __init__(self, clock: Callable[[], float], limits: SandboxLimits | None = None) -> None:
        self.clock = clock
        self.limits = limits
        self._overall: dict[int, deque[float]] = {}
        self._paid: dict[int, deque[float]] = {}
        self._chats: dict[tuple[int, int], deque[float]] = {}
        self.reset_stats()

    # ------------------------------------------------------------------ configuration

    def set_limits(self, limits: SandboxLimits | None) -> None:
        """Switch limits on (or change them), or off with None.  Windows start empty."""
        self.limits = limits
        self._overall.clear()
        self._paid.clear()
        self._chats.clear()

    @property
    def enabled(self) -> bool:
        return self.limits is not None

    def view(self) -> dict[str, Any]:
        """What `GET /control/limits` shows."""
        if self.limits is None:
            return {"enabled": False}
        return {"enabled": True, **self.limits.to_dict()}

    # ------------------------------------------------------------------ counting

    def reset_stats(self) -> None:
        self.accepted_by_chat: Counter[int] = Counter()
        self.accepted_paid = 0
        self.too_many_by_chat: Counter[int] = Counter()

    @property
    def accepted_total(self) -> int:
        return sum(self.accepted_by_chat.values())

    @property
    def too_many_total(self) -> int:
        return sum(self.too_many_by_chat.values())

    def stats(self) -> dict[str, Any]:
        """Counts since the start (or the last `reset_stats`); chat ids are ints."""
        return {
            "limits": self.view(),
            "accepted": {
                "total": self.accepted_total,
                "paid": self.accepted_paid,
                "by_chat": dict(self.accepted_by_chat),
            },
            "too_many_requests": {
                "total": self.too_many_total,
                "by_chat": dict(self.too_many_by_chat),
            },
        }

    # ------------------------------------------------------------------ the check

    async def check(self, request: OutgoingRequest) -> None:
        """Raise Telegram's 429 when `request` would go over a limit; otherwise
        remember it, to be counted when it has happened.

        Never suspends (the request's body is already read and cached), so no
        other request can slip in between this check and the change it allows.
        """
        if request.method not in COUNTED_METHODS:
            return
        paid = await _request_is_paid()
        now = self.clock()
        pending = _Pending(
            request.bot.id, request.chat.id, request.chat.type != "private", paid, now
        )
        if self.limits is not None:
            wait = self._wait_for(pending, self.limits)
            if wait > 0:
                self.too_many_by_chat[request.chat.id] += 1
                raise ApiError.too_many_requests(max(1, math.ceil(wait - 1e-9)))
        _PENDING.set(pending)

    def _wait_for(self, pending: _Pending, limits: SandboxLimits) -> float:
        now = pending.at
        if pending.paid:
            overall = self._paid.setdefault(pending.bot_id, deque())
            capacity = max(1, math.floor(limits.paid_per_second))
        else:
            overall = self._overall.setdefault(pending.bot_id, deque())
            capacity = max(1, math.floor(limits.per_second))
        _prune(overall, now - OVERALL_WINDOW)
        wait = _wait(overall, now, OVERALL_WINDOW, capacity)
        chat = self._chats.setdefault((pending.bot_id, pending.chat_id), deque())
        chat_span, chat_capacity = limits.chat_window
        _prune(chat, now - (max(chat_span, GROUP_WINDOW) if pending.is_group else chat_span))
        recent = deque(t for t in chat if t > now - chat_span) if pending.is_group else chat
        wait = max(wait, _wait(recent, now, chat_span, chat_capacity))
        if pending.is_group:
            wait = max(wait, _wait(chat, now, GROUP_WINDOW, limits.group_per_minute))
        return wait

    def on_change(self, event: dict[str, Any]) -> None:
        """State change listener: count the pending request whose message or edit
        this is; forget everything on reset."""
        kind = event.get("type")
        if kind == "reset":
            self.set_limits(self.limits)
            self.reset_stats()
            return
        if kind not in ("message", "edit") or "bot_id" not in event:
            return
        pending = _PENDING.get()
        if (
            pending is None
            or pending.bot_id != event["bot_id"]
            or pending.chat_id != event.get("chat_id")
        ):
            return
        _PENDING.set(None)
        self.accepted_by_chat[pending.chat_id] += 1
        if pending.paid:
            self.accepted_paid += 1
        if self.limits is None:
            return
        (self._paid if pending.paid else self._overall).setdefault(pending.bot_id, deque()).append(
            pending.at
        )
        self._chats.setdefault((pending.bot_id, pending.chat_id), deque()).append(pending.at)


# ---------------------------------------------------------------------- HTTP side


@web.middleware
async def paid_broadcast_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Make the request being served visible to the limiter.

    `OutgoingRequest` carries no parameters, and `allow_paid_broadcast` decides
    which overall budget a send spends; the limiter reads it from this request
    (whose body the Bot API handler has parsed and aiohttp has cached by then).
    """
    token = _CURRENT_REQUEST.set(request)
    try:
        return await handler(request)
    finally:
        _CURRENT_REQUEST.reset(token)


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on")


async def _request_is_paid() -> bool:
    """`allow_paid_broadcast` of the request being served (query or body)."""
    override = _PAID_OVERRIDE.get()
    if override is not None:
        return override
    request = _CURRENT_REQUEST.get()
    if request is None:
        return False
    value: object = request.query.get("allow_paid_broadcast")
    # Only a body the handler has already read: these calls then return aiohttp's
    # cached result without suspending or touching the stream.
    if request.method == "POST" and request.body_exists and not request.can_read_body:
        try:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict) and "allow_paid_broadcast" in body:
                    value = body["allow_paid_broadcast"]
            elif request.content_type in (
                "multipart/form-data",
                "application/x-www-form-urlencoded",
            ):
                field = (await request.post()).get("allow_paid_broadcast")
                if isinstance(field, str):
                    value = field
        except Exception:  # the handler has reported a malformed body already
            return False
    return _truthy(value)
