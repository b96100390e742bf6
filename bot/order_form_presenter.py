"""Words of the guided `/order` form: its questions, its buttons and the preview before "下达".

The preview is what a commander checks before an order goes to every unit below:
kind, time allowed, the text, how many units at which levels, the scope words
and, for a role filter, how many holders will answer. The router keeps the
form's steps and only sends what is built here.
"""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks import FormCallback
from bot.formatting import Formatter
from bot.html import plain
from bot.i18n import Texts
from cascade.numerals import parse_duration
from cascade.orders import OrderKind
from cascade.outgoing import Button, Rendered
from cascade.targeting import OrderFilter

# The times allowed offered as buttons (a typed `/order` may give any other).
DURATIONS = ("10m", "15m", "20m", "30m", "1h")


def _button(label: str, step: str, value: str) -> Button:
    return Button(text=plain(label), callback_data=FormCallback(step=step, value=value).pack())


def _cancel(texts: Texts, locale: str) -> list[Button]:
    return [_button(texts.get(locale, "form-cancel"), "cancel", "-")]


def ask_text(texts: Texts, locale: str) -> str:
    """The first question (asked with ForceReply): the text, and the scope words it may lead with."""
    return texts.get(locale, "form-ask-text") + "\n" + texts.get(locale, "form-ask-scope")


def kind_question(texts: Texts, locale: str) -> Rendered:
    row = [_button(texts.get(locale, f"kind-{k.value}"), "kind", k.value) for k in OrderKind]
    return Rendered(text=texts.get(locale, "form-ask-kind"), buttons=[row, _cancel(texts, locale)])


def duration_question(texts: Texts, fmt: Formatter, locale: str) -> Rendered:
    row = [_button(fmt.duration(locale, parse_duration(d)), "duration", d) for d in DURATIONS]
    return Rendered(
        text=texts.get(locale, "form-ask-duration"), buttons=[row, _cancel(texts, locale)]
    )


def preview(
    texts: Texts,
    fmt: Formatter,
    locale: str,
    kind: OrderKind,
    duration: timedelta,
    text: str,
    flt: OrderFilter,
    by_level: dict[int, int],
    holders: int,
) -> Rendered:
    """The order as it will go out, with "下达" and "取消"."""
    words = texts.get(
        locale,
        "form-preview",
        kind=texts.get(locale, f"kind-{kind.value}"),
        duration=fmt.duration(locale, duration),
        text=text,
        targets=sum(by_level.values()),
        levels=fmt.levels(locale, by_level),
    )
    scope = flt.words() or texts.get(locale, "form-scope-all")
    words = words + "\n" + texts.get(locale, "form-scope", scope=scope)
    if flt.roles:
        roles = fmt.join(locale, [texts.get(locale, f"role-{r.value}") for r in flt.roles])
        words = words + texts.get(locale, "form-preview-holders", roles=roles, holders=holders)
    buttons = [
        [
            _button(texts.get(locale, "form-confirm"), "confirm", "-"),
            _button(texts.get(locale, "form-cancel"), "cancel", "-"),
        ]
    ]
    return Rendered(text=words, buttons=buttons)
