"""The fault suite's tools: each test starts and stops its OWN extra Redis (ports 6391-6392 here;
benchmarks/faults.py uses 6393-6394, so both can run at once), its
own worker processes, its own SMTP server and its own TCP proxy in front of PostgreSQL. The
machine's shared PostgreSQL and Redis are never stopped.

Everything here needs PostgreSQL (a worker in another process must see the test's committed
rows) and redis-server; on SQLite the suite skips and says so. ``.ci/run`` runs it on both.
"""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.celery_broker import celery_on  # noqa: F401 - the suite's tests import it from here

ROOT = Path(__file__).resolve().parents[2]

needs_postgresql_and_redis = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("redis-server"),
    reason="the fault suite needs PostgreSQL (DATABASE_URL) and redis-server; .ci/run has both",
)


def wait_for(condition, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class ExtraRedis:
    """A private redis-server on ``port``, started and stopped by the test (never the shared one)."""

    def __init__(self, port: int):
        assert 6391 <= port <= 6394, "the fault suite's own ports"
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        assert not port_is_open(self.port), f"port {self.port} is taken"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: port_is_open(self.port), timeout=10, what=f"redis on {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()  # only the process this object started
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def extra_redis():
    started = []

    def make(port):
        redis = ExtraRedis(port)
        started.append(redis)
        return redis

    yield make
    for redis in started:
        redis.stop()


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


def process_env(**overrides) -> dict:
    """The environment of a worker or web process working on this test's database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "EMAIL_URL", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="oems_portal.settings",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DATABASE_CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class WorkerProcess:
    """``celery worker`` in its own process group, so SIGKILL takes all of it at once."""

    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.process = None

    def start(self):
        handle = open(self.log, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "oems_portal", "worker", "--pool=solo"]
            + ["--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to ack or requeue anything."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path):
    started = []

    def make(**env):
        worker = WorkerProcess(process_env(**env), tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker.start()

    yield make
    for worker in started:
        worker.stop()


class SMTPRecorder:
    """A real SMTP server (aiosmtpd) that counts what it accepted per recipient. ``delay`` makes
    each message take that long, so a run can be killed part-way."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received = Counter()
        self.subjects = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    controllers = []

    def make(delay: float = 0.0):
        recorder = SMTPRecorder(delay)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        recorder.url = f"smtp://127.0.0.1:{port}"
        return recorder

    yield make
    for controller in controllers:
        controller.stop()


class TCPProxy:
    """A TCP proxy the test starts and stops: "PostgreSQL down" for the processes that connect
    through it, without touching the shared server. ``stop`` also cuts open connections."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        if self.listener is not None:
            with suppress(OSError):  # wakes the thread blocked in accept() (close alone does not)
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets = []
