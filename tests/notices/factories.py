"""Builders for notice tests: a notice, and people in each audience."""

from notices.models import Notice
from notices.rules import Audience
from tests.providers.factories import make_certification


def make_notice(**fields) -> Notice:
    fields.setdefault("subject", "Changes to the protocols")
    fields.setdefault("body", "The statewide protocols change on July 1.\n\nRead them online.")
    fields.setdefault("audience", Audience.ACTIVE_PROVIDERS)
    return Notice.objects.create(**fields)


def active_providers(count: int, *, start: int = 0, **certification):
    """``count`` providers, each with one active certification and a contact email."""
    return [
        make_certification(
            email=f"p{start + index:03d}@example.com",
            ssn=f"{start + index:03d}-11-0000",
            **certification,
        ).provider
        for index in range(count)
    ]
