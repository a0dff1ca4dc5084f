"""Rekvisitioner in every state and the payments they led to: the running
insatser have asked for their advances quarter by quarter; the last of
this year waits at each step (sakgranskning, attest, payment), one was sent
back. Earlier years are paid in full."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from demo.timeline import at
from finsam.models import User
from projects import selectors, services
from projects.models import PaymentRequest, Project, RequestKind

# Where this year's fourth quarter stops, per insats.
LAST_STEP = {
    "Aktivitetshuset": "approved",
    "Vägen vidare": "attested",
    "Språk och arbete": "requested",
    "Mentorsnätverket Sjöland": "paid",
}
RETURNED = ("Språk och arbete", 3)


def _quarters(year: int, project: Project):
    for q in range(4):
        start = dt.date(year, 3 * q + 1, 1)
        end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)
        if start <= project.end_date and end >= project.start_date:
            yield q + 1, start, end


def seed(today: dt.date) -> None:
    if PaymentRequest.objects.exists():
        return
    kansli = User.objects.get(username="samordnare")
    economist = User.objects.get(username="ekonomi")
    for project in Project.objects.filter(
        name__in=[*LAST_STEP, "Rehabkoordinator i primärvården"]
    ).prefetch_related("staff__user"):
        staff = next(iter(project.staff.all()), None)
        if staff is None:
            continue
        for year, money in selectors.money_per_year(project).items():
            if not money.granted or year > today.year:
                continue
            quarters = list(_quarters(year, project))
            count = len(quarters)
            share = (money.granted / count).quantize(Decimal(1), rounding="ROUND_FLOOR")
            for n, (q, start, end) in enumerate(quarters, start=1):
                amount = money.granted - share * (count - 1) if n == count else share
                asked_on = start + dt.timedelta(days=9)
                if asked_on > today:
                    break
                last = year == today.year and n == count
                stop = LAST_STEP.get(project.name, "paid") if last else "paid"
                _request(
                    project, staff.user, kansli, economist, q, start, end, amount, asked_on, stop
                )


def _request(project, leader, kansli, economist, q, start, end, amount, asked_on, stop):
    with at(asked_on):
        request = services.payment_request_create(
            actor=leader,
            project=project,
            kind=RequestKind.ADVANCE,
            year=start.year,
            period_start=start,
            period_end=end,
            amount=amount,
            note=f"Förskott kvartal {q}.",
        )
    if stop == "requested":
        return
    if (project.name, q) == RETURNED and start.year == dt.date.today().year:
        with at(asked_on + dt.timedelta(days=3)):
            services.payment_request_return(
                actor=kansli,
                request=request,
                comment="Utfallet för förra kvartalet saknas; rekvirera när det är inrapporterat.",
            )
        return
    with at(asked_on + dt.timedelta(days=3)):
        services.payment_request_attest(actor=kansli, request=request)
    if stop == "attested":
        return
    with at(asked_on + dt.timedelta(days=5)):
        services.payment_request_approve(actor=economist, request=request)
    if stop == "approved":
        return
    with at(asked_on + dt.timedelta(days=8)):
        services.payment_register(
            actor=economist, request=request, paid_on=asked_on + dt.timedelta(days=8)
        )
