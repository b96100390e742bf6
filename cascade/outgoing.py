"""What the domain wants sent, before any Telegram object exists.

The domain decides a message (where, what, which buttons, how urgent); storage
keeps it in the outbox in the same transaction as the decision; the bot's
sender turns it into a Telegram call. Text is already rendered HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import ClassVar, Literal

from pydantic import BaseModel


class Priority(IntEnum):
    """Lower goes first. Below `ORDER`, the answers to a person: a reply, a refusal or
    a prompt (`INTERACTIVE`), a number confirmed by a reaction (`CONFIRMATION`), the
    "✅ 已收到 · name" line on a pressed copy (`ACKNOWLEDGED`). From `ORDER` on, the
    bulk a decision fans out: orders' copies, escalations, reports, reminders, boards.

    The sender sends the answers to people ahead of the bulk, but while bulk rows
    wait the answers take at most a share of the budget (`answers_person`,
    bot/sender.py), so a flood of confirmations cannot hold an order's copies back.
    """

    INTERACTIVE = 0
    CONFIRMATION = 4
    ACKNOWLEDGED = 6
    ORDER = 10
    ESCALATION = 20
    REPORT = 30
    REMINDER = 40
    PROGRESS = 50


# Rows from this priority on are bulk fan-out; below it, answers to people.
BULK = Priority.ORDER


def answers_person(priority: int) -> bool:
    """Whether a row of this priority answers a person (not bulk fan-out)."""
    return priority < BULK


class Button(BaseModel):
    text: str
    callback_data: str


class MessageRef(BaseModel):
    """Why a message exists, so a reply to it can be traced back to an order."""

    purpose: str
    order_id: int | None = None
    unit_code: str | None = None
    incident_id: int | None = None


# A `MessageRef` as a dictionary key: purpose, order, unit, incident.
RefKey = tuple[str, int | None, str | None, int | None]


def ref_key(ref: MessageRef) -> RefKey:
    return (ref.purpose, ref.order_id, ref.unit_code, ref.incident_id)


class Countdown(BaseModel):
    """Where a text shows a time left in words: `length` characters from `at`, in
    `locale`'s words. The message counts down to its `expires_at`, and the sender's
    claim writes the time left as it is then (cascade/countdown.py): a reminder may
    wait in the outbox minutes after it was rendered."""

    at: int
    length: int
    locale: str


class Rendered(BaseModel):
    """Text (Telegram HTML) and inline buttons made by the presenter.

    With `reaction`, the text is only the fallback: the message is confirmed by that
    emoji on the person's own message (no new message in the group). With
    `countdown`, the text shows a time left there (a reminder's 还剩9分18秒)."""

    text: str
    buttons: list[list[Button]] = []
    force_reply: bool = False
    reaction: str | None = None
    countdown: Countdown | None = None


class Naming(BaseModel):
    """The pending units a reminder or an escalation names, with what it was rendered
    from, so that it can be made current when it is sent (cascade/naming.py): it may
    wait in the outbox behind a group's budget while a unit it names answers.

    `group` is the unit whose group is told; `pending` the units named, in order;
    `ungrouped` each unit without a group named here in its stead, with the pending
    units below it named for it; `span` the time left (a reminder) or overdue (an
    escalation) as it was fired."""

    kind: Literal["reminder", "escalation"]
    order_id: int
    group: str
    pending: list[str]
    ungrouped: dict[str, list[str]] = {}
    round: int = 0
    span: timedelta
    late: bool = False


class OutgoingMessage(BaseModel):
    """One message to send, or with `edit_of` an edit of the message sent for that ref.

    `document` bytes go as a file (as a photo when `photo` is set) with `text`
    as the caption. A row with a `dedupe_key` replaces any queued row with the
    same key, so a burst of progress edits collapses into the latest one.
    With `reaction` (and `reply_to_message_id`), the sender puts that emoji on the
    person's message instead of sending `text`, and sends the text only where the
    chat takes no reaction. With `naming`, the message names pending units and is
    made current as the sender claims it (a port: cascade/ports.py `MakeCurrent`).
    With `expires_at` (on the domain's clock), a message claimed from then on is
    dropped unsent (a reminder after its deadline); with `countdown`, its text shows
    the time left until then, written as the sender claims it.
    """

    chat_id: int
    text: str
    buttons: list[list[Button]] = []
    force_reply: bool = False
    reply_to_message_id: int | None = None
    priority: Priority = Priority.INTERACTIVE
    ref: MessageRef | None = None
    edit_of: MessageRef | None = None
    document: bytes | None = None
    filename: str | None = None
    photo: bool = False
    dedupe_key: str | None = None
    reaction: str | None = None
    naming: Naming | None = None
    expires_at: datetime | None = None
    countdown: Countdown | None = None

    @classmethod
    def of(
        cls,
        chat_id: int,
        rendered: Rendered,
        priority: Priority,
        ref: MessageRef | None = None,
        reply_to: int | None = None,
    ) -> OutgoingMessage:
        """A confirmation by reaction takes `Priority.CONFIRMATION`, after replies and
        refusals (and is plain text where there is nothing to react to)."""
        priority, reaction = _confirmed(rendered, priority, reply_to)
        return cls(
            chat_id=chat_id,
            text=rendered.text,
            buttons=rendered.buttons,
            force_reply=rendered.force_reply,
            priority=priority,
            ref=ref,
            reply_to_message_id=reply_to,
            reaction=reaction,
            countdown=rendered.countdown,
        )


def _confirmed(
    rendered: Rendered, priority: Priority, reply_to: int | None
) -> tuple[Priority, str | None]:
    """A message's priority and reaction: a reaction needs the person's message to sit
    on, and a confirmation by reaction takes `Priority.CONFIRMATION`."""
    reaction = rendered.reaction if reply_to is not None else None
    return (Priority.CONFIRMATION if reaction else priority), reaction


@dataclass(frozen=True, slots=True)
class Note:
    """A message of text alone answering one person (no buttons, file or edit), as a
    plain record: what `OutgoingMessage.of` makes of such a rendering.

    Why: every answer of a city's storm queues its "recorded" confirmation, and
    building it as validated models (the rendering's `MessageRef`, the
    `OutgoingMessage`) then writing it with pydantic's JSON cost ~25 us an answer,
    a tenth of deciding one. Storage writes a note's outbox row from a template of
    that message's JSON, made once per shape (storage/outbox_repo.py `note_payload`),
    so the row is the same message the sender reads back and sends: the durable
    outbox and the one sender stay the only way out. The text is already rendered
    (its parameters escaped by the presenter, once); the template only quotes it
    as a JSON string."""

    chat_id: int
    text: str
    priority: Priority
    purpose: str
    order_id: int | None = None
    unit_code: str | None = None
    reply_to: int | None = None
    reaction: str | None = None
    # What the outbox reads of any queued message: a note replaces no other row.
    dedupe_key: ClassVar[None] = None

    @classmethod
    def of(
        cls,
        chat_id: int,
        rendered: Rendered,
        priority: Priority,
        purpose: str,
        order_id: int | None = None,
        unit_code: str | None = None,
        reply_to: int | None = None,
    ) -> Note:
        """`OutgoingMessage.of` for a rendering of text alone, with its ref's fields."""
        if rendered.buttons or rendered.force_reply:
            raise ValueError("a note is text alone: buttons and replies need a message")
        priority, reaction = _confirmed(rendered, priority, reply_to)
        return cls(
            chat_id, rendered.text, priority, purpose, order_id, unit_code, reply_to, reaction
        )

    def message(self) -> OutgoingMessage:
        """The message this note stands for: what the sender reads back from its row."""
        return OutgoingMessage(
            chat_id=self.chat_id,
            text=self.text,
            priority=self.priority,
            ref=MessageRef(purpose=self.purpose, order_id=self.order_id, unit_code=self.unit_code),
            reply_to_message_id=self.reply_to,
            reaction=self.reaction,
        )


class Lane(BaseModel):
    """Which groups one bot sends to, when several bots share a tower.

    A bot with `serves` sends to the groups of those units' subtrees; the primary
    bot (`avoid`: the other bots' units) sends everything else, private chats too.
    """

    serves: list[str] = []
    avoid: list[str] = []
    # The serving bot's id: its rows carry it (storage/lanes.py). The sender fills it in.
    bot_id: int = 0


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A due row as the sender paces it: what the limits decide on, not the message.

    A page holds up to 2,000 of these and is re-read many times a second; only a
    row that is actually claimed for sending has its message read and parsed."""

    id: int
    attempts: int
    chat_id: int
    priority: int


class OutboxRow(BaseModel):
    """A queued message as the sender sees it."""

    id: int
    attempts: int
    message: OutgoingMessage
