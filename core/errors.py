"""The project's own error for a refused business action."""


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
