"""Typed callback data for every inline button the bot shows (≤ 64 bytes each)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class AckCallback(CallbackData, prefix="ack"):
    """ "收到" under an order copy."""

    order_id: int


class FormCallback(CallbackData, prefix="of"):
    """A step of the guided /order form: kind, duration, confirm or cancel."""

    step: str
    value: str
