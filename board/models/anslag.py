"""The anslag on the anslagstavla, the protocol's frozen files, its
rättelser and the public's subscriptions to new anslag."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from board.models.delegation import DelegationDecision
from board.models.locks import refuse_sql
from board.models.protocol import Minutes, Paragraph, Signer
from finsam.audit import AuditTrigger, append_only_trigger, guard_child_trigger
from finsam.lib.validators import no_personnummer_in_public_text

# --- Anslag ------------------------------------------------------------------


class Posting(models.Model):
    """The tillkännagivande on the anslagstavla of a justerat protocol, of a
    § justerad omedelbart, or of a delegationsbeslut that is not reported to
    the board.

    Its dates are fixed when it is posted and never change.
    """

    minutes = models.OneToOneField(
        Minutes,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posting",
        verbose_name=_("protokoll"),
    )
    paragraph = models.OneToOneField(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posting",
        verbose_name=_("omedelbart justerad paragraf"),
    )
    delegation = models.OneToOneField(
        DelegationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posting",
        verbose_name=_("delegationsbeslut"),
    )
    organ = models.CharField(
        _("organ"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    meeting_date = models.DateField(_("sammanträdes- eller beslutsdatum"))
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
            models.CheckConstraint(
                condition=Q(minutes__isnull=False, paragraph__isnull=True, delegation__isnull=True)
                | Q(minutes__isnull=True, paragraph__isnull=False, delegation__isnull=True)
                | Q(minutes__isnull=True, paragraph__isnull=True, delegation__isnull=False),
                name="posting_of_one_thing",
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
        if self.paragraph_id:
            return reverse("public:paragraph", args=[self.paragraph_id])
        if self.delegation_id:
            return reverse("public:delegation", args=[self.delegation_id])
        return reverse("public:minutes", args=[self.minutes_id])

    @property
    def what(self) -> str:
        """What the anslag announces, as its heading says it."""
        if self.paragraph_id:
            return _("Omedelbart justerad paragraf")
        if self.delegation_id:
            return _("Delegationsbeslut")
        return _("Justerat protokoll")


class DocumentKind(models.TextChoices):
    OFFICIAL = "original", _("Justerat protokoll")
    PUBLIC = "publik", _("Publik version")
    EXTRACT = "utdrag", _("Protokollsutdrag, omedelbart justerad paragraf")


class MinutesDocument(models.Model):
    """The PDF of a justerat protocol as it was at justering, kept in the
    database so that an uploaded copy can be checked byte for byte."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="documents", verbose_name=_("protokoll")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=DocumentKind.choices)
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("paragraf"),
    )
    content = models.BinaryField(_("innehåll"))
    sha256 = models.CharField(_("kontrollsumma"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("protokollsfil")
        verbose_name_plural = _("protokollsfiler")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "kind"],
                condition=Q(paragraph__isnull=True),
                name="minutesdocument_one_per_kind",
            ),
            models.UniqueConstraint(
                fields=["paragraph", "kind"],
                condition=Q(paragraph__isnull=False),
                name="minutesdocument_one_per_paragraph_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="utdrag", paragraph__isnull=False)
                | (~Q(kind="utdrag") & Q(paragraph__isnull=True)),
                name="minutesdocument_extract_of_a_paragraph",
            ),
        ]
        triggers = [AuditTrigger(exclude=("content",)), append_only_trigger()]

    def __str__(self):
        return f"{self.minutes} ({self.get_kind_display().lower()})"


# --- Rättelse -----------------------------------------------------------------


class Correction(models.Model):
    """A rättelse of a justerat protocol: the protocol never changes, so a
    correction is a document of its own that names the § it corrects and is
    justerat on its own by the protocol's signers."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("protokoll")
    )
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("paragraf")
    )
    text = models.TextField(
        _("rättelse"),
        help_text=_("Vad som ska stå i stället, till exempel: I beslutet ska det stå …"),
        validators=[no_personnummer_in_public_text],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    justerat_at = models.DateTimeField(_("justerad"), null=True, blank=True)
    content_hash = models.CharField(_("kontrollsumma"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["minutes", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(justerat_at__isnull=True) | ~Q(content_hash=""),
                name="correction_justerad_has_hash",
            ),
        ]
        triggers = [
            AuditTrigger(),
            pgtrigger.Trigger(
                name="locked",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__justerat_at__isnull=False),
                func=refuse_sql("Rättelsen är justerad och kan inte ändras.") + " RETURN NULL;",
            ),
        ]

    def __str__(self):
        return _("Rättelse av %(ref)s") % {"ref": self.paragraph.reference}

    def get_absolute_url(self):
        return reverse("board:correction_doc", args=[self.pk])


class CorrectionSignature(models.Model):
    """A signer's signature over a rättelse's content."""

    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("rättelse")
    )
    signer = models.ForeignKey(
        Signer, on_delete=models.PROTECT, related_name="+", verbose_name=_("justerare")
    )
    signed_at = models.DateTimeField(_("signerat"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    method = models.CharField(_("metod"), max_length=100, default="Lösenord och engångskod (TOTP)")

    class Meta:
        verbose_name = _("signatur av rättelse")
        verbose_name_plural = _("signaturer av rättelser")
        ordering = ["correction", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "signer", "content_hash"],
                name="correctionsignature_once_per_content",
            ),
        ]
        triggers = [
            AuditTrigger(),
            guard_child_trigger(
                parent_table="board_correction",
                parent_of="rec.correction_id",
                locked_when="p.justerat_at IS NOT NULL",
                message="Rättelsen är justerad och kan inte ändras.",
            ),
        ]

    def __str__(self):
        return f"{self.signer.name} {self.signed_at:%Y-%m-%d %H:%M}"


# --- The public that follows the anslagstavla --------------------------------------


class Subscription(models.Model):
    """Someone who wants an e-mail for every new anslag: no account, only an
    address, kept until they unsubscribe. Double opt-in: nothing is sent but
    the confirmation until they have confirmed from their inbox."""

    email = models.EmailField(_("e-post"), unique=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumeration på anslag")
        verbose_name_plural = _("prenumerationer på anslag")
        default_permissions = ("view", "delete")

    def __str__(self):
        return self.email
