"""The demo's web chat page in a real browser, against the real bot.

Why this test exists: `towerbot demo` is how people first meet the tower, and the
page is JavaScript that no Python test reaches.  This drives headless Chromium
through the order loop a person would try: the HQ commander issues an order from
the composer, a villager-group commander presses "✅ 收到" under the copy in their
group (the bot's answer pops up as a toast), and the HQ group's live progress
board -- one bot message edited in place -- changes on the open page without a
reload.  It also checks the phone layout's list/chat screens.

Needs /usr/bin/chromium (Debian's `chromium` package) and the `playwright`
Python package (no `playwright install`: the system browser is used).  Without
them the browser test is skipped locally, but fails on CI (CI is set there);
the page's own endpoints (the event stream, files, static files) are checked
without a browser too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.settings import SenderLimits
from bot.world import SandboxWorld
from fixtures import fixture_path
from sandbox import SandboxServer
from tests.support.pgserver import Engine

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FAST = SenderLimits(per_second=1000.0, chat_interval=0.0, group_per_minute=10**6)
BEIJING = ZoneInfo("Asia/Shanghai")

try:
    from playwright.async_api import Page, async_playwright, expect
except ImportError:  # pragma: no cover - depends on the machine
    async_playwright = None  # type: ignore[assignment]

_missing = [
    what
    for what, ok in (
        (CHROMIUM, shutil.which(CHROMIUM) is not None),
        ("the playwright package", async_playwright is not None),
    )
    if not ok
]
needs_browser = pytest.mark.skipif(
    bool(_missing) and not os.environ.get("CI"),
    reason=f"browser test needs {' and '.join(_missing)} "
    "(apt-get install -y chromium; pip install playwright); on CI it always runs",
)


@pytest.fixture
async def world(engine: Engine, tmp_path: Path) -> AsyncIterator[SandboxWorld]:
    async with SandboxWorld(
        fixture_path("tashan"), tmp_path, db=await engine.new_target(tmp_path), limits=FAST
    ) as started:
        yield started


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with _browser("Asia/Shanghai") as opened:
        yield opened


@pytest.fixture
async def page_in_new_york() -> AsyncIterator[Page]:
    async with _browser("America/New_York") as opened:
        yield opened


@contextlib.asynccontextmanager
async def _browser(timezone_id: str) -> AsyncIterator[Page]:
    assert async_playwright is not None, "pip install playwright"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            viewport={"width": 1280, "height": 800},
            locale="zh-CN",
            timezone_id=timezone_id,
        )
        opened = await context.new_page()
        opened.set_default_timeout(15_000)
        errors: list[str] = []
        opened.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield opened
        finally:
            await browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


def _commander(world: SandboxWorld, code: str) -> tuple[int, int, str]:
    """(chat id, commander's telegram id, commander's name) of a unit."""
    unit = world.tower.units[code]
    assert unit.chat_id is not None and unit.commander is not None
    assert unit.commander.telegram_id is not None
    return unit.chat_id, unit.commander.telegram_id, unit.commander.name


async def _open_group(page: Page, chat_id: int, search: str | None = None) -> None:
    await page.fill("#search", search or "")
    await page.click(f'#tower [data-chat-id="{chat_id}"]')
    await expect(page.locator(f'#tower [data-chat-id="{chat_id}"]')).to_have_class("row active")


async def _speak_as(page: Page, user_id: int, name: str) -> None:
    await page.select_option("#sender", str(user_id))
    await expect(page.locator("#sender option:checked")).to_contain_text(name)


@needs_browser
async def test_demo_page_order_ack_and_live_progress(world: SandboxWorld, page: Page) -> None:
    root = world.tower.root()
    village = world.tower.units["ts-01"]
    group_code = world.tower.children[village.code][0]
    hq_chat, hq_commander, hq_name = _commander(world, root.code)
    village_chat = village.chat_id
    assert village_chat is not None
    group_chat, group_commander, group_name = _commander(world, group_code)

    await page.goto(world.server.base_url + "/")
    await page.wait_for_selector("body[data-ready]")
    await page.evaluate("window.sameDocument = true")  # gone if anything reloads the page

    # The HQ commander issues an order from the composer.
    await _open_group(page, hq_chat)
    await expect(page.locator("#chat-name")).to_have_text(root.name)
    await _speak_as(page, hq_commander, hq_name)
    await page.fill("#text", "/order 10m notice 演练")
    await page.click("#send")
    await expect(page.locator(".msg.own").first).to_contain_text("/order 10m notice 演练")
    await expect(page.locator(".msg.from-bot")).not_to_have_count(0)

    # The village group got the order copy; its commander could acknowledge it...
    await _open_group(page, village_chat, search=village.name)
    await expect(page.locator(".ikb-btn", has_text="收到").first).to_be_visible()

    # ...but a village is done only with its groups: a villager group acknowledges.
    await _open_group(page, group_chat, search=world.tower.units[group_code].name)
    await _speak_as(page, group_commander, group_name)
    await page.locator(".ikb-btn", has_text="收到").first.click()
    answers = await world.state.wait_for(
        lambda: [c.answer for c in world.state.callbacks.values() if c.answer], timeout=10
    )
    answer_text = str(answers[-1]["text"])
    await expect(page.locator(".toast").first).to_have_text(answer_text)

    # Back at HQ the progress board changes in place, live.
    await _open_group(page, hq_chat)
    await world.bot.progress.flush()

    def edited_board() -> list[dict[str, Any]]:
        return [
            m
            for m in world.state.bot_messages(hq_chat)
            if m["edit_count"] > 0 and "1/" in (m["text"] or "")
        ]

    board = (await world.state.wait_for(edited_board, timeout=15))[0]
    shown = page.locator(f'.msg[data-message-id="{board["message_id"]}"]')
    await expect(shown).to_contain_text("1/")
    await expect(shown.locator(".edited")).to_have_text("已编辑")
    assert await page.evaluate("window.sameDocument === true"), "the page reloaded"

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "demo-page.png"))

    # Phone width: the chat is its own screen; "back" shows the tower.
    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(page.locator("#sidebar")).to_be_hidden()
    await page.click("#back")
    await expect(page.locator("#sidebar")).to_be_visible()
    await expect(page.locator("#chat")).to_be_hidden()
    await page.click(f'#tower [data-chat-id="{hq_chat}"]')
    await expect(shown).to_contain_text("1/")
    await page.screenshot(path=str(ARTIFACTS / "demo-page-phone.png"))


async def _next_event(lines: aiohttp.StreamReader) -> tuple[str, dict[str, Any]]:
    """The next Server-Sent Event (name, data), skipping comments."""
    name, data = "message", ""
    while True:
        line = (await asyncio.wait_for(lines.readline(), 5)).decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and data:
            return name, json.loads(data)


async def test_page_endpoints_stream_files_and_static() -> None:
    async with SandboxServer() as server, aiohttp.ClientSession(server.base_url) as http:
        state = server.state
        state.add_user(1, "王建")
        state.add_chat(-10, "指挥部", members=[1], level=0, unit_code="hq")
        state.add_chat(-11, "塔山村", members=[1], parent_id=-10, level=2, unit_code="ts-01")

        async with http.get("/") as page:
            assert page.status == 200 and "/static/app.js" in await page.text()
        for name in ("app.js", "app.css"):
            async with http.get(f"/static/{name}") as static:
                assert static.status == 200, name
        async with http.get("/control/chats") as chats:
            placed = {c["id"]: c for c in await chats.json()}
        assert placed[-11]["parent_id"] == -10 and placed[-11]["level"] == 2
        assert placed[-11]["unit_code"] == "ts-01" and placed[-10]["parent_id"] is None
        async with http.get("/control/users") as users:
            assert await users.json() == [{"id": 1, "is_bot": False, "first_name": "王建"}]

        async with http.get("/control/stream") as stream:
            assert stream.headers["Content-Type"].startswith("text/event-stream")
            name, hello = await _next_event(stream.content)
            assert name == "hello"
            state.post_message(-11, 1, "收到")
            name, event = await _next_event(stream.content)
            assert (name, event["type"], event["chat_id"]) == ("message", "message", -11)
            seen = event["seq"]
            assert seen > hello["seq"]
        state.post_message(-10, 1, "离线期间")  # while the page is away
        resume = {"Last-Event-ID": str(seen)}
        async with http.get("/control/stream", headers=resume) as stream:
            await _next_event(stream.content)  # hello
            _, missed = await _next_event(stream.content)
            assert missed["chat_id"] == -10 and missed["seq"] == seen + 1

        bot = state.add_bot("7000000009:PAGEtestTOKENxxxxxxxxxxxxxxxxxxxxxx")
        stored = state.store_upload(bot, "document", b"a,b\n", file_name="名单.csv")
        async with http.get(f"/control/files/{stored.file_id}") as download:
            assert download.status == 200 and await download.read() == b"a,b\n"
            assert "attachment" in download.headers["Content-Disposition"]
        async with http.get("/control/files/nope") as missing:
            assert missing.status == 404


@needs_browser
async def test_times_on_the_page_are_beijing_time_in_any_browser_zone(
    world: SandboxWorld, page_in_new_york: Page
) -> None:
    page = page_in_new_york
    root = world.tower.root()
    hq_chat, hq_commander, hq_name = _commander(world, root.code)
    await page.goto(world.server.base_url + "/")
    await page.wait_for_selector("body[data-ready]")
    await _open_group(page, hq_chat)
    await expect(page.locator("#chat-sub")).to_contain_text("时间为北京时间")
    await _speak_as(page, hq_commander, hq_name)
    before = datetime.now(BEIJING)
    await page.fill("#text", "/whoami")
    await page.click("#send")
    shown = page.locator(".msg.own .clock").last
    await expect(shown).to_have_attribute("title", re.compile("北京时间$"))
    after = datetime.now(BEIJING)
    # New York is never UTC+8, so a browser-local clock could not show these.
    assert await shown.inner_text() in {before.strftime("%H:%M"), after.strftime("%H:%M")}
    assert before.strftime("%Y-%m-%d") in (await shown.get_attribute("title") or "") or (
        after.strftime("%Y-%m-%d") in (await shown.get_attribute("title") or "")
    )
