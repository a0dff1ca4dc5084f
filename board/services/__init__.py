"""Writes for the board: memberships, meetings, protocols, justering, anslag.

Every function is atomic, names its actor for the audit log and checks the
actor's right through ``board.access``.
"""

from board.services.delegation import (
    delegation_decision_record,
    delegations_report,
)
from board.services.deliberation import (
    motion_add,
    motion_delete,
    presence_add,
    presence_delete,
    proposition_add,
    proposition_delete,
    reservation_add,
    reservation_delete,
    vote_delete,
    vote_record,
)
from board.services.justering import (
    justering_remind,
    minutes_request_correction,
    minutes_send_for_justering,
    minutes_sign,
    minutes_take_back,
)
from board.services.meetings import (
    REPORT_DECISION_TEXT,
    STANDARD_AGENDA_HEAD,
    STANDARD_AGENDA_TAIL,
    agenda_item_delete,
    agenda_item_save,
    meeting_create,
    meeting_document_add,
    meeting_send_notice,
    meeting_update,
    membership_save,
    notice_resend,
    report_title,
)
from board.services.own_justering import (
    correction_create,
    correction_delete,
    correction_sign,
    paragraph_sign,
)
from board.services.protocol import (
    attendance_delete,
    attendance_save,
    minutes_create,
    minutes_pdf_order,
    minutes_update,
    paragraph_add,
    paragraph_attach,
    paragraph_delete,
    paragraph_move,
    paragraph_update,
    signers_set,
)
from board.services.subscriptions import subscribe, subscription_confirm, unsubscribe

__all__ = [
    "subscribe",
    "subscription_confirm",
    "unsubscribe",
    "delegation_decision_record",
    "delegations_report",
    "motion_add",
    "motion_delete",
    "presence_add",
    "presence_delete",
    "proposition_add",
    "proposition_delete",
    "reservation_add",
    "reservation_delete",
    "vote_delete",
    "vote_record",
    "correction_create",
    "correction_delete",
    "correction_sign",
    "paragraph_sign",
    "STANDARD_AGENDA_HEAD",
    "REPORT_DECISION_TEXT",
    "STANDARD_AGENDA_TAIL",
    "membership_save",
    "meeting_create",
    "report_title",
    "meeting_update",
    "agenda_item_save",
    "agenda_item_delete",
    "meeting_document_add",
    "meeting_send_notice",
    "minutes_create",
    "paragraph_add",
    "paragraph_update",
    "paragraph_delete",
    "paragraph_move",
    "paragraph_attach",
    "minutes_update",
    "minutes_pdf_order",
    "attendance_save",
    "attendance_delete",
    "signers_set",
    "minutes_send_for_justering",
    "minutes_take_back",
    "minutes_request_correction",
    "minutes_sign",
    "justering_remind",
    "notice_resend",
]
