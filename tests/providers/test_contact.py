"""My contact details: the record's contact email feeds every email to the provider, changes are
audited and shown with labels and dates, someone else's address is refused beside the field,
a sign-in email change offers to update it, and names change only through a reviewed request
with proof."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from core.files import minimal_pdf
from providers import services as provider_services
from providers.contact import services
from providers.contact.models import NameChangeRequest, NameChangeStatus
from providers.reminders import services as reminder_services

from .factories import filled_application, make_certification, make_provider, pay

pytestmark = pytest.mark.django_db

CONTACT_URL = reverse("providers:contact")
NEW_ADDRESS = {
    "email": "new.home@example.com",
    "phone": "860-555-0101",
    "address_line1": "22 Elm Street",
    "address_line2": "Apt 3",
    "city": "New Haven",
    "state": "CT",
    "postal_code": "06510",
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(make_user):
    return make_user("jane@example.com")


@pytest.fixture
def certification(user):
    return make_certification(user=user, expires_in=30, email="jane.old@example.com")


@pytest.fixture
def provider(certification):
    return certification.provider


@pytest.fixture
def signed_in(user):
    """The provider's own browser (``client`` is left for staff_client and strangers)."""
    own = Client()
    own.force_login(user)
    return own


def proof(name="marriage-certificate.pdf"):
    return SimpleUploadedFile(name, minimal_pdf(), content_type="application/pdf")


# --- The one address every email uses ---------------------------------------------------------


def test_a_contact_change_on_the_page_sends_the_next_reminder_to_the_new_email(
    signed_in, provider, certification, mailoutbox, django_capture_on_commit_callbacks
):
    response = signed_in.post(CONTACT_URL, NEW_ADDRESS)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        reminder_services.reminders_dispatch(today=timezone.localdate())
    reminders = [m for m in mailoutbox if certification.number in m.body]
    assert [m.to for m in reminders] == [["new.home@example.com"]]


def test_without_a_contact_email_mail_goes_to_the_sign_in_email(provider, user):
    from providers.models import Provider
    from providers.selectors import with_contact_email

    unlinked = make_provider(first_name="Unlinked", ssn="987-65-4321")
    assert with_contact_email(Provider.objects.filter(pk=provider.pk)).get().contact_email == (
        "jane.old@example.com"
    )
    services.provider_contact_update(provider=provider, actor=user, email="")
    provider.refresh_from_db()
    assert reminder_services.reminder_recipient(provider.certifications.get()) == user.email
    rows = with_contact_email(Provider.objects.filter(pk__in=[provider.pk, unlinked.pk]))
    assert {row.pk: row.contact_email for row in rows} == {provider.pk: user.email, unlinked.pk: ""}


def test_the_renewal_contact_step_updates_the_record_through_the_same_service(
    provider, certification, user, mailoutbox, django_capture_on_commit_callbacks
):
    application = filled_application(certification, user)
    provider.refresh_from_db()
    assert provider.email == application.email
    latest = provider.history.first()
    assert latest.history_user == user
    assert latest.history_change_reason.startswith("Contact details updated with renewal")
    # Later changes on the contact page reach the renewal's own status emails.
    services.provider_contact_update(provider=provider, actor=user, email="later@example.com")
    provider_services.renewal_request_fee(application=application, actor=user)
    with django_capture_on_commit_callbacks(execute=True):
        pay(application, user)
    with django_capture_on_commit_callbacks(execute=True):
        provider_services.renewal_submit(application=application, actor=user)
    received = [m for m in mailoutbox if "received" in m.subject.lower()]
    assert received and received[-1].to == ["later@example.com"]


def test_the_renewal_contact_step_refuses_someone_elses_email(
    make_user, provider, certification, user
):
    make_user("taken@example.com")
    application = filled_application(certification, user)
    with pytest.raises(DomainError) as refused:
        provider_services.renewal_save_step(
            application=application,
            actor=user,
            step="details",
            data={**NEW_ADDRESS, "email": "taken@example.com"},
        )
    assert refused.value.field == "email"


def test_complaint_and_affiliation_mail_use_the_contact_email(provider, user):
    from complaints.emails import _subject_recipients
    from organizations.emails import _provider_email

    services.provider_contact_update(provider=provider, actor=user, email="contact@example.com")
    provider.refresh_from_db()
    assert _provider_email(provider) == ["contact@example.com"]

    class Complaint:  # the only attributes the recipient rule reads
        certification_id = provider.certifications.get().pk
        certification = provider.certifications.get()

    assert _subject_recipients(Complaint()) == ["contact@example.com"]


# --- The page ---------------------------------------------------------------------------------


def test_the_page_saves_changes_once_and_shows_them_in_the_history(signed_in, provider, user):
    first = signed_in.post(CONTACT_URL, NEW_ADDRESS)
    second = signed_in.post(CONTACT_URL, NEW_ADDRESS)  # a double submit
    assert first.status_code == second.status_code == 302
    provider.refresh_from_db()
    assert provider.email == "new.home@example.com" and provider.address_line2 == "Apt 3"
    changes = provider.history.filter(history_change_reason=services.CONTACT_UPDATED)
    assert changes.count() == 1
    assert changes.get().history_user == user

    page = signed_in.get(CONTACT_URL).content.decode()
    history = page[page.index('data-testid="contact-history"') :]
    assert "Email: jane.old@example.com → new.home@example.com" in history
    assert "Mailing address: 1 Main St → 22 Elm Street" in history
    assert "City or town: Hartford → New Haven" in history
    assert timezone.localdate().strftime("%B") in history and ">You<" in history
    assert "email_" not in history and "address_line1" not in history  # labels, not codes


def test_an_email_of_another_account_is_refused_beside_the_field_and_nothing_is_lost(
    signed_in, make_user, provider
):
    make_user("someone.else@example.com")
    response = signed_in.post(CONTACT_URL, {**NEW_ADDRESS, "email": "Someone.Else@example.com"})
    assert response.status_code == 200
    form = response.context["contact_form"]
    assert form.errors["email"] == [services.EMAIL_IN_USE]
    page = response.content.decode()
    error = page.index('id="id_email-error"')
    assert page.index('for="id_email"') < error < page.index('for="id_phone"')
    assert 'value="22 Elm Street"' in page and 'value="Someone.Else@example.com"' in page
    provider.refresh_from_db()
    assert provider.email == "jane.old@example.com" and provider.city == "Hartford"


def test_another_persons_contact_email_on_the_record_is_refused_too(provider, user):
    make_provider(first_name="Other", ssn="987-65-4321", email="other@example.com")
    with pytest.raises(DomainError, match="already used by another account"):
        services.provider_contact_update(provider=provider, actor=user, email="other@example.com")


def test_bad_input_stays_on_the_form(signed_in, provider):
    response = signed_in.post(CONTACT_URL, {**NEW_ADDRESS, "postal_code": "6510"})
    assert "Enter a ZIP code like 06106" in response.content.decode()
    assert 'value="New Haven"' in response.content.decode()


def test_an_account_without_a_linked_record_is_sent_to_link(client, make_user):
    client.force_login(make_user())
    assert client.get(CONTACT_URL)["Location"] == reverse("providers:link")


def test_the_dashboard_links_the_page(signed_in, provider):
    assert f'href="{CONTACT_URL}"' in signed_in.get(reverse("core:dashboard")).content.decode()


def test_the_page_explains_that_the_sign_in_email_is_separate(signed_in, provider):
    page = signed_in.get(CONTACT_URL).content.decode()
    assert "does not change the email you sign in with" in page
    assert reverse("account_email") in page


# --- A sign-in email change offers to update the contact email --------------------------------


def test_a_sign_in_email_change_offers_to_use_it_for_notices(signed_in, provider, user, mailoutbox):
    signed_in.post(reverse("account_email"), {"action_add": "", "email": "jane.new@example.com"})
    address = EmailAddress.objects.get(email="jane.new@example.com")
    key = EmailConfirmationHMAC(address).key
    confirmed = signed_in.post(reverse("account_confirm_email", args=[key]), follow=True)
    user.refresh_from_db()
    assert user.email == "jane.new@example.com"
    offer = [str(m) for m in confirmed.context["messages"] if "still go to" in str(m)]
    assert offer and "jane.old@example.com" in offer[0] and CONTACT_URL in offer[0]

    page = signed_in.get(CONTACT_URL).content.decode()
    assert 'data-testid="account-email-offer"' in page
    signed_in.post(reverse("providers:contact-use-account-email"))
    provider.refresh_from_db()
    assert provider.email == "jane.new@example.com"
    assert provider.history.first().history_change_reason == (
        "Contact email set to the sign-in email"
    )
    assert 'data-testid="account-email-offer"' not in signed_in.get(CONTACT_URL).content.decode()


def test_no_offer_when_the_contact_email_already_follows_the_sign_in_email(
    signed_in, provider, user
):
    services.provider_contact_update(provider=provider, actor=user, email=user.email)
    assert 'data-testid="account-email-offer"' not in signed_in.get(CONTACT_URL).content.decode()


# --- Name changes: requested with proof, decided by licensing staff ---------------------------

NEW_NAME = {"first_name": "Jane", "middle_name": "", "last_name": "Smith", "reason": "Marriage"}


def _request_name_change(client):
    return client.post(reverse("providers:name-change"), {**NEW_NAME, "proof": proof()})


def _admin_action(client, action, name_change, **extra):
    return client.post(
        reverse("admin:providers_namechangerequest_changelist"),
        {"action": action, "_selected_action": [name_change.pk], **extra},
        follow=True,
    )


def test_a_name_change_is_requested_approved_in_the_admin_and_emailed(
    signed_in, provider, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    assert _request_name_change(signed_in).status_code == 302
    assert _request_name_change(signed_in).status_code == 302  # a double submit: one request
    name_change = NameChangeRequest.objects.get()
    provider.refresh_from_db()
    assert provider.last_name == "Doe"  # nothing typed over
    page = signed_in.get(CONTACT_URL).content.decode()
    assert "Waiting for review" in page and "Jane Smith" in page

    staff = staff_client(roles.LICENSING_REVIEWER)
    asked = _admin_action(staff, "approve", name_change)
    assert "Approve the name change" in asked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = _admin_action(staff, "approve", name_change, apply="1", note="Certificate seen")
    assert "Approved; the record shows the new name: 1" in done.content.decode()

    provider.refresh_from_db()
    name_change.refresh_from_db()
    assert provider.full_name == "Jane Smith" and "Jane Doe" in provider.other_names
    assert name_change.status == NameChangeStatus.APPROVED
    assert name_change.decided_by == staff.user and name_change.previous_name == "Jane Doe"
    audit = provider.history.first()
    assert audit.history_user == staff.user
    assert "Name changed from Jane Doe to Jane Smith" in audit.history_change_reason
    assert "Marriage" in audit.history_change_reason
    assert [m.to for m in mailoutbox] == [["jane.old@example.com"]]
    assert "approved" in mailoutbox[0].subject and "Jane Smith" in mailoutbox[0].body

    page = signed_in.get(CONTACT_URL).content.decode()
    assert "Approved" in page and "Certificate seen" in page
    assert "Last name: Doe → Smith" in page


def test_a_denied_name_change_keeps_the_name_and_tells_the_provider_why(
    signed_in, provider, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    _request_name_change(signed_in)
    name_change = NameChangeRequest.objects.get()
    staff = staff_client(roles.LICENSING_REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_action(staff, "deny", name_change, apply="1", note="The document is unreadable")
    provider.refresh_from_db()
    name_change.refresh_from_db()
    assert provider.last_name == "Doe" and name_change.status == NameChangeStatus.DENIED
    assert name_change.history.first().history_change_reason == "The document is unreadable"
    assert "The document is unreadable" in mailoutbox[0].body
    # Decided: a new request may be sent.
    assert 'action="/providers/contact/name-change/"' in signed_in.get(CONTACT_URL).content.decode()


def test_a_decided_request_cannot_be_decided_again(provider, user, make_user):
    name_change = services.name_change_request(
        provider=provider, actor=user, proof=proof(), **NEW_NAME
    )
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    services.name_change_deny(name_change=name_change, actor=reviewer, note="No")
    with pytest.raises(DomainError, match="cannot move from Denied to Approved"):
        services.name_change_approve(name_change=name_change, actor=reviewer)


def test_a_second_different_request_waits_for_the_first(provider, user):
    services.name_change_request(provider=provider, actor=user, proof=proof(), **NEW_NAME)
    with pytest.raises(DomainError, match="already have a name change waiting"):
        services.name_change_request(
            provider=provider, actor=user, proof=proof(), **{**NEW_NAME, "last_name": "Jones"}
        )


def test_a_proof_that_is_not_a_document_is_refused_beside_the_field(signed_in, provider):
    fake = SimpleUploadedFile("proof.pdf", b"MZ\x90 not a pdf", content_type="application/pdf")
    response = signed_in.post(reverse("providers:name-change"), {**NEW_NAME, "proof": fake})
    assert "must be a PDF, PNG or JPEG" in str(response.context["name_form"].errors["proof"])
    assert 'value="Smith"' in response.content.decode()
    assert not NameChangeRequest.objects.exists()


def test_the_proof_is_served_to_its_owner_and_licensing_staff_only(
    client, signed_in, provider, user, staff_client, make_user
):
    name_change = services.name_change_request(
        provider=provider, actor=user, proof=proof(), **NEW_NAME
    )
    url = name_change.proof.url
    owner = signed_in.get(url)
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content).startswith(b"%PDF-")
    assert 'filename="marriage-certificate.pdf"' in owner["Content-Disposition"]
    assert staff_client(roles.LICENSING_REVIEWER).get(url).status_code == 200
    assert staff_client(roles.VEHICLE_INSPECTOR).get(url).status_code == 404

    other = make_user("other@example.com")
    make_certification(user=other, ssn="987-65-4321", first_name="Other")
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


# --- API ---------------------------------------------------------------------------------------

API_URL = reverse("providers-my-contact")


def test_the_api_reads_and_changes_only_the_callers_own_details(signed_in, provider, make_user):
    body = signed_in.get(API_URL).json()
    assert body["email"] == "jane.old@example.com" and body["name"] == "Jane Doe"
    changed = signed_in.patch(
        API_URL, {"phone": "203-555-0199"}, content_type="application/json"
    ).json()
    assert changed["phone"] == "203-555-0199" and changed["email"] == "jane.old@example.com"
    provider.refresh_from_db()
    assert provider.phone == "203-555-0199"

    make_user("taken@example.com")
    refused = signed_in.patch(
        API_URL, {"email": "taken@example.com"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json() == {"email": [services.EMAIL_IN_USE]}
    bad_zip = signed_in.patch(API_URL, {"postal_code": "6510"}, content_type="application/json")
    assert bad_zip.status_code == 400 and "postal_code" in bad_zip.json()
    provider.refresh_from_db()
    assert provider.email == "jane.old@example.com" and provider.postal_code == "06106"


def test_the_api_answers_404_to_an_account_without_a_record(client, make_user):
    client.force_login(make_user())
    assert client.get(API_URL).status_code == 404
    assert client.patch(API_URL, {}, content_type="application/json").status_code == 404


def test_the_api_refuses_anonymous_callers(client):
    assert client.get(API_URL).status_code in (401, 403)


def test_history_reads_in_one_query(provider, user, django_assert_max_num_queries):
    from providers.contact import selectors

    for number in range(5):
        services.provider_contact_update(provider=provider, actor=user, phone=f"555-010{number}")
    with django_assert_max_num_queries(1):
        entries = selectors.contact_history(provider)
    assert [entry.changes[0].new for entry in entries[:2]] == ["555-0104", "555-0103"]
    assert re.match(r"Phone", entries[0].changes[0].label)
