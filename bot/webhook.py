"""`towerbot run --webhook`: Telegram posts each update; an aiohttp server takes it.

Why this module exists: long polling needs one process asking Telegram; with a
webhook Telegram sends every update by HTTPS POST to a public address, where a
proxy that terminates HTTPS (nginx, Caddy, a load balancer) passes it on to the
server started here, on TOWERBOT_WEBHOOK_LISTEN. What this server promises:

- Only Telegram gets in: every request must carry the secret given to
  setWebhook in the `X-Telegram-Bot-Api-Secret-Token` header (compared in
  constant time). One without it or with a wrong one is refused with 401 and
  logged with its sender's address -- never with the header's value.
- An update answered 200 is never lost: it is first written to the bot's durable
  inbox, as a polled batch is (storage/inbox.py), and answered once that write
  committed; it is then handled from the inbox by the poller's runner
  (bot/dispatch.py, `UpdatePoller.arrive`), exactly as a polled update. Answering
  only once it was handled held at most `max_connections` (40) updates in the bot
  at once, and under a burst a press waited 10-12 s at Telegram before it was
  even sent (benchmarks/RESULTS.md). Requests arriving while the inbox is written
  share the next write. If the database refuses the write the answer is 503 and
  Telegram sends the update again; one sent again while its row is kept is taken
  in once, and one handled already is skipped by bot/once.py. One whose handling
  then fails is not lost: the runner keeps its row and its place at its chat's
  head, tries it again after a short backoff, and after `max_attempts` failures
  sets it aside with a line to its chat, as a replay does. aiogram's stock
  handler answers after 55 s even if handling goes on, and in background mode
  before anything is stored, so neither is used as is.
- On PostgreSQL several workers may share the database, each answering once it
  stored: a worker's rows carry its id and it holds a lease of its own, so a
  starting worker, and a live one now and then, takes only the rows of workers
  gone (storage/inbox.py); and a chat's update waits, under the chat's turn, for
  the chat's earlier rows another live worker holds (bot/worker_order.py), since
  a chat's next update, posted once the first is answered, may reach another
  worker.
- One chat's updates are handled in order: the runner handles a chat's updates
  one at a time in the order they were stored, different chats side by side.
  With several workers behind a load balancer (PostgreSQL), the chat's turn is
  also held across workers (storage/chatlock.py).
- A press waiting for its chat's turn (here, or behind another worker) is still
  answered within a second: it is handed to bot/press_watch.py as it arrives,
  with the rounds of handling ahead of it (at a few the press is answered at
  once).
- Nothing a polling run left is stranded: before it listens, each bot handles the
  rows of its inbox (updates a killed or stopped polling run had confirmed to
  Telegram but not handled) by the poller's own replay, poisoned ones set aside.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import SecretStr, ValidationError

from bot.dispatch import Taken, UpdatePoller
from bot.startup import StartRefused
from storage.conn import DatabaseError

if TYPE_CHECKING:
    from bot.app import TowerBot
    from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookPlan:
    """Where Telegram posts (url), what it proves itself with, where we listen."""

    url: str
    secret: SecretStr
    host: str
    port: int

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookPlan:
        from bot.settings import listen_address

        host, port = listen_address(settings.webhook_listen)
        return cls(settings.webhook_url, settings.webhook_secret, host, port)

    def url_for(self, bot_id: int, primary: bool) -> str:
        """The primary bot at the URL itself; each extra bot (BOT_TOKENS) below it."""
        if primary:
            return self.url
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{bot_id}"))


class TowerRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler for one bot: secret checked, then the update stored
    in the inbox and 200."""

    def __init__(
        self, dispatcher: Dispatcher, bot: Bot, secret: SecretStr, inbox: UpdatePoller
    ) -> None:
        """`inbox`: the bot's poller, whose inbox and runner take each update as they
        take a polled batch (`UpdatePoller.arrive`); its press watch times presses."""
        super().__init__(
            dispatcher, bot, handle_in_background=False, secret_token=secret.get_secret_value()
        )
        self.inbox = inbox

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not self.verify_secret(given, self.bot):
            log.warning(
                "webhook: refused a request from %s to %s: %s %s header",
                _sender(request),
                request.path,
                "no" if given is None else "a wrong",
                SECRET_HEADER,
            )
            return web.Response(status=401, text="Unauthorized")
        return await self._handle_request(self.bot, request)

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        expected = self.secret_token or ""
        return bool(expected) and secrets.compare_digest(
            telegram_secret_token.encode(), expected.encode()
        )

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            body = await request.text()
            data = bot.session.json_loads(body)
            update = Update.model_validate(data, context={"bot": bot})
        except (ValueError, ValidationError):
            log.warning("webhook: a request from %s is not an update: refused", _sender(request))
            return web.Response(status=400, text="Bad Request: not an update")
        try:
            await self.inbox.arrive(Taken(update.update_id, data, body))  # kept as posted
        except DatabaseError as exc:  # not durable: Telegram sends it again
            log.warning("webhook: update %s not stored (%s): 503", update.update_id, exc)
            return web.Response(status=503, text="Service Unavailable: not stored")
        return web.Response(body=self._build_response_writer(bot=bot, result=None))

    async def close(self) -> None:
        """The bot's session belongs to TowerBot, which closes it when it stops."""


def _sender(request: web.Request) -> str:
    """Who sent it: the proxy's X-Forwarded-For (as given) and the peer address."""
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
    peer = request.remote or "?"
    return f"{forwarded[:64]} via {peer}" if forwarded else peer


def build_app(bots: Sequence[TowerBot], plan: WebhookPlan) -> tuple[web.Application, list[str]]:
    """The aiohttp application with one handler per bot, and each bot's webhook URL."""
    app = web.Application()
    urls = []
    for index, tower in enumerate(bots):
        url = plan.url_for(tower.bot.id, primary=index == 0)
        handler = TowerRequestHandler(tower.dispatcher, tower.bot, plan.secret, tower.poller)
        handler.register(app, path=urlsplit(url).path or "/")
        urls.append(url)
    return app, urls


async def serve_webhook(bots: Sequence[TowerBot], plan: WebhookPlan) -> None:
    """Start the bots without polling, handle what their inboxes hold, listen, set
    each bot's webhook, run until
    a bot's task ends (its error raised) or this is cancelled; stop everything."""
    app, urls = build_app(bots, plan)
    runner = web.AppRunner(app, access_log=None)
    started: list[TowerBot] = []
    try:
        for tower in bots:
            await tower.start(polling=False)
            started.append(tower)
            # What a polling run confirmed but did not handle is only in its inbox:
            # handled first, as a polling start would, before any newer update comes.
            await tower.poller.catch_up()
        await runner.setup()
        try:
            await web.TCPSite(runner, plan.host, plan.port).start()
        except OSError as exc:
            raise StartRefused(
                f"towerbot: cannot listen on {plan.host}:{plan.port} ({exc.strerror}); "
                "check setting TOWERBOT_WEBHOOK_LISTEN"
            ) from None
        for tower, url in zip(bots, urls, strict=True):
            try:
                await tower.bot.set_webhook(
                    url,
                    secret_token=plan.secret.get_secret_value(),
                    allowed_updates=tower.dispatcher.resolve_used_update_types(),
                    drop_pending_updates=False,
                )
            except TelegramBadRequest as exc:
                raise StartRefused(
                    f"towerbot: Telegram refused the webhook {url} ({exc.message}); "
                    "check setting TOWERBOT_WEBHOOK_URL"
                ) from None
            log.info("webhook: bot %s takes updates at %s", tower.bot.id, url)
        log.info("webhook: listening on %s:%s", plan.host, plan.port)
        await asyncio.gather(*(tower.wait() for tower in bots))
    finally:
        await runner.cleanup()
        for tower in started:
            await tower.stop()
