"""The public's e-mail subscription to new anslag: no account, double
opt-in, and an unsubscribe link in every mail. An address is kept only while
it subscribes (unconfirmed ones are cleared after a week) and never enters
the audit log."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from board import notify
from board.models import Subscription
from finsam.lib.services import service

UNCONFIRMED_DAYS = 7


@service(None)
def subscribe(*, actor=None, email: str) -> None:
    """Ask to subscribe. Whatever the address's state, one mail goes to it
    and the page says the same, so nobody learns who subscribes."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Skriv en giltig e-postadress.")}) from error
    subscription, created = Subscription.objects.get_or_create(
        email=email, defaults={"token": secrets.token_urlsafe(32)}
    )
    if subscription.confirmed_at:
        notify.send_already_subscribed(subscription)
    else:
        notify.send_subscription_confirm(subscription)


def _by_token(token: str) -> Subscription | None:
    return Subscription.objects.filter(token=token).first() if token else None


@service(None)
def subscription_confirm(*, actor=None, token: str) -> Subscription:
    subscription = _by_token(token)
    if subscription is None:
        raise ValidationError(
            _("Länken gäller inte längre. Anmäl dig igen om du vill ha e-post om nya anslag.")
        )
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@service(None)
def unsubscribe(*, actor=None, token: str) -> None:
    """End the subscription: the address is removed, not kept."""
    subscription = _by_token(token)
    if subscription is None:
        raise ValidationError(_("Prenumerationen finns inte längre: du får inga fler utskick."))
    subscription.delete()


def clear_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Forget addresses that were never confirmed within a week."""
    now = now or timezone.now()
    deleted, _rows = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - dt.timedelta(days=UNCONFIRMED_DAYS)
    ).delete()
    return deleted
