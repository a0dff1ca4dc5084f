"""Insatser, their staff, diarienummer and cost categories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from finsam.models import Member

KRONOR = {"max_digits": 14, "decimal_places": 0}


def years_between(start, end) -> list[int]:
    """The calendar years a period touches."""
    return list(range(start.year, end.year + 1))


class CostCategory(models.Model):
    """A kostnadsslag. Data, not code: the förbund may add or retire them."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_personnel = models.BooleanField(
        _("personalkostnad"),
        default=False,
        help_text=_("Budgetposter kan anges som månadskostnad × månader × påslag."),
    )
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("kostnadsslag")
        verbose_name_plural = _("kostnadsslag")
        ordering = ["order", "name"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last diarienummer given out per year (``2026/14``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("diarieräknare")
        verbose_name_plural = _("diarieräknare")
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Orientation(models.TextChoices):
    INDIVIDUAL = "individinriktad", _("Individinriktad")
    STRUCTURAL = "strukturovergripande", _("Strukturövergripande")


class ProjectForm(models.TextChoices):
    PRESTUDY = "forstudie", _("Förstudie")
    PROJECT = "projekt", _("Projekt")
    IMPLEMENTATION = "implementering", _("Implementering")
    ORDINARY = "ordinarie", _("Insats i ordinarie verksamhet")


class ProjectStatus(models.TextChoices):
    APPLIED = "ansokan", _("Ansökan")
    GRANTED = "beviljad", _("Beviljad")
    RUNNING = "pagaende", _("Pågående")
    FINISHED = "avslutad", _("Avslutad")
    CANCELLED = "avbruten", _("Avbruten")
    REJECTED = "avslagen", _("Avslagen")


# Follow-up applications (continuation, supplement, change) need a live insats.
FOLLOW_UP_STATUSES = (ProjectStatus.GRANTED, ProjectStatus.RUNNING)


class ProjectQuerySet(models.QuerySet):
    def staffed_by(self, user, *, roles=None):
        """The insatser ``user`` works in (in one of ``roles``, if given)."""
        return self.filter(pk__in=ProjectStaff.objects.of(user, roles=roles).values("project_id"))


class Project(models.Model):
    """An insats: a project, förstudie or structural effort the förbund funds."""

    reference = models.CharField(_("diarienummer"), max_length=20, unique=True, editable=False)
    reference_year = models.PositiveSmallIntegerField(_("diarieår"), editable=False)
    reference_number = models.PositiveIntegerField(_("löpnummer"), editable=False)
    name = models.CharField(_("namn"), max_length=200)
    orientation = models.CharField(_("inriktning"), max_length=30, choices=Orientation.choices)
    form = models.CharField(_("form"), max_length=20, choices=ProjectForm.choices)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("huvudman"),
    )
    partners = models.ManyToManyField(
        Member,
        related_name="partner_projects",
        verbose_name=_("samverkansparter"),
        blank=True,
        help_text=_("Medlemmar som deltar utöver huvudmannen. Minst två parter ska delta."),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.APPLIED
    )
    status_note = models.TextField(_("kommentar till status"), blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["-reference_year", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"], name="project_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_period_in_order",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return years_between(self.start_date, self.end_date)


class StaffRole(models.TextChoices):
    PROCESS_LEADER = "processledare", _("Processledare")
    PROJECT_LEADER = "projektledare", _("Projektledare")
    PARTICIPANT_LEAD = "deltagaransvarig", _("Deltagaransvarig")


class ProjectStaffQuerySet(models.QuerySet):
    def of(self, user, *, roles=None):
        """The staff rows that put ``user`` in an insats: the one place the
        staff scope is decided (who sees and follows an insats's participants,
        writes its reports and follow-up applications). Every other scope rule
        is derived from this one."""
        if not getattr(user, "pk", None):
            return self.none()
        rows = self.filter(user=user)
        return rows.filter(role__in=roles) if roles else rows


class ProjectStaff(models.Model):
    """Who works in an insats. This is the scope for participant data."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="staff", verbose_name=_("insats")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=StaffRole.choices)

    objects = ProjectStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal i insats")
        verbose_name_plural = _("personal i insatser")
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"], name="project_staff_once_per_role"
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.project.reference})"
