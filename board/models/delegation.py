"""The delegationsordning and the decisions taken under it.

The board may hand the right to decide a group of ärenden to the
förbundschef or another officer (KL 6 kap. 37 §, as a förbund applies it).
Such decisions are reported to the board's next meeting as a § ("anmälan
av delegationsbeslut"), whose anslag starts their appeal time; a decision
the delegationsordning says is not reported is posted on its own (KL 8 kap.
9 §, 6 kap. 40 §).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from board.models.locks import locked_paragraph_child_trigger
from board.models.protocol import Paragraph
from finsam.audit import AuditTrigger
from finsam.lib.validators import no_personnummer_in_public_text
from projects.models import Application


class DelegationRule(models.Model):
    """One row of the delegationsordning: what may be decided, by whom, up to what."""

    code = models.CharField(_("punkt"), max_length=20, unique=True)
    matter = models.CharField(
        _("ärende"), max_length=300, validators=[no_personnummer_in_public_text]
    )
    delegate = models.CharField(
        _("delegat"),
        max_length=200,
        help_text=_("Befattningen som får besluta, till exempel förbundschef."),
        validators=[no_personnummer_in_public_text],
    )
    limit = models.DecimalField(
        _("högst (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Beloppsgräns för ett beslut, om det finns en."),
    )
    reported = models.BooleanField(
        _("anmäls till styrelsen"),
        default=True,
        help_text=_(
            "Beslut som anmäls får sin överklagandetid från anslaget om det protokoll där de "
            "anmäls. Beslut som inte anmäls anslås för sig."
        ),
    )
    active = models.BooleanField(_("gäller"), default=True)

    class Meta:
        verbose_name = _("punkt i delegationsordningen")
        verbose_name_plural = _("delegationsordning")
        ordering = ["code"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.code} {self.matter}"


class DelegationCounter(models.Model):
    """The last delegationsbeslut number given out per year (D 2026:3)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("delegationsbeslutsräknare")
        verbose_name_plural = _("delegationsbeslutsräknare")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class DelegationDecision(models.Model):
    """A decision taken on the board's behalf under a rule of the delegationsordning."""

    rule = models.ForeignKey(
        DelegationRule, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("punkt")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("nummer"))
    matter = models.TextField(
        _("beslut"),
        help_text=_("Vad som beslutades, som det ska stå i anmälan. Inga personuppgifter."),
        validators=[no_personnummer_in_public_text],
    )
    decided_on = models.DateField(_("beslutsdatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beslutsfattare"),
    )
    # Copied in: the decision names who decided as they were then.
    decided_by_name = models.CharField(_("beslutsfattarens namn"), max_length=200)
    decided_by_title = models.CharField(_("befattning"), max_length=200)
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_decisions",
        verbose_name=_("ansökan"),
    )
    reported_in = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_delegations",
        verbose_name=_("anmält i"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegationsbeslut")
        verbose_name_plural = _("delegationsbeslut")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="delegationdecision_number"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="delegationdecision_amount_positive",
            ),
        ]
        triggers = [
            AuditTrigger(),
            # Once the § that reports it is justerat, the decision is part of that protocol.
            locked_paragraph_child_trigger("rec.reported_in_id"),
        ]

    def __str__(self):
        return f"{self.reference} {self.matter[:60]}"

    @property
    def reference(self) -> str:
        return f"D {self.year}:{self.number}"
