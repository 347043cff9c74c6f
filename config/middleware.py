"""A database that is away for a moment gives a friendly 503, not a 500; every 429 says when
to try again.

The page is rendered without the request (no session, no user: both need the
database). Screens polling live.json get a JSON 503, keep counting locally and
catch up when the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)


class RetryAfterMiddleware:
    """Every 429 says when to try again. The throttles set the exact wait; any other 429 (a
    view or a package that forgot) gets a minute rather than nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = "60"
        return response


def database_unavailable(request, exception: Exception) -> HttpResponse:
    logger.error("Database unavailable for %s: %s", request.path, exception)
    if request.path.endswith(".json"):
        response = JsonResponse({"error": "database unavailable"}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response
