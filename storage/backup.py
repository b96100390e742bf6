"""`towerbot backup PATH`: a consistent copy of the database while the bot runs.

SQLite's online backup API copies the pages of one consistent snapshot while
other connections go on writing (the database is in WAL mode: the running bot
is never blocked for long). The copy is written beside PATH and renamed into
place only after `PRAGMA integrity_check` passed on it, so PATH is either a
complete, checked database or not there at all.

The inbox of long polling is in a file of its own beside the database
(storage/inbox_file.py): its rows go into the copy's own `inbox` table, where a
start moves them into a new inbox file. They are read before the database is
copied, so every update that came in before the backup began is in the copy, as a
row or as the decision it led to (a row is deleted only after its decision
committed); one handled in between is both, and skipped as handled
(storage/processed.py) when the row is handed back.

Restoring (see the README's "Reliability" section): stop the bot, copy the
backup over the database file, remove the old file's `-wal` and `-shm`
companions and its inbox file (`NAME.inbox.db` and its own two), start the bot.
It runs the migrations the copy lacks, if any.

On PostgreSQL the proven tool does it: `pg_dump` (one consistent snapshot while
the workers go on writing) in its custom format, written beside PATH and renamed
into place when it exited cleanly; restore with `pg_restore --clean --if-exists
-d URL PATH` while the workers are stopped (docs/scaling.md).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from storage import inbox_file
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
        inbox = inbox_file.left_beside(str(source))  # first: see the docstring
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                with dst:
                    dst.executemany(inbox_file.COPY, inbox)
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


def find_pg_dump() -> str | None:
    """pg_dump on PATH, else the newest in /usr/lib/postgresql/*/bin (Debian's layout)."""
    found = shutil.which("pg_dump")
    if found:
        return found
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return versions[-1] if versions else None


def backup_postgres(url: str, target: str | Path, shown: str) -> int:
    """`pg_dump --format=custom` of `url` to `target` (which must not exist); returns
    the dump's size. `shown` is the URL as it may be printed (no password)."""
    target = Path(target)
    if target.exists():
        raise BackupFailed(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupFailed(f"no directory {target.parent}")
    pg_dump = find_pg_dump()
    if pg_dump is None:
        raise BackupFailed(
            "pg_dump not found: install PostgreSQL's client tools (Debian: postgresql-client, "
            "the server's major version or newer)"
        )
    partial = target.with_name(target.name + ".partial")
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={url}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            reason = " ".join(done.stderr.split()).replace(url, shown)[:300]
            raise BackupFailed(f"pg_dump of {shown} failed: {reason}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
