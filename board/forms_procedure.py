"""Forms for how a § was handled: närvaro per §, förslag and yrkanden,
propositionsordning, omröstning, reservation; and delegationsbeslut."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from board.models import (
    AttendanceKind,
    Choice,
    DelegationDecision,
    DelegationRule,
    Motion,
    MotionKind,
    TieBreak,
)
from finsam.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person(attendance, label, *, required=True, kinds=None):
    rows = attendance if kinds is None else [a for a in attendance if a.kind in kinds]
    field = forms.TypedChoiceField(
        label=label,
        choices=[("", "–")] + [(a.pk, a.name) for a in rows],
        coerce=int,
        required=required,
        empty_value=None,
    )
    return field


def _paragraph_choice(paragraphs, label, *, required=True):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "–")] + [(p.pk, f"§ {p.number} {p.title}") for p in paragraphs],
        coerce=int,
        required=required,
        empty_value=None,
    )


BOARD = (AttendanceKind.VOTING, AttendanceKind.SERVING_DEPUTY, AttendanceKind.DEPUTY)


class PartlyPresentForm(forms.Form):
    """Someone present for only part of the meeting (came late, left early)."""

    prefix = "delvis"

    def __init__(self, *args, attendance, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"] = _person(attendance, _("Vem"), kinds=BOARD)
        self.fields["first"] = _paragraph_choice(paragraphs, _("Närvarande från och med"))
        self.fields["last"] = _paragraph_choice(paragraphs, _("till och med"))


class RecusalForm(forms.Form):
    """Jäv in this §, and the ersättare who serves in the ledamot's place."""

    prefix = "jav"

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"] = _person(
            attendance, _("Vem anmäler jäv"), kinds=(AttendanceKind.VOTING,) + BOARD[1:]
        )
        self.fields["stand_in"] = _person(
            attendance,
            _("Ersättare som tjänstgör i stället"),
            required=False,
            kinds=(AttendanceKind.DEPUTY,),
        )
        self.fields["stand_in"].help_text = _("Lämna tomt om ingen ersättare går in.")


class ServesForm(forms.Form):
    """An ersättare who serves for an absent ledamot in a run of §§."""

    prefix = "tjanstgor"

    def __init__(self, *args, attendance, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"] = _person(
            attendance, _("Ersättare"), kinds=(AttendanceKind.DEPUTY,)
        )
        self.fields["replaces"] = _person(
            attendance, _("Tjänstgör för"), kinds=(AttendanceKind.VOTING,)
        )
        self.fields["first"] = _paragraph_choice(paragraphs, _("Från och med"))
        self.fields["last"] = _paragraph_choice(paragraphs, _("till och med"))


class MotionForm(forms.ModelForm):
    prefix = "yrk"

    class Meta:
        model = Motion
        fields = ["kind", "source", "made_by", "supported_by", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"text": _("Till exempel: att ansökan beviljas med 300 000 kr.")}

    def __init__(self, *args, serving, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in serving]
        for name in ("made_by", "supported_by"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(pk__in=ids)
            # Shown from the list the page has read; the queryset checks what is sent.
            field.choices = [("", field.empty_label)] + [(a.pk, str(a)) for a in serving]
        self.fields["made_by"].help_text = _("För ett yrkande: en tjänstgörande ledamot.")
        self.fields["kind"].initial = MotionKind.MOTION


class PropositionForm(forms.Form):
    prefix = "prop"

    def __init__(self, *args, motions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "–")] + [(m.pk, m.label) for m in motions]

        def field(label, required=True):
            return forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=required, empty_value=None
            )

        self.fields["first"] = field(_("Ordföranden ställer proposition på"))
        self.fields["second"] = field(_("mot"), required=False)
        self.fields["second"].help_text = _("Tomt: ett enda förslag ställs under proposition.")
        self.fields["found"] = field(_("och finner att styrelsen beslutar enligt"))


class VoteForm(forms.Form):
    """An open vote: one Ja/Nej/Avstår per tjänstgörande; or a closed one: the counts."""

    closed = forms.BooleanField(label=_("Sluten omröstning (bara antal röster)"), required=False)
    yes = forms.IntegerField(label=_("Ja-röster"), min_value=0, required=False)
    no = forms.IntegerField(label=_("Nej-röster"), min_value=0, required=False)
    abstain = forms.IntegerField(label=_("Avstår"), min_value=0, required=False)
    tie_break = forms.ChoiceField(
        label=_("Vid lika röstetal"),
        choices=TieBreak.choices,
        help_text=_("Lottning vid val och i personalärenden; annars ordförandens utslagsröst."),
    )

    def __init__(self, *args, serving, proposition, **kwargs):
        kwargs.setdefault("prefix", f"v{proposition.pk}")
        super().__init__(*args, **kwargs)
        self.serving = serving
        for a in serving:
            self.fields[f"r{a.pk}"] = forms.ChoiceField(
                label=a.name,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        motions = [m for m in (proposition.first, proposition.second) if m]
        self.fields["lot_winner"] = forms.TypedChoiceField(
            label=_("Lotten föll på"),
            choices=[("", "–")] + [(m.pk, m.label) for m in motions],
            coerce=int,
            required=False,
            empty_value=None,
            help_text=_("Bara vid lika röstetal och lottning."),
        )

    def ballot_fields(self):
        return [self[f"r{a.pk}"] for a in self.serving]

    def ballots(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"r{a.pk}") for a in self.serving}

    def counts(self):
        if not self.cleaned_data.get("closed"):
            return None
        return tuple(self.cleaned_data.get(k) or 0 for k in ("yes", "no", "abstain"))


class ReservationForm(forms.Form):
    prefix = "res"

    written = forms.CharField(
        label=_("Skriftlig reservation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lämnas in före justeringen; bifogas protokollet. Tomt: muntlig reservation."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"] = _person(people, _("Vem reserverar sig"))
        self.order_fields(["attendance", "written"])


class ParagraphCorrectionForm(forms.Form):
    prefix = "rattelse"

    text = forms.CharField(
        label=_("Rättelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Till exempel: I beslutet ska det stå 30 000 kr, inte 300 000 kr."),
    )


class DelegationDecisionForm(forms.ModelForm):
    class Meta:
        model = DelegationDecision
        fields = ["rule", "decided_on", "decided_by", "matter", "amount", "application"]
        widgets = {"decided_on": DATE, "matter": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = DelegationRule.objects.filter(active=True)
        self.fields["decided_by"].queryset = User.objects.filter(is_active=True).order_by(
            "full_name"
        )
        self.fields["application"].queryset = self.fields["application"].queryset.select_related(
            "project"
        )
        self.fields["application"].required = False
