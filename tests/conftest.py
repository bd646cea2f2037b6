"""Fixtures shared by every test module."""

import pytest
from django.core.cache import cache

from accounts import roles
from accounts.models import User


def pytest_collection_modifyitems(items):
    """Transactional tests (the browser tests) empty every table when they end, taking the data
    migrations load (towns, fees, roles, categories) with them. Each such test restores the
    database as the migrations left it before it starts (serialized rollback)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(
                    *marker.args, **{**marker.kwargs, "serialized_rollback": True}
                ),
                append=False,  # ahead of the test's own marker, so it is the closest
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Django keeps the serialized database on the connection object of the thread that set the
    database up. Playwright's sync API runs the test body in another context, where the ORM gets a
    fresh connection object without it, and serialized rollback then restores nothing. Keeping
    the snapshot on the connection class makes every connection object of this run see it."""
    from django.db import connections

    for alias in connections:
        snapshot = getattr(connections[alias], "_test_serialized_contents", None)
        if snapshot:
            type(connections[alias])._test_serialized_contents = snapshot


@pytest.fixture(autouse=True)
def _clean_cache(request):
    # Throttles, allauth's rate limits and used TOTP codes live in the cache; with Redis the
    # cache outlives a test, so each test starts from an empty one (and the worker's own
    # memory of the frame, which a rolled-back test's alerts must not outlive)...
    from information.selectors import forget_cached_notices

    cache.clear()
    forget_cached_notices()
    if request.node.get_closest_marker("django_db"):
        # ...but for the frame every page shows (site alerts, the office's contact details),
        # which a running site always has cached: query counts measure the page, not the
        # first request after a cache flush. Saving an alert or the contact row drops it.
        from information.selectors import contact_details, site_alerts

        request.getfixturevalue("_django_db_helper")
        site_alerts()
        contact_details()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """make_user(email=..., role=..., staff=...) -> a verified user in that role group."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    counter = {"n": 0}

    def make(email=None, *, role=None, staff=None, password="correct-horse-battery", **extra):
        counter["n"] += 1
        email = email or f"user{counter['n']}@example.com"
        is_staff = staff if staff is not None else role in roles.STAFF_ROLES
        user = User.objects.create_user(email=email, password=password, is_staff=is_staff, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role:
            roles.sync_role_permissions()
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def staff_client(client, make_user):
    """client_for(role) -> a Django test client signed in as staff of that role, second factor
    done (the session carries the MFA record allauth writes at a TOTP sign-in)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import RequestFactory

    from accounts.demo import DEMO_TOTP_SECRET

    def client_for(role=roles.SUPERVISOR, user=None):
        user = user or make_user(role=role)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        client.force_login(user)
        request = RequestFactory().get("/")
        request.session = client.session
        record_authentication(request, user, "mfa", type="totp")
        request.session.save()
        client.user = user
        return client

    return client_for


# --- People in each role: one of each, for tests that need "a reviewer", "a supervisor"… -------


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer@example.com", role=roles.LICENSING_REVIEWER)


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor@example.com", role=roles.SUPERVISOR)


@pytest.fixture
def investigator(make_user):
    return make_user("investigator@example.com", role=roles.INVESTIGATOR)


@pytest.fixture
def org_admin(make_user):
    """An organization administrator (not linked to an organization yet)."""
    return make_user("orgadmin@example.com", role=roles.ORGANIZATION_ADMINISTRATOR)


@pytest.fixture
def analyst(make_user):
    return make_user("analyst@example.com", role=roles.RATES_ANALYST)


@pytest.fixture
def inspector(make_user):
    return make_user("inspector@example.com", role=roles.VEHICLE_INSPECTOR)
