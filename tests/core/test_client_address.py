"""The client address every throttle keys on (core.client_address), with and without a trusted
proxy in front: a forged X-Forwarded-For buys nothing when no proxy is configured, and behind a
proxy each client is counted on the address that proxy saw."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.constants import RATE_LIMIT as COMPLAINT_LIMIT
from complaints.models import Complaint
from core.client_address import client_address
from core.errors import DomainError
from core.throttling import AnonRateThrottle
from organizations import rules as organization_rules
from organizations import services as organization_services
from organizations.models import OrganizationLinkPin
from tests.complaints.test_views import form_data as complaint_data
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "203.0.113.7"),
        (0, "198.51.100.1", "203.0.113.7"),  # no proxy configured: the header is ignored
        (1, None, "203.0.113.7"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client wrote 1.2.3.4 itself
        (2, "1.2.3.4, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "198.51.100.1"),  # fewer hops than proxies: the leftmost
        (1, "not-an-address", "203.0.113.7"),  # garbage: the proxy's own view of the peer
    ],
)
def test_client_address_reads_the_trusted_hop(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_no_valid_address_at_all_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(remote="")) is None


def _exhaust_verify_api(api, **extra):
    return [api.get("/api/v1/verify/E999999/", **extra).status_code for _ in range(4)]


def test_api_throttle_ignores_a_forged_forwarded_header_without_a_proxy(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    api = APIClient()
    assert _exhaust_verify_api(api) == [404, 404, 404, 429]
    # A new X-Forwarded-For on every request changes nothing: same peer, same allowance.
    for forged in ["198.51.100.1", "198.51.100.2", "10.9.9.9, 198.51.100.3"]:
        response = api.get("/api/v1/verify/E999999/", HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 429


def test_api_throttle_counts_each_client_behind_a_trusted_proxy(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    api = APIClient()  # every request arrives from the proxy, 127.0.0.1
    first = _exhaust_verify_api(api, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert first == [404, 404, 404, 429]
    # Another client behind the same proxy has its own allowance ...
    other = api.get("/api/v1/verify/E999999/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 404
    # ... and the first client cannot dodge its limit by writing its own entry in front.
    dodge = api.get("/api/v1/verify/E999999/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1")
    assert dodge.status_code == 429


def test_the_verify_page_spends_the_same_allowance_as_the_verify_api(
    client, make_user, settings, monkeypatch
):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    api = APIClient()
    assert api.get("/api/v1/verify/E999999/").status_code == 404
    assert client.get(reverse("providers:verify"), {"number": "E999999"}).status_code == 200
    assert client.get(reverse("providers:verify"), {"last_name": "Nobody"}).status_code == 200
    refused = client.get(
        reverse("providers:verify"), {"number": "E999999"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert refused.status_code == 429
    assert "Too many look-ups" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    assert api.get("/api/v1/verify/E999999/").status_code == 429
    # The empty page (no look-up) is not counted and still opens.
    assert client.get(reverse("providers:verify")).status_code == 200
    # Signed in is no way around it either.
    client.force_login(make_user())
    assert client.get(reverse("providers:verify"), {"number": "E1"}).status_code == 429


def test_the_verify_page_is_throttled_per_client_behind_a_proxy(client, settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = reverse("providers:verify")
    statuses = [
        client.get(url, {"number": "E999999"}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert (
        client.get(url, {"number": "E999999"}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
        == 200
    )


def test_complaints_throttle_ignores_forged_headers_and_counts_clients_behind_a_proxy(
    client, settings
):
    url = reverse("complaints:file")
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(COMPLAINT_LIMIT):
        client.post(url, complaint_data(), HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert Complaint.objects.count() == COMPLAINT_LIMIT
    forged = client.post(url, complaint_data(), HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert forged.status_code == 429

    settings.TRUSTED_PROXY_COUNT = 1
    behind = client.post(url, complaint_data(), HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert behind.status_code == 302
    assert Complaint.objects.count() == COMPLAINT_LIMIT + 1


def test_linking_failures_are_counted_and_logged_on_the_client_address(client, make_user, settings):
    from providers.models import LinkAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(make_user())
    client.post(
        reverse("providers:link"),
        {"number": "E999999", "date_of_birth": "1980-01-01", "ssn": "123-45-6789"},
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4",
    )
    assert LinkAttempt.objects.get().ip_address == "198.51.100.4"


def test_sign_in_lockouts_and_allauth_limits_use_the_same_address(settings):
    from allauth.account.adapter import get_adapter
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 0
    forged = _request(forwarded="198.51.100.1")
    assert get_client_ip_address(forged) == "203.0.113.7"
    assert get_adapter().get_client_ip(forged) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(forged) == "198.51.100.1"
    assert get_adapter().get_client_ip(forged) == "198.51.100.1"


# --- PIN requests ---------------------------------------------------------------------------


def test_pin_requests_are_limited_per_organization(make_user):
    OrganizationFactory(number="AMB-0901", email="office@amb901.example.org")
    limit = organization_rules.PIN_REQUESTS_PER_ORGANIZATION
    for number in range(limit):
        organization_services.organization_link_request(
            user=make_user(), number="AMB-0901", ip_address=f"198.51.100.{number}"
        )
    with pytest.raises(DomainError, match="Too many PIN requests"):
        organization_services.organization_link_request(
            user=make_user(), number="AMB-0901", ip_address="198.51.100.250"
        )
    assert OrganizationLinkPin.objects.count() == limit
    # Another organization is not affected.
    OrganizationFactory(number="AMB-0902", email="office@amb902.example.org")
    organization_services.organization_link_request(
        user=make_user(), number="AMB-0902", ip_address="198.51.100.250"
    )


def test_pin_requests_are_limited_per_address_across_organizations(make_user):
    limit = organization_rules.PIN_REQUESTS_PER_ADDRESS
    user = make_user()
    for number in range(limit):
        OrganizationFactory(number=f"AMB-07{number:02d}", email=f"o{number}@example.org")
        organization_services.organization_link_request(
            user=user, number=f"AMB-07{number:02d}", ip_address="198.51.100.7"
        )
    OrganizationFactory(number="AMB-0799", email="last@example.org")
    with pytest.raises(DomainError, match="Too many PIN requests"):
        organization_services.organization_link_request(
            user=user, number="AMB-0799", ip_address="198.51.100.7"
        )
    # Sweeping unknown numbers spends the same allowance (checked before the look-up).
    with pytest.raises(DomainError, match="Too many PIN requests"):
        organization_services.organization_link_request(
            user=user, number="AMB-9999", ip_address="198.51.100.7"
        )
    organization_services.organization_link_request(
        user=user, number="AMB-0799", ip_address="198.51.100.8"
    )


def test_pin_request_page_shows_the_limit_beside_the_form(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    OrganizationFactory(number="AMB-0903", email="office@amb903.example.org")
    client.force_login(make_user())
    url = reverse("organizations:link")
    for _ in range(organization_rules.PIN_REQUESTS_PER_ORGANIZATION):
        assert client.post(url, {"number": "AMB-0903"}).status_code == 302
    refused = client.post(url, {"number": "AMB-0903"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 200
    assert "Too many PIN requests" in refused.content.decode()
