"""Property-based fuzzing of the published OpenAPI schema (schemathesis): every operation, with
valid and invalid inputs, as anonymous, a provider, an organization administrator and a staff
member (second factor done). No answer may be a 5xx.

The cases schemathesis generates are sent through Django's test client (in-process, in the
test's transaction, CSRF checks off as for any test client), so a server error surfaces as the
view's own exception and traceback. Each operation gets a bounded number of examples,
derandomized so CI runs the same cases every time.
"""

import contextlib
import json
import re

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework import throttling
from schemathesis import GenerationMode
from schemathesis.transport.wsgi import WSGI_TRANSPORT
from werkzeug.test import EnvironBuilder

from accounts import roles
from providers import services as provider_services

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12
ROLES = ["anonymous", "provider", "organization administrator", "staff"]


@pytest.fixture
def world(make_user):
    """One of each thing the API serves, with the small ids the fuzzer tries first: a provider
    with a certification, CE and a renewal draft; an organization administrator with a vehicle
    and an inspection; a complaint; a supervisor."""
    from tests.complaints.factories import file_complaint
    from tests.providers.factories import make_certification, record_ce
    from tests.vehicles.factories import InspectionFactory, OrganizationFactory, VehicleFactory

    users = {
        "provider": make_user("fuzz-provider@example.com", role=roles.PROVIDER),
        "organization administrator": make_user(
            "fuzz-orgadmin@example.com", role=roles.ORGANIZATION_ADMINISTRATOR
        ),
        "staff": make_user("fuzz-supervisor@example.com", role=roles.SUPERVISOR),
    }
    certification = make_certification()
    certification.provider.user = users["provider"]
    certification.provider.save(update_fields=["user"])
    record_ce(certification.provider, hours=4)
    provider_services.renewal_start(certification=certification, user=users["provider"])
    organization = OrganizationFactory(administrators=[users["organization administrator"]])
    InspectionFactory(
        vehicle=VehicleFactory(organization=organization),
        inspector=make_user("fuzz-inspector@example.com", role=roles.VEHICLE_INSPECTOR),
    )
    file_complaint(certification=certification)
    return users


@pytest.fixture
def generous_throttles(monkeypatch):
    # The fuzzer sends hundreds of requests a minute from one address; 429 would hide the rest.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "1000000/minute", "user": "1000000/minute"},
    )


def _client_for(role, world, staff_client) -> Client:
    if role == "anonymous":
        return Client()
    if role == "staff":
        return staff_client(user=world["staff"])
    client = Client()
    client.force_login(world[role])
    return client


def _published_schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _send(client: Client, case):
    """Build the WSGI environ schemathesis would send and hand it to Django's test client."""
    kwargs = WSGI_TRANSPORT.serialize_case(case)
    builder = EnvironBuilder(
        method=kwargs["method"],
        path=kwargs["path"],
        headers=kwargs.get("headers"),
        query_string=kwargs.get("query_string"),
        data=kwargs.get("data"),
        json=kwargs.get("json"),
        content_type=kwargs.get("headers", {}).get("Content-Type"),
    )
    environ = builder.get_environ()
    environ.pop("HTTP_COOKIE", None)  # the test client sends its own session cookie
    return client.request(**environ)


def _strategy(operation):
    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # an operation with nothing to make invalid
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return st.one_of(strategies)


def _fuzz(operation, client, statuses: set):
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation))
    def run(case):
        response = _send(client, case)
        statuses.add(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}"
        )

    run()


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error(role, world, staff_client, generous_throttles):
    client = _client_for(role, world, staff_client)
    schema = schemathesis.openapi.from_dict(_published_schema(client))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # the whole API, not an empty schema
    statuses: set[int] = set()
    for operation in operations:
        _fuzz(operation, client, statuses)
    # The requests reached the views as this role: some answered, some were refused as invalid.
    assert 200 in statuses and 400 in statuses


@pytest.mark.parametrize("role", ROLES)
def test_options_on_every_path_is_not_a_server_error(role, world, staff_client):
    """DRF answers OPTIONS with metadata built from the view's serializer."""
    client = _client_for(role, world, staff_client)
    schema = _published_schema(client)
    for path in schema["paths"]:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = client.options(concrete)
        assert response.status_code < 500, f"OPTIONS {concrete} answered {response.status_code}"
