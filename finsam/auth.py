"""Second-factor helpers: who must verify, and re-checks before sensitive acts."""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user, user_has_device

RECHECK_SESSION_KEY = "finsam_second_factor_at"


def second_factor_exempt(view):
    """Mark a view an authenticated user may reach before the second factor."""
    view.second_factor_exempt = True
    return view


def verify_token(user, token: str):
    """Return the confirmed device that accepts ``token``, or None.

    TOTP and backup-code devices throttle repeated failures themselves.
    """
    token = (token or "").replace(" ", "").strip()
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def mark_second_factor_checked(request) -> None:
    request.session[RECHECK_SESSION_KEY] = int(time.time())


def second_factor_is_recent(request) -> bool:
    checked = request.session.get(RECHECK_SESSION_KEY, 0)
    return time.time() - checked <= settings.SECOND_FACTOR_RECHECK_SECONDS


def recent_second_factor(view):
    """Ask for the second factor again unless it was given in the last minutes.

    Later issues put this in front of signing protocols and exporting
    participant data.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not second_factor_is_recent(request):
            return redirect(
                f"{reverse('account:recheck')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapped


def needs_enrolment(user) -> bool:
    return not user_has_device(user, confirmed=True)


USERNAME_MAX = 150  # User.username's max_length


def axes_username(request, credentials) -> str:
    """The username django-axes records, cut to what a username can be."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "")[:USERNAME_MAX]
