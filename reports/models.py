"""Reports from the insatser: lägesrapport, delrapport, tertialrapport,
slutrapport and förstudierapport.

A report is written as an utkast, handed in, approved by the kansli and laid
to handlingarna by the board on a §. When it is handed in, its computed
figures (participants, Mål/Utfall, economy, charts) are frozen into
``figures``; from then on the database refuses any change to them or to the
text (the ``frozen`` triggers below), so the report reads the same next year
whatever happens to the data. A new version starts from it as a new utkast.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger, guard_child_trigger
from finsam.lib.validators import no_personnummer_in_public_text
from projects.models import Goal, Project, ReportKind, ReportObligation

FROZEN_MESSAGE = "Rapporten är inlämnad och kan inte ändras. Gör en ny version."


class ReportStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inlamnad", _("Inlämnad")
    APPROVED = "godkand", _("Godkänd")
    FILED = "lagd_till_handlingarna", _("Lagd till handlingarna")


FINAL_STATUSES = (ReportStatus.APPROVED, ReportStatus.FILED)


def frozen_report_trigger() -> pgtrigger.Trigger:
    """A report that has left utkast keeps its figures, period and kind; an
    approved one never goes back; only an utkast can be removed."""
    return pgtrigger.Trigger(
        name="frozen",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func=f"""
        IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'utkast' THEN
                RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status IN ('godkand', 'lagd_till_handlingarna')
           AND NEW.status NOT IN ('godkand', 'lagd_till_handlingarna') THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'utkast' AND NEW.status <> 'utkast' AND (
               NEW.figures IS DISTINCT FROM OLD.figures
            OR NEW.kind IS DISTINCT FROM OLD.kind
            OR NEW.period_start IS DISTINCT FROM OLD.period_start
            OR NEW.period_end IS DISTINCT FROM OLD.period_end
            OR NEW.project_id IS DISTINCT FROM OLD.project_id
            OR NEW.version IS DISTINCT FROM OLD.version
            OR NEW.title IS DISTINCT FROM OLD.title) THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
        """,
    )


def frozen_child_trigger() -> pgtrigger.Trigger:
    """Text and hand-entered outcomes belong to the report: no row may be
    added, changed or removed once it has left utkast."""
    return guard_child_trigger(
        parent_table="reports_report",
        parent_of="rec.report_id",
        locked_when="p.status <> 'utkast'",
        message=FROZEN_MESSAGE,
    )


class Report(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="reports", verbose_name=_("insats")
    )
    kind = models.CharField(_("typ av rapport"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(
        _("rubrik"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tom för t.ex. ”Slutrapport Vägen vidare”."),
        validators=[no_personnummer_in_public_text],
    )
    period_start = models.DateField(_("perioden från"))
    period_end = models.DateField(_("perioden till"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("föregående version"),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("frysta siffror"), null=True, blank=True, editable=False)
    return_comment = models.TextField(_("kansliets kommentar"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlämnad av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    obligation = models.ForeignKey(
        ReportObligation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("rapportkrav"),
    )
    filed_paragraph = models.ForeignKey(
        "board.Paragraph",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_reports",
        verbose_name=_("lagd till handlingarna i"),
    )

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["-period_end", "-version", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("Perioden kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=Q(status="utkast") | Q(figures__isnull=False),
                name="report_frozen_when_submitted",
                violation_error_message=_("En inlämnad rapport måste ha frysta siffror."),
            ),
            models.CheckConstraint(
                condition=~Q(status="lagd_till_handlingarna") | Q(filed_paragraph__isnull=False),
                name="report_filed_on_paragraph",
                violation_error_message=_(
                    "En rapport läggs till handlingarna genom en paragraf i ett protokoll."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="report_status_idx")]
        triggers = [AuditTrigger(exclude=("figures",)), frozen_report_trigger()]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.project.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def is_filed(self) -> bool:
        return self.status == ReportStatus.FILED

    def clean(self):
        super().clean()
        project = self.project if self.project_id else None
        if project and self.period_start and self.period_end:
            if self.period_end < project.start_date or self.period_start > project.end_date:
                raise ValidationError(
                    {
                        "period_start": _(
                            "Perioden ligger utanför insatsens tid (%(start)s – %(end)s)."
                        )
                        % {"start": project.start_date, "end": project.end_date}
                    }
                )


class ReportSection(models.Model):
    """One written section of a report, under its heading."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="sections", verbose_name=_("rapport")
    )
    key = models.SlugField(_("avsnitt"), max_length=40)
    body = models.TextField(_("text"), blank=True, validators=[no_personnummer_in_public_text])
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_once")
        ]
        triggers = [AuditTrigger(), frozen_child_trigger()]

    def __str__(self):
        return self.key


class GoalOutcome(models.Model):
    """What the report says about a goal: the outcome by hand where the data
    cannot tell, and a comment in any case."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("rapport")
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("mål")
    )
    value = models.DecimalField(
        _("utfall"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("I målets enhet: procent eller antal."),
    )
    comment = models.TextField(
        _("kommentar"), blank=True, validators=[no_personnummer_in_public_text]
    )

    class Meta:
        verbose_name = _("utfall för mål")
        verbose_name_plural = _("utfall för mål")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="goal_outcome_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="goal_outcome_not_negative",
                violation_error_message=_("Utfallet kan inte vara negativt."),
            ),
        ]
        triggers = [AuditTrigger(), frozen_child_trigger()]

    def __str__(self):
        return f"{self.goal}: {self.value}"


class RenderingStatus(models.TextChoices):
    QUEUED = "koad", _("I kö")
    RUNNING = "pagar", _("Skapas")
    DONE = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckades")


class Rendering(models.Model):
    """A file made off the request (a large PDF), for the user who asked for
    it: its progress while it is made, then its bytes to download."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    what = models.CharField(_("innehåll"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    filename = models.CharField(_("filnamn"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=RenderingStatus.choices, default=RenderingStatus.QUEUED
    )
    step = models.CharField(_("steg"), max_length=200, blank=True)
    # What the HTML builder needs (the report's or protocol's id), and the
    # page it was ordered from, which the progress page links back to.
    params = models.JSONField(_("underlag"), default=dict, blank=True)
    origin_url = models.CharField(_("beställd från"), max_length=200, blank=True)
    origin_label = models.CharField(_("beställd från (namn)"), max_length=200, blank=True)
    # A file of budgets asks for the second factor again before it is
    # downloaded, as the workbooks do (finsam.auth.recent_second_factor).
    recheck = models.BooleanField(_("kräver ny tvåstegsverifiering"), default=False)
    content = models.BinaryField(_("innehåll"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("fil som skapas")
        verbose_name_plural = _("filer som skapas")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("reports:rendering", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (RenderingStatus.QUEUED, RenderingStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == RenderingStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == RenderingStatus.FAILED
