"""The loop reports' 未完成单元 list groups the units under their parents.

qa4's interim report read "第1小区、2号房东、…、第1小区、1号房东…": every 小区 has its
1号房东, and by name alone nobody could tell whose landlord was pending. The list is
grouped by parent, a parent named like another headed as `/pending` heads it
(第2街道 › 第1小区), and the units beyond the shown ones still counted (另有 N 个).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.presenter import BotPresenter
from cascade import report as reports
from cascade.distinct_names import distinct_paths
from cascade.orders import Order, OrderKind, TargetState
from cascade.report import ReportFlavour
from cascade.tower import UnitRef
from tests.support.tgfake import HQ_CHAT, HQ_COMMANDER, Harness

TEXTS = Texts()
FMT = Formatter(TEXTS)
NOW = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
# Two streets, each with a 第1小区 of landlords 1号房东…; street code → its name.
STREETS = {"s1": "第1街道", "s2": "第2街道"}


def unit(code: str, name: str, parent: str, level: int, locale: str) -> UnitRef:
    return UnitRef(
        code=code, name=name, level=level, kind="x", parent=parent, chat_id=-1, locale=locale
    )


def built(landlords: int, locale: str) -> tuple[reports.OrderReport, dict[str, UnitRef]]:
    """A notice nobody answered: two streets' 第1小区 and `landlords` landlords in each."""
    order = Order(
        id=1,
        issuer_unit="hq",
        issuer_user=1,
        kind=OrderKind.NOTICE,
        text="开会",
        created_at=NOW,
        deadline_at=NOW + timedelta(minutes=15),
    )
    states = [TargetState(order_id=1, unit_code="hq", parent_code=None, level=0, is_root=True)]
    names: dict[str, UnitRef] = {}
    for street, street_name in STREETS.items():
        names[street] = unit(street, street_name, "hq", 1, locale)
        states.append(TargetState(order_id=1, unit_code=street, parent_code="hq", level=1))
        block = f"{street}-b1"
        names[block] = unit(block, "第1小区", street, 2, locale)
        states.append(TargetState(order_id=1, unit_code=block, parent_code=street, level=2))
        for n in range(1, landlords + 1):
            code = f"{block}-{n:02d}"
            names[code] = unit(code, f"{n}号房东", block, 3, locale)
            states.append(
                TargetState(order_id=1, unit_code=code, parent_code=block, level=3, is_bottom=True)
            )
    return reports.build(order, states, "hq", NOW + timedelta(minutes=21)), names


def headings(names: dict[str, UnitRef]) -> dict[str, list[str]]:
    """As `parent_headings` heads them: a repeated name after its street's."""
    paths = {
        code: ([STREETS[ref.parent]] if ref.parent in STREETS else []) + [ref.name]
        for code, ref in names.items()
        if ref.level in (1, 2)
    }
    return distinct_paths(paths)


def pending_line(locale: str, landlords: int, prefix: str) -> str:
    report, names = built(landlords, locale)
    hq = unit("hq", "指挥部", "", 0, locale).model_copy(update={"parent": None})
    text = (
        BotPresenter(TEXTS, FMT)
        .final_report(hq, report, names, ReportFlavour.INTERIM, None, headings(names))
        .text
    )
    return next(line for line in text.splitlines() if line.startswith(prefix))


def test_same_named_landlords_are_told_apart_by_their_parents() -> None:
    line = pending_line("zh-Hans", 2, "未完成单元")
    assert line == (
        "未完成单元：第1街道、第2街道；第1街道（第1小区）；第1街道 › 第1小区（1号房东、2号房东）；"
        "第2街道（第1小区）；第2街道 › 第1小区（1号房东、2号房东）"
    )


def test_the_units_beyond_the_shown_are_counted_exactly() -> None:
    line = pending_line("zh-Hans", 20, "未完成单元")  # 2 + 2 + 40 pending, 20 shown
    assert line.endswith("……另有 24 个")
    assert line.count("号房东") == 20 - 2  # 20 shown: 第1街道, its 第1小区, 18 landlords


def test_the_english_report_groups_the_same_way() -> None:
    line = pending_line("en", 1, "Not done")
    assert line.endswith("第2街道 (第1小区); 第2街道 › 第1小区 (1号房东)")


async def test_the_cancel_report_groups_the_pending_units_under_their_village(
    issued: Harness,
) -> None:
    h = issued
    await h.send(HQ_CHAT, HQ_COMMANDER, "/cancel")
    await h.drain()
    report = (await h.said(HQ_CHAT))[-1]
    line = next(line for line in report.splitlines() if line.startswith("未完成单元"))
    assert line.startswith("未完成单元：塔山村；塔山村（塔山村第一村民小组、塔山村第二村民小组、")
    assert line.endswith("） ……另有 216 个")  # 236 pending: 20 shown
