"""A message showing a time left says it as it is when it goes (cascade/countdown.py):
only the words in its countdown's place are written anew, from the moment it counts
down to, and the same words elsewhere in the text (an order's own 5分钟) are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cascade.countdown import counted
from cascade.outgoing import Countdown, OutgoingMessage, Priority

DEADLINE = datetime(2026, 2, 20, 9, 15, tzinfo=UTC)


def words(locale: str, left: timedelta) -> str:
    seconds = round(left.total_seconds())
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}分{rest}秒" if rest else f"{minutes}分钟"


def reminder(text: str, said: str, expires_at: datetime | None = DEADLINE) -> OutgoingMessage:
    at = text.rindex(said)
    return OutgoingMessage(
        chat_id=-1,
        text=text,
        priority=Priority.REMINDER,
        expires_at=expires_at,
        countdown=Countdown(at=at, length=len(said), locale="zh-Hans"),
    )


def test_the_time_left_is_the_one_when_it_goes() -> None:
    queued = reminder("⏰ 指令 #1「5分钟内上报」还剩5分钟：「一组」尚未完成。", "5分钟")
    sent = counted(queued, DEADLINE - timedelta(minutes=2, seconds=41), words)
    assert sent.text == "⏰ 指令 #1「5分钟内上报」还剩2分41秒：「一组」尚未完成。"
    assert sent.countdown is not None
    assert sent.text[sent.countdown.at :][: sent.countdown.length] == "2分41秒"
    again = counted(sent, DEADLINE - timedelta(minutes=1), words)  # a retry, later
    assert again.text == "⏰ 指令 #1「5分钟内上报」还剩1分钟：「一组」尚未完成。"


def test_words_unchanged_leave_the_message_as_it_is() -> None:
    queued = reminder("还剩5分钟：「一组」", "5分钟")
    assert counted(queued, DEADLINE - timedelta(minutes=5), words) is queued


def test_a_message_counting_down_to_nothing_is_left_as_it_is() -> None:
    plain = OutgoingMessage(chat_id=-1, text="还剩5分钟", priority=Priority.REMINDER)
    assert counted(plain, DEADLINE, words) is plain
    timeless = reminder("还剩5分钟", "5分钟", expires_at=None)
    assert counted(timeless, DEADLINE, words) is timeless
