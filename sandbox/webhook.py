"""Webhook delivery: a bot's queued updates go by HTTP POST to the URL it set.

Why this module exists: `towerbot run --webhook` must be tested against what
Telegram does, so the sandbox delivers the way Telegram's own Bot API server
does: one JSON POST per update, with the `X-Telegram-Bot-Api-Secret-Token`
header when a secret was set; up to `max_connections` requests at a time, but
the updates of one chat one after another (the next goes only once the one
before was answered 2xx). An update answered with anything else, or not
answered, stays queued and is sent again after 1, 2, 4 ... seconds (at most a
minute; a Retry-After header is honoured), so only a 2xx confirms it -- nothing
is lost when the bot is down, slow or failing. The last failure shows in
getWebhookInfo (last_error_date, last_error_message) in Telegram's words.

`SandboxState` holds the queue and the webhook settings and stays free of HTTP;
this module owns the client session and the delivery tasks, and
`SandboxServer` starts and stops it with the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from sandbox.models import BotRecord

if TYPE_CHECKING:
    from sandbox.state import SandboxState

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_RETRY_AFTER = 3600


@dataclass(frozen=True)
class DeliveryTiming:
    """Telegram's pauses between tries; tests shorten them."""

    first_retry: float = 1.0
    longest_retry: float = 60.0
    request_timeout: float = 60.0


def queue_key(update: dict[str, Any]) -> Hashable:
    """Updates with one key go in order: the chat's, else the person's, else its own."""
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        chat = payload.get("chat")
        if chat is None and isinstance(payload.get("message"), dict):
            chat = payload["message"].get("chat")  # a button press: the message's chat
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return ("chat", chat["id"])
        user = payload.get("from") or payload.get("user")
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            return ("user", user["id"])
    return ("update", update.get("update_id"))


class WebhookDeliverer:
    """Delivers every bot's queued updates to its webhook while the server runs."""

    def __init__(self, state: SandboxState, timing: DeliveryTiming | None = None) -> None:
        self.state = state
        self.timing = timing or DeliveryTiming()
        self._session: aiohttp.ClientSession | None = None
        self._bots: dict[int, asyncio.Task[None]] = {}

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timing.request_timeout)
        )
        self.state.webhook_listeners.append(self.watch)
        for bot in list(self.state.bots.values()):
            self.watch(bot)

    async def stop(self) -> None:
        """Stop delivering; what was not answered 2xx stays queued."""
        with contextlib.suppress(ValueError):
            self.state.webhook_listeners.remove(self.watch)
        tasks = list(self._bots.values())
        self._bots.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def watch(self, bot: BotRecord) -> None:
        """setWebhook/deleteWebhook happened: deliver for this bot if it has a webhook."""
        if bot.webhook is None or self._session is None:
            return
        task = self._bots.get(bot.id)
        if task is None or task.done():
            self._bots[bot.id] = asyncio.create_task(self._serve(bot), name=f"webhook-{bot.id}")

    async def _serve(self, bot: BotRecord) -> None:
        """Keep one delivery running per chat with queued updates, up to max_connections."""
        sending: dict[Hashable, asyncio.Task[None]] = {}
        try:
            while bot.webhook is not None or sending:
                hook = bot.webhook
                if hook is not None:
                    heads: set[Hashable] = set()
                    for update in list(bot.updates):
                        key = queue_key(update)
                        if key in heads:
                            continue  # an earlier update of this chat goes first
                        heads.add(key)
                        if key not in sending and len(sending) < hook.max_connections:
                            sending[key] = asyncio.create_task(self._deliver(bot, update))
                await self._next_change(bot, list(sending.values()))
                for key, task in list(sending.items()):
                    if task.done():
                        del sending[key]
                        if not task.cancelled() and task.exception() is not None:
                            log.error("sandbox webhook: delivery failed", exc_info=task.exception())
        finally:
            for task in sending.values():
                task.cancel()
            for task in sending.values():
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    @staticmethod
    async def _next_change(bot: BotRecord, deliveries: list[asyncio.Task[None]]) -> None:
        """Until an update is queued, the webhook changes or a delivery ends."""
        waiter = asyncio.Event()
        bot.waiters.add(waiter)
        woken = asyncio.create_task(waiter.wait())
        try:
            await asyncio.wait([woken, *deliveries], return_when=asyncio.FIRST_COMPLETED)
        finally:
            bot.waiters.discard(waiter)
            woken.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await woken

    async def _deliver(self, bot: BotRecord, update: dict[str, Any]) -> None:
        """POST one update until a 2xx confirms it (or it is no longer to be sent)."""
        update_id = update["update_id"]
        body = json.dumps(update, ensure_ascii=False).encode()
        pause = self.timing.first_retry
        while True:
            hook = bot.webhook
            if hook is None or not any(u["update_id"] == update_id for u in bot.updates):
                return  # deleted webhook or dropped updates: nothing to confirm
            headers = {"Content-Type": "application/json"}
            if hook.secret_token:
                headers[SECRET_HEADER] = hook.secret_token
            retry_after: float | None = None
            assert self._session is not None
            try:
                async with self._session.post(hook.url, data=body, headers=headers) as response:
                    await response.read()
                    if 200 <= response.status <= 299:
                        self.state.webhook_delivered(bot, update_id)
                        return
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
                    retry_after = _retry_after(response.headers.get("Retry-After"))
            except TimeoutError:
                error = "Read timeout expired"
            except aiohttp.ClientConnectorError as exc:
                refused = isinstance(exc.os_error, ConnectionRefusedError)
                error = "Connection refused" if refused else f"Failed to connect: {exc.strerror}"
            except aiohttp.ClientError:
                error = "Webhook connection closed"
            self.state.webhook_failed(bot, hook, error)
            log.info("sandbox webhook: update %s not delivered (%s)", update_id, error)
            if retry_after is not None:
                await asyncio.sleep(retry_after)
            else:
                await asyncio.sleep(pause)
                pause = min(pause * 2, self.timing.longest_retry)


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return float(min(int(value), MAX_RETRY_AFTER))
