import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection, transaction
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from finsam.audit import set_session_actor
from finsam.auth import needs_enrolment

LOGIN_AT_SESSION_KEY = "finsam_login_at"
RENEWED_AT_SESSION_KEY = "finsam_renewed_at"


class SessionLimitsMiddleware:
    """Ends a session that has lasted longer than the absolute limit.

    The idle limit is the session's age in the database (SESSION_COOKIE_AGE),
    renewed by activity: at most once every SESSION_RENEW_SECONDS, so that a
    page read is not also a write of the session row.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(LOGIN_AT_SESSION_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, _("Du har varit inloggad länge och har loggats ut. Logga in igen.")
                )
                return redirect(settings.LOGIN_URL)
            now = int(time.time())
            if (
                now - request.session.get(RENEWED_AT_SESSION_KEY, 0)
                >= settings.SESSION_RENEW_SECONDS
            ):
                request.session[RENEWED_AT_SESSION_KEY] = now  # saved, with a new expiry
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """Staff who have given only a password reach nothing but the 2FA pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages stay public
        if needs_enrolment(user):
            return redirect("account:otp_setup")
        return redirect("account:otp_verify")


# Statements that cannot write a row an audit trigger sees.
_READS = frozenset(
    {"SELECT", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK", "SHOW", "SET", "FETCH"}
)


_WRITES_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _may_write(sql: str) -> bool:
    head = sql.lstrip(" \t\r\n(").split(None, 1)  # "(SELECT …) UNION (SELECT …)" reads
    if not head:
        return False
    first = head[0].upper()
    if first == "WITH":  # a query with CTEs writes only if one of them does
        return bool(_WRITES_IN_WITH.search(sql))
    return first not in _READS


class AuditActorMiddleware:
    """Names the logged-in user to the audit trigger for what this request
    writes outside a service (the services name their actor themselves).

    The name is given to the database just before the request's first
    statement that may write, and taken back after the response: a page that
    only reads, as most do, costs no round trip for it. A name given inside
    a transaction lasts only if that transaction commits, so until then it
    is given again before each write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        context = f"{request.method} {request.path}"
        state = {"named": False, "lasting": False}

        def lasting():
            state["lasting"] = True

        def name_actor(execute, sql, params, many, call_context):
            if not state["lasting"] and _may_write(sql):
                state["named"] = state["lasting"] = True  # no recursion
                set_session_actor(user.pk, context)
                if connection.in_atomic_block:
                    state["lasting"] = False
                    transaction.on_commit(lasting)
            return execute(sql, params, many, call_context)

        with connection.execute_wrapper(name_actor):
            try:
                return self.get_response(request)
            finally:
                if state["named"]:
                    set_session_actor(None)


class RefuseNullCharactersMiddleware:
    """A NUL character can never be stored (PostgreSQL refuses it in text) nor
    mean anything in a form: a request carrying one in its address or form
    fields is answered 400 with a Swedish explanation, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def has_nul(data) -> bool:
            return any(
                "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
            )

        if (
            "\x00" in request.path
            or has_nul(request.GET)
            or (request.method == "POST" and has_nul(request.POST))
        ):
            return render(
                request,
                "400.html",
                {"message": _("Texten innehåller ett otillåtet tecken (NUL). Skriv om den.")},
                status=400,
            )
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A statement that ran past its timeout, or a row lock not granted in
    time, answers 503 with a Swedish "try again" (the service's transaction
    has rolled back: nothing is half-written). A change a trigger refuses
    answers 409 with the trigger's reason (``refused``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError, ProgrammingError
        from psycopg import errors

        if isinstance(exception, OperationalError) and isinstance(
            exception.__cause__, errors.LockNotAvailable | errors.QueryCanceled
        ):
            response = render(
                request,
                "503.html",
                {
                    "message": _(
                        "Någon annan arbetar med samma uppgifter just nu, eller så är systemet "
                        "hårt belastat. Ingenting har sparats. Försök igen om en stund."
                    )
                },
                status=503,
            )
            response["Retry-After"] = "5"
            return response
        if isinstance(exception, ProgrammingError) and isinstance(
            exception.__cause__, errors.InsufficientPrivilege
        ):
            return refused(request, exception.__cause__)
        return None


def refused(request, error):
    """The database's own refusal (a justerat protocol's lock, a handed-in
    report, the append-only log: their triggers say why, in Swedish) as a
    page that says so, never a 500: whatever path the change came by (a
    stale tab, a forged POST, the Django admin), nothing was saved. The way
    back is the page the request came from, when it is one of this site's."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = urlsplit(back).path if back else ""
    return render(
        request,
        "refused.html",
        {"message": error.diag.message_primary or "", "back": back},
        status=409,
    )


# Browser features no page of Finsam uses: a script injected despite the CSP
# still gets none of them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; and whatever a logged-in user is
    shown (pages, report previews and PDFs, workbooks, registerutdrag) is
    never stored by the browser or a proxy: Cache-Control: no-store, private.
    The public anslagstavla may be cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, no_cache=True)
        return response


class RequestLogMiddleware:
    """One JSON line per request on the ``finsam.requests`` logger: request
    id (the proxy's X-Request-ID if it is a plain token, else a new one,
    answered in the same header), user id, method, path without its query
    string (a search may hold a participant's code), status and duration.
    No names, no personal data of participants."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import json
        import logging
        import re
        import uuid

        given = request.headers.get("X-Request-ID", "")
        request.request_id = (
            given if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", given) else (uuid.uuid4().hex)
        )
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        log = logging.getLogger("finsam.requests")
        if not log.isEnabledFor(logging.INFO):
            return response
        user = getattr(request, "user", None)
        log.info(
            json.dumps(
                {
                    "request_id": request.request_id,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
                ensure_ascii=False,
            )
        )
        return response
