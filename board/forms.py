"""Forms for the board: memberships, meetings, protocols, justering, search."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from board.models import (
    AgendaItem,
    Attendance,
    BoardMembership,
    Meeting,
    MeetingDocument,
    Minutes,
    Paragraph,
)
from board.selectors import board_users
from finsam.forms import DocumentField
from finsam.lib import per_request
from finsam.models import Member, User
from finsam.roles import STYRELSE
from projects.forms import GrantedAmountsMixin
from projects.models import Application, ApplicationStatus
from reports import selectors as report_selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class MembershipForm(forms.ModelForm):
    class Meta:
        model = BoardMembership
        fields = ["user", "member", "role", "term_start", "term_end", "deputy_order"]
        widgets = {"term_start": DATE, "term_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            groups__name=STYRELSE, is_active=True
        ).order_by("full_name")
        self.fields["user"].help_text = _(
            "Personer med rollen Styrelse. Lägg till nya under Administration → Användare."
        )
        self.fields["member"].queryset = Member.objects.filter(active=True)


class MeetingForm(forms.ModelForm):
    remote_link = forms.URLField(
        label=_("Länk för distansdeltagande"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ["date", "starts_at", "ends_at", "place", "remote", "remote_link"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "presenter", "description", "application", "report", "order"]
        widgets = {"description": _rows(3)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            status=ApplicationStatus.READY
        ).select_related("project")
        self.fields["application"].help_text = _("Ansökningar som är redo för beslut.")
        self.fields["report"].queryset = report_selectors.approved_awaiting_board()
        self.fields["report"].help_text = _("Rapporter som kansliet har godkänt.")
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Tomt: sist på dagordningen.")


class DocumentForm(forms.Form):
    file = DocumentField()
    agenda_item = forms.ModelChoiceField(
        label=_("Hör till punkt"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].queryset = meeting.agenda.all()

    def instance(self) -> MeetingDocument:
        upload = self.cleaned_data["file"]
        return MeetingDocument(
            meeting=self.meeting,
            agenda_item=self.cleaned_data["agenda_item"],
            file=upload,
            name=upload.name[:200],
            size=upload.size,
        )


def _board_user_field(field) -> None:
    """A choice of the board's people: checked against ``board_users()``,
    shown from one reading of it per request (a page has several such fields)."""
    field.queryset = board_users()
    people = per_request.once("board_users", lambda: [(u.pk, str(u)) for u in board_users()])
    field.choices = ([("", field.empty_label)] if field.empty_label is not None else []) + people


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["justering_place"]


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["kind", "user", "name", "organisation", "role", "replaces"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _board_user_field(self.fields["user"])
        self.fields["user"].help_text = _("För ledamöter och ersättare. Namnet hämtas då därifrån.")
        self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("name"):
            self.add_error("name", _("Välj en person eller skriv ett namn."))
        return data


class SignersForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("Ordförande"), queryset=User.objects.none())
    verifiers = forms.ModelMultipleChoiceField(
        label=_("Justerare"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Den eller de som utsågs att justera protokollet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _board_user_field(self.fields["chair"])
        _board_user_field(self.fields["verifiers"])


class NewParagraphForm(forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = ["title", "application", "report"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            status=ApplicationStatus.READY
        ).select_related("project")
        self.fields["report"].queryset = report_selectors.approved_awaiting_board()


class ParagraphForm(GrantedAmountsMixin, forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = [
            "title",
            "presenter",
            "discussion",
            "decision_type",
            "decision_text",
            "immediate",
            "confidential",
        ]
        widgets = {"discussion": _rows(6), "decision_text": _rows(4)}


class AttachForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Handling"), queryset=MeetingDocument.objects.none())

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = meeting.documents.all()


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Engångskod"),
        max_length=16,
        help_text=_("Sex siffror från din autentiseringsapp."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CorrectionForm(forms.Form):
    comment = forms.CharField(
        label=_("Vad behöver rättas?"),
        widget=_rows(4),
        max_length=2000,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök i protokoll och beslut"),
        required=False,
        max_length=200,
        help_text=_("Till exempel: bevilja, slutrapport, dataskyddsombud."),
    )


class VerifyForm(forms.Form):
    checksum = forms.CharField(
        label=_("Kontrollsumma (SHA-256)"),
        required=False,
        max_length=80,
        help_text=_("64 tecken, som den står under underskrifterna i protokollet."),
    )
    file = forms.FileField(
        label=_("Eller ladda upp protokollet som PDF"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def clean_checksum(self):
        value = "".join(self.cleaned_data["checksum"].split()).lower()
        if value and (len(value) != 64 or any(c not in "0123456789abcdef" for c in value)):
            raise forms.ValidationError(
                _("En kontrollsumma är 64 tecken, siffror och bokstäverna a–f.")
            )
        return value

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är för stor (högst 20 MB)."))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("checksum") and not data.get("file"):
            raise forms.ValidationError(_("Klistra in en kontrollsumma eller välj en PDF-fil."))
        return data


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-postadress"),
        help_text=_(
            "Du får ett e-postmeddelande för att bekräfta. Adressen används bara för "
            "utskicken och tas bort när du avslutar."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
