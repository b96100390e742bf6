"""A Bot API stand-in that only answers: the sender's own ceiling, measured.

Why this exists: real Telegram is not on this machine's two cores, but the
sandbox is, and it spends several milliseconds on each message (entities,
conversations, limits), so against it the sandbox, not the bot, is the ceiling
beyond ~300 messages a second. This server answers `getMe`, `sendMessage`,
`editMessageText` and `setMessageReaction` with well-formed results and does
nothing else, so a fan-out against it measures how fast the bot's sender can
go. It keeps the control endpoints `sender_fanout` uses (`bots`, `chats/bulk`,
`limits` — always off — and `stats`), counting messages per chat.

    python -m benchmarks.null_botapi --port 0     # prints its URL, stops on SIGTERM
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import signal
import time
from collections import Counter
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"
BOT = {"id": 7000000099, "is_bot": True, "first_name": "bench", "username": "bench_bot"}


class NullApi:
    def __init__(self) -> None:
        self.by_chat: Counter[int] = Counter()
        self.ids = itertools.count(1)

    async def method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"].lower()
        data: dict[str, Any] = dict(await request.post())
        if not data and request.can_read_body:
            with contextlib.suppress(ValueError):
                data = await request.json()
        if name == "getme":
            return _ok(BOT)
        if name in ("sendmessage", "editmessagetext"):
            chat_id = int(data.get("chat_id", 0))
            self.by_chat[chat_id] += 1
            if name == "editmessagetext":
                return _ok(True)
            return _ok(
                {
                    "message_id": next(self.ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "supergroup", "title": "g"},
                    "from": BOT,
                    "text": str(data.get("text", "")),
                }
            )
        return _ok(True)

    async def control(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if path == "stats" and request.method == "GET":
            total = sum(self.by_chat.values())
            return web.json_response(
                {
                    "limits": {"enabled": False},
                    "accepted": {"total": total, "paid": 0, "by_chat": dict(self.by_chat)},
                    "too_many_requests": {"total": 0, "by_chat": {}},
                }
            )
        if path == "stats":
            self.by_chat.clear()
        return web.json_response({"ok": True})


def _ok(result: Any) -> web.Response:
    return web.Response(
        text=json.dumps({"ok": True, "result": result}, ensure_ascii=False),
        content_type="application/json",
    )


async def serve(port: int) -> None:
    api = NullApi()
    app = web.Application()
    app.router.add_route("*", "/control/{path:.*}", api.control)
    app.router.add_route("POST", "/bot{token}/{method}", api.method)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, HOST, port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    print(f"null Bot API listening on http://{HOST}:{bound}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.null_botapi")
    parser.add_argument("--host", default=HOST, help="only 127.0.0.1 is served")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port))


if __name__ == "__main__":
    main()
