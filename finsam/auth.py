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


def check_signature_credentials(user, password: str, token: str) -> None:
    """A signature (justering of a protocol, a §, a rättelse) needs the
    signer's password and a fresh one-time code; a ValidationError per field
    otherwise."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    errors = {}
    if not user.check_password(password or ""):
        errors["password"] = _("Lösenordet stämmer inte.")
    if verify_token(user, token) is None:
        errors["token"] = _("Engångskoden stämmer inte eller har redan använts.")
    if errors:
        raise ValidationError(errors)


def mark_second_factor_checked(request) -> None:
    request.session[RECHECK_SESSION_KEY] = int(time.time())


def second_factor_is_recent(request) -> bool:
    checked = request.session.get(RECHECK_SESSION_KEY, 0)
    return time.time() - checked <= settings.SECOND_FACTOR_RECHECK_SECONDS


def recheck_redirect(request):
    """To the second-factor re-check, and back to this page afterwards."""
    return redirect(f"{reverse('account:recheck')}?{urlencode({'next': request.get_full_path()})}")


def recent_second_factor(view):
    """Ask for the second factor again unless it was given in the last minutes
    (SECOND_FACTOR_RECHECK_SECONDS): before changing one's password, showing a
    participant's identity, a registerutdrag, and every export of participant
    data or of budgets."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not second_factor_is_recent(request):
            return recheck_redirect(request)
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


# --- Who is knocking: the client's address behind trusted proxies ------------


def client_ip(request) -> str:
    """The client's address. X-Forwarded-For is believed only from the reverse
    proxies in FINSAM_TRUSTED_PROXIES (addresses or networks): the right-most
    address in it that is not one of them. Anyone else could write anything
    there, and get a new address for every login attempt."""
    import ipaddress

    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = [ipaddress.ip_network(n, strict=False) for n in settings.FINSAM_TRUSTED_PROXIES]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if not trusted or not is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not is_trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


# --- Login throttling beyond django-axes's per-username-and-address lock -----


def login_wait_seconds(request, username: str) -> int:
    """How long this login attempt must wait, in seconds (0: go ahead).

    django-axes locks a username from the address that failed. Two attacks go
    around that, and are slowed here from the failures axes records:
    - one username tried from many addresses: after FINSAM_LOGIN_FREE_FAILURES
      failures within the cool-off, each further attempt waits twice as long
      as the one before (2, 4, 8 … seconds, at most the cool-off) – slowed, not
      locked, so an attacker cannot lock a colleague out;
    - many usernames tried from one address: after FINSAM_LOGIN_IP_FAILURE_LIMIT
      failures within the cool-off the address waits out the cool-off.
    """
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum
    from django.utils import timezone

    now = timezone.now()
    cooloff = settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cooloff)
    wait = 0
    by_address = recent.filter(ip_address=client_ip(request)).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (by_address["failures"] or 0) >= settings.FINSAM_LOGIN_IP_FAILURE_LIMIT:
        wait = (by_address["last"] + cooloff - now).total_seconds()
    if username:
        by_username = recent.filter(username=username[:USERNAME_MAX]).aggregate(
            failures=Sum("failures_since_start"), last=Max("attempt_time")
        )
        over = (by_username["failures"] or 0) - settings.FINSAM_LOGIN_FREE_FAILURES
        if over >= 0:
            delay = min(2 ** (over + 1), cooloff.total_seconds())
            wait = max(wait, (by_username["last"] - now).total_seconds() + delay)
    return max(0, int(wait + 0.999))
