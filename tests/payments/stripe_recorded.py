"""Stripe's answers and webhook events, recorded as Stripe documents them (API reference object
shapes, trimmed to the fields the adapter reads), and a client that replays them: the Stripe
adapter is tested through the real ``stripe`` library without reaching the network."""

import json
from urllib.parse import parse_qs, urlsplit

import stripe

SESSION_ID = "cs_test_a1B2c3D4e5F6g7H8i9J0"
INTENT_ID = "pi_3PqRsTuVwXyZ0123456789"
CHARGE_ID = "ch_3PqRsTuVwXyZ0123456789"


def session(**fields):
    return {
        "id": SESSION_ID,
        "object": "checkout.session",
        "amount_total": 12794,
        "currency": "usd",
        "client_reference_id": None,
        "livemode": False,
        "metadata": {},
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "status": "open",
        "url": f"https://checkout.stripe.com/c/pay/{SESSION_ID}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
        **fields,
    }


PAYMENT_INTENT_CARD = {
    "id": INTENT_ID,
    "object": "payment_intent",
    "amount": 12794,
    "status": "succeeded",
    "last_payment_error": None,
    "latest_charge": {
        "id": CHARGE_ID,
        "object": "charge",
        "payment_method_details": {
            "type": "card",
            "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034},
        },
    },
}
PAYMENT_INTENT_ACH_FAILED = {
    "id": INTENT_ID,
    "object": "payment_intent",
    "amount": 12500,
    "status": "requires_payment_method",
    "last_payment_error": {"code": "insufficient_funds", "type": "card_error"},
    "latest_charge": {
        "id": CHARGE_ID,
        "object": "charge",
        "payment_method_details": {
            "type": "us_bank_account",
            "us_bank_account": {"bank_name": "STRIPE TEST BANK", "last4": "6789"},
        },
    },
}
REFUND = {
    "id": "re_3PqRsTuVwXyZ0123456789",
    "object": "refund",
    "amount": 12500,
    "payment_intent": INTENT_ID,
    "status": "succeeded",
}
BALANCE_TRANSACTIONS = {
    "object": "list",
    "url": "/v1/balance_transactions",
    "has_more": False,
    "data": [
        {
            "id": "txn_1",
            "object": "balance_transaction",
            "amount": 12794,
            "type": "charge",
            "source": {"id": CHARGE_ID, "object": "charge", "payment_intent": INTENT_ID},
        },
        {
            "id": "txn_2",
            "object": "balance_transaction",
            "amount": -2500,
            "type": "refund",
            "source": {"id": "re_x", "object": "refund", "payment_intent": "pi_other"},
        },
        {
            "id": "txn_3",
            "object": "balance_transaction",
            "amount": 30000,
            "type": "payment",
            "source": {"id": "py_9", "object": "charge", "payment_intent": "pi_not_ours"},
        },
    ],
}
EXPIRE_COMPLETE_ERROR = {
    "error": {
        "code": "checkout_session_not_expirable",
        "message": 'Only Checkout Sessions with a status in ["open"] can be expired.',
        "type": "invalid_request_error",
    }
}


def event(event_type: str, obj: dict, *, event_id="evt_1PqRsTuVwXyZ", created=1767225600) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2024-06-20",
            "created": created,
            "livemode": False,
            "type": event_type,
            "data": {"object": obj},
        }
    ).encode()


def charge(**fields):
    return {
        "id": CHARGE_ID,
        "object": "charge",
        "amount": 12794,
        "amount_refunded": 0,
        "payment_intent": INTENT_ID,
        "refunded": False,
        "metadata": {},
        **fields,
    }


def dispute(**fields):
    return {
        "id": "dp_1PqRsTuVwXyZ",
        "object": "dispute",
        "amount": 12794,
        "charge": CHARGE_ID,
        "payment_intent": INTENT_ID,
        "reason": "fraudulent",
        "status": "needs_response",
        **fields,
    }


class RecordedStripe(stripe.HTTPClient):
    """Answers each (method, path) with a recorded response and keeps every request; an
    unexpected request fails the test instead of reaching the network."""

    name = "recorded"

    def __init__(self, responses: dict):
        super().__init__()
        self.responses = responses
        self.requests = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        body = parse_qs(post_data.decode() if isinstance(post_data, bytes) else post_data or "")
        self.requests.append(
            {
                "method": method.upper(),
                "path": parts.path,
                "query": parse_qs(parts.query),
                "headers": dict(headers or {}),
                "body": body,
            }
        )
        key = (method.upper(), parts.path)
        if key not in self.responses:
            raise AssertionError(f"unrecorded Stripe request {key}")
        status, payload = self.responses[key]
        return json.dumps(payload), status, {"request-id": "req_recorded"}

    def request_stream(self, *args, **kwargs):
        raise AssertionError("no streaming in these tests")

    def close(self):
        pass
