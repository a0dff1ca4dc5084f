"""Participations read in from a file: every row checked before any is written."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib import spreadsheet
from finsam.lib.services import service
from finsam.lib.spreadsheet import (
    ImportFileError,
    header_map,
    parse_date,
    parse_whole_number,
    read_rows,
)
from finsam.models import AuditAction, Member, MemberKind
from finsam.services import log_event
from participants import access, identity, services
from participants.models import (
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Participation,
    Referrer,
    Sex,
)
from projects.models import Project

# --- In -------------------------------------------------------------------------

COLUMNS = {
    "reference": ("diarienummer", "dnr", "insats"),
    "sex": ("kön", "kon"),
    "start_date": ("startdatum", "start", "inskriven"),
    "consent": ("samtycke",),
    "consent_given_on": ("samtycke datum", "datum för samtycke", "samtyckesdatum"),
    "consent_written": ("skriftligt samtycke", "skriftligt"),
    "protected": ("skyddade personuppgifter", "skyddad identitet"),
    "birth_year": ("födelseår", "fodelsear"),
    "kommun": ("kommun",),
    "referrer": ("remitterande part", "remittent"),
    "occupation_before": ("sysselsättning före",),
    "education": ("utbildningsnivå", "utbildning"),
    "jobless": ("tid utan arbete",),
    "incomes_before": ("försörjning före",),
    "end_date": ("slutdatum", "avslutad"),
    "exit_reason": ("avslutsorsak",),
    "occupation_after": ("sysselsättning efter",),
    "incomes_after": ("försörjning efter",),
    "number": ("personnummer", "samordningsnummer"),
    "name": ("namn",),
}
REQUIRED = ("reference", "sex", "start_date", "consent")
IMPORT_COLUMN_HELP = [
    (_("Diarienummer"), _("Insatsens diarienummer, t.ex. 2026/3. Obligatorisk.")),
    (_("Kön"), _("Kvinna, man eller annat. Obligatorisk.")),
    (_("Startdatum"), _("ÅÅÅÅ-MM-DD. Obligatorisk.")),
    (_("Samtycke"), _("Ja eller nej. Utan samtycke sparas bara kön och startår.")),
    (_("Samtycke datum"), _("ÅÅÅÅ-MM-DD, när samtycke finns.")),
    (_("Skriftligt samtycke"), _("Ja eller nej.")),
    (_("Skyddade personuppgifter"), _("Ja gör registreringen anonym.")),
    (
        _(
            "Födelseår, Kommun, Remitterande part, Sysselsättning före, Utbildningsnivå, "
            "Tid utan arbete"
        ),
        _("Som i formuläret; benämning eller kod."),
    ),
    (
        _("Försörjning före / efter"),
        _(
            "En eller flera, kommaseparerade, med omfattning: "
            "\u201dFörsörjningsstöd 50 %, Sjukpenning 50 %\u201d."
        ),
    ),
    (_("Slutdatum, Avslutsorsak, Sysselsättning efter"), _("För avslutade deltaganden.")),
    (_("Personnummer, Namn"), _("Bara när identifierade deltagare är påslaget.")),
]
# Rows per file, so that reading in stays well inside a web request (measured
# on a 2-core machine: 1 500 rows 2.7 s, 6 000 rows 12 s, 20 000 rows 44 s,
# past gunicorn's 30 s). A larger file is split; issue 17's queue will take
# whole files to a job.
MAX_ROWS = 5_000
YES = {"ja", "j", "x", "yes", "1", "sant", "true"}
NO = {"nej", "n", "no", "0", "falskt", "false", ""}
INCOME_ITEM = re.compile(r"^(?P<name>.+?)\s*(?:(?P<extent>\d{1,3})\s*%?)?$")


@dataclass
class ImportRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    project: Project | None = None
    # Why the row looks like a participation already registered (or an
    # earlier row of the file): it is read in only when confirmed.
    duplicate: str = ""

    @property
    def anonymous(self) -> bool:
        return self.values.get("anonymous", True)

    @property
    def closed(self) -> bool:
        return self.values.get("end_date") is not None


@dataclass
class ImportPreview(spreadsheet.ImportPreview):
    @property
    def anonymous(self) -> int:
        return sum(1 for row in self.rows if row.anonymous)

    @property
    def closed(self) -> int:
        return sum(1 for row in self.rows if row.closed)

    @property
    def duplicates(self) -> list[ImportRow]:
        return [row for row in self.rows if row.duplicate]


class _Lookup:
    """Finds an entry of a choice list by its label or code, in any case."""

    def __init__(self, queryset, *, by=("label", "code")):
        self.entries = {}
        for entry in queryset:
            for attribute in by:
                self.entries[str(getattr(entry, attribute)).strip().lower()] = entry

    def __call__(self, text):
        return self.entries.get(str(text).strip().lower())


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _RowReader:
    def __init__(self, actor):
        self.actor = actor
        self.projects = {p.reference: p for p in Project.objects.all()}
        self.kommuner = _Lookup(Member.objects.filter(kind=MemberKind.KOMMUN), by=("name",))
        self.lists = {
            "referrer": (_Lookup(Referrer.objects.all()), _("remitterande part")),
            "occupation_before": (_Lookup(Occupation.objects.all()), _("sysselsättning")),
            "occupation_after": (_Lookup(Occupation.objects.all()), _("sysselsättning")),
            "education": (_Lookup(EducationLevel.objects.all()), _("utbildningsnivå")),
            "jobless": (_Lookup(JoblessBand.objects.all()), _("tid utan arbete")),
            "exit_reason": (_Lookup(ExitReason.objects.all()), _("avslutsorsak")),
        }
        self.incomes = _Lookup(IncomeSource.objects.all())
        self.sexes = {"kvinna": Sex.WOMAN, "k": Sex.WOMAN, "man": Sex.MAN, "m": Sex.MAN}
        self.sexes.update({"annat": Sex.OTHER, "annan": Sex.OTHER, "x": Sex.OTHER})
        self.open_people: set[tuple[str, int]] = set()
        self.today = timezone.localdate()
        self.enrol_rights: dict[int, bool] = {}

    def _may_enrol(self, project) -> bool:
        """``access.can_enrol`` once per insats of the file, not once per row."""
        if project.pk not in self.enrol_rights:
            self.enrol_rights[project.pk] = access.can_enrol(self.actor, project, imported=True)
        return self.enrol_rights[project.pk]

    def read(self, row: ImportRow, cell) -> None:
        errors = row.errors
        values = row.values
        reference = _text(cell("reference"))
        row.project = self.projects.get(reference)
        if row.project is None:
            errors.append(_("Insatsen %(ref)s finns inte.") % {"ref": reference or "–"})
        elif not self._may_enrol(row.project):
            errors.append(
                _(
                    "Du kan inte registrera deltagare i %(ref)s (individinriktad insats där du "
                    "arbetar, beviljad, pågående eller avslutad)."
                )
                % {"ref": reference}
            )
        values["sex"] = self.sexes.get(_text(cell("sex")).lower())
        if values["sex"] is None:
            errors.append(_("Kön måste vara kvinna, man eller annat."))
        values["start_date"] = parse_date(cell("start_date"))
        if values["start_date"] is None:
            errors.append(_("Startdatum saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)."))
        elif values["start_date"] > self.today:
            errors.append(_("Startdatum ligger i framtiden."))
        consent = _text(cell("consent")).lower()
        protected = _text(cell("protected")).lower() in YES
        values["protected_identity"] = protected
        values["anonymous"] = consent not in YES or protected
        if consent not in YES | NO:
            errors.append(_("Samtycke måste vara ja eller nej."))
        values["consent_given_on"] = None
        if consent in YES and not protected:
            values["consent_given_on"] = parse_date(cell("consent_given_on"))
            if values["consent_given_on"] is None:
                errors.append(_("Datum för samtycke saknas eller är inte ett datum."))
            elif values["consent_given_on"] > self.today:
                errors.append(_("Samtycket är daterat framåt."))
        values["consent_written"] = _text(cell("consent_written")).lower() in YES
        values["end_date"] = parse_date(cell("end_date")) if _text(cell("end_date")) else None
        if _text(cell("end_date")) and values["end_date"] is None:
            errors.append(_("Slutdatum är inte ett datum (ÅÅÅÅ-MM-DD)."))
        if (
            values["end_date"]
            and values["start_date"]
            and values["end_date"] < values["start_date"]
        ):
            errors.append(_("Slutdatum ligger före startdatum."))
        if values["end_date"] and values["end_date"] > self.today:
            errors.append(_("Slutdatum ligger i framtiden."))
        self._read_choice(row, cell, "exit_reason")
        if values["end_date"] and values.get("exit_reason") is None:
            errors.append(_("Ett avslutat deltagande behöver en avslutsorsak."))
        if row.anonymous:
            return  # nothing more is kept; the other columns are not read
        values["birth_year"] = None
        if _text(cell("birth_year")):
            birth_year = parse_whole_number(cell("birth_year"))
            if birth_year is None:
                errors.append(_("Födelseår måste vara ett årtal."))
            else:
                values["birth_year"] = birth_year
                if values["start_date"] and not (
                    services.MIN_AGE <= values["start_date"].year - birth_year <= services.MAX_AGE
                ):
                    errors.append(
                        _("Åldern vid start ligger utanför %(min)s–%(max)s år.")
                        % {"min": services.MIN_AGE, "max": services.MAX_AGE}
                    )
        kommun = _text(cell("kommun"))
        values["kommun"] = self.kommuner(kommun) if kommun else None
        if kommun and values["kommun"] is None:
            errors.append(_("Kommunen %(name)s är inte medlem i förbundet.") % {"name": kommun})
        for key in ("referrer", "occupation_before", "education", "jobless", "occupation_after"):
            self._read_choice(row, cell, key)
        values["incomes_before"] = self._read_incomes(row, cell("incomes_before"))
        values["incomes_after"] = self._read_incomes(row, cell("incomes_after"))
        values["number"] = _text(cell("number"))
        values["name"] = _text(cell("name"))
        if values["number"]:
            if not identity.enabled():
                errors.append(
                    _("Personnummer kan inte läsas in: identifierade deltagare är inte påslaget.")
                )
            else:
                try:
                    normalised = identity.normalise_number(values["number"])
                except ValidationError as error:
                    errors.extend(error.messages)
                else:
                    self._check_one_open(row, normalised)

    def _check_one_open(self, row, normalised):
        if row.project is None or row.closed:
            return
        key = (normalised, row.project.pk)
        already = Participation.objects.filter(
            project=row.project,
            participant__number_hash=identity.number_hash(normalised),
            end_year__isnull=True,
        ).exists()
        if key in self.open_people or already:
            row.errors.append(_("Personen har redan ett pågående deltagande i insatsen."))
        self.open_people.add(key)

    def _read_choice(self, row, cell, key):
        lookup, label = self.lists[key]
        text = _text(cell(key))
        row.values[key] = lookup(text) if text else None
        if text and row.values[key] is None:
            row.errors.append(_("Okänd %(what)s: %(text)s.") % {"what": label, "text": text})

    def _read_incomes(self, row, value) -> list[services.Income]:
        incomes = []
        for item in [part.strip() for part in _text(value).split(",") if part.strip()]:
            match = INCOME_ITEM.match(item)
            source = self.incomes(match["name"]) if match else None
            if source is None:
                row.errors.append(_("Okänd försörjning: %(text)s.") % {"text": item})
                continue
            extent = int(match["extent"]) if match["extent"] else 100
            if not 1 <= extent <= 100:
                row.errors.append(_("Omfattning måste vara 1–100 %: %(text)s.") % {"text": item})
                continue
            if any(income.source == source for income in incomes):
                row.errors.append(_("%(source)s står två gånger.") % {"source": source})
                continue
            incomes.append(services.Income(source=source, extent=extent))
        return incomes


def participations_import_preview(actor, content: bytes, filename: str) -> ImportPreview:
    preview = ImportPreview(filename=filename)
    try:
        rows = read_rows(content, filename, sheet="Deltagare", max_rows=MAX_ROWS)
    except ImportFileError as error:
        preview.file_errors.append(str(error))
        return preview
    rows = [row for row in rows if any(_text(v) for v in row)]
    if not rows:
        preview.file_errors.append(_("Filen är tom."))
        return preview
    columns = header_map(rows[0], COLUMNS)
    missing = [COLUMNS[key][0].capitalize() for key in REQUIRED if key not in columns]
    if missing:
        preview.file_errors.append(
            _("Kolumner saknas: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return preview
    reader = _RowReader(actor)
    for line, values in enumerate(rows[1:], start=2):
        row = ImportRow(line=line)

        def cell(key, values=values):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        reader.read(row, cell)
        preview.rows.append(row)
    _mark_duplicates([row for row in preview.rows if not row.errors and row.project])
    return preview


# What makes two participations look like the same one: the insats, kön,
# start date and the baseline at start.
_SAME = (
    "sex",
    "start_date",
    "birth_year",
    "kommun",
    "referrer",
    "occupation_before",
    "education",
    "jobless",
)


def _key(project_id, values: dict) -> tuple:
    return (project_id, *[getattr(values.get(k), "pk", values.get(k)) for k in _SAME])


def _mark_duplicates(rows: list[ImportRow]) -> None:
    """Mark the rows that match a participation already in their insats, or an
    earlier row of the file (one query for the whole file)."""
    if not rows:
        return
    existing = Participation.objects.filter(
        project__in={row.project.pk for row in rows},
        start_date__in={row.values.get("start_date") for row in rows},
    ).values_list("project_id", *[f"{k}_id" if k in _FOREIGN else k for k in _SAME])
    known = set(existing)
    seen: dict[tuple, int] = {}
    for row in rows:
        key = _key(row.project.pk, row.values)
        if key in known:
            row.duplicate = _(
                "Liknar ett deltagande som redan finns i %(project)s (samma kön, födelseår, "
                "startdatum och uppgifter vid start)."
            ) % {"project": row.project.reference}
        elif key in seen:
            row.duplicate = _("Liknar rad %(line)s i filen.") % {"line": seen[key]}
        seen.setdefault(key, row.line)


_FOREIGN = {"kommun", "referrer", "occupation_before", "education", "jobless"}


@service(None)
def participations_import_apply(
    *, actor, content: bytes, filename: str, confirmed: frozenset[int] = frozenset()
) -> ImportPreview:
    """All rows or none: any error (or any refusal by a service) rolls back.
    A row that looks like a participation already registered is read in only
    if its line is among ``confirmed``."""
    preview = participations_import_preview(actor, content, filename)
    if not preview.is_valid:
        raise ValidationError(_("Filen innehåller fel och har inte lästs in."))
    unconfirmed = [row.line for row in preview.duplicates if row.line not in confirmed]
    if unconfirmed:
        raise ValidationError(
            _(
                "Rad %(lines)s liknar deltaganden som redan finns. Bekräfta varje sådan rad, "
                "eller ta bort den ur filen. Ingenting är inläst."
            )
            % {"lines": ", ".join(str(line) for line in unconfirmed)}
        )
    digest = hashlib.sha256(content).hexdigest()
    context = f"import av deltagare: fil {digest[:16]}"
    services.participations_import(
        actor=actor,
        context=context,
        rows=[
            (
                row.project,
                {
                    "sex": row.values["sex"],
                    "start_date": row.values["start_date"],
                    "consent_given_on": row.values["consent_given_on"],
                    "consent_written": row.values["consent_written"],
                    "protected_identity": row.values["protected_identity"],
                    "number": row.values.get("number", ""),
                    "name": row.values.get("name", ""),
                    "birth_year": row.values.get("birth_year"),
                    "kommun": row.values.get("kommun"),
                    "referrer": row.values.get("referrer"),
                    "occupation_before": row.values.get("occupation_before"),
                    "education": row.values.get("education"),
                    "jobless": row.values.get("jobless"),
                    "incomes_before": row.values.get("incomes_before", []),
                },
                {
                    "end_date": row.values["end_date"],
                    "exit_reason": row.values["exit_reason"],
                    "occupation_after": row.values.get("occupation_after"),
                    "incomes_after": row.values.get("incomes_after", []),
                }
                if row.closed
                else None,
            )
            for row in preview.rows
        ],
    )
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        # The file's name may be a person's (people name files after whom they
        # hold): the log keeps what identifies the file, never its name.
        message=_("Import av %(n)s deltaganden, fil med SHA-256 %(sha)s")
        % {"n": len(preview.rows), "sha": digest},
        context=context,
    )
    return preview
