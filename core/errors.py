"""The project's own error for a refused business action, and where a view shows it."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages


class DomainError(Exception):
    """A business rule refused the action. ``message`` is written for the person who asked;
    ``field`` names the form field it belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def put_on_form(form, error: DomainError) -> None:
    """Show a refused action where the person will look: beside the field it names when the form
    has that field, at the top of the form otherwise. What they typed stays on the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@contextmanager
def refusal_as_message(request) -> Iterator[None]:
    """Around a POST action that answers with a redirect: a refused action (``DomainError``)
    becomes an error message on the next page, and the rest of the block (the success message)
    is skipped."""
    try:
        yield
    except DomainError as error:
        messages.error(request, error.message)


@contextmanager
def refusal_on_form(form) -> Iterator[None]:
    """Around the service call of a valid form: a refused action (``DomainError``) is put on the
    form (``put_on_form``) and the rest of the block (the success message and redirect) is
    skipped, so the view goes on to show the form again."""
    try:
        yield
    except DomainError as error:
        put_on_form(form, error)
