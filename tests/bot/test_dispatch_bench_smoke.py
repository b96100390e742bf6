"""The dispatcher benchmark runs end to end on Tashan, with updates handed to the runner,
taken by polling through the inbox, POSTed to the webhook handler over HTTP, or by a bot
alone in a process of its own; handed over and by the webhook also on PostgreSQL (its figures are not checked: speed goals live in
benchmarks/RESULTS.md, never in timed assertions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import dispatch
from cascade.towerfile import load_path
from fixtures import fixture_path
from storage.db import Database
from storage.importer import import_units
from tests.support.pgserver import PgServer


@pytest.mark.parametrize(
    ("overlap", "polling", "bot_process", "webhook"),
    [
        (False, False, False, False),
        (True, False, False, False),
        (False, True, False, False),
        (True, True, True, False),
        (False, False, False, True),
    ],
    ids=["after-copies", "as-copies-arrive", "by-polling", "bot-in-its-own-process", "webhook"],
)
async def test_dispatch_benchmark_runs_an_order_and_its_storm(
    tmp_path: Path, overlap: bool, polling: bool, bot_process: bool, webhook: bool
) -> None:
    db_path = str(tmp_path / "tashan.db")
    async with Database(db_path) as db:
        await import_units(db, load_path(fixture_path("tashan")))

    result = await dispatch.run(
        db_path,
        concurrency=8,
        paid=True,
        status_every=0.2,
        seed=1,
        overlap=overlap,
        polling=polling,
        poll_rtt=0.005 if polling else 0.0,  # a getUpdates' round trip, when polling
        bot_process=bot_process,
        webhook=webhook,
        webhook_connections=4,
    )

    assert result["targets"] == 236  # every unit below HQ: the seeds' 236
    # Every commander pressed 收到; every bottom unit also replied a number.
    assert result["targets"] < result["answers"] < 2 * result["targets"]
    # The root total equals the numbers replied (checked inside the run, which raises).
    assert result["root_total"] > 0
    assert 0 < result["order_confirmation_s"] <= result["all_copies_out_s"]
    assert 0 < result["press_answered_p50_s"] <= result["press_answered_max_s"]
    assert result["status_asked"] >= 1 and result["status_sent_max_s"] > 0
    assert result["answers_per_second"] > 0 and result["peak_rss_mb"] > 0
    # By polling, the answers came in batches of getUpdates (at most 100 a call).
    assert (result["get_updates_calls"] > result["answers"] / 100) == polling
    # Through the webhook, every update was one request answered 200, none refused;
    # a press waited at the server until its request was sent.
    assert (result["webhook_requests_refused"] == 0) == webhook
    assert (result["press_at_server_p50_s"] is not None) == (polling or webhook)
    # The bot's own peak is measured apart only when it ran in a process of its own.
    assert (result["bot_peak_rss_mb"] is not None) == bot_process


@pytest.mark.parametrize(
    ("webhook", "workers"),
    [(False, 0), (True, 0), (True, 1)],
    ids=["handed-over", "webhook", "one-webhook-worker-process"],
)
async def test_dispatch_benchmark_runs_on_postgresql(
    pg_server: PgServer, webhook: bool, workers: int
) -> None:
    url = await pg_server.create_database()
    try:
        async with Database(url) as db:
            await import_units(db, load_path(fixture_path("tashan")))

        result = await dispatch.run(
            url,
            concurrency=8,
            paid=True,
            status_every=0.2,
            seed=1,
            webhook=webhook,
            webhook_connections=4,
            workers=workers,
        )
    finally:
        await pg_server.drop_database(url)

    assert result["targets"] == 236
    assert result["targets"] < result["answers"] < 2 * result["targets"]
    # The root total equals the numbers replied (read from PostgreSQL inside the run),
    # and no reply was handled before its chat's press, on any worker (checked there too).
    assert result["root_total"] > 0
    assert (result["webhook_requests_refused"] == 0) == webhook
    # A worker process: its peak measured apart.
    assert (result["bot_peak_rss_mb"] is not None) == (workers > 0)
