"""Writes for insatser, applications, budgets and costs.

Every function here is atomic, names its actor for the audit log and checks
the actor's right to act through ``projects.access``.
"""

from projects.services.applications import (
    ITEM_MODELS,
    application_begin_preparation,
    application_create,
    application_decide,
    application_item_delete,
    application_item_save,
    application_mark_ready,
    application_submit,
    application_update,
    project_create_with_application,
)
from projects.services.budgets import (
    budget_distribute,
    budget_line_delete,
    budget_line_save,
    cost_entry_delete,
    cost_entry_save,
    cost_period_problem,
    forecasts_set,
)
from projects.services.closing import (
    CARRYING_KINDS,
    closing_missing,
    grant_carry_over,
    grants_release_unspent,
    has_ended,
    refund_register,
    settlement_make,
    settlement_possible,
)
from projects.services.insatser import (
    PROJECT_TRANSITIONS,
    project_change_status,
    project_create,
    project_staff_add,
    project_staff_remove,
    project_transitions_allowed,
    project_update,
    reference_allocate,
)
from projects.services.obligations import (
    application_conditions_set,
    obligation_add,
    obligation_move,
    obligation_remind,
    obligation_waive,
)
from projects.services.payments import (
    payment_register,
    payment_request_approve,
    payment_request_attest,
    payment_request_create,
    payment_request_resubmit,
    payment_request_return,
)

__all__ = [
    "reference_allocate",
    "project_create",
    "project_update",
    "project_staff_add",
    "project_staff_remove",
    "PROJECT_TRANSITIONS",
    "project_transitions_allowed",
    "project_change_status",
    "application_create",
    "project_create_with_application",
    "application_update",
    "ITEM_MODELS",
    "application_item_save",
    "application_item_delete",
    "application_submit",
    "application_begin_preparation",
    "application_mark_ready",
    "application_decide",
    "budget_line_save",
    "budget_distribute",
    "budget_line_delete",
    "cost_period_problem",
    "cost_entry_save",
    "cost_entry_delete",
    "forecasts_set",
    "application_conditions_set",
    "obligation_add",
    "obligation_move",
    "obligation_waive",
    "obligation_remind",
    "payment_request_create",
    "payment_request_attest",
    "payment_request_approve",
    "payment_request_return",
    "payment_request_resubmit",
    "payment_register",
    "closing_missing",
    "grants_release_unspent",
    "grant_carry_over",
    "CARRYING_KINDS",
    "settlement_make",
    "refund_register",
    "has_ended",
    "settlement_possible",
]
