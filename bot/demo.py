"""`towerbot demo`: the tower of groups on a laptop, no token and no network.

Starts the sandbox (with its chat page), the bot against it over HTTP, loads the
Tashan tower into a fresh database, prints the page's address and three first
steps, and runs until Ctrl-C, then stops everything cleanly.
"""

from __future__ import annotations

import asyncio
import signal
import tempfile
from pathlib import Path

from bot.world import SandboxWorld
from fixtures import fixture_path

STEPS = """\
塔群机器人演示已启动 / towerbot demo is running:  {url}

试试这三步 / Try these three steps:
  1. 左侧选「{hq}」，发言人选「{boss}」，发送  /order 10m count 统计外地返回人数
  2. 选一个三级单元（如「{leaf}」），发言人选其指挥长，点「回复」该指令，写一个数字（如 5）
  3. 回到「{hq}」，发送 /status 或 /pending，看进度面板实时更新

按 Ctrl-C 结束 / Ctrl-C to stop."""


async def run_demo(
    fixture: str = "tashan", port: int = 8080, host: str = "127.0.0.1", db: str | None = None
) -> int:
    """The demo until Ctrl-C; `host="0.0.0.0"` makes the page reachable from outside
    a container (the bot itself always talks to the sandbox over loopback). `db`: an
    empty database to run on (a postgresql:// URL or a file), else a temporary file."""
    with tempfile.TemporaryDirectory(prefix="towerbot-demo-") as workdir:
        world = SandboxWorld(fixture_path(fixture), Path(workdir), port=port, host=host, db=db)
        try:
            url = await world.start()
        except OSError as exc:
            print(f"towerbot: cannot listen on {host}:{port} ({exc.strerror}); try --port")
            return 2
        try:
            tower = world.tower
            root = tower.root()
            leaf = next(u for u in tower.walk() if not tower.children[u.code])
            boss = root.commander.name if root.commander else ""
            print(STEPS.format(url=url, hq=root.name, boss=boss, leaf=leaf.name), flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            print("\n正在停止… / stopping…", flush=True)
        finally:
            await world.stop()
    return 0
