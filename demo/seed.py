"""``seed_demo``: the demo förbund, in the order its history needs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from demo import board, insatser, participants, people, reports


def seed_demo() -> None:
    """Load the demo, or add what is missing; running it again adds nothing.

    One transaction: a failure leaves the database as it was. The board's
    mails (kallelse, justering) go to a local outbox, never to a server."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demodata kan bara läggas in i demoläge, aldrig i produktion.")
    today = timezone.localdate()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        people.seed()
        decided_by_board = insatser.seed(today)
        participants.seed()
        reports.seed(today)
        board.seed(today, decided_by_board)
