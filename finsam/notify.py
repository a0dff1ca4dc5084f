"""E-mail about users' accounts. Called after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from finsam.models import Federation


def send_role_change(*, user, actor, before: set[str], after: set[str], superusers) -> None:
    """Tell the user whose roles changed, and every superuser, who changed what."""
    context = {
        "federation": Federation.objects.first(),
        "user": user,
        "actor": actor,
        "before": ", ".join(sorted(before)) or "–",
        "after": ", ".join(sorted(after)) or "–",
        "url": f"{settings.SITE_URL}{reverse('administration:user', args=[user.pk])}",
    }
    body = render_to_string("administration/email/role_change.txt", context)
    recipients = [u.email for u in [user, *superusers] if u.email]
    for address in dict.fromkeys(recipients):
        EmailMessage(subject="Roller ändrade i Finsam", body=body, to=[address]).send()
