"""Reads on invoices."""

from django.contrib.contenttypes.models import ContentType

from .models import Invoice, InvoiceStatus


def invoice_for(*, subject, fee_code: str | None = None) -> Invoice | None:
    """The live (not void) invoice of a subject, optionally for one fee."""
    invoices = Invoice.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).exclude(status=InvoiceStatus.VOID)
    if fee_code:
        invoices = invoices.filter(fee_code=fee_code)
    return invoices.order_by("-created_at").first()
