"""Rapportkrav in every state: the grants set them (the insatser's demo),
the reports fulfil and close them (the reports' and the board's demo); here
the kansli adds one, moves one, the reports from before Finsam are waived,
and the last three weeks' reminders go out as the daily job sends them."""

from __future__ import annotations

import datetime as dt

from demo.timeline import at, moment
from finsam.models import User
from projects import services
from projects.models import (
    ObligationReminder,
    ObligationStatus,
    Project,
    ReportKind,
    ReportObligation,
)

# Reports due this long before the demo's today were handed in on paper,
# before the förbund started using Finsam.
BEFORE_FINSAM_DAYS = 100


def status_report_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The three months before this one: the lägesrapport the kansli asks for."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = (end.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    return start, end


def seed_before_reports(today: dt.date) -> None:
    """The kansli asks Vägen vidare for a lägesrapport (its draft, which the
    reports' demo writes, answers it)."""
    kansli = User.objects.get(username="samordnare")
    project = Project.objects.get(name="Vägen vidare")
    if project.obligations.filter(kind=ReportKind.STATUS).exists():
        return
    start, end = status_report_period(today)
    with at(today - dt.timedelta(days=40)):
        services.obligation_add(
            actor=kansli,
            project=project,
            kind=ReportKind.STATUS,
            period_start=start,
            period_end=end,
            due_date=today + dt.timedelta(days=10),
            note="Styrelsen vill se hur rekryteringen går inför budgetbeslutet.",
        )


def seed(today: dt.date) -> None:
    kansli = User.objects.get(username="samordnare")
    if ObligationReminder.objects.exists():
        return
    for obligation in ReportObligation.objects.filter(
        status=ObligationStatus.OPEN, due_date__lt=today - dt.timedelta(days=BEFORE_FINSAM_DAYS)
    ).order_by("due_date"):
        services.obligation_waive(
            actor=kansli,
            obligation=obligation,
            reason="Rapporten lämnades på papper innan förbundet började använda Finsam.",
        )
    late = (
        ReportObligation.objects.filter(
            project__name="Språk och arbete", status=ObligationStatus.OPEN, due_date__lt=today
        )
        .order_by("due_date")
        .first()
    )
    if late is not None:
        with at(today - dt.timedelta(days=20)):
            services.obligation_move(
                actor=kansli,
                obligation=late,
                due_date=today + dt.timedelta(days=6),
                reason="Ny processledare från oktober; rapporten lämnas med nästa tertial.",
            )
    for days_ago in range(21, -1, -1):
        day = today - dt.timedelta(days=days_ago)
        with at(moment(day, 6)):
            services.obligation_remind(now=moment(day, 6))
