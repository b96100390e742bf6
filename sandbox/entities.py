"""Telegram text formatting: HTML parse mode, entity detection and UTF-16 offsets.

Why this module exists: the bot formats everything it sends with
`parse_mode="HTML"`, and Telegram answers with plain text plus `entities` whose
offsets and lengths count UTF-16 code units.  Chinese characters count one unit
and emoji outside the Basic Multilingual Plane count two, so an off-by-one here
shows up as a wrongly bolded name or a broken mention only on real Telegram.
This module reproduces Telegram's parser (the rules of TDLib's `parse_html`):
the same accepted tags, the same entity decoding, the same error texts with
UTF-8 byte offsets, the same pre/code merging and the same entity order, so a
message that fails here fails on Telegram and one that passes here renders the
same there.  It also finds the entities Telegram adds by itself (bot commands,
mentions, hashtags, URLs, e-mail addresses), and trims and measures texts.

No aiohttp and no state: `resolve_user` lets the caller fill in text_mention
users from its own records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

Entity = dict[str, Any]
UserResolver = Callable[[int, str], dict[str, Any]]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_SPACES = " \t\r\n\v\f\0"

_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)

_SIMPLE_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}

# Telegram orders entities by offset, then longer first, then by this priority
# (lower first) -- the order TDLib uses, so the lists compare equal to Telegram's.
_TYPE_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "mention": 50,
    "hashtag": 50,
    "cashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "phone_number": 50,
    "bank_card_number": 50,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}

ENTITY_TYPES = frozenset(_TYPE_PRIORITY)

# Entities inside which Telegram does not look for URLs, mentions and commands.
_OPAQUE_TYPES = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})

_URL_SCHEMES = frozenset({"http", "https", "ftp", "tg", "ton", "tonsite"})


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; `reason` is Telegram's own wording."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- UTF-16


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (what Telegram's offsets and limits count)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The substring that a Telegram entity (offset, length) covers."""
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def _utf16_to_index(text: str) -> list[int]:
    """Map every UTF-16 position 0..len to a Python string index."""
    positions: list[int] = []
    for index, ch in enumerate(text):
        positions.append(index)
        if ord(ch) > 0xFFFF:
            positions.append(index)
    positions.append(len(text))
    return positions


# --------------------------------------------------------------------------- HTML


@dataclass
class _OpenTag:
    name: str
    byte_offset: int
    utf16_offset: int
    text_start: int  # index into the output chunk list, for <a> without href
    url: str | None = None
    language: str = ""
    expandable: bool = False
    custom_emoji_id: str = ""


@dataclass
class _Parser:
    html: str
    resolve_user: UserResolver | None
    out: list[str] = field(default_factory=list)
    utf16_pos: int = 0
    entities: list[Entity] = field(default_factory=list)
    stack: list[_OpenTag] = field(default_factory=list)

    def byte_offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8", errors="surrogatepass"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.utf16_pos += utf16_len(chunk)


def _decode_html_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#NN;`, `&#xHH;` at `pos`.

    Returns (character, position after it) or (None, pos) when the `&` does not
    start a supported entity; Telegram then keeps the `&` as literal text.  The
    closing `;` is optional, as in Telegram.
    """
    size = len(text)
    end = pos + 1
    code = 0
    if end < size and text[end] == "#":
        end += 1
        if end < size and text[end] == "x":
            end += 1
            start = end
            while end < size and text[end] in "0123456789abcdefABCDEF":
                end += 1
            digits = text[start:end]
            code = int(digits, 16) if digits else 0
        else:
            start = end
            while end < size and text[end].isascii() and text[end].isdigit():
                end += 1
            digits = text[start:end]
            code = int(digits) if digits else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None, pos
        char = chr(code)
    else:
        start = end
        while end < size and text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[start:end])
        if named is None:
            return None, pos
        char = named
    if end < size and text[end] == ";":
        end += 1
    return char, end


def _is_token_char(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in ".-"


def _parse_start_tag(p: _Parser, begin: int) -> int:
    """Parse `<name attr=value ...>` starting at `begin`; returns the index after `>`."""
    html = p.html
    size = len(html)
    byte_begin = p.byte_offset(begin)
    i = begin + 1
    while i < size and html[i] not in _SPACES and html[i] != ">":
        i += 1
    if i >= size:
        raise EntityParseError(f"Unclosed start tag at byte offset {byte_begin}")
    tag = html[begin + 1 : i].lower()
    if tag not in _SUPPORTED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {byte_begin}')

    attributes: dict[str, str] = {}
    while True:
        while i < size and html[i] in _SPACES:
            i += 1
        if i >= size:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_begin}")
        if html[i] == ">":
            break
        name_begin = i
        while i < size and html[i] not in _SPACES and html[i] not in "=>":
            i += 1
        name = html[name_begin:i].lower()
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {byte_begin}'
            )
        while i < size and html[i] in _SPACES:
            i += 1
        if i >= size:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {byte_begin}')
        if html[i] != "=":
            attributes.setdefault(name, "")  # an attribute without a value
            continue
        i += 1
        while i < size and html[i] in _SPACES:
            i += 1
        if i >= size:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {byte_begin}')
        if html[i] in "\"'":
            quote = html[i]
            i += 1
            value_chars: list[str] = []
            while i < size and html[i] != quote:
                if html[i] == "&":
                    char, after = _decode_html_entity(html, i)
                    if char is not None:
                        value_chars.append(char)
                        i = after
                        continue
                value_chars.append(html[i])
                i += 1
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_begin}")
            i += 1
            value = "".join(value_chars)
        else:
            token_begin = i
            while i < size and _is_token_char(html[i]):
                i += 1
            value = html[token_begin:i].lower()
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_begin}")
            if html[i] not in _SPACES and html[i] != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {p.byte_offset(token_begin)}"
                )
        attributes[name] = value

    opened = _OpenTag(
        name=tag, byte_offset=byte_begin, utf16_offset=p.utf16_pos, text_start=len(p.out)
    )
    if tag == "a":
        opened.url = attributes.get("href")
    elif tag == "code":
        css_class = attributes.get("class", "")
        if css_class.startswith("language-"):
            opened.language = css_class[len("language-") :]
    elif tag == "span":
        if attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_begin}'
            )
    elif tag == "blockquote":
        opened.expandable = "expandable" in attributes
    elif tag == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit() or int(emoji_id) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        opened.custom_emoji_id = emoji_id
    p.stack.append(opened)
    return i + 1


def _parse_end_tag(p: _Parser, begin: int) -> int:
    """Parse `</name>` (or `</>`) starting at `begin`; returns the index after `>`."""
    html = p.html
    size = len(html)
    byte_begin = p.byte_offset(begin)
    if not p.stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {byte_begin}")
    i = begin + 2
    while i < size and html[i] not in _SPACES and html[i] != ">":
        i += 1
    end_name = html[begin + 2 : i].lower()
    while i < size and html[i] in _SPACES:
        i += 1
    if i >= size or html[i] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {byte_begin}")
    opened = p.stack[-1]
    if end_name and end_name != opened.name:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {byte_begin}, "
            f'expected "</{opened.name}>", found "</{end_name}>"'
        )
    p.stack.pop()
    _close(p, opened)
    return i + 1


def _close(p: _Parser, opened: _OpenTag) -> None:
    offset = opened.utf16_offset
    length = p.utf16_pos - offset
    if length <= 0:
        return
    tag = opened.name
    if tag in _SIMPLE_TAG_TYPES:
        p.entities.append(_entity(_SIMPLE_TAG_TYPES[tag], offset, length))
    elif tag == "blockquote":
        kind = "expandable_blockquote" if opened.expandable else "blockquote"
        p.entities.append(_entity(kind, offset, length))
    elif tag == "tg-emoji":
        p.entities.append(
            _entity("custom_emoji", offset, length, custom_emoji_id=opened.custom_emoji_id)
        )
    elif tag == "a":
        link_text = "".join(p.out[opened.text_start :])
        url = opened.url if opened.url else link_text
        user_id = link_user_id(url)
        if user_id is not None:
            user = (
                p.resolve_user(user_id, link_text)
                if p.resolve_user
                else {"id": user_id, "is_bot": False, "first_name": link_text}
            )
            p.entities.append(_entity("text_mention", offset, length, user=user))
        else:
            checked = check_url(url)
            if checked is not None:
                p.entities.append(_entity("text_link", offset, length, url=checked))
    elif tag == "pre":
        last = p.entities[-1] if p.entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last.get("_language")
            and last["offset"] == offset
            and last["length"] == length
        ):
            p.entities[-1] = _entity("pre", offset, length, language=last["_language"])
        else:
            p.entities.append(_entity("pre", offset, length))
    elif tag == "code":
        last = p.entities[-1] if p.entities else None
        if (
            opened.language
            and last is not None
            and last["type"] == "pre"
            and "language" not in last
            and last["offset"] == offset
            and last["length"] == length
        ):
            p.entities[-1] = _entity("pre", offset, length, language=opened.language)
        else:
            code = _entity("code", offset, length)
            if opened.language:
                code["_language"] = opened.language
            p.entities.append(code)


def _entity(kind: str, offset: int, length: int, **extra: Any) -> Entity:
    return {"offset": offset, "length": length, "type": kind, **extra}


def parse_html(html: str, resolve_user: UserResolver | None = None) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into (plain text, entities).

    Raises EntityParseError with Telegram's wording (without the
    "Bad Request: can't parse entities: " prefix) for malformed input.
    """
    p = _Parser(html=html, resolve_user=resolve_user)
    size = len(html)
    i = 0
    while i < size:
        ch = html[i]
        if ch == "&":
            char, after = _decode_html_entity(html, i)
            if char is None:
                p.emit("&")
                i += 1
            else:
                if 0xD800 <= ord(char) <= 0xDFFF:
                    raise EntityParseError(
                        "Text contains invalid Unicode characters after decoding HTML "
                        "entities, check for unmatched surrogate code units"
                    )
                p.emit(char)
                i = after
            continue
        if ch != "<":
            j = i + 1
            while j < size and html[j] not in "<&":
                j += 1
            p.emit(html[i:j])
            i = j
            continue
        if i + 1 < size and html[i + 1] == "/":
            i = _parse_end_tag(p, i)
        else:
            i = _parse_start_tag(p, i)
    if p.stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{p.stack[-1].name}"'
        )
    for entity in p.entities:
        entity.pop("_language", None)
    return "".join(p.out), sort_entities(p.entities)


def mentioned_users(entities: Iterable[Entity]) -> list[int]:
    """The ids of the users a message's text_mention entities name (whom a reminder names)."""
    return [
        e["user"]["id"]
        for e in entities
        if e.get("type") == "text_mention" and isinstance(e.get("user"), dict)
    ]


def link_user_id(url: str) -> int | None:
    """The user id of a `tg://user?id=123` link, else None."""
    match = re.fullmatch(r"(?i)tg:(?://)?user\?id=(\d{1,20})", url.strip())
    if match is None:
        return None
    user_id = int(match.group(1))
    return user_id if 0 < user_id < 2**63 else None


def check_url(url: str) -> str | None:
    """Normalise a link target like Telegram does, or None if it is not a valid URL.

    `telegram.org` becomes `http://telegram.org/`; a URL with spaces or without a
    host is dropped (Telegram then sends the text without a link, no error).
    """
    if not url or any(ch in url for ch in _SPACES):
        return None
    if "://" not in url:
        if ":" in url.split("/", 1)[0] and url.split(":", 1)[0].lower() in _URL_SCHEMES:
            return url  # e.g. "tg:resolve?domain=x"
        url = "http://" + url
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme not in _URL_SCHEMES or not rest:
        return None
    if scheme not in ("http", "https", "ftp"):
        return f"{scheme}://{rest}"
    try:
        parts = urlsplit(f"{scheme}://{rest}")
        host = parts.hostname or ""
        _ = parts.port  # raises for a malformed port
    except ValueError:
        return None
    if not host or ("." not in host and host != "localhost"):
        return None
    if any(not label for label in host.split(".")):
        return None
    path = parts.path or "/"
    result = f"{scheme}://{parts.netloc}{path}"
    if "?" in rest:
        result += "?" + parts.query
    if "#" in rest:
        result += "#" + parts.fragment
    return result


# --------------------------------------------------------------------------- sorting, trimming


def sort_entities(entities: Iterable[Entity]) -> list[Entity]:
    """Telegram's order: by offset, longer first, then by type priority."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50)),
    )


def strip_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Trim leading/trailing whitespace as Telegram does, moving entities along."""
    stripped_left = text.lstrip(_SPACES)
    shift = utf16_len(text) - utf16_len(stripped_left)
    stripped = stripped_left.rstrip(_SPACES)
    total = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------- detection

_COMMAND_RE = re.compile(r"(?<![\w/.@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION_RE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")
_HASHTAG_RE = re.compile(r"(?<![\w#])#\w{1,256}")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$[A-Z]{3,8}(?![\w$])")
_URL_RE = re.compile(r"(?i)(?<![\w@/])(?:https?|tg)://[^\s<>\"]+")
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_URL_TRAILING = ".,;:!?'\")]}»…。，；：！？）"


def bot_command_entities(text: str) -> list[Entity]:
    """`bot_command` entities of a text, e.g. one entity for "/order@towerbot" in
    "/order@towerbot 15m ..." (offset 0, length of "/order@towerbot")."""
    return [
        _span_entity(text, m.start(), m.end(), "bot_command") for m in _COMMAND_RE.finditer(text)
    ]


def detect_entities(text: str, existing: Iterable[Entity] = ()) -> list[Entity]:
    """Entities Telegram finds by itself: bot_command, mention, hashtag, cashtag,
    url, email.  Those overlapping code/pre/links in `existing` are left out, and
    the result is merged with `existing` in Telegram's order."""
    existing = list(existing)
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append((start, end, kind))

    for match in _URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            if text[end - 1] == ")" and text[match.start() : end].count("(") >= text[
                match.start() : end
            ].count(")"):
                break
            end -= 1
        add(match.start(), end, "url")
    for match in _EMAIL_RE.finditer(text):
        add(match.start(), match.end(), "email")
    for match in _COMMAND_RE.finditer(text):
        add(match.start(), match.end(), "bot_command")
    for match in _MENTION_RE.finditer(text):
        add(match.start(), match.end(), "mention")
    for match in _HASHTAG_RE.finditer(text):
        if not match.group()[1:].isdigit():
            add(match.start(), match.end(), "hashtag")
    for match in _CASHTAG_RE.finditer(text):
        add(match.start(), match.end(), "cashtag")

    opaque = [
        (e["offset"], e["offset"] + e["length"]) for e in existing if e["type"] in _OPAQUE_TYPES
    ]
    detected: list[Entity] = []
    for start, end, kind in found:
        entity = _span_entity(text, start, end, kind)
        e_start, e_end = entity["offset"], entity["offset"] + entity["length"]
        if any(e_start < o_end and o_start < e_end for o_start, o_end in opaque):
            continue
        detected.append(entity)
    return sort_entities([*existing, *detected])


def _span_entity(text: str, start: int, end: int, kind: str) -> Entity:
    offset = utf16_len(text[:start])
    return _entity(kind, offset, utf16_len(text[start:end]))


# --------------------------------------------------------------------------- explicit entities


def normalize_entities(
    raw: Any, text: str, resolve_user: UserResolver | None = None
) -> list[Entity]:
    """Validate entities passed explicitly (`entities` / `caption_entities`).

    Raises EntityParseError on a malformed list; entities that run past the text
    are clipped and empty ones dropped, like Telegram does.
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise EntityParseError("can't parse entities JSON object")
    total = utf16_len(text)
    result: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict):
            raise EntityParseError("can't parse entities JSON object")
        kind = item.get("type")
        offset = item.get("offset")
        length = item.get("length")
        if not isinstance(kind, str) or kind not in ENTITY_TYPES:
            raise EntityParseError("can't parse entities JSON object")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0:
            raise EntityParseError("can't parse entities JSON object")
        end = min(offset + length, total)
        if end <= offset:
            continue
        entity = _entity(kind, offset, end - offset)
        if kind == "text_link":
            url = check_url(str(item.get("url") or ""))
            if url is None:
                continue
            entity["url"] = url
        elif kind == "text_mention":
            user = item.get("user")
            if not isinstance(user, dict) or not isinstance(user.get("id"), int):
                raise EntityParseError("can't parse entities JSON object")
            name = utf16_slice(text, offset, end - offset)
            entity["user"] = (
                resolve_user(user["id"], name)
                if resolve_user
                else {"id": user["id"], "is_bot": False, "first_name": name}
            )
        elif kind == "pre" and item.get("language"):
            entity["language"] = str(item["language"])
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = str(item.get("custom_emoji_id") or "")
        result.append(entity)
    return sort_entities(result)


def entities_to_html(text: str, entities: list[Entity]) -> str:
    """Render (text, entities) back to Telegram HTML; handy for views and tests."""
    positions = _utf16_to_index(text)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in sort_entities(entities):
        tags = _html_tags(entity)
        if tags is None:
            continue
        start = positions[min(entity["offset"], len(positions) - 1)]
        end = positions[min(entity["offset"] + entity["length"], len(positions) - 1)]
        opens.setdefault(start, []).append(tags[0])
        closes.setdefault(end, []).insert(0, tags[1])
    parts: list[str] = []
    for index in range(len(text) + 1):
        parts.extend(closes.get(index, []))
        parts.extend(opens.get(index, []))
        if index < len(text):
            ch = text[index]
            parts.append({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}.get(ch, ch))
    return "".join(parts)


def _html_tags(entity: Entity) -> tuple[str, str] | None:
    simple = {
        "bold": "b",
        "italic": "i",
        "underline": "u",
        "strikethrough": "s",
        "spoiler": "tg-spoiler",
        "code": "code",
        "blockquote": "blockquote",
    }
    kind = entity["type"]
    if kind in simple:
        return f"<{simple[kind]}>", f"</{simple[kind]}>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind == "pre":
        if entity.get("language"):
            return f'<pre><code class="language-{entity["language"]}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        href = str(entity["url"]).replace("&", "&amp;").replace('"', "&quot;")
        return f'<a href="{href}">', "</a>"
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>"
    return None
