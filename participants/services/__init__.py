"""Writes to participant data. Every function is atomic, checks access and is audited."""

from participants.services.common import (
    CODE_ALPHABET,
    MAX_AGE,
    MIN_AGE,
    Income,
    participant_for_number,
)
from participants.services.enrolment import (
    BATCH,
    Enrolment,
    enrolment_build,
    participation_enrol,
    participations_import,
)
from participants.services.followup import (
    closing_build,
    consent_withdraw,
    participation_close,
    participation_delete_mistake,
    participation_reopen,
    participations_reduce_expired,
    status_add,
)
from participants.services.identity import (
    identity_of,
    number_search_logged,
    register_extract,
)

__all__ = [
    "CODE_ALPHABET",
    "MIN_AGE",
    "MAX_AGE",
    "Income",
    "participant_for_number",
    "Enrolment",
    "enrolment_build",
    "BATCH",
    "participations_import",
    "participation_enrol",
    "status_add",
    "closing_build",
    "participation_close",
    "participation_reopen",
    "participation_delete_mistake",
    "consent_withdraw",
    "participations_reduce_expired",
    "number_search_logged",
    "identity_of",
    "register_extract",
]
