"""Role-gated views that never reveal what the user may not see.

The rule (README, "Åtkomst"): an object outside the user's scope answers 404,
whatever the view; 403 is only for an object the user may see but may not
act on with their role (processledare A on insats A's budget form).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404


def _names_an_object(kwargs) -> bool:
    return any(name == "pk" or name.endswith("_pk") for name in kwargs)


def requires(permission: str, *, within: str, find=None):
    """The view needs ``permission`` (a role's, within the area ``within``).
    Without it, a view whose URL names an object answers 404 when the object
    is not the user's to see: the whole area is out of scope, or
    ``find(request, pk)`` raises Http404. Otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                if _names_an_object(kwargs):
                    if not request.user.has_perm(within):
                        raise Http404
                    if find is not None:
                        find(request, kwargs["pk"])
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def area(permission: str):
    """A view of an area (Insatser, Deltagare, Styrelsen, Rapporter). Without
    the area's permission nothing in it is in the user's scope: a page about
    one object (its URL names a pk) answers 404, the area's own pages 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                if _names_an_object(kwargs):
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def in_scope(selector, request, pk):
    """``selector(request.user, pk)``, the one object the user may see; 404
    when it is outside the user's scope, does not exist or ``pk`` is no id.
    Every ``*_for(user, pk)`` selector raises ``DoesNotExist`` for all three."""
    try:
        return selector(request.user, pk)
    except (ObjectDoesNotExist, ValueError) as missing:
        raise Http404 from missing
