"""Invite tokens and person slots, as the joining flow and storage share them.

A token is 12 random URL-safe characters followed by 12 characters of an HMAC
of them under the bot's key (24 characters, within Telegram's 64-byte
`start` parameter and its alphabet). A token that was not made by this bot
fails `InviteSigner.valid` before any lookup, so links can be neither guessed
nor forged; a valid one still has to exist, be unused (seat links) and be
younger than `INVITE_TTL`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel

from cascade.tower import Position

GROUP_SLOT = -1  # the `seq` of a unit's group invite (person slots count from 0)
INVITE_TTL = timedelta(days=7)
_PART = 12


class Invite(BaseModel):
    token: str
    kind: str  # "group" or "person"
    unit_code: str
    seq: int
    created_by: int
    created_at: datetime
    used_by: int | None = None


class Slot(BaseModel):
    seq: int
    position: Position
    name: str
    telegram_id: int | None


class InviteSigner:
    def __init__(self, key: bytes) -> None:
        self.key = key

    @classmethod
    def for_bot_token(cls, token: str) -> InviteSigner:
        """The key derives from the bot's token: links stay valid across restarts."""
        return cls(hashlib.sha256(b"towerbot-invites\0" + token.encode()).digest())

    def _sig(self, nonce: str) -> str:
        digest = hmac.new(self.key, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:9]).decode()

    def new(self) -> str:
        nonce = secrets.token_urlsafe(9)  # 72 random bits, 12 characters
        return nonce + self._sig(nonce)

    def valid(self, token: str) -> bool:
        if len(token) != 2 * _PART or not token.isascii():
            return False
        return hmac.compare_digest(self._sig(token[:_PART]), token[_PART:])
