"""One count everywhere: the same unit's numbers agree on every screen.

The board of a village said 2/22 while /status said 2/23, 2/236 showed as 0 %,
"等 215 个" read as a total when it was a remainder, and the interim report
listed the same pending units again as late.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiogram.methods import EditMessageText, SendMessage

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.presenter import BotPresenter
from cascade import report as reports
from cascade.orders import Order, OrderKind, TargetState
from cascade.report import ReportFlavour
from cascade.tower import UnitRef
from tests.support.tgfake import (
    HQ_CHAT,
    HQ_COMMANDER,
    TS01_CHAT,
    TS01_COMMANDER,
    TS0101_CHAT,
    TS0101_COMMANDER,
    TS0102_CHAT,
    TS0102_COMMANDER,
    Harness,
)

TEXTS = Texts()
FMT = Formatter(TEXTS)


def test_a_percentage_above_zero_never_shows_zero() -> None:
    assert FMT.percent(2, 236) == "<1"
    assert FMT.percent(0, 236) == "0"
    assert FMT.percent(3, 236) == "1"
    assert FMT.percent(235, 236) == "99"
    assert FMT.percent(236, 236) == "100"
    assert FMT.percent(0, 0) == "100"


async def test_status_board_and_tree_agree_for_a_village(issued: Harness) -> None:
    h = issued
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    await h.app.progress.flush()
    await h.drain()
    board = [
        c.text for c in h.session.calls if isinstance(c, EditMessageText) and c.chat_id == TS01_CHAT
    ][-1]
    await h.send(TS01_CHAT, TS01_COMMANDER, "/status")
    await h.drain()
    status = await h.last(TS01_CHAT)
    (board_count,) = re.findall(r" (\d+/\d+)（", board)
    (status_count,) = re.findall(r"完成 (\d+/\d+)", status)
    assert board_count == status_count == "1/23"
    await h.send(HQ_CHAT, HQ_COMMANDER, "/status")
    await h.drain()
    assert "完成 1/236（&lt;1%）" in await h.last(HQ_CHAT)
    await h.send(HQ_CHAT, HQ_COMMANDER, "/tree")
    await h.drain()
    tree = await h.last(HQ_CHAT)
    (head,) = re.findall(r"共 (\d+) 个", tree)
    (summary,) = re.findall(r"全部 (\d+) 个单元", tree)
    assert head == summary == "237"


NOW = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)


HQ = UnitRef(
    code="hq", name="指挥部", level=0, kind="hq", parent=None, chat_id=-2, locale="zh-Hans"
)


def interim_report(
    units: int, answered_late: int
) -> tuple[reports.OrderReport, dict[str, UnitRef]]:
    """A notice's report 21 minutes in (6 past the deadline) over `units` bottom units
    under HQ, the first `answered_late` answered at minute 20, the rest pending; and
    every unit's name."""
    order = Order(
        id=1,
        issuer_unit="hq",
        issuer_user=1,
        kind=OrderKind.NOTICE,
        text="开会",
        created_at=NOW,
        deadline_at=NOW + timedelta(minutes=15),
    )
    late_at = NOW + timedelta(minutes=20)
    states = [TargetState(order_id=1, unit_code="hq", parent_code=None, level=0, is_root=True)]
    names = {}
    for index in range(units):
        code = f"u{index:02d}"
        done = late_at if index < answered_late else None
        states.append(
            TargetState(
                order_id=1,
                unit_code=code,
                parent_code="hq",
                level=3,
                is_bottom=True,
                acked_at=done,
                done_at=done,
                late=done is not None,
            )
        )
        names[code] = UnitRef(
            code=code,
            name=f"单元{index:02d}",
            level=3,
            kind="grid",
            parent="hq",
            chat_id=-1,
            locale="zh-Hans",
        )
    return reports.build(order, states, "hq", NOW + timedelta(minutes=21)), names


def test_the_interim_report_lists_a_pending_unit_once_and_remainders_as_such() -> None:
    p = BotPresenter(TEXTS, FMT)
    built, names = interim_report(units=30, answered_late=1)
    text = p.final_report(HQ, built, names, ReportFlavour.INTERIM).text
    pending = next(line for line in text.splitlines() if line.startswith("未完成单元"))
    late = next(line for line in text.splitlines() if line.startswith("迟报单元"))
    assert pending.endswith("……另有 9 个")  # 29 pending: 20 named, 9 more
    assert "等" not in pending
    assert late == "迟报单元：单元00"  # answered late; the pending ones are not repeated


def test_a_report_reads_only_the_names_it_shows() -> None:
    """A city's interim report has thousands pending; it is given the names of the
    units it names (20 a list), and says the same as with every name."""
    p = BotPresenter(TEXTS, FMT)
    built, every = interim_report(units=60, answered_late=25)
    named = built.named()
    assert len(named) == 2 * reports.NAMES_SHOWN
    shown = {code: every[code] for code in named}
    text = p.final_report(HQ, built, shown, ReportFlavour.INTERIM).text
    assert text == p.final_report(HQ, built, every, ReportFlavour.INTERIM).text
    assert "……另有 15 个" in text and "……另有 5 个" in text
    assert "单元44" in text and "单元45" not in text and "u" not in text


async def answer_list_order(h: Harness, lines_for: dict[int, str]) -> None:
    from tests.support.tgfake import tower_units

    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 1h list 列出空房")
    await h.drain()
    children = [u for u in tower_units("tashan") if u.parent == "ts-01"]
    for index, unit in enumerate(children):
        assert unit.chat_id is not None and unit.commander is not None
        assert unit.commander.telegram_id is not None
        text = lines_for.get(index, f"{unit.name}无空房")
        await h.send(
            unit.chat_id, unit.commander.telegram_id, text, reply_to=h.copy_in(unit.chat_id)
        )
    await h.drain()


async def test_a_short_merged_list_reaches_the_issuer_with_the_final_report(
    harness: Harness,
) -> None:
    h = harness
    await answer_list_order(h, {0: "溪西村12号\n塔山路3号", 1: "塔山路3号"})
    said = await h.said(TS01_CHAT)
    report = next(t for t in said if "总结报告" in t)
    merged = said[said.index(report) + 1]
    assert merged.startswith("📋 指令 #1 合并清单（去重后 22 条")
    # The group is shown it masked (house numbers hidden), and told where the whole is.
    assert "· 塔山路*号（塔山村第一村民小组、塔山村第二村民小组）" in merged
    assert "塔山路3号" not in merged and "私聊发给发令人" in merged and "/export 1" in merged
    whole = next(t for t in await h.said(TS01_COMMANDER) if "合并清单" in t)
    assert "· 塔山路3号（塔山村第一村民小组、塔山村第二村民小组）" in whole
    assert whole.count("塔山路3号") == 1  # de-duplicated
    assert "私聊" not in whole


async def test_a_cancelled_list_order_still_hands_the_issuer_its_list(
    harness: Harness,
) -> None:
    """Cancelling is the issuer's last word on the order: the lines already sent
    were only in /export, though the cancel report counted them."""
    h = harness
    from tests.support.tgfake import tower_units

    await h.send(TS01_CHAT, TS01_COMMANDER, "/order 1h list 列出空房")
    await h.drain()
    first, second = [u for u in tower_units("tashan") if u.parent == "ts-01"][:2]
    for unit, text in ((first, "溪西村12号\n塔山路3号"), (second, "塔山路3号")):
        assert unit.chat_id is not None and unit.commander is not None
        await h.send(
            unit.chat_id, unit.commander.telegram_id or 0, text, reply_to=h.copy_in(unit.chat_id)
        )
    await h.drain()
    await h.send(TS01_CHAT, TS01_COMMANDER, "/cancel 1")
    await h.drain()
    said = await h.said(TS01_CHAT)
    report = next(t for t in said if "总结报告（已撤销）" in t)
    merged = said[said.index(report) + 1]
    assert merged.startswith("📋 指令 #1 合并清单（去重后")
    assert "· 塔山路*号（塔山村第一村民小组、塔山村第二村民小组）" in merged
    whole = next(t for t in await h.said(TS01_COMMANDER) if "合并清单" in t)
    assert "· 塔山路3号（塔山村第一村民小组、塔山村第二村民小组）" in whole


async def test_a_long_merged_list_comes_as_a_file(harness: Harness) -> None:
    h = harness
    many = "\n".join(f"商城{n}号" for n in range(60))
    await answer_list_order(h, {0: many})
    documents = [c for c in h.session.calls if type(c).__name__ == "SendDocument"]
    by_chat = {d.chat_id: d for d in documents}
    assert len(documents) == 2 and set(by_chat) == {TS01_CHAT, TS01_COMMANDER}
    for document in documents:
        assert document.caption is not None and "合并清单" in document.caption
        data = document.document.data.decode("utf-8-sig")  # type: ignore[union-attr]
        assert data.startswith("条目,上报单元")
    group = by_chat[TS01_CHAT].document.data.decode("utf-8-sig")  # type: ignore[union-attr]
    assert "商城**号,塔山村第一村民小组" in group and "商城59号" not in group
    whole = by_chat[TS01_COMMANDER].document.data.decode("utf-8-sig")  # type: ignore[union-attr]
    assert "商城59号,塔山村第一村民小组" in whole


async def village_numbers(h: Harness) -> dict[str, tuple[int, int] | int]:
    """塔山村's numbers as its board, /status (overall and by level), /pending
    (its count and the units it lists) and /tree say them, read from the texts."""
    await h.app.progress.flush()
    await h.drain()
    board = [
        c.text
        for c in h.session.calls
        if isinstance(c, EditMessageText | SendMessage)
        and c.chat_id == TS01_CHAT
        and c.text.startswith("📊")
    ][-1]
    said = {}
    for command in ("/status", "/pending", "/tree"):
        await h.send(TS01_CHAT, TS01_COMMANDER, command)
        await h.drain()
        said[command] = await h.last(TS01_CHAT)
    status, pending, tree = said["/status"], said["/pending"], said["/tree"]

    def pair(text: str) -> tuple[int, int]:
        done, total = text.split("/")
        return int(done), int(total)

    (board_pair,) = re.findall(r" (\d+/\d+)（", board)
    rows = [line for line in board.splitlines() if re.match(r"[✅⏳] .* \d+/\d+$", line)]
    (status_pair,) = re.findall(r"完成 (\d+/\d+)", status)
    levels = [pair(p) for p in re.findall(r"\d级：(\d+/\d+)", status)]
    (left,) = re.findall(r"未完成 (\d+) 个单元", pending)
    listed = sum(line.startswith("· ") for line in pending.splitlines())
    more = sum(int(n) for n in re.findall(r"另有 (\d+) 个", pending))
    (tree_head,) = re.findall(r"共 (\d+) 个", tree)
    (tree_all,) = re.findall(r"全部 (\d+) 个单元", tree)
    return {
        "board": pair(board_pair),
        "board rows": (sum(line.startswith("✅") for line in rows), len(rows)),
        "status": pair(status_pair),
        "status by level": (sum(d for d, _ in levels), sum(t for _, t in levels)),
        "pending": int(left),
        "pending listed": listed + more,
        "tree": (int(tree_head), int(tree_all)),
    }


def agree(numbers: dict[str, tuple[int, int] | int], done: int, total: int) -> None:
    """Every view of the village says `done` of `total`, /pending the rest."""
    assert numbers["status"] == (done, total), numbers
    assert numbers["board"] == (done, total), numbers
    assert numbers["status by level"] == (done, total), numbers
    assert numbers["pending"] == numbers["pending listed"] == total - done, numbers
    assert numbers["tree"] == (total, total), numbers


async def test_one_units_numbers_agree_on_every_screen_through_an_order(issued: Harness) -> None:
    h = issued
    agree(await village_numbers(h), 0, 23)  # just issued
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "5", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    agree(await village_numbers(h), 1, 23)  # one group answered
    await h.press(h.copy_in(TS01_CHAT), TS01_COMMANDER, "ack:1")  # the village's own 收到
    await h.send(TS0102_CHAT, TS0102_COMMANDER, "3", reply_to=h.copy_in(TS0102_CHAT))
    await h.send(TS0101_CHAT, TS0101_COMMANDER, "6", reply_to=h.copy_in(TS0101_CHAT))
    await h.drain()
    numbers = await village_numbers(h)
    agree(numbers, 2, 23)  # a correction changes the value, not the count
    # The board's rows are the 22 groups below (the village is pending until they are).
    assert numbers["board rows"] == (2, 22)
    h.clock.advance(minutes=15, seconds=1)
    await h.app.deadlines.fire_due()  # past the deadline: the counts stay the same
    await h.drain()
    agree(await village_numbers(h), 2, 23)
