"""Forms for insatser, applications, budgets and costs."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finsam.forms import DocumentField, ImportFileField, accept_swedish_numbers, style_filter_fields
from finsam.models import Member, User
from projects.models import (
    RECOMMENDATIONS,
    Application,
    ApplicationBudgetLine,
    ApplicationKind,
    Attachment,
    BudgetLine,
    Cofinancing,
    CostCategory,
    CostEntry,
    Decision,
    Goal,
    Orientation,
    PaymentSchedule,
    Phase,
    Project,
    ProjectForm,
    ProjectStaff,
    ProjectStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rows(n):
    return forms.Textarea(attrs={"rows": n})


class ProjectEditForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "orientation",
            "form",
            "owner",
            "partners",
            "contact_name",
            "contact_email",
            "contact_phone",
            "target_group",
            "planned_participants",
            "start_date",
            "end_date",
        ]
        widgets = {
            "partners": forms.CheckboxSelectMultiple,
            "start_date": DATE,
            "end_date": DATE,
            "target_group": _rows(3),
            "orientation": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(active=True)
        self.fields["owner"].queryset = members
        self.fields["partners"].queryset = members
        self.fields["orientation"].choices = Orientation.choices


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla"))] + ProjectStatus.choices
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    member = forms.ModelChoiceField(
        label=_("Medlem"), required=False, queryset=Member.objects.all(), empty_label=_("Alla")
    )
    orientation = forms.ChoiceField(
        label=_("Inriktning"), required=False, choices=[("", _("Alla"))] + Orientation.choices
    )
    form = forms.ChoiceField(
        label=_("Form"), required=False, choices=[("", _("Alla"))] + ProjectForm.choices
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Alla"))] + [(y, str(y)) for y in years]
        style_filter_fields(self)
        self.fields["q"].widget.attrs["placeholder"] = _("Namn, diarienummer, målgrupp")


class SectionForm(forms.ModelForm):
    """One section of an application; saved as a draft even if incomplete."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("period_start", "period_end", "received_on"):
                field.widget = DATE
            elif name == "change_summary":
                field.widget = _rows(4)
            elif isinstance(field.widget, forms.Textarea):
                field.widget = _rows(6)
        if "change_summary" in self.fields and self.instance.kind == ApplicationKind.NEW:
            del self.fields["change_summary"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Periodens slut kan inte ligga före dess början."))
        return data


def section_form_class(fields: list[str]):
    return forms.modelform_factory(Application, form=SectionForm, fields=fields)


class GoalForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept_swedish_numbers(self)

    class Meta:
        model = Goal
        fields = [
            "text",
            "indicator",
            "target_value",
            "target_unit",
            "measure",
            "measure_status",
            "measure_group",
        ]
        widgets = {"text": _rows(2)}
        labels = {"text": _("Mål (mätbart)")}
        help_texts = {
            "text": _("T.ex. 60 % av deltagarna får praktikplats minst 3 månader."),
            "measure_status": _("Bara när utfallet räknas från en status, t.ex. Praktik."),
            "measure_group": _("Bara när utfallet räknas från sysselsättningen efter avslut."),
        }


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start_date", "end_date", "description"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": _rows(2)}

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("Fasens slut kan inte ligga före dess början."))
        return data


class BudgetAmountForm(forms.ModelForm):
    """A budget line: an amount, or monthly cost × months × påslag."""

    class Meta:
        fields = [
            "year",
            "category",
            "description",
            "amount",
            "monthly_cost",
            "months",
            "uplift_percent",
            "overhead_percent",
        ]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CostCategory.objects.filter(active=True)
        accept_swedish_numbers(self)
        self.fields["amount"].required = False
        self.fields["amount"].help_text = _(
            "Lämna tomt för personal som räknas fram av månadskostnad och månader."
        )
        if years:
            self.fields["year"] = forms.TypedChoiceField(
                label=_("År"), coerce=int, choices=[(y, str(y)) for y in years]
            )

    def clean(self):
        data = super().clean()
        if self.has_error("monthly_cost") or self.has_error("months"):
            return data  # the field says what is wrong; no second, contradicting message
        monthly, months = data.get("monthly_cost"), data.get("months")
        if (monthly is None) != (months is None):
            self.add_error(
                "months" if months is None else "monthly_cost",
                _("Ange både månadskostnad och antal månader, eller inget av dem."),
            )
        elif monthly is None and data.get("amount") is None:
            self.add_error("amount", _("Ange ett belopp, eller månadskostnad och månader."))
        elif monthly is not None:
            data["amount"] = Decimal(0)  # computed by the service
        return data


class ApplicationBudgetLineForm(BudgetAmountForm):
    class Meta(BudgetAmountForm.Meta):
        model = ApplicationBudgetLine


class BudgetLineForm(BudgetAmountForm):
    class Meta(BudgetAmountForm.Meta):
        model = BudgetLine


class CofinancingForm(forms.ModelForm):
    class Meta:
        model = Cofinancing
        fields = ["member", "kind", "year", "amount", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(active=True)
        accept_swedish_numbers(self)


class AttachmentForm(forms.Form):
    file = DocumentField()

    def instance(self, application, user) -> Attachment:
        upload = self.cleaned_data["file"]
        return Attachment(
            application=application,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            uploaded_by=user,
        )


class StaffForm(forms.ModelForm):
    class Meta:
        model = ProjectStaff
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        may_use = Permission.objects.filter(
            content_type__app_label="finsam", codename="use_projects"
        )
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Q(groups__permissions__in=may_use) | Q(is_superuser=True))
            .distinct()
        )


class StatusForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[("start", _("Starta")), ("finish", _("Avsluta")), ("cancel", _("Avbryt"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("Kommentar"), required=False, widget=_rows(2))


class NewApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av ansökan"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Rubrik"), max_length=200)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class PrepareForm(forms.Form):
    statement = forms.CharField(
        label=_("Beredningsgruppens yttrande"), widget=_rows(6), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Förslag till beslut"),
        choices=RECOMMENDATIONS,
        widget=forms.RadioSelect,
        required=False,
    )


class GrantedAmountsMixin:
    """A "Beviljat <år> (kr)" field per year of the application, for a partial grant."""

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"granted_{year}"] = forms.DecimalField(
                label=_("Beviljat %(year)s (kr)") % {"year": year},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=0,
                help_text=_("Fylls i vid delvis beviljad."),
            )
        accept_swedish_numbers(self)

    def granted(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"granted_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"granted_{year}") is not None
        }


class DecisionForm(GrantedAmountsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"), choices=Decision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DATE)
    reference = forms.CharField(
        label=_("Beslutsparagraf"),
        required=False,
        max_length=200,
        help_text=_("T.ex. Styrelsen 2026-03-12 § 31."),
    )
    note = forms.CharField(
        label=_("Motivering eller skäl till återremiss"), required=False, widget=_rows(4)
    )
    payment_schedule = forms.ChoiceField(
        label=_("Utbetalning"),
        choices=PaymentSchedule.choices,
        initial=PaymentSchedule.QUARTER,
        required=False,
        help_text=_("Vid beviljande: hur insatsen rekvirerar medlen."),
    )
    conditions = forms.CharField(
        label=_("Villkor"),
        required=False,
        widget=_rows(3),
        help_text=_(
            "Vid beviljande: villkor utöver rapportkraven, t.ex. att huvudmannen redovisar "
            "medfinansieringen. Rapportkraven sätts enligt förbundets regler."
        ),
    )


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class CostEntryForm(forms.ModelForm):
    month = MonthField(label=_("Månad"), help_text=_("ÅÅÅÅ-MM"))
    period_end = MonthField(
        label=_("Till och med månad"),
        required=False,
        help_text=_("Tomt: en månad. För en period, t.ex. april–juli: den sista månaden."),
    )

    class Meta:
        model = CostEntry
        fields = ["month", "period_end", "category", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CostCategory.objects.filter(active=True)
        self.fields["amount"].help_text = _("Hela kronor. Ett negativt belopp är en kreditering.")
        accept_swedish_numbers(self)


class ForecastForm(forms.Form):
    def __init__(self, *args, categories=(), initial_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"c{category.pk}"] = forms.DecimalField(
                label=category.name,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=0,
                initial=(initial_amounts or {}).get(category.pk),
            )
        accept_swedish_numbers(self)

    def amounts(self):
        return {c: self.cleaned_data.get(f"c{c.pk}") for c in self.categories}


class ImportForm(forms.Form):
    file = ImportFileField(
        label=_("Fil med utfall"),
        help_text=_(
            "Excel (.xlsx) eller CSV med kolumnerna Diarienummer, Period (ÅÅÅÅ-MM), "
            "Kostnadsslag och Belopp, eller exportens eget blad Utfall."
        ),
    )


# The forms of what follows a grant live beside these (they use DATE, _rows, MonthField).
from projects.forms.after_grant import (  # noqa: E402, F401
    CarryOverForm,
    ConditionsForm,
    DistributeForm,
    FederationEconomyForm,
    ObligationFilterForm,
    ObligationForm,
    ObligationMoveForm,
    ObligationWaiveForm,
    PaymentForm,
    PaymentListForm,
    PaymentRequestForm,
    RefundPaidForm,
    ResubmitForm,
    ReturnForm,
    SettlementForm,
)
