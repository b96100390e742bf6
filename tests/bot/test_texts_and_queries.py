"""What people read: `/whoami`, `/help`, English groups, and complete translations.

Units work in Chinese by default and a foreign traders' building in English, so
every message key must exist in both languages, every refusal the code can
raise must have a sentence, and a unit's locale must decide the language of
every message sent into its group.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import ast, parse

from bot.app import COMMANDS
from bot.i18n import LOCALES_DIR, SUPPORTED, Texts
from cascade.orders import OrderKind, OrderStatus
from cascade.tower import Position
from tests.support.pgserver import Engine
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0101_MEMBER,
    UNBOUND_CHAT,
    Harness,
    make_harness,
)

ROOT = Path(__file__).resolve().parents[2]

# futian-shangcheng.yaml: HQ, and fsc-10-03, the foreign traders' building (locale en).
FUTIAN_HQ_CHAT, FUTIAN_HQ_COMMANDER = -1002000010001, 6000010001
EN_CHAT, EN_COMMANDER, EN_MEMBER = -1002000010041, 6000010168, 6000010169
EN_PARENT_CHAT = -1002000010038  # fsc-10, 福田新村 (Chinese)


# ---------------------------------------------------------------- translations


def test_both_locales_have_the_same_message_keys() -> None:
    texts = Texts()
    assert texts.keys("zh-Hans") == texts.keys("en")
    assert len(texts.keys("en")) > 50


def test_pending_marks_stand_apart_from_the_commanders_name_in_english() -> None:
    """/pending appends a mark to "· unit (commander)": "(赵一)(not seen)" ran together."""
    texts = Texts()
    line = texts.get("en", "pending-unit", unit="甲村", commander="赵一")
    for mark in ("pending-unseen", "pending-seen", "pending-seen-below"):
        assert (line + texts.get("en", mark)).startswith("· 甲村 (赵一) ("), mark


def test_each_feature_file_exists_in_every_locale_and_defines_its_own_ids() -> None:
    """Texts are split by feature (colours.ftl, daily.ftl, ...): the same files in
    every locale, and no id in two files (a bundle would keep only one of them)."""
    files = {loc: sorted(p.name for p in (LOCALES_DIR / loc).glob("*.ftl")) for loc in SUPPORTED}
    assert files["en"] == files["zh-Hans"]
    assert {"colours.ftl", "daily.ftl", "incidents.ftl"} <= set(files["en"])
    for locale in SUPPORTED:
        seen: dict[str, str] = {}
        for name in files[locale]:
            resource = parse((LOCALES_DIR / locale / name).read_text(encoding="utf-8"))
            for entry in resource.body:
                if isinstance(entry, ast.Message):
                    assert entry.id.name not in seen, (locale, name, seen.get(entry.id.name))
                    seen[entry.id.name] = name
        assert set(seen) == Texts().keys(locale)


def refusal_keys() -> set[str]:
    """Every `Refused("key")` (and `key="..."`) the bot and the domain can raise."""
    found: set[str] = set()
    for folder in ("bot", "cascade"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for match in re.finditer(
                r'Refused\(\s*"([\w-]+)"(?:\s+if\s+[^"]+\s+else\s+"([\w-]+)")?', source
            ):
                found.update(k for k in match.groups() if k)
            found.update(re.findall(r'\bkey="([\w-]+)"', source))
    return found


def test_every_refusal_has_a_sentence_in_every_locale() -> None:
    keys = refusal_keys()
    assert {"chat-unbound", "not-allowed-order", "bad-count", "no-order"} <= keys
    texts = Texts()
    for locale in SUPPORTED:
        missing = {k for k in keys if f"error-{k}" not in texts.keys(locale)}
        assert missing == set(), locale


def test_every_key_the_bot_names_exists_in_every_locale() -> None:
    used: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:\.get|\bsay)\(\s*[\w.]+,\s*"([a-z0-9-]+)"', source))
    assert {"order-copy", "status", "help", "button-ack"} <= used
    texts = Texts()
    for locale in SUPPORTED:
        assert used - texts.keys(locale) == set(), locale


def test_every_enum_and_command_has_a_text() -> None:
    texts = Texts()
    for locale in SUPPORTED:
        keys = texts.keys(locale)
        assert {f"kind-{k.value}" for k in OrderKind} <= keys
        assert {f"status-{s.value}" for s in OrderStatus} <= keys
        assert {f"position-{p.value}" for p in Position} <= keys
        assert {f"cmd-{c}" for c in COMMANDS} <= keys
        for command in COMMANDS:
            assert len(texts.get(locale, f"cmd-{command}")) <= 256


def test_texts_pick_a_supported_locale() -> None:
    texts = Texts()
    assert texts.pick(None) == "zh-Hans"
    assert texts.pick("en-GB") == "en"
    assert texts.pick("ru") == "zh-Hans"
    assert texts.get("en", "level-name", level=0) == "HQ"
    assert texts.get("zh-Hans", "level-name", level=0) == "指挥部"
    assert texts.get("zh-Hans", "level-name", level=3) == "3级"
    with pytest.raises(KeyError):
        texts.get("en", "no-such-key")


def test_numbers_are_plain_digits() -> None:
    texts = Texts()
    assert texts.get("zh-Hans", "total-count", value=1024) == "合计 <b>1024</b>。"
    assert texts.get("en", "total-count", value=12345) == "Total <b>12345</b>."


# ---------------------------------------------------------------- queries


async def test_whoami_shows_the_chain_up_to_hq(harness: Harness) -> None:
    await harness.send(TS0101_CHAT, TS0101_COMMANDER, "/whoami")
    await harness.drain()
    text, caption = await harness.said(TS0101_CHAT)
    assert text.startswith("🙋 <b>亮身份</b>\n• 塔山村第一村民小组（3级，指挥长）角色：无\n")
    assert "📋 <b>亮职责</b>\n• 指挥长：" in text
    assert "指挥链：塔山区块指挥部 → 塔山村 → 塔山村第一村民小组" in text
    assert caption == "🗺 任宁 在塔群中的位置"


async def test_whoami_for_a_member_and_for_a_stranger(harness: Harness) -> None:
    await harness.send(TS0101_CHAT, TS0101_MEMBER, "/whoami")
    await harness.send(UNBOUND_CHAT, 77, "/whoami")
    await harness.drain()
    text, _ = await harness.said(TS0101_CHAT)
    assert "• 塔山村第一村民小组（3级，成员）" in text and "• 成员：" in text
    assert await harness.last(UNBOUND_CHAT) == "您还不在任何单元中。请联系上级指挥长把您加入塔群。"


async def test_whoami_for_the_hq_commander(harness: Harness) -> None:
    await harness.send(HQ_CHAT, HQ_COMMANDER, "/whoami")
    await harness.drain()
    text, _ = await harness.said(HQ_CHAT)
    assert "• 塔山区块指挥部（指挥部，指挥长）" in text and "指挥链：塔山区块指挥部\n" in text
    assert "指挥 塔山区块指挥部：下级 12 个单元（共 236 个）" in text


async def test_help(harness: Harness) -> None:
    await harness.send(TS01_CHAT, TS01_COMMANDER, "/help")
    await harness.send(UNBOUND_CHAT, 77, "/start", language="en")
    await harness.drain()
    (zh,) = await harness.said(TS01_CHAT)
    assert zh.startswith("<b>塔群机器人</b>")
    for command in ("/order", "/status", "/pending", "/cancel", "/whoami", "/report"):
        assert command in zh
    (en,) = await harness.said(UNBOUND_CHAT)
    assert en.startswith("<b>Tower bot</b>")


async def test_help_in_an_unbound_chat_follows_the_persons_language(harness: Harness) -> None:
    await harness.send(UNBOUND_CHAT, 77, "/status", language="en")
    await harness.send(UNBOUND_CHAT, 78, "/status", language=None)
    await harness.drain()
    en, zh = await harness.said(UNBOUND_CHAT)
    assert en.startswith("This group is not bound to any unit")
    assert zh.startswith("本群尚未绑定到任何单元")


# ---------------------------------------------------------------- an English unit


async def test_english_unit_gets_english_texts(engine: Engine, tmp_path: Path) -> None:
    h = await make_harness(tmp_path, tower="futian-shangcheng", admins=frozenset(), engine=engine)
    try:
        await h.send(FUTIAN_HQ_CHAT, FUTIAN_HQ_COMMANDER, "/order 20m count 统计外商人数")
        await h.drain()
        assert "发往 50 个单元" in await h.last(FUTIAN_HQ_CHAT)

        (copy_text,) = await h.said(EN_CHAT)
        assert copy_text.startswith("📢 <b>Order #1</b> (count)")
        assert "From: 福田街道作战指挥部" in copy_text and "统计外商人数" in copy_text
        assert "<b>reply to this message</b>" in copy_text
        copy = h.copy_in(EN_CHAT)
        assert copy.reply_markup is not None
        assert copy.reply_markup.inline_keyboard[0][0].text == "✅ Received"
        # Its Chinese parent still reads Chinese.
        assert (await h.said(EN_PARENT_CHAT))[0].startswith("📢 <b>指令 #1</b>")

        await h.press(copy, EN_MEMBER, copy.reply_markup.inline_keyboard[0][0].callback_data or "")
        await h.send(EN_CHAT, EN_COMMANDER, "abc", reply_to=copy, language="zh-hans")
        answer = await h.send(EN_CHAT, EN_COMMANDER, "12", reply_to=copy)
        await h.send(EN_CHAT, EN_COMMANDER, "/status")
        await h.send(EN_CHAT, EN_COMMANDER, "/whoami")
        await h.send(EN_CHAT, EN_COMMANDER, "/help")
        await h.drain()
        (alert,) = h.session.answers()
        assert alert.show_alert and alert.text is not None
        assert alert.text.startswith("Only the commander or a deputy of")
        _, bad, status, whoami, _map, help_text = await h.said(EN_CHAT)
        assert bad.startswith('Order #1 needs a number: "abc" is not one.')
        assert h.session.reactions(EN_CHAT) == [(answer.message_id, "👌")]  # recorded
        assert "Done 1/1 (100%)" in status and "Total so far: <b>12</b>" in status
        assert "(level 3, commander) roles: none" in whoami
        assert "Chain of command: 福田街道作战指挥部 → 福田商城社区 → 福田新村 → " in whoami
        assert help_text.startswith("<b>Tower bot</b>")
    finally:
        await h.app.stop()
