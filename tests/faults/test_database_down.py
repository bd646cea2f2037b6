"""PostgreSQL down: a real web process (gunicorn) reaches the database through this test's own
TCP proxy; stopping the proxy is "PostgreSQL down" for that process (the shared server keeps
running). Every page answers the 503 page within seconds, and the same process serves again as
soon as the proxy is back: no restart."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from .conftest import (
    ROOT,
    TCPProxy,
    needs_postgresql_and_redis,
    port_is_open,
    process_env,
    wait_for,
)

pytestmark = [
    pytest.mark.faults,
    needs_postgresql_and_redis,
    # serialized_rollback: start from the migrated data (fees, towns, thresholds) even after
    # other transactional tests flushed it
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Pages that read the database (a page that does not, such as the empty search form, keeps
# answering 200, as it should).
PAGES = ["/", "/verify/?last_name=Doe", "/public/organizations/", "/courses/"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def web_through_proxy(tmp_path):
    proxy = TCPProxy(int(connection.settings_dict["PORT"] or 5432))
    proxy.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = process_env(DEBUG="false", DATABASE_CONNECT_TIMEOUT=3, DATABASE_CONN_MAX_AGE=60)
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"
        if not db.get("PASSWORD")
        else f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{proxy.port}/{db['NAME']}"
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - the process's lifetime
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "oems_portal.wsgi:application", "-c", "/dev/null"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: port_is_open(port), timeout=60, what="gunicorn")
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        web.terminate()  # only the process this fixture started
        web.wait(timeout=20)
        proxy.stop()
        log.close()


def test_every_page_is_a_503_page_while_the_database_is_down_and_recovers_by_itself(
    web_through_proxy,
):
    base, proxy = web_through_proxy
    for page in PAGES:
        assert _get(base + page)[0] == 200, page

    proxy.stop()  # PostgreSQL down, for this web process
    for page in PAGES:
        started = time.monotonic()
        status, body = _get(base + page)
        elapsed = time.monotonic() - started
        assert status == 503, (page, status, body[:500])
        assert "The portal is temporarily unavailable" in body
        assert "Traceback" not in body
        assert elapsed < 15, f"{page} hung {elapsed:.1f} s"
    health = _get(base + "/healthz")
    assert health[0] == 503

    proxy.start()  # PostgreSQL is back; the web process is not restarted
    started = time.monotonic()
    wait_for(lambda: _get(base + "/")[0] == 200, timeout=30, what="the portal to recover")
    recovered_in = time.monotonic() - started
    for page in PAGES:
        assert _get(base + page)[0] == 200, page
    assert recovered_in < 10
