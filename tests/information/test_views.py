"""Public pages: hospital directories and their CSV, the nomination form, reports with the news."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import News
from information.constants import NOMINATION_RATE_LIMIT
from information.demo import demo_pdf
from information.models import Nomination, StrokeLevel, TraumaLevel

from .factories import (
    HospitalFactory,
    NominationPeriodFactory,
    PublicationFactory,
    StrokeCertificationFactory,
    TraumaDesignationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def stroke_directory():
    hartford = HospitalFactory(name="Hartford General", town="Hartford")
    new_haven = HospitalFactory(name="New Haven Medical", town="New Haven")
    putnam = HospitalFactory(name="Putnam Community", town="Putnam")
    StrokeCertificationFactory(hospital=hartford, level=StrokeLevel.COMPREHENSIVE)
    StrokeCertificationFactory(hospital=new_haven, level=StrokeLevel.PRIMARY)
    StrokeCertificationFactory(
        hospital=putnam, level=StrokeLevel.ACUTE_READY, attestation_expires=TODAY
    )
    lapsed = HospitalFactory(name="Lapsed Hospital", town="Hartford")
    StrokeCertificationFactory(
        hospital=lapsed, level=StrokeLevel.PRIMARY, attestation_expires=TODAY - timedelta(days=1)
    )
    future = HospitalFactory(name="Not Yet Hospital", town="Hartford")
    StrokeCertificationFactory(
        hospital=future,
        level=StrokeLevel.PRIMARY,
        certified_from=TODAY + timedelta(days=1),
        attestation_expires=TODAY + timedelta(days=900),
    )


def names(response):
    return [center.hospital.name for center in response.context["centers"]]


# --- Directories -------------------------------------------------------------------------------


def test_stroke_directory_lists_current_attestations_only(client, stroke_directory):
    response = client.get(reverse("information:stroke-centers"))
    assert response.status_code == 200
    assert names(response) == ["Hartford General", "New Haven Medical", "Putnam Community"]
    assert b"Lapsed Hospital" not in response.content
    assert b"Not Yet Hospital" not in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "comprehensive"}, ["Hartford General"]),
        ({"level": "acute_ready"}, ["Putnam Community"]),
        ({"town": "New Haven"}, ["New Haven Medical"]),
        ({"level": "primary", "town": "Hartford"}, []),
        ({"level": "no-such-level"}, ["Hartford General", "New Haven Medical", "Putnam Community"]),
    ],
)
def test_stroke_directory_filters(client, stroke_directory, query, expected):
    response = client.get(reverse("information:stroke-centers"), query)
    assert names(response) == expected


def test_the_town_filter_offers_only_towns_with_a_listed_hospital(client, stroke_directory):
    response = client.get(reverse("information:stroke-centers"))
    towns = [value for value, _ in response.context["form"].fields["town"].choices]
    assert towns == ["", "Hartford", "New Haven", "Putnam"]


def test_stroke_csv_follows_the_filters(client, stroke_directory):
    response = client.get(reverse("information:stroke-centers-csv"), {"level": "primary"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Hospital", "Town", "Address", "Level"]
    assert [row[0] for row in rows[1:]] == ["New Haven Medical"]
    assert rows[1][3] == "Primary stroke center"


def test_the_page_links_the_csv_with_the_same_filters(client, stroke_directory):
    response = client.get(reverse("information:stroke-centers"), {"level": "primary"})
    assert b'href="/public/stroke-centers.csv?level=primary"' in response.content


def test_trauma_directory_filters_and_hides_ended_designations(client):
    TraumaDesignationFactory(
        hospital=HospitalFactory(name="Level One", town="Hartford"), level=TraumaLevel.LEVEL_I
    )
    TraumaDesignationFactory(
        hospital=HospitalFactory(name="Kids First", town="Hartford"),
        level=TraumaLevel.PEDIATRIC_I,
    )
    TraumaDesignationFactory(
        hospital=HospitalFactory(name="Ended", town="Hartford"),
        designated_from=TODAY - timedelta(days=900),
        designated_until=TODAY - timedelta(days=1),
    )
    url = reverse("information:trauma-centers")
    assert names(client.get(url)) == ["Kids First", "Level One"]
    assert names(client.get(url, {"level": "PED_I"})) == ["Kids First"]
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("information:trauma-centers-csv")).content.decode())
        )
    )
    assert [row[0] for row in rows[1:]] == ["Kids First", "Level One"]
    assert rows[1][4] == "American College of Surgeons Committee on Trauma"


def test_directory_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    for _ in range(3):
        StrokeCertificationFactory()
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("information:stroke-centers"))
    for _ in range(20):
        StrokeCertificationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("information:stroke-centers"))


def test_public_index_links_the_directories_awards_and_reports(client):
    content = client.get(reverse("core:public-index")).content.decode()
    for name in ["stroke-centers", "trauma-centers", "awards", "publications"]:
        assert f'href="{reverse(f"information:{name}")}"' in content


# --- Nominations -------------------------------------------------------------------------------


def nomination_data(**overrides):
    data = {
        "nominee_name": "Ed Educator",
        "nominee_affiliation": "Norwich",
        "nominator_name": "Nora Nominator",
        "nominator_email": "nora@example.com",
        "nominator_phone": "860-555-0100",
        "narrative": "Trained hundreds of EMTs.",
        "submission_token": "3f1c1b1e-2d6a-4c3e-9a51-6f5c7c1f0a11",
        "website": "",
    }
    data.update(overrides)
    return data


NOMINATE = "/awards/nominate/educator/"


def test_closed_form_refuses_with_the_dates(client):
    NominationPeriodFactory(
        year=TODAY.year,
        opens=TODAY + timedelta(days=5),
        closes=TODAY + timedelta(days=50),
    )
    response = client.get(NOMINATE)
    opens = TODAY + timedelta(days=5)
    assert "are not open yet" in response.context["closed_message"]
    assert f"{opens:%B} {opens.day}, {opens.year}".encode() in response.content
    assert b'<form method="post"' not in response.content

    response = client.post(NOMINATE, nomination_data())
    assert b"Nominations are closed" in response.content
    assert not Nomination.objects.exists()


def test_open_form_saves_sends_receipt_and_redirects(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    period = NominationPeriodFactory()
    attachment = SimpleUploadedFile("letters.pdf", demo_pdf("Letters"), "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOMINATE, nomination_data(attachment=attachment))
    assert response.status_code == 302
    assert response["Location"] == "/awards/nominate/educator/thanks/"
    nomination = Nomination.objects.get()
    assert (nomination.period, nomination.category.slug) == (period, "educator")
    assert nomination.attachment.name.endswith(".pdf")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nora@example.com"]


def test_a_double_submit_records_one_nomination(client, django_capture_on_commit_callbacks):
    NominationPeriodFactory()
    client.post(NOMINATE, nomination_data())
    client.post(NOMINATE, nomination_data())
    assert Nomination.objects.count() == 1


def test_errors_sit_beside_the_field_and_keep_what_was_typed(client):
    NominationPeriodFactory()
    response = client.post(NOMINATE, nomination_data(nominator_email="not-an-email", narrative=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"nominator_email", "narrative"}
    assert b'id="id_nominator_email-error"' in response.content
    assert b'value="Ed Educator"' in response.content
    assert not Nomination.objects.exists()


def test_an_attachment_that_is_not_a_pdf_is_refused(client):
    NominationPeriodFactory()
    fake = SimpleUploadedFile("letters.pdf", b"GIF89a not a pdf", "application/pdf")
    response = client.post(NOMINATE, nomination_data(attachment=fake))
    assert response.context["form"].errors["attachment"] == ["The file must be a PDF document."]
    assert not Nomination.objects.exists()


def test_the_honeypot_saves_nothing_and_says_nothing(client, mailoutbox):
    NominationPeriodFactory()
    response = client.post(NOMINATE, nomination_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Nomination.objects.exists()
    assert mailoutbox == []


def test_one_address_is_limited_per_hour(client):
    NominationPeriodFactory()
    for number in range(NOMINATION_RATE_LIMIT):
        client.post(
            NOMINATE,
            nomination_data(submission_token=f"00000000-0000-4000-8000-00000000000{number}"),
        )
    assert Nomination.objects.count() == NOMINATION_RATE_LIMIT
    response = client.post(
        NOMINATE, nomination_data(submission_token="00000000-0000-4000-8000-0000000000ff")
    )
    assert response.status_code == 200
    assert "Too many nominations" in response.content.decode()
    assert Nomination.objects.count() == NOMINATION_RATE_LIMIT
    other = client.post(
        NOMINATE,
        nomination_data(submission_token="00000000-0000-4000-8000-0000000000fe"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_an_unknown_or_inactive_category_is_not_found(client):
    NominationPeriodFactory()
    assert client.get("/awards/nominate/astronaut/").status_code == 404


def test_awards_page_shows_the_open_period_and_recipients_by_year(client):
    from .factories import NominationFactory

    NominationPeriodFactory(ceremony_note="Honored at EMSPRO.")
    last_year = NominationPeriodFactory(
        year=TODAY.year - 1,
        opens=date(TODAY.year - 1, 4, 1),
        closes=date(TODAY.year - 1, 6, 30),
    )
    NominationFactory(period=last_year, nominee_name="Winner Person", status="recipient")
    NominationFactory(period=last_year, nominee_name="Runner Up", status="not_selected")
    response = client.get(reverse("information:awards"))
    content = response.content.decode()
    assert "nomination period is open" in content and "Honored at EMSPRO." in content
    assert 'href="/awards/nominate/educator/"' in content
    assert list(response.context["recipients_by_year"]) == [TODAY.year - 1]
    assert "Winner Person" in content and "Runner Up" not in content


# --- Publications with the news ----------------------------------------------------------------


def test_published_reports_show_with_the_news_on_home_and_news_index(client):
    News.objects.create(title="A news post", slug="post", body="Body")
    PublicationFactory(title="Working group report", slug="wg")
    PublicationFactory(title="Draft report", slug="draft", is_published=False)
    for url in ["/", "/news/"]:
        content = client.get(url).content.decode()
        assert "Working group report" in content and "A news post" in content
        assert "Work-group report" in content  # the kind tag
        assert "Draft report" not in content


def test_publication_detail_lists_its_pdfs_and_serves_them(client):
    from information.models import PublicationFile

    from .factories import pdf_file

    publication = PublicationFactory(slug="mih")
    document = PublicationFile.objects.create(
        publication=publication, title="Full report", file=pdf_file("report.pdf")
    )
    response = client.get("/publications/mih/")
    assert b"Full report" in response.content
    download = client.get(document.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_unpublished_publications_and_their_files_are_not_found(client):
    from information.models import PublicationFile

    from .factories import pdf_file

    publication = PublicationFactory(slug="hidden", is_published=False)
    document = PublicationFile.objects.create(
        publication=publication, title="Secret", file=pdf_file("secret.pdf")
    )
    assert client.get("/publications/hidden/").status_code == 404
    assert client.get(document.get_absolute_url()).status_code == 404
    assert b"/publications/hidden/" not in client.get("/publications/").content
