"""Rekvisitioner and utbetalningar: request, sakgranskning, attest, payment,
the utbetalningslista, four eyes and the grant as a ceiling."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from finsam.lib.formatting import format_kronor
from finsam.models import AuditEntry, Member
from finsam.roles import KANSLI
from projects import selectors, services
from projects.models import (
    CostEntry,
    Decision,
    Payment,
    PaymentRequest,
    PaymentSchedule,
    ProjectStatus,
    RequestKind,
    RequestStatus,
    StaffRole,
)
from tests import factories

THIS_YEAR = dt.date.today().year


@pytest.fixture
def kansli(persona_users):
    return persona_users["kansli"]


@pytest.fixture
def economist(persona_users):
    return persona_users["ekonomi"]


@pytest.fixture
def leader(persona_users):
    return persona_users["processledare_a"]


def _granted_insats(kansli, staff=(), *, schedule=PaymentSchedule.QUARTER, amount=400_000):
    start, end = dt.date(THIS_YEAR - 1, 1, 1), dt.date(THIS_YEAR + 1, 12, 31)
    owner = Member.objects.filter(name="Sjöviks kommun").first() or factories.member(
        name="Sjöviks kommun", organisation_number="212000-1355"
    )
    project = factories.project(start_date=start, end_date=end, staff=staff, owner=owner)
    application = factories.ready_application(
        project, budget={year: amount for year in (THIS_YEAR - 1, THIS_YEAR, THIS_YEAR + 1)}
    )
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT,
        decided_on=dt.date.today(),
        payment_schedule=schedule,
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def insats(kansli, leader):
    return _granted_insats(kansli, staff=[(leader, StaffRole.PROCESS_LEADER)])


def _quarter(insats, leader, q=2, amount=100_000):
    start = dt.date(THIS_YEAR, 3 * (q - 1) + 1, 1)
    end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)
    return services.payment_request_create(
        actor=leader,
        project=insats,
        kind=RequestKind.ADVANCE,
        year=THIS_YEAR,
        period_start=start,
        period_end=end,
        amount=Decimal(amount),
    )


def test_a_request_goes_from_the_staff_through_attest_and_approval_to_a_payment(
    insats, leader, kansli, economist
):
    request = _quarter(insats, leader)
    assert request.status == RequestStatus.REQUESTED

    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    payment = services.payment_register(actor=economist, request=request, paid_on=dt.date.today())

    request.refresh_from_db()
    assert request.status == RequestStatus.PAID
    assert (request.attested_by, request.approved_by) == (kansli, economist)
    assert payment.amount == Decimal(100_000) and payment.project == insats
    money = selectors.money_for_year(insats, THIS_YEAR)
    assert (money.granted, money.requested, money.paid, money.left) == (
        Decimal(400_000),
        Decimal(100_000),
        Decimal(100_000),
        Decimal(300_000),
    )
    assert AuditEntry.objects.filter(table_name="projects_payment").exists()


def test_nobody_attests_or_approves_their_own_request(insats, kansli, economist, leader):
    own = services.payment_request_create(
        actor=kansli,
        project=insats,
        kind=RequestKind.ADVANCE,
        year=THIS_YEAR,
        period_start=dt.date(THIS_YEAR, 1, 1),
        period_end=dt.date(THIS_YEAR, 3, 31),
        amount=Decimal(50_000),
    )
    with pytest.raises(ValidationError, match="kan inte granska den"):
        services.payment_request_attest(actor=kansli, request=own)

    request = _quarter(insats, leader)
    with pytest.raises(ValidationError, match="Rekvisitionen är begärd"):
        services.payment_request_approve(actor=economist, request=request)  # not attested yet
    services.payment_request_attest(actor=kansli, request=request)
    with pytest.raises(PermissionDenied):
        services.payment_request_approve(actor=kansli, request=request)  # not the ekonom's role
    with pytest.raises(ValidationError, match="Rekvisitionen är sakgranskad"):
        services.payment_request_attest(actor=kansli, request=request)  # a second attest


def test_one_person_with_both_roles_cannot_take_both_steps(insats, kansli, leader):
    from django.contrib.auth.models import Group

    both = factories.user(username="bada", roles=(KANSLI,))
    both.groups.add(Group.objects.get(name="Ekonomi"))
    request = _quarter(insats, leader)
    services.payment_request_attest(actor=both, request=request)

    with pytest.raises(ValidationError, match="sakgranskade kan inte också attestera"):
        services.payment_request_approve(actor=both, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.ATTESTED


def test_the_schema_refuses_one_person_in_two_steps(insats, kansli, leader):
    request = _quarter(insats, leader)

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.APPROVED, attested_by=kansli, approved_by=kansli
        )


def test_a_payment_without_approval_is_refused_by_the_service_and_the_database(
    insats, leader, kansli, economist
):
    request = _quarter(insats, leader)
    services.payment_request_attest(actor=kansli, request=request)

    with pytest.raises(ValidationError, match="Rekvisitionen är sakgranskad"):
        services.payment_register(actor=economist, request=request, paid_on=dt.date.today())
    with pytest.raises(IntegrityError, match="kräver en godkänd rekvisition"), transaction.atomic():
        Payment.objects.create(
            request=request,
            project=insats,
            year=THIS_YEAR,
            amount=request.amount,
            paid_on=dt.date.today(),
            registered_by=economist,
        )
    assert not Payment.objects.exists()


def test_nobody_requests_more_than_is_left_of_the_year(insats, leader):
    _quarter(insats, leader, q=1, amount=150_000)
    _quarter(insats, leader, q=2, amount=150_000)

    with pytest.raises(ValidationError) as refused:
        _quarter(insats, leader, q=3, amount=150_000)
    assert refused.value.messages == [
        f"Kvar att rekvirera för {THIS_YEAR} är {format_kronor(100_000)}."
    ]
    assert PaymentRequest.objects.count() == 2


def test_the_database_refuses_requests_over_the_grant(insats, leader):
    request = _quarter(insats, leader, amount=100_000)

    with pytest.raises(IntegrityError, match="mer än vad som är kvar"), transaction.atomic():
        PaymentRequest.objects.filter(pk=request.pk).update(amount=Decimal(400_001))


def test_an_advance_follows_the_decisions_schedule(kansli, leader):
    half = _granted_insats(
        kansli, staff=[(leader, StaffRole.PROCESS_LEADER)], schedule=PaymentSchedule.HALF_YEAR
    )
    with pytest.raises(ValidationError, match="per halvår"):
        _quarter(half, leader)
    services.payment_request_create(
        actor=leader,
        project=half,
        kind=RequestKind.ADVANCE,
        year=THIS_YEAR,
        period_start=dt.date(THIS_YEAR, 7, 1),
        period_end=dt.date(THIS_YEAR, 12, 31),
        amount=Decimal(200_000),
    )
    arrears = _granted_insats(
        kansli, staff=[(leader, StaffRole.PROCESS_LEADER)], schedule=PaymentSchedule.ARREARS
    )
    with pytest.raises(ValidationError, match="i efterskott mot utfall"):
        _quarter(arrears, leader)


def test_in_arrears_at_most_the_periods_utfall_is_requested(kansli, leader):
    insats = _granted_insats(
        kansli, staff=[(leader, StaffRole.PROCESS_LEADER)], schedule=PaymentSchedule.ARREARS
    )
    category = factories.category("Personal")
    last_year = THIS_YEAR - 1
    for month, amount in ((1, 30_000), (2, 32_000)):
        CostEntry.objects.create(
            project=insats, month=dt.date(last_year, month, 1), category=category, amount=amount
        )

    def ask(amount):
        return services.payment_request_create(
            actor=leader,
            project=insats,
            kind=RequestKind.ARREARS,
            year=last_year,
            period_start=dt.date(last_year, 1, 1),
            period_end=dt.date(last_year, 3, 1) - dt.timedelta(days=1),
            amount=Decimal(amount),
        )

    with pytest.raises(ValidationError, match="högst periodens redovisade utfall"):
        ask(62_001)
    assert ask(62_000).amount == Decimal(62_000)


def test_a_request_sent_back_is_corrected_and_sent_again(insats, leader, kansli, economist):
    request = _quarter(insats, leader, amount=120_000)
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_return(
        actor=economist, request=request, comment="Beloppet ska vara en fjärdedel."
    )
    request.refresh_from_db()
    assert (request.status, request.attested_by) == (RequestStatus.RETURNED, None)
    assert selectors.money_for_year(insats, THIS_YEAR).requested == 0

    with pytest.raises(PermissionDenied):
        services.payment_request_resubmit(actor=kansli, request=request, amount=Decimal(100_000))
    services.payment_request_resubmit(actor=leader, request=request, amount=Decimal(100_000))

    request.refresh_from_db()
    assert (request.status, request.amount) == (RequestStatus.REQUESTED, Decimal(100_000))


def test_processledare_b_cannot_request_money_for_insats_a(insats, persona_users):
    with pytest.raises(PermissionDenied):
        _quarter(insats, persona_users["processledare_b"])


def test_no_request_for_a_cancelled_insats(insats, leader, kansli):
    services.project_change_status(
        actor=kansli, project=insats, transition="cancel", note="Huvudmannen drog sig ur."
    )
    insats.refresh_from_db()
    assert insats.status == ProjectStatus.CANCELLED

    with pytest.raises(ValidationError, match="avbruten"):
        _quarter(insats, leader)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_together_exceed_the_grant(django_db_blocker):
    from tests.conftest import make_persona_users

    factories.federation()
    factories.cost_categories_exist()
    users = make_persona_users()
    insats = _granted_insats(
        users["kansli"], staff=[(users["processledare_a"], StaffRole.PROCESS_LEADER)]
    )
    barrier = threading.Barrier(4)
    outcomes = []

    def ask(quarter):
        try:
            barrier.wait()
            _quarter(insats, users["processledare_a"], q=quarter, amount=150_000)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(q,)) for q in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "ok", "refused", "refused"]
    assert sum(r.amount for r in PaymentRequest.objects.all()) == Decimal(300_000)


# --- Pages ------------------------------------------------------------------------------


def test_the_utbetalningslista_has_payee_organisationsnummer_diarienummer_and_numeric_kronor(
    insats, leader, kansli, economist, personas
):
    request = _quarter(insats, leader)
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    services.payment_register(actor=economist, request=request, paid_on=dt.date.today())
    today = dt.date.today().isoformat()
    url = reverse("projects:payment_export") + f"?start={today}&end={today}"

    sheet = load_workbook(io.BytesIO(personas["ekonomi"].get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == (
        "Utbetalningsdag",
        "Mottagare",
        "Organisationsnummer",
        "Diarienummer",
        "Insats",
        "Avser",
        "Belopp (kr)",
    )
    assert rows[1][1:5] == (
        "Sjöviks kommun",
        insats.owner.organisation_number,
        insats.reference,
        insats.name,
    )
    assert rows[1][6] == 100_000 and isinstance(rows[1][6], int | float)
    csv = personas["ekonomi"].get(url + "&format=csv").content.decode("utf-8-sig")
    assert f"{insats.reference};" in csv and csv.rstrip().endswith(";100000")


def test_a_formula_in_an_insats_name_is_neutralised_in_the_utbetalningslista(
    insats, leader, kansli, economist, personas
):
    type(insats).objects.filter(pk=insats.pk).update(name="=HYPERLINK(1)")
    request = _quarter(insats, leader)
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    services.payment_register(actor=economist, request=request, paid_on=dt.date.today())
    today = dt.date.today().isoformat()

    response = personas["ekonomi"].get(
        reverse("projects:payment_export") + f"?start={today}&end={today}"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["E2"].value == "'=HYPERLINK(1)"


def test_the_budget_page_and_forbundets_ekonomi_show_requested_and_paid(
    insats, leader, kansli, economist, personas
):
    request = _quarter(insats, leader)
    services.payment_request_attest(actor=kansli, request=request)
    services.payment_request_approve(actor=economist, request=request)
    services.payment_register(actor=economist, request=request, paid_on=dt.date.today())
    _quarter(insats, leader, q=3, amount=50_000)

    budget = personas["kansli"].get(reverse("projects:budget", args=[insats.pk])).content.decode()
    assert "Kvar att rekvirera" in budget
    assert format_kronor(250_000) in budget and format_kronor(150_000) in budget
    year = personas["ekonomi"].get(reverse("projects:federation_year", args=[THIS_YEAR]))
    rows = year.context["summary"].rows
    row = next(r for r in rows if r.pk == insats.pk)
    assert (row.granted_year, row.requested_year, row.paid_year, row.left_to_request) == (
        400_000,
        150_000,
        100_000,
        250_000,
    )


def test_the_processledare_requests_on_the_insats_page(insats, personas):
    response = personas["processledare_a"].post(
        reverse("projects:payment_request_add", args=[insats.pk]),
        {
            "kind": RequestKind.ADVANCE,
            "period_start": f"{THIS_YEAR}-04",
            "period_end": f"{THIS_YEAR}-06",
            "amount": "100 000",
        },
    )

    request = PaymentRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    assert (request.period_start, request.period_end) == (
        dt.date(THIS_YEAR, 4, 1),
        dt.date(THIS_YEAR, 6, 30),
    )
    refused = personas["processledare_a"].post(
        reverse("projects:payment_request_add", args=[insats.pk]),
        {
            "kind": RequestKind.ADVANCE,
            "period_start": f"{THIS_YEAR}-05",
            "period_end": f"{THIS_YEAR}-06",
            "amount": "1",
        },
    )
    assert "Förskott rekvireras per kvartal enligt beslutet." in refused.content.decode()


def test_the_kansli_sees_what_waits_for_its_sakgranskning(insats, leader, personas):
    request = _quarter(insats, leader)

    dashboard = personas["kansli"].get(reverse("dashboard")).content.decode()
    assert "1 väntar på din sakgranskning" in dashboard
    page = personas["kansli"].get(reverse("projects:payment_request", args=[request.pk]))
    assert "Sakgranskad, skicka för attest" in page.content.decode()
    own = personas["processledare_a"].get(reverse("projects:payment_request", args=[request.pk]))
    assert "Sakgranskad, skicka för attest" not in own.content.decode()


@pytest.mark.parametrize(
    "url_name", ["projects:payment_requests", "projects:payments", "projects:payment_export"]
)
def test_request_and_payment_lists_read_in_the_same_queries_for_many_insatser(
    kansli, economist, personas, url_name
):
    from django.test.utils import CaptureQueriesContext

    client = personas["ekonomi"]
    today = dt.date.today().isoformat()
    url = reverse(url_name) + f"?start={THIS_YEAR}-01-01&end={today}"

    def paid_insats():
        leader = factories.user(roles=("Insatspersonal",))
        project = _granted_insats(kansli, staff=[(leader, StaffRole.PROCESS_LEADER)])
        request = _quarter(project, leader)
        services.payment_request_attest(actor=kansli, request=request)
        services.payment_request_approve(actor=economist, request=request)
        services.payment_register(actor=economist, request=request, paid_on=dt.date.today())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    paid_insats()
    count()  # the first request of a new login does more
    few = count()
    for _ in range(6):
        paid_insats()
    assert count() == few
    assert few <= 15
