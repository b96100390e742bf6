"""Translated texts (Fluent): Simplified Chinese by default, English available.

Every user-visible sentence lives in `bot/locales/<locale>/*.ftl` (one file per
feature);
handlers and the presenter only name keys. Every argument is HTML-escaped
here, once, unless it is `Markup` (a rendered text, a mention): so a name like
"<b>" can't break markup and nothing is escaped twice. The result is `Markup`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fluent.runtime import FluentBundle, FluentResource, resolver
from fluent.runtime.types import FluentInt
from fluent.syntax import ast

from bot.html import Markup, esc, plain

if TYPE_CHECKING:
    from babel import Locale  # fluent.runtime's own dependency

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "zh-Hans"
SUPPORTED = ("zh-Hans", "en")


class Texts:
    def __init__(self, directory: Path = LOCALES_DIR) -> None:
        self.bundles: dict[str, FluentBundle] = {}
        # (locale, key) -> the message as text and argument names, when it is no more
        # than that (`_plain_parts`); None for a message Fluent must resolve.
        self._plain: dict[tuple[str, str], tuple[str | Variable, ...] | None] = {}
        self._keys: dict[str, set[str]] = {}
        for locale in SUPPORTED:
            bundle = FluentBundle([locale], use_isolating=False)
            self._keys[locale] = set()
            # One file per feature (towerbot.ftl, order_stats.ftl, ...), all in one bundle.
            for path in sorted((directory / locale).glob("*.ftl")):
                resource = FluentResource(path.read_text(encoding="utf-8"))
                bundle.add_resource(resource)
                self._keys[locale] |= {
                    entry.id.name for entry in resource.body if isinstance(entry, ast.Message)
                }
            self.bundles[locale] = bundle

    def pick(self, locale: str | None) -> str:
        """The supported locale for a unit's or a person's language tag."""
        if not locale:
            return DEFAULT_LOCALE
        if locale in self.bundles:
            return locale
        return "en" if locale.lower().startswith("en") else DEFAULT_LOCALE

    def get(self, locale: str | None, key: str, **args: object) -> Markup:
        picked = self.pick(locale)
        if (picked, key) not in self._plain:
            self._plain[(picked, key)] = self._plain_parts(picked, key)
        parts = self._plain[(picked, key)]
        if parts is not None:
            text = _fill(parts, args)
            if text is not None:
                return Markup(text)
        return self._resolve(picked, key, args)

    def _plain_parts(self, locale: str, key: str) -> tuple[str | Variable, ...] | None:
        """A message made only of text and `{ $name }` placeables, as those parts.

        Why: Fluent resolves a message through an environment, an error list and a
        Fluent type per argument (babel even formats plain integers), ~50 us a text;
        a city's answer storm renders one "recorded" text per answer, and a city
        order ~3,600 boards. For such a message the result is the text with each
        argument as `_arg` makes it, which `_fill` writes directly. Anything else
        (selectors, functions, references, literals) goes through Fluent."""
        bundle = self.bundles[locale]
        if not bundle.has_message(key):
            return None
        message = bundle.get_message(key)
        pattern = message.value
        if not isinstance(pattern, resolver.Pattern):
            return None
        parts: list[str | Variable] = []
        for element in pattern.elements:
            if isinstance(element, resolver.TextElement):
                parts.append(element.value)
            elif isinstance(element, resolver.Placeable) and isinstance(
                element.expression, resolver.VariableReference
            ):
                parts.append(Variable(element.expression.id.name))
            else:
                return None
        return tuple(parts)

    def _resolve(self, locale: str, key: str, args: dict[str, object]) -> Markup:
        bundle = self.bundles[locale]
        message = bundle.get_message(key) if bundle.has_message(key) else None
        if message is None or message.value is None:
            fallback = self.bundles[DEFAULT_LOCALE]
            if not fallback.has_message(key):
                raise KeyError(f"no text for {key!r}")
            message = fallback.get_message(key)
            bundle = fallback
        assert message.value is not None
        text, errors = bundle.format_pattern(message.value, {k: _arg(v) for k, v in args.items()})
        if errors:
            raise ValueError(f"text {key!r}: {errors}")
        return Markup(text)

    def plain(self, locale: str | None, key: str, **args: object) -> str:
        """The text as a person sees it where no HTML is parsed (toasts, buttons, charts)."""
        return plain(self.get(locale, key, **args))

    def keys(self, locale: str) -> set[str]:
        return set(self._keys[locale])


class PlainInt(FluentInt):
    """An integer written as plain digits (what babel writes for these locales without
    grouping), without babel's pattern machinery: a city order's boards format ~90,000
    numbers, and babel took a third of that time. Plural selection still sees a number;
    `NUMBER($x, ...)` with options makes an ordinary FluentInt."""

    def format(self, locale: Locale) -> str:
        return str(int(self))


def _arg(value: object) -> object:
    """Numbers as plain digits (no locale grouping surprises), the rest as HTML."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return PlainInt(value, useGrouping=False)
    return str(esc(value))


class Variable(str):
    """An argument's place in a plain message (`Texts._plain_parts`)."""


def _fill(parts: tuple[str | Variable, ...], args: dict[str, object]) -> str | None:
    """A plain message with its arguments written as `_arg` makes them and Fluent
    writes those (an integer as its digits); None where Fluent would report an error
    (an argument missing, or longer than Fluent takes), so the caller asks Fluent."""
    out: list[str] = []
    for part in parts:
        if type(part) is not Variable:
            out.append(part)
            continue
        if part not in args:
            return None
        value = args[part]
        if isinstance(value, bool):
            text = str(value)
        elif isinstance(value, int):
            text = str(int(value))
        else:
            text = str(esc(value))
            if len(text) > resolver.MAX_PART_LENGTH:
                return None
        out.append(text)
    return "".join(out)
