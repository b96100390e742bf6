"""Errors raised inside the sandbox.

Why this module exists: the Bot API side and the control side fail differently.
A Bot API failure must reach the bot exactly as Telegram words it
(`{"ok": false, "error_code": N, "description": "..."}`), because the bot's error
handling (retries, "chat not found", 429 back-off) is what the sandbox exists to
exercise.  A control failure is a mistake in a test or drill script and only needs
a clear message.  Keeping the two apart stops a test-setup mistake from looking
like a Telegram error to the bot, or the other way round.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error, worded and coded exactly like Telegram's.

    `parameters` carries `retry_after` (429) or `migrate_to_chat_id` (400) when
    relevant; it is sent as the response's `parameters` object.
    """

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body

    @classmethod
    def bad_request(cls, reason: str) -> ApiError:
        """400 "Bad Request: <reason>" (reason starts lower-case, as Telegram's do)."""
        return cls(400, f"Bad Request: {reason}")

    @classmethod
    def forbidden(cls, reason: str) -> ApiError:
        """403 "Forbidden: <reason>"."""
        return cls(403, f"Forbidden: {reason}")

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "Not Found")

    @classmethod
    def unauthorized(cls) -> ApiError:
        return cls(401, "Unauthorized")

    @classmethod
    def too_many_requests(cls, retry_after: int) -> ApiError:
        """429 as Telegram sends it; ready for the rate limiter to come."""
        return cls(
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
        )

    @classmethod
    def migrated(cls, new_chat_id: int) -> ApiError:
        """400 for a group that became a supergroup; ready for fault injection."""
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )


class ControlError(Exception):
    """A mistake in a control request (unknown person, missing button, ...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
