"""Money out after a grant: rekvisitioner (payment requests), their two
approvals, and the utbetalningar (payments) the ekonom registers.

Four eyes: the kansli attests a request (sakgranskning), the ekonom approves
it (beslutsattest); neither may be the requester, and not the same person
twice — the schema says so (``payment_request_four_eyes``). What an insats
has asked for in a year never exceeds what it was granted for that year: a
trigger counts it under a lock on the insats, so concurrent requests cannot
together pass the grant.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from projects.models.insatser import KRONOR, Project

OVER_GRANT_MESSAGE = "Beloppet är mer än vad som är kvar att rekvirera för året."
NOT_APPROVED_MESSAGE = "En utbetalning kräver en godkänd rekvisition."


class RequestKind(models.TextChoices):
    ADVANCE = "forskott", _("Förskott")
    ARREARS = "efterskott", _("I efterskott mot redovisat utfall")
    FINAL = "slutbetalning", _("Slutbetalning enligt slutredovisningen")


class RequestStatus(models.TextChoices):
    REQUESTED = "begard", _("Begärd")
    ATTESTED = "sakgranskad", _("Sakgranskad")
    APPROVED = "godkand", _("Attesterad")
    RETURNED = "aterskickad", _("Skickad tillbaka")
    PAID = "utbetald", _("Utbetald")


# A request that counts against the grant: every one not sent back.
COUNTING = ("begard", "sakgranskad", "godkand", "utbetald")


def within_grant_trigger() -> pgtrigger.Trigger:
    """The requests of an insats's year, together, stay within its grant for
    that year. The insats's row is locked first, so that two requests saved
    at once are counted one after the other."""
    counting = ", ".join(f"'{s}'" for s in COUNTING)
    return pgtrigger.Trigger(
        name="within_grant",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        declare=[("granted", "numeric"), ("asked", "numeric")],
        func=f"""
        PERFORM 1 FROM projects_project WHERE id = NEW.project_id FOR UPDATE;
        SELECT COALESCE(SUM(g.amount), 0) INTO granted
          FROM projects_yeargrant g
         WHERE g.project_id = NEW.project_id AND g.year = NEW.year;
        SELECT COALESCE(SUM(r.amount), 0) INTO asked
          FROM projects_paymentrequest r
         WHERE r.project_id = NEW.project_id AND r.year = NEW.year
           AND r.status IN ({counting});
        IF asked > granted THEN
            RAISE EXCEPTION '{OVER_GRANT_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
        """,  # noqa: S608 - only this module's constants go in
    )


class PaymentRequest(models.Model):
    """A rekvisition: the insats asks for money for a period of a year."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="payment_requests", verbose_name=_("insats")
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("slag"), max_length=20, choices=RequestKind.choices)
    period_start = models.DateField(_("perioden från"))
    period_end = models.DateField(_("perioden till"))
    amount = models.DecimalField(_("belopp (kr)"), validators=[MinValueValidator(1)], **KRONOR)
    note = models.TextField(_("kommentar"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    requested_at = models.DateTimeField(_("begärd"))
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sakgranskad av"),
    )
    attested_at = models.DateTimeField(_("sakgranskad"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attesterad av"),
    )
    approved_at = models.DateTimeField(_("attesterad"), null=True, blank=True)
    return_comment = models.TextField(_("skäl till att den skickades tillbaka"), blank=True)

    class Meta:
        verbose_name = _("rekvisition")
        verbose_name_plural = _("rekvisitioner")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_request_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start"))
                & Q(period_start__year=F("year"))
                & Q(period_end__year=F("year")),
                name="payment_request_period_in_year",
                violation_error_message=_("Perioden ska ligga inom rekvisitionens år."),
            ),
            models.CheckConstraint(
                condition=(
                    (Q(attested_by__isnull=True) | ~Q(attested_by=F("requested_by")))
                    & (
                        Q(approved_by__isnull=True)
                        | (~Q(approved_by=F("requested_by")) & ~Q(approved_by=F("attested_by")))
                    )
                ),
                name="payment_request_four_eyes",
                violation_error_message=_(
                    "Sakgranskning och attest görs av två olika personer, ingen av dem den "
                    "som begärde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["begard", "aterskickad"]) | Q(attested_by__isnull=False),
                name="payment_request_attested_first",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["godkand", "utbetald"]) | Q(approved_by__isnull=False),
                name="payment_request_approved_before_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "year"], name="payment_request_year_idx"),
            models.Index(fields=["status"], name="payment_request_status_idx"),
        ]
        triggers = [AuditTrigger(), within_grant_trigger()]

    def __str__(self):
        return f"{self.project.reference} {self.period_start}–{self.period_end}: {self.amount}"

    def get_absolute_url(self):
        return reverse("projects:payment_request", args=[self.pk])


def payment_needs_approval_trigger() -> pgtrigger.Trigger:
    """A payment only for an approved request, and for its amount."""
    return pgtrigger.Trigger(
        name="needs_approval",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=f"""
        IF NOT EXISTS (
            SELECT 1 FROM projects_paymentrequest r
             WHERE r.id = NEW.request_id AND r.approved_by_id IS NOT NULL
               AND r.status IN ('godkand', 'utbetald') AND r.amount = NEW.amount
               AND r.project_id = NEW.project_id AND r.year = NEW.year
        ) THEN
            RAISE EXCEPTION '{NOT_APPROVED_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
        """,  # noqa: S608 - only this module's constants go in
    )


class Payment(models.Model):
    """An utbetalning: what the ekonomisystem paid out against a request."""

    request = models.OneToOneField(
        PaymentRequest,
        on_delete=models.PROTECT,
        related_name="payment",
        verbose_name=_("rekvisition"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="payments", verbose_name=_("insats")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp (kr)"), **KRONOR)
    paid_on = models.DateField(_("utbetalningsdag"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    registered_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("utbetalning")
        verbose_name_plural = _("utbetalningar")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["paid_on"], name="payment_paid_on_idx")]
        triggers = [AuditTrigger(), payment_needs_approval_trigger()]

    def __str__(self):
        return f"{self.project.reference} {self.paid_on}: {self.amount}"


class Settlement(models.Model):
    """Slutredovisning: when an insats ends, its utfall against what was paid
    out. The difference is settled by a refund claim (paid too much) or a
    final payment (paid too little, as far as the grant reaches)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="settlement", verbose_name=_("insats")
    )
    costs = models.DecimalField(_("utfall (kr)"), **KRONOR)
    paid = models.DecimalField(_("utbetalt (kr)"), **KRONOR)
    note = models.TextField(_("kommentar"), blank=True)
    made_on = models.DateField(_("datum"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gjord av"),
    )
    final_request = models.OneToOneField(
        PaymentRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement",
        verbose_name=_("slutbetalning"),
    )

    class Meta:
        verbose_name = _("slutredovisning")
        verbose_name_plural = _("slutredovisningar")
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.made_on}"

    @property
    def difference(self):
        """Positive: paid out more than was spent."""
        return self.paid - self.costs


class RefundClaim(models.Model):
    """Återbetalningskrav: what the huvudman pays back after the slutredovisning."""

    settlement = models.OneToOneField(
        Settlement,
        on_delete=models.PROTECT,
        related_name="refund",
        verbose_name=_("slutredovisning"),
    )
    amount = models.DecimalField(_("belopp (kr)"), validators=[MinValueValidator(1)], **KRONOR)
    due_date = models.DateField(_("betalas senast"))
    paid_on = models.DateField(_("betald"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("betalning registrerad av"),
    )

    class Meta:
        verbose_name = _("återbetalningskrav")
        verbose_name_plural = _("återbetalningskrav")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive"),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.settlement.project.reference}: {self.amount}"
