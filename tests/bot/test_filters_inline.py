"""Every filter and handler the bot registers is awaited in place, none in a thread.

aiogram runs a filter or handler that is not a coroutine function through
`asyncio.to_thread`, magic filters (`F.text`) included: a thread hop per check, four
for every reply to an order copy in a city's answer storm. The routers wrap magic
filters in `bot.filters.Inline`; this walks every router the dispatcher includes, so a
filter registered later without it is caught here. `Inline` itself must decide as
the magic filter does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F
from aiogram.types import Chat, Message, User

from bot import errors
from bot.filters import Inline
from bot.routers import all_routers
from tests.support.tgfake import Harness


def test_no_filter_or_handler_goes_to_a_thread() -> None:
    threaded = []
    for router in [errors.build(), *all_routers()]:
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                where = f"{router.name}.{name} {handler.callback!r}"
                if not handler.awaitable:
                    threaded.append(f"handler {where}")
                threaded += [
                    f"filter {f.callback!r} of {where}"
                    for f in handler.filters or []
                    if not f.awaitable
                ]
    assert threaded == []


def message(text: str | None, **extra: object) -> Message:
    return Message(
        message_id=1,
        date=datetime(2026, 11, 30, tzinfo=UTC),
        chat=Chat(id=-1001, type="supergroup"),
        from_user=User(id=7, is_bot=False, first_name="p"),
        text=text,
        **extra,
    )


async def test_inline_decides_as_the_magic_filter() -> None:
    filters = [
        F.text,
        ~F.text.startswith("/"),
        F.text.startswith("/"),
        F.chat.type.in_({"group", "supergroup"}),
        F.chat.type == "private",
        F.migrate_to_chat_id,
        F.text.func(lambda t: len(t.split(maxsplit=1)) > 1),
        F.text.as_("said"),
    ]
    events = [
        message("12"),
        message("/order 15m"),
        message(None),
        message("收到", migrate_to_chat_id=5),
    ]
    for magic in filters:
        for event in events:
            try:
                expected: object = magic.resolve(event)
            except AttributeError as exc:  # as aiogram's check would raise it
                expected = type(exc)
            try:
                got: object = await Inline(magic)(event)
            except AttributeError as exc:
                got = type(exc)
            assert got == expected
    assert await Inline(F.text.as_("said"))(message("12")) == {"said": "12"}


def test_the_errors_router_comes_last_and_alone_takes_errors(issued: Harness) -> None:
    """Updates visit the routers in turn, so the errors router goes last (a press no
    longer passes its empty observers first); an error still reaches it, as no router
    before it takes errors."""
    routers = issued.app.dispatcher.sub_routers
    assert routers[-1].name == "errors"
    assert [r.name for r in routers[:-1] if r.observers["error"].handlers] == []
