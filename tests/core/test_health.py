"""/healthz reports each backing service and answers 503 when one is down."""

import pytest

from core import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_the_cache_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down at 10.0.0.7:6379")

    monkeypatch.setattr(health.cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    # anonymous callers learn which component fails, never the error text
    assert response.json()["cache"] == {"ok": False}
    assert "10.0.0.7" not in response.content.decode()


def test_staff_with_the_second_factor_see_the_error_text(staff_client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health.cache, "set", broken)
    response = staff_client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == {
        "ok": False,
        "backend": response.json()["cache"]["backend"],
        "error": "cache down",
    }


def test_a_signed_in_provider_sees_no_details_either(client, make_user):
    client.force_login(make_user())
    assert client.get("/healthz").json()["database"] == {"ok": True}


def test_healthz_is_503_when_the_broker_does_not_answer(client):
    from oems_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    # Port 1 on the loopback: nothing listens there, so the broker check must fail.
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        response = client.get("/healthz")
    finally:
        app.conf.update(task_always_eager=saved[0], broker_url=saved[1])
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["broker"]["ok"] is False
