"""Telegram's three sending limits kept at once, in real (monotonic) time.

Overall messages per second for the bot: sends are evenly spaced 3 % under the
limit (with a 20 ms catch-up allowance, so only high paid rates send in small
batches) and a sliding one-second window, as Telegram counts, stays the cap —
bursts let through by a token bucket drew 429s. Then a minimum spacing per chat
and a per-minute cap per group (sends and edits alike). The sender asks
`wait_for` how long a chat must still wait and `record`s each send as it makes it.
"""

from __future__ import annotations

import math
from collections import deque

from bot.settings import SenderLimits

CATCH_UP = 0.02  # seconds of sending the pacing may make up at once


class RateLimiter:
    def __init__(self, limits: SenderLimits, now: float = 0.0) -> None:
        self.limits = limits
        self.per_window = max(1, math.floor(limits.rate * 0.97))
        self.spacing = 1.0 / (limits.rate * 0.97)
        self._next_global = 0.0
        self._recent: deque[float] = deque()
        self._hold_all_until = 0.0
        self._next_chat: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

    def wait_for(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now)."""
        wait = max(self._hold_all_until, self._next_global, self._next_chat.get(chat_id, 0.0)) - now
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.per_window:
            wait = max(wait, self._recent[0] + 1.0 - now)
        window = self._group_sends.get(chat_id)
        if chat_id < 0 and window is not None:
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.limits.group_per_minute:
                wait = max(wait, window[0] + 60.0 - now)
        return max(0.0, wait)

    def record(self, chat_id: int, now: float) -> None:
        self._recent.append(now)
        self._next_global = max(self._next_global, now - CATCH_UP) + self.spacing
        self._next_chat[chat_id] = now + self.limits.chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(now)

    def hold_chat(self, chat_id: int, until: float) -> None:
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), until)

    def hold_all(self, until: float) -> None:
        self._hold_all_until = max(self._hold_all_until, until)
