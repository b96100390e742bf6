"""Settings from the environment (pydantic-settings); the token stays a secret.

This is the one place the environment is read. Every setting is checked when
`towerbot run` starts, so a typo stops it at once with one line naming the
variable and the form it expects (exit code 2), never a traceback, a hang or
the token's value. The variable names in those lines and in `towerbot run
--help` come from the fields' aliases, so they cannot drift from the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.daily_job import parse_at
from bot.people_settings import PeopleSettings
from cascade.incident_service import regions_from
from storage.pg import is_url

TOKEN_SHAPE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,}")
TOKEN_FORM = "digits:letters from @BotFather, e.g. 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
DEFAULT_DB = Path("towerbot.db")


class StoreSettings(BaseSettings):
    """Where the database lives: all that `import` and `tree` need."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    db: Path | str = Field(
        DEFAULT_DB,
        alias="TOWERBOT_DB",
        description="the SQLite file holding the tower, or a postgresql:// URL",
    )

    @field_validator("db", mode="before")
    @classmethod
    def _db_given(cls, value: object) -> object:
        """A PostgreSQL URL stays text (a Path would fold its '//'); anything else is a file."""
        if isinstance(value, str):
            if not value.strip():
                raise ValueError(
                    "is empty; expected a file path like /data/towerbot.db "
                    "or postgresql://user:password@host/database"
                )
            return value.strip() if is_url(value.strip()) else Path(value)
        return value


class SenderLimits(BaseSettings):
    """Telegram's limits the sender keeps to (all configurable)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    per_second: float = Field(
        30.0,
        gt=0,
        allow_inf_nan=False,
        alias="TOWERBOT_RATE",
        description="messages a second the bot sends in all (Telegram allows 30)",
    )
    chat_interval: float = Field(
        1.0,
        ge=0,
        allow_inf_nan=False,
        alias="TOWERBOT_CHAT_INTERVAL",
        description="seconds between two messages to one chat",
    )
    group_per_minute: int = Field(
        20,
        gt=0,
        alias="TOWERBOT_GROUP_PER_MINUTE",
        description="messages a minute to one group",
    )
    # While bulk rows (copies, reminders, boards) wait, the answers to people go first
    # but take at most this share of the sends; the bulk keeps the rest (bot/sender.py).
    reply_share: float = Field(
        0.1,
        gt=0,
        lt=1,
        allow_inf_nan=False,
        alias="TOWERBOT_REPLY_SHARE",
        description="share of the sends answers to people may take while bulk waits",
    )
    # Paid broadcasts (allow_paid_broadcast, charged in Stars) lift the bot's overall
    # rate to up to 1,000 messages a second; per-chat and per-group limits still hold.
    paid_broadcast: bool = Field(
        False,
        alias="TOWERBOT_PAID_BROADCAST",
        description="true: paid broadcasts (allow_paid_broadcast, charged in Stars)",
    )
    paid_per_second: float = Field(
        1000.0,
        gt=0,
        le=1000,
        allow_inf_nan=False,
        alias="TOWERBOT_PAID_RATE",
        description="messages a second with paid broadcasts",
    )

    @property
    def rate(self) -> float:
        """The overall messages per second the sender keeps to."""
        return self.paid_per_second if self.paid_broadcast else self.per_second


class Settings(StoreSettings):
    """Everything `towerbot run` reads from the environment, checked at start."""

    bot_token: SecretStr = Field(
        alias="BOT_TOKEN", description="the bot's token from @BotFather (required, never logged)"
    )
    telegram_api_url: str = Field(
        "https://api.telegram.org",
        alias="TELEGRAM_API_URL",
        description="any Telegram-compatible Bot API server (address only, no path)",
    )
    admins: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), alias="TOWERBOT_ADMINS", description="comma-separated HQ admin user ids"
    )
    timezone: str = Field(
        "Asia/Shanghai",
        alias="TOWERBOT_TZ",
        description="time zone of the deadlines shown in chats",
    )
    high_risk: str = Field(
        "湖北",
        alias="TOWERBOT_HIGH_RISK",
        description="high-risk regions for returnee reports, comma-separated",
    )
    daily_at: str = Field(
        "20:00",
        alias="TOWERBOT_DAILY_AT",
        description="when HQ's group gets the day's tally (HH:MM, Beijing time)",
    )
    # A press still waiting for its handler this long is answered by the bot itself
    # with a neutral toast (bot/press_watch.py): a phone never spins through a storm.
    press_ack_after: float = Field(
        0.8,
        ge=0,
        alias="TOWERBOT_PRESS_ACK_AFTER",
        description="seconds a button press may wait for its handler before the bot "
        'answers it itself with "⏳ 已收到点击，正在处理…" (0: never)',
    )
    # More bots for big towers: "TOKEN@code1,code2;TOKEN2@code3" — each serves the
    # groups of those units' subtrees; BOT_TOKEN serves HQ and everything else.
    bot_tokens: SecretStr = Field(
        SecretStr(""),
        alias="BOT_TOKENS",
        description="extra bots: TOKEN@code1,code2;TOKEN2@code3 (each serves those subtrees)",
    )

    # `towerbot run --webhook` (bot/webhook.py): Telegram posts updates to the public
    # HTTPS address; a proxy that terminates HTTPS passes them on to the listener.
    webhook_url: str = Field(
        "",
        alias="TOWERBOT_WEBHOOK_URL",
        description="run --webhook: the public https:// address Telegram posts updates to",
    )
    webhook_secret: SecretStr = Field(
        SecretStr(""),
        alias="TOWERBOT_WEBHOOK_SECRET",
        description="run --webhook: the secret Telegram sends with every update "
        "(1-256 of A-Z a-z 0-9 _ -; never logged)",
    )
    webhook_listen: str = Field(
        "127.0.0.1:8088",
        alias="TOWERBOT_WEBHOOK_LISTEN",
        description="run --webhook: host:port the webhook server listens on, behind the proxy",
    )

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        if token != token.strip():
            raise ValueError(
                "has a space or line break around it (check the file it came from); "
                f"expected {TOKEN_FORM}"
            )
        if not TOKEN_SHAPE.fullmatch(token):
            raise ValueError(f"does not look like a bot token; expected {TOKEN_FORM}")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        form = "like https://api.telegram.org or http://127.0.0.1:8081"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) address {form}")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(
                f"must be the server's address without a path ({parts.path!r}), {form}; "
                "the bot adds /bot<token>/METHOD itself"
            )
        try:
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError:
            raise ValueError(f"has a bad port; expected an address {form}") from None
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("admins", mode="before")
    @classmethod
    def _admin_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d{1,19}", p) for p in parts):
                raise ValueError("must be comma-separated Telegram user ids, e.g. 101,102")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a known time zone; expected an IANA name like Asia/Shanghai"
            ) from None
        return value.strip()

    @field_validator("daily_at")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        """Read by the job's own parser, kept as "HH:MM" (full-width colon accepted)."""
        hour, minute = parse_at(value)
        return f"{hour:02d}:{minute:02d}"

    @field_validator("bot_tokens")
    @classmethod
    def _extra_bots_shape(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        form = "must look like TOKEN@code1,code2;TOKEN2@code3"
        primary = info.data.get("bot_token")
        seen_tokens: set[str] = set()
        seen_codes: set[str] = set()
        for token, codes in parse_extra_bots(value.get_secret_value()):
            if not TOKEN_SHAPE.fullmatch(token) or not codes:
                raise ValueError(form)
            if primary is not None and token == primary.get_secret_value():
                raise ValueError(f"repeats BOT_TOKEN; each extra bot needs its own token ({form})")
            if token in seen_tokens:
                raise ValueError(f"names one token twice; give each bot one entry ({form})")
            twice = seen_codes.intersection(codes)
            if twice:
                raise ValueError(f"gives unit {sorted(twice)[0]} to two bots; one bot per unit")
            seen_tokens.add(token)
            seen_codes.update(codes)
        return value

    # The sender's limits (TOWERBOT_RATE and its siblings) and the people settings
    # (TOWERBOT_LEVEL3_CAP, the score, ...), each read by its own model.
    limits: SenderLimits = Field(default_factory=SenderLimits)
    people: PeopleSettings = Field(default_factory=PeopleSettings)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url_shape(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        form = "like https://bot.example.org/telegram"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be the public https:// address of the webhook, {form}")
        if parts.fragment:
            raise ValueError(f"must not have a #fragment, {form}")
        try:
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError:
            raise ValueError(f"has a bad port; expected an address {form}") from None
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(r"[A-Za-z0-9_-]{0,256}", value.get_secret_value()):
            raise ValueError(
                "must be 1-256 characters of A-Z a-z 0-9 _ - (what Telegram allows), "
                "e.g. from `openssl rand -hex 32`"
            )
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen_shape(cls, value: str) -> str:
        listen_address(value)
        return value.strip()

    def webhook_missing(self) -> str | None:
        """What `run --webhook` still needs, as the one line to print; None: ready."""
        for field in ("webhook_url", "webhook_secret"):
            value = getattr(self, field)
            if not (value.get_secret_value() if isinstance(value, SecretStr) else value):
                variable = variable_of(Settings, field)
                return f"towerbot: setting {variable} is not set; run --webhook needs it"
        return None

    def extra_bots(self) -> list[tuple[str, list[str]]]:
        return parse_extra_bots(self.bot_tokens.get_secret_value())

    def high_risk_regions(self) -> list[str]:
        """`湖北,武汉 温州` → ["湖北", "武汉", "温州"]."""
        return regions_from(self.high_risk)


def listen_address(text: str) -> tuple[str, int]:
    """`host:port` (IPv6 in brackets, [::]:8088) as (host, port); ValueError in one line."""
    host, colon, port = text.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be host:port, e.g. 127.0.0.1:8088 (0.0.0.0:8088 in a container)")
    return host, int(port)


def parse_extra_bots(text: str) -> list[tuple[str, list[str]]]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        token, _, codes = part.partition("@")
        out.append((token.strip(), [c.strip() for c in codes.split(",") if c.strip()]))
    return out


SETTINGS_MODELS: tuple[type[BaseSettings], ...] = (Settings, SenderLimits, PeopleSettings)


def variable_of(model: type[BaseSettings], field: str) -> str:
    """The environment variable behind a field: its alias in the model."""
    info = model.model_fields.get(field)
    return (info.alias or field) if info is not None else field


def explain(error: ValidationError, model: type[BaseSettings] = Settings) -> str:
    """One line naming the first bad setting by its environment variable."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "?"
    variable = variable_of(model, name)
    if first["type"] == "missing":
        reason = "is not set"
    elif first["type"] == "finite_number":
        reason = "must be a finite number"
    else:
        reason = first["msg"].removeprefix("Value error, ")
    given = _given(first)
    return f"towerbot: setting {variable} {reason}{given}"


def _given(detail: Any) -> str:
    """The rejected value when it is safe and useful to echo (never a token)."""
    loc = str(detail["loc"][:1])
    if detail["type"] in ("missing",) or "token" in loc or "secret" in loc:
        return ""
    if detail["type"].startswith("value_error"):
        return ""
    value = detail.get("input")
    if isinstance(value, str) and len(value) <= 60:
        return f" (got {value!r})"
    return ""


def environment_fields() -> Iterator[tuple[type[BaseSettings], str, FieldInfo]]:
    """Every field read from an environment variable, each variable once (the
    nested `limits` and `people` are read through their own models)."""
    seen: set[str] = set()
    for model in SETTINGS_MODELS:
        for name, info in model.model_fields.items():
            if info.alias is not None and info.alias not in seen:
                seen.add(info.alias)
                yield model, name, info


def settings_help() -> str:
    """The settings with their defaults, for `towerbot run --help`."""
    lines = ["settings (environment variables):"]
    for model, name, info in environment_fields():
        default = info.get_default(call_default_factory=True)
        if info.is_required():
            shown = "[required]"
        elif isinstance(default, SecretStr) or default in ("", frozenset(), None):
            shown = "[default: none]"
        else:
            shown = f"[default: {default}]"
        about = f"{info.description} " if info.description else ""
        lines.append(f"  {variable_of(model, name):<26} {about}{shown}")
    return "\n".join(lines)
