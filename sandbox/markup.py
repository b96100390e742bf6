"""Validation of `reply_markup` as Telegram does it.

Why this module exists: the bot's "收到" buttons carry callback data that must fit
Telegram's 64-byte limit, and a keyboard Telegram would reject must be rejected
here too (same error text), or the bug only appears in production.  The result
is a normalised markup: the inline keyboard exactly as Telegram would echo it in
`Message.reply_markup`, so "message is not modified" comparisons behave the same.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.entities import check_url
from sandbox.errors import ApiError

_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"

_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_INLINE_EXTRA = ("style", "icon_custom_emoji_id")

MAX_CALLBACK_DATA_BYTES = 64


def parse_reply_markup(raw: Any) -> dict[str, Any] | None:
    """Parse and validate a reply_markup parameter (JSON string or object).

    Returns None when absent; otherwise a normalised dict with one of the keys
    `inline_keyboard`, `keyboard`, `remove_keyboard` or `force_reply`.
    """
    if raw is None or raw == "":
        return None
    value = raw
    if isinstance(raw, str | bytes):
        try:
            value = json.loads(raw)
        except ValueError:
            raise ApiError.bad_request(_MARKUP_ERROR) from None
    if not isinstance(value, dict):
        raise ApiError.bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in value:
        return {"inline_keyboard": _inline_keyboard(value["inline_keyboard"])}
    if "keyboard" in value:
        return _reply_keyboard(value)
    if "remove_keyboard" in value:
        if value["remove_keyboard"] is not True:
            raise ApiError.bad_request(_MARKUP_ERROR)
        result: dict[str, Any] = {"remove_keyboard": True}
        if value.get("selective") is True:
            result["selective"] = True
        return result
    if "force_reply" in value:
        if value["force_reply"] is not True:
            raise ApiError.bad_request(_MARKUP_ERROR)
        result = {"force_reply": True}
        placeholder = value.get("input_field_placeholder")
        if isinstance(placeholder, str) and placeholder:
            result["input_field_placeholder"] = placeholder
        if value.get("selective") is True:
            result["selective"] = True
        return result
    raise ApiError.bad_request(_MARKUP_ERROR)


def is_inline(markup: dict[str, Any] | None) -> bool:
    return markup is not None and "inline_keyboard" in markup


def callback_data_of(markup: dict[str, Any] | None) -> list[str]:
    """All callback_data values of an inline keyboard, in order."""
    if not is_inline(markup):
        return []
    assert markup is not None
    return [
        button["callback_data"]
        for row in markup["inline_keyboard"]
        for button in row
        if "callback_data" in button
    ]


def _inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(_MARKUP_ERROR)
    return [[_inline_button(button) for button in row] for row in rows]


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise ApiError.bad_request(_MARKUP_ERROR)
    text = button.get("text")
    if not isinstance(text, str):
        raise ApiError.bad_request(_MARKUP_ERROR)
    actions = [key for key in _INLINE_ACTIONS if key in button]
    if not actions:
        raise ApiError.bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    action = actions[0]
    value = button[action]
    result: dict[str, Any] = {"text": text}
    if action == "callback_data":
        if not isinstance(value, str):
            raise ApiError.bad_request(_MARKUP_ERROR)
        size = len(value.encode("utf-8"))
        if size == 0 or size > MAX_CALLBACK_DATA_BYTES:
            raise ApiError.bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        if not isinstance(value, str) or check_url(value) is None:
            raise ApiError.bad_request(
                f"inline keyboard button URL '{value}' is invalid: Wrong HTTP URL"
            )
    result[action] = value
    for key in _INLINE_EXTRA:
        if key in button:
            result[key] = button[key]
    return result


def _reply_keyboard(value: dict[str, Any]) -> dict[str, Any]:
    rows = value["keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(_MARKUP_ERROR)
    keyboard: list[list[dict[str, Any]]] = []
    for row in rows:
        out_row: list[dict[str, Any]] = []
        for button in row:
            if isinstance(button, str):
                out_row.append({"text": button})
            elif isinstance(button, dict) and isinstance(button.get("text"), str):
                out_row.append(dict(button))
            else:
                raise ApiError.bad_request(_MARKUP_ERROR)
        keyboard.append(out_row)
    result: dict[str, Any] = {"keyboard": keyboard}
    for key in (
        "is_persistent",
        "resize_keyboard",
        "one_time_keyboard",
        "input_field_placeholder",
        "selective",
    ):
        if key in value:
            result[key] = value[key]
    return result
