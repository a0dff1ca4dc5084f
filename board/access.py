"""Who may do what on the board side. Services and views ask these."""

from __future__ import annotations

from finsam.lib.services import require  # noqa: F401 - one way to refuse, shared


def uses_board(user) -> bool:
    return user.has_perm("finsam.use_board")


def manages_meetings(user) -> bool:
    """The kansli prepares meetings, writes protocols and sends them for justering."""
    return user.has_perm("finsam.manage_meetings")


def is_signer(user, minutes) -> bool:
    return bool(getattr(user, "pk", None)) and minutes.signers.filter(user=user).exists()
