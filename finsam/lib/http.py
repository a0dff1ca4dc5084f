"""Where to send a user after a form: the page they came from, only if it is ours."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """``next`` from the form or the address when it is a path on this site
    (never another site, never something ``redirect`` would read as a view
    name, like "-1"); otherwise ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and not candidate.startswith("//")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return fallback
