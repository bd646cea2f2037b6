"""The payments API: a payer's own payments and invoices (token), and the staff list."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create

from .factories import open_invoice, pay_by_card

pytestmark = pytest.mark.django_db


def _token_client(user):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test', second_factor=True)[1]}"
    )
    return client


def test_a_payer_lists_only_their_own_payments_and_invoices(make_user):
    payer, other = make_user("payer@example.com"), make_user("other@example.com")
    mine = pay_by_card(open_invoice(payer))
    theirs = pay_by_card(open_invoice(other))
    client = _token_client(payer)
    payments = client.get("/api/v1/payments/mine/").json()["results"]
    assert [p["id"] for p in payments] == [str(mine.pk)]
    assert payments[0]["total"] == "307.05" and payments[0]["account_last4"] == "4242"
    assert payments[0]["test_mode"] is True
    invoices = client.get("/api/v1/payments/invoices/mine/").json()["results"]
    assert [i["id"] for i in invoices] == [str(mine.invoice_id)]
    assert invoices[0]["balance"] == "0.00"
    assert client.get(f"/api/v1/payments/{mine.pk}/").status_code == 200
    assert client.get(f"/api/v1/payments/{theirs.pk}/").status_code == 404


def test_staff_list_needs_the_permission_and_filters(make_user):
    payer = make_user("payer@example.com")
    pay_by_card(open_invoice(payer))
    assert _token_client(payer).get("/api/v1/staff/payments/").status_code == 403
    staff = _token_client(make_user(role="licensing reviewer"))
    rows = staff.get("/api/v1/staff/payments/?status=settled&method=card").json()["results"]
    assert len(rows) == 1 and rows[0]["payer_email"] == "payer@example.com"
    assert staff.get("/api/v1/staff/payments/?status=returned").json()["results"] == []
    assert staff.get("/api/v1/staff/payments/?status=bogus").status_code == 400


def test_anonymous_gets_nothing():
    assert APIClient().get("/api/v1/payments/mine/").status_code in (401, 403)


def test_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/payments/mine/",
        "/api/v1/payments/invoices/mine/",
        "/api/v1/staff/payments/",
    ):
        assert path in schema
