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


# A protocol of which one § is justerat omedelbart: its närvaro and signers
# are part of what that § says, so they are frozen with it.
_PARTLY_JUSTERAT = (
    "EXISTS (SELECT 1 FROM board_paragraph q WHERE q.minutes_id = p.id "
    "AND q.justerat_at IS NOT NULL)"
)
# A § is locked by its own justering or by the protocol's.
_PARAGRAPH_LOCKED = (
    "(p.justerat_at IS NOT NULL OR EXISTS (SELECT 1 FROM board_minutes m "
    "WHERE m.id = p.minutes_id AND m.status = 'justerat'))"
)
PARAGRAPH_LOCKED_MESSAGE = "Paragrafen är justerad och kan inte ändras."


def locked_child_trigger(minutes_of: str, *, with_paragraphs: bool = False) -> pgtrigger.Trigger:
    """On a table whose rows belong to a protocol: no row may be added to,
    changed in or removed from a justerat protocol. ``minutes_of`` is SQL that
    gives the protocol's id from the row ``rec``. ``with_paragraphs``: also
    once any of its §§ is justerat omedelbart (närvaro, signers)."""
    locked_when = "p.status = 'justerat'"
    if with_paragraphs:
        locked_when = f"({locked_when} OR {_PARTLY_JUSTERAT})"
    return guard_child_trigger(
        parent_table="board_minutes",
        parent_of=minutes_of,
        locked_when=locked_when,
        message=LOCKED_MESSAGE,
    )


def locked_paragraph_child_trigger(paragraph_of: str) -> pgtrigger.Trigger:
    """On a table whose rows belong to a § (yrkanden, omröstningar, bilagor):
    locked once the § or its protocol is justerat. ``paragraph_of`` is SQL
    that gives the §'s id from the row ``rec``."""
    return guard_child_trigger(
        parent_table="board_paragraph",
        parent_of=paragraph_of,
        locked_when=_PARAGRAPH_LOCKED,
        message=PARAGRAPH_LOCKED_MESSAGE,
    )


def locked_paragraph_trigger() -> pgtrigger.Trigger:
    """On the § itself: once justerat omedelbart it can be neither changed nor removed."""
    return pgtrigger.Trigger(
        name="locked_own",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(old__justerat_at__isnull=False),
        func=refuse_sql(PARAGRAPH_LOCKED_MESSAGE) + " RETURN NULL;",
    )
