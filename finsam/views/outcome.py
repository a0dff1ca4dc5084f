"""How a view tells the user what came of a write."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def attempt(request, write: Callable[[], object], success: str) -> bool:
    """Run ``write`` (a service call) for the request and say how it went:
    each of the service's Swedish refusals as an error, else ``success``.
    Returns whether it was written."""
    try:
        write()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def attempt_form(request, form, write: Callable[[dict], object], success: str) -> bool:
    """A valid ``form`` written by ``write(cleaned_data)`` (a service call):
    ``success`` said, True; else the form keeps its errors and the service's
    Swedish refusals on their fields, to be shown again, and False."""
    from finsam.forms import form_errors

    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form_errors(form, error)
        return False
    messages.success(request, success)
    return True
