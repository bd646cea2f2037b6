"""The project's own error for a refused business action."""


class DomainError(Exception):
    """A business rule refused the action. ``message`` is written for the person who asked;
    ``field`` names the form field it belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
