"""Förbundets ekonomi for the year, as Uppföljning Finsam asks for it:
tilldelade medel, the administration, the insatser, and eget kapital."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.lib.formatting import format_kronor
from finsam.models import Contribution, FederationEconomy
from projects import selectors, services
from projects.models import CostEntry, Decision, RequestKind, StaffRole
from tests import factories

Y = dt.date.today().year


@pytest.fixture
def paid_insats(persona_users):
    kansli, economist = persona_users["kansli"], persona_users["ekonomi"]
    leader = persona_users["processledare_a"]
    project = factories.project(
        start_date=dt.date(Y, 1, 1),
        end_date=dt.date(Y, 12, 31),
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    application = factories.ready_application(project, budget={Y: 400_000})
    services.application_decide(
        actor=kansli, application=application, decision=Decision.GRANT, decided_on=dt.date.today()
    )
    request = services.payment_request_create(
        actor=leader,
        project=project,
        kind=RequestKind.ADVANCE,
        year=Y,
        period_start=dt.date(Y, 1, 1),
        period_end=dt.date(Y, 3, 31),
        amount=Decimal(100_000),
    )
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    services.payment_register(actor=economist, request=request, paid_on=dt.date.today())
    services.project_change_status(actor=kansli, project=project, transition="start")
    CostEntry.objects.create(
        project=project,
        month=dt.date(Y, 2, 1),
        category=factories.category("Personal"),
        amount=80_000,
    )
    Contribution.objects.create(member=factories.member(), year=Y, amount=2_000_000)
    Contribution.objects.create(member=factories.member(), year=Y - 1, amount=1_900_000)
    project.refresh_from_db()
    return project


def test_eget_kapital_at_the_end_follows_from_the_start_the_bidrag_and_the_costs(paid_insats):
    FederationEconomy.objects.create(
        year=Y, opening_equity=500_000, administration_budget=900_000, administration_costs=850_000
    )

    economy = selectors.federation_economy(Y)

    assert (economy.contributions, economy.insatser_spent, economy.insatser_paid) == (
        2_000_000,
        80_000,
        100_000,
    )
    assert economy.insatser_budget == 400_000
    assert economy.closing_equity == 500_000 + 2_000_000 - 850_000 - 100_000


def test_a_years_start_is_the_previous_years_end_when_not_entered(paid_insats):
    FederationEconomy.objects.create(
        year=Y - 1, opening_equity=300_000, administration_costs=800_000
    )
    FederationEconomy.objects.create(year=Y, administration_costs=850_000)

    economy = selectors.federation_economy(Y)

    assert economy.opening_equity == 300_000 + 1_900_000 - 800_000
    assert selectors.federation_economy(Y + 1).opening_equity == economy.closing_equity
    assert selectors.federation_economy(Y + 1).closing_equity is None  # no bidrag, no utfall


def test_the_ekonom_enters_the_figures_on_forbundets_ekonomi(paid_insats, personas):
    client = personas["ekonomi"]
    client.post(
        reverse("projects:federation_economy", args=[Y]),
        {
            "opening_equity": "500 000",
            "administration_budget": "900 000",
            "administration_costs": "850 000",
        },
    )

    page = client.get(reverse("projects:federation_year", args=[Y])).content.decode()
    assert "Eget kapital vid årets slut" in page
    assert format_kronor(1_550_000) in page
    assert (
        personas["processledare_a"]
        .post(reverse("projects:federation_economy", args=[Y]), {})
        .status_code
        == 403
    )


def test_the_uppfoljning_finsam_export_has_each_insats_money_beside_its_participants(
    paid_insats, personas, persona_users
):
    for n in range(6):
        factories.participation(
            paid_insats, persona_users["processledare_a"], start=dt.date(Y, 2, 1 + n)
        )

    response = personas["kansli"].get(reverse("participants:followup_export", args=[Y]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["Beviljat (kr)", "Utfall (kr)", "Utbetalt (kr)"]
    row = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == paid_insats.reference
    )
    assert row[-3:] == (400_000, 80_000, 100_000)
