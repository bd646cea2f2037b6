"""Every view that takes an SSN, a card or a bank account marks those parameters sensitive, so
Django's error reports never carry them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.views.debug import SafeExceptionReporterFilter

VIEWS = [
    ("providers:link", {}, ["ssn", "date_of_birth"]),
    ("providers:initial-edit", {"pk": 1}, ["ssn", "date_of_birth"]),
]


@pytest.mark.parametrize(("name", "kwargs", "fields"), VIEWS)
def test_error_reports_hide_the_numbers(name, kwargs, fields):
    url = reverse(name, kwargs=kwargs)
    request = RequestFactory().post(url, dict.fromkeys(fields, "123456789"))
    request.user = AnonymousUser()  # the decorator runs before the sign-in check sends it away
    match = resolve(url)
    match.func(request, *match.args, **match.kwargs)
    reported = SafeExceptionReporterFilter().get_post_parameters(request)
    for field in fields:
        assert reported[field] == SafeExceptionReporterFilter.cleansed_substitute, field


def test_a_traceback_through_the_ssn_helpers_hides_the_ssn():
    from core.errors import DomainError
    from providers.services import ssn_keyed

    try:
        ssn_keyed("12-345")  # too short: refused
    except DomainError as error:
        traceback = error.__traceback__
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    variables = dict(SafeExceptionReporterFilter().get_traceback_frame_variables(None, frames[-1]))
    assert variables["ssn"] == SafeExceptionReporterFilter.cleansed_substitute
