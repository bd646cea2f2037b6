"""core.errors: where a refused action is shown."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import DomainError, refusal_as_message


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_becomes_the_error_message_and_skips_the_rest_of_the_block():
    request = _request()
    done = []
    with refusal_as_message(request):
        raise DomainError("Not today.")
        done.append("success")  # never reached
    assert done == []
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "Not today.")]


def test_without_a_refusal_the_block_runs_to_its_end():
    request = _request()
    with refusal_as_message(request):
        done = True
    assert done and list(get_messages(request)) == []


def test_a_refusal_on_form_goes_beside_its_field_and_skips_the_rest_of_the_block():
    from django import forms

    from core.errors import refusal_on_form

    class NameForm(forms.Form):
        name = forms.CharField()

    form = NameForm({"name": "x"})
    assert form.is_valid()
    done = []
    with refusal_on_form(form):
        raise DomainError("Taken.", field="name")
        done.append("success")  # never reached
    assert done == [] and form.errors == {"name": ["Taken."]}
