"""A förbundssekreterare's board meeting, rebuilt from a real one (issue 21):
what a justerat protocol prints never changes, meetings can be cancelled or
removed, an approved report reaches the dagordning, the kallelse's calendar
file and links are right, and refusals are clear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from board import pdf, procedure
from board.models import Minutes
from tests import factories

pytestmark = pytest.mark.django_db


def justera(secretary, minutes, chair, verifier) -> Minutes:
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    factories.sign(verifier, minutes)
    minutes.refresh_from_db()
    assert minutes.is_locked
    return minutes


def test_a_justerat_protocol_keeps_its_number_when_an_earlier_meeting_is_entered_late(
    secretary, chair, seats, client
):
    march = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    may = justera(
        secretary,
        factories.minutes(actor=secretary, date=dt.date(2026, 5, 14)),
        chair,
        seats[1].user,
    )
    public = reverse("public:minutes", args=[may.pk])
    assert "Protokoll för sammanträde (2)" in client.get(public).content.decode()
    seats_then = procedure.seats(may)

    # A forgotten extra meeting in February, entered late, and a seat added
    # with a term that covers May.
    factories.meeting(date=dt.date(2026, 2, 5), actor=secretary)
    factories.board_seat(start=dt.date(2026, 1, 1))
    may = Minutes.objects.get(pk=may.pk)

    assert "Protokoll för sammanträde (2)" in client.get(public).content.decode()
    assert pdf.meeting_ordinal(may.meeting, may) == 2
    assert procedure.seats(may) == seats_then
    # A protocol not yet justerat follows the calendar: March is now the second.
    march = Minutes.objects.get(pk=march.pk)
    assert pdf.meeting_ordinal(march.meeting, march) == 2


@pytest.fixture
def justerat(secretary, chair, seats):
    return justera(
        secretary,
        factories.minutes(actor=secretary, date=dt.date(2026, 5, 14)),
        chair,
        seats[1].user,
    )


def test_the_admin_offers_no_justerat_protocol_to_add_a_paragraph_to(justerat, personas):
    from board.models import Paragraph

    before = Paragraph.objects.filter(minutes=justerat).count()
    response = personas["admin"].post(
        reverse("admin:board_paragraph_add"),
        {
            "minutes": justerat.pk,
            "year": 2026,
            "number": 99,
            "title": "Tillagt i efterhand",
            "order": 99,
        },
    )

    assert response.status_code == 200  # the form again, with its error
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Paragraph.objects.filter(minutes=justerat).count() == before


def test_a_change_the_lock_refuses_is_a_swedish_page_not_a_500(justerat, rf):
    """Whatever path a change takes past the services (a stale form, the
    admin, a bulk update), the database's refusal is answered with its reason."""
    from django.db import ProgrammingError, transaction

    from board.models import Meeting
    from finsam.middleware import DatabaseBusyMiddleware

    try:
        with transaction.atomic():
            Meeting.objects.filter(pk=justerat.meeting_id).update(place="Någon annanstans")
    except ProgrammingError as refusal:
        error = refusal
    request = rf.post(
        "/styrelsen/", HTTP_REFERER=f"http://testserver{justerat.meeting.get_absolute_url()}"
    )
    request.user = justerat.secretary
    request.user.is_verified = lambda: True  # as django_otp's middleware marks a user

    response = DatabaseBusyMiddleware(lambda r: None).process_exception(request, error)

    assert response.status_code == 409
    text = response.content.decode()
    assert "Protokollet är justerat och kan inte ändras. Ingenting har sparats." in text
    assert f'href="{justerat.meeting.get_absolute_url()}"' in text


def test_a_justerat_meeting_its_dagordning_and_handlingar_cannot_be_changed(justerat, kansli):
    """A tab opened before justering: the meeting's form, a new punkt, a new
    handling. Each is refused in Swedish and nothing changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = justerat.meeting
    items = meeting.agenda.count()
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:meeting_edit", args=[meeting.pk]) not in page
    assert kansli.get(reverse("board:meeting_edit", args=[meeting.pk])).status_code == 302

    edited = kansli.post(
        reverse("board:meeting_edit", args=[meeting.pk]),
        {"date": meeting.date.isoformat(), "starts_at": "10:00", "place": "Någon annanstans"},
    )
    added = kansli.post(
        reverse("board:agenda_add", args=[meeting.pk]),
        {"kind": "information", "title": "I efterhand"},
        follow=True,
    )
    uploaded = kansli.post(
        reverse("board:document_add", args=[meeting.pk]),
        {"name": "Sent", "file": SimpleUploadedFile("sent.pdf", b"%PDF-1.4 x")},
        follow=True,
    )

    locked = "Protokollet är justerat: sammanträdet, dess dagordning och handlingar"
    assert locked in edited.content.decode()
    assert locked in added.content.decode()
    assert uploaded.status_code in (200, 409)
    meeting.refresh_from_db()
    assert meeting.place != "Någon annanstans"
    assert meeting.agenda.count() == items
    assert not meeting.documents.filter(name="Sent").exists()


# --- The kallelse's calendar file and links -------------------------------------


def _calendar(data: bytes):
    import icalendar

    return icalendar.Calendar.from_ical(data)


@pytest.mark.parametrize(
    "day, utc_hour",
    [(dt.date(2027, 6, 10), 7), (dt.date(2027, 2, 11), 8)],  # summer (CEST), winter (CET)
)
def test_the_calendar_file_carries_its_time_zone_and_places_the_meeting_right(
    secretary, seats, kansli, day, utc_hour
):
    import vobject

    meeting = factories.meeting(actor=secretary, date=day)
    response = kansli.get(reverse("board:meeting_ics", args=[meeting.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"  # one charset
    calendar = _calendar(response.content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    # A client that knows no zone by name reads the VTIMEZONE: another
    # parser (vobject, as CalDAV servers use) places the meeting in UTC from
    # the file's own rules.
    parsed = vobject.readOne(response.content.decode())
    start = parsed.vevent.dtstart.value.astimezone(dt.UTC)
    assert (start.date(), start.hour) == (day, utc_hour)  # 09.00 in Stockholm


def test_every_mail_links_to_the_site_address_whatever_host_the_request_named(
    secretary, seats, ekonomi, federation, django_capture_on_commit_callbacks, settings
):
    from django.contrib.auth.models import Group
    from django.core import mail

    from board import services
    from finsam.roles import INSATSPERSONAL

    settings.SITE_URL = "https://finsam.example.se"
    settings.ALLOWED_HOSTS = ["testserver", "annan.example.se"]
    with django_capture_on_commit_callbacks(execute=True):
        ekonomi.post(
            reverse("administration:user_create"),
            {
                "username": "nyprocessledare",
                "full_name": "Nora Nyström",
                "title": "Processledare",
                "email": "nora@example.test",
                "roles": [Group.objects.get(name=INSATSPERSONAL).pk],
            },
            HTTP_HOST="annan.example.se",
        )
        meeting = factories.meeting(actor=secretary, date=dt.date(2027, 2, 11))
        services.meeting_send_notice(actor=secretary, meeting=meeting)

    welcome = next(m for m in mail.outbox if m.subject == "Välkommen till Finsam")
    notice = next(m for m in mail.outbox if m.subject.startswith("Kallelse"))
    assert "https://finsam.example.se/konto/" in welcome.body
    assert "annan.example.se" not in welcome.body
    assert f"https://finsam.example.se{meeting.get_absolute_url()}" in notice.body


# --- The decision's lead ----------------------------------------------------------


def test_a_decision_written_as_a_whole_sentence_is_not_led_by_styrelsen_beslutar_again(
    secretary, chair, seats, kansli
):
    import re

    from board import services

    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 5, 14))
    whole, classic = minutes.paragraphs.order_by("number")[:2]
    whole.decision_text = "Styrelsen beslutar att utse förbundschefen till dataskyddsombud."
    whole.decision_type = "ovrigt"
    services.paragraph_update(actor=secretary, paragraph=whole)
    classic.decision_text = "att lägga rapporten till handlingarna."
    classic.decision_type = "till_handlingarna"
    services.paragraph_update(actor=secretary, paragraph=classic)

    response = kansli.get(minutes.get_absolute_url())
    assert response.status_code == 200, response.status_code
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    text = re.sub(r"\s+", " ", factories.pdf_text(pdf.minutes_pdf(minutes)))

    for shown in (page, text):
        assert "Styrelsen beslutar Styrelsen beslutar" not in shown
        assert "Beslut Styrelsen beslutar att utse förbundschefen" in shown
        assert "Styrelsen beslutar att lägga rapporten till handlingarna." in shown


# --- Meetings cancelled or removed ------------------------------------------------

FUTURE = dt.date.today() + dt.timedelta(days=30)


def test_a_called_meeting_is_cancelled_with_a_message_and_a_calendar_cancellation(
    secretary, seats, kansli, django_capture_on_commit_callbacks
):
    import vobject
    from django.core import mail

    from board import services
    from board.models import MeetingStatus

    meeting = factories.meeting(actor=secretary, date=FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        called = services.meeting_send_notice(actor=secretary, meeting=meeting)
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:meeting_cancel", args=[meeting.pk]) in page
    assert reverse("board:meeting_delete", args=[meeting.pk]) not in page  # it was called
    mail.outbox.clear()

    without_reason = kansli.post(reverse("board:meeting_cancel", args=[meeting.pk]), {"reason": ""})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CALLED  # the called must be told why
    assert without_reason.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = kansli.post(
            reverse("board:meeting_cancel", args=[meeting.pk]),
            {"reason": "Ordföranden är sjuk; ärendena tas på nästa möte."},
            follow=True,
        )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Sammanträdet är inställt. De kallade får ett meddelande" in response.content.decode()
    assert len(mail.outbox) == called
    message = mail.outbox[0]
    assert message.subject == f"Inställt: styrelsemötet {FUTURE.isoformat()}"
    assert "Ordföranden är sjuk" in message.body
    name, ics, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    calendar = vobject.readOne(ics if isinstance(ics, str) else ics.decode())
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.uid.value.startswith(f"sammantrade-{meeting.pk}@")
    # A cancelled meeting cannot be called again.
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:notice_send", args=[meeting.pk]) not in page


def test_a_meeting_created_by_mistake_is_removed_before_its_kallelse(secretary, seats, kansli):
    from board.models import Meeting

    meeting = factories.meeting(actor=secretary, date=FUTURE)
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:meeting_delete", args=[meeting.pk]) in page

    response = kansli.post(reverse("board:meeting_delete", args=[meeting.pk]), follow=True)

    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert f"Sammanträdet {FUTURE.isoformat()} är borttaget." in response.content.decode()


def test_a_called_meeting_cannot_be_removed_only_cancelled(
    secretary, seats, kansli, django_capture_on_commit_callbacks
):
    from board import services
    from board.models import Meeting

    meeting = factories.meeting(actor=secretary, date=FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=secretary, meeting=meeting)

    response = kansli.post(reverse("board:meeting_delete", args=[meeting.pk]), follow=True)

    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert "ställ in sammanträdet i stället" in response.content.decode()


# --- An approved report reaches the dagordning ------------------------------------


@pytest.fixture
def approved_later(persona_users):
    """A report of processledare A's insats, handed in, for the kansli to approve."""
    project = factories.project(
        status="pagaende",
        staff=[(persona_users["processledare_a"], "processledare")],
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    return factories.report(project, persona_users["processledare_a"], submit=True)


def test_an_approved_report_lands_on_the_next_meeting_not_yet_called(
    secretary, seats, kansli, approved_later, django_capture_on_commit_callbacks
):
    from board import services

    called = factories.meeting(actor=secretary, date=FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=secretary, meeting=called)
    planned = factories.meeting(actor=secretary, date=FUTURE + dt.timedelta(days=30))

    response = kansli.post(reverse("reports:approve", args=[approved_later.pk]), follow=True)

    item = planned.agenda.get(report=approved_later)
    assert not called.agenda.filter(report=approved_later).exists()
    titles = list(planned.agenda.order_by("order", "id").values_list("title", flat=True))
    assert titles.index(item.title) < titles.index("Rapporter")  # among the ärenden
    text = response.content.decode()
    assert f"står på dagordningen för sammanträdet {planned.date.isoformat()}" in text
    # A meeting created afterwards does not get it a second time.
    later = factories.meeting(actor=secretary, date=FUTURE + dt.timedelta(days=60))
    assert not later.agenda.filter(report=approved_later).exists()


def test_a_punkt_goes_with_its_handlingar_and_a_left_over_handling_can_be_removed(
    secretary, seats, kansli
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from board import services
    from board.models import AgendaItem, MeetingDocument

    meeting = factories.meeting(actor=secretary, date=FUTURE)
    item = services.agenda_item_save(
        actor=secretary,
        item=AgendaItem(meeting=meeting, kind="information", title="Verksamhetsplan"),
    )

    def handling(name, punkt=None):
        return services.meeting_document_add(
            actor=secretary,
            document=MeetingDocument(
                meeting=meeting,
                agenda_item=punkt,
                name=name,
                file=SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test"),
                size=13,
            ),
        )

    handling("Verksamhetsplan 2027", item)
    loose = handling("Övrig handling")

    kansli.post(reverse("board:agenda_delete", args=[item.pk]))
    assert not MeetingDocument.objects.filter(name="Verksamhetsplan 2027").exists()

    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert reverse("board:document_delete", args=[loose.pk]) in page
    kansli.post(reverse("board:document_delete", args=[loose.pk]))
    assert not meeting.documents.exists()


@pytest.mark.parametrize(
    "days, offered, not_offered",
    [
        (
            -30,
            {"meeting_delete", "minutes_create"},
            {"notice_send", "meeting_ics", "meeting_cancel"},
        ),
        (0, {"notice_send", "meeting_ics", "meeting_cancel", "meeting_delete"}, set()),
        (
            30,
            {"notice_send", "meeting_ics", "meeting_cancel", "meeting_delete"},
            {"minutes_create"},
        ),
    ],
    ids=["past", "today", "future"],
)
def test_the_meeting_page_offers_what_fits_a_past_todays_or_future_meeting(
    secretary, seats, kansli, days, offered, not_offered
):
    meeting = factories.meeting(actor=secretary, date=dt.date.today() + dt.timedelta(days=days))

    page = kansli.get(meeting.get_absolute_url()).content.decode()

    for name in offered:
        assert reverse(f"board:{name}", args=[meeting.pk]) in page, name
    for name in not_offered:
        assert reverse(f"board:{name}", args=[meeting.pk]) not in page, name
