"""The choice lists a participation is described with (income, occupation,
education, exit reason, referrer, time without work, status kinds). They are
data, not code: the förbund can add or retire entries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Choice lists: data, not code, so the förbund can change them ------------


class Choice(models.Model):
    code = models.SlugField(_("kod"), max_length=40, unique=True)
    label = models.CharField(_("benämning"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class IncomeSource(Choice):
    """Försörjning."""

    class Meta(Choice.Meta):
        verbose_name = _("försörjning")
        verbose_name_plural = _("försörjningar")


class SusGroup(models.TextChoices):
    """SUS's four groups for sysselsättning after the insats."""

    WORK = "forvarvsarbete", _("Förvärvsarbete")
    STUDIES = "studier", _("Studier")
    SEEKING = "arbetssokande", _("Aktivt arbetssökande")
    OTHER = "ovriga", _("Övriga avslutade")


class Occupation(Choice):
    """Sysselsättning."""

    sus_group = models.CharField(_("SUS-grupp"), max_length=20, choices=SusGroup.choices)

    class Meta(Choice.Meta):
        verbose_name = _("sysselsättning")
        verbose_name_plural = _("sysselsättningar")


class EducationLevel(Choice):
    class Meta(Choice.Meta):
        verbose_name = _("utbildningsnivå")
        verbose_name_plural = _("utbildningsnivåer")


class ExitReason(Choice):
    """Avslutsorsak."""

    WITHDRAWN = "aterkallat-samtycke"
    # A participation closed as a felregistrering never took place: no
    # statistic, report figure or export counts it.
    MISTAKE = "felregistrering"

    class Meta(Choice.Meta):
        verbose_name = _("avslutsorsak")
        verbose_name_plural = _("avslutsorsaker")


class Referrer(Choice):
    """Remitterande part."""

    class Meta(Choice.Meta):
        verbose_name = _("remitterande part")
        verbose_name_plural = _("remitterande parter")


class JoblessBand(Choice):
    """Tid utan arbete."""

    class Meta(Choice.Meta):
        verbose_name = _("tid utan arbete")
        verbose_name_plural = _("tider utan arbete")


class StatusKind(Choice):
    """A step in the status log: kartläggning påbörjad, praktik, …"""

    class Meta(Choice.Meta):
        verbose_name = _("statustyp")
        verbose_name_plural = _("statustyper")
