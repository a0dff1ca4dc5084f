"""``seed_demo``: the demo förbund, in the order its history needs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from demo import board, closing, insatser, obligations, participants, payments, people, reports
from finsam.models import User


def seed_demo() -> None:
    """Load the demo, or add what is missing; running it again adds nothing.

    One transaction: a failure leaves the database as it was. The board's
    mails (kallelse, justering) are sent at the moment of the history they
    belong to, to a local mailbox, never to a server. Then the förbund's year
    is ordered as a PDF, which the task queue's worker makes (``make run``
    starts one)."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demodata kan bara läggas in i demoläge, aldrig i produktion.")
    today = timezone.localdate()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            FINSAM_JOBS_EAGER=True,
        ),
        transaction.atomic(),
    ):
        people.seed()
        decided_by_board = insatser.seed(today)
        participants.seed()
        obligations.seed_before_reports(today)
        reports.seed(today)
        board.seed(today, decided_by_board)
        obligations.seed(today)
        payments.seed(today)
        closing.seed(today)
        closing.seed_economy(today)
    _order_the_year(today.year)


def _order_the_year(year: int) -> None:
    from overview.services import year_pdf_order
    from reports.models import Rendering

    if not Rendering.objects.filter(year=year).exists():
        year_pdf_order(actor=User.objects.get(username="ekonomi"), year=year)
