"""A memo that empties itself when full.

Hot paths keep texts they would otherwise make again and again (a timestamp's
ISO text for every row of an answer's chain, an order copy's text for each
press that edits it). Such a memo must never grow with the city and never be
stale: the key holds everything the value is made of, and when the memo is
full it is emptied rather than evicted entry by entry, which costs nothing on
the hits that make it worth having (a plain ``dict.get``).
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A ``dict`` read with ``get``, written with ``keep``, at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: K, value: V) -> V:
        """Remember ``value`` under ``key`` (emptying the memo first when full)."""
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
