"""Public PDF lists of the organizations app, prepared by the documents app (on request and
nightly): Primary Service Areas by town and by organization, and the IDO list."""

from django.db.models import Count, Max
from django.utils import timezone

from documents.constants import DEFAULT_CHUNK_ROWS
from documents.registry import DocumentSpec, anyone

from . import selectors
from .models import Organization, OrganizationPerson, PrimaryServiceArea, PsaType


def _latest(*values) -> str:
    present = [value for value in values if value]
    return max(present).isoformat() if present else "none"


def _organizations_changed() -> str:
    data = Organization.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return f"{data['count']}:{_latest(data['latest'])}"


def psa_fingerprint(params) -> str:
    # Every assignment, end and transfer writes a history row; holders "on today" also change
    # with the date alone (an assignment starting tomorrow), so the day is part of it.
    history = PrimaryServiceArea.history.aggregate(count=Count("pk"), latest=Max("history_date"))
    return (
        f"psa:{timezone.localdate()}:{history['count']}:{_latest(history['latest'])}:"
        f"{_organizations_changed()}"
    )


def psa_by_town_context(params) -> dict:
    return {"rows": selectors.psa_by_town(), "psa_types": PsaType.choices}


def psa_by_organization_context(params) -> dict:
    return {"rows": selectors.psa_by_organization()}


def ido_fingerprint(params) -> str:
    history = OrganizationPerson.history.aggregate(count=Count("pk"), latest=Max("history_date"))
    return f"ido:{history['count']}:{_latest(history['latest'])}:{_organizations_changed()}"


def ido_context(params) -> dict:
    return {"rows": selectors.ido_list()}


def _every_night():
    return [{}]


DOCUMENTS = {
    "psa-by-town": DocumentSpec(
        title="Primary Service Areas by town",
        description="The holder of each Connecticut town for first response, BLS and ALS today.",
        template="organizations/pdf/psa_by_town.html",
        build_context=psa_by_town_context,
        fingerprint=psa_fingerprint,
        can_request=anyone,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=True,
        nightly=_every_night,
    ),
    "psa-by-organization": DocumentSpec(
        title="Primary Service Areas by EMS organization",
        description="The towns each organization holds as Primary Service Area, by PSA type.",
        template="organizations/pdf/psa_by_organization.html",
        build_context=psa_by_organization_context,
        fingerprint=psa_fingerprint,
        can_request=anyone,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=True,
        nightly=_every_night,
    ),
    "ido-list": DocumentSpec(
        title="Infectious Disease Designated Officers",
        description="Each EMS organization's designated officer for infectious disease exposures.",
        template="organizations/pdf/ido_list.html",
        build_context=ido_context,
        fingerprint=ido_fingerprint,
        can_request=anyone,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=True,
        nightly=_every_night,
    ),
}
