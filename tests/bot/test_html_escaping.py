"""Every message is valid Telegram HTML whatever people typed.

Parameters are escaped once, where a text is rendered (`Texts.get`); fragments
that are already markup travel as `Markup`. These tests put ``<b>&"`` in every
parameter of every message key and every refusal, and in every name and text
the presenters use, and check the result with the sandbox's copy of
Telegram's HTML parser: accepted tags only, balanced, and the hostile text
shown literally (not dropped, not escaped twice).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fluent.syntax import FluentParser, ast

from bot.formatting import Formatter
from bot.html import Markup, esc, join, mention, plain
from bot.i18n import LOCALES_DIR, SUPPORTED, Texts
from bot.incident_presenter import BotIncidentPresenter
from bot.presenter import BotPresenter
from cascade import report as reports
from cascade.incidents import Disposition, Incident, Stage
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.ports import PersonRef
from cascade.report import ReportFlavour
from cascade.returnee import ReturneeReport
from cascade.tower import UnitRef
from sandbox.entities import parse_html
from tests.support.tgfake import TS0101_CHAT, TS0101_COMMANDER, Harness

HOSTILE = '<b>&"'
TEXTS = Texts()
FMT = Formatter(TEXTS)
ROOT = Path(__file__).resolve().parents[2]


def valid(html: str) -> str:
    """The plain text Telegram would show; fails the test if Telegram would refuse it."""
    text, _ = parse_html(html)
    assert "&lt;" not in text and "&amp;" not in text and "&quot;" not in text, text
    return text


def _variables(node: Any, placed: set[str], selectors: set[str], in_selector: bool) -> None:
    if isinstance(node, ast.VariableReference):
        (selectors if in_selector else placed).add(node.id.name)
        return
    if isinstance(node, ast.SelectExpression):
        _variables(node.selector, placed, selectors, True)
        for variant in node.variants:
            _variables(variant, placed, selectors, False)
        return
    if isinstance(node, ast.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                _variables(child, placed, selectors, in_selector)


def messages(locale: str) -> list[tuple[str, set[str], set[str]]]:
    """(key, variables shown, variables only selected on) for every message of a locale."""
    found = []
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                placed: set[str] = set()
                selectors: set[str] = set()
                _variables(entry.value, placed, selectors, False)
                found.append((entry.id.name, placed, selectors - placed))
    return found


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_message_key_renders_hostile_parameters_as_valid_html(locale: str) -> None:
    keys = messages(locale)
    assert len(keys) > 150
    for key, placed, selected in keys:
        args: dict[str, object] = {name: HOSTILE for name in placed}
        args.update({name: 1 for name in selected})
        rendered = TEXTS.get(locale, key, **args)
        assert isinstance(rendered, Markup)
        text = valid(rendered)
        if placed:
            assert HOSTILE in text, (key, rendered)


def test_every_refusal_in_the_code_has_a_sentence_that_survives_hostile_parameters() -> None:
    refusal = re.compile(r'Refused\(\s*"([a-z0-9-]+)"((?:[^()]|\([^()]*\))*)\)')
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("cascade/*.py"), *ROOT.glob("bot/**/*.py")]:
        for match in refusal.finditer(path.read_text(encoding="utf-8")):
            params = set(re.findall(r"(\w+)=", match.group(2)))
            found.setdefault(match.group(1), set()).update(params)
    assert len(found) > 30
    for locale in SUPPORTED:
        for key, params in found.items():
            assert f"error-{key}" in TEXTS.keys(locale), (locale, key)
            text = valid(TEXTS.get(locale, f"error-{key}", **{p: HOSTILE for p in params}))
            if params:
                assert HOSTILE in text, (key, text)


def test_markup_is_escaped_once_and_plain_text_on_contact() -> None:
    assert esc(HOSTILE) == '&lt;b&gt;&amp;"'
    assert esc(esc(HOSTILE)) == esc(HOSTILE)
    bold = Markup("<b>1</b>")
    assert bold + HOSTILE == '<b>1</b>&lt;b&gt;&amp;"'
    assert HOSTILE + bold == '&lt;b&gt;&amp;"<b>1</b>'
    assert join("、", [bold, HOSTILE]) == '<b>1</b>、&lt;b&gt;&amp;"'
    assert isinstance(Markup(" x ").strip(), Markup)
    link = mention(HOSTILE, 42)
    assert valid(link) == HOSTILE
    assert (
        valid(TEXTS.get("zh-Hans", "pending-unit", unit=HOSTILE, commander=link)).count(HOSTILE)
        == 2
    )
    assert (
        plain(TEXTS.get("zh-Hans", "error-bad-count", order=1, value=HOSTILE)).count(HOSTILE) == 1
    )


# ---------------------------------------------------------------- the presenters

NOW = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)


def unit(code: str, level: int, locale: str, parent: str | None = None) -> UnitRef:
    return UnitRef(
        code=code,
        name=f"{HOSTILE}{code}",
        level=level,
        kind="village",
        parent=parent,
        chat_id=-100,
        locale=locale,
        commander_name=HOSTILE,
        commander_id=7,
    )


def order(kind: OrderKind) -> Order:
    return Order(
        id=3,
        issuer_unit="hq",
        issuer_user=1,
        kind=kind,
        text=f"{HOSTILE} 统计\n第二行",
        created_at=NOW,
        deadline_at=NOW + timedelta(hours=99),
        status=OrderStatus.OPEN,
    )


def states(kind: OrderKind) -> list[TargetState]:
    done = NOW + timedelta(minutes=3)
    return [
        TargetState(
            order_id=3, unit_code="hq", parent_code=None, level=0, is_root=True, children_total=1
        ),
        TargetState(
            order_id=3,
            unit_code="v",
            parent_code="hq",
            level=2,
            children_total=2,
            children_done=1,
            acked_at=done,
        ),
        TargetState(
            order_id=3,
            unit_code="g1",
            parent_code="v",
            level=3,
            is_bottom=True,
            answered_at=done,
            acked_at=done,
            done_at=done,
            value=5,
            subtotal=5,
            items=[HOSTILE] if kind is OrderKind.LIST else None,
            late=True,
        ),
        TargetState(order_id=3, unit_code="g2", parent_code="v", level=3, is_bottom=True),
    ]


@pytest.mark.parametrize("locale", SUPPORTED)
@pytest.mark.parametrize("kind", list(OrderKind))
def test_every_order_message_survives_hostile_names_and_texts(locale: str, kind: OrderKind) -> None:
    p = BotPresenter(TEXTS, FMT)
    hq, village = unit("hq", 0, locale), unit("v", 2, locale, "hq")
    g1, g2 = unit("g1", 3, locale, "v"), unit("g2", 3, locale, "v")
    names = {u.code: u for u in (hq, village, g1, g2)}
    o = order(kind)
    rows = states(kind)
    built = reports.build(o, rows, "hq", NOW + timedelta(minutes=5))
    rendered = [
        p.order_copy(o, g1, hq, True),
        p.order_copy(o, village, hq, False),
        p.answer_recorded(o, g1, rows[2], True),
        p.child_done(o, hq, village, rows[1]),
        *p.children_done(o, hq, [(village, rows[1])]),
        *(p.final_report(hq, built, names, flavour) for flavour in ReportFlavour),
        p.reminder(o, g2, timedelta(minutes=5), late=True),
        p.escalation(o, village, [g2], 0, timedelta(0), late=False),
        p.escalation(o, hq, [g2, village], 1, timedelta(minutes=20), late=True),
        p.escalation(o, hq, [g1, g2], 0, timedelta(0), False, [village]),
        p.escalation(o, hq, [g1, g2], 1, timedelta(0), False, [village, village]),
        p.progress(o, village, [(g1, 1, 1), (g2, 0, 1)], rows[1], [g1], NOW),
        p.unreachable(g2, village, "kicked"),
        p.reachable_again(g2, village),
        p.bind_refused(g2, village, HOSTILE, PersonRef(name=HOSTILE, telegram_id=99)),
    ]
    if kind is OrderKind.LIST:
        rendered.extend(p.merged_list(hq, built, names, private)[0] for private in (False, True))
    # Messages without a name or a text in them: valid all the same.
    valid(p.order_issued(o, hq, {2: 1, 3: 2}).text)
    valid(p.unit_done(o, village, rows[1]).text)
    valid(p.cancelled(o, g2).text)
    for message in rendered:
        text = valid(message.text)
        assert HOSTILE in text, message.text
        for row in message.buttons:
            for button in row:
                assert "&" not in button.text and "<" not in button.text


@pytest.mark.parametrize("locale", SUPPORTED)
def test_a_boards_child_lines_kept_as_drawn_are_the_lines_drawn_anew(locale: str) -> None:
    """A board's child lines are kept once drawn (`_child_line`): a redraw with the same
    counts is the same text a presenter drawing it anew makes, escaped once, and a
    changed count or language draws its line anew."""
    kept = BotPresenter(TEXTS, FMT)
    village, g1 = unit("v", 2, locale, "hq"), unit("g1", 3, locale, "v")
    o, rows = order(OrderKind.COUNT), states(OrderKind.COUNT)

    def board(p: BotPresenter, done: int, where: UnitRef = village) -> str:
        return p.progress(o, where, [(g1, done, 2)], rows[1], [], NOW).text

    first = board(kept, 1)
    assert board(kept, 1) == first == board(BotPresenter(TEXTS, FMT), 1)
    assert valid(first).count(HOSTILE) >= 1 and "&amp;amp;" not in first
    assert board(kept, 2) == board(BotPresenter(TEXTS, FMT), 2) != first
    other = "en" if locale != "en" else "zh-Hans"
    elsewhere = unit("v", 2, other, "hq")
    assert board(kept, 1, elsewhere) == board(BotPresenter(TEXTS, FMT), 1, elsewhere)


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_incident_message_survives_hostile_reports(locale: str) -> None:
    p = BotIncidentPresenter(TEXTS, FMT)
    landlord, village = unit("l", 3, locale, "v"), unit("v", 2, locale, "hq")
    report = ReturneeReport(
        count=2,
        origin=HOSTILE,
        via=[HOSTILE, "武汉"],
        address=f"{HOSTILE}8幢301",
        phone="13900001111",
        names=[f"{HOSTILE}李"],
        id_numbers=[HOSTILE],
    )
    incident = Incident(
        id=5,
        unit_code="l",
        reporter_id=9,
        chat_id=-100,
        text=f"{HOSTILE} 回来了",
        report=report,
        stage=Stage.OPEN,
        created_at=NOW,
        reported_at=NOW,
    )
    rendered = [
        p.draft(incident, landlord),
        p.alert(incident, landlord, village, None),
        p.alert(incident, landlord, village, timedelta(minutes=20)),
        p.details(incident, landlord, village, PersonRef(name=HOSTILE, telegram_id=9)),
        p.stage(incident, landlord, village),
    ]
    disposed = incident.model_copy(
        update={"stage": Stage.DISPOSED, "disposition": Disposition.CENTRAL}
    )
    rendered += [p.alert(disposed, landlord, village, None), p.stage(disposed, landlord, village)]
    for message in rendered:
        text = valid(message.text)
        assert HOSTILE in text, message.text
        for row in message.buttons:
            for button in row:
                assert "&" not in button.text and "<" not in button.text


# ---------------------------------------------------------------- through the bot


async def test_a_reply_with_markup_characters_gets_its_refusal(issued: Harness) -> None:
    h = issued
    copy = h.copy_in(TS0101_CHAT)
    before = len(await h.said(TS0101_CHAT))
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "<b>5", reply_to=copy)
    await h.drain()
    (line,) = (await h.said(TS0101_CHAT))[before:]
    assert "「<b>5」" in valid(line)
    assert await h.outbox_counts() == {"sent": len(h.session.sends())}
