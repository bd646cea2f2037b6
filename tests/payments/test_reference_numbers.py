"""Receipts carry a human reference number (R-2026-000123, core.references): on the receipt
page, its PDF, the receipt email, the payer's list and the admin's search; organization
applications carry theirs (O-2026-000045) on their page, in emails and in the admin."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.references import reference_format, reference_next
from organizations.emails import send_application_status
from organizations.models import ApplicationKind
from organizations.services import application_create
from payments.documents import receipt_filename

from .factories import OrganizationFactory, open_invoice, pay_by_card

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r"^R-\d{4}-\d{6}$")


def test_references_count_per_series_and_year_and_are_never_issued_twice():
    day = timezone.localdate()
    first = reference_next("R", on=day)
    assert RECEIPT.match(first)
    year, number = first.split("-")[1:]
    assert reference_next("R", on=day) == reference_format(
        "R", year=int(year), sequence=int(number) + 1
    )
    # Another year, another series; another letter, another series.
    assert reference_next("R", on=day.replace(year=day.year + 1)).endswith("-000001")
    assert reference_next("Q", on=day) == reference_format("Q", year=day.year, sequence=1)


def test_a_receipt_shows_its_reference_on_the_page_pdf_email_list_and_admin_search(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks, staff_client
):
    payer = make_user("payer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay_by_card(open_invoice(payer))
    payment.refresh_from_db()
    assert RECEIPT.match(payment.reference)
    client.force_login(payer)
    page = client.get(reverse("payments:receipt", args=[payment.pk])).content.decode()
    assert f"<h1>Receipt {payment.reference}</h1>" in page
    assert f"<td>{payment.reference}</td>" in page  # the receipt number row, not the UUID
    assert payment.reference in client.get(reverse("payments:mine")).content.decode()
    assert receipt_filename(payment) == f"oems-receipt-{payment.reference}.pdf"
    [email] = [m for m in mailoutbox if "receipt" in m.subject.lower()]
    assert (
        payment.reference in email.subject and f"Receipt number: {payment.reference}" in email.body
    )
    assert email.attachments[0][0] == f"oems-receipt-{payment.reference}.pdf"
    admin = staff_client()
    found = admin.get(reverse("admin:payments_payment_changelist"), {"q": payment.reference})
    assert found.status_code == 200 and f"/{payment.pk}/change/" in found.content.decode()


def test_an_organization_application_shows_its_reference_not_its_database_id(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks, staff_client
):
    founder = make_user("founder@example.com")
    organization = OrganizationFactory()
    organization.administrators.add(founder)
    application = application_create(
        kind=ApplicationKind.RENEWAL, applicant=founder, organization=organization
    )
    assert re.match(r"^O-\d{4}-\d{6}$", application.reference)
    second = application_create(
        kind=ApplicationKind.NEW_ORGANIZATION, applicant=founder, legal_name="Second"
    )
    assert int(second.reference[-6:]) == int(application.reference[-6:]) + 1
    client.force_login(founder)
    page = client.get(application.get_absolute_url()).content.decode()
    assert f"{application.get_kind_display()} {application.reference}</h1>" in page
    assert f"#{application.pk}" not in page
    send_application_status(application.pk, "submitted")
    assert f"Your application {application.reference} " in mailoutbox[-1].body
    admin = staff_client()
    found = admin.get(
        reverse("admin:organizations_organizationapplication_changelist"),
        {"q": application.reference},
    ).content.decode()
    assert f"/{application.pk}/change/" in found and f"/{second.pk}/change/" not in found
