"""The dispatcher benchmark runs end to end on Tashan, with updates handed to the runner,
taken by polling by a bot alone in a process of its own, POSTed to the webhook handler
over HTTP, and on PostgreSQL POSTed round robin to two webhook worker processes (its
figures are not checked: speed goals live in benchmarks/RESULTS.md, never in timed
assertions).

Each case proves a way in that no other case takes: polling without a process of its
own, or one webhook worker process, are parts of the cases kept. `/status` is asked
every 2 s: the HQ group takes 20 messages a minute, so asking every 0.2 s made the run
wait minutes for its replies to be sent, and one ask proves the path as well as many.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import dispatch
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import PgServer


async def on_tashan(db: str, **options: Any) -> dict[str, Any]:
    """The benchmark on Tashan imported into `db` (a file or a URL), as the cases run
    it, with `options` (how the updates come in); checks what every case must show."""
    async with Database(db) as opened:
        await import_units(opened, load_path(fixture_path("tashan")))
    result = await dispatch.run(
        db,
        concurrency=8,
        paid=True,
        status_every=2.0,
        seed=1,
        webhook_connections=4,
        **options,
    )
    assert result["targets"] == 236  # every unit below HQ: the seeds' 236
    # Every commander pressed 收到; every bottom unit also replied a number.
    assert result["targets"] < result["answers"] < 2 * result["targets"]
    # The root total equals the numbers replied (checked inside the run, which raises),
    # and no reply was handled before its chat's press (checked there too).
    assert result["root_total"] > 0
    assert result["status_asked"] >= 1 and result["status_sent_max_s"] > 0
    assert 0 < result["press_answered_p50_s"] <= result["press_answered_max_s"]
    webhook = bool(options.get("webhook"))
    # Through the webhook, every update was one request answered 200, none refused.
    assert (result["webhook_requests_refused"] == 0) == webhook
    return result


@pytest.mark.parametrize(
    ("overlap", "polling", "bot_process", "webhook"),
    [(True, False, False, False), (True, True, True, False), (False, False, False, True)],
    ids=["as-copies-arrive", "bot-in-its-own-process-by-polling", "webhook"],
)
async def test_dispatch_benchmark_runs_an_order_and_its_storm(
    tmp_path: Path, overlap: bool, polling: bool, bot_process: bool, webhook: bool
) -> None:
    result = await on_tashan(
        str(tmp_path / "tashan.db"),
        overlap=overlap,
        polling=polling,
        poll_rtt=0.005 if polling else 0.0,  # a getUpdates' round trip, when polling
        bot_process=bot_process,
        webhook=webhook,
    )
    assert 0 < result["order_confirmation_s"] <= result["all_copies_out_s"]
    assert result["answers_per_second"] > 0 and result["peak_rss_mb"] > 0
    # By polling, the answers came in batches of getUpdates (at most 100 a call).
    assert (result["get_updates_calls"] > result["answers"] / 100) == polling
    # A press waited at the server until it was fetched or its request was sent.
    assert (result["press_at_server_p50_s"] is not None) == (polling or webhook)
    # The bot's own peak is measured apart only when it ran in a process of its own.
    assert (result["bot_peak_rss_mb"] is not None) == bot_process


async def test_two_webhook_workers_round_robin_on_postgresql(pg_server: PgServer) -> None:
    """A chat's press and its reply often reach two workers: each chat stays in order
    across them (bot/worker_order.py) and the storm finishes."""
    url = await pg_server.create_database()
    try:
        result = await on_tashan(url, webhook=True, workers=2)
    finally:
        await pg_server.drop_database(url)
    assert result["webhook_workers"] == 2
    assert result["bot_peak_rss_mb"] is not None  # the workers' processes, measured apart
