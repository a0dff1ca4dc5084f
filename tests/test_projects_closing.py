"""Closing an insats's economy: the slutredovisning, its refund claim or
final payment, a cancelled insats's released grant, and the rule that an
insats is avslutad only when its slutrapport and economy are done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from finsam.lib.formatting import format_kronor
from projects import selectors, services
from projects.models import (
    CostEntry,
    Decision,
    GrantAdjustment,
    PaymentSchedule,
    ProjectStatus,
    RefundClaim,
    ReportKind,
    RequestKind,
    RequestStatus,
    StaffRole,
)
from tests import factories

TODAY = dt.date.today()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def kansli(persona_users):
    return persona_users["kansli"]


@pytest.fixture
def economist(persona_users):
    return persona_users["ekonomi"]


@pytest.fixture
def leader(persona_users):
    return persona_users["processledare_a"]


@pytest.fixture
def ended(kansli, leader):
    """An insats that ran last year, granted 400 000 kr, started and over."""
    project = factories.project(
        start_date=dt.date(LAST_YEAR, 1, 1),
        end_date=dt.date(LAST_YEAR, 12, 31),
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    application = factories.ready_application(project, budget={LAST_YEAR: 400_000})
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT,
        decided_on=TODAY,
        payment_schedule=PaymentSchedule.HALF_YEAR,
    )
    services.project_change_status(actor=kansli, project=project, transition="start")
    project.refresh_from_db()
    return project


def _paid(project, leader, kansli, economist, start_month, amount):
    """A half-year's advance (January or July), through both steps, paid."""
    request = services.payment_request_create(
        actor=leader,
        project=project,
        kind=RequestKind.ADVANCE,
        year=LAST_YEAR,
        period_start=dt.date(LAST_YEAR, start_month, 1),
        period_end={1: dt.date(LAST_YEAR, 6, 30), 7: dt.date(LAST_YEAR, 12, 31)}[start_month],
        amount=Decimal(amount),
    )
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    services.payment_register(actor=economist, request=request, paid_on=TODAY)
    return request


def _costs(project, total):
    CostEntry.objects.create(
        project=project,
        month=dt.date(LAST_YEAR, 6, 1),
        category=factories.category("Personal"),
        amount=total,
    )


def _slutrapport_done(project, kansli):
    final = project.obligations.get(kind=ReportKind.FINAL)
    services.obligation_waive(actor=kansli, obligation=final, reason="Prövas i testet för sig.")


def test_an_insats_cannot_be_finished_before_its_slutrapport_and_slutredovisning(ended, kansli):
    with pytest.raises(ValidationError) as refused:
        services.project_change_status(actor=kansli, project=ended, transition="finish")

    assert refused.value.messages == [
        "Insatsen kan inte avslutas än:",
        "Slutrapporten är inte lagd till handlingarna.",
        "Slutredovisningen är inte gjord.",
    ]
    ended.refresh_from_db()
    assert ended.status == ProjectStatus.RUNNING


def test_an_overpaid_advance_becomes_a_refund_claim_and_paid_back_the_insats_closes(
    ended, leader, kansli, economist, personas
):
    _paid(ended, leader, kansli, economist, 1, 200_000)
    _paid(ended, leader, kansli, economist, 7, 200_000)
    _costs(ended, 361_500)
    _slutrapport_done(ended, kansli)

    settlement = services.settlement_make(actor=economist, project=ended)

    refund = RefundClaim.objects.get(settlement=settlement)
    assert (settlement.costs, settlement.paid, refund.amount) == (361_500, 400_000, 38_500)
    assert refund.due_date == TODAY + dt.timedelta(days=30)
    page = personas["kansli"].get(reverse("projects:detail", args=[ended.pk])).content.decode()
    assert (
        f"Återbetalningen på {format_kronor(38_500)} är inte betald "
        f"(senast {refund.due_date.isoformat()})." in page
    )
    with pytest.raises(ValidationError, match="Återbetalningen på"):
        services.project_change_status(actor=kansli, project=ended, transition="finish")

    services.refund_register(actor=economist, refund=refund, paid_on=TODAY)
    services.project_change_status(actor=kansli, project=ended, transition="finish")

    ended.refresh_from_db()
    assert ended.status == ProjectStatus.FINISHED
    assert services.closing_missing(ended) == []


def test_an_underpaid_insats_gets_a_final_payment_through_both_steps(
    ended, leader, kansli, economist
):
    _paid(ended, leader, kansli, economist, 1, 150_000)
    _costs(ended, 390_000)
    _slutrapport_done(ended, kansli)

    settlement = services.settlement_make(actor=kansli, project=ended)

    final = settlement.final_request
    assert (final.kind, final.amount, final.status) == (
        RequestKind.FINAL,
        240_000,
        RequestStatus.REQUESTED,
    )
    assert "Slutbetalningen på" in services.closing_missing(ended)[0]
    other_kansli = factories.user(roles=("Kansli",))
    services.payment_request_attest(actor=other_kansli, request=final)
    services.payment_request_approve(actor=economist, request=final)
    services.payment_register(actor=economist, request=final, paid_on=TODAY)
    assert services.closing_missing(ended) == []


def test_a_final_payment_never_passes_the_grant(ended, leader, kansli, economist):
    _paid(ended, leader, kansli, economist, 1, 200_000)
    _costs(ended, 450_000)  # 50 000 kr more than was granted: the huvudman's own

    settlement = services.settlement_make(actor=kansli, project=ended)

    assert settlement.final_request.amount == 200_000


def test_no_slutredovisning_while_a_request_waits_or_before_the_end(
    ended, leader, kansli, economist
):
    services.payment_request_create(
        actor=leader,
        project=ended,
        kind=RequestKind.ADVANCE,
        year=LAST_YEAR,
        period_start=dt.date(LAST_YEAR, 1, 1),
        period_end=dt.date(LAST_YEAR, 6, 30),
        amount=Decimal(100_000),
    )
    with pytest.raises(ValidationError, match="1 rekvisitioner är inte färdigbehandlade"):
        services.settlement_make(actor=economist, project=ended)

    running = factories.project(status=ProjectStatus.RUNNING, end_date=TODAY + dt.timedelta(1))
    with pytest.raises(ValidationError, match="när insatsen har slutat"):
        services.settlement_make(actor=economist, project=running)


def test_a_cancelled_insats_releases_what_it_neither_requested_nor_spent(kansli, leader, economist):
    project = factories.project(
        start_date=dt.date(LAST_YEAR, 1, 1),
        end_date=dt.date(TODAY.year + 1, 12, 31),
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    application = factories.ready_application(
        project, budget={LAST_YEAR: 300_000, TODAY.year: 300_000, TODAY.year + 1: 300_000}
    )
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT,
        decided_on=TODAY,
        payment_schedule=PaymentSchedule.HALF_YEAR,
    )
    services.project_change_status(actor=kansli, project=project, transition="start")
    _paid(project, leader, kansli, economist, 1, 120_000)
    _costs(project, 180_000)  # spent more than requested: that part stays

    services.project_change_status(
        actor=kansli, project=project, transition="cancel", note="Huvudmannen drog sig ur."
    )

    released = {a.year: a.amount for a in GrantAdjustment.objects.filter(project=project)}
    assert released == {LAST_YEAR: -120_000, TODAY.year: -300_000, TODAY.year + 1: -300_000}
    assert (
        GrantAdjustment.objects.filter(
            project=project, reason="Insatsen avbröts: Huvudmannen drog sig ur."
        ).count()
        == 3
    )
    money = selectors.money_per_year(project)
    assert (money[LAST_YEAR].granted, money[TODAY.year].granted) == (180_000, 0)
    summary = selectors.federation_year(TODAY.year)
    assert next(r for r in summary.rows if r.pk == project.pk).granted_year == 0


def test_the_insats_page_offers_the_slutredovisning_to_the_ekonom(ended, personas):
    page = personas["ekonomi"].get(reverse("projects:payment_requests_of", args=[ended.pk]))
    assert "Gör slutredovisningen" in page.content.decode()

    response = personas["ekonomi"].post(
        reverse("projects:settlement", args=[ended.pk]), {"note": "Enligt bokföringen."}
    )

    assert response.status_code == 302
    assert ended.settlement.note == "Enligt bokföringen."
    assert timezone.localdate() == ended.settlement.made_on
