"""Participant figures out (with small counts suppressed) and participations in.

Figures leave the system only as aggregates, through ``suppress``. Imports
read every row first and write nothing unless all of them are valid; the
writing goes through the same services as the enrolment form.
"""

from participants.exchange.imports import (
    COLUMNS,
    IMPORT_COLUMN_HELP,
    INCOME_ITEM,
    MAX_ROWS,
    NO,
    REQUIRED,
    YES,
    ImportPreview,
    ImportRow,
    participations_import_apply,
    participations_import_preview,
)
from participants.exchange.out import (
    followup_dataset,
    statistics_workbook,
)

__all__ = [
    "followup_dataset",
    "statistics_workbook",
    "COLUMNS",
    "REQUIRED",
    "IMPORT_COLUMN_HELP",
    "MAX_ROWS",
    "YES",
    "NO",
    "INCOME_ITEM",
    "ImportRow",
    "ImportPreview",
    "participations_import_preview",
    "participations_import_apply",
]
