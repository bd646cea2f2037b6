"""A real Celery worker, started by the test against the Redis broker, runs a task.

Runs only when REDIS_URL is set (CI sets it); without it the portal runs tasks in-process and
there is no broker to test against.
"""

import os

import pytest

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker

    from oems_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = saved


def test_a_real_worker_runs_a_task_through_redis(real_worker):
    from core.tasks import ping

    result = ping.apply_async(ignore_result=False)  # results are off by default (settings)
    assert result.get(timeout=30) == "pong"
    assert result.state == "SUCCESS"
