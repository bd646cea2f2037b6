"""The follow-up to a sign-in email change (allauth's ``email_changed``): the contact email on
the state record is the person's to decide, so it is offered, not changed. The contact page
keeps offering it while the two differ."""

from allauth.account.signals import email_changed
from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from .. import selectors as provider_selectors
from . import selectors


def offer_contact_email_update(sender, request, user, to_email_address, **kwargs):
    provider = provider_selectors.provider_of(user)
    new = to_email_address.email
    if provider is None or request is None or not selectors.contact_email_differs(provider, new):
        return  # no record, or its emails already go to the new address
    messages.info(
        request,
        format_html(
            "Your sign-in email is now {}. Reminders and notices still go to {}: "
            '<a class="usa-link" href="{}">use the new address for them too</a>.',
            new,
            provider.email,
            reverse("providers:contact"),
        ),
    )


def connect() -> None:
    email_changed.connect(offer_contact_email_update, dispatch_uid="providers.contact.offer")
