"""One router per feature; `all_routers` gives them in the order they must match."""

from __future__ import annotations

from aiogram import Router

from bot.routers import answers, fallback, order_form, orders, queries


def all_routers() -> list[Router]:
    # The form's states go first (its text replies), the catch-all for unknown commands last.
    return [order_form.router, orders.router, answers.router, queries.router, fallback.router]
