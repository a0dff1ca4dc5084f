"""Who may do what on the board side. Services and views ask these."""

from __future__ import annotations

from finsam.lib.per_request import prefetched
from finsam.lib.services import require  # noqa: F401 - one way to refuse, shared


def uses_board(user) -> bool:
    return user.has_perm("finsam.use_board")


def manages_meetings(user) -> bool:
    """The kansli prepares meetings, writes protocols and sends them for justering."""
    return user.has_perm("finsam.manage_meetings")


def is_signer(user, minutes) -> bool:
    pk = getattr(user, "pk", None)
    if not pk:
        return False
    if prefetched(minutes, "signers"):
        return any(s.user_id == pk for s in minutes.signers.all())
    return minutes.signers.filter(user_id=pk).exists()
