from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.forms import accept_swedish_numbers, style_filter_fields
from projects.forms import DATE
from projects.models import tertial_of
from reports.models import GoalOutcome, Report, ReportKind, ReportStatus


class ReportCreateForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["project", "kind", "period_start", "period_end", "title"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].help_text = _("Insatser som du arbetar i.")
        self.fields["period_start"].required = False
        self.fields["period_end"].required = False
        self.fields["period_start"].help_text = _(
            "Tomt: hela insatsens tid för slut- och förstudierapporter, annars innevarande tertial."
        )

    def clean(self):
        data = super().clean()
        project, kind = data.get("project"), data.get("kind")
        if project and kind and not (data.get("period_start") and data.get("period_end")):
            start, end = default_period(project, kind)
            data["period_start"] = data.get("period_start") or start
            data["period_end"] = data.get("period_end") or end
            self.instance.period_start = data["period_start"]
            self.instance.period_end = data["period_end"]
        return data


def default_period(project, kind, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The whole insats for a slutrapport or förstudierapport; else the tertial
    (January–April, May–August, September–December) that is under way."""
    if kind in (ReportKind.FINAL, ReportKind.PRESTUDY):
        return project.start_date, project.end_date
    start, end = tertial_of(today or timezone.localdate())
    return max(start, project.start_date), min(end, project.end_date)


class ReportHeadingForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["title", "period_start", "period_end"]
        widgets = {"period_start": DATE, "period_end": DATE}


class GoalOutcomeForm(forms.ModelForm):
    class Meta:
        model = GoalOutcome
        fields = ["value", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accept_swedish_numbers(self)
        for field in self.fields.values():  # laid out by the template, not the renderer
            field.widget.attrs.setdefault("class", "form-control")


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Vad behöver ändras?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla"))] + ReportStatus.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_fields(self)
