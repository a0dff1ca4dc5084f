import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.lib.archives import ArchiveTooLarge, zip_entries
from finsam.lib.validators import contains_personnummer
from finsam.models import Federation, Member, User


class FinsamFormRenderer(TemplatesSetting):
    """Renders every form with the project's accessible field markup."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the mail in the outbox instead of sending it in the request.
        Its link sets a password, so its text is erased once it is sent."""
        from django.template import loader

        from finsam import mail

        # The link goes where every mail's links go, not to the host the
        # request happened to name (finsam.mail.site_url).
        context = {**context, **mail.site_parts()}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        mail.queue(
            topic=f"losenord:{context['user'].pk}",
            to=to_email,
            user=context["user"],
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            secret=True,
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    pass


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engångskod"),
        max_length=16,
        help_text=_("Sex siffror från din autentiseringsapp, eller en av dina reservkoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UserForm(forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roller"),
        queryset=Group.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "title", "email", "member"]
        labels = {"username": _("Inloggningsnamn")}

    def __init__(self, *args, actor=None, **kwargs):
        from finsam.services import grantable_roles

        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["member"].queryset = Member.objects.filter(active=True)
        grantable = grantable_roles(actor)
        self.fields["roles"].queryset = Group.objects.filter(name__in=grantable).order_by("name")
        # Roles the actor may not grant or remove stay as they are.
        self.kept_roles = []
        if self.instance.pk:
            current = self.instance.groups.all()
            self.fields["roles"].initial = list(current.filter(name__in=grantable))
            self.kept_roles = list(current.exclude(name__in=grantable))
            if actor is not None and actor.pk == self.instance.pk:
                self.fields["roles"].disabled = True
                self.fields["roles"].help_text = _(
                    "Dina egna roller kan bara en annan administratör ändra."
                )

    def clean_roles(self):
        return [*self.cleaned_data["roles"], *self.kept_roles]


class FederationForm(forms.ModelForm):
    class Meta:
        model = Federation
        fields = [
            "name",
            "organisation_number",
            "seat",
            "address",
            "email",
            "minutes_storage_place",
            "notice_board_place",
            "secretary_signs",
            "small_count_threshold",
            "participant_retention_months",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "kind", "organisation_number", "population", "population_date", "active"]
        widgets = {"population_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ContributionYearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    total = forms.DecimalField(
        label=_("Totala medlemsbidrag (kr)"),
        min_value=0,
        max_digits=14,
        decimal_places=0,
        help_text=_("Hela kronor. Fördelas enligt finansieringsprinciperna i Finsamlagen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        accept_swedish_numbers(self)


def style_filter_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes for a filter form's fields, which lay themselves out
    in a row instead of going through the field template."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = css


# Spaces a Swedish number may be grouped with: space, no-break space, narrow
# no-break space (what the app itself prints) and thin space.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009]")


class SwedishDecimalField(forms.DecimalField):
    """A decimal field that reads numbers as Swedes write them and as the app
    prints them: "22 000", "22 000,50", "22000", "−1 500", "22 000 kr"."""

    default_error_messages = {
        "invalid": _("Skriv ett tal med siffror, t.ex. 22 000 eller 22 000,50."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = _GROUPING.sub("", str(value)).replace("\u2212", "-").replace(",", ".")
        text = text.removesuffix("kr")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if number.as_tuple().exponent < 0 and number == number.to_integral_value():
            number = number.to_integral_value()  # "22 000,00" is whole kronor
        return number

    def prepare_value(self, value):
        """A whole number is shown without decimals: a count of 1 is "1", not "1,0"."""
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral():
            return value.to_integral_value()
        return super().prepare_value(value)


def accept_swedish_numbers(form: forms.BaseForm) -> None:
    """Let every decimal field of ``form`` read Swedish numbers ("1,2", "22 000")
    in a text box (a number input will not take a space), shown grouped."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.__class__ = SwedishDecimalField
            field.error_messages["invalid"] = SwedishDecimalField.default_error_messages["invalid"]
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", **field.widget.attrs})
            field.widget.attrs.pop("step", None)
            field.widget.is_localized = True


# --- Uploaded documents (attachments, handlingar) ------------------------------

DOCUMENT_TYPES = {
    ".pdf": "PDF",
    ".docx": "Word (DOCX)",
    ".xlsx": "Excel (XLSX)",
    ".odt": "OpenDocument-text (ODT)",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


# What a browser would run if someone made it open the file as a page.
_ACTIVE_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.I)


def _looks_like(upload, extension: str) -> bool:
    """Check the content, not only the name: a renamed file, a PDF that is also
    a web page and a zip bomb dressed as a Word file are refused."""
    upload.seek(0)
    content = upload.read(MAX_DOCUMENT_BYTES + 1)
    upload.seek(0)
    if extension == ".pdf":
        return (
            content.startswith(b"%PDF-")
            and b"%%EOF" in content[-2048:]
            and not _ACTIVE_MARKUP.search(content)
        )
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        names = {entry.filename for entry in zip_entries(content)}
        if extension == ".odt":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, ArchiveTooLarge, KeyError, ValueError, NotImplementedError):
        return False
    marker = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}[extension]
    return marker in names and "[Content_Types].xml" in names


class DocumentField(forms.FileField):
    """A PDF, DOCX, XLSX or ODT document of at most 10 MB, checked by content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Fil"))
        kwargs.setdefault("help_text", _("PDF, DOCX, XLSX eller ODT, högst 10 MB."))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_TYPES)})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        name = upload.name.rsplit("/", 1)[-1]
        if contains_personnummer(name):
            # The name is shown on the meeting's page and in protocols.
            raise forms.ValidationError(
                _(
                    "Filnamnet ser ut att innehålla ett personnummer. Byt namn på filen "
                    "innan du laddar upp den: handlingar är allmänna handlingar."
                )
            )
        extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if extension not in DOCUMENT_TYPES:
            raise forms.ValidationError(
                _("Filen %(name)s har fel typ. Tillåtna filtyper är %(types)s.")
                % {"name": name, "types": ", ".join(DOCUMENT_TYPES.values())}
            )
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("Filen %(name)s är för stor (högst 10 MB).") % {"name": name}
            )
        if upload.size == 0 or not _looks_like(upload, extension):
            raise forms.ValidationError(
                _("Filen %(name)s är inte en giltig %(type)s-fil.")
                % {"name": name, "type": DOCUMENT_TYPES[extension]}
            )
        return upload


class ImportFileField(forms.FileField):
    """An .xlsx or .csv to import, refused by its size before anything reads it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        from finsam.lib.spreadsheet import size_problem

        upload = super().clean(data, initial)
        if upload and (problem := size_problem(upload.size)):
            raise forms.ValidationError(problem)
        return upload


def form_errors(form, error) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """Historik: by person, days, kind of object and event."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=User.objects.order_by("full_name"),
        empty_label=_("Alla"),
    )
    fran = forms.DateField(
        label=_("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Till"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    objekt = forms.ChoiceField(label=_("Typ av objekt"), required=False)
    handelse = forms.ChoiceField(label=_("Händelse"), required=False)

    def __init__(self, *args, **kwargs):
        from finsam.models import AuditAction
        from finsam.selectors import object_kinds

        super().__init__(*args, **kwargs)
        self.fields["objekt"].choices = [("", _("Alla"))] + object_kinds()
        self.fields["handelse"].choices = [("", _("Alla"))] + list(AuditAction.choices)
        style_filter_fields(self)
