"""Wiring: the database, the services, the dispatcher, the sender, polling.

`TowerBot` is what `towerbot run`, the drill and the end-to-end tests start;
the Telegram session is a parameter so tests can put a fake in its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BotCommand, BotCommandScopeDefault

from bot import errors, once
from bot.access import QueryAccess, is_query
from bot.colour_presenter import ColourWords
from bot.context import ContextMiddleware, chat_locale
from bot.daily_job import DailyReport, install_daily
from bot.daily_presenter import DailyWords
from bot.dispatch import UpdatePoller
from bot.first_boards import FirstBoards
from bot.formatting import Formatter
from bot.forms import DatabaseFormStorage
from bot.i18n import Texts
from bot.incident_presenter import BotIncidentPresenter
from bot.people_presenter import PeoplePresenter
from bot.people_settings import PeopleSettings
from bot.presenter import BotPresenter
from bot.press_replies import PressReplies
from bot.press_watch import PressWatch
from bot.presses import PressAnswerGuard
from bot.replier import Replier
from bot.routers import all_routers
from bot.sender import LEASE_TTL, Sender
from bot.settings import Settings
from bot.timers import TimerRunner
from bot.worker_order import WorkerOrder
from cascade.clock import Clock, SystemClock
from cascade.colours import ColourService
from cascade.daily_service import DailyService
from cascade.deadline_service import DeadlineService
from cascade.deadlines import ClockPolicy
from cascade.incident_service import IncidentPolicy, IncidentService
from cascade.invites import InviteSigner
from cascade.joining import JoiningService
from cascade.member_service import MemberService
from cascade.naming import CurrentNames
from cascade.order_service import OrderService
from cascade.outgoing import Lane, OutgoingMessage, Priority
from cascade.people_service import PeopleService
from cascade.progress import ProgressService
from cascade.queries import QueryService
from cascade.reachability import ReachabilityService
from cascade.score_service import ScoreService
from storage import processed
from storage.conn import DatabaseError
from storage.db import Database
from storage.inbox import Inbox, lease_name
from storage.lease import RunLease
from storage.tower_repo import SqliteTowerRepository
from storage.update_reads import UpdateReader

log = logging.getLogger(__name__)
# How often a webhook worker on PostgreSQL takes the inbox rows of workers gone.
ADOPT_SECONDS = 5.0
COMMANDS = (
    "order",
    "report",
    "status",
    "pending",
    "cancel",
    "tree",
    "export",
    "chart",
    "stats",
    "returnee",
    "invite",
    "bind",
    "whoami",
    "help",
    "colour",
    "map",
    "daily",
    "incidents",
    "member",
    "card",
    "score",
    "rank",
)


def telegram_session(api_url: str) -> AiohttpSession:
    return AiohttpSession(api=TelegramAPIServer.from_base(api_url))


class TowerBot:
    def __init__(
        self,
        settings: Settings,
        session: BaseSession,
        *,
        token: str | None = None,
        clock: Clock | None = None,
        policy: ClockPolicy | None = None,
        progress_seconds: float = 3.0,
        db: Database | None = None,
        lane: Lane | None = None,
        runs_timers: bool = True,
        sender_lease: bool = False,
    ) -> None:
        """`settings` is the whole configuration (bot/settings.py, the one source);
        the keywords are what a process decides at run time: another bot's `token`
        (extra bots share the settings), the clock, a shared database, the lane, and
        whether its sender must hold the token's lease (`towerbot run`: several
        processes may share one database, one of them sends for a token)."""
        token = token if token is not None else settings.bot_token.get_secret_value()
        admins = settings.admins
        self.settings = settings
        # Several bots of one tower share one database (and its one writer lock).
        self.db = db or Database(settings.db)
        self.owns_db = db is None
        self.runs_timers = runs_timers
        self.daily_at = settings.daily_at
        self.bot = Bot(token, session=session)
        self.clock = clock or SystemClock()
        self.texts = Texts()
        # Every press answered within `press_ack_after`, once (bot/press_watch.py).
        replies = PressReplies(
            self.bot.id,
            self.texts,
            UpdateReader(self.db.lookup),
            self.db.transaction,
            self.db.languages,
        )
        self.presses = PressWatch(
            settings.press_ack_after, replies.toast, replies.tell, languages=replies.languages
        )
        session.middleware(PressAnswerGuard())
        session.middleware(self.presses)
        self.fmt = Formatter(self.texts, settings.timezone)
        self.presenter = BotPresenter(self.texts, self.fmt)
        self.policy = policy or ClockPolicy()
        self.deadlines = DeadlineService(
            self.db.transaction, self.clock, self.presenter, self.policy
        )
        self.progress = ProgressService(self.db.transaction, self.clock, self.presenter)
        self.timers = TimerRunner(self.deadlines, self.progress, self.clock, progress_seconds)
        self.orders = OrderService(
            self.db.transaction,
            self.clock,
            self.presenter,
            admins,
            policy=self.policy,
            on_timers=self.timers.schedule,
            # Concurrent answers share transactions (cascade/answer_batch.py); each
            # update is recorded with its answer.
            batch_answers=True,
            updates=processed.CARRIER,
            batch_uow=self.db.answer_batch,
        )
        # A city order's ~3,600 first boards are written after its confirmation, by a
        # task of `start` (a bot driven without it writes them inside the /order).
        self.first_boards = FirstBoards(self.orders)
        self.queries = QueryService(self.db.snapshot, self.clock)  # reads: never behind writers
        # Unit colours (/colour) and the evening tally to HQ's group (bot/daily_job.py).
        self.colours = ColourService(
            self.db.transaction, self.clock, ColourWords(self.texts), admins
        )
        self.daily = DailyReport(
            DailyService(self.db.transaction, self.queries, DailyWords(self.texts), self.fmt.tz),
            self.fmt.tz,
        )
        self.replier = Replier(self.db.transaction, self.texts)
        self.limits = settings.limits
        self.reach = ReachabilityService(self.db.transaction, self.presenter)
        self.joining = JoiningService(
            self.db.transaction,
            self.clock,
            self.presenter,
            admins,
            signer=InviteSigner.for_bot_token(token),
        )
        self.incidents = IncidentService(
            self.db.transaction,
            self.clock,
            BotIncidentPresenter(self.texts, self.fmt),
            IncidentPolicy(high_risk_regions=settings.high_risk_regions()),
            admins,
        )
        self.timers.add_sweep(self.incidents.fire_due)
        self._people(settings.people, admins)
        self.sender = Sender(
            self.bot,
            self.db.transaction,
            self.db.commit_event(),
            self.limits,
            self.reach,
            lane,
            lease=RunLease(self.db, LEASE_TTL, name=f"send:{self.bot.id}")
            if sender_lease
            else None,
            reads=self.db.pages,
            current=CurrentNames(self.presenter, self.clock),
            clock=self.clock,
        )
        self.dispatcher = self._dispatcher()
        # Several workers may share a PostgreSQL inbox: this one's rows carry its id,
        # held alive by its `inbox:ID` lease (storage/inbox.py).
        owner = uuid.uuid4().hex if self.db.is_postgres else None
        self.inbox_lease = (
            RunLease(self.db, name=lease_name(owner), holder=owner) if owner is not None else None
        )
        inbox = Inbox(self.db, self.bot.id, owner)
        self.poller = UpdatePoller(
            self.bot,
            self.dispatcher,
            inbox,
            timeout=10,
            quick=is_query,
            notice=self._set_aside_notice,
            presses=self.presses,
        )
        # A webhook's worker on PostgreSQL: each chat in order across workers.
        self.worker_order = WorkerOrder(self.db, inbox, self.poller.runner.handle)
        self._tasks: list[asyncio.Task[None]] = []

    async def _set_aside_notice(
        self, chat_id: int, reply_to: int | None, language: str | None
    ) -> OutgoingMessage:
        """The line for a chat whose update could not be handled and was set aside, in
        the language any other reply there would use (the update's own handling, which
        would have found it, is what failed)."""
        async with self.db.lookup() as conn:  # a read, beside the writers
            unit = await SqliteTowerRepository(conn).by_chat(chat_id)
        text = self.texts.get(chat_locale(self.texts, unit, language), "update-set-aside")
        return OutgoingMessage(
            chat_id=chat_id, text=text, reply_to_message_id=reply_to, priority=Priority.INTERACTIVE
        )

    def _people(self, settings: PeopleSettings, admins: frozenset[int]) -> None:
        """Members and roles, cards, the three shows, the landlord score and its ranking."""
        policy = settings.score_policy()
        self.people_words = PeoplePresenter(self.texts, self.fmt, policy, settings.duties())
        self.people = PeopleService(
            self.db.transaction, self.clock, admins, policy, settings.observation_days
        )
        self.members = MemberService(
            self.db.transaction, self.clock, admins, settings.member_policy()
        )
        self.scores = ScoreService(
            self.db.transaction, self.clock, self.people_words, admins, policy
        )
        self.incidents.on_confirmed.append(self.scores.on_incident)
        # The weekly ranking is due by the tower's clock; the sweep sends it once.
        self.timers.add_sweep(self.scores.fire_due)

    def _dispatcher(self) -> Dispatcher:
        dp = Dispatcher(
            storage=DatabaseFormStorage(self.db, self.clock),
            orders=self.orders,
            queries=self.queries,
            replier=self.replier,
            texts=self.texts,
            fmt=self.fmt,
            presenter=self.presenter,
            uow=self.db.transaction,
            reach=self.reach,
            joining=self.joining,
            incidents=self.incidents,
            colours=self.colours,
            people=self.people,
            people_words=self.people_words,
            members=self.members,
            scores=self.scores,
            presses=self.presses,
        )
        once.install(dp, self.db, UpdateReader(self.db.lookup), lambda: self.sender.lane)
        dp.update.outer_middleware(ContextMiddleware(self.db.transaction, self.texts))
        dp.message.outer_middleware(QueryAccess(self.db.transaction, self.orders.admins))
        for router in all_routers():
            dp.include_router(router)
        # Last: it takes only errors, which visit every router before it, while each
        # update visits the routers in turn up to its handler's (a press or a reply
        # went through this one first, its empty observer and all).
        dp.include_router(errors.build())
        return dp

    async def open(self) -> None:
        await self.db.open()

    async def register_commands(self) -> None:
        """The command menu in Chinese (default) and English."""
        for language in ("zh-Hans", "en"):
            commands = [
                BotCommand(command=c, description=self.texts.get(language, f"cmd-{c}")[:256])
                for c in COMMANDS
            ]
            await self.bot.set_my_commands(
                commands,
                scope=BotCommandScopeDefault(),
                language_code=None if language == "zh-Hans" else "en",
            )

    async def start(self, polling: bool = True) -> None:
        """Open the database, register commands, start the sender (and polling)."""
        await self.open()
        if self.inbox_lease is not None:  # before any row is stored or replayed
            await self.inbox_lease.take()
            self._tasks.append(
                asyncio.create_task(self.inbox_lease.keep(patient=True), name="inbox lease")
            )
        await self.register_commands()
        self.orders.on_boards = self.first_boards.due
        if self.runs_timers:
            await self.orders.resume_writing()  # orders a restart caught half-written
            await self.timers.start()
        install_daily(self.timers, self.daily, self.daily_at)
        lane = self.sender.lane
        if lane is not None and lane.serves:
            # Its groups are its own before its first update (bot/once.py), not only
            # once its sender has the token's lease.
            async with self.db.transaction() as tx:
                await tx.outbox.resolve_lanes(lane)
        await self._start_sender()
        self._tasks.append(asyncio.create_task(self.first_boards.run(), name="first boards"))
        if polling:
            # A webhook left on the token (an earlier `run --webhook`) makes getUpdates
            # fail with 409; its undelivered updates stay queued for the polling.
            await self.bot.delete_webhook(drop_pending_updates=False)
            # Chats side by side, each chat's updates in order: a slow /order never holds
            # the city's presses, and a correction never overtakes the value it corrects.
            self._tasks.append(asyncio.create_task(self.poller.run(), name="polling"))
        else:  # a webhook's updates go through the inbox too (bot/webhook.py)
            self._tasks.append(
                asyncio.create_task(self.poller.forget_handled(), name="inbox forget")
            )
            if self.inbox_lease is not None:  # other workers may share the inbox
                self.poller.runner.handle = self.worker_order
                self._tasks.append(
                    asyncio.create_task(self.poller.adopt_every(ADOPT_SECONDS), name="adopt")
                )

    async def run_sending(self) -> None:
        """Only the sender (`towerbot send`): no updates, no timers, until stopped."""
        await self.open()
        await self._start_sender()
        try:
            await self.wait()
        finally:
            await self.stop()

    async def _start_sender(self) -> None:
        """Start the sender, hearing first (PostgreSQL) the messages other workers queue,
        so they wake it as this process's own do (storage/notices.py)."""
        await self.db.hear_others()
        self._tasks.append(asyncio.create_task(self.sender.run(), name="sender"))

    async def stop(self) -> None:
        self.timers.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self.orders.on_boards = None
        await self.poller.stop()
        if self.inbox_lease is not None and self.inbox_lease.taken:
            # What this worker did not handle is at once the other workers' to take.
            with contextlib.suppress(*DatabaseError):
                await self.inbox_lease.release()
        await self.presses.close()
        await self.bot.session.close()
        if self.owns_db:
            await self.db.close()

    async def wait(self) -> None:
        """Until a started task (the sender, polling) ends; its error is raised here."""
        await asyncio.gather(*self._tasks)

    async def run_forever(self) -> None:
        await self.start()
        try:
            await self.wait()
        finally:
            await self.stop()
