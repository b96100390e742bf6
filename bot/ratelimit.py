"""Telegram's three sending limits kept at once, in real (monotonic) time.

Overall messages per second for the bot, a minimum spacing per chat, and a
per-minute cap per group (sends and edits alike). The sender asks `wait_for`
how long a chat must still wait and `record`s each send.
"""

from __future__ import annotations

from collections import deque

from bot.settings import SenderLimits


class RateLimiter:
    def __init__(self, limits: SenderLimits) -> None:
        self.limits = limits
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    def wait_for(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now)."""
        wait = max(self._next_global, self._next_chat.get(chat_id, 0.0)) - now
        window = self._group_sends.get(chat_id)
        if chat_id < 0 and window is not None and len(window) >= self.limits.group_per_minute:
            wait = max(wait, window[0] + 60.0 - now)
        return max(0.0, wait)

    def record(self, chat_id: int, now: float) -> None:
        self._next_global = max(self._next_global, now) + 1.0 / self.limits.per_second
        self._next_chat[chat_id] = now + self.limits.chat_interval
        if chat_id < 0:
            window = self._group_sends.setdefault(chat_id, deque())
            window.append(now)
            while window and window[0] <= now - 60.0:
                window.popleft()
            while len(window) > self.limits.group_per_minute:
                window.popleft()

    def hold_chat(self, chat_id: int, until: float) -> None:
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), until)

    def hold_all(self, until: float) -> None:
        self._next_global = max(self._next_global, until)
