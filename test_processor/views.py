"""The fake processor's hosted page and its small dashboard, under /test-processor/. They exist
only while the portal runs the test processor (TEST MODE); otherwise every URL here is a 404."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from payments.gateway import get_gateway

from . import services
from .adapter import TestProcessorGateway
from .forms import AchForm, CardForm
from .models import CheckoutStatus, TestCheckout


def _require_test_mode():
    if not isinstance(get_gateway(), TestProcessorGateway):
        raise Http404("The test processor is off.")


@require_http_methods(["GET", "POST"])
def checkout(request, checkout_id):
    """The hosted payment page. Like a real processor's, it knows the checkout, not the
    portal's user: the unguessable checkout id is the key."""
    _require_test_mode()
    session = get_object_or_404(TestCheckout, pk=checkout_id)
    if session.status == CheckoutStatus.COMPLETE:
        return redirect(session.return_url)  # a second submit, or Back then Pay again
    form_class = CardForm if session.method == "card" else AchForm
    form = form_class(request.POST or None)
    if request.method == "POST" and session.status == CheckoutStatus.OPEN and form.is_valid():
        try:
            if session.method == "card":
                services.checkout_pay_card(
                    checkout_id=session.pk, number=form.cleaned_data["number"]
                )
            else:
                services.checkout_pay_bank(
                    checkout_id=session.pk, account_number=form.cleaned_data["account_number"]
                )
        except services.PaymentRefused as error:
            form.add_error(error.field, error.message)
        else:
            return redirect(session.return_url)
    return render(
        request,
        "test_processor/checkout.html",
        {
            "session": session,
            "form": form,
            "test_cards": services.TEST_CARDS,
            "test_accounts": services.TEST_ACCOUNTS,
            "test_routing_number": services.TEST_ROUTING_NUMBER,
        },
    )


@staff_member_required
def dashboard(request):
    """The processor's side, for the demo: recent checkouts and the events sent."""
    _require_test_mode()
    return render(
        request,
        "test_processor/dashboard.html",
        {
            "checkouts": TestCheckout.objects.prefetch_related("events")[:50],
            "pending_debits": TestCheckout.objects.filter(
                method="ach",
                status=CheckoutStatus.COMPLETE,
                payment_status="unpaid",
                debit_failed=False,
            ).count(),
        },
    )


@staff_member_required
@require_POST
def release_debits(request):
    _require_test_mode()
    released = services.debits_release()
    messages.success(request, f"{released} bank debit(s) settled or failed; events sent.")
    return redirect("test_processor:dashboard")


@staff_member_required
@require_POST
def open_dispute(request, checkout_id):
    _require_test_mode()
    services.dispute_open(checkout_id=get_object_or_404(TestCheckout, pk=checkout_id).pk)
    messages.success(request, "Dispute opened; the chargeback event was sent.")
    return redirect("test_processor:dashboard")
