"""Settings from the environment (pydantic-settings); the token stays a secret.

A missing or malformed setting stops `towerbot run` at start with one line
naming the variable, never a traceback and never the token's value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")


class SenderLimits(BaseSettings):
    """Telegram's limits the sender keeps to (all configurable)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    per_second: float = Field(30.0, gt=0, alias="TOWERBOT_RATE")
    chat_interval: float = Field(1.0, ge=0, alias="TOWERBOT_CHAT_INTERVAL")
    group_per_minute: int = Field(20, gt=0, alias="TOWERBOT_GROUP_PER_MINUTE")
    # Paid broadcasts (allow_paid_broadcast, charged in Stars) lift the bot's overall
    # rate to up to 1,000 messages a second; per-chat and per-group limits still hold.
    paid_broadcast: bool = Field(False, alias="TOWERBOT_PAID_BROADCAST")
    paid_per_second: float = Field(1000.0, gt=0, le=1000, alias="TOWERBOT_PAID_RATE")

    @property
    def rate(self) -> float:
        """The overall messages per second the sender keeps to."""
        return self.paid_per_second if self.paid_broadcast else self.per_second


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    bot_token: SecretStr = Field(alias="BOT_TOKEN")
    telegram_api_url: str = Field("https://api.telegram.org", alias="TELEGRAM_API_URL")
    db: Path = Field(Path("towerbot.db"), alias="TOWERBOT_DB")
    admins: Annotated[frozenset[int], NoDecode] = Field(frozenset(), alias="TOWERBOT_ADMINS")
    timezone: str = Field("Asia/Shanghai", alias="TOWERBOT_TZ")
    high_risk: str = Field("湖北", alias="TOWERBOT_HIGH_RISK")
    daily_at: str = Field("20:00", alias="TOWERBOT_DAILY_AT")

    @field_validator("daily_at")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if not match:
            raise ValueError("must be a time of day like 20:00")
        return value.strip()

    # More bots for big towers: "TOKEN@code1,code2;TOKEN2@code3" — each serves the
    # groups of those units' subtrees; BOT_TOKEN serves HQ and everything else.
    bot_tokens: SecretStr = Field(SecretStr(""), alias="BOT_TOKENS")

    @field_validator("bot_tokens")
    @classmethod
    def _extra_bots_shape(cls, value: SecretStr) -> SecretStr:
        for token, codes in parse_extra_bots(value.get_secret_value()):
            if not TOKEN_SHAPE.match(token) or not codes:
                raise ValueError("must look like TOKEN@code1,code2;TOKEN2@code3")
        return value

    def extra_bots(self) -> list[tuple[str, list[str]]]:
        return parse_extra_bots(self.bot_tokens.get_secret_value())

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_SHAPE.match(value.get_secret_value()):
            raise ValueError("does not look like a bot token (digits:letters, from @BotFather)")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("admins", mode="before")
    @classmethod
    def _admin_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d{1,20}", p) for p in parts):
                raise ValueError("must be comma-separated Telegram user ids, e.g. 101,102")
            return frozenset(int(p) for p in parts)
        return value


def parse_extra_bots(text: str) -> list[tuple[str, list[str]]]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        token, _, codes = part.partition("@")
        out.append((token.strip(), [c.strip() for c in codes.split(",") if c.strip()]))
    return out


def explain(error: ValidationError) -> str:
    """One line naming the first bad setting by its environment variable."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "?"
    aliases = {
        "bot_token": "BOT_TOKEN",
        "telegram_api_url": "TELEGRAM_API_URL",
        "db": "TOWERBOT_DB",
        "admins": "TOWERBOT_ADMINS",
        "high_risk": "TOWERBOT_HIGH_RISK",
        "daily_at": "TOWERBOT_DAILY_AT",
        "bot_tokens": "BOT_TOKENS",
        "timezone": "TOWERBOT_TZ",
    }
    variable = aliases.get(name, name)
    reason = (
        "is not set" if first["type"] == "missing" else first["msg"].removeprefix("Value error, ")
    )
    return f"towerbot: setting {variable} {reason}"
