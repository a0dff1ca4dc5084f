"""Översikt is each role's to-do list, computed from the data: every card is
checked with something waiting and with nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from board import services as board_services
from finsam.roles import STYRELSE
from projects.models import (
    ApplicationStatus,
    BudgetLine,
    CostEntry,
    GrantedAmount,
    ProjectStatus,
    StaffRole,
)
from tests import factories

TODAY = timezone.localdate()


def page(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def card(html: str, heading_id: str) -> str:
    """The text of one card, from its heading to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def board(persona_users):
    return factories.board(chair=persona_users["styrelseledamot"])


# --- Board and kansli -----------------------------------------------------------


def test_the_coming_meetings_card_lists_called_meetings_with_place_and_kallelse(
    personas, persona_users, board
):
    kansli = persona_users["kansli"]
    assert "Inga kommande sammanträden är inplanerade." in card(
        page(personas["styrelseledamot"]), "card-meetings"
    )

    called = factories.meeting(date=TODAY + dt.timedelta(days=20), actor=kansli)
    board_services.meeting_send_notice(actor=kansli, meeting=called)
    planned = factories.meeting(
        date=TODAY + dt.timedelta(days=60), actor=kansli, place="Stadshuset, sal 2"
    )
    factories.meeting(date=TODAY - dt.timedelta(days=3), actor=kansli, place="Förr i tiden")

    member_card = card(page(personas["styrelseledamot"]), "card-meetings")
    kansli_card = card(page(personas["kansli"]), "card-meetings")

    assert called.get_absolute_url() in member_card and "Kansliet, Testdal" in member_card
    assert "kallelse skickad" in member_card
    assert planned.get_absolute_url() not in member_card  # the board sees it once called
    assert planned.get_absolute_url() in kansli_card
    assert "Stadshuset, sal 2 · kallelsen är inte skickad" in kansli_card
    assert "Förr i tiden" not in kansli_card


def test_a_signer_sees_the_protocols_waiting_for_their_justering_until_they_sign(
    personas, persona_users, board
):
    kansli, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    verifier = board[1].user
    assert "Inga protokoll väntar på din justering." in card(
        page(personas["styrelseledamot"]), "card-sign"
    )

    minutes = factories.minutes(actor=kansli, date=TODAY - dt.timedelta(days=2))
    factories.ready_for_justering(kansli, minutes, chair, verifier)

    waiting = card(page(personas["styrelseledamot"]), "card-sign")
    assert reverse("board:justering", args=[minutes.pk]) in waiting
    deadline = TODAY - dt.timedelta(days=2) + dt.timedelta(days=14)
    assert f"Justera senast {deadline:%Y-%m-%d}" in waiting
    assert "0 av 2 har justerat" in waiting

    factories.sign(chair, minutes)

    assert "Inga protokoll väntar på din justering." in card(
        page(personas["styrelseledamot"]), "card-sign"
    )
    kansli_card = card(page(personas["kansli"]), "card-justering")
    assert "1 av 2 har justerat" in kansli_card


def test_a_signature_made_void_by_a_correction_counts_no_more_on_either_card(
    personas, persona_users, board
):
    kansli, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    minutes = factories.minutes(actor=kansli, date=TODAY - dt.timedelta(days=2))
    factories.ready_for_justering(kansli, minutes, chair, board[1].user)
    factories.sign(chair, minutes)
    assert "1 av 2 har justerat" in card(page(personas["kansli"]), "card-justering")

    board_services.minutes_take_back(actor=kansli, minutes=minutes)
    paragraph = minutes.paragraphs.order_by("number").first()
    paragraph.decision_text = "Styrelsen beslutar att lägga rapporten till handlingarna."
    board_services.paragraph_update(actor=kansli, paragraph=paragraph)
    board_services.minutes_send_for_justering(actor=kansli, minutes=minutes)

    assert "0 av 2 har justerat" in card(page(personas["kansli"]), "card-justering")
    waiting = card(page(personas["styrelseledamot"]), "card-sign")
    assert reverse("board:justering", args=[minutes.pk]) in waiting


def test_the_kansli_sees_protocols_out_for_justering_and_the_anslag_up_now(
    personas, persona_users, board
):
    kansli, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    html = page(personas["kansli"])
    assert "Inget protokoll är ute för justering." in card(html, "card-justering")
    assert "Inget anslag är uppsatt just nu." in card(html, "card-postings")

    minutes = factories.minutes(actor=kansli, date=TODAY - dt.timedelta(days=2))
    factories.ready_for_justering(kansli, minutes, chair, board[1].user)
    factories.sign(chair, minutes)
    factories.sign(board[1].user, minutes)

    html = page(personas["kansli"])
    assert "Inget protokoll är ute för justering." in card(html, "card-justering")
    postings = card(html, "card-postings")
    assert f"Protokollet från {minutes.meeting.date:%Y-%m-%d}" in postings
    assert "överklagas senast" in postings
    # A board member has no kansli cards.
    assert 'id="card-postings"' not in page(personas["styrelseledamot"])


def test_the_kansli_sees_applications_per_state_and_reports_to_approve(personas, persona_users):
    html = page(personas["kansli"])
    assert "Inga ansökningar väntar." in card(html, "card-inbox")
    assert "Inga inlämnade rapporter väntar på granskning." in card(html, "card-approve")

    leader = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    factories.application(factories.project(), status=ApplicationStatus.SUBMITTED)
    factories.ready_application()
    handed_in = factories.report(project, leader, submit=True)

    html = page(personas["kansli"])
    inbox = card(html, "card-inbox")
    assert "1 inlämnad att bereda" in inbox and "1 redo för beslut" in inbox
    to_approve = card(html, "card-approve")
    assert handed_in.get_absolute_url() in to_approve
    assert f"inlämnad {TODAY:%Y-%m-%d}" in to_approve


# --- Insatspersonal -------------------------------------------------------------


def test_the_staff_see_their_insatser_stale_participations_and_draft_reports(
    personas, persona_users
):
    leader = persona_users["processledare_a"]
    html = page(personas["processledare_a"])
    assert "Du är inte knuten till någon insats ännu." in card(html, "card-my-projects")
    assert 'id="card-stale"' in html and "Du har inga rapporter under arbete." in html

    project = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(leader, StaffRole.PROCESS_LEADER)],
        start_date=TODAY - dt.timedelta(days=400),
    )
    stale = factories.participation(project, leader, start=TODAY - dt.timedelta(days=60))
    followed = factories.participation(project, leader, start=TODAY - dt.timedelta(days=60))
    from participants import services as participant_services
    from participants.models import StatusKind

    participant_services.status_add(
        actor=leader,
        participation=followed,
        kind=StatusKind.objects.filter(active=True).first(),
        date=TODAY - dt.timedelta(days=3),
    )
    new = factories.participation(project, leader, start=TODAY - dt.timedelta(days=5))
    colleague = persona_users["processledare_b"]
    other = factories.project(
        status=ProjectStatus.RUNNING, staff=[(colleague, StaffRole.PROCESS_LEADER)]
    )
    elsewhere = factories.participation(other, colleague, start=TODAY - dt.timedelta(days=90))
    draft = factories.report(project, leader, written=False)

    html = page(personas["processledare_a"])
    mine = card(html, "card-my-projects")
    assert project.name in mine and "3 pågående deltaganden" in mine
    stale_card = card(html, "card-stale")
    assert stale.get_absolute_url() in stale_card
    assert "Ingen status loggad på 30 dagar" in stale_card
    for not_stale in (followed, new, elsewhere):
        assert not_stale.get_absolute_url() not in stale_card
    assert draft.get_absolute_url() in card(html, "card-drafts")

    participant_services.status_add(
        actor=leader,
        participation=stale,
        kind=StatusKind.objects.filter(active=True).first(),
        date=TODAY,
    )
    assert "Alla pågående deltaganden har en status från de senaste 30 dagarna." in card(
        page(personas["processledare_a"]), "card-stale"
    )


# --- Ekonomi --------------------------------------------------------------------


def test_the_economist_sees_months_without_utfall_and_budgets_over_the_grant(
    personas, persona_users
):
    html = page(personas["ekonomi"])
    assert "Alla pågående insatser har utfall till och med förra månaden." in card(
        html, "card-costs"
    )
    assert "över det beviljade" in card(html, "card-over")

    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    project = factories.project(
        status=ProjectStatus.RUNNING,
        start_date=month_before,
        end_date=TODAY.replace(year=TODAY.year + 1),
    )
    personnel = factories.category("Personal")
    CostEntry.objects.create(
        project=project, month=month_before, category=personnel, amount=Decimal(1000)
    )
    application = factories.application(
        project, status=ApplicationStatus.GRANTED, decided_on=TODAY - dt.timedelta(days=90)
    )
    GrantedAmount.objects.create(application=application, year=TODAY.year, amount=100_000)
    BudgetLine.objects.create(
        project=project, year=TODAY.year, category=personnel, amount=Decimal(130_000)
    )

    html = page(personas["ekonomi"])
    costs = card(html, "card-costs")
    assert project.name in costs
    assert f"{last_month:%Y}" in costs and reverse("projects:budget", args=[project.pk]) in costs
    over = card(html, "card-over")
    assert project.name in over
    assert "budget 130 000 kr, beviljat 100 000 kr: 30 000 kr över" in over

    CostEntry.objects.create(
        project=project, month=last_month, category=personnel, amount=Decimal(1000)
    )
    assert project.name not in card(page(personas["ekonomi"]), "card-costs")


def test_each_role_gets_only_its_own_cards(personas):
    board_member = page(personas["styrelseledamot"])
    staff = page(personas["processledare_a"])
    economist = page(personas["ekonomi"])

    assert 'id="card-sign"' in board_member and 'id="card-meetings"' in board_member
    assert 'id="card-my-projects"' not in board_member and 'id="card-costs"' not in board_member
    assert 'id="card-meetings"' not in staff and 'id="card-costs"' not in staff
    assert 'id="card-costs"' in economist and 'id="card-sign"' not in economist
    assert 'id="card-inbox"' not in economist
    # The kansli signs nothing unless it is made a signer.
    assert 'id="card-sign"' not in page(personas["kansli"])


def test_a_board_member_without_a_seat_still_has_a_truthful_page(personas, persona_users):
    outsider = factories.user(roles=(STYRELSE,))
    from tests.conftest import verified_client

    html = page(verified_client(outsider))

    assert "Inga protokoll väntar på din justering." in html
    assert "Inga kommande sammanträden är inplanerade." in html


def test_the_board_page_and_oversikt_agree_on_what_waits_for_a_signature(
    personas, persona_users, board
):
    kansli, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    minutes = factories.minutes(actor=kansli, date=TODAY - dt.timedelta(days=2))
    factories.ready_for_justering(kansli, minutes, chair, board[1].user)
    justera = reverse("board:justering", args=[minutes.pk])
    assert justera in personas["styrelseledamot"].get(reverse("board:index")).content.decode()

    factories.sign(chair, minutes)  # signed: it waits for her no more, on either page

    assert justera not in personas["styrelseledamot"].get(reverse("board:index")).content.decode()
    assert justera not in page(personas["styrelseledamot"])
