"""Uploaded files: identifiers, MIME types and picture sizes.

Why this module exists: `/export` sends CSV documents and `/chart`, `/map` send
PNG photos.  The bot, and the tests that check what it sent, read back
`file_id`, `file_unique_id`, `file_name`, `mime_type`, `file_size` and a photo's
`width`/`height`; Telegram derives those from the upload, so the sandbox must
too (and it must refuse a "photo" that is not a picture, as Telegram does).
Kept apart from the state so the byte-level sniffing stays small and testable.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import struct
from dataclasses import dataclass


@dataclass
class StoredFile:
    """One uploaded file, shared by every message that carries it."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    kind: str  # "document" | "photo"
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    bot_id: int = 0

    @property
    def file_size(self) -> int:
        return len(self.data)

    def file_api(self) -> dict[str, object]:
        """Bot API `File` object (getFile)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def document_api(self) -> dict[str, object]:
        """Bot API `Document` object."""
        doc: dict[str, object] = {}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        doc["file_id"] = self.file_id
        doc["file_unique_id"] = self.file_unique_id
        doc["file_size"] = self.file_size
        return doc

    def photo_api(self) -> list[dict[str, object]]:
        """Bot API `PhotoSize` list (one size: the upload itself)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.file_size,
                "width": self.width,
                "height": self.height,
            }
        ]


def make_file_id(kind: str, serial: int, bot_id: int) -> str:
    """A Telegram-looking file_id (URL-safe base64), unique per upload."""
    prefix = b"\x05\x00" if kind == "document" else b"\x02\x00"
    raw = prefix + struct.pack(">QQ", bot_id & 0xFFFFFFFFFFFFFFFF, serial) + b"sandbox"
    return ("BQAC" if kind == "document" else "AgAC") + base64.urlsafe_b64encode(raw).decode(
        "ascii"
    ).rstrip("=")


def make_file_unique_id(data: bytes) -> str:
    """Same content, same file_unique_id (as on Telegram)."""
    digest = hashlib.sha256(data).digest()[:12]
    return "AgAD" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def guess_mime_type(file_name: str | None, declared: str | None) -> str:
    guessed = mimetypes.guess_type(file_name or "")[0] if file_name else None
    if guessed:
        return guessed
    if declared and declared != "application/octet-stream":
        return declared
    return "application/octet-stream"


def extension_of(file_name: str | None) -> str:
    if not file_name or "." not in file_name:
        return ""
    ext = file_name.rsplit(".", 1)[1]
    return f".{ext}" if ext.isalnum() and len(ext) <= 8 else ""


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG or WebP picture, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            width = int.from_bytes(data[24:27], "little") + 1
            height = int.from_bytes(data[27:30], "little") + 1
            return width, height
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    size = len(data)
    while i + 9 < size:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None
