"""Forms for what follows a grant: rapportkrav, rekvisitioner, utbetalningar,
the slutredovisning, budget distribution, carried-over funds and the
förbund's own economy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.forms import accept_swedish_numbers, style_filter_fields
from finsam.models import FederationEconomy, Member
from projects.forms import DATE, MonthField, _rows
from projects.models import ReportKind, ReportObligation, RequestKind

# --- Report obligations -------------------------------------------------------------


class ObligationFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Visa"), required=False)
    kind = forms.ChoiceField(
        label=_("Rapport"), required=False, choices=[("", _("Alla"))] + ReportKind.choices
    )
    member = forms.ModelChoiceField(
        label=_("Huvudman"), required=False, queryset=Member.objects.all(), empty_label=_("Alla")
    )

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = list(states.items())
        style_filter_fields(self)


class ObligationForm(forms.ModelForm):
    class Meta:
        model = ReportObligation
        fields = ["kind", "period_start", "period_end", "due_date", "note"]
        widgets = {"period_start": DATE, "period_end": DATE, "due_date": DATE}


class ObligationMoveForm(forms.Form):
    due_date = forms.DateField(label=_("Nytt senast-datum"), widget=DATE)
    reason = forms.CharField(label=_("Skäl"), max_length=300)


class ObligationWaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till undantaget"),
        widget=_rows(2),
        help_text=_("T.ex. att slutrapporten täcker det sista tertialet."),
    )


class ConditionsForm(forms.Form):
    conditions = forms.CharField(label=_("Villkor"), required=False, widget=_rows(4))


# --- Rekvisitioner ----------------------------------------------------------------


class PaymentRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Slag"),
        choices=[(k, RequestKind(k).label) for k in (RequestKind.ADVANCE, RequestKind.ARREARS)],
        widget=forms.RadioSelect,
    )
    period_start = MonthField(label=_("Från och med månad"), help_text=_("ÅÅÅÅ-MM"))
    period_end = MonthField(label=_("Till och med månad"), help_text=_("ÅÅÅÅ-MM"))
    amount = forms.DecimalField(
        label=_("Belopp (kr)"), min_value=1, max_digits=14, decimal_places=0
    )
    note = forms.CharField(label=_("Kommentar"), required=False, widget=_rows(2))

    def __init__(self, *args, schedule_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if schedule_text:
            self.fields["kind"].help_text = schedule_text
        self.fields["period_start"].help_text = _(
            "Förskott per kvartal: t.ex. 2026-04 till 2026-06. I efterskott: passerade månader."
        )
        accept_swedish_numbers(self)

    def period(self):
        """(year, first day, last day) of the months asked for."""
        start, end = self.cleaned_data["period_start"], self.cleaned_data["period_end"]
        last = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return start.year, start.replace(day=1), last


class ResubmitForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Belopp (kr)"), min_value=1, max_digits=14, decimal_places=0
    )
    note = forms.CharField(label=_("Kommentar"), required=False, widget=_rows(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept_swedish_numbers(self)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Vad behöver ändras?"), widget=_rows(2))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Utbetalningsdag"), widget=DATE)


class PaymentListForm(forms.Form):
    start = forms.DateField(label=_("Utbetalda från"), widget=DATE)
    end = forms.DateField(label=_("till och med"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Periodens slut ligger före dess början."))
        return data


class SettlementForm(forms.Form):
    note = forms.CharField(label=_("Kommentar"), required=False, widget=_rows(2))
    refund_due = forms.DateField(
        label=_("Återbetalning senast"),
        required=False,
        widget=DATE,
        help_text=_("Om mer har betalats ut än insatsen kostade. Tomt: om 30 dagar."),
    )


class RefundPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Återbetald den"), widget=DATE)


class DistributeForm(forms.Form):
    """One amount per budget line of a year."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=f"{line.category.name} {line.description}".strip(),
                min_value=0,
                max_digits=14,
                decimal_places=0,
                initial=line.amount,
            )
        accept_swedish_numbers(self)

    def amounts(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}

    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]


class CarryOverForm(forms.Form):
    from_year = forms.TypedChoiceField(label=_("Från år"), coerce=int)
    amount = forms.DecimalField(
        label=_("Belopp (kr)"), min_value=1, max_digits=14, decimal_places=0
    )
    reason = forms.CharField(label=_("Skäl"), widget=_rows(2))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(y, f"{y} → {y + 1}") for y in years]
        accept_swedish_numbers(self)


class FederationEconomyForm(forms.ModelForm):
    class Meta:
        model = FederationEconomy
        fields = ["opening_equity", "administration_budget", "administration_costs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept_swedish_numbers(self)
