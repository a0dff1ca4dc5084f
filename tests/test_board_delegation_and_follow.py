"""Delegationsbeslut (reported to the board, or posted on their own), the
rättelse of a justerat protocol, and a public that can follow the
anslagstavla: Atom feeds and e-mail subscription with double opt-in."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from board import rules, services
from board.models import (
    Correction,
    DelegationDecision,
    DelegationRule,
    Posting,
    Subscription,
)
from board.services import subscriptions
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def grants_rule():
    return DelegationRule.objects.create(
        code="3.1",
        matter="Bevilja medel till förstudier",
        delegate="Förbundschef",
        limit=Decimal("100000"),
    )


@pytest.fixture
def unreported_rule():
    return DelegationRule.objects.create(
        code="5.2", matter="Yttranden i brådskande ärenden", delegate="Ordförande", reported=False
    )


def record(secretary, rule, *, amount=None, day=dt.date(2026, 3, 2), matter="Förstudie beviljad"):
    return services.delegation_decision_record(
        actor=secretary,
        decision=DelegationDecision(
            rule=rule, decided_on=day, decided_by=secretary, matter=matter, amount=amount
        ),
    )


# --- Delegationsbeslut -------------------------------------------------------------


def test_a_delegationsbeslut_over_the_limit_is_refused(secretary, grants_rule):
    with pytest.raises(ValidationError, match="över delegationens gräns"):
        record(secretary, grants_rule, amount=Decimal("150000"))
    assert not DelegationDecision.objects.exists()


def test_delegationsbeslut_are_numbered_per_year_and_reported_to_the_next_meeting(
    secretary, seats, grants_rule
):
    first = record(secretary, grants_rule, amount=Decimal("80000"))
    second = record(secretary, grants_rule, day=dt.date(2026, 3, 5))
    assert (first.reference, second.reference) == ("D 2026:1", "D 2026:2")
    assert not Posting.objects.exists()  # reported decisions wait for the protocol's anslag

    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    paragraph = services.delegations_report(actor=secretary, minutes=minutes)

    assert paragraph.title == "Anmälan av delegationsbeslut"
    assert set(paragraph.reported_delegations.all()) == {first, second}
    last = minutes.paragraphs.order_by("-number").first()
    assert last.title == "Sammanträdet avslutas" and paragraph.number < last.number
    with pytest.raises(ValidationError, match="inga delegationsbeslut att anmäla"):
        services.delegations_report(actor=secretary, minutes=minutes)


def test_a_delegationsbeslut_that_is_not_reported_gets_its_own_anslag(
    secretary, unreported_rule, django_capture_on_commit_callbacks
):
    decision = record(secretary, unreported_rule)

    posting = Posting.objects.get(delegation=decision)
    today = timezone.localdate()
    assert posting.posted_on == today
    assert posting.appeal_last_day == rules.appeal_last_day(today)
    assert posting.meeting_date == decision.decided_on
    assert "D 2026:1" in posting.paragraphs
    assert posting.get_absolute_url() == reverse("public:delegation", args=[decision.pk])


def test_the_anmalan_lists_the_decisions_in_the_protocol_and_locks_them_at_justering(
    secretary, seats, chair, grants_rule
):
    decision = record(secretary, grants_rule, matter="Förstudie om unga vuxna beviljad")
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    services.delegations_report(actor=secretary, minutes=minutes)
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    factories.sign(chair, minutes)
    factories.sign(seats[1].user, minutes)

    text = factories.pdf_text(minutes.documents.get(kind="original").content)
    assert "Förstudie om unga vuxna beviljad" in text and "D 2026:1" in text
    with pytest.raises(DatabaseError), transaction.atomic():
        DelegationDecision.objects.filter(pk=decision.pk).update(matter="Ändrat")


# --- Rättelse ---------------------------------------------------------------------


def test_a_rattelse_is_its_own_document_justerad_by_the_protocols_signers(secretary, seats, chair):
    verifier = seats[1].user
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    factories.sign(verifier, minutes)
    minutes.refresh_from_db()
    before = minutes.content_hash
    paragraph = minutes.paragraphs.order_by("number")[2]

    correction = services.correction_create(
        actor=secretary, paragraph=paragraph, text="Beslutet gäller 2026, inte 2025."
    )
    for user, step in ((chair, 1), (verifier, 1)):
        services.correction_sign(
            actor=user,
            correction=correction,
            password=factories.PASSWORD,
            token=factories.totp_code(user.totpdevice_set.get(), offset_steps=step),
        )

    correction.refresh_from_db()
    minutes.refresh_from_db()
    assert correction.justerat_at is not None and minutes.content_hash == before
    with pytest.raises(DatabaseError), transaction.atomic():
        Correction.objects.filter(pk=correction.pk).update(text="Ändrat")


def test_a_rattelse_is_shown_on_the_protocols_public_page(client, secretary, seats, chair):
    verifier = seats[1].user
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    factories.sign(verifier, minutes)
    paragraph = minutes.paragraphs.order_by("number")[2]
    correction = services.correction_create(
        actor=secretary, paragraph=paragraph, text="Rätt datum är den 14 mars."
    )
    page = client.get(reverse("public:minutes", args=[minutes.pk])).content.decode()
    assert "Rätt datum är den 14 mars." not in page  # not before it is justerad

    Correction.objects.filter(pk=correction.pk).update(
        justerat_at=timezone.now(), content_hash="0" * 64
    )
    page = client.get(reverse("public:minutes", args=[minutes.pk])).content.decode()
    assert "Rätt datum är den 14 mars." in page


# --- Feeds -------------------------------------------------------------------------


def test_the_atom_feed_lists_every_anslag_with_its_appeal_date(client, secretary, unreported_rule):
    decision = record(secretary, unreported_rule, matter="Yttrande över remiss")

    response = client.get(reverse("public:postings_feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    summary = entries[0].find(f"{ATOM}summary").text
    assert decision.posting.appeal_last_day.isoformat() in summary
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("public:delegation", args=[decision.pk]))


def test_the_protocol_feed_lists_justerade_protocols_only(client, secretary, seats, chair):
    draft = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    feed = ET.fromstring(client.get(reverse("public:minutes_feed")).content)
    assert feed.findall(f"{ATOM}entry") == []

    factories.ready_for_justering(secretary, draft, chair, seats[1].user)
    factories.sign(chair, draft)
    factories.sign(seats[1].user, draft)
    feed = ET.fromstring(client.get(reverse("public:minutes_feed")).content)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == [
        "Styrelsens protokoll 2026-03-12"
    ]


# --- E-mail subscription ---------------------------------------------------------------


def _link(body: str, name: str) -> str:
    return re.search(rf"https?://\S+/prenumerera/{name}/\S+/", body).group(0).split("://", 1)[1]


def _path(url: str) -> str:
    return "/" + url.split("/", 1)[1]


def test_nothing_but_the_confirmation_is_sent_until_the_subscriber_confirms(
    client, secretary, unreported_rule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public:subscribe"), {"email": "Anna@Example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    confirm = _path(_link(mail.outbox[0].body, "bekrafta"))
    assert "/prenumerera/avsluta/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        record(secretary, unreported_rule)
    assert len(mail.outbox) == 1  # not confirmed: no anslag mail

    assert client.get(confirm).status_code == 200  # a link scanner changes nothing
    assert Subscription.objects.get().confirmed_at is None
    client.post(confirm)
    assert Subscription.objects.get().confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        record(secretary, unreported_rule, matter="Ett andra yttrande")
    anslag = mail.outbox[-1]
    assert anslag.to == ["anna@example.org"] and anslag.subject.startswith("Nytt anslag")
    assert "Sista dag att överklaga" in anslag.body
    unsubscribe = _path(_link(anslag.body, "avsluta"))

    client.post(unsubscribe)
    assert not Subscription.objects.exists()


def test_subscribing_again_says_the_same_and_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("public:subscribe"), {"email": "bo@example.org"}, follow=True)
    Subscription.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("public:subscribe"), {"email": "bo@example.org"}, follow=True)

    said = "Tack! Ett e-postmeddelande är på väg till adressen."
    assert said in first.content.decode() and said in again.content.decode()
    assert "redan" in mail.outbox[-1].subject


def test_a_bad_address_gets_a_swedish_error(client):
    response = client.post(reverse("public:subscribe"), {"email": "inte-en-adress"})
    assert response.status_code == 400
    assert "giltig e-postadress" in response.content.decode()
    assert not Subscription.objects.exists()


def test_unconfirmed_addresses_are_forgotten_after_a_week():
    Subscription.objects.create(email="gammal@example.org", token="a")
    Subscription.objects.filter(token="a").update(created_at=timezone.now() - dt.timedelta(days=8))
    Subscription.objects.create(email="ny@example.org", token="b")

    assert subscriptions.clear_unconfirmed() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["ny@example.org"]


def test_the_notice_board_says_where_tillkannagivanden_are_posted(client, federation):
    from finsam.models import Federation

    Federation.objects.update(
        notice_board_place="Förbundets anslagstavla finns på webbplatsen (förbundsordningen 12 §)."
    )
    page = client.get(reverse("public:notice_board")).content.decode()
    assert "förbundsordningen 12 §" in page
    assert reverse("public:subscribe") in page and reverse("public:postings_feed") in page
