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


class IncidentCallback(CallbackData, prefix="inc"):
    """Buttons of an incident: confirm/cancel a draft, a disposition, or 落实."""

    incident_id: int
    action: str


class ReturneeFormCallback(CallbackData, prefix="rf"):
    """ "跳过" in the guided /returnee form."""

    step: str
