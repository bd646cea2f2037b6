"""The Short Form spreadsheet: download, fill offline, upload; and every bad upload refused
with a message naming the row and column, nothing saved."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from rates.models import RateFiling

from .factories import PRIOR_2023, OrganizationFactory, approved_schedule

pytestmark = pytest.mark.django_db


def download(client, organization, year=2024):
    response = client.get(reverse("rates:short-form-xlsx", args=[organization.pk, year]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def upload(client, organization, workbook, year=2024):
    buffer = BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("short-form.xlsx", buffer.getvalue())
    return client.post(
        reverse("rates:short-form-upload", args=[organization.pk, year]), {"spreadsheet": file}
    )


def rows_by_code(sheet):
    return {
        sheet.cell(row=r, column=1).value: r
        for r in range(8, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }


@pytest.fixture
def signed_in(client, org_admin, organization, season):
    client.force_login(org_admin)
    return client


def test_download_is_prefilled_with_last_years_rates_and_caps_and_locked(signed_in, organization):
    sheet = download(signed_in, organization)["Short Form"]
    assert sheet["B2"].value == organization.number and sheet["B4"].value == 2024
    rows = rows_by_code(sheet)
    assert set(rows) == set(PRIOR_2023)
    mileage = rows["mileage"]
    assert sheet.cell(row=mileage, column=4).value == 15
    assert sheet.cell(row=mileage, column=5).value == pytest.approx(15.65)
    assert sheet.protection.sheet is True
    assert sheet.cell(row=mileage, column=6).protection.locked is False
    assert sheet.cell(row=mileage, column=5).protection.locked is True


def test_round_trip_download_edit_upload_keeps_the_same_numbers(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    typed = {"bls-emergency": 834.4, "als1-emergency": 1020.5, "mileage": 15.65}
    for code, row in rows_by_code(sheet).items():
        sheet.cell(row=row, column=6, value=typed[code])

    response = upload(signed_in, organization, workbook)
    assert response.status_code == 302

    filing = RateFiling.objects.get(organization=organization)
    saved = {line.category.code: line.requested_amount for line in filing.lines.all()}
    assert saved == {
        "bls-emergency": Decimal("834.40"),
        "als1-emergency": Decimal("1020.50"),
        "mileage": Decimal("15.65"),
    }
    # and downloading again shows what was saved
    again = download(signed_in, organization)["Short Form"]
    assert {
        code: again.cell(row=row, column=6).value for code, row in rows_by_code(again).items()
    } == typed


def assert_refused(response, *fragments):
    assert response.status_code == 400
    text = response.content.decode()
    for fragment in fragments:
        assert fragment in text, fragment
    assert not RateFiling.objects.filter(lines__isnull=False).exists()


def fill_all(sheet, value=800):
    for row in rows_by_code(sheet).values():
        sheet.cell(row=row, column=6, value=value)


def test_text_in_a_number_cell_names_row_and_column(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet)
    row = rows_by_code(sheet)["mileage"]
    sheet.cell(row=row, column=6, value="fifteen")
    assert_refused(
        upload(signed_in, organization, workbook),
        f"Row {row}, column F (2024 requested rate)",
        "“fifteen” is not a number",
    )


def test_a_negative_rate_is_refused(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet)
    row = rows_by_code(sheet)["bls-emergency"]
    sheet.cell(row=row, column=6, value=-5)
    assert_refused(
        upload(signed_in, organization, workbook), f"Row {row}, column F", "cannot be negative"
    )


def test_a_rate_above_the_cap_points_to_the_long_form(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet, 10)
    row = rows_by_code(sheet)["mileage"]
    sheet.cell(row=row, column=6, value=15.66)
    assert_refused(
        upload(signed_in, organization, workbook),
        f"Row {row}, column F",
        "above the cap of $15.65",
        "Long Form",
    )


def test_a_missing_row_is_named(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet)
    sheet.delete_rows(rows_by_code(sheet)["als1-emergency"])
    assert_refused(
        upload(signed_in, organization, workbook),
        "The row for ALS1 emergency (code als1-emergency) is missing",
    )


def test_an_extra_column_is_named(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet)
    sheet.cell(row=7, column=7, value="Notes")
    assert_refused(
        upload(signed_in, organization, workbook),
        "Column G (“Notes” in row 7) is not part of the form",
    )


def test_another_organizations_sheet_is_refused(signed_in, org_admin, organization):
    sister = OrganizationFactory(administrators=[org_admin])
    approved_schedule(sister, 2023, PRIOR_2023)
    workbook = download(signed_in, sister)
    fill_all(workbook["Short Form"])
    assert_refused(
        upload(signed_in, organization, workbook),
        f"this spreadsheet is for organization “{sister.number}”, not {organization.number}",
    )


def test_an_unknown_category_row_and_a_file_that_is_not_a_workbook(signed_in, organization):
    workbook = download(signed_in, organization)
    sheet = workbook["Short Form"]
    fill_all(sheet)
    sheet.cell(row=sheet.max_row + 1, column=1, value="als2")
    sheet.cell(row=sheet.max_row, column=6, value=10)
    assert_refused(
        upload(signed_in, organization, workbook),
        f"Row {sheet.max_row}, column A (Category code)",
        "“als2” is not a category",
    )

    response = signed_in.post(
        reverse("rates:short-form-upload", args=[organization.pk, 2024]),
        {"spreadsheet": SimpleUploadedFile("rates.xlsx", b"not a zip")},
    )
    assert_refused(response, "not an Excel workbook")


def test_a_stranger_can_neither_download_nor_upload(client, make_user, organization, season):
    client.force_login(make_user("stranger@example.com"))
    assert (
        client.get(reverse("rates:short-form-xlsx", args=[organization.pk, 2024])).status_code
        == 404
    )
    response = client.post(
        reverse("rates:short-form-upload", args=[organization.pk, 2024]),
        {"spreadsheet": SimpleUploadedFile("x.xlsx", b"x")},
    )
    assert response.status_code == 404
