"""Telegram's three sending limits kept at once, in real (monotonic) time.

Overall messages per second for the bot (a token bucket holding a tenth of a
second's worth, so a batch for different chats can go out together without
bursting past the rate), a minimum spacing per chat, and a per-minute cap per
group (sends and edits alike). The sender asks `wait_for` how long a chat must
still wait and `record`s each send before making it.
"""

from __future__ import annotations

from collections import deque

from bot.settings import SenderLimits


class RateLimiter:
    def __init__(self, limits: SenderLimits, now: float = 0.0) -> None:
        self.limits = limits
        self.capacity = max(1.0, limits.rate / 10)
        self._tokens = self.capacity
        self._refilled = now
        self._hold_all_until = 0.0
        self._next_chat: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    def _refill(self, now: float) -> None:
        if now > self._refilled:
            self._tokens = min(
                self.capacity, self._tokens + (now - self._refilled) * self.limits.rate
            )
            self._refilled = now

    def wait_for(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now)."""
        self._refill(now)
        wait = max(self._hold_all_until, self._next_chat.get(chat_id, 0.0)) - now
        if self._tokens < 1.0:
            wait = max(wait, (1.0 - self._tokens) / self.limits.rate)
        window = self._group_sends.get(chat_id)
        if chat_id < 0 and window is not None:
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                wait = max(wait, window[0] + 60.0 - now)
        return max(0.0, wait)

    def record(self, chat_id: int, now: float) -> None:
        self._refill(now)
        self._tokens -= 1.0
        self._next_chat[chat_id] = now + self.limits.chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(now)

    def hold_chat(self, chat_id: int, until: float) -> None:
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), until)

    def hold_all(self, until: float) -> None:
        self._hold_all_until = max(self._hold_all_until, until)
