"""`towerbot run --webhook`: its settings checked in one line, then the real process.

The settings are refused before anything starts, each naming its variable and
never echoing the secret. Then `towerbot run --webhook` runs as an OS process
against an in-test sandbox: it sets the webhook, answers a message that came by
POST, and a SIGKILL mid-stream loses nothing -- the sandbox keeps every update
not yet answered 200 and sends it again once the bot is back.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import SETTINGS_MODELS, variable_of
from bot.world import DRILL_TOKEN, SandboxWorld
from cascade.clock import SystemClock
from cascade.queries import QueryService
from fixtures import fixture_path
from sandbox import SandboxServer
from sandbox.webhook import DeliveryTiming
from storage.db import Database
from storage.importer import import_units
from tests.support.botproc import BotProcess
from tests.support.pgserver import Engine

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc"
SECRET = "cli_webhook-SECRET-9876543210"
ALIASES = [variable_of(m, f) for m in SETTINGS_MODELS for f in m.model_fields]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    ("given", "line"),
    [
        ({}, "towerbot: setting TOWERBOT_WEBHOOK_URL is not set; run --webhook needs it"),
        (
            {"TOWERBOT_WEBHOOK_URL": "https://bot.example.org/tg"},
            "towerbot: setting TOWERBOT_WEBHOOK_SECRET is not set; run --webhook needs it",
        ),
    ],
)
def test_webhook_mode_needs_its_address_and_secret(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    line: str,
) -> None:
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    assert main(["run", "--webhook"]) == 2
    assert one_line(capsys) == line


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("TOWERBOT_WEBHOOK_SECRET", "base64+/=secret", "A-Z a-z 0-9 _ -"),
        ("TOWERBOT_WEBHOOK_SECRET", "x" * 257, "1-256 characters"),
        ("TOWERBOT_WEBHOOK_URL", "bot.example.org/tg", "public https:// address"),
        ("TOWERBOT_WEBHOOK_URL", "https://bot.example.org:99999/tg", "bad port"),
        ("TOWERBOT_WEBHOOK_LISTEN", "8088", "host:port"),
        ("TOWERBOT_WEBHOOK_LISTEN", "0.0.0.0:70000", "host:port"),
    ],
)
def test_a_bad_webhook_setting_is_named_without_its_secret(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    words: str,
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["run", "--webhook"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"towerbot: setting {variable} ")
    assert words in line
    if variable == "TOWERBOT_WEBHOOK_SECRET":
        assert value not in line


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def world(engine: Engine, tmp_path: Path) -> AsyncIterator[SandboxWorld]:
    world = SandboxWorld(
        fixture_path("futian-shangcheng"), tmp_path, db=await engine.new_target(tmp_path)
    )
    world.server = SandboxServer(
        state=world.state, webhook_timing=DeliveryTiming(first_retry=0.1, longest_retry=0.5)
    )
    await world.server.start()
    world.register()
    async with Database(world.db_path) as db:
        await import_units(db, list(world.tower.units.values()))
    try:
        yield world
    finally:
        await world.server.stop()


async def test_run_webhook_process_survives_a_sigkill_without_losing_an_update(
    world: SandboxWorld, tmp_path: Path
) -> None:
    state = world.state
    record = state.add_bot(DRILL_TOKEN)
    root = world.tower.root()
    assert root.chat_id is not None and root.commander and root.commander.telegram_id
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    webhook = {
        "TOWERBOT_WEBHOOK_URL": url,
        "TOWERBOT_WEBHOOK_SECRET": SECRET,
        "TOWERBOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
    }
    log = tmp_path / "bot.log"
    bot = BotProcess(world.server.base_url, world.db_path, log, args=["--webhook"], env=webhook)
    await bot.start()
    try:
        await state.wait_for(lambda: record.webhook is not None, timeout=60)
        assert record.webhook is not None and record.webhook.url == url
        assert record.webhook.secret_token == SECRET
        state.post_message(root.chat_id, root.commander.telegram_id, "/order 15m notice 演练")
        await state.wait_for(lambda: state.bot_messages(root.chat_id), timeout=30)
        order_id = await _latest_order(world, root.code)
        targets = [u for u in world.tower.walk() if u.code != root.code]
        await state.wait_for(
            lambda: all(world.order_copies(u.chat_id or 0, order_id) for u in targets), timeout=60
        )
        # Presses arrive while the process is killed: what it did not answer 200 stays queued.
        for index, unit in enumerate(targets):
            assert unit.chat_id is not None and unit.commander and unit.commander.telegram_id
            copy = world.order_copies(unit.chat_id, order_id)[0]
            state.press_button(
                unit.chat_id, copy["message_id"], unit.commander.telegram_id, f"ack:{order_id}"
            )
            if index == len(targets) // 3:
                await asyncio.sleep(0.05)
                assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        await bot.start()  # the same command again, as a supervisor would
        await state.wait_for(lambda: not record.updates, timeout=60)

        async def all_done() -> bool:
            return await _done_count(world, order_id, root.chat_id or 0) == len(targets)

        for _ in range(300):
            if await all_done():
                break
            await asyncio.sleep(0.1)
        assert await all_done()
        assert record.poll_count == 0
    finally:
        await bot.stop()
    log = (tmp_path / "bot.log").read_text()
    assert SECRET not in log


async def _latest_order(world: SandboxWorld, code: str) -> int:
    async with Database(world.db_path) as db, db.transaction() as tx:
        order = await tx.orders.latest_for_unit(code)
    assert order is not None
    return order.id


async def _done_count(world: SandboxWorld, order_id: int, hq_chat: int) -> int:
    """Units done, as /status in HQ's group reads them from the bot's database."""
    async with Database(world.db_path) as db:
        _, report = await QueryService(db.transaction, SystemClock()).status(order_id, hq_chat)
    return report.done
