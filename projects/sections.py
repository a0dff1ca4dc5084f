"""The sections of an application, in the order the form shows them: what each
edits, and what each kind of application must contain before it is submitted.

A section either edits fields of the application (``fields``) or holds a list
of items (``items``, the related name: goals, phases, budget lines …). What a
section needs (``needs``) is given per kind of application: field names, or
the related name of a list that must not be empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from projects.models import ApplicationKind

NEW = ApplicationKind.NEW
CONTINUATION = ApplicationKind.CONTINUATION
SUPPLEMENT = ApplicationKind.SUPPLEMENT
CHANGE = ApplicationKind.CHANGE


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...] = ()
    items: str = ""
    # What the applicant is told when a needed list is empty.
    empty: str = ""
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def needed_for(self, kind: str) -> tuple[str, ...]:
        """What an application of ``kind`` must have in this section."""
        return self.needs.get(kind, ())


def _for(what: tuple[str, ...], *kinds) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(kinds, what)


SECTIONS: list[Section] = [
    Section(
        "grunduppgifter",
        _("Grunduppgifter"),
        fields=(
            "title",
            "change_summary",
            "period_start",
            "period_end",
            "received_on",
            "applicant_reference",
            "signed_for_applicant",
        ),
        needs={
            NEW: ("title", "period_start", "period_end"),
            CONTINUATION: ("title", "change_summary", "period_start", "period_end"),
            SUPPLEMENT: ("title", "change_summary"),
            CHANGE: ("title", "change_summary"),
        },
    ),
    Section(
        "bakgrund",
        _("Bakgrund och problembeskrivning"),
        fields=("background",),
        needs=_for(("background",), NEW, CONTINUATION, CHANGE),
    ),
    Section(
        "malgrupp",
        _("Målgrupp och urval"),
        fields=("target_group", "planned_participants"),
        needs=_for(("target_group",), NEW),
    ),
    Section("syfte", _("Syfte"), fields=("purpose",), needs=_for(("purpose",), NEW)),
    Section(
        "mal",
        _("Mål"),
        items="goals",
        empty=_("Ange minst ett mätbart mål."),
        needs=_for(("goals",), NEW),
    ),
    Section("metod", _("Metod och aktiviteter"), fields=("method",), needs=_for(("method",), NEW)),
    Section(
        "organisation",
        _("Organisation"),
        fields=("steering_group", "working_group"),
        needs=_for(("steering_group",), NEW),
    ),
    Section("tidsplan", _("Tidsplan och faser"), items="phases"),
    Section(
        "budget",
        _("Budget"),
        items="budget_lines",
        empty=_("Lägg till minst en budgetpost."),
        needs=_for(("budget_lines",), NEW, CONTINUATION, SUPPLEMENT),
    ),
    Section("medfinansiering", _("Medfinansiering"), items="cofinancing"),
    Section(
        "uppfoljning",
        _("Uppföljning och utvärdering"),
        fields=("follow_up",),
        needs=_for(("follow_up",), NEW),
    ),
    Section(
        "implementering",
        _("Implementering i ordinarie verksamhet"),
        fields=("implementation",),
        needs=_for(("implementation",), NEW),
    ),
    Section("bilagor", _("Bilagor"), items="attachments"),
]

_BY_SLUG = {section.slug: section for section in SECTIONS}


def section(slug: str) -> Section | None:
    return _BY_SLUG.get(slug)


def following(current: Section) -> Section | None:
    """The section after ``current`` in the form, None after the last."""
    index = SECTIONS.index(current)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
