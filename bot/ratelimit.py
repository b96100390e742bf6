"""Telegram's three sending limits kept at once, in real (monotonic) time.

Overall messages per second for the bot: sends are evenly spaced 3 % under the
limit (with a 20 ms catch-up allowance, so only high paid rates send in small
batches) and a sliding one-second window, as Telegram counts, stays the cap —
bursts let through by a token bucket drew 429s. Then a minimum spacing per chat
and a per-minute cap per group (sends and edits alike). The sender asks
`wait_for` how long a chat must still wait and `record`s each send as it makes it.

A group's per-minute budget is shared by answers to people and by the live
progress board's edits; a board (a `background` send) may use only part of it,
so replies always find room and boards slow down when a group is busy.

What it remembers per chat (its next slot, its sends of the last minute, a 429's
hold) is forgotten once it can no longer matter: a city order sends to 37,074
chats once each, and a window kept for each of them held ~25 MB for the rest of
the process's life (benchmarks/RESULTS.md, "memory"). So every `SWEEP` seconds the
chats with nothing newer than `STALE` seconds are dropped; an absent chat waits
exactly as one whose memory has run out.
"""

from __future__ import annotations

import math
from collections import deque

from bot.settings import SenderLimits

CATCH_UP = 0.02  # seconds of sending the pacing may make up at once
# The share of a group's per-minute budget kept free of board edits for replies.
REPLY_RESERVE = 0.25
# A chat's memory is dropped once all of it is this old: twice the longest window (a
# minute), so a sweep at a paced slot a little ahead of the clock drops nothing in use.
STALE = 120.0
SWEEP = 30.0  # seconds between sweeps (each walks the chats remembered)


class RateLimiter:
    def __init__(self, limits: SenderLimits, now: float = 0.0) -> None:
        self.limits = limits
        self.per_window = max(1, math.floor(limits.rate * 0.97))
        self.spacing = 1.0 / (limits.rate * 0.97)
        self._next_global = 0.0
        self._recent: deque[float] = deque()
        self._hold_all_until = 0.0
        self._next_chat: dict[int, float] = {}
        # A group's sends of the last minute: a list, as a deque's first block alone is
        # ~600 bytes, and a city order sends to 37,074 groups within a minute or two.
        self._group_sends: dict[int, list[float]] = {}
        self._held: dict[int, float] = {}
        self._departed: deque[float] = deque()
        self._swept_at = now

    def overall_wait(self, now: float) -> float:
        """Seconds until the bot may send anything at all (0 when it may now)."""
        wait = max(self._hold_all_until, self._next_global) - now
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.per_window:
            wait = max(wait, self._recent[0] + 1.0 - now)
        return max(0.0, wait)

    def wait_for(self, chat_id: int, now: float, background: bool = False) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now).

        A `background` message (a board edit) leaves a share of a group's
        per-minute budget to the replies to people.
        """
        wait = max(self.overall_wait(now), self._next_chat.get(chat_id, 0.0) - now)
        window = self._group_sends.get(chat_id)
        if chat_id < 0 and window is not None:
            old = 0
            while old < len(window) and window[old] <= now - 60.0:
                old += 1
            del window[:old]
            cap = self.limits.group_per_minute
            if background and cap > 1:
                cap = max(1, cap - max(1, math.ceil(cap * REPLY_RESERVE)))
            if len(window) >= cap:
                wait = max(wait, window[len(window) - cap] + 60.0 - now)
        return max(0.0, wait)

    def record(self, chat_id: int, now: float) -> None:
        self._recent.append(now)
        self._next_global = max(self._next_global, now - CATCH_UP) + self.spacing
        self._next_chat[chat_id] = now + self.limits.chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, []).append(now)
        if now >= self._swept_at + SWEEP:
            self.sweep(now)

    def release(self, chat_id: int, slot: float) -> None:
        """A slot `record`ed but not used (its row was dropped unsent at its claim): the
        bot's second and the group's minute no longer count it, and the chat may send
        from that slot on, as before it was given."""
        if slot in self._recent:
            self._recent.remove(slot)
        window = self._group_sends.get(chat_id)
        if window is not None and slot in window:
            window.remove(slot)
        if self._next_chat.get(chat_id) == slot + self.limits.chat_interval:
            self._next_chat[chat_id] = slot

    def sweep(self, now: float) -> None:
        """Forget the chats whose slots, sends and holds are all older than `STALE`."""
        self._swept_at = now
        old = now - STALE
        self._next_chat = {c: t for c, t in self._next_chat.items() if t > old}
        self._held = {c: t for c, t in self._held.items() if t > old}
        self._group_sends = {c: w for c, w in self._group_sends.items() if w and w[-1] > old}

    def remembered(self) -> int:
        """How many chats the limiter holds anything for."""
        return len(self._next_chat.keys() | self._held.keys() | self._group_sends.keys())

    def departure_wait(self, now: float) -> float:
        """Seconds until one more request may actually leave, counting departures
        (not slots) over the last second: a task that woke late must not make a
        burst with the ones that woke on time."""
        departed = self._departed
        while departed and departed[0] <= now - 1.0:
            departed.popleft()
        if len(departed) < self.per_window:
            return 0.0
        return departed[len(departed) - self.per_window] + 1.0 - now

    def departed(self, now: float) -> None:
        self._departed.append(now)

    def held(self, chat_id: int, now: float) -> float:
        """Seconds a 429 (or a back-off) still holds this chat or the whole bot."""
        return max(0.0, self._hold_all_until - now, self._held.get(chat_id, 0.0) - now)

    def hold_chat(self, chat_id: int, until: float) -> None:
        self._held[chat_id] = max(self._held.get(chat_id, 0.0), until)
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), until)

    def hold_all(self, until: float) -> None:
        self._hold_all_until = max(self._hold_all_until, until)


class AnswerShare:
    """Which class takes a send slot that both could use: an answer to a person or bulk.

    The answers go first, but each slot both classes could fill adds `share` of a
    turn to the answers' credit, and an answer spends a whole turn. Of any n such
    slots the answers take at most share·n + 1 and the bulk at least (1 − share)·n − 1,
    so a copy waits at most 1/(1 − share) times as long as with no answers at all
    (starvation is bounded). A slot only one class can use goes to it and counts
    for nothing, so the answers take the whole budget when no bulk waits.
    """

    def __init__(self, share: float) -> None:
        if not 0 < share < 1:
            raise ValueError("the answers' share is between 0 and 1")
        self.share = share
        self._credit = 1.0  # the first contested slot goes to the answer

    def answer_first(self) -> bool:
        """A slot both could use: True if the answer takes it (then it is spent)."""
        self._credit += self.share
        if self._credit >= 1.0 + self.share - 1e-9:
            self._credit -= 1.0
            return True
        return False
