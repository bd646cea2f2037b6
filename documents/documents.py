"""The documents this app registers itself: the public EMS organization directory, which
proves the machinery end to end before the domain rosters are registered on it."""

from organizations.models import Organization

from .registry import changes, latest_stamp, public_list


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
    count, latest = changes(Organization.objects, "updated_at")
    return f"organizations:{count}:{latest_stamp(latest)}"


DOCUMENTS = {
    "organization-directory": public_list(
        title="EMS organization directory",
        description="Every EMS organization on file: number, service, ownership, level, status and city.",
        template="documents/pdf/organization_directory.html",
        build_context=organization_directory_context,
        fingerprint=organization_directory_fingerprint,
    ),
}
