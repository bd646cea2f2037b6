"""The shape of every admin action that changes state: call one service per selected row.

A row the service refuses (``DomainError``) is reported with its reason and the other rows go
on; the count of rows that changed is reported once at the end. Each app's admin says only which
service to call and how to word the success message.
"""

from collections.abc import Callable

from django.contrib import messages

from .errors import DomainError


def run_for_each(
    modeladmin,
    request,
    queryset,
    call: Callable[[object], object],
    *,
    message: Callable[[int], str],
) -> int:
    """``call(obj)`` for each selected row; returns how many succeeded."""
    succeeded = 0
    for obj in queryset:
        try:
            call(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, message(succeeded), messages.SUCCESS)
    return succeeded
