"""Values read once per request: what nearly every page asks for (the
förbund's settings) is read from the database once, not in every part of
the page that needs it. Outside a request (tasks, commands, tests calling a
service) nothing is kept and every call reads."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("finsam_per_request", default=None)


@contextmanager
def scope():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key: str, read):
    """``read()``, or what it gave earlier in this request."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def forget(key: str) -> None:
    """Read ``key`` again next time (it was written in this request)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class PerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope():
            return self.get_response(request)


def prefetched(instance, name: str) -> bool:
    """Whether ``instance``'s related ``name`` was read already
    (``prefetch_related``): then its ``.all()`` asks the database nothing."""
    return name in getattr(instance, "_prefetched_objects_cache", {})
