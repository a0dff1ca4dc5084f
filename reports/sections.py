"""The headings of each kind of report (the projektrapport, slutrapport,
delrapport and tertialrapport a förbund's insatser hand in). Every section has a text; the
computed ones also show the report's figures: participant statistics, the
Mål/Utfall table and the economy table."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.models import ReportKind

PARTICIPANTS, GOALS, ECONOMY = "deltagare", "mal", "ekonomi"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    guide: str = ""

    @property
    def computed(self) -> str:
        """'' for text only, else which figures the section shows."""
        return self.key if self.key in (PARTICIPANTS, GOALS, ECONOMY) else ""


_PARTICIPANTS = Section(
    PARTICIPANTS,
    _("Deltagare"),
    _("Tabellerna fylls i från deltagarregistreringen. Kommentera det som sticker ut."),
)
_ECONOMY = Section(
    ECONOMY,
    _("Ekonomi"),
    _("Budget, utfall och prognos hämtas från insatsens ekonomi. Förklara avvikelser."),
)


def _goals(heading):
    return Section(
        GOALS,
        heading,
        _(
            "Utfallet räknas från deltagarregistreringen där målet går att mäta; "
            "annars anger du det för varje mål nedan."
        ),
    )


SECTIONS: dict[str, list[Section]] = {
    ReportKind.FINAL: [
        Section("aktiviteter", _("Aktiviteter enligt ansökan"), _("Vad insatsen skulle göra.")),
        Section("malgrupp", _("Målgrupp"), _("Vilka insatsen var till för och hur de nåddes.")),
        Section("genomforande", _("Genomförande"), _("Hur arbetet gick till, steg för steg.")),
        _PARTICIPANTS,
        _ECONOMY,
        _goals(_("Mål- och resultatuppföljning")),
        Section("samverkan", _("Samverkan"), _("Hur parterna har arbetat tillsammans.")),
        Section("lardomar", _("Lärdomar"), _("Vad som fungerade, vad som inte gjorde det.")),
        Section(
            "implementering",
            _("Implementering"),
            _("Vad som lever vidare i ordinarie verksamhet, och hos vem."),
        ),
    ],
    ReportKind.INTERIM: [
        Section("sammanfattning", _("Sammanfattning")),
        Section("bakgrund", _("Bakgrund")),
        Section("genomforande", _("Genomförande hittills")),
        _PARTICIPANTS,
        _goals(_("Mål och utfall hittills")),
        _ECONOMY,
        Section("fortsattning", _("Fortsatt arbete")),
    ],
    ReportKind.TERTIAL: [
        Section("aktiviteter", _("Aktiviteter under tertialet")),
        _PARTICIPANTS,
        _ECONOMY,
        Section("samverkan", _("Samverkan")),
        Section("framatblick", _("Framåtblick")),
    ],
    ReportKind.STATUS: [
        Section("lage", _("Läget i insatsen")),
        _PARTICIPANTS,
        _ECONOMY,
        Section("avvikelser", _("Avvikelser och risker")),
        Section("nasta", _("Nästa steg")),
    ],
    ReportKind.PRESTUDY: [
        Section("bakgrund", _("Bakgrund till förstudien")),
        _goals(_("Mål enligt ansökan och resultat")),
        Section("omvarld", _("Omvärldsförändringar")),
        Section("resurser", _("Resursfördelning")),
        _ECONOMY,
        Section("lardomar", _("Lärdomar")),
        Section("forslag", _("Förslag till fortsättning")),
    ],
}


def sections_for(report) -> list[Section]:
    """The report's sections; without participants when the insats has none."""
    from projects.models import Orientation

    sections = SECTIONS[report.kind]
    if report.project.orientation != Orientation.INDIVIDUAL:
        sections = [s for s in sections if s.key != PARTICIPANTS]
    return sections


def section(report, key: str) -> Section | None:
    return next((s for s in sections_for(report) if s.key == key), None)
