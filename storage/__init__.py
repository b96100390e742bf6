"""SQLite persistence for the domain's repositories (aiosqlite, WAL mode).

One connection, one writer at a time, one transaction per decision: SQLite is
the source of truth for the tower, orders, answers and the outbox.
"""

from storage.db import Database

__all__ = ["Database"]
