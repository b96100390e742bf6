"""The demo's web chat page: a messenger-like view of the sandbox world.

Why this module exists: `towerbot demo` promises a person can try the tower
without Telegram -- pick a group and who they are, type commands, press
buttons, watch the bot's boards being edited live.  The page itself is static
(`sandbox/static/`, vanilla JS, no build step, no CDN: demo machines may be
offline); this module serves it and adds the two things a browser cannot get
from the JSON control API alone:

  GET /                               the page (sandbox/static/index.html)
  GET /static/{path}                  its scripts and styles
  GET /control/stream                 the change feed as Server-Sent Events: every
                                      `SandboxState` event (message, edit, delete,
                                      pin, callback_answer, chat, user, reset, ...)
                                      as `id: seq` + JSON data.  A fresh connection
                                      starts at the newest event (the page has just
                                      read the chats); EventSource's automatic
                                      reconnect sends Last-Event-ID and resumes.
  GET /control/files/{file_id}        a stored photo or document, as the bot sent it
                                      (the Bot API's /file/bot{token}/... needs the
                                      bot's token, which the page does not know)

SSE instead of the long-polled `/control/events`: one connection, the server
pushes at once, and the browser reconnects by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from sandbox.api import STATE_KEY
from sandbox.state import SandboxState

STATIC_DIR = Path(__file__).with_name("static")
HEARTBEAT_SECONDS = 15.0
# Set when the application shuts down, so open streams end at once instead of
# holding up `SandboxServer.stop` for its whole shutdown timeout.
CLOSING_KEY = web.AppKey("web_closing", asyncio.Event)


def latest_seq(state: SandboxState) -> int:
    """The sequence number of the newest change event (0 when none yet)."""
    return int(state.events[-1]["seq"]) if state.events else 0


def events_since(state: SandboxState, seq: int) -> list[dict[str, Any]]:
    """Events after `seq`, read from the newest end: O(new events), not O(all),
    since every open page calls this after every change."""
    found: list[dict[str, Any]] = []
    for event in reversed(state.events):
        if event["seq"] <= seq:
            break
        found.append(event)
    found.reverse()
    return found


def _sse(event: dict[str, Any], name: str | None = None) -> bytes:
    lines = []
    if "seq" in event:
        lines.append(f"id: {event['seq']}")
    if name:
        lines.append(f"event: {name}")
    lines.append("data: " + json.dumps(event, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode()


def _resume_point(request: web.Request, state: SandboxState) -> int:
    raw = request.headers.get("Last-Event-ID") or request.query.get("after")
    try:
        seq = int(raw) if raw else latest_seq(state)
    except ValueError:
        seq = latest_seq(state)
    return min(seq, latest_seq(state))  # a restarted sandbox counts from 0 again


async def _next_events(
    state: SandboxState, seq: int, closing: asyncio.Event
) -> list[dict[str, Any]] | None:
    """New events after `seq`; [] after a quiet heartbeat period; None when closing."""
    waiting = asyncio.ensure_future(
        state.wait_for(lambda: events_since(state, seq), HEARTBEAT_SECONDS)
    )
    stopping = asyncio.ensure_future(closing.wait())
    try:
        await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (waiting, stopping):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    if closing.is_set():
        return None
    if waiting.exception() is not None:  # TimeoutError: nothing happened
        return []
    return list(waiting.result())


async def stream(request: web.Request) -> web.StreamResponse:
    """GET /control/stream: the change feed as Server-Sent Events."""
    state = request.app[STATE_KEY]
    closing = request.app[CLOSING_KEY]
    seq = _resume_point(request, state)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    try:
        # `hello` tells the page where the feed starts: it re-reads the open chat,
        # covering anything that changed between its first fetch and this point.
        await response.write(b"retry: 1000\n\n" + _sse({"seq": seq}, "hello"))
        while True:
            events = await _next_events(state, seq, closing)
            if events is None:
                break
            if not events:
                await response.write(b": keep-alive\n\n")
                continue
            if events[0]["seq"] > seq + 1:  # the bounded event log dropped some
                await response.write(_sse({"seq": seq}, "resync"))
            await response.write(b"".join(_sse(event) for event in events))
            seq = events[-1]["seq"]
    except (ConnectionResetError, asyncio.CancelledError):
        pass  # the page went away or the server is stopping
    return response


async def download(request: web.Request) -> web.StreamResponse:
    """GET /control/files/{file_id}: a photo inline, a document as an attachment."""
    state = request.app[STATE_KEY]
    stored = state.files.get(request.match_info["file_id"])
    if stored is None:
        return web.json_response({"error": "file not found"}, status=404)
    headers = {"Cache-Control": "private, max-age=3600"}
    if stored.kind != "photo":
        name = stored.file_name or Path(stored.file_path).name
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    content_type = stored.mime_type or (
        "image/jpeg" if stored.kind == "photo" else "application/octet-stream"
    )
    return web.Response(body=stored.data, content_type=content_type, headers=headers)


async def index(request: web.Request) -> web.FileResponse:
    """GET /: the chat page."""
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def _signal_closing(app: web.Application) -> None:
    app[CLOSING_KEY].set()


def setup_web(app: web.Application) -> None:
    """Serve the chat page, its files, the event stream and stored files."""
    app[CLOSING_KEY] = asyncio.Event()
    app.on_shutdown.append(_signal_closing)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    app.router.add_get("/control/stream", stream)
    app.router.add_get("/control/files/{file_id}", download)
