"""Amounts are typed as Swedes write them and as the app prints them."""

from decimal import Decimal

import pytest

from finsam.forms import ContributionYearForm, SwedishDecimalField
from projects.forms import (
    ApplicationBudgetLineForm,
    CofinancingForm,
    CostEntryForm,
    DecisionForm,
    ForecastForm,
)
from tests import factories


@pytest.mark.parametrize(
    "typed, number",
    [
        ("22 000", Decimal(22000)),
        ("22\u00a0000", Decimal(22000)),  # no-break space
        ("22\u202f000", Decimal(22000)),  # narrow no-break space, as the app prints
        ("22 000,00", Decimal(22000)),
        ("22 000,50", Decimal("22000.50")),
        ("22000", Decimal(22000)),
        ("22 000 kr", Decimal(22000)),
        ("\u22121 500", Decimal(-1500)),  # the minus sign the app prints
        ("1,2", Decimal("1.2")),
    ],
)
def test_an_amount_is_read_the_way_it_is_written(typed, number):
    assert SwedishDecimalField().clean(typed) == number


def test_a_wrong_amount_gets_one_clear_message(db):
    factories.cost_categories_exist()
    form = ApplicationBudgetLineForm(
        {
            "year": 2026,
            "category": factories.category("Personal").pk,
            "monthly_cost": "22 OOO",
            "months": "12",
        },
        years=[2026],
    )

    assert not form.is_valid()
    assert form.errors["monthly_cost"] == [
        "Skriv ett tal med siffror, t.ex. 22 000 eller 22 000,50."
    ]
    assert "Ange både" not in str(form.errors)


def test_every_amount_form_takes_a_grouped_number(db):
    factories.cost_categories_exist()
    personnel = factories.category("Personal")
    kommun = factories.member()

    budget = ApplicationBudgetLineForm(
        {
            "year": 2026,
            "category": personnel.pk,
            "monthly_cost": "36 500",
            "months": "12",
            "uplift_percent": "1,2",
            "overhead_percent": "42,8",
        },
        years=[2026],
    )
    cost = CostEntryForm({"month": "2026-03", "category": personnel.pk, "amount": "\u22121 500"})
    forecast = ForecastForm({f"c{personnel.pk}": "22 000,00"}, categories=[personnel])
    granted = DecisionForm(
        {"decision": "delvis_bevilja", "decided_on": "2026-03-12", "granted_2026": "100 000"},
        years=[2026],
    )
    cofinancing = CofinancingForm(
        {"member": kommun.pk, "kind": "personaltid", "year": 2026, "amount": "120 000"}
    )
    contribution = ContributionYearForm({"year": 2026, "total": "3 800 000"})

    for form in (budget, cost, forecast, granted, cofinancing, contribution):
        assert form.is_valid(), form.errors
    assert budget.cleaned_data["monthly_cost"] == Decimal(36500)
    assert cost.cleaned_data["amount"] == Decimal(-1500)
    assert forecast.amounts() == {personnel: Decimal(22000)}
    assert granted.granted() == {2026: Decimal(100000)}
    assert contribution.cleaned_data["total"] == Decimal(3800000)
    # A number input would not let anyone type the space.
    assert 'type="number"' not in str(forecast) and 'inputmode="decimal"' in str(forecast)


def test_a_whole_number_is_shown_without_decimals(db):
    from reports.forms import GoalOutcomeForm
    from reports.models import GoalOutcome

    form = GoalOutcomeForm(instance=GoalOutcome(value=Decimal("1.0")))

    assert 'value="1"' in str(form["value"])
