"""The insats's tabs: one list for its tab bar and its pages' titles."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

TABS = [
    ("oversikt", _("Översikt"), "projects:detail"),
    ("ansokningar", _("Ansökningar"), "projects:applications"),
    ("mal", _("Mål"), "projects:goals"),
    ("budget", _("Budget och utfall"), "projects:budget"),
    ("rapportkrav", _("Rapportkrav"), "projects:obligations"),
    ("rekvisitioner", _("Rekvisitioner"), "projects:payment_requests_of"),
    ("dokument", _("Dokument"), "projects:documents"),
    ("historik", _("Historik"), "projects:history"),
]


@register.simple_tag
def project_tabs():
    return TABS


@register.filter
def tab_label(tab: str) -> str:
    return next((str(label) for key, label, _url in TABS if key == tab), "")
