"""The TEST MODE banner on every page while the payment processor is the test one."""

from .gateway import get_gateway


def payments_mode(request):
    gateway = get_gateway()
    return {"PAYMENTS_TEST_MODE_LABEL": gateway.label if gateway.test_mode else ""}
