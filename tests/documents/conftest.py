"""Fixtures of the documents tests: organizations to list, a restricted test document, and a
media folder of each test's own."""

from contextlib import contextmanager

import pytest

from core.errors import DomainError
from documents.documents import organization_directory_fingerprint
from documents.registry import DocumentSpec, all_documents
from organizations.models import Organization
from organizations.selectors import user_administers


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_organizations(db):
    def make(count, *, prefix="Town"):
        return Organization.objects.bulk_create(
            Organization(
                legal_name=f"{prefix} {index:03d} EMS",
                number=f"AMB-{prefix[:3].upper()}{index:04d}",
                kind="ambulance",
                ownership="municipal",
                credential_type="certificate",
                highest_level="paramedic",
                status="active",
                email=f"office{index}@{prefix.lower()}.example.org",
                city=f"City {index % 7}",
            )
            for index in range(count)
        )

    return make


def _roster_params(raw):
    try:
        organization = Organization.objects.get(pk=int(raw.get("organization", "")))
    except (ValueError, Organization.DoesNotExist) as error:
        raise DomainError("Choose an organization that exists.", field="organization") from error
    return {"organization": organization.pk}


def _roster_context(params):
    organization = Organization.objects.get(pk=params["organization"])
    return {"rows": Organization.objects.filter(pk=organization.pk)}


def _roster_can_request(user, params):
    organization = Organization.objects.filter(pk=params.get("organization")).first()
    return organization is not None and user_administers(user=user, organization=organization)


RESTRICTED_SPEC = DocumentSpec(
    title=lambda params: f"Test roster of organization {params.get('organization')}",
    template="documents/pdf/organization_directory.html",
    build_context=_roster_context,
    fingerprint=organization_directory_fingerprint,
    can_request=_roster_can_request,
    clean_params=_roster_params,
    chunked_rows=100,
)


@contextmanager
def registered(kind, spec):
    registry = all_documents()
    registry[kind] = spec
    try:
        yield spec
    finally:
        registry.pop(kind, None)


@pytest.fixture
def restricted_roster():
    """A document only an organization's administrators may have (like the real rosters)."""
    with registered("test-organization-roster", RESTRICTED_SPEC):
        yield "test-organization-roster"
