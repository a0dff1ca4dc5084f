"""Forms for enrolment, status, exit and import."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.forms import ImportFileField, style_filter_fields
from finsam.lib.validators import contains_personnummer
from finsam.models import Member, MemberKind
from participants import identity
from participants.models import (
    DEFAULT_CONSENT_SCOPE,
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Referrer,
    Sex,
    StatusEntry,
    StatusKind,
)
from participants.services import Income

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(model):
    return model.objects.filter(active=True)


class IncomeFieldsMixin:
    """One checkbox and one omfattning field per source of försörjning.

    The template lays them out as a table; ``incomes()`` gives them back.
    """

    income_prefix = "fore"

    def add_income_fields(self):
        self.income_sources = list(_choices(IncomeSource))
        for source in self.income_sources:
            self.fields[f"{self.income_prefix}_{source.pk}"] = forms.BooleanField(
                label=source.label, required=False
            )
            self.fields[f"{self.income_prefix}_{source.pk}_omf"] = forms.IntegerField(
                label=_("Omfattning i procent för %(source)s") % {"source": source.label},
                required=False,
                min_value=1,
                max_value=100,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def income_rows(self):
        return [
            (
                source,
                self[f"{self.income_prefix}_{source.pk}"],
                self[f"{self.income_prefix}_{source.pk}_omf"],
            )
            for source in self.income_sources
        ]

    def income_field_names(self):
        return {
            name
            for s in self.income_sources
            for name in (f"{self.income_prefix}_{s.pk}", f"{self.income_prefix}_{s.pk}_omf")
        }

    def incomes(self) -> list[Income]:
        chosen = []
        for source in self.income_sources:
            if self.cleaned_data.get(f"{self.income_prefix}_{source.pk}"):
                extent = self.cleaned_data.get(f"{self.income_prefix}_{source.pk}_omf") or 100
                chosen.append(Income(source=source, extent=extent))
        return chosen


class EnrolForm(IncomeFieldsMixin, forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Har personen lämnat samtycke till registrering?"),
        choices=[("ja", _("Ja, samtycke finns")), ("nej", _("Nej – registrera anonymt"))],
        widget=forms.RadioSelect,
        # No answer is chosen for the processledare: the person decides.
        error_messages={
            "required": _("Svara på om personen har lämnat samtycke till registrering.")
        },
    )
    consent_given_on = forms.DateField(label=_("Datum för samtycket"), required=False, widget=DATE)
    consent_written = forms.BooleanField(
        label=_("Skriftligt samtycke har tagits emot"), required=False
    )
    consent_scope = forms.CharField(
        label=_("Samtycket omfattar"),
        required=False,
        initial=DEFAULT_CONSENT_SCOPE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    protected_identity = forms.BooleanField(
        label=_("Personen har skyddade personuppgifter"),
        required=False,
        help_text=_("Då registreras deltagandet anonymt: bara kön och startår sparas."),
    )
    name = forms.CharField(label=_("Namn"), required=False, max_length=200)
    number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        max_length=15,
        help_text=_("ÅÅÅÅMMDD-NNNN. Sparas krypterat."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Kön"), choices=Sex.choices, widget=forms.RadioSelect)
    start_date = forms.DateField(label=_("Startdatum i insatsen"), widget=DATE)
    birth_year = forms.IntegerField(
        label=_("Födelseår"), required=False, min_value=1900, max_value=2100
    )
    kommun = forms.ModelChoiceField(
        label=_("Kommun"),
        required=False,
        queryset=Member.objects.filter(kind=MemberKind.KOMMUN, active=True),
        empty_label=_("– annan eller okänd –"),
    )
    referrer = forms.ModelChoiceField(
        label=_("Remitterande part"), required=False, queryset=_choices(Referrer)
    )
    occupation_before = forms.ModelChoiceField(
        label=_("Sysselsättning före"), required=False, queryset=_choices(Occupation)
    )
    education = forms.ModelChoiceField(
        label=_("Utbildningsnivå"), required=False, queryset=_choices(EducationLevel)
    )
    jobless = forms.ModelChoiceField(
        label=_("Tid utan arbete"), required=False, queryset=_choices(JoblessBand)
    )

    CONSENT_FIELDS = (
        "consent",
        "consent_given_on",
        "consent_written",
        "consent_scope",
        "protected_identity",
    )
    IDENTITY_FIELDS = ("name", "number")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()
        self.identified = identity.enabled()
        if not self.identified:
            for name in self.IDENTITY_FIELDS:
                del self.fields[name]
        self.add_income_fields()

    def baseline_fields(self):
        skip = {*self.CONSENT_FIELDS, *self.IDENTITY_FIELDS, *self.income_field_names()}
        return [self[name] for name in self.fields if name not in skip]

    def consent_fields(self):
        return [self[name] for name in self.CONSENT_FIELDS]

    def identity_fields(self):
        return [self[name] for name in self.IDENTITY_FIELDS if name in self.fields]

    def clean(self):
        data = super().clean()
        if data.get("consent") == "ja" and not data.get("protected_identity"):
            if not data.get("consent_given_on"):
                self.add_error("consent_given_on", _("Ange när samtycket lämnades."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        anonymous = data["consent"] != "ja" or data["protected_identity"]
        return {
            "sex": data["sex"],
            "start_date": data["start_date"],
            "consent_given_on": None if anonymous else data["consent_given_on"],
            "consent_written": data["consent_written"],
            "consent_scope": data["consent_scope"] or "",
            "protected_identity": data["protected_identity"],
            "name": data.get("name") or "",
            "number": data.get("number") or "",
            "birth_year": data["birth_year"],
            "kommun": data["kommun"],
            "referrer": data["referrer"],
            "occupation_before": data["occupation_before"],
            "education": data["education"],
            "jobless": data["jobless"],
            "incomes_before": self.incomes(),
        }


class StatusForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Status"), queryset=_choices(StatusKind), empty_label=_("– välj status –")
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    note = forms.CharField(
        label=_("Kort anteckning"),
        required=False,
        max_length=StatusEntry.NOTE_MAX,
        help_text=_("Högst %(n)s tecken. Skriv aldrig något om hälsa eller diagnoser.")
        % {"n": StatusEntry.NOTE_MAX},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class CloseForm(IncomeFieldsMixin, forms.Form):
    income_prefix = "efter"

    end_date = forms.DateField(label=_("Slutdatum"), widget=DATE)
    exit_reason = forms.ModelChoiceField(
        label=_("Avslutsorsak"), queryset=_choices(ExitReason).exclude(code=ExitReason.WITHDRAWN)
    )
    occupation_after = forms.ModelChoiceField(
        label=_("Sysselsättning efter"), required=False, queryset=_choices(Occupation)
    )

    def __init__(self, *args, minimal=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()
        self.minimal = minimal
        if minimal:
            del self.fields["occupation_after"]
            self.income_sources = []
        else:
            self.add_income_fields()


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför öppnas deltagandet igen?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeleteMistakeForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför tas felregistreringen bort?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    on = forms.DateField(label=_("Datum då samtycket återkallades"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ListFilterForm(forms.Form):
    insats = forms.ModelChoiceField(
        label=_("Insats"), required=False, queryset=None, empty_label=_("Alla mina insatser")
    )
    visa = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("pagaende", _("Pågående")), ("avslutade", _("Avslutade")), ("alla", _("Alla"))],
    )
    q = forms.CharField(label=_("Sök deltagarkod"), required=False, max_length=30)

    def __init__(self, *args, projects=None, own=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insats"].queryset = projects
        if not own:  # the kansli's list holds every insats, not "theirs"
            self.fields["insats"].empty_label = _("Alla insatser")
        style_filter_fields(self)

    def clean_q(self):
        # The filter travels in the address, which browsers' histories and
        # servers' logs keep: a personnummer never goes there.
        q = self.cleaned_data["q"]
        if contains_personnummer(q) or sum(ch.isdigit() for ch in q) >= 10:
            raise forms.ValidationError(
                _(
                    "Sök inte på personnummer här: det hamnar i adressfältet och i loggar. "
                    "Använd sökningen på personnummer."
                )
                if identity.enabled()
                else _("Sök på deltagarkod. Personnummer registreras inte i Finsam.")
            )
        return q


class NumberSearchForm(forms.Form):
    """Find a person by personnummer (identified mode). Sent as a POST, so the
    number is in no address, history or access log."""

    personnummer = forms.CharField(
        label=_("Sök på personnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_personnummer(self):
        return identity.normalise_number(self.cleaned_data["personnummer"])


class StatisticsForm(forms.Form):
    insats = forms.ModelChoiceField(
        label=_("Insats"), required=False, queryset=None, empty_label=_("Alla insatser")
    )
    fran = forms.DateField(label=_("Från"), required=False, widget=DATE)
    till = forms.DateField(label=_("Till"), required=False, widget=DATE)

    def __init__(self, *args, projects=None, own=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insats"].queryset = projects
        if not own:  # the kansli's list holds every insats, not "theirs"
            self.fields["insats"].empty_label = _("Alla insatser")
        style_filter_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["till"] < data["fran"]:
            self.add_error("till", _("Slutdatum ligger före startdatum."))
        return data


class ImportForm(forms.Form):
    file = ImportFileField(
        label=_("Fil (.xlsx eller .csv)"),
    )
