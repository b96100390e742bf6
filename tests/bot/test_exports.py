"""`/export`, `/chart` and `/stats` through the real dispatcher, outbox and sender.

A chief asks for the evidence of a loop in the Tashan tower: the CSV must hold
every unit of the asking chat's subtree with what it answered and when (read
back with `csv`, as Excel would), the chart must be a real PNG of phone size
sent as a photo, and the statistics must count the right orders. Bad input gets
one line, like every other command.
"""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import SendDocument, SendPhoto
from aiogram.types import BufferedInputFile, Message
from PIL import Image

from bot import charts
from bot.formatting import Formatter
from bot.i18n import Texts
from bot.routers.order_stats import stats_days
from bot.stats_presenter import chart_caption, export_caption, pick_labels
from cascade.export import COLUMNS, OrderExport
from cascade.orders import Order, OrderKind, TargetState
from cascade.stats import Completion, completion
from tests.support.colour_builders import ref
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    TS0102_COMMANDER,
    UNBOUND_CHAT,
    Harness,
    tower_units,
)

TASHAN = list(tower_units("tashan"))
TS01_CHILDREN = [u for u in TASHAN if u.parent == "ts-01"]


def ack_data(copy: Message) -> str:
    assert copy.reply_markup is not None
    data = copy.reply_markup.inline_keyboard[0][0].callback_data
    assert data is not None
    return data


async def loop_in_progress(h: Harness) -> None:
    """HQ's count order #1: ts-01 receives at 1 min, two of its groups answer, one late."""
    await h.send(HQ_CHAT, HQ_COMMANDER, "/order 15m count 统计外地人数")
    await h.drain()
    h.clock.advance(minutes=1)
    copy = h.copy_in(TS01_CHAT)
    await h.press(copy, TS01_COMMANDER, ack_data(copy))
    h.clock.advance(minutes=1)
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "五", reply_to=h.copy_in(TS0101_CHAT))
    h.clock.advance(minutes=15)  # 17 minutes in: past the deadline
    await h.send(TS0102_CHAT, TS0102_COMMANDER, "12", reply_to=h.copy_in(TS0102_CHAT))
    await h.drain()
    h.session.clear()


def documents(h: Harness, chat_id: int) -> list[SendDocument]:
    return [c for c in h.session.calls if isinstance(c, SendDocument) and c.chat_id == chat_id]


def photos(h: Harness, chat_id: int) -> list[SendPhoto]:
    return [c for c in h.session.calls if isinstance(c, SendPhoto) and c.chat_id == chat_id]


def file_bytes(method: SendDocument | SendPhoto) -> tuple[str | None, bytes]:
    upload = method.document if isinstance(method, SendDocument) else method.photo
    assert isinstance(upload, BufferedInputFile)
    return upload.filename, upload.data


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


# ---------------------------------------------------------------- /export


async def test_export_in_hq_has_every_unit_of_the_order(harness: Harness) -> None:
    h = harness
    await loop_in_progress(h)
    await h.send(HQ_CHAT, HQ_COMMANDER, "/export")
    await h.drain()
    # The file goes to the commander who asked, privately; the group gets one line.
    assert documents(h, HQ_CHAT) == []
    (sent,) = documents(h, HQ_COMMANDER)
    assert sent.caption == "📄 指令 #1 明细（塔山区块指挥部范围）：236 个单元"
    filename, data = file_bytes(sent)
    assert filename == "order-1.csv"
    rows = {r["code"]: r for r in read_csv(data)}
    assert len(rows) == 236 and "tashan" not in rows
    # The fake clock starts at 2020-02-20 08:00 UTC, 16:00 in Shanghai.
    assert rows["ts-01"] == {
        "code": "ts-01",
        "name": "塔山村",
        "level": "2",
        "parent": "tashan",
        "commander": "李强",
        "received_at": "2020-02-20T16:01:00+08:00",
        "answered_at": "2020-02-20T16:01:00+08:00",
        "value": "",
        "late": "no",
        "done_at": "",
    }
    assert rows["ts-01-01"] == {
        "code": "ts-01-01",
        "name": "塔山村第一村民小组",
        "level": "3",
        "parent": "ts-01",
        "commander": "任宁",
        "received_at": "2020-02-20T16:02:00+08:00",
        "answered_at": "2020-02-20T16:02:00+08:00",
        "value": "5",
        "late": "no",
        "done_at": "2020-02-20T16:02:00+08:00",
    }
    late = rows["ts-01-02"]
    assert (late["value"], late["late"], late["answered_at"], late["done_at"]) == (
        "12",
        "yes",
        "2020-02-20T16:17:00+08:00",
        "2020-02-20T16:17:00+08:00",
    )
    untouched = rows["ts-02"]
    assert untouched["received_at"] == untouched["done_at"] == "" and untouched["late"] == "no"


async def test_export_in_a_village_group_is_its_subtree(harness: Harness) -> None:
    h = harness
    await loop_in_progress(h)
    await h.send(TS01_CHAT, TS01_COMMANDER, "/export 1")
    await h.drain()
    (sent,) = documents(h, TS01_COMMANDER)
    codes = [r["code"] for r in read_csv(file_bytes(sent)[1])]
    assert codes == ["ts-01", *(u.code for u in TS01_CHILDREN)]
    assert sent.caption == f"📄 指令 #1 明细（塔山村范围）：{1 + len(TS01_CHILDREN)} 个单元"


# ---------------------------------------------------------------- /chart


async def test_chart_is_a_phone_sized_png_sent_as_a_photo(harness: Harness) -> None:
    h = harness
    await loop_in_progress(h)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await h.send(HQ_CHAT, HQ_COMMANDER, "/chart")
        await h.drain()
    assert not [w for w in caught if "glyph" in str(w.message).lower()]
    (sent,) = photos(h, HQ_CHAT)
    assert sent.caption == "📈 指令 #1 完成曲线（塔山区块指挥部范围）：完成 2/236（&lt;1%）"
    filename, data = file_bytes(sent)
    assert filename == "order-1.png"
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 800))
    assert not documents(h, HQ_CHAT) and not h.session.sends(HQ_CHAT)  # one photo, nothing else


def sample_completion() -> Completion:
    start = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
    order = Order(
        id=42,
        issuer_unit="tashan",
        issuer_user=1,
        kind=OrderKind.COUNT,
        text="统计外地人数",
        created_at=start,
        deadline_at=start + timedelta(minutes=15),
    )
    states = [TargetState(order_id=42, unit_code="tashan", parent_code=None, level=0, is_root=True)]
    for index in range(12):
        states.append(
            TargetState(
                order_id=42,
                unit_code=f"v{index}",
                parent_code="tashan",
                level=2,
                done_at=start + timedelta(seconds=120 + 60 * index) if index < 10 else None,
            )
        )
    return completion(order, states, "tashan", start + timedelta(minutes=20))


def render_checked(curve: Completion, labels: charts.ChartLabels) -> None:
    assert charts.renderable(labels.texts())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would be a UserWarning
        data = charts.render(curve, labels)
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (charts.WIDTH_PX, charts.HEIGHT_PX))


def test_chart_in_chinese_when_a_cjk_font_is_installed() -> None:
    curve = sample_completion()
    labels = pick_labels(Texts(), "zh-Hans", curve, "塔山区块指挥部", "tashan")
    if charts.cjk_font() is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk): the English fallback is tested below")
    assert labels.title == "指令 #42 完成进度（塔山区块指挥部）"
    assert labels.lines == {2: "2级（10/12）", None: "合计（10/12）"}
    render_checked(curve, labels)


def test_chart_falls_back_to_ascii_labels_without_a_cjk_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert not charts.renderable(["塔山"])  # DejaVu Sans alone has no Chinese
    curve = sample_completion()
    labels = pick_labels(Texts(), "zh-Hans", curve, "塔山区块指挥部", "tashan")
    assert labels.title == "Order #42: units done (tashan)"  # the unit by its code
    assert (labels.xlabel, labels.deadline) == ("minutes since issued", "deadline")
    assert labels.lines == {2: "Level 2 (10/12)", None: "Total (10/12)"}
    assert all(text.isascii() for text in labels.texts())
    render_checked(curve, labels)


def test_captions_name_the_order_the_subtree_and_the_count_in_each_locale() -> None:
    texts, curve = Texts(), sample_completion()
    fmt = Formatter(texts)
    unit = ref("tashan", None, 0, "塔山区块指挥部")
    assert chart_caption(texts, fmt, "zh-Hans", unit, curve) == (
        "📈 指令 #42 完成曲线（塔山区块指挥部范围）：完成 10/12（83%）"
    )
    assert chart_caption(texts, fmt, "en", unit, curve) == (
        "📈 Order #42 completion (塔山区块指挥部 and below): 10/12 done (83%)"
    )
    view = OrderExport(order=curve.order, scope="tashan", rows=[])
    assert export_caption(texts, "en", unit, view) == (
        "📄 Order #42 details (塔山区块指挥部 and below): 0 units"
    )


# ---------------------------------------------------------------- /stats


async def test_stats_count_the_orders_of_the_unit(harness: Harness) -> None:
    h = harness
    await loop_in_progress(h)  # order #1 from HQ, overdue, ts-01's subtree not finished
    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 10m notice 今晚8点开会")  # order #2
    await h.drain()
    for unit in TS01_CHILDREN:  # one "收到" every 10 s: the last at 3m40s
        h.clock.advance(seconds=10)
        copy = h.copy_in(unit.chat_id or 0)
        assert unit.commander is not None and unit.commander.telegram_id is not None
        await h.press(copy, unit.commander.telegram_id, ack_data(copy))
    await h.drain()
    h.session.clear()

    await h.send(TS01_CHAT, TS01_COMMANDER, "/stats")
    await h.drain()
    text = await h.last(TS01_CHAT)
    lines = text.split("\n")
    assert lines[:5] == [
        "📊 <b>近 7 天统计</b>（塔山村）",
        "指令 2 条，全部完成 1 条",
        "完成 100% 用时（中位数）：3分40秒",
        "按时完成：1/2（50%）",
        "回复最慢的单元（回复用时中位数）：",
    ]
    # Units that missed HQ's order and answered ts-01's: median of (missed, answered) = no answer.
    assert lines[5] == "1. 塔山村第三村民小组（3级）：未回复，回复 1/2"
    assert len(lines) == 10


async def test_stats_of_a_quiet_unit(harness: Harness) -> None:
    h = harness
    await h.send(TS01_CHAT, TS01_COMMANDER, "/stats 30")
    await h.drain()
    assert await h.last(TS01_CHAT) == "📊 近 30 天「塔山村」没有收到或发出过指令。"


# ---------------------------------------------------------------- one line per bad input


BAD_INPUT = [
    (HQ_CHAT, "/stats abc", "天数「abc」不对：请写 1 到 90 之间的整数，例如 /stats 7。"),
    (HQ_CHAT, "/stats 1000", "天数「1000」不对：请写 1 到 90 之间的整数，例如 /stats 7。"),
    (HQ_CHAT, "/stats 0", "天数「0」不对：请写 1 到 90 之间的整数，例如 /stats 7。"),
    (HQ_CHAT, "/export 99999", "没有编号为 #99999 的指令。"),
    (HQ_CHAT, "/chart 99999", "没有编号为 #99999 的指令。"),
    (HQ_CHAT, "/export abc", "指令号「abc」不对"),
    (HQ_CHAT, "/chart", "「塔山区块指挥部」还没有收到或发出过指令。"),
    (UNBOUND_CHAT, "/export", "本群尚未绑定到任何单元"),
    (UNBOUND_CHAT, "/stats", "本群尚未绑定到任何单元"),
]


async def test_bad_input_gets_one_line(harness: Harness) -> None:
    h = harness
    for chat_id, text, expected in BAD_INPUT:  # one tower for all: a harness takes a second
        before = len(await h.said(chat_id))
        await h.send(chat_id, HQ_COMMANDER, text)
        await h.drain()
        (line,) = (await h.said(chat_id))[before:]
        # (Fluent groups the digits of int arguments: see test_numbers_are_plain_digits)
        assert line.replace(",", "").startswith(expected), (text, line)
    assert not [c for c in h.session.calls if isinstance(c, SendDocument | SendPhoto)]
    assert await h.outbox_counts() == {"sent": len(BAD_INPUT)}


@pytest.mark.parametrize(
    ("args", "days"), [(None, 7), ("", 7), (" 30 ", 30), ("30d", 30), ("14天", 14), ("90", 90)]
)
def test_days_argument(args: str | None, days: int) -> None:
    assert stats_days(args) == days
