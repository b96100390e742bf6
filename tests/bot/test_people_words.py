"""bot/people_presenter.py's `/member list`, `/member log`, `/whoami` map and `/score`
confirmation words, in both locales (they were built in the router before)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.people_presenter import MAX_ROLL, PeoplePresenter
from cascade.member_service import Roll
from cascade.people import MemberChange, PersonSeat
from cascade.people_service import Identity, SeatView
from cascade.score_service import ScoreChange
from cascade.scoring import ScoreEntry
from cascade.tower import Position, Role, UnitRef

TEXTS = Texts()
WORDS = PeoplePresenter(TEXTS, Formatter(TEXTS))
AT = datetime(2026, 11, 30, 2, 5, tzinfo=UTC)
UNIT = UnitRef(
    code="ts-01",
    name="塔山<村>",
    level=3,
    kind="village",
    parent="ts",
    chat_id=-1,
    locale="zh-Hans",
)
CHILD = UnitRef(
    code="ts-01-01", name="一组", level=4, kind="group", parent="ts-01", chat_id=None, locale="en"
)
COMMANDER = PersonSeat(
    unit=UNIT,
    seq=1,
    position=Position.COMMANDER,
    name="张三",
    telegram_id=5,
    roles=[Role.HEALTH],
    phone="13812345678",
)
MEMBER = PersonSeat(unit=UNIT, seq=2, position=Position.MEMBER, name="李四")
ROLL = Roll(unit=UNIT, seats=[COMMANDER, MEMBER], child_commanders=[(CHILD, "王五")])


def test_roll_lists_seats_with_masked_phones_then_commanders_below() -> None:
    assert WORDS.roll("zh-Hans", ROLL) == (
        "👥 <b>塔山&lt;村&gt;</b> 成员（3 人）：\n"
        "• 张三（指挥长）健康员 📞138****5678\n"
        "• 李四（成员）\n"
        "• 王五（下级单元「一组」指挥长）"
    )
    assert WORDS.roll("en", ROLL) == (
        "👥 <b>塔山&lt;村&gt;</b> members (3):\n"
        "• 张三 (commander) health officer 📞138****5678\n"
        "• 李四 (member) \n"
        '• 王五 (commander of the unit below "一组")'
    )


def test_roll_shows_at_most_max_roll_lines_but_counts_everyone() -> None:
    seats = [MEMBER.model_copy(update={"seq": i, "name": f"p{i}"}) for i in range(MAX_ROLL + 5)]
    text = WORDS.roll("en", Roll(unit=UNIT, seats=seats, child_commanders=[(CHILD, "王五")]))
    lines = text.split("\n")
    assert lines[0] == f"👥 <b>塔山&lt;村&gt;</b> members ({MAX_ROLL + 6}):"
    assert len(lines) == 1 + MAX_ROLL
    assert "王五" not in text


def test_log_lines_in_the_towers_time_or_none_yet() -> None:
    change = MemberChange(unit_code="ts-01", actor=7, at=AT, action="add", after=MEMBER)
    assert WORDS.log("zh-Hans", UNIT, [change], {"ts-01": UNIT}) == (
        "📝 <b>塔山&lt;村&gt;</b> 及下级单元的成员变更（最近 1 条）：\n"
        '• 11-30 10:05 <a href="tg://user?id=7">7</a> 在「塔山&lt;村&gt;」添加成员：'
        "— → 李四（成员，角色：无）"
    )
    assert WORDS.log("en", UNIT, [change], {}).startswith(
        "📝 Member changes in <b>塔山&lt;村&gt;</b> and below (newest 1):\n"
        '• 11-30 10:05 <a href="tg://user?id=7">7</a> in "ts-01" add a member:'
    )
    assert WORDS.log("zh-Hans", UNIT, [], {}) == "「塔山&lt;村&gt;」及下级单元还没有成员变更记录。"
    assert WORDS.log("en", UNIT, [], {}) == 'No member changes in "塔山&lt;村&gt;" or below yet.'


def test_whoami_map_titles_fall_back_to_english_with_the_id_and_caption() -> None:
    identity = Identity(telegram_id=5, seats=[SeatView(seat=COMMANDER, chain=[UNIT])], commanded=[])
    assert WORDS.map_titles("zh-Hans", identity, 5) == ("张三 在塔群中的位置", "5 in the tower")
    assert WORDS.map_titles("en", identity, 5) == ("张三 in the tower", "5 in the tower")
    assert WORDS.map_caption("zh-Hans", identity) == "🗺 张三 在塔群中的位置"
    assert WORDS.map_caption("en", identity) == "🗺 张三 in the tower"


def test_score_done_escapes_names_and_signs_the_delta() -> None:
    entry = ScoreEntry(
        unit_code="ts-01",
        landlord_id=5,
        landlord_name="张<三>",
        period="2026-11",
        delta=-3,
        reason="迟报<",
        source="manual",
        at=AT,
    )
    change = ScoreChange(entry=entry, total=7, unit=UNIT)
    assert WORDS.score_done("zh-Hans", change) == (
        "✅ 已为 张&lt;三&gt;（塔山&lt;村&gt;）记 -3 分：迟报&lt;。本期现为 7 分，已私信告知本人。"
    )
    assert WORDS.score_done("en", change) == (
        "✅ -3 for 张&lt;三&gt; (塔山&lt;村&gt;): 迟报&lt;. Now 7 this period; told privately."
    )
