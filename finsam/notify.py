"""E-mail about users' accounts, queued in the outbox (``finsam.mail``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from finsam import mail
from finsam.models import Federation


def send_role_change(*, user, actor, before: set[str], after: set[str], superusers) -> None:
    """Tell the user whose roles changed, and every superuser, who changed what."""
    context = {
        "federation": Federation.objects.first(),
        "user": user,
        "actor": actor,
        "before": ", ".join(sorted(before)) or "–",
        "after": ", ".join(sorted(after)) or "–",
        "url": mail.site_url(reverse("administration:user", args=[user.pk])),
    }
    body = render_to_string("administration/email/role_change.txt", context)
    mail.queue_each(
        topic=f"roller:{user.pk}",
        subject="Roller ändrade i Finsam",
        recipients=[mail.Recipient(person.email, person, body) for person in [user, *superusers]],
    )
