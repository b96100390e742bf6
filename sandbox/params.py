"""Reading Bot API parameters from any of the four ways clients send them.

Why this module exists: Telegram accepts a method's parameters as a query
string, `application/x-www-form-urlencoded`, `application/json` or
`multipart/form-data`, and merges them.  aiogram uses multipart for everything
(every value a string, objects as JSON text, files as parts referenced by
`attach://<name>`), other clients and curl use the rest.  The handlers in
`sandbox.api` should not care: they ask for "an int", "a bool", "a JSON value"
or "an input file" and get the same answer whatever the encoding.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    """A request's parameters; values are strings (form/query) or JSON values."""

    def __init__(self, values: Mapping[str, Any], uploads: Mapping[str, Upload]) -> None:
        self.values = dict(values)
        self.uploads = dict(uploads)

    def raw(self, name: str) -> Any:
        """The value as sent; None when absent or empty."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        return value

    def has(self, name: str) -> bool:
        return self.raw(name) is not None or name in self.uploads

    def get_str(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    def get_text(self, name: str) -> str | None:
        """A text parameter where an empty string counts as given (e.g. text="")."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value
        return self.get_str(name)

    def get_int(self, name: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise ApiError.bad_request(f'field "{name}" must be a valid Number') from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return str(value).strip().lower() in ("true", "1", "yes", "on")

    def get_json(self, name: str) -> Any:
        """A JSON-valued parameter (object/array sent as text or as JSON)."""
        value = self.raw(name)
        if isinstance(value, str):
            return json.loads(value)
        return value

    def chat_id(self, name: str = "chat_id") -> int | str | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            return text

    def input_file(self, name: str) -> Upload | str | None:
        """An InputFile parameter: an uploaded part (direct or `attach://x`),
        or a string (file_id or URL)."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.uploads.get(value[len("attach://") :])
            if upload is None:
                raise ApiError.bad_request(f"file {value} not found in the request")
            return upload
        return self.get_str(name)


async def read_params(request: web.Request) -> Params:
    """Merge query-string and body parameters of a Bot API request."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError.bad_request("can't parse JSON object") from None
            if isinstance(body, dict):
                values.update(body)
        elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(
                        filename=value.filename,
                        content_type=value.content_type,
                        data=value.file.read(),
                    )
                else:
                    values[key] = value
    return Params(values, uploads)
