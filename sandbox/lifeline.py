"""A child process that stops itself once the process that started it is gone.

Why this exists: `towerbot drill --processes` starts the sandbox and the bot as
processes of their own, each in a session of its own, so that a signal meant for
the drill (Ctrl-C in its terminal, `timeout` signalling its process group) reaches
the drill alone, which then reports the loop and stops them in order. Outside the
drill's group, though, nothing would stop them if the drill itself died (SIGKILL,
a crash): they would run on as orphans holding a port and a database. So a child
told its parent's pid watches for being re-parented, which happens only when that
parent has exited, and stops itself.
"""

from __future__ import annotations

import asyncio
import os


async def parent_gone(parent: int, every: float = 0.5) -> None:
    """Return once this process's parent is no longer `parent` (it has exited)."""
    while os.getppid() == parent:  # noqa: ASYNC110 - no event says a process was re-parented
        await asyncio.sleep(every)


def stop_when_orphaned(parent: int, stop: asyncio.Event) -> asyncio.Task[None]:
    """Set `stop` once `parent` is gone; the task is cancelled with the loop."""

    async def watch() -> None:
        await parent_gone(parent)
        stop.set()

    return asyncio.create_task(watch(), name="parent watch")
