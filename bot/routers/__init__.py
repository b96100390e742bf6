"""One router per feature; `all_routers` gives them in the order they must match."""

from __future__ import annotations

from aiogram import Router

from bot.routers import (
    answers,
    colours,
    daily,
    fallback,
    incidents,
    joining,
    membership,
    order_form,
    order_stats,
    orders,
    people,
    queries,
)


def all_routers() -> list[Router]:
    # Answers to orders go first: a press on a copy and a reply to it are most of a
    # city's traffic, and aiogram visits the routers in turn (a few tens of µs each).
    # They go before the forms' states (a reply to an order copy is an answer whatever
    # form is open), and before membership and joining, whose handlers take only
    # service messages, commands and their own buttons, which answers never match.
    # The catch-all for unknown commands goes last.
    modules = (
        answers,
        membership,
        joining,
        order_form,
        incidents,
        orders,
        people,
        queries,
        order_stats,
        colours,
        daily,
        fallback,
    )
    return [module.build() for module in modules]
