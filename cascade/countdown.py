"""A message that shows a time left says it as it is when it goes.

Why: a reminder ("还剩5分钟") waits in the outbox behind its group's budget (about
20 messages a minute) and the sender's pace, and a city order queues ~37,000 of
them; one sent two minutes late still said 5分钟. Re-rendering each from the order
and its unit would read the database per row as it is claimed, so the message
carries where its text shows the time left (`Countdown`) and the moment it counts
down to (`expires_at`), and only those words are written anew, in the claim's
transaction: no read at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from cascade.outgoing import OutgoingMessage

# The time left in a locale's words (the presenter's `time_left`).
Words = Callable[[str, timedelta], str]


def counted(message: OutgoingMessage, now: datetime, words: Words) -> OutgoingMessage:
    """`message` with the time left until its `expires_at` as of `now`, in its
    countdown's place (itself when it counts down to nothing or shows it already)."""
    countdown, moment = message.countdown, message.expires_at
    if countdown is None or moment is None:
        return message
    said = str(words(countdown.locale, moment - now))  # HTML already, spliced as is
    end = countdown.at + countdown.length
    if message.text[countdown.at : end] == said:
        return message
    text = message.text[: countdown.at] + said + message.text[end:]
    place = countdown.model_copy(update={"length": len(said)})
    return message.model_copy(update={"text": text, "countdown": place})
