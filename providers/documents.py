"""PDF documents of the providers app, prepared by the documents app: a provider's
certification card (the provider and staff) and the full provider roster (staff)."""

from django.utils import timezone

from core.errors import DomainError
from documents.constants import DEFAULT_CHUNK_ROWS
from documents.registry import DocumentSpec, changes, latest_stamp
from documents.tables import TableLayout, columns

from . import rules
from .models import STATUS_FIELDS, Certification, Provider
from .reminders import cards
from .selectors import is_licensing_staff

# Certification card ---------------------------------------------------------------------------


def _certification(params) -> Certification:
    return Certification.objects.select_related("provider").get(number=params["certification"])


def card_params(raw) -> dict:
    number = rules.normalize_number(str(raw.get("certification", "")))
    certification = Certification.objects.filter(number=number).first()
    if certification is None:
        raise DomainError("There is no certification with that number.", field="certification")
    if certification.status not in cards.CARD_STATUSES:
        raise DomainError(
            f"Certification {number} is {certification.status_label.lower()}: a card is issued "
            "only for an active certification.",
            field="certification",
        )
    return {"certification": number}


def card_can_request(user, params) -> bool:
    """Only the certification's own provider, and licensing staff (reviewers, supervisors)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_licensing_staff(user):
        return True
    return Certification.objects.filter(
        number=params.get("certification"), provider__user=user
    ).exists()


def card_fingerprint(params) -> str:
    certification = _certification(params)
    provider = certification.provider
    # The card prints the status on the day it is made, so a new day is a new card.
    return (
        f"card:{certification.number}:{certification.level}:{certification.expires_on}:"
        f"{certification.updated_at.isoformat()}:{provider.updated_at.isoformat()}:"
        f"{timezone.localdate()}"
    )


def card_document_context(params) -> dict:
    return cards.card_context(_certification(params))


# Full provider roster (staff) -----------------------------------------------------------------


def staff_may_see_providers(user, params) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_staff
        and user.has_perm("providers.view_certification")
    )


def provider_roster_rows():
    return (
        Certification.objects.select_related("provider")
        .order_by("provider__last_name", "provider__first_name", "number")
        .only(
            "number",
            "level",
            *STATUS_FIELDS,
            "provider__first_name",
            "provider__middle_name",
            "provider__last_name",
            "provider__city",
            "provider__state",
        )
    )


def provider_roster_cells(certification) -> list[tuple[str, ...]]:
    provider = certification.provider
    name = f"{provider.last_name}, {provider.first_name}"
    place = f"{provider.city}, {provider.state}" if provider.state else provider.city
    expires = certification.expires_on.isoformat() if certification.expires_on else ""
    return [
        (
            f"{name} {provider.middle_name}" if provider.middle_name else name,
            certification.number,
            certification.get_level_display(),
            certification.status_label,
            expires,
            place,
        )
    ]


PROVIDER_ROSTER_TABLE = TableLayout(
    # Measured with the font (7.5 pt DejaVu Sans): the longest level ("Emergency Medical
    # Technician (EMT)"), a date, a number and most names and towns fit on one line.
    columns=columns("Name 20 | Number 8 | Level 29 | Status 19 | Expires 10 | City 14"),
    cells=provider_roster_cells,
    intro=lambda context: (
        "Every certification on the state record, by the holder's last name: number, level, "
        "status on the day generated and expiration date. Confidential: for OEMS staff."
    ),
    end_note="End of the roster.",
    empty="No certifications on file.",
    font_size=7.5,
)


def provider_roster_context(params) -> dict:
    return {"rows": provider_roster_rows()}


def provider_roster_fingerprint(params) -> str:
    count, certified = changes(Certification.objects, "updated_at")
    _, edited = changes(Provider.objects, "updated_at")
    # Statuses depend on the date (expiry, grace), so the roster of another day is another one.
    return f"providers:{count}:{latest_stamp(certified, edited)}:{timezone.localdate()}"


DOCUMENTS = {
    "certification-card": DocumentSpec(
        title=lambda params: f"Certification card {params.get('certification', '')}",
        description="A provider's certification card with its verification QR code.",
        template=cards.CARD_TEMPLATE,
        build_context=card_document_context,
        fingerprint=card_fingerprint,
        can_request=card_can_request,
        clean_params=card_params,
    ),
    "provider-roster": DocumentSpec(
        title="Provider roster (all certifications)",
        description="Every certification on the state record with its holder, level, status "
        "and expiration date. Staff only.",
        table=PROVIDER_ROSTER_TABLE,
        build_context=provider_roster_context,
        fingerprint=provider_roster_fingerprint,
        can_request=staff_may_see_providers,
        chunked_rows=DEFAULT_CHUNK_ROWS,
        listed=True,
    ),
}
