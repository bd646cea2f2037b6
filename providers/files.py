"""Who may download the providers app's stored files (core.files): the person the file belongs
to and the licensing staff who review it; anyone else gets 404."""

from core.files import FileRule

from . import selectors


def ce_certificate_allowed(user, record) -> bool:
    return selectors.is_own_provider_record(user=user, provider=record.provider) or (
        selectors.staff_has(user, "providers.view_cerecord")
    )


def renewal_document_allowed(user, document) -> bool:
    provider = document.application.certification.provider
    return selectors.is_own_provider_record(user=user, provider=provider) or (
        selectors.staff_has(user, "providers.view_renewaldocument")
    )


def initial_card_allowed(user, application) -> bool:
    if getattr(user, "is_authenticated", False) and application.applicant_id == user.pk:
        return True
    return selectors.staff_has(user, "providers.view_initialapplication")


def name_change_proof_allowed(user, name_change) -> bool:
    return selectors.is_own_provider_record(user=user, provider=name_change.provider) or (
        selectors.staff_has(user, "providers.view_namechangerequest")
    )


FILE_RULES = {
    "ce-certificate": FileRule(
        can_download=ce_certificate_allowed,
        queryset=lambda model: model.objects.select_related("provider"),
    ),
    "renewal-document": FileRule(
        can_download=renewal_document_allowed,
        queryset=lambda model: model.objects.select_related("application__certification__provider"),
    ),
    "initial-cpr-card": FileRule(can_download=initial_card_allowed),
    "initial-acls-card": FileRule(can_download=initial_card_allowed),
    "name-change-proof": FileRule(
        can_download=name_change_proof_allowed,
        queryset=lambda model: model.objects.select_related("provider"),
    ),
}
