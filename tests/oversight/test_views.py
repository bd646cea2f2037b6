"""The dashboard page: who may see it, every link opening the admin list behind its figure, the
CSV downloads and the link from the admin."""

import csv
import io

import pytest
from django.urls import reverse

from accounts import roles

from . import factories

pytestmark = pytest.mark.django_db

URL = "/staff/dashboard/"


def test_the_url_name():
    assert reverse("oversight:dashboard") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", roles.PUBLIC_ROLES)
def test_providers_and_organization_administrators_are_refused(client, make_user, role):
    client.force_login(make_user(role=role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv", "table": "renewals-by-status"}).status_code == 403


@pytest.mark.parametrize("role", roles.STAFF_ROLES)
def test_every_staff_role_sees_every_section(staff_client, role):
    response = staff_client(role).get(URL)
    assert response.status_code == 200
    keys = [section.key for section in response.context["sections"]]
    assert keys == [
        "certifications",
        "renewals",
        "inspections",
        "complaints",
        "rates",
        "organizations",
    ]
    for section in keys:
        assert f'data-section="{section}"' in response.content.decode()


def test_staff_without_the_second_factor_are_refused_by_the_middleware(client, make_user):
    client.force_login(make_user(role=roles.SUPERVISOR))  # no TOTP set up
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_who_did_not_use_their_second_factor_sign_in_again(client, make_user):
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.demo import DEMO_TOTP_SECRET

    user = make_user(role=roles.SUPERVISOR)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    client.force_login(user)  # signed in, but not with the code in this session
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _linked_cells(response):
    for section in response.context["sections"]:
        for table in section.tables:
            for row in table.rows:
                for cell in row[1:]:
                    if cell.url:
                        yield table, row[0].value, cell


def test_every_figure_links_to_the_list_that_shows_it(staff_client, make_user):
    """For a supervisor every figure is a link; each opens (200, no "?e=1" redirect for an
    unknown filter), and an admin list shows exactly as many rows as the figure says."""
    client = staff_client(roles.SUPERVISOR)
    factories.seed(supervisor=client.user, org_admin=make_user())
    response = client.get(URL)
    cells = list(_linked_cells(response))
    for section in response.context["sections"]:
        for table in section.tables:
            for row in table.rows:
                # every count is a link (a verdict such as "within" or a share is not a figure)
                assert all(cell.url for cell in row[1:] if isinstance(cell.value, int)), row
    assert len(cells) > 60
    checked_counts = 0
    for table, label, cell in cells:
        target = client.get(cell.url)
        assert target.status_code == 200, (table.key, label, cell.url)
        if cell.url.startswith("/admin/") and cell.exact:
            assert target.context_data["cl"].result_count == cell.value, (
                table.key,
                label,
                cell.url,
            )
            checked_counts += 1
    assert checked_counts > 50


def test_links_show_only_where_the_role_may_open_the_list(staff_client, make_user):
    client = staff_client(roles.VEHICLE_INSPECTOR)
    factories.seed_vehicles()
    response = client.get(URL)
    by_table = {}
    for table, _label, cell in _linked_cells(response):
        by_table.setdefault(table.key, []).append(cell.url)
    # inspectors may open the vehicle list, not renewal applications or rate filings
    assert by_table["inspections-due"]
    assert "renewals-by-status" not in by_table
    assert "rates-season" not in by_table
    for url in by_table["inspections-due"]:
        assert client.get(url).status_code == 200
    page = response.content.decode()
    assert "/admin/providers/renewalapplication/" not in page


def test_csv_download_of_a_table(staff_client, make_user):
    client = staff_client(roles.RATES_ANALYST)
    factories.seed(supervisor=make_user(role=roles.SUPERVISOR), org_admin=make_user())
    response = client.get(URL, {"format": "csv", "table": "renewals-by-status"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    assert "renewals-by-status" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Status", "Applications"]
    values = dict(rows[1:])
    assert values["Approved"] == "4"
    assert values["Denied"] == "3"
    assert values["Fee due"] == "0"
    assert values["All"] == "12"


def test_csv_of_the_processing_time_and_the_level_status_grid(staff_client, make_user):
    client = staff_client(roles.SUPERVISOR)
    factories.seed_renewals(make_user())
    processing = client.get(URL, {"format": "csv", "table": "renewals-processing"})
    rows = list(csv.reader(io.StringIO(processing.content.decode())))
    assert rows[0] == ["Measure", "Value", "Against the 4–6 week target"]
    assert rows[1:3] == [["Decided", "5", ""], ["Median", "30 days", "within"]]
    assert rows[3] == ["90th percentile", "44 days", "over"]
    grid = client.get(URL, {"format": "csv", "table": "certifications-by-level-status"})
    header, *body = list(csv.reader(io.StringIO(grid.content.decode())))
    assert header[0] == "Level" and header[1] == "Active" and header[-1] == "Total"
    assert body[-1][0] == "All levels"
    # the renewals seed holds twelve EMT certifications, all active
    emt = next(row for row in body if row[0].startswith("Emergency Medical Technician"))
    assert emt[1] == "12" and emt[-1] == "12"


def test_an_unknown_table_is_not_found(staff_client):
    response = staff_client(roles.SUPERVISOR).get(URL, {"format": "csv", "table": "nope"})
    assert response.status_code == 404


def test_charts_are_accessible_svg_with_the_numbers_in_words(staff_client, make_user):
    client = staff_client(roles.SUPERVISOR)
    factories.seed_renewals(make_user())
    page = client.get(URL).content.decode()
    for key in ("chart-certifications", "chart-renewals-status", "chart-renewals-processing"):
        assert f'data-chart="{key}"' in page
        assert f'aria-labelledby="{key}-title {key}-desc"' in page
        assert f'<title id="{key}-title">' in page
        assert f'<desc id="{key}-desc">' in page
    assert 'role="img"' in page
    assert "median 30 days, 90th percentile 44 days; target 4 to 6 weeks" in page
    assert "Target 4–6 weeks" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # no JS charting


def test_the_admin_links_to_the_dashboard(staff_client):
    response = staff_client(roles.LICENSING_REVIEWER).get(reverse("admin:index"))
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_the_signed_in_dashboard_links_staff_to_it(staff_client, client, make_user):
    page = staff_client(roles.INVESTIGATOR).get(reverse("core:dashboard")).content.decode()
    assert f'href="{URL}"' in page
    client.force_login(make_user(role=roles.PROVIDER))
    assert f'href="{URL}"' not in client.get(reverse("core:dashboard")).content.decode()


def test_labels_are_escaped_in_charts():
    from oversight import charts

    svg = charts.bar_chart("x", title="<b>", description="a & b", bars=[("<script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
