"""The error page of last resort: the database that does not answer gets a
Swedish 503 ("try again"), without a page that itself needs the database."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults


def server_error(request):
    problem = sys.exc_info()[1]
    if isinstance(problem, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503_database.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
