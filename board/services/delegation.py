"""Decisions taken under the delegationsordning: registering them, posting
those that are not reported, and reporting the rest to the board."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access
from board.models import (
    DecisionType,
    DelegationCounter,
    DelegationDecision,
    Minutes,
    Paragraph,
)
from board.selectors import delegations_to_report
from board.services.justering import new_posting, post
from board.services.protocol import _editable, paragraph_add
from finsam.lib import counters
from finsam.lib.formatting import format_kronor
from finsam.lib.services import service
from finsam.models import Federation

REPORT_TITLE = "Anmälan av delegationsbeslut"
REPORT_DECISION = "Styrelsen lägger anmälan av delegationsbesluten till handlingarna."


@service(access.manages_meetings)
def delegation_decision_record(*, actor, decision: DelegationDecision) -> DelegationDecision:
    """Register a decision taken under delegation. One whose rule is not
    reported to the board is posted on the anslagstavla at once: its appeal
    time runs from that anslag."""
    rule = decision.rule
    if not rule.active:
        raise ValidationError({"rule": _("Punkten i delegationsordningen gäller inte längre.")})
    if decision.decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Beslutsdatumet kan inte ligga i framtiden.")})
    if rule.limit is not None and (decision.amount or 0) > rule.limit:
        raise ValidationError(
            {
                "amount": _(
                    "Beloppet är över delegationens gräns (%(limit)s). Beslutet tas av styrelsen."
                )
                % {"limit": format_kronor(rule.limit)}
            }
        )
    decision.year = decision.decided_on.year
    decision.number = counters.next_number(DelegationCounter, decision.year)
    decision.decided_by_name = decision.decided_by.full_name
    decision.decided_by_title = decision.decided_by.title or rule.delegate
    decision.registered_by = actor
    decision.full_clean()
    decision.save()
    if not rule.reported:
        federation = Federation.objects.get()
        post(
            new_posting(
                organ=_("%(title)s på delegation från styrelsen, %(name)s")
                % {"title": decision.decided_by_title, "name": federation.name},
                on=timezone.localdate(),
                date=decision.decided_on,
                paragraphs=_("Delegationsbeslut %(ref)s") % {"ref": decision.reference},
                delegation=decision,
            )
        )
    return decision


@service(access.manages_meetings)
def delegations_report(*, actor, minutes: Minutes) -> Paragraph:
    """Add the § "Anmälan av delegationsbeslut" listing every decision that
    waits to be reported; its anslag gives them their appeal time."""
    minutes = _editable(minutes)
    waiting = list(delegations_to_report(minutes).select_for_update(of=("self",)))
    if not waiting:
        raise ValidationError(_("Det finns inga delegationsbeslut att anmäla."))
    paragraph = paragraph_add(
        actor=actor,
        minutes=minutes,
        paragraph=Paragraph(
            title=REPORT_TITLE,
            decision_type=DecisionType.FILE,
            decision_text=REPORT_DECISION,
        ),
    )
    DelegationDecision.objects.filter(pk__in=[d.pk for d in waiting]).update(reported_in=paragraph)
    return paragraph
