"""Point this process's Celery app at another broker for one test, as in production (not eager),
and put everything back afterwards (the connection and producer pools included, so no later test
publishes to the wrong place or through a closed pool)."""

from contextlib import contextmanager


def _fresh_pools(app) -> None:
    from kombu import pools

    from core import outbox

    outbox._broker_down_until = 0.0  # a refusal seen on another broker says nothing about this one
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps process-wide connection and producer pools keyed by broker; a worker started in
    # this process (celery.contrib.testing) closes them when it stops. Start over from none.
    pools.reset()


@contextmanager
def celery_on(broker_url: str, *, results: bool = True):
    from oems_portal.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        result_backend=broker_url if results else saved[2],
    )
    _fresh_pools(app)
    try:
        yield app
    finally:
        app.conf.update(task_always_eager=saved[0], broker_url=saved[1], result_backend=saved[2])
        _fresh_pools(app)
