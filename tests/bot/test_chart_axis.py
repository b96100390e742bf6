"""/chart of a long order: the x axis follows the curve, not a far deadline.

An order with a day's deadline answered within minutes used to be drawn on a
1,500-minute axis: the whole curve was a vertical line at the left edge. The
axis now ends shortly after the curve and the deadline is named at the edge;
a deadline near the curve stays drawn as before.
"""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot import charts
from cascade.orders import Order, OrderKind, OrderStatus, TargetState
from cascade.stats import Completion, completion


def answered_in_minutes(deadline: timedelta, last_answer_minute: int = 10) -> Completion:
    start = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
    order = Order(
        id=7,
        issuer_unit="hq",
        issuer_user=1,
        kind=OrderKind.NOTICE,
        text="今晚八点前完成排摸",
        created_at=start,
        deadline_at=start + deadline,
        status=OrderStatus.DONE,
        finished_at=start + timedelta(minutes=last_answer_minute),
    )
    states = [TargetState(order_id=7, unit_code="hq", parent_code=None, level=0, is_root=True)]
    for index in range(last_answer_minute):
        states.append(
            TargetState(
                order_id=7,
                unit_code=f"u{index}",
                parent_code="hq",
                level=2,
                done_at=start + timedelta(minutes=index + 1),
            )
        )
    return completion(order, states, "hq", start + timedelta(hours=30))


def test_a_day_long_order_answered_in_minutes_keeps_its_curve_visible() -> None:
    curve = answered_in_minutes(timedelta(days=1))
    right, deadline_shown = charts.x_range(curve)
    assert not deadline_shown
    assert 10 <= right <= 12  # the curve fills the width, not 1/144 of it
    labels = charts.ChartLabels(
        title="Order #7", xlabel="minutes since issued", ylabel="%", deadline="deadline"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = charts.render(curve, labels)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"


def test_a_near_deadline_stays_on_the_axis() -> None:
    right, deadline_shown = charts.x_range(answered_in_minutes(timedelta(minutes=15)))
    assert deadline_shown and right == 15 * 1.05
