"""What a justerat protocol locks, the triggers that refuse every change."""

from __future__ import annotations

import pgtrigger

from finsam.audit import guard_child_trigger

LOCKED_MESSAGE = "Protokollet är justerat och kan inte ändras."


def refuse_sql(message: str = LOCKED_MESSAGE) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';"


def locked_minutes_trigger() -> pgtrigger.Trigger:
    """On the protocol itself: a justerat protocol can be neither changed nor removed."""
    return pgtrigger.Trigger(
        name="locked",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(old__status="justerat"),
        func=refuse_sql() + " RETURN NULL;",
    )


def locked_child_trigger(minutes_of: str) -> pgtrigger.Trigger:
    """On a table whose rows belong to a protocol: no row may be added to,
    changed in or removed from a justerat protocol. ``minutes_of`` is SQL that
    gives the protocol's id from the row ``rec``."""
    return guard_child_trigger(
        parent_table="board_minutes",
        parent_of=minutes_of,
        locked_when="p.status = 'justerat'",
        message=LOCKED_MESSAGE,
    )
