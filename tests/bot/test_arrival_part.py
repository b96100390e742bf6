"""A returnee's arrival shows the part of day the reporter said ("今晚到": 2月20日晚上).

The draft, the alert and the card showed only the date of "今晚到", and the commander
deciding on the returnees could not tell tonight from this morning. The day stays the
arrival's value (scored, and what observation counts from); the part is shown beside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.incident_presenter import BotIncidentPresenter
from tests.support.tgfake import TS01_CHAT, TS0101_CHAT, TS0101_MEMBER, Harness

REPORT = "/returnee 租客老李一家3口从湖南长沙回来，今晚到，住一区8幢2单元301，电话13900001111"


async def test_tonight_is_shown_in_the_draft_and_the_alert(harness: Harness) -> None:
    h = harness  # the clock says 2020-02-20 16:00 in Shanghai
    await h.send(TS0101_CHAT, TS0101_MEMBER, REPORT)
    await h.drain()
    draft = h.prompt_in(TS0101_CHAT)
    assert draft.text is not None and "到达：2月20日晚上" in draft.text
    assert draft.reply_markup is not None
    await h.press(
        draft, TS0101_MEMBER, draft.reply_markup.inline_keyboard[0][0].callback_data or ""
    )
    await h.drain()
    assert "到达：2月20日晚上" in await h.last(TS01_CHAT)  # the alert to the commander above


def test_the_part_of_day_in_both_languages_and_a_day_or_an_hour_alone() -> None:
    texts = Texts()
    arrival = BotIncidentPresenter(texts, Formatter(texts))._arrival
    assert arrival("zh-Hans", date(2020, 2, 21), "morning") == "2月21日上午"
    assert arrival("en", date(2020, 2, 20), "evening") == "20 Feb, evening"
    assert arrival("zh-Hans", date(2020, 2, 21), None) == "2月21日"
    hour = datetime(2020, 2, 21, 10, 5, tzinfo=UTC)
    assert arrival("zh-Hans", hour, None) == "2月21日 18:05"
    assert arrival("en", hour + timedelta(days=1), None) == "22 Feb 18:05"
