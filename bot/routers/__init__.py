"""One router per feature; `all_routers` gives them in the order they must match."""

from __future__ import annotations

from aiogram import Router

from bot.routers import (
    answers,
    exports,
    fallback,
    incidents,
    joining,
    membership,
    order_form,
    orders,
    queries,
    tower_state,
)


def all_routers() -> list[Router]:
    # The form's states go first (its text replies), the catch-all for unknown commands last.
    modules = (
        membership,
        joining,
        order_form,
        incidents,
        orders,
        answers,
        queries,
        exports,
        tower_state,
        fallback,
    )
    return [module.build() for module in modules]
