"""`python -m sandbox`: run the sandbox on a local port until Ctrl-C.

Why this module exists: to poke the sandbox by hand (curl, a bot started with
`TELEGRAM_API_URL=http://127.0.0.1:8081`) without writing any code.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Callable

from sandbox.lifeline import stop_when_orphaned
from sandbox.server import SandboxServer
from sandbox.state import SandboxState


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="Run the Telegram-compatible sandbox server."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port to bind (default 8081)")
    parser.add_argument(
        "--token", action="append", default=[], help="register a bot token up front (repeatable)"
    )
    parser.add_argument(
        "--clock",
        metavar="SPEED@START@ORIGIN",
        help="a compressed clock shared with other processes (drills): START (Unix seconds) "
        "at the system's monotonic time ORIGIN, running SPEED times faster",
    )
    parser.add_argument(
        "--parent",
        type=int,
        metavar="PID",
        help="stop once process PID (the drill that started this one) has exited",
    )
    return parser.parse_args(argv)


def shared_clock(text: str) -> Callable[[], float]:
    """`SPEED@START@ORIGIN` as a clock: the monotonic clock is one for every process."""
    speed, start, origin = (float(part) for part in text.split("@"))
    return lambda: start + (time.monotonic() - origin) * speed


async def serve(args: argparse.Namespace) -> None:
    state = SandboxState(clock=shared_clock(args.clock)) if args.clock else SandboxState()
    for token in args.token:
        state.add_bot(token)
    stop = asyncio.Event()
    if sys.platform != "win32":  # `docker stop` and `kill` end it as cleanly as Ctrl-C
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    watch = stop_when_orphaned(args.parent, stop) if args.parent is not None else None
    async with SandboxServer(args.host, args.port, state) as server:
        print(f"sandbox listening on {server.base_url} (Ctrl-C to stop)", flush=True)
        await stop.wait()
    if watch is not None:
        watch.cancel()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO)
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()
