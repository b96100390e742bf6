"""`towerbot backup PATH`: a consistent copy of the database while the bot runs.

SQLite's online backup API copies the pages of one consistent snapshot while
other connections go on writing (the database is in WAL mode: the running bot
is never blocked for long). The copy is written beside PATH and renamed into
place only after `PRAGMA integrity_check` passed on it, so PATH is either a
complete, checked database or not there at all.

Restoring (see the README's "Reliability" section): stop the bot, copy the
backup over the database file, remove the old file's `-wal` and `-shm`
companions, start the bot. It runs the migrations the copy lacks, if any.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from storage.pg import is_url

PAGES_PER_STEP = 1024  # copy in steps so writers get the database in between


class BackupFailed(Exception):
    """One line saying why no backup was written."""


def backup(source: str | Path, target: str | Path) -> int:
    """Copy `source` to `target` (which must not exist); returns the copy's size in bytes."""
    if isinstance(source, str) and is_url(source):
        # A server's own tool takes a consistent copy of a live PostgreSQL database.
        raise BackupFailed(
            "towerbot backup copies SQLite files; for PostgreSQL run pg_dump -Fc -f FILE URL"
        )
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupFailed(f"no database at {source}")
    if target.exists():
        raise BackupFailed(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupFailed(f"no directory {target.parent}")
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                (verdict,) = dst.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise BackupFailed(f"the copy failed its integrity check: {verdict}")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupFailed(f"cannot back up {source}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
