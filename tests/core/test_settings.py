"""Start-up refuses bad configuration with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables the test run itself sets (the browser tests allow sync ORM calls) must not leak into
# the settings under test.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DJANGO_ENV",
    "SSN_HMAC_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PAYMENTS_GATEWAY",
    "PAYMENTS_TEST_MODE",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "s" * 30 + "-production-test-key-" + "k" * 30,
    "SSN_HMAC_KEY": "h" * 40,
    "ALLOWED_HOSTS": "oems.example.gov",
}
STRIPE = {
    "PAYMENTS_GATEWAY": "stripe",
    "STRIPE_SECRET_KEY": "sk_live_not_a_real_key",
    "STRIPE_WEBHOOK_SECRET": "whsec_not_a_real_secret",
}


def run_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env["DJANGO_SETTINGS_MODULE"] = "oems_portal.settings"
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_malformed_database_url_names_the_variable():
    result = run_check(DATABASE_URL="not a url at all")
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr


def test_production_without_secret_key_names_the_variable():
    result = run_check(
        DJANGO_ENV="production",
        ALLOWED_HOSTS="oems.example.gov",
        PAYMENTS_GATEWAY="test",
        PAYMENTS_TEST_MODE="true",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="oems_portal.settings",
        DJANGO_ENV="production",
        SECRET_KEY="s" * 30 + "-production-test-key-" + "k" * 30,
        SSN_HMAC_KEY="h" * 40,
        ALLOWED_HOSTS="oems.example.gov",
        **STRIPE,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout


SAFE = {
    "SECRET_KEY": "s" * 30 + "-production-test-key-" + "k" * 30,
    "SSN_HMAC_KEY": "h" * 40,
    "DEBUG": False,
    "PAYMENTS_GATEWAY": "stripe",
    "PAYMENTS_TEST_MODE": False,
    "STRIPE_SECRET_KEY": "sk_live_" + "x" * 24,
    "STRIPE_WEBHOOK_SECRET": "whsec_" + "x" * 24,
}


def test_safe_production_settings_have_no_refusal():
    from oems_portal.settings import production_refusals

    assert production_refusals(SAFE) == []


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"DEBUG": True}, "DEBUG"),
        ({"SSN_HMAC_KEY": "development-ssn-key"}, "SSN_HMAC_KEY"),
        ({"SSN_HMAC_KEY": SAFE["SECRET_KEY"]}, "SSN_HMAC_KEY"),
        ({"SSN_HMAC_KEY": "short"}, "SSN_HMAC_KEY"),
        ({"SECRET_KEY": "development-only-not-secret-" + "x" * 40}, "SECRET_KEY"),
        ({"PAYMENTS_GATEWAY": "test"}, "PAYMENTS_GATEWAY"),
        ({"STRIPE_WEBHOOK_SECRET": ""}, "PAYMENTS_GATEWAY=stripe needs STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_each_unsafe_production_setting_is_refused_naming_its_variable(override, variable):
    from oems_portal.settings import production_refusals

    refusals = production_refusals({**SAFE, **override})
    assert len(refusals) == 1
    assert refusals[0].startswith(variable)


def test_production_start_up_stops_on_debug_and_a_development_ssn_key():
    result = run_check(
        DJANGO_ENV="production",
        ALLOWED_HOSTS="oems.example.gov",
        SECRET_KEY=SAFE["SECRET_KEY"],
        SSN_HMAC_KEY="development-ssn-key",
        DEBUG="true",
        PAYMENTS_GATEWAY="test",
        PAYMENTS_TEST_MODE="true",
    )
    assert result.returncode != 0
    assert "Production refuses to start" in result.stderr
    assert "SSN_HMAC_KEY is missing, shorter than 32 characters, the published" in result.stderr
    assert "DEBUG is on" in result.stderr


def test_production_without_a_payment_processor_names_the_variable():
    result = run_check(**PRODUCTION)
    assert result.returncode != 0
    assert "PAYMENTS_GATEWAY must name a real payment processor" in result.stderr
    assert "PAYMENTS_TEST_MODE=true" in result.stderr


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("STRIPE_SECRET_KEY", "STRIPE_SECRET_KEY"),
        ("STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_production_with_stripe_but_no_keys_names_the_variable(missing, named):
    env = {**PRODUCTION, **STRIPE}
    env.pop(missing)
    result = run_check(**env)
    assert result.returncode != 0
    assert named in result.stderr.splitlines()[-1]


def test_production_test_mode_needs_the_explicit_flag_and_then_starts():
    assert run_check(**PRODUCTION, PAYMENTS_TEST_MODE="true").returncode == 0
    both = run_check(**PRODUCTION, **STRIPE, PAYMENTS_TEST_MODE="true")
    assert both.returncode != 0 and "unset one of them" in both.stderr
