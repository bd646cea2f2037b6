"""PDF lists of the organizations app, prepared by the documents app: Primary Service Areas by
town and by organization and the IDO list (public, on request and nightly), and an
organization's provider roster (its administrators and staff)."""

from django.utils import timezone

from core.errors import DomainError
from documents.constants import DEFAULT_CHUNK_ROWS
from documents.registry import DocumentSpec, changes, latest_stamp, public_list
from providers.models import Certification

from . import selectors
from .models import Affiliation, Organization, OrganizationPerson, PrimaryServiceArea, PsaType


def _organizations_changed() -> str:
    count, latest = changes(Organization.objects, "updated_at")
    return f"{count}:{latest_stamp(latest)}"


def psa_fingerprint(params) -> str:
    # Every assignment, end and transfer writes a history row; holders "on today" also change
    # with the date alone (an assignment starting tomorrow), so the day is part of it.
    count, latest = changes(PrimaryServiceArea.history.all())
    return f"psa:{timezone.localdate()}:{count}:{latest_stamp(latest)}:{_organizations_changed()}"


def psa_by_town_context(params) -> dict:
    return {"rows": selectors.psa_by_town(), "psa_types": PsaType.choices}


def psa_by_organization_context(params) -> dict:
    return {"rows": selectors.psa_by_organization()}


def ido_fingerprint(params) -> str:
    count, latest = changes(OrganizationPerson.history.all())
    return f"ido:{count}:{latest_stamp(latest)}:{_organizations_changed()}"


def ido_context(params) -> dict:
    return {"rows": selectors.ido_list()}


def roster_params(raw) -> dict:
    try:
        organization = Organization.objects.get(pk=int(raw.get("organization", "")))
    except (TypeError, ValueError, Organization.DoesNotExist):
        raise DomainError("There is no such organization.", field="organization") from None
    return {"organization": organization.pk}


def roster_can_request(user, params) -> bool:
    """The organization's own administrators, and staff who may see organizations."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff and user.has_perm("organizations.view_organization"):
        return True
    organization = Organization.objects.filter(pk=params.get("organization")).first()
    return organization is not None and selectors.user_administers(
        user=user, organization=organization
    )


def roster_fingerprint(params) -> str:
    count, latest = changes(Affiliation.history.filter(organization_id=params["organization"]))
    _, certified = changes(
        Certification.objects.filter(
            provider__affiliations__organization_id=params["organization"]
        ),
        "updated_at",
    )
    # Status is computed from the date, so a new day is a new roster.
    return (
        f"roster:{params['organization']}:{timezone.localdate()}:{count}:"
        f"{latest_stamp(latest, certified)}"
    )


def roster_context(params) -> dict:
    organization = Organization.objects.get(pk=params["organization"])
    return {
        "organization": organization,
        "rows": selectors.organization_roster(organization=organization),
    }


DOCUMENTS = {
    "psa-by-town": public_list(
        title="Primary Service Areas by town",
        description="The holder of each Connecticut town for first response, BLS and ALS today.",
        template="organizations/pdf/psa_by_town.html",
        build_context=psa_by_town_context,
        fingerprint=psa_fingerprint,
    ),
    "psa-by-organization": public_list(
        title="Primary Service Areas by EMS organization",
        description="The towns each organization holds as Primary Service Area, by PSA type.",
        template="organizations/pdf/psa_by_organization.html",
        build_context=psa_by_organization_context,
        fingerprint=psa_fingerprint,
    ),
    "ido-list": public_list(
        title="Infectious Disease Designated Officers",
        description="Each EMS organization's designated officer for infectious disease exposures.",
        template="organizations/pdf/ido_list.html",
        build_context=ido_context,
        fingerprint=ido_fingerprint,
    ),
    "organization-roster": DocumentSpec(
        title="Organization provider roster",
        description="The providers affiliated with one organization, with their certifications. "
        "For the organization's administrators and staff.",
        template="organizations/pdf/roster.html",
        build_context=roster_context,
        fingerprint=roster_fingerprint,
        can_request=roster_can_request,
        clean_params=roster_params,
        chunked_rows=DEFAULT_CHUNK_ROWS,
    ),
}
