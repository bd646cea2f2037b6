"""Emails of the vehicles app, one function per email; callers send them on commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Inspection, Vehicle


def organization_recipients(organization) -> list[str]:
    """The organization's address on file and its administrators, each once."""
    addresses = [organization.email, *organization.administrators.values_list("email", flat=True)]
    return list(dict.fromkeys(address for address in addresses if address))


def _send(*, template: str, subject: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    body = render_to_string(f"vehicles/email/{template}.txt", context)
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def _vehicle_url(vehicle: Vehicle) -> str:
    return settings.SITE_URL + reverse("vehicles:detail", kwargs={"pk": vehicle.pk})


def send_inspection_due(vehicle: Vehicle) -> None:
    _send(
        template="inspection_due",
        subject=f"Vehicle inspection due: {vehicle.plate} ({vehicle.vin})",
        context={"vehicle": vehicle, "url": _vehicle_url(vehicle)},
        recipients=organization_recipients(vehicle.organization),
    )


def send_inspection_failed(inspection_id: int) -> None:
    inspection = Inspection.objects.select_related("vehicle__organization").get(pk=inspection_id)
    vehicle = inspection.vehicle
    deficiencies = inspection.answers.filter(result="fail").order_by("section", "position")
    _send(
        template="inspection_failed",
        subject=f"Vehicle failed inspection and is out of service: {vehicle.plate}",
        context={
            "inspection": inspection,
            "vehicle": vehicle,
            "deficiencies": deficiencies,
            "url": _vehicle_url(vehicle),
        },
        recipients=organization_recipients(vehicle.organization),
    )
