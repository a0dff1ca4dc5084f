"""The styrelse: memberships, meetings with kallelse and dagordning, protocols
with § paragraphs, digital justering and the public anslag.

Once every signer has signed, a protocol is justerat and the database refuses
any change to it, its paragraphs, attendance, signers and signatures (the
``locked`` triggers below), whoever asks: the ORM, the admin or raw SQL.
"""

from board.models.anslag import (
    DocumentKind,
    MinutesDocument,
    Posting,
)
from board.models.locks import (
    LOCKED_MESSAGE,
    locked_child_trigger,
    locked_minutes_trigger,
    refuse_sql,
)
from board.models.meetings import (
    VOTING_ROLES,
    AgendaItem,
    AgendaKind,
    BoardMembership,
    BoardMembershipQuerySet,
    BoardRole,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    document_path,
)
from board.models.protocol import (
    APPLICATION_DECISIONS,
    DECIDING_KINDS,
    Attendance,
    AttendanceKind,
    DecisionType,
    Minutes,
    MinutesStatus,
    Paragraph,
    ParagraphAttachment,
    ParagraphCounter,
    Signature,
    Signer,
    SignerRole,
)

__all__ = [
    "LOCKED_MESSAGE",
    "refuse_sql",
    "locked_minutes_trigger",
    "locked_child_trigger",
    "BoardRole",
    "VOTING_ROLES",
    "BoardMembershipQuerySet",
    "BoardMembership",
    "MeetingStatus",
    "Meeting",
    "AgendaKind",
    "AgendaItem",
    "document_path",
    "MeetingDocument",
    "MinutesStatus",
    "Minutes",
    "AttendanceKind",
    "DECIDING_KINDS",
    "Attendance",
    "SignerRole",
    "Signer",
    "Signature",
    "DecisionType",
    "APPLICATION_DECISIONS",
    "Paragraph",
    "ParagraphAttachment",
    "ParagraphCounter",
    "Posting",
    "DocumentKind",
    "MinutesDocument",
]
