"""Updates as the server's JSON objects: fetched unparsed, read cheaply at the take-in.

Why this exists: aiogram's getUpdates makes every update into its pydantic models
as the session reads the answer, ~0.3 ms apiece (benchmarks/RESULTS.md, "The floor,
measured: aiogram's parse"), and the poller then only wrote each one back to JSON
for the durable inbox and let it go: it is parsed again from there when its chat's
turn comes (bot/dispatch.py). `GetRawUpdates` is the same Bot API request
(`getUpdates`: offset, limit, timeout, allowed_updates) through the same session,
answered as plain JSON objects (the session still checks the answer is an array of
objects), so an update is made into aiogram's models once, when it is handled.

What the take-in needs before that (an update's id, the chat whose order it keeps,
whether it is a question for the quick lane, a press to time) is read here from
the object by a few dictionary look-ups. A reader finds nothing where a field is
missing or of the wrong type (an id that is not an integer, a chat that is not an
object): an update aiogram cannot read is still taken in, and dropped with a line
when it is handled, as one read from the inbox always was.
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import TelegramMethod

# An update as the server sent it: the JSON object, decoded.
RawUpdate = dict[str, Any]


class GetRawUpdates(TelegramMethod[list[RawUpdate]]):
    """getUpdates, its updates answered as JSON objects (aiogram's `GetUpdates` makes
    them into `Update`s)."""

    __returning__ = list[RawUpdate]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


def integer(value: object) -> int | None:
    """`value` if it is a JSON integer (Python's are unbounded: 64-bit ids fit)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def field(raw: object, name: str) -> Any:
    """The field `name` of a JSON object (None when `raw` is not an object)."""
    return raw.get(name) if isinstance(raw, dict) else None


def object_field(raw: object, name: str) -> dict[str, Any] | None:
    """The field `name` of `raw` when it is an object itself."""
    value = field(raw, name)
    return value if isinstance(value, dict) else None


def update_id_of(raw: object) -> int | None:
    """The update's id; None when `raw` is not an object with an integer one."""
    return integer(field(raw, "update_id"))


def event_of(raw: RawUpdate) -> dict[str, Any] | None:
    """What happened: the update's one object besides its id (a message, a press …),
    whatever its type, known to this aiogram or not."""
    return next(
        (value for key, value in raw.items() if key != "update_id" and isinstance(value, dict)),
        None,
    )


def chat_of(raw: RawUpdate) -> int | None:
    """The chat the update happened in (a press's: its message's), if any."""
    event = event_of(raw)
    chat = object_field(event, "chat") or object_field(object_field(event, "message"), "chat")
    return integer(field(chat, "id"))


def chat_key(raw: RawUpdate) -> int:
    """The chat whose updates must stay in order (the sender's id where there is none)."""
    chat = chat_of(raw)
    if chat is not None:
        return chat
    event = event_of(raw)
    person = object_field(event, "from") or object_field(event, "user")
    return integer(field(person, "id")) or 0


def message_of(raw: RawUpdate) -> dict[str, Any] | None:
    """The message a person sent or edited."""
    return object_field(raw, "message") or object_field(raw, "edited_message")


def language_of(event: object) -> str | None:
    """The language tag of the person behind a message or a press."""
    language = field(object_field(event, "from"), "language_code")
    return language if isinstance(language, str) else None
