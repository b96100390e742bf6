"""`towerbot parse-report TEXT [--now ISO-DATETIME]`: what the bot would read from a report.

Lets a commander (or a test, or a support chat) see exactly which fields the
parser takes from a message and what it would still ask, without a bot or a
database: one JSON object on stdout, the same shape the bot shows for
confirmation.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from cascade.returnee import SHANGHAI, parse_report, to_json


def main(text: str, now: str | None) -> int:
    """Print the parsed report of `text` as one JSON line; 2 on a bad `now`."""
    if now is None:
        moment = datetime.now(SHANGHAI)
    else:
        try:
            moment = datetime.fromisoformat(now.strip())
        except ValueError:
            print(
                f"towerbot: --now {now!r} is not an ISO date-time (e.g. 2020-02-20T10:00+08:00)",
                file=sys.stderr,
            )
            return 2
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)  # a wall-clock time in China
    report = parse_report(text, moment)
    print(json.dumps(to_json(report), ensure_ascii=False))
    return 0
