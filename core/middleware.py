"""PostgreSQL down: every page answers a clear 503 page, not a traceback or a hanging request.

A database that does not answer raises ``OperationalError`` (or ``InterfaceError`` on a
connection it already dropped) within ``DATABASE_CONNECT_TIMEOUT`` seconds (settings). Raised by a
view, ``DatabaseUnavailableMiddleware`` turns it into the page; raised anywhere else (a
middleware reading the session or the user), Django hands it to ``handler500``, which is
``server_error`` below and does the same. The page is rendered without the request's context
(which would query again). The next request opens a new connection (``CONN_HEALTH_CHECKS``),
so the portal recovers by itself when the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503_database.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable on %s: %r", request.path, exception)
            return database_unavailable_response()
        return None


def server_error(request, *args, **kwargs):
    """handler500: the 503 page when the error was the database not answering."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable_response()
    return defaults.server_error(request, *args, **kwargs)
