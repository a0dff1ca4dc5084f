"""The anslag on the anslagstavla and the protocol's frozen files."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from board.models.protocol import Minutes
from finsam.audit import AuditTrigger, append_only_trigger
from finsam.lib.validators import no_personnummer_in_public_text

# --- Anslag ------------------------------------------------------------------


class Posting(models.Model):
    """The tillkännagivande of a justerat protocol on the anslagstavla.

    Its dates are fixed when it is posted and never change.
    """

    minutes = models.OneToOneField(
        Minutes, on_delete=models.PROTECT, related_name="posting", verbose_name=_("protokoll")
    )
    organ = models.CharField(
        _("organ"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraphs = models.CharField(
        _("paragrafer"), max_length=100, validators=[no_personnummer_in_public_text]
    )
    posted_on = models.DateField(_("datum för anslags uppsättande"))
    appeal_last_day = models.DateField(_("sista dag för överklagande"))
    taken_down_on = models.DateField(_("datum för anslags nedtagande"))
    storage_place = models.CharField(
        _("förvaringsplats för protokollet"),
        max_length=200,
        validators=[no_personnummer_in_public_text],
    )

    class Meta:
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appeal_last_day__gt=F("posted_on"))
                & Q(taken_down_on__gt=F("appeal_last_day")),
                name="posting_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["taken_down_on", "posted_on"], name="posting_dates_idx")]
        triggers = [AuditTrigger(), append_only_trigger()]

    def __str__(self):
        return _("Anslag: %(organ)s %(date)s") % {
            "organ": self.organ,
            "date": self.meeting_date.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("public:minutes", args=[self.minutes_id])


class DocumentKind(models.TextChoices):
    OFFICIAL = "original", _("Justerat protokoll")
    PUBLIC = "publik", _("Publik version")


class MinutesDocument(models.Model):
    """The PDF of a justerat protocol as it was at justering, kept in the
    database so that an uploaded copy can be checked byte for byte."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="documents", verbose_name=_("protokoll")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=DocumentKind.choices)
    content = models.BinaryField(_("innehåll"))
    sha256 = models.CharField(_("kontrollsumma"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("protokollsfil")
        verbose_name_plural = _("protokollsfiler")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "kind"], name="minutesdocument_one_per_kind"
            ),
        ]
        triggers = [AuditTrigger(exclude=("content",)), append_only_trigger()]

    def __str__(self):
        return f"{self.minutes} ({self.get_kind_display().lower()})"
