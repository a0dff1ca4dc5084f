"""The board's pages as people use them: writing, justering, the public board,
search, verification and the PDFs."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from board import rules, services
from board.models import DocumentKind, MinutesStatus, Posting
from projects.models import ApplicationStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def justerat(secretary, seats, chair):
    """A justerat protocol with a granted application, a confidential § and
    the decision text "beviljade"."""
    application = factories.ready_application()
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 9, 17))
    paragraph = minutes.paragraphs.get(application=application)
    paragraph.decision_type = "bevilja"
    paragraph.decision_text = "Styrelsen beviljade medel till insatsen för hela perioden."
    services.paragraph_update(actor=secretary, paragraph=paragraph)
    secret = minutes.paragraphs.get(title="Övrigt")
    secret.discussion = "Personalärende om en anställds sjukfrånvaro."
    secret.decision_text = "Informationen läggs till handlingarna."
    secret.decision_type = "till_handlingarna"
    secret.confidential = True
    services.paragraph_update(actor=secretary, paragraph=secret)
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    factories.sign(chair, minutes)
    factories.sign(seats[1].user, minutes)
    minutes.refresh_from_db()
    return minutes


def test_the_public_board_shows_the_anslag_with_its_dates_without_login(justerat):
    posting = Posting.objects.get(minutes=justerat)

    page = Client().get(reverse("public:notice_board")).content.decode()

    assert "Anslag/bevis" in page
    assert posting.posted_on.isoformat() in page
    assert rules.appeal_last_day(posting.posted_on).isoformat() in page
    assert posting.taken_down_on.isoformat() in page
    assert "Förbundets kansli i Testdal" in page  # förvaringsplats


def test_the_anslag_leaves_the_board_when_it_is_taken_down_but_stays_in_the_archive(justerat):
    from board import selectors

    posting = Posting.objects.get(minutes=justerat)

    assert list(selectors.postings_on_board(posting.taken_down_on - dt.timedelta(days=1)))
    assert not list(selectors.postings_on_board(posting.taken_down_on))
    archive = Client().get(reverse("public:archive")).content.decode()
    assert reverse("public:minutes", args=[justerat.pk]) in archive


def test_public_pages_hide_a_secret_paragraph_and_hold_no_participant_data(justerat, persona_users):
    leader = persona_users["processledare_a"]
    project = factories.project(status="pagaende", staff=[(leader, "processledare")])
    participation = factories.participation(project, leader)
    client = Client()

    pages = [
        client.get(reverse(name, args=args)).content.decode()
        for name, args in (
            ("public:notice_board", []),
            ("public:archive", []),
            ("public:minutes", [justerat.pk]),
        )
    ]
    public_pdf = factories.pdf_text(
        client.get(reverse("public:minutes_pdf", args=[justerat.pk])).content
    )

    for text in [*pages, public_pdf]:
        assert "sjukfrånvaro" not in text
        assert participation.participant.code not in text
    assert "§ " in pages[2] and "Övrigt" in pages[2]
    assert "omfattas av sekretess" in pages[2]
    assert "omfattas av sekretess" in public_pdf
    # The original, kept for the board, has the whole text.
    assert justerat.documents.filter(kind=DocumentKind.PUBLIC).exists()
    original = bytes(justerat.documents.get(kind=DocumentKind.OFFICIAL).content)
    assert "sjukfrånvaro" in factories.pdf_text(original)


def test_draft_protocols_are_not_public(secretary, seats):
    minutes = factories.minutes(actor=secretary)

    assert Client().get(reverse("public:minutes", args=[minutes.pk])).status_code == 404


def test_the_protocol_pdf_has_the_header_the_signatures_and_the_anslag(justerat, chair):
    content = bytes(justerat.documents.get(kind=DocumentKind.OFFICIAL).content)
    text = factories.pdf_text(content)
    posting = justerat.posting
    # A tagged PDF (PDF/UA-1) with its title: a screen reader can follow it.
    info = factories.pdf_info(content)
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Protokoll")

    for expected in (
        "Protokoll för sammanträde (1)",
        "Plats och tid",
        "Beslutande",
        "Utses att justera",
        "Anslag/bevis",
        "Datum för anslags uppsättande",
        posting.taken_down_on.isoformat(),
        "Förvaringsplats för protokollet",
        chair.full_name,
        justerat.content_hash[:40],
        "Styrelsen beviljade medel",
        "Sida 1 av",
    ):
        assert expected in text, expected


def test_a_protokollsutdrag_certifies_one_paragraph(justerat, personas):
    paragraph = justerat.paragraphs.get(decision_type="bevilja")

    response = personas["kansli"].get(reverse("board:extract_pdf", args=[paragraph.pk]))

    text = factories.pdf_text(response.content)
    assert f"§ {paragraph.number}" in text
    assert "Utdragsbestyrkande" in text
    assert "Kim Kansli" in text
    assert "Sammanträdet öppnas" not in text


def test_searching_bevilja_finds_beviljade(justerat, personas):
    public = Client().get(reverse("public:archive"), {"q": "bevilja"}).content.decode()
    internal = personas["styrelseledamot"].get(reverse("board:search"), {"q": "bevilja"})

    assert "1 paragraf hittades" in public
    assert "<mark>beviljade</mark>" in public
    assert "beviljade" in internal.content.decode()


def test_public_search_skips_secret_paragraphs_and_drafts(justerat, secretary, seats):
    draft = factories.minutes(actor=secretary, date=dt.date(2026, 10, 1))
    paragraph = draft.paragraphs.first()
    paragraph.decision_text = "Styrelsen beviljade ett utkast."
    services.paragraph_update(actor=secretary, paragraph=paragraph)

    public = Client().get(reverse("public:archive"), {"q": "sjukfrånvaro"}).content.decode()
    drafts = Client().get(reverse("public:archive"), {"q": "utkast"}).content.decode()

    assert "0 paragrafer hittades" in public
    assert "0 paragrafer hittades" in drafts


def test_the_verification_page_accepts_the_checksum_and_the_pdf(justerat):
    client = Client()
    kept = bytes(justerat.posting.minutes.documents.get(kind=DocumentKind.PUBLIC).content)

    by_hash = client.post(reverse("public:verify"), {"checksum": justerat.content_hash})
    by_file = client.post(
        reverse("public:verify"),
        {"file": SimpleUploadedFile("p.pdf", kept, content_type="application/pdf")},
    )
    changed = client.post(
        reverse("public:verify"),
        {"file": SimpleUploadedFile("p.pdf", kept + b"%", content_type="application/pdf")},
    )
    bad = client.post(reverse("public:verify"), {"checksum": "abc"})

    assert "Äkta." in by_hash.content.decode()
    assert "Äkta." in by_file.content.decode()
    assert hashlib.sha256(kept).hexdigest() in by_file.content.decode()
    assert "Ingen träff." in changed.content.decode()
    assert "64 tecken" in bad.content.decode()


def test_the_secretary_records_a_grant_on_the_paragraph_page(secretary, seats, kansli):
    application = factories.ready_application(budget={2026: 300_000})
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.get(application=application)

    response = kansli.post(
        reverse("board:paragraph", args=[paragraph.pk]),
        {
            "title": paragraph.title,
            "decision_type": "bevilja",
            "decision_text": "Styrelsen beslutar att bevilja 300 000 kr för 2026.",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    page = kansli.get(application.get_absolute_url()).content.decode()
    assert f"§ {paragraph.number}" in page


def test_a_partial_grant_offers_only_the_years_the_application_asks_money_for(
    secretary, seats, kansli
):
    # The sought period runs into 2027, but the budget asks only for 2026.
    project = factories.project(start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 6, 30))
    application = factories.ready_application(project, budget={2026: 300_000})
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.get(application=application)

    page = kansli.get(reverse("board:paragraph", args=[paragraph.pk])).content.decode()

    assert 'name="granted_2026"' in page
    assert 'name="granted_2027"' not in page
    assert "Beviljat 2027" not in page


def test_a_signer_justerar_on_the_justering_page(secretary, seats, chair, personas):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    client = personas["styrelseledamot"]
    url = reverse("board:justering", args=[minutes.pk])

    wrong = client.post(url, {"password": factories.PASSWORD, "token": "000000"})
    assert wrong.status_code == 400
    assert "Engångskoden stämmer inte" in wrong.content.decode()

    device = chair.totpdevice_set.get()
    response = client.post(
        url, {"password": factories.PASSWORD, "token": factories.totp_code(device)}
    )
    assert response.status_code == 302
    assert minutes.signatures.filter(signer__user=chair).exists()
    page = client.get(url).content.decode()
    assert "Du har signerat protokollet" in page


def test_the_admin_refuses_to_change_a_justerat_protocol(justerat, personas):
    admin = personas["admin"]
    url = reverse("admin:board_minutes_change", args=[justerat.pk])

    response = admin.post(url, {"justering_place": "Ändrat i admin", "status": "utkast"})
    deleted = admin.post(reverse("admin:board_minutes_delete", args=[justerat.pk]), {"post": "yes"})

    assert response.status_code == 403 or "Ändrat i admin" not in response.content.decode()
    assert deleted.status_code == 403
    justerat.refresh_from_db()
    assert justerat.status == MinutesStatus.JUSTERAT
    assert justerat.justering_place == "Digital justering"


def test_the_board_member_sees_the_meeting_once_the_kallelse_is_sent(
    secretary, seats, personas, kansli
):
    meeting = factories.meeting(actor=secretary, date=dt.date(2099, 2, 11))
    member = personas["styrelseledamot"]

    assert member.get(meeting.get_absolute_url()).status_code == 404
    kansli.post(reverse("board:notice_send", args=[meeting.pk]))
    page = member.get(meeting.get_absolute_url()).content.decode()
    assert "Sammanträdet öppnas" in page
    ics = member.get(reverse("board:meeting_ics", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")


def _confirm_of(html: str, action: str) -> str:
    """The data-confirm question of the form posting to ``action``."""
    start = html.index(f'action="{action}"')
    tag = html[html.rindex("<form", 0, start) : html.index(">", start)]
    assert "data-confirm=" in tag, f"{action} asks nothing"
    return tag.split('data-confirm="', 1)[1].split('"', 1)[0]


def test_acts_that_send_mail_lock_or_delete_ask_first(secretary, seats, kansli):
    meeting = factories.meeting(date=dt.date.today() + dt.timedelta(days=10), actor=secretary)
    item = meeting.agenda.first()
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert "Skicka kallelsen till alla" in _confirm_of(
        page, reverse("board:notice_send", args=[meeting.pk])
    )
    assert "Ta bort punkten" in _confirm_of(page, reverse("board:agenda_delete", args=[item.pk]))

    services.meeting_send_notice(actor=secretary, meeting=meeting)
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert "Skicka kallelsen igen" in _confirm_of(
        page, reverse("board:notice_send", args=[meeting.pk])
    )
    assert "Kallelsen är redan skickad" in _confirm_of(
        page, reverse("board:agenda_delete", args=[item.pk])
    )

    minutes = factories.minutes(actor=secretary)
    page = kansli.get(minutes.get_absolute_url()).content.decode()
    assert "justering" in _confirm_of(page, reverse("board:minutes_send", args=[minutes.pk]))


def test_changing_the_dagordning_after_the_kallelse_warns(secretary, seats, kansli):
    meeting = factories.meeting(date=dt.date.today() + dt.timedelta(days=10), actor=secretary)
    added = kansli.post(
        reverse("board:agenda_add", args=[meeting.pk]),
        {"title": "Extra punkt", "kind": "information"},
        follow=True,
    ).content.decode()
    assert "Punkten är tillagd." in added and "Kallelsen är redan skickad" not in added

    services.meeting_send_notice(actor=secretary, meeting=meeting)
    item = meeting.agenda.get(title="Extra punkt")
    removed = kansli.post(reverse("board:agenda_delete", args=[item.pk]), follow=True)

    assert "Kallelsen är redan skickad. Dagordningen har ändrats" in removed.content.decode()


def test_a_board_member_opens_the_application_of_a_paragraph_as_its_pdf(
    secretary, seats, chair, personas
):
    application = factories.ready_application()
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    paragraph = minutes.paragraphs.get(application=application)
    # The § is the application's only trace: its agenda item is gone.
    minutes.meeting.agenda.filter(application=application).delete()

    page = personas["styrelseledamot"].get(minutes.get_absolute_url()).content.decode()
    pdf_url = reverse("board:application_pdf", args=[application.pk])

    assert pdf_url in page and application.get_absolute_url() not in page
    response = personas["styrelseledamot"].get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert paragraph.title.split(":")[0] in factories.pdf_text(response.content)
    # The kansli still gets the application's own page.
    kansli_page = personas["kansli"].get(minutes.get_absolute_url()).content.decode()
    assert application.get_absolute_url() in kansli_page


def test_an_application_on_a_dagordning_is_decided_in_the_protocol_not_on_its_page(
    secretary, seats, kansli
):
    from django.core.exceptions import ValidationError as Refused

    from projects import services as project_services
    from projects.models import Decision

    application = factories.ready_application()
    page = kansli.get(application.get_absolute_url()).content.decode()
    assert "Registrera ett beslut som fattats utanför systemet" in page
    assert "äldre styrelsebeslut eller ett delegationsbeslut" in page

    meeting = factories.meeting(date=dt.date.today() + dt.timedelta(days=10), actor=secretary)
    page = kansli.get(application.get_absolute_url()).content.decode()

    assert "står på dagordningen för sammanträdet" in page
    assert meeting.get_absolute_url() in page
    assert reverse("projects:application_decide", args=[application.pk]) not in page
    with pytest.raises(Refused, match="Beslutet fattas i protokollet"):
        project_services.application_decide(
            actor=secretary,
            application=application,
            decision=Decision.GRANT,
            decided_on=dt.date.today(),
            reference="Styrelsen § 1",
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY


def test_a_meeting_today_can_be_called_and_a_past_one_offers_no_calendar(secretary, seats, kansli):
    today = factories.meeting(date=dt.date.today(), actor=secretary)
    past = factories.meeting(date=dt.date.today() - dt.timedelta(days=30), actor=secretary)

    page = kansli.get(today.get_absolute_url()).content.decode()
    assert reverse("board:notice_send", args=[today.pk]) in page
    assert reverse("board:meeting_ics", args=[today.pk]) in page
    old = kansli.get(past.get_absolute_url()).content.decode()
    assert reverse("board:meeting_ics", args=[past.pk]) not in old


def test_a_draft_protocol_is_ordered_as_a_pdf_and_says_it_is_not_justerat(secretary, seats, kansli):
    minutes = factories.minutes(actor=secretary)
    html = kansli.get(minutes.get_absolute_url()).content.decode()

    order_url = reverse("board:minutes_pdf_order", args=[minutes.pk])
    assert f'action="{order_url}"' in html
    assert 'class="busy-status small mb-0" role="status" aria-live="polite"' in html
    assert reverse("board:minutes_pdf", args=[minutes.pk]) not in html
    text = factories.pdf_text(factories.ordered_file(kansli, order_url))
    assert "UTKAST: inte justerat" in text
    # A draft has no kept PDF to download: the link sends the reader to the order.
    kept = kansli.get(reverse("board:minutes_pdf", args=[minutes.pk]))
    assert kept.status_code == 302 and kept.url == minutes.get_absolute_url()


def test_a_justerat_protocol_downloads_the_pdf_kept_at_justering_at_once(justerat, kansli):
    from board.models import DocumentKind

    html = kansli.get(justerat.get_absolute_url()).content.decode()
    assert reverse("board:minutes_pdf_order", args=[justerat.pk]) not in html
    download = kansli.get(reverse("board:minutes_pdf", args=[justerat.pk]))
    kept = justerat.documents.get(kind=DocumentKind.OFFICIAL)
    assert download.content == bytes(kept.content)
    # An order of a justerat protocol (a stale page) leads to the kept file.
    stale = kansli.post(reverse("board:minutes_pdf_order", args=[justerat.pk]))
    assert stale.url == reverse("board:minutes_pdf", args=[justerat.pk])


def test_a_pasted_run_of_letters_longer_than_any_word_folds_onto_lines_in_the_pdf(
    secretary, seats, kansli
):
    # A link or a row of letters pasted without spaces: WeasyPrint would spend
    # minutes hyphenating it (finsam.lib.pdf.breakable) or let it run off the page.
    minutes = factories.minutes(actor=secretary)
    pasted = "ab" * 1500
    minutes.paragraphs.filter(pk=minutes.paragraphs.first().pk).update(
        discussion=f"Före {pasted} efter"
    )
    order_url = reverse("board:minutes_pdf_order", args=[minutes.pk])
    pdf = factories.ordered_file(kansli, order_url)

    import subprocess

    lines = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = [line for line in lines.stdout.decode().splitlines() if "abab" in line]
    assert len(lines) > 20 and max(len(line) for line in lines) < 100
    folded = "".join(line.strip().rstrip("\u2010-") for line in lines).replace("\u200b", "")
    assert pasted in folded
