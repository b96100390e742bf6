"""The guided /returnee form keeps every answer, skipped or typed.

A landlord answered 3 / 温州 / 跳过 / 今晚 / 一区8幢2单元301 / 13900001111 and got a
draft "人数：未知 … 住址：未知 … ❓ 还缺：人数、住址": the answers were glued into a
sentence and parsed again. Each answer is now read as the field it answers.
"""

from __future__ import annotations

from aiogram.types import Chat, Message

from bot.callbacks import ReturneeFormCallback
from cascade.returnee import is_skip, report_from_answers
from tests.support.tgfake import TS0101_CHAT, TS0101_MEMBER, Harness


async def say_privately(h: Harness, user_id: int, text: str) -> None:
    """An answer in the private chat, and the next prompt delivered."""
    await h.private(user_id, text)
    await h.drain()


def last_prompt(h: Harness, user_id: int) -> Message:
    return h.session.sent_messages(user_id)[-1]


async def skip(h: Harness, user_id: int, step: str) -> None:
    prompt = last_prompt(h, user_id).model_copy(update={"chat": Chat(id=user_id, type="private")})
    await h.press(prompt, user_id, ReturneeFormCallback(step=step).pack())
    await h.drain()


async def start(h: Harness) -> None:
    await h.send(TS0101_CHAT, TS0101_MEMBER, "/returnee")
    await h.drain()


async def draft(h: Harness) -> str:
    text = await h.last(TS0101_CHAT)
    assert text.startswith("📝 返回人员上报"), text
    return text


async def test_the_landlords_answers_all_reach_the_draft(harness: Harness) -> None:
    h = harness
    await start(h)
    prompts = []
    for answer in ("3", "温州", "跳过", "今晚", "一区8幢2单元301", "13900001111"):
        prompts.append(last_prompt(h, TS0101_MEMBER).text)
        await say_privately(h, TS0101_MEMBER, answer)
    assert len(set(prompts)) == 6  # one question per step, each asked once
    text = await draft(h)
    assert "人数：3" in text and "来自：温州" in text and "途经：未知" in text
    assert "住址：一区*幢*单元***" in text  # masked in the group, but there
    assert "联系电话：139" in text
    assert "到达：2月20日晚上" in text  # 今晚: the day and the part of day said
    assert "还缺" not in text
    assert "\n\n" not in text  # no blank line where the questions would be
    assert "13900001111" not in text and "301" not in text  # personal data masked


async def test_skip_buttons_leave_exactly_those_fields_open(harness: Harness) -> None:
    h = harness
    await start(h)
    await say_privately(h, TS0101_MEMBER, "两个")
    await say_privately(h, TS0101_MEMBER, "湖北孝感")
    await say_privately(h, TS0101_MEMBER, "武汉")
    await skip(h, TS0101_MEMBER, "arrival")
    await say_privately(h, TS0101_MEMBER, "7号楼2单元501")
    await skip(h, TS0101_MEMBER, "phone")
    text = await draft(h)
    assert "人数：2" in text and "湖北孝感" in text and "途经：武汉" in text
    assert "❓ 还缺：到达时间、联系电话" in text
    assert "🔴" in text or "🟡" in text


async def test_an_estimate_is_asked_again_once_then_left_to_the_draft(harness: Harness) -> None:
    h = harness
    await start(h)
    await say_privately(h, TS0101_MEMBER, "两三个")
    again = last_prompt(h, TS0101_MEMBER)
    assert (again.text or "").startswith("「两三个」是估计数"), again.text
    assert "几个人回来" in (again.text or "")  # the count asked again, not the origin
    for answer in ("七八个", "湖南", "无", "明天", "溪西村12号", "13600001111"):
        await say_privately(h, TS0101_MEMBER, answer)
    text = await draft(h)
    assert "人数：未知" in text and "❓ 还缺：人数" in text
    assert "23" not in text and "78" not in text


async def test_the_exact_number_after_an_estimate_is_the_count(harness: Harness) -> None:
    h = harness
    await start(h)
    for answer in ("七八个", "8", "湖南", "无", "明天", "溪西村12号", "13600001111"):
        await say_privately(h, TS0101_MEMBER, answer)
    text = await draft(h)
    assert "人数：8" in text and "来自：湖南" in text


async def test_a_skipped_answer_from_a_stale_button_is_refused(harness: Harness) -> None:
    h = harness
    await start(h)
    await say_privately(h, TS0101_MEMBER, "3")
    await say_privately(h, TS0101_MEMBER, "温州")  # now at "via"
    await skip(h, TS0101_MEMBER, "phone")  # a button of a step not reached
    assert h.session.answers()[-1].show_alert
    await skip(h, TS0101_MEMBER, "via")
    assert "到达" in last_prompt(h, TS0101_MEMBER).text or "什么时候" in (
        last_prompt(h, TS0101_MEMBER).text or ""
    )


def test_each_answer_is_read_as_its_own_field() -> None:
    from datetime import UTC, datetime

    now = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
    report = report_from_answers(
        {
            "count": "我和丈夫2人",
            "origin": "湖北孝感",
            "via": "武汉、长沙",
            "arrival": "明天下午3点",
            "address": "宿舍",
            "phone": "0579-85512345",
        },
        now,
    )
    assert report.count == 2 and report.origin == "湖北孝感"
    assert report.via == ["武汉", "长沙"]
    assert report.arrival is not None and report.address == "宿舍"
    assert report.phone == "0579-85512345" and report.questions == []
    assert report_from_answers({}, now).questions == [
        "count",
        "origin",
        "arrival",
        "address",
        "phone",
    ]
    assert report_from_answers({"count": "十几"}, now).count is None
    assert is_skip("跳过") and is_skip(" 无。") and not is_skip("无锡")


async def test_an_answer_not_of_its_steps_kind_is_asked_again(harness: Harness) -> None:
    """qa4 answered "3" to 从哪里回来 and got 来自：3; a phone number to 住在哪里."""
    h = harness
    await start(h)
    await say_privately(h, TS0101_MEMBER, "3")
    steps = (
        ("3", "「3」不是地名"),  # origin
        ("湖北孝感", None),
        ("110", "「110」不是地名"),  # via
        ("明天", "「明天」不是地名"),  # a time, not a place
        ("跳过", None),  # 跳过 still skips
        ("13900001111", "「13900001111」不是时间"),  # arrival
        ("明天", None),
        ("13900001111", "「13900001111」不是住址"),  # address
        ("201", "「201」不是住址"),
        ("5幢101", None),
        ("5幢101", "「5幢101」不是电话号码"),  # phone
    )
    for answer, refused in steps:
        before = last_prompt(h, TS0101_MEMBER).text or ""
        await say_privately(h, TS0101_MEMBER, answer)
        shown = last_prompt(h, TS0101_MEMBER)
        if refused is not None:
            assert (shown.text or "").startswith(refused), shown.text
            assert "\n" not in (shown.text or "")  # one line
            assert shown.reply_markup is not None  # 跳过 still offered
            assert before != shown.text
    await say_privately(h, TS0101_MEMBER, "13900001111")
    text = await draft(h)
    assert "来自：湖北孝感" in text and "途经：未知" in text and "住址：*幢***" in text
    assert "联系电话：139" in text and "来自：3" not in text


def test_each_step_knows_its_kind_in_either_language() -> None:
    from datetime import UTC, datetime

    from bot.i18n import Texts
    from cascade.returnee import misfit

    now = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
    assert misfit("origin", "3", now) and misfit("origin", "13900001111", now)
    assert not misfit("origin", "湖北孝感", now) and not misfit("origin", "Wenzhou", now)
    assert misfit("address", "电话13900001111", now) and misfit("address", "201", now)
    assert not misfit("address", "3幢201", now) and not misfit("address", "12 Main Street", now)
    assert misfit("phone", "5幢101", now) and not misfit("phone", "0571-88888888", now)
    assert misfit("via", "明天下午", now) and not misfit("via", "天津", now)
    assert misfit("arrival", "3", now) and misfit("arrival", "13900001111", now)
    assert not misfit("arrival", "春节后", now)  # vague: the draft asks about it
    texts = Texts()
    for step in ("origin", "via", "arrival", "address", "phone"):
        english = texts.get("en", f"returnee-form-{step}-again", value="3")
        chinese = texts.get("zh-Hans", f"returnee-form-{step}-again", value="3")
        assert english.startswith('"3" is not a') and chinese.startswith("「3」不是")
