"""Participants: the choice lists, and the participations with their consent,
status and outcome (see ``participations``)."""

from participants.models.choices import (
    Choice,
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Referrer,
    StatusKind,
    SusGroup,
)
from participants.models.figures import Figure, FiguresCell, FiguresVersion
from participants.models.participations import (
    AUDIT_KEEP,
    DEFAULT_CONSENT_SCOPE,
    Consent,
    IncomePhase,
    Participant,
    Participation,
    ParticipationIncome,
    ParticipationQuerySet,
    Sex,
    StatusEntry,
    audited,
)

__all__ = [
    "Choice",
    "IncomeSource",
    "SusGroup",
    "Occupation",
    "EducationLevel",
    "ExitReason",
    "Referrer",
    "JoblessBand",
    "StatusKind",
    "AUDIT_KEEP",
    "audited",
    "Sex",
    "Participant",
    "ParticipationQuerySet",
    "Participation",
    "IncomePhase",
    "ParticipationIncome",
    "DEFAULT_CONSENT_SCOPE",
    "Consent",
    "StatusEntry",
    "FiguresVersion",
    "FiguresCell",
    "Figure",
]
