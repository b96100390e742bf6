"""`SandboxServer`: the sandbox's Bot API and control API on one local HTTP port.

Why this module exists: tests, `towerbot demo` and drills need to start a
Telegram stand-in in one line, on a free port, reachable only from this machine,
and stop it without hanging -- even while the bot sits in a getUpdates long poll.
It wires `sandbox.api` and `sandbox.control` onto an aiohttp application around
one `SandboxState` and owns the listening socket.
"""

from __future__ import annotations

import socket
import sys
from types import TracebackType
from typing import Self

from aiohttp import web

from sandbox.api import FLAGS_KEY, STATE_KEY, ServerFlags, setup_bot_api
from sandbox.control import setup_control
from sandbox.limits import paid_broadcast_middleware
from sandbox.state import SandboxState
from sandbox.web import setup_web
from sandbox.webhook import DeliveryTiming, WebhookDeliverer

MAX_UPLOAD_BYTES = 60 * 1024 * 1024  # Telegram accepts 50 MB uploads from bots


def build_app(state: SandboxState, flags: ServerFlags | None = None) -> web.Application:
    """The aiohttp application serving the Bot API, the control API and the chat page."""
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES, middlewares=[paid_broadcast_middleware])
    app[STATE_KEY] = state
    app[FLAGS_KEY] = flags or ServerFlags()
    setup_control(app)
    setup_web(app)  # the chat page at / (towerbot demo)
    setup_bot_api(app)
    return app


class SandboxServer:
    """A running sandbox: `base_url` is what `TelegramAPIServer.from_base` takes.

    Usage::

        async with SandboxServer() as server:
            session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
            ...
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state: SandboxState | None = None,
        *,
        shutdown_timeout: float = 1.0,
        webhook_timing: DeliveryTiming | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.state = state if state is not None else SandboxState()
        self.shutdown_timeout = shutdown_timeout
        self._flags = ServerFlags()
        # Updates of bots that set a webhook go out by HTTP POST while the server runs.
        self.webhooks = WebhookDeliverer(self.state, webhook_timing)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """E.g. "http://127.0.0.1:54321"; only while started."""
        if self._base_url is None:
            raise RuntimeError("SandboxServer is not started")
        return self._base_url

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> str:
        """Bind (a free port when port=0), start serving, return the base URL."""
        if self._runner is not None:
            return self.base_url
        self._flags.closing = False
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if sys.platform != "win32":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        runner = web.AppRunner(
            build_app(self.state, self._flags),
            access_log=None,
            shutdown_timeout=self.shutdown_timeout,
        )
        await runner.setup()
        try:
            await web.SockSite(runner, sock).start()
        except BaseException:
            await runner.cleanup()
            sock.close()
            raise
        self._runner = runner
        await self.webhooks.start()
        self.port = sock.getsockname()[1]
        # Listening on every address (a container's 0.0.0.0): clients on this
        # machine, the bot included, still reach it over loopback.
        local = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        host = f"[{local}]" if family == socket.AF_INET6 else local
        self._base_url = f"http://{host}:{self.port}"
        return self._base_url

    async def stop(self) -> None:
        """Stop serving; pending getUpdates long polls return at once."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._flags.closing = True
        await self.webhooks.stop()
        self.state.wake_pollers()
        await runner.cleanup()
        self._base_url = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
