"""`towerbot run` as a real process against an in-test sandbox (tests only).

Crash and lease tests need the bot as an OS process they can SIGKILL; the
sandbox stays in the test's own event loop so the test sees every message and
can post updates while the bot is down.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.world import DRILL_TOKEN

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"


class BotProcess:
    def __init__(
        self,
        api_url: str,
        db_path: Path,
        log: Path,
        admins: str = "",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.env = {
            **(extra_env or {}),
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": DRILL_TOKEN,
            "TELEGRAM_API_URL": api_url,
            "TOWERBOT_DB": str(db_path),
            "TOWERBOT_ADMINS": admins,
        }
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                LAUNCH,
                "run",
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=out,
            )
        return self

    async def kill(self) -> None:
        """SIGKILL: no cleanup, no lease release, whatever was in flight is lost."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def wait(self, timeout: float) -> int:  # noqa: ASYNC109 (a bound on the test)
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), timeout)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None
