"""What every write service is: one declaration.

A service writes in one transaction, checks that its actor may act before it
writes anything, and names the actor for the audit log (``set_actor``), so
that every row it changes is logged with who did it::

    @service(access.can_follow)
    def status_add(*, actor, participation, kind, date, note=""):
        ...

``allowed`` is called with the actor and those of the service's keyword
arguments it names (``can_follow(user, participation)`` gets
``participation``). A service whose rule needs the locked row (a report's
state, a protocol's signers) declares ``allowed=None`` and checks with
``require`` after locking.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.audit import set_actor


def require(allowed: bool, message: str | None = None) -> None:
    """Refuse (403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("Du har inte behörighet att göra detta."))


def service(
    allowed: Callable[..., bool] | None,
    *,
    message: str | None = None,
    context: str | Callable[[dict], str] = "",
    system: bool = False,
):
    """Make ``func`` a write service: atomic, ``allowed`` checked, actor named.

    ``context`` is what the audit log says the change came from, beside the
    request's method and path: a text, or a function of the keyword arguments
    (``lambda kw: kw["context"]``). ``system``: ``actor=None``, the system
    itself (the demo, a scheduled job), may act too; otherwise a service with
    a rule refuses a call without an actor.
    """
    names = list(inspect.signature(allowed).parameters)[1:] if allowed else []

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, actor=None, **kwargs):
            with transaction.atomic():
                if allowed is not None and not (system and actor is None):
                    require(actor is not None)
                    named = {name: kwargs[name] for name in names if name in kwargs}
                    require(allowed(actor, **named), message)
                set_actor(actor, context(kwargs) if callable(context) else context)
                return func(*args, actor=actor, **kwargs)

        wrapper.allowed = allowed
        return wrapper

    return decorate
