"""Closing the insatser that have ended: the slutredovisning, its refund or
final payment, and then the insats counts as avslutad. The rehab insats was
paid more in advances than it spent (a refund, paid back); the förstudie
had its costs paid in full after the end (a final payment)."""

from __future__ import annotations

import datetime as dt

from demo.timeline import at
from finsam.models import User
from projects import services
from projects.models import Project, RefundClaim, Settlement

CLOSED = ("Rehabkoordinator i primärvården", "Förstudie psykisk ohälsa bland unga vuxna")


def seed(today: dt.date) -> None:
    if Settlement.objects.exists():
        return
    kansli = User.objects.get(username="kansli")
    samordnare = User.objects.get(username="samordnare")
    economist = User.objects.get(username="ekonomi")
    for project in Project.objects.filter(name__in=CLOSED).order_by("end_date"):
        day = min(today, project.end_date + dt.timedelta(days=75))
        with at(day):
            settlement = services.settlement_make(
                actor=samordnare,
                project=project,
                note="Slutredovisningen stämmer med huvudmannens bokföring.",
            )
        refund = RefundClaim.objects.filter(settlement=settlement).first()
        if refund is not None:
            paid_back = min(today, day + dt.timedelta(days=20))
            with at(paid_back):
                services.refund_register(actor=economist, refund=refund, paid_on=paid_back)
        if settlement.final_request is not None:
            request = settlement.final_request
            with at(min(today, day + dt.timedelta(days=2))):
                services.payment_request_attest(actor=kansli, request=request)
            with at(min(today, day + dt.timedelta(days=4))):
                services.payment_request_approve(actor=economist, request=request)
            with at(min(today, day + dt.timedelta(days=6))):
                services.payment_register(
                    actor=economist, request=request, paid_on=min(today, day + dt.timedelta(days=6))
                )
        with at(min(today, day + dt.timedelta(days=25))):
            services.project_change_status(actor=samordnare, project=project, transition="finish")


def seed_economy(today: dt.date) -> None:
    """The förbund's own figures: eget kapital from last year's årsredovisning,
    and its administration's budget and utfall (this year's so far)."""
    from decimal import Decimal

    from finsam.models import FederationEconomy
    from finsam.services import federation_economy_save

    if FederationEconomy.objects.exists():
        return
    kansli = User.objects.get(username="kansli")
    figures = {
        today.year - 1: (Decimal(1_250_000), Decimal(1_100_000), Decimal(1_043_500)),
        today.year: (None, Decimal(1_150_000), Decimal(962_300)),
    }
    for year, (opening, budget, costs) in figures.items():
        federation_economy_save(
            actor=kansli,
            economy=FederationEconomy(
                year=year,
                opening_equity=opening,
                administration_budget=budget,
                administration_costs=costs,
            ),
        )
