"""The repositories of one transaction, bundled as the domain's `UnitOfWork`."""

from __future__ import annotations

from storage.answer_repo import SqliteAnswerRepository
from storage.conn import Connection
from storage.form_repo import SqliteFormRepository
from storage.incident_repo import SqliteIncidentRepository
from storage.invite_repo import SqliteInviteRepository
from storage.order_repo import SqliteOrderRepository
from storage.outbox_repo import SqliteOutboxRepository, SqliteRefRepository
from storage.people_repo import SqlitePeopleRepository
from storage.score_repo import SqliteScoreRepository
from storage.timer_repo import SqliteTimerRepository
from storage.tower_repo import SqliteTowerRepository


class SqliteUnitOfWork:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.tower = SqliteTowerRepository(conn)
        self.orders = SqliteOrderRepository(conn)
        self.outbox = SqliteOutboxRepository(conn)
        self.answers = SqliteAnswerRepository(conn, self.outbox)
        self.refs = SqliteRefRepository(conn)
        self.timers = SqliteTimerRepository(conn)
        self.invites = SqliteInviteRepository(conn)
        self.incidents = SqliteIncidentRepository(conn)
        self.people = SqlitePeopleRepository(conn)
        self.scores = SqliteScoreRepository(conn)
        self.forms = SqliteFormRepository(conn)
