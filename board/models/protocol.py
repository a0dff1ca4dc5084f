"""The protocol, with attendance, signers and signatures, §§ and their numbers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from board.models.locks import (
    locked_child_trigger,
    locked_minutes_trigger,
    locked_paragraph_child_trigger,
    locked_paragraph_trigger,
)
from board.models.meetings import Meeting, MeetingDocument
from finsam.audit import AuditTrigger
from finsam.lib.validators import no_personnummer_in_public_text
from projects.models import Application, Decision

# --- The protocol -------------------------------------------------------------


class MinutesStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    FOR_JUSTERING = "for_justering", _("För justering")
    JUSTERAT = "justerat", _("Justerat")


class Minutes(models.Model):
    """The protocol of one meeting."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("sammanträde")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    justering_place = models.CharField(
        _("justeringens tid och plats"),
        max_length=200,
        default="Digital justering",
        validators=[no_personnummer_in_public_text],
    )
    sent_for_justering_at = models.DateTimeField(_("skickat för justering"), null=True, blank=True)
    correction_request = models.TextField(_("begärd rättelse"), blank=True)
    justerat_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    # SHA-256 of the canonical content, fixed at justering.
    # The content's hash from when it is sent for justering (it cannot change
    # while out) until it is taken back; at justering, what was justerat.
    content_hash = models.CharField(_("kontrollsumma"), max_length=64, blank=True)
    # What the protocol prints that other tables decide, as it was at
    # justering (board.pdf.FROZEN): the meeting's number in its year, the
    # board's seats, the förbund's name. A meeting registered later with an
    # earlier date, a seat changed afterwards, a renamed förbund: a justerat
    # protocol still reads as it was justerat.
    frozen = models.JSONField(_("fastställt vid justering"), default=dict, blank=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["-meeting__date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="justerat")
                | (Q(justerat_at__isnull=False) & ~Q(content_hash="")),
                name="minutes_justerat_has_time_and_hash",
            ),
        ]
        triggers = [AuditTrigger(), locked_minutes_trigger()]

    def __str__(self):
        return _("Protokoll %(date)s") % {"date": self.meeting.date.isoformat()}

    def get_absolute_url(self):
        return reverse("board:minutes", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.JUSTERAT

    @property
    def is_editable(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_out_for_justering(self) -> bool:
        return self.status == MinutesStatus.FOR_JUSTERING


class AttendanceKind(models.TextChoices):
    VOTING = "beslutande", _("Beslutande")
    SERVING_DEPUTY = "tjanstgorande", _("Tjänstgörande ersättare")
    DEPUTY = "ersattare", _("Ej tjänstgörande ersättare")
    OTHER = "ovrig", _("Övriga deltagare")


DECIDING_KINDS = (AttendanceKind.VOTING, AttendanceKind.SERVING_DEPUTY)


class Attendance(models.Model):
    """Who was there. Names and organisations are copied in: the protocol says
    what was true at the meeting, whatever later happens to the user."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("protokoll")
    )
    kind = models.CharField(_("närvaro"), max_length=20, choices=AttendanceKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    role = models.CharField(
        _("roll"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ordförande, sekreterare."),
        validators=[no_personnummer_in_public_text],
    )
    replaces = models.CharField(
        _("tjänstgör för"),
        max_length=200,
        blank=True,
        help_text=_("För tjänstgörande ersättare: den ledamot ersättaren tjänstgör för."),
        validators=[no_personnummer_in_public_text],
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["minutes", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="tjanstgorande") | ~Q(replaces=""),
                name="attendance_serving_deputy_replaces_someone",
                violation_error_message=_("Ange vilken ledamot ersättaren tjänstgör för."),
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id", with_paragraphs=True)]

    def __str__(self):
        return self.name


class SignerRole(models.TextChoices):
    SECRETARY = "sekreterare", _("Sekreterare")  # where the förbund has the secretary sign
    CHAIR = "ordforande", _("Ordförande")
    VERIFIER = "justerare", _("Justerare")  # justerande ledamot: signs beside the chair


# The order signers are printed in: "Underskrifter: Sekreterare, Ordförande, Justerande".
SIGNER_ORDER = {SignerRole.SECRETARY: 0, SignerRole.CHAIR: 1, SignerRole.VERIFIER: 2}


class Signer(models.Model):
    """Someone who must sign the protocol: the ordförande and the justerare."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="signers", verbose_name=_("protokoll")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=SignerRole.choices)
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    reminded_at = models.DateTimeField(_("senast påmind"), null=True, blank=True)

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["minutes", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "user"], name="signer_once_per_minutes"),
            models.UniqueConstraint(
                fields=["minutes"], condition=Q(role="ordforande"), name="signer_one_chair"
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display().lower()})"


class Signature(models.Model):
    """A signer's signature over the protocol's content at that moment.

    It is valid only while the protocol's content still hashes to
    ``content_hash``; an edit after signing voids it.
    """

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("protokoll")
    )
    signer = models.ForeignKey(
        Signer, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("justerare")
    )
    # Set for a signature of one § justerad omedelbart; none for the protocol's.
    paragraph = models.ForeignKey(
        "Paragraph",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("paragraf"),
    )
    signed_at = models.DateTimeField(_("signerat"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    method = models.CharField(_("metod"), max_length=100, default="Lösenord och engångskod (TOTP)")

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["minutes", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["signer", "content_hash"], name="signature_once_per_content"
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return f"{self.signer.name} {self.signed_at:%Y-%m-%d %H:%M}"


class DecisionType(models.TextChoices):
    """What a § decides. A decision on an application takes the application's
    own vocabulary (``projects.Decision``), so the § hands its value on as it is."""

    GRANT = Decision.GRANT.value, Decision.GRANT.label
    GRANT_PARTLY = Decision.GRANT_PARTLY.value, Decision.GRANT_PARTLY.label
    REJECT = Decision.REJECT.value, Decision.REJECT.label
    REFER_BACK = Decision.REFER_BACK.value, Decision.REFER_BACK.label
    TABLE = "bordlagga", _("Bordlägga")
    FILE = "till_handlingarna", _("Lägga till handlingarna")
    ELECTION = "val", _("Val")
    OTHER = "ovrigt", _("Övrigt beslut")


# Decision types that decide an application on the paragraph.
APPLICATION_DECISIONS = tuple(DecisionType(decision.value) for decision in Decision)


class Paragraph(models.Model):
    """A § of a protocol, numbered continuously through the calendar year."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("protokoll")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    title = models.CharField(
        _("rubrik"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    presenter = models.CharField(
        _("föredragande"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    discussion = models.TextField(
        _("ärendet och diskussionen"), blank=True, validators=[no_personnummer_in_public_text]
    )
    decision_type = models.CharField(
        _("typ av beslut"), max_length=20, choices=DecisionType.choices, blank=True
    )
    decision_text = models.TextField(
        _("beslut"),
        blank=True,
        help_text=_("Till exempel: Styrelsen beslutar att …"),
        validators=[no_personnummer_in_public_text],
    )
    recusal = models.CharField(
        _("jäv"),
        max_length=500,
        blank=True,
        help_text=_("Vem som anmälde jäv och inte deltog i handläggningen."),
        validators=[no_personnummer_in_public_text],
    )
    reservation = models.TextField(
        _("reservation"), blank=True, validators=[no_personnummer_in_public_text]
    )
    immediate = models.BooleanField(
        _("justeras omedelbart"),
        default=False,
        help_text=_(
            "Paragrafen justeras vid sammanträdet, för sig, och får ett eget anslag "
            "och protokollsutdrag."
        ),
    )
    justerat_at = models.DateTimeField(_("omedelbart justerad"), null=True, blank=True)
    justering_hash = models.CharField(_("paragrafens kontrollsumma"), max_length=64, blank=True)
    confidential = models.BooleanField(
        _("sekretess"),
        default=False,
        help_text=_("I den publika versionen visas bara paragrafens nummer och rubrik."),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name=_("ansökan"),
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name=_("rapport"),
    )
    search = models.GeneratedField(
        expression=SearchVector("title", "discussion", "decision_text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="paragraph_number_per_year"),
            models.CheckConstraint(
                condition=Q(justerat_at__isnull=True) | (Q(immediate=True) & ~Q(justering_hash="")),
                name="paragraph_justerad_is_immediate_with_hash",
            ),
        ]
        indexes = [
            models.Index(fields=["minutes", "number"], name="paragraph_minutes_idx"),
            GinIndex(fields=["search"], name="paragraph_search_idx"),
        ]
        triggers = [
            AuditTrigger(),
            locked_child_trigger("rec.minutes_id"),
            locked_paragraph_trigger(),
        ]

    def __str__(self):
        return f"§ {self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("board:paragraph", args=[self.pk])

    @property
    def is_justerad(self) -> bool:
        """Justerad on its own (omedelbart) or with its protocol."""
        return self.justerat_at is not None or self.minutes.is_locked

    @property
    def reference(self) -> str:
        """How other documents cite the paragraph: "Styrelsen 2026-06-04 § 22"."""
        return f"Styrelsen {self.minutes.meeting.date.isoformat()} § {self.number}"


class ParagraphAttachment(models.Model):
    """A handling attached to a § as a bilaga ("Skriftlig rapport bifogas")."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("paragraf")
    )
    document = models.ForeignKey(
        MeetingDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling")
    )

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["paragraph", "document__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "document"], name="paragraphattachment_once"
            ),
        ]
        triggers = [AuditTrigger(), locked_paragraph_child_trigger("rec.paragraph_id")]

    def __str__(self):
        return self.document.name


class ParagraphCounter(models.Model):
    """The last § number given out per calendar year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("paragrafräknare")
        verbose_name_plural = _("paragrafräknare")
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year}: {self.last_number}"
