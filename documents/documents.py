"""The documents this app registers itself: the public EMS organization directory, which
proves the machinery end to end before the domain rosters are registered on it."""

from django.db.models import Count, Max

from organizations.models import Organization

from .constants import DEFAULT_CHUNK_ROWS
from .registry import DocumentSpec, anyone


def organization_directory_rows():
    return Organization.objects.order_by("legal_name", "number").only(
        "legal_name",
        "number",
        "kind",
        "ownership",
        "credential_type",
        "highest_level",
        "status",
        "city",
    )


def organization_directory_context(params):
    return {"rows": organization_directory_rows()}


def organization_directory_fingerprint(params):
    # Any edit bumps updated_at; a deletion changes the count.
    data = Organization.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = data["latest"].isoformat() if data["latest"] else "none"
    return f"organizations:{data['count']}:{latest}"


DOCUMENTS = {
    "organization-directory": DocumentSpec(
        title="EMS organization directory",
        description="Every EMS organization on file: number, service, ownership, level, status and city.",
        template="documents/pdf/organization_directory.html",
        build_context=organization_directory_context,
        fingerprint=organization_directory_fingerprint,
        can_request=anyone,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=True,
        nightly=lambda: [{}],
    ),
}
