"""Provider pages: linking, CE, the renewal steps, per-object permissions, and /verify/."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from providers import rules
from providers.models import CERecord, LinkAttempt, RenewalStatus

from .factories import SSN, filled_application, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_client(client, make_user):
    user = make_user("pat@example.com")
    certification = make_certification(user=user)
    client.force_login(user)
    client.user = user
    client.certification = certification
    return client


def test_pages_need_a_sign_in(client):
    for name in ["providers:home", "providers:link", "providers:ce"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_link_page_links_and_says_could_not_match_otherwise(client, make_user):
    user = make_user()
    certification = make_certification()
    client.force_login(user)
    url = reverse("providers:link")
    data = {
        "number": certification.number,
        "date_of_birth": (certification.provider.date_of_birth + timedelta(days=1)).isoformat(),
        "ssn": SSN,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "could not match" in response.content.decode()
    assert data["number"] in response.content.decode()  # what was typed stays
    assert SSN not in response.content.decode()  # the SSN is never echoed back
    data["date_of_birth"] = certification.provider.date_of_birth.isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    assert LinkAttempt.objects.count() == 2


def test_an_unlinked_account_is_sent_to_the_link_page(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("providers:home")).url == reverse("providers:link")


def test_dashboard_panel_shows_the_certification(provider_client):
    response = provider_client.get(reverse("core:dashboard"))
    assert provider_client.certification.number in response.content.decode()


def test_home_shows_status_expiry_and_what_the_renewal_needs(provider_client):
    response = provider_client.get(reverse("providers:home"))
    body = response.content.decode()
    assert provider_client.certification.number in body
    assert "Still needed" in body and "not done yet" in body


def test_ce_form_errors_sit_beside_the_field_and_keep_the_input(provider_client):
    response = provider_client.post(
        reverse("providers:ce"),
        {
            "course_title": "Trauma update",
            "completed_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "hours": "2",
            "component": "national",
            "delivery": "live",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_completed_on-error"' in body and "cannot be in the future" in body
    assert 'value="Trauma update"' in body
    assert not CERecord.objects.exists()


def test_ce_upload_of_a_non_pdf_is_refused_beside_the_field(provider_client):
    response = provider_client.post(
        reverse("providers:ce"),
        {
            "course_title": "Trauma update",
            "completed_on": timezone.localdate().isoformat(),
            "hours": "2",
            "component": "national",
            "delivery": "live",
            "certificate": SimpleUploadedFile("virus.pdf", b"MZ not a pdf"),
        },
    )
    assert 'id="id_certificate-error"' in response.content.decode()


def test_ce_records_and_progress_shows(provider_client):
    response = provider_client.post(
        reverse("providers:ce"),
        {
            "course_title": "Airway",
            "completed_on": timezone.localdate().isoformat(),
            "hours": "4",
            "component": "national",
            "delivery": "distributive",
            "approval_number": "F3-2025-00001",
        },
    )
    assert response.status_code == 302
    body = provider_client.get(reverse("providers:ce")).content.decode()
    assert "Airway" in body and "4 of 40 hours" in body


def test_the_ce_step_refuses_to_continue_while_ce_is_incomplete(provider_client):
    response = provider_client.post(
        reverse("providers:renewal-start", args=[provider_client.certification.number])
    )
    application = provider_client.certification.renewal_applications.get()
    url = reverse("providers:renewal-step", args=[application.pk, "ce"])
    response = provider_client.post(url, {"ce": "on"})
    body = response.content.decode()
    assert 'id="id_ce-error"' in body and "not complete" in body


def test_the_renewal_walk_through_the_pages(provider_client, django_capture_on_commit_callbacks):
    from payments.selectors import invoice_for
    from tests.payments.factories import APPROVE

    from .factories import complete_ce

    certification = provider_client.certification
    complete_ce(certification)
    response = provider_client.post(reverse("providers:renewal-start", args=[certification.number]))
    application = certification.renewal_applications.get()
    assert response.url == reverse("providers:renewal-step", args=[application.pk, "nremt"])
    steps = [
        ("nremt", {"nremt_number": "M1", "nremt_attest": "on"}),
        (
            "details",
            {
                "email": "pat@example.com",
                "address_line1": "1 Main",
                "city": "Hartford",
                "state": "CT",
                "postal_code": "06106",
            },
        ),
        ("ce", {"ce": "on"}),
        ("attest", {"attestation_name": certification.provider.full_name}),
    ]
    for step, data in steps:
        response = provider_client.post(
            reverse("providers:renewal-step", args=[application.pk, step]), data
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    detail = reverse("providers:renewal-detail", args=[application.pk])
    assert response.url == detail
    fee = reverse("providers:renewal-action", args=[application.pk, "fee"])
    provider_client.post(fee)
    provider_client.post(fee)  # a double click acts once
    body = provider_client.get(detail).content.decode()
    assert 'data-testid="fee-due"' in body and "Fee due: $" in body
    invoice = invoice_for(subject=application)
    pay_url = reverse("payments:pay", kwargs={"invoice_id": invoice.pk})
    assert f'href="{pay_url}">Pay the ${invoice.amount} fee</a>' in body
    # Paid through the payments app: choose card, then the (test) processor's hosted page.
    pay_page = provider_client.get(pay_url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', pay_page).group(1)
    card_entry = provider_client.post(pay_url, {"method": "card", "idempotency_key": key})
    assert card_entry.url.startswith("/test-processor/pay/")
    with django_capture_on_commit_callbacks(execute=True):
        on_processor = provider_client.post(
            card_entry.url,
            {
                "name": "Pat Provider",
                "number": APPROVE,
                "expiry": "12/99",
                "cvc": "123",
                "postal_code": "06106",
            },
        )
    # back from the processor: the confirmation has arrived, on to the renewal, not the receipt
    paid = provider_client.get(on_processor.url)
    assert paid.url == detail
    body = provider_client.get(detail).content.decode()
    assert "Paid — ready to submit" in body and "Submit the application" in body
    with django_capture_on_commit_callbacks(execute=True):
        provider_client.post(reverse("providers:renewal-action", args=[application.pk, "submit"]))
    application.refresh_from_db()
    assert application.status == RenewalStatus.SUBMITTED
    body = provider_client.get(detail).content.decode()
    assert "Complete since" in body and "4–6 weeks" in body


def test_a_provider_never_sees_another_providers_application(provider_client, make_user):
    other = make_user("other@example.com")
    theirs = make_certification(user=other, ssn="222-22-2222", last_name="Other")
    application = filled_application(theirs, other)
    for url in [
        reverse("providers:renewal-detail", args=[application.pk]),
        reverse("providers:renewal-step", args=[application.pk, "nremt"]),
    ]:
        assert provider_client.get(url).status_code == 404
    response = provider_client.post(
        reverse("providers:renewal-action", args=[application.pk, "fee"])
    )
    assert response.status_code == 404
    response = provider_client.post(reverse("providers:renewal-start", args=[theirs.number]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == RenewalStatus.DRAFT


def test_verify_by_number_and_by_name_shows_nothing_private(client, django_assert_max_num_queries):
    certification = make_certification(first_name="Robin", last_name="Hood")
    provider = certification.provider
    for _ in range(5):
        make_certification(provider=provider, level="paramedic")
    url = reverse("providers:verify")
    with django_assert_max_num_queries(1):
        response = client.get(url, {"number": certification.number.lower()})
    body = response.content.decode()
    assert "Robin Hood" in body and certification.number in body
    assert provider.date_of_birth.strftime("%B %-d, %Y") not in body
    assert provider.address_line1 not in body and provider.ssn_last4 not in body
    with django_assert_max_num_queries(1):
        response = client.get(url, {"last_name": "hood", "first_name": "rob"})
    assert response.content.decode().count("Robin Hood") == 6
    assert "No certification matches" in client.get(url, {"last_name": "Nobody"}).content.decode()
    assert "Enter a certification number" in client.get(url, {"first_name": "x"}).content.decode()


def test_verify_shows_a_suspension(client, make_user):
    from providers import services

    certification = make_certification()
    services.certification_suspend(
        certification=certification,
        actor=make_user(),
        reason="x",
        effective_from=timezone.localdate(),
    )
    body = client.get(reverse("providers:verify"), {"number": certification.number}).content
    assert rules.CertificationStatus.SUSPENDED.label in body.decode()


def test_an_uploaded_ce_certificate_opens_again_for_its_owner_only(
    provider_client, client, make_user, settings, tmp_path
):
    from core.files import minimal_pdf

    from .factories import record_ce

    settings.MEDIA_ROOT = tmp_path
    record = record_ce(
        provider_client.certification.provider,
        hours="2",
        certificate=SimpleUploadedFile("airway-2026.pdf", minimal_pdf()),
    )
    url = record.certificate.url
    assert url == reverse("core:file", args=["ce-certificate", record.pk])
    page = provider_client.get(reverse("providers:ce")).content.decode()
    assert f'href="{url}"' in page and "Open airway-2026.pdf" in page
    response = provider_client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    client.force_login(make_user("someone-else@example.com"))
    assert client.get(url).status_code == 404
