"""A throwaway PostgreSQL server for the test session, and the `engine` fixture.

How to use (the API other tests build on):

- `engine` (function fixture, parametrised "sqlite" | "postgresql"): a test or
  fixture that asks for it runs once per engine. Its value is an `Engine` whose
  `await engine.new_target(tmp_path)` gives what `Database(...)` and
  `TOWERBOT_DB` take: a file path in `tmp_path` (SQLite) or the URL of a fresh,
  migrated, empty database (PostgreSQL); `await engine.copy_of(target, tmp_path)`
  gives a fresh database holding a copy of a closed `target` (the cheap way to
  start many tests from one prepared tower: a file copy, or `CREATE DATABASE ...
  TEMPLATE`). PostgreSQL databases made for a test are dropped after it.
- `db` (function fixture, on `engine`): a new, migrated `Database`, open for the
  test and closed after it.
- `pg_server` (session fixture): the `PgServer` itself, for tests that only make
  sense on PostgreSQL (several workers on one database): `await
  pg_server.create_database()` returns a new URL.

The server is started once per session, lazily (a run of SQLite-only tests
starts nothing): `initdb` into a temporary directory, `postgres` on a free port
of 127.0.0.1, with fsync off (a crash loses only test data). It runs as a
non-root OS user: when the tests run as root (CI), as the system user
`towerbot-pg`, created with `useradd` if missing. It is stopped when the
session ends (and at interpreter exit if the session did not end cleanly).

The binaries are found in /usr/lib/postgresql/<highest version>/bin, or on PATH.
Without them the PostgreSQL half is skipped with the reason, except under
`CI=true`, where missing PostgreSQL fails the run (.ci/run installs it).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

from storage.db import Database

OS_USER = "towerbot-pg"
ROLE = "postgres"


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or the one on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _os_user() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(OS_USER)
    return entry.pw_uid, entry.pw_gid


@dataclass
class PgServer:
    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="towerbot-pg-")))
    port: int = field(default_factory=free_port)
    _names: Iterator[int] = field(default_factory=itertools.count)
    _running: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        ids = _os_user()
        command = [str(self.bin_dir / args[0]), *args[1:]]

        def demote() -> None:
            if ids is not None:
                os.setgroups([])
                os.setgid(ids[1])
                os.setuid(ids[0])

        done = subprocess.run(command, capture_output=True, text=True, preexec_fn=demote)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        ids = _os_user()
        if ids is not None:
            os.chown(self.root, *ids)
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
            ]
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")  # fmt: skip
        self._running = True
        atexit.register(self.stop)
        # A test run ended by SIGTERM (`timeout`, CI) still runs atexit, so stops the server.
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    def stop(self) -> None:
        if self._running:
            self._running = False
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create_database(self, template: str | None = None) -> str:
        """A new database (a copy of `template`, a database's name, when given); its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        clause = f' TEMPLATE "{template}"' if template else ""
        await self._admin(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    async def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_SERVER: PgServer | None = None


def pg_unavailable() -> str | None:
    """Why the PostgreSQL half cannot run here, or None when it can."""
    return None if find_bin_dir() is not None else "PostgreSQL server binaries not found"


def server() -> PgServer:
    """The session's server, started on first use (fails, or skips outside CI, if absent)."""
    global _SERVER
    if _SERVER is None:
        reason = pg_unavailable()
        if reason is not None:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{reason}; CI must run the PostgreSQL half (.ci/run installs it)")
            pytest.skip(f"{reason} (install the 'postgresql' package to run this half)")
        bin_dir = find_bin_dir()
        assert bin_dir is not None
        started = PgServer(bin_dir)
        started.start()
        _SERVER = started
    return _SERVER


def stop_server() -> None:
    global _SERVER
    if _SERVER is not None:
        _SERVER.stop()
        _SERVER = None


class Engine:
    """Makes databases of one engine for one test (see the module docstring)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.made: list[str] = []
        self._empty: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgresql"

    async def new_target(
        self, tmp_path: Path, name: str = "towerbot.db", keep: bool = False
    ) -> str:
        """Where a new empty database lives: a file path, or a migrated database's URL
        (dropped after the test unless `keep`: a template kept for the session)."""
        if not self.is_postgres:
            return str(tmp_path / name)
        url = await server().create_database(template=await _empty_template())
        if not keep:
            self.made.append(url)
        return url

    async def copy_of(
        self, source: str, tmp_path: Path, name: str = "towerbot.db", keep: bool = False
    ) -> str:
        """A new database holding a copy of `source` (closed, of this engine)."""
        if not self.is_postgres:
            target = tmp_path / name
            shutil.copyfile(source, target)
            return str(target)
        url = await server().create_database(template=source.rsplit("/", 1)[1])
        if not keep:
            self.made.append(url)
        return url

    async def drop_all(self) -> None:
        for url in self.made:
            await server().drop_database(url)
        self.made.clear()


_EMPTY: dict[str, str] = {}


async def _empty_template() -> str:
    """The name of a database migrated to the latest version and otherwise empty."""
    if "name" not in _EMPTY:
        url = await server().create_database()
        await _migrate(url)
        _EMPTY["name"] = url.rsplit("/", 1)[1]
    return _EMPTY["name"]


async def _migrate(url: str) -> None:
    db = Database(url)
    await db.open()
    await db.close()


def engine_names() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture(params=engine_names())
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[Engine]:
    chosen = Engine(request.param)
    if chosen.is_postgres:
        server()  # skips (or fails under CI) here, before the test starts
    try:
        yield chosen
    finally:
        await chosen.drop_all()


@pytest.fixture
async def db(engine: Engine, tmp_path: Path) -> AsyncIterator[Database]:
    """A new, migrated database on `engine`, open for the test and closed after it."""
    database = Database(await engine.new_target(tmp_path))
    await database.open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    return server()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    stop_server()
