"""The certification card: emailed as a PDF once after an approval, downloadable again by its
own provider (and staff) through the documents app, refused to anyone else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from core.files import download_url
from documents.models import DocumentJob, JobStatus
from payments.selectors import invoice_for
from payments.services import invoice_mark_paid
from providers import services, tasks
from providers.reminders import cards
from providers.reminders import emails as reminder_emails
from providers.reminders.models import CardStatus, CertificationCardEmail
from tests.documents.pdf_text import pdf_pages_text

from .factories import filled_application, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _in_review(user, certification, capture):
    application = filled_application(certification, user)
    services.renewal_request_fee(application=application, actor=user)
    with capture(execute=True):
        invoice_mark_paid(invoice=invoice_for(subject=application), actor=user)
    application.refresh_from_db()
    with capture(execute=True):
        services.renewal_submit(application=application, actor=user)
    application.refresh_from_db()
    return application


def _card_messages(mailoutbox):
    return [m for m in mailoutbox if "certification card" in m.subject.lower()]


def test_approval_emails_the_new_card_as_a_pdf_once(
    make_user, reviewer, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://oems.example.gov"
    user = make_user("jane@example.com")
    certification = make_certification(
        user=user, first_name="Jane", last_name="Cardholder", email="jane@example.com"
    )
    application = _in_review(user, certification, django_capture_on_commit_callbacks)
    services.renewal_start_review(application=application, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.renewal_approve(application=application, actor=reviewer)
    certification.refresh_from_db()

    [message] = _card_messages(mailoutbox)
    assert message.to == ["jane@example.com"]
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"certification-card-{certification.number}.pdf"
    assert mimetype == "application/pdf"
    pages = pdf_pages_text(content)
    assert len(pages) == 1
    text = pages[0]
    assert "Jane Cardholder" in text
    assert certification.number in text
    assert "Emergency Medical Technician (EMT)" in text
    assert certification.expires_on.strftime("%B %-d, %Y") in text  # the new expiration
    assert f"https://oems.example.gov/verify/?number={certification.number}" in text
    assert "Page 1 of 1" in text

    # The task delivered again (acks_late redelivery, a retry): no second email.
    assert tasks.send_certification_card.apply(args=[certification.pk]).get() == (
        "already sent or being sent"
    )
    assert len(_card_messages(mailoutbox)) == 1
    row = CertificationCardEmail.objects.get(certification=certification)
    assert row.status == CardStatus.SENT and row.expires_on == certification.expires_on


def test_the_card_carries_a_qr_code_of_the_verification_address():
    certification = make_certification()
    context = cards.card_context(certification)
    assert context["qr_code"].startswith("data:image/svg+xml;base64,")
    assert context["verify_url"].endswith(f"/verify/?number={certification.number}")


def test_a_provider_without_email_gets_no_card_email_and_staff_see_why(mailoutbox):
    certification = make_certification(email="")
    assert cards.card_email_send(certification_id=certification.pk) == "skipped: no email"
    assert mailoutbox == []
    assert CertificationCardEmail.objects.get().status == CardStatus.SKIPPED


def test_a_failed_card_send_is_recorded_and_the_retry_sends_it(monkeypatch, mailoutbox):
    certification = make_certification(email="p@example.com")
    real = reminder_emails.send_certification_card
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("connection refused")
        return real(**kwargs)

    monkeypatch.setattr(reminder_emails, "send_certification_card", flaky)
    with pytest.raises(OSError):
        cards.card_email_send(certification_id=certification.pk)
    assert CertificationCardEmail.objects.get().status == CardStatus.FAILED
    assert cards.card_email_send(certification_id=certification.pk) == "sent"
    assert len(mailoutbox) == 1


def test_no_card_for_a_certification_that_is_not_active(make_user, mailoutbox):
    certification = make_certification(expires_in=-10)  # in grace: expired
    assert "not active" in cards.card_email_send(certification_id=certification.pk)
    assert mailoutbox == []


# Download from the dashboard (a documents-app document, checked per object) -----------------


@pytest.fixture
def request_card(django_capture_on_commit_callbacks):
    """POST the dashboard's card form; the render enqueued on commit runs in-process (no
    REDIS_URL in tests), as it does for a newcomer."""

    def post(client, number):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("documents:request", args=["certification-card"]),
                {"certification": number},
            )

    return post


def test_the_provider_downloads_their_current_card(client, make_user, request_card):
    user = make_user("owner@example.com")
    certification = make_certification(user=user, first_name="Owen", last_name="Owner")
    client.force_login(user)
    page = client.get(reverse("core:dashboard"))
    assert f"Download my card for {certification.number}" in page.content.decode()

    response = request_card(client, certification.number)
    job = DocumentJob.objects.get(kind="certification-card")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE  # no REDIS_URL in tests: rendered in-process
    download = client.get(job.download_url)
    text = "".join(pdf_pages_text(b"".join(download.streaming_content)))
    assert "Owen Owner" in text and certification.number in text

    # Asking again the same day reuses the same file.
    request_card(client, certification.number)
    assert DocumentJob.objects.filter(kind="certification-card").count() == 1


def test_another_provider_may_not_have_or_see_someone_elses_card(client, make_user, request_card):
    owner = make_user()
    certification = make_certification(user=owner)
    client.force_login(owner)
    request_card(client, certification.number)
    job = DocumentJob.objects.get()

    client.force_login(make_user())
    assert request_card(client, certification.number).status_code == 403
    for name in ("documents:job", "documents:job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.get(download_url("generated-document", job.pk)).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, request_card):
    certification = make_certification()
    response = request_card(client, certification.number)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_who_see_certifications_may_have_any_card(staff_client, request_card):
    certification = make_certification()
    client = staff_client(roles.LICENSING_REVIEWER)
    assert request_card(client, certification.number).status_code == 302
    assert DocumentJob.objects.get().status == JobStatus.DONE


def test_a_card_is_refused_with_a_clear_answer_when_not_active(client, make_user, request_card):
    user = make_user()
    certification = make_certification(user=user)
    services.certification_suspend(
        certification=certification,
        actor=make_user(staff=True),
        reason="Investigation",
        effective_from=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(user)
    response = request_card(client, certification.number)
    assert response.status_code == 400
    assert "suspended" in response.content.decode().lower()
    assert "only for an active certification" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_an_unknown_number_is_refused_with_a_clear_answer(client, make_user, request_card):
    client.force_login(make_user())
    response = request_card(client, "E999999")
    assert response.status_code == 400
    assert "no certification with that number" in response.content.decode()
