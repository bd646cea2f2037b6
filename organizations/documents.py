"""PDF lists of the organizations app, prepared by the documents app: Primary Service Areas by
town and by organization and the IDO list (public, on request and nightly), and an
organization's provider roster (its administrators and staff)."""

from django.utils import timezone

from core.errors import DomainError
from documents.constants import DEFAULT_CHUNK_ROWS
from documents.registry import DocumentSpec, changes, latest_stamp, public_list
from documents.tables import Column, TableLayout, columns
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


def _date(value) -> str:
    return value.strftime("%b %-d, %Y") if value else "—"


def _psa_by_town_cells(row):
    holders = [
        f"{holder.display_name} ({holder.number})" if holder else "—"
        for _, holder in row["holders"]
    ]
    return [(row["town"].name, row["town"].get_county_display(), *holders)]


def _psa_by_organization_cells(organization):
    by_type: dict[str, list[str]] = {}
    for psa in organization.current_psas:
        by_type.setdefault(psa.get_psa_type_display(), []).append(psa.town.name)
    for position, (label, towns) in enumerate(by_type.items()):
        first = position == 0
        yield (
            organization.legal_name if first else "",
            organization.number if first else "",
            label,
            ", ".join(towns),
        )


def _roster_cells(row):
    return [
        (
            row.provider_name,
            row.level_label or "—",
            row.number or "—",
            row.status_label,
            _date(row.expires_on),
            _date(row.affiliated_since),
        )
    ]


def _on(context) -> str:
    return timezone.localdate().strftime("%B %-d, %Y")


PSA_BY_TOWN_TABLE = TableLayout(
    columns=(
        Column("Town", 0.14),
        Column("County", 0.12),
        *(Column(label, 0.74 / len(PsaType.choices)) for _, label in PsaType.choices),
    ),
    cells=_psa_by_town_cells,
    intro=lambda context: (
        "The organization holding each Connecticut town as Primary Service Area for first "
        "response, basic life support (BLS) and advanced life support (ALS) on "
        f"{_on(context)}."
    ),
    empty="No towns on file.",
)
PSA_BY_ORGANIZATION_TABLE = TableLayout(
    columns=columns("Organization 30 | Number 12 | PSA type 16 | Towns 42"),
    cells=_psa_by_organization_cells,
    intro=lambda context: (
        f"The towns each EMS organization holds as Primary Service Area on {_on(context)}, "
        "by PSA type."
    ),
    empty="No Primary Service Area is assigned today.",
)
IDO_TABLE = TableLayout(
    columns=columns("Organization 30 | Number 12 | Officer 20 | Email 24 | Phone 14"),
    cells=lambda person: [
        (
            person.organization.legal_name,
            person.organization.number,
            person.full_name,
            person.email,
            person.phone,
        )
    ],
    intro=lambda context: (
        "Each active EMS organization's Infectious Disease Designated Officer, as on file on "
        f"{_on(context)}."
    ),
    empty="No officer is on file.",
)
ROSTER_TABLE = TableLayout(
    columns=columns(
        "Provider 27 | Level 15 | Certification 14 | Status 14 | Expires 14 | Affiliated since 16"
    ),
    cells=_roster_cells,
    intro=lambda context: (
        f"Providers affiliated with {context['organization'].legal_name} "
        f"({context['organization'].number}), with the state record of their certifications on "
        f"{_on(context)}."
    ),
    end_note="End of the roster.",
    empty="No provider is affiliated.",
)


DOCUMENTS = {
    "psa-by-town": public_list(
        title="Primary Service Areas by town",
        description="The holder of each Connecticut town for first response, BLS and ALS today.",
        table=PSA_BY_TOWN_TABLE,
        build_context=psa_by_town_context,
        fingerprint=psa_fingerprint,
    ),
    "psa-by-organization": public_list(
        title="Primary Service Areas by EMS organization",
        description="The towns each organization holds as Primary Service Area, by PSA type.",
        table=PSA_BY_ORGANIZATION_TABLE,
        build_context=psa_by_organization_context,
        fingerprint=psa_fingerprint,
    ),
    "ido-list": public_list(
        title="Infectious Disease Designated Officers",
        description="Each EMS organization's designated officer for infectious disease exposures.",
        table=IDO_TABLE,
        build_context=ido_context,
        fingerprint=ido_fingerprint,
    ),
    "organization-roster": DocumentSpec(
        title="Organization provider roster",
        description="The providers affiliated with one organization, with their certifications. "
        "For the organization's administrators and staff.",
        table=ROSTER_TABLE,
        build_context=roster_context,
        fingerprint=roster_fingerprint,
        can_request=roster_can_request,
        clean_params=roster_params,
        chunked_rows=DEFAULT_CHUNK_ROWS,
    ),
}
