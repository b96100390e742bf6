"""`towerbot run` (or another towerbot command, e.g. `send`) as a real OS process against an in-test sandbox (tests only).

Crash, lease, webhook and multi-worker tests need the bot as a process they can
SIGKILL or SIGTERM, while the sandbox stays in the test's own event loop (so the
test sees every message and can post updates while the bot is down). One
launcher for all of them: the environment is built the same way everywhere,
with the developer's own towerbot settings removed so a test never runs
against whatever happens to be exported in the shell.

    bot = await BotProcess(api_url, db_path, log).start()
    bot = await BotProcess(api_url, db_path, log, args=["--webhook"], env={...}).start()
    sender = await BotProcess(api_url, db_url, log, command="send").start()
    await bot.kill()            # SIGKILL: nothing cleaned up
    code = await bot.stop()     # SIGTERM (or another signal), then its exit code
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.settings import SETTINGS_MODELS, variable_of
from bot.world import DRILL_TOKEN

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
SETTING_VARIABLES = frozenset(variable_of(m, f) for m in SETTINGS_MODELS for f in m.model_fields)


class BotProcess:
    """`towerbot COMMAND [args]` (COMMAND is `run` unless told) with this checkout
    first on the path.

    `db` is what TOWERBOT_DB gets (a file path, or a database URL); `env` is
    applied last, so it overrides anything set here (e.g. BOT_TOKEN).
    """

    def __init__(
        self,
        api_url: str,
        db: Path | str,
        log: Path,
        *,
        admins: str = "",
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        command: str = "run",
    ) -> None:
        inherited = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
        self.env = {
            **inherited,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": DRILL_TOKEN,
            "TELEGRAM_API_URL": api_url,
            "TOWERBOT_DB": str(db),
            "TOWERBOT_ADMINS": admins,
            **(env or {}),
        }
        self.command = command  # run, or send for a sender-only process
        self.args = list(args)
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        """Start the process (its stdout and stderr appended to `log`); returns self."""
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                LAUNCH,
                self.command,
                *self.args,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=out,
            )
        return self

    async def kill(self) -> None:
        """SIGKILL: no cleanup, no lease release, whatever was in flight is lost."""
        if self.running:
            await self.stop(signal.SIGKILL)

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:  # noqa: ASYNC109
        """Send `sig` if it still runs, then wait (at most `timeout` s) for its exit code."""
        assert self.proc is not None, "never started"
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        return await self.wait(timeout)

    async def wait(self, timeout: float) -> int:  # noqa: ASYNC109 (a bound on the test)
        """Its exit code, once it exits by itself within `timeout` seconds."""
        assert self.proc is not None, "never started"
        return await asyncio.wait_for(self.proc.wait(), timeout)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None
