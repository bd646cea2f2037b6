"""Help topics, FAQ and contact: seeded from the office's guidance, figures filled in from their
one home, linked from the forms they explain and from every message that says to contact the
office; staff publish them from the admin."""

import re
from datetime import date
from decimal import Decimal

import pytest

from accounts import roles
from information.models import ContactDetails, FaqEntry, HelpTopic
from payments.models import FeeCode, FeeSchedule
from providers import rules

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_seeded_guidance_is_on_the_site(client):
    index = client.get("/help/")
    assert index.status_code == 200
    for slug in ["renewal", "certification-numbers", "fees", "processing-times", "linking"]:
        assert f'href="/help/{slug}/"' in index.content.decode()
    renewal = text_of(client.get("/help/renewal/"))
    assert "Step A: the National Registry (NREMT)" in renewal
    assert "is not a state renewal" in renewal
    linking = text_of(client.get("/help/linking/"))
    assert 'It says "could not match"' in linking
    faq = text_of(client.get("/help/faq/"))
    assert "An NREMT date is not a state renewal" in faq


def test_figures_come_from_the_fee_schedule_and_the_rules_never_typed(client):
    fees = text_of(client.get("/help/fees/"))
    assert "State certification renewal: $125" in fees
    assert "convenience fee of 2.35% of the amount" in fees
    assert "adds a fee of $15 and puts the application on hold" in fees
    assert "{{" not in fees
    # Staff change a fee in the admin: every help page says the new amount from that day.
    FeeSchedule.objects.create(
        code=FeeCode.PROVIDER_RENEWAL, amount=Decimal("140.00"), effective_from=date.today()
    )
    FeeSchedule.objects.create(
        code=FeeCode.RETURNED_PAYMENT, amount=Decimal("20.00"), effective_from=date.today()
    )
    assert "State certification renewal: $140" in text_of(client.get("/help/fees/"))
    faq = text_of(client.get("/help/faq/"))
    assert "The state renewal fee is $140" in faq and "A returned payment adds $20" in faq
    low, high = rules.PROCESSING_WEEKS
    assert f"{low}–{high} weeks" in text_of(client.get("/help/processing-times/"))


def test_every_number_prefix_is_explained_from_the_rules(client):
    page = client.get("/help/certification-numbers/").content.decode()
    for level, prefix in rules.LEVEL_PREFIX.items():
        assert f"<li><strong>{prefix}</strong>: {rules.Level(level).label}</li>" in page


def test_an_unknown_placeholder_stays_as_typed_and_html_is_inert(client):
    HelpTopic.objects.create(
        slug="odd",
        title="Odd",
        summary="s",
        body="{{ not_a_fact }} <script>alert(1)</script> [x](javascript:alert(1))",
    )
    page = client.get("/help/odd/").content.decode()
    assert "{{ not_a_fact }}" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page


def test_unpublished_topics_are_not_found(client):
    HelpTopic.objects.filter(slug="fees").update(is_published=False)
    assert client.get("/help/fees/").status_code == 404
    assert 'href="/help/fees/"' not in client.get("/help/").content.decode()


def test_contact_page_and_footer_show_the_office_details_staff_keep(
    client, django_capture_on_commit_callbacks
):
    page = text_of(client.get("/contact/"))
    assert "410 Capitol Avenue" in page and "dph.emslicensing@ct.gov" in page
    details = ContactDetails.objects.get()
    details.phone = "860.555.0100"
    with django_capture_on_commit_callbacks(execute=True):
        details.save()
    home = client.get("/").content.decode()  # the cached footer is dropped on save
    assert 'href="tel:860.555.0100"' in home


def test_help_is_linked_from_the_header_footer_and_home(client):
    home = client.get("/").content.decode()
    header = home[home.index('<nav aria-label="Primary navigation"') :]
    assert 'href="/help/"' in header[: header.index("</nav>")]
    footer = home[home.index("<footer") :]
    for url in ["/help/", "/help/faq/", "/contact/"]:
        assert f'href="{url}"' in footer


def test_linking_could_not_match_links_the_contact_page_and_the_help(client, make_user):
    user = make_user("newcomer@example.com", role=roles.PROVIDER)
    client.force_login(user)
    form = client.get("/providers/link/").content.decode()
    assert 'href="/help/linking/"' in form and 'href="/help/certification-numbers/"' in form
    response = client.post(
        "/providers/link/",
        {"number": "E999999", "date_of_birth": "1990-01-01", "ssn": "123-45-6789"},
    )
    page = response.content.decode()
    assert "could not match" in page
    assert re.search(r'<a class="usa-link" href="/contact/">contact the office</a>', page)
    assert client.get("/contact/").status_code == 200


@pytest.mark.parametrize(
    "message",
    [
        "This certification is revoked; contact the office.",
        "Too many nominations were sent. Please try again later or email the office.",
        "This organization has no email address on file; call the office.",
        "Enter the 17-character VIN; contact OEMS to register one.",
    ],
)
def test_every_message_that_sends_people_to_the_office_links_the_contact_page(message):
    from information.templatetags.office_help import office_link

    html = office_link(message)
    assert 'href="/contact/"' in html
    assert office_link("<b>contact the office</b>").startswith("&lt;b&gt;")  # still escaped


def test_forms_link_the_help_that_explains_them(client, make_user):
    from tests.providers.factories import make_certification

    user = make_user("ce@example.com", role=roles.PROVIDER)
    make_certification(user=user)
    client.force_login(user)
    assert 'href="/help/continuing-education/"' in client.get("/providers/ce/").content.decode()


def test_staff_publish_a_help_topic_and_faq_from_the_admin(staff_client):
    client = staff_client(roles.SUPERVISOR)
    response = client.post(
        "/admin/information/helptopic/add/",
        {
            "title": "Storm deployments",
            "slug": "storm",
            "summary": "Do not self-deploy.",
            "body": "## Before you go\n\n- Wait for a request through DESPP.\n\n"
            "Renewal costs {{ renewal_fee }}.",
            "position": 9,
            "is_published": "on",
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 0,
            "questions-0-question": "May I self-deploy?",
            "questions-0-position": 0,
            "questions-0-is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    topic = HelpTopic.objects.get(slug="storm")
    assert topic.history.get().history_user == client.user  # audited
    page = client.get("/help/storm/").content.decode()
    assert "<h2>Before you go</h2>" in page and "Renewal costs $125." in page
    assert FaqEntry.objects.get(question="May I self-deploy?").topic == topic
    # The answer of the new question still has to be written before it reads well; staff edit it.
    assert "May I self-deploy?" in client.get("/help/faq/").content.decode()


def test_reviewers_keep_help_but_not_the_contact_details_or_alerts(staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    assert client.get("/admin/information/helptopic/").status_code == 200
    assert client.get("/admin/information/contactdetails/").status_code == 403
    assert client.get("/admin/information/sitealert/add/").status_code == 403


def test_only_one_contact_row_can_be_added(staff_client):
    client = staff_client(roles.SUPERVISOR)
    assert client.get("/admin/information/contactdetails/add/").status_code == 403
    ContactDetails.objects.all().delete()
    assert client.get("/admin/information/contactdetails/add/").status_code == 200


def test_the_home_page_processing_time_comes_from_the_rules(client):
    low, high = rules.PROCESSING_WEEKS
    assert f"is {low}–{high} weeks" in text_of(client.get("/"))


def test_an_empty_answer_is_refused(staff_client):
    client = staff_client(roles.SUPERVISOR)
    response = client.post("/admin/information/faqentry/add/", {"question": "Q?", "answer": ""})
    assert response.status_code == 200 and not FaqEntry.objects.filter(question="Q?").exists()


def test_topics_list_in_their_order(client):
    HelpTopic.objects.filter(slug="linking").update(position=0)
    HelpTopic.objects.filter(slug="renewal").update(position=1)
    page = client.get("/help/").content.decode()
    assert page.index("/help/linking/") < page.index("/help/renewal/")
