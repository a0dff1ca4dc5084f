"""Participants, their participations in insatser, consent, status and outcome.

Pseudonymous by default: a participant is a code. Only in
identified mode does it also carry a name and personnummer, encrypted. A
participation enrolled without consent (or with skyddade personuppgifter),
and one whose consent was withdrawn or whose retention period has passed,
keeps the anonymous minimum: kön and the years it started and ended. The
database refuses anything more on such a row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from finsam.lib.validators import no_personnummer_in_participant_text
from finsam.models import Member
from participants.models.choices import (
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Referrer,
    StatusKind,
)
from participants.models.figures import figures_stale
from projects.models import Project, ProjectStaff

# Columns whose values the audit log may show: keys and years, nothing personal.
AUDIT_KEEP = ("project_id", "participation_id", "start_year", "end_year", "reduced_on")


def audited():
    return AuditTrigger(keep=AUDIT_KEEP)


# --- Participants -----------------------------------------------------------


class Sex(models.TextChoices):
    WOMAN = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "annat", _("Annat eller vill inte uppge")


class Participant(models.Model):
    """A person, as a code. Identity fields are empty unless identified mode is on."""

    code = models.CharField(_("deltagarkod"), max_length=12, unique=True)
    name_encrypted = models.TextField(_("namn (krypterat)"), blank=True, default="")
    number_encrypted = models.TextField(_("personnummer (krypterat)"), blank=True, default="")
    number_hash = models.CharField(
        _("personnummer (nyckelhash)"), max_length=64, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.CheckConstraint(
                condition=Q(number_hash__isnull=True, number_encrypted="")
                | Q(number_hash__isnull=False) & ~Q(number_encrypted=""),
                name="participant_number_hash_with_ciphertext",
            )
        ]
        triggers = [AuditTrigger(keep=(), name="audit")]

    def __str__(self):
        return self.code

    @property
    def identified(self) -> bool:
        return bool(self.number_hash)


class ParticipationQuerySet(models.QuerySet):
    def followed_by(self, user):
        """Participations in the insatser ``user`` works in (``ProjectStaff.objects.of``)."""
        return self.filter(project_id__in=ProjectStaff.objects.of(user).values("project_id"))


class Participation(models.Model):
    """One enrolment of a person in an insats (inskrivning)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="participations", verbose_name=_("insats")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("deltagare"),
    )
    anonymous = models.BooleanField(
        _("anonym registrering"),
        default=False,
        help_text=_("Utan samtycke eller med skyddade personuppgifter: bara kön och år."),
    )
    reduced_on = models.DateField(_("reducerad"), null=True, blank=True)
    reduced_reason = models.CharField(
        _("skäl till reducering"),
        max_length=100,
        blank=True,
        validators=[no_personnummer_in_participant_text],
    )
    sex = models.CharField(_("kön"), max_length=10, choices=Sex.choices)
    start_year = models.PositiveSmallIntegerField(_("startår"))
    end_year = models.PositiveSmallIntegerField(_("slutår"), null=True, blank=True)
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    # Baseline at start.
    birth_year = models.PositiveSmallIntegerField(_("födelseår"), null=True, blank=True)
    kommun = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "kommun"},
        related_name="+",
        verbose_name=_("kommun"),
    )
    referrer = models.ForeignKey(
        Referrer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("remitterande part"),
    )
    occupation_before = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sysselsättning före"),
    )
    education = models.ForeignKey(
        EducationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("utbildningsnivå"),
    )
    jobless = models.ForeignKey(
        JoblessBand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("tid utan arbete"),
    )
    # Exit.
    exit_reason = models.ForeignKey(
        ExitReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("avslutsorsak"),
    )
    occupation_after = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sysselsättning efter"),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        ordering = ["-start_year", F("start_date").desc(nulls_last=True), "-id"]
        indexes = [
            models.Index(fields=["project", "start_year"], name="participation_project_year"),
            models.Index(fields=["start_year", "end_year"], name="participation_years"),
            # The list's order, so its first page is read from the index.
            models.Index(
                F("start_year").desc(),
                F("start_date").desc(nulls_last=True),
                F("id").desc(),
                name="participation_list_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "project"],
                condition=Q(end_year__isnull=True),
                name="participation_one_open_per_person_and_insats",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="participation_years_in_order",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="participation_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_year=ExtractYear("start_date")),
                name="participation_start_year_of_start_date",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_year=ExtractYear("end_date")),
                name="participation_end_year_of_end_date",
            ),
            # A full record has a person and dates; the anonymous minimum has
            # nothing but kön, the years and (once ended) the avslutsorsak.
            models.CheckConstraint(
                condition=Q(
                    anonymous=False,
                    reduced_on__isnull=True,
                    participant__isnull=False,
                    start_date__isnull=False,
                )
                | (Q(anonymous=True) | Q(reduced_on__isnull=False))
                & Q(
                    participant__isnull=True,
                    start_date__isnull=True,
                    end_date__isnull=True,
                    birth_year__isnull=True,
                    kommun__isnull=True,
                    referrer__isnull=True,
                    occupation_before__isnull=True,
                    education__isnull=True,
                    jobless__isnull=True,
                    occupation_after__isnull=True,
                ),
                name="participation_minimal_keeps_only_sex_and_years",
            ),
        ]
        triggers = [audited(), *figures_stale()]

    def __str__(self):
        return f"{self.label} i {self.project.reference}"

    def get_absolute_url(self):
        return reverse("participants:detail", args=[self.pk])

    @property
    def is_mistake(self) -> bool:
        """Closed as a felregistrering: counted nowhere, and the kansli may remove it."""
        return self.exit_reason_id is not None and self.exit_reason.code == ExitReason.MISTAKE

    @property
    def minimal(self) -> bool:
        return self.anonymous or self.reduced_on is not None

    @property
    def closed(self) -> bool:
        return self.end_year is not None

    @property
    def label(self) -> str:
        if self.participant_id:
            return self.participant.code
        return f"Anonym {self.pk}" if self.pk else "Anonym"


class IncomePhase(models.TextChoices):
    BEFORE = "fore", _("Före")
    AFTER = "efter", _("Efter")


class ParticipationIncome(models.Model):
    """One source of försörjning before or after, with its omfattning."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="incomes"
    )
    phase = models.CharField(_("när"), max_length=5, choices=IncomePhase.choices)
    source = models.ForeignKey(
        IncomeSource, on_delete=models.PROTECT, verbose_name=_("försörjning")
    )
    extent = models.PositiveSmallIntegerField(
        _("omfattning (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("försörjning i deltagande")
        verbose_name_plural = _("försörjning i deltaganden")
        ordering = ["phase", "source__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "phase", "source"], name="participation_income_once"
            ),
            models.CheckConstraint(
                condition=Q(extent__gte=1, extent__lte=100), name="participation_income_extent"
            ),
        ]
        triggers = [audited(), *figures_stale(via_participation=True)]

    def __str__(self):
        return f"{self.source} {self.extent} %"


DEFAULT_CONSENT_SCOPE = _(
    "Registrering av kön, ålder, kommun, försörjning, sysselsättning och utbildning samt "
    "deltagarens status i insatsen, för uppföljning och statistik."
)


class Consent(models.Model):
    """Samtycke: one for each enrolment, as the law requires."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="consent"
    )
    given_on = models.DateField(_("datum för samtycke"))
    written = models.BooleanField(_("skriftligt samtycke mottaget"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inhämtat av"),
    )
    scope = models.TextField(
        _("samtycket omfattar"),
        default=DEFAULT_CONSENT_SCOPE,
        validators=[no_personnummer_in_participant_text],
    )

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        triggers = [audited()]

    def __str__(self):
        return f"Samtycke {self.given_on}"


class StatusEntry(models.Model):
    """A dated line in the participation's status log."""

    NOTE_MAX = 200

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="statuses"
    )
    kind = models.ForeignKey(StatusKind, on_delete=models.PROTECT, verbose_name=_("status"))
    date = models.DateField(_("datum"))
    note = models.CharField(
        _("kort anteckning"),
        max_length=NOTE_MAX,
        blank=True,
        help_text=_("Skriv aldrig något om hälsa eller diagnoser här."),
        validators=[no_personnummer_in_participant_text],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuslogg")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["participation", "-date"], name="status_latest")]
        triggers = [audited(), *figures_stale(via_participation=True)]

    def __str__(self):
        return f"{self.date} {self.kind}"
