"""`make env` writes fresh secrets production accepts; docker compose runs production mode."""

import subprocess
import sys
from pathlib import Path

import yaml

from oems_portal.settings import production_refusals

ROOT = Path(__file__).resolve().parents[2]


def make_env(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_env.py"), "--path", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_env(path: Path) -> dict:
    pairs = (
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if line and not line.startswith("#")
    )
    return dict(pairs)


def test_make_env_writes_fresh_secrets_that_production_accepts(tmp_path):
    first, second = tmp_path / "one.env", tmp_path / "two.env"
    assert make_env(first).returncode == 0
    assert make_env(second).returncode == 0
    one, two = read_env(first), read_env(second)
    for name in ("SECRET_KEY", "SSN_HMAC_KEY", "POSTGRES_PASSWORD"):
        assert one[name] != two[name], name  # fresh each time
    assert (
        production_refusals(
            {
                "SECRET_KEY": one["SECRET_KEY"],
                "SSN_HMAC_KEY": one["SSN_HMAC_KEY"],
                "DEBUG": False,
                "PAYMENTS_GATEWAY": one["PAYMENTS_GATEWAY"],
                "PAYMENTS_TEST_MODE": one["PAYMENTS_TEST_MODE"] == "true",
                "STRIPE_SECRET_KEY": one.get("STRIPE_SECRET_KEY", ""),
                "STRIPE_WEBHOOK_SECRET": one.get("STRIPE_WEBHOOK_SECRET", ""),
            }
        )
        == []
    )
    assert one["PAYMENTS_GATEWAY"] == "test" and one["PAYMENTS_TEST_MODE"] == "true"
    assert "real processor" in first.read_text()
    assert "DJANGO_ENV" not in one  # .env is read by `make run` too, which stays development
    assert first.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_make_env_never_overwrites_an_existing_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SSN_HMAC_KEY=in-use\n")
    result = make_env(path)
    assert result.returncode == 1
    assert path.read_text() == "SSN_HMAC_KEY=in-use\n"


def test_docker_compose_runs_production_mode_on_gunicorn():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in ("web", "worker", "beat"):
        environment = compose["services"][service]["environment"]
        assert environment["DJANGO_ENV"] == "production"
        assert environment["DEBUG"] == "false"
        assert compose["services"][service]["env_file"] == ".env"
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert "oems:oems@" not in (ROOT / "docker-compose.yml").read_text()  # no fixed password
