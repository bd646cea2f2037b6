"""The batch certification look-up for ePCR software: a crew in one call, a documented limit,
the verify API's throttle and cache."""

import pytest
from rest_framework.test import APIClient

from core.throttling import AnonRateThrottle
from providers.api import VERIFY_BATCH_LIMIT
from providers.rules import Level
from tests.providers.factories import make_certification

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify/batch/"


def test_a_crew_is_answered_in_order_each_number_once_unknown_ones_not_found():
    emt = make_certification(level=Level.EMT, first_name="Ann", last_name="Crew")
    medic = make_certification(level=Level.PARAMEDIC, first_name="Bo", last_name="Crew")
    response = APIClient().post(
        URL, {"numbers": [medic.number, "E999999", emt.number, medic.number]}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert [item["number"] for item in body] == [medic.number, "E999999", emt.number]
    assert body[0]["found"] is True
    assert body[0]["certification"]["name"] == "Bo Crew"
    assert body[0]["certification"]["level"] == Level.PARAMEDIC
    assert body[0]["certification"]["status"] == "active"
    assert body[1] == {"number": "E999999", "found": False, "certification": None}
    assert body[2]["certification"]["expiration_date"] == emt.expires_on.isoformat()


def test_the_limit_is_enforced_with_a_clear_message():
    numbers = [f"E{n:06d}" for n in range(VERIFY_BATCH_LIMIT + 1)]
    response = APIClient().post(URL, {"numbers": numbers}, format="json")
    assert response.status_code == 400
    assert f"At most {VERIFY_BATCH_LIMIT} numbers per call" in response.json()["numbers"][0]
    at_limit = APIClient().post(URL, {"numbers": numbers[:VERIFY_BATCH_LIMIT]}, format="json")
    assert at_limit.status_code == 200 and len(at_limit.json()) == VERIFY_BATCH_LIMIT


def test_an_empty_or_missing_list_is_refused():
    assert APIClient().post(URL, {"numbers": []}, format="json").status_code == 400
    assert APIClient().post(URL, {}, format="json").status_code == 400


def test_batches_are_throttled_like_the_single_look_up(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    api = APIClient()
    statuses = [
        api.post(URL, {"numbers": ["E999999"]}, format="json").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    # The same allowance as the single look-up: it is spent too.
    assert api.get("/api/v1/verify/E999999/").status_code == 429


def test_a_batch_reads_through_the_verify_cache(django_assert_max_num_queries):
    crew = [make_certification(level=Level.EMT).number for _ in range(5)]
    api = APIClient()
    api.post(URL, {"numbers": crew}, format="json")  # fills the cache
    with django_assert_max_num_queries(0):
        response = api.post(URL, {"numbers": crew}, format="json")
    assert all(item["found"] for item in response.json())
