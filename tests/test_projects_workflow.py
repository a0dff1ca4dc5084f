"""An application's way from utkast to beslut, and the insats's status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finsam.models import AuditEntry
from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI
from projects import services
from projects.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    BudgetLine,
    Decision,
    GrantedAmount,
    Orientation,
    Project,
    ProjectForm,
    ProjectStatus,
    StaffRole,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def kansli_user(federation):
    return factories.user(roles=(KANSLI,))


@pytest.fixture
def new_application(kansli_user):
    project = factories.project()
    return factories.application(project, budget={2026: 300_000, 2027: 250_000})


def submitted(application, actor):
    return services.application_submit(actor=actor, application=application)


def ready(application, actor):
    application = submitted(application, actor)
    application = services.application_begin_preparation(actor=actor, application=application)
    return services.application_mark_ready(
        actor=actor,
        application=application,
        statement="Beredningsgruppen tillstyrker.",
        recommendation=Decision.GRANT,
    )


class TestRegistration:
    def test_a_new_insats_gets_the_next_diarienummer_of_the_year(self, kansli_user):
        owner, partner = factories.member(), factories.member()
        first = services.project_create_with_application(
            actor=kansli_user,
            project=Project(
                name="Steget vidare",
                orientation=Orientation.INDIVIDUAL,
                form=ProjectForm.PROJECT,
                owner=owner,
                contact_name="Kim Kontakt",
                start_date=dt.date(2027, 1, 1),
                end_date=dt.date(2028, 12, 31),
            ),
            partners=[partner],
        )
        second = factories.project()

        year = TODAY.year
        assert first.project.reference == f"{year}/1"
        assert first.kind == ApplicationKind.NEW
        assert first.status == ApplicationStatus.DRAFT
        assert first.period_start == dt.date(2027, 1, 1)
        assert second.reference == f"{year}/2" or second.reference_year != year

    def test_an_insats_needs_at_least_two_members_taking_part(self, kansli_user):
        owner = factories.member()
        project = Project(
            name="Ensam",
            orientation=Orientation.STRUCTURAL,
            form=ProjectForm.PRESTUDY,
            owner=owner,
            contact_name="Kim",
            start_date=dt.date(2027, 1, 1),
            end_date=dt.date(2027, 6, 30),
        )

        with pytest.raises(ValidationError) as error:
            services.project_create(actor=kansli_user, project=project, partners=[owner])

        assert "Minst två" in str(error.value)
        assert not Project.objects.exists()

    def test_insatspersonal_cannot_register_a_new_insats(self, federation):
        staff = factories.user(roles=(INSATSPERSONAL,))
        project = Project(
            name="X",
            orientation=Orientation.INDIVIDUAL,
            form=ProjectForm.PROJECT,
            owner=factories.member(),
            contact_name="K",
            start_date=dt.date(2027, 1, 1),
            end_date=dt.date(2027, 2, 1),
        )
        with pytest.raises(PermissionDenied):
            services.project_create(actor=staff, project=project, partners=[factories.member()])


class TestSubmission:
    def test_a_complete_draft_is_submitted(self, kansli_user, new_application):
        application = submitted(new_application, kansli_user)

        assert application.status == ApplicationStatus.SUBMITTED
        assert application.submitted_by == kansli_user
        assert application.submitted_at is not None

    def test_an_incomplete_draft_is_refused_with_what_is_missing(self, kansli_user):
        application = factories.application(factories.project(), complete=False)

        with pytest.raises(ValidationError) as error:
            submitted(application, kansli_user)

        messages = " ".join(error.value.messages)
        assert "Ange minst ett mätbart mål." in messages
        assert "Lägg till minst en budgetpost." in messages
        assert "syfte" in messages
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT

    def test_a_budget_year_outside_the_period_is_refused(self, kansli_user):
        project = factories.project(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
        application = factories.application(project, budget={2026: 1000, 2029: 5})

        with pytest.raises(ValidationError) as error:
            submitted(application, kansli_user)

        assert "Budgetåret 2029 ligger utanför den sökta perioden." in error.value.messages

    def test_a_submitted_application_can_no_longer_be_edited(self, kansli_user, new_application):
        application = submitted(new_application, kansli_user)
        application.purpose = "Nytt syfte"

        with pytest.raises(ValidationError, match="inlämnad och kan inte ändras"):
            services.application_update(actor=kansli_user, application=application)

    def test_staff_of_the_insats_may_write_a_supplement_but_not_others(self, kansli_user):
        mine_user = factories.user(roles=(INSATSPERSONAL,))
        other_user = factories.user(roles=(INSATSPERSONAL,))
        project = factories.project(
            status=ProjectStatus.RUNNING, staff=[(mine_user, StaffRole.PROCESS_LEADER)]
        )

        supplement = services.application_create(
            actor=mine_user, project=project, kind=ApplicationKind.SUPPLEMENT
        )

        assert supplement.created_by == mine_user
        with pytest.raises(PermissionDenied):
            services.application_create(
                actor=other_user, project=project, kind=ApplicationKind.SUPPLEMENT
            )

    def test_a_supplement_needs_a_granted_insats(self, kansli_user):
        project = factories.project(status=ProjectStatus.APPLIED)

        with pytest.raises(ValidationError, match="beviljad eller pågående"):
            services.application_create(
                actor=kansli_user, project=project, kind=ApplicationKind.SUPPLEMENT
            )


class TestPreparationAndDecision:
    def test_the_preparation_records_the_yttrande_and_recommendation(
        self, kansli_user, new_application
    ):
        application = ready(new_application, kansli_user)

        assert application.status == ApplicationStatus.READY
        assert application.preparation_statement == "Beredningsgruppen tillstyrker."
        assert application.recommendation == Decision.GRANT

    def test_ready_needs_a_yttrande(self, kansli_user, new_application):
        application = services.application_begin_preparation(
            actor=kansli_user, application=submitted(new_application, kansli_user)
        )
        with pytest.raises(ValidationError):
            services.application_mark_ready(
                actor=kansli_user, application=application, statement=" ", recommendation=""
            )

    def test_granting_a_new_application_grants_the_insats_with_its_budget(
        self, kansli_user, new_application
    ):
        application = ready(new_application, kansli_user)

        services.application_decide(
            actor=kansli_user,
            application=application,
            decision=Decision.GRANT,
            decided_on=TODAY,
            reference="Styrelsen § 12",
        )

        application.refresh_from_db()
        project = application.project
        project.refresh_from_db()
        assert application.status == ApplicationStatus.GRANTED
        assert application.decision_reference == "Styrelsen § 12"
        assert project.status == ProjectStatus.GRANTED
        assert dict(GrantedAmount.objects.values_list("year", "amount")) == {
            2026: Decimal(300_000),
            2027: Decimal(250_000),
        }
        assert BudgetLine.objects.filter(project=project).count() == 2

    def test_a_partial_grant_records_what_was_granted_per_year(self, kansli_user, new_application):
        application = ready(new_application, kansli_user)

        services.application_decide(
            actor=kansli_user,
            application=application,
            decision=Decision.GRANT_PARTLY,
            decided_on=TODAY,
            granted={2026: Decimal(200_000), 2027: Decimal(250_000)},
        )

        assert dict(GrantedAmount.objects.values_list("year", "amount")) == {
            2026: Decimal(200_000),
            2027: Decimal(250_000),
        }
        application.refresh_from_db()
        assert application.status == ApplicationStatus.PARTLY_GRANTED

    @pytest.mark.parametrize(
        "granted, message",
        [
            ({2026: 400_000, 2027: 250_000}, "högst det sökta beloppet"),
            ({2026: 300_000, 2027: 250_000}, "Välj ”Bevilja” i stället"),
            ({2026: 100_000}, "Ange beviljat belopp för 2027"),
            ({2026: 1, 2027: 1, 2030: 5}, "ingen sökt budget för 2030"),
        ],
    )
    def test_a_wrong_partial_grant_is_refused(self, kansli_user, new_application, granted, message):
        application = ready(new_application, kansli_user)

        with pytest.raises(ValidationError, match=message):
            services.application_decide(
                actor=kansli_user,
                application=application,
                decision=Decision.GRANT_PARTLY,
                decided_on=TODAY,
                granted={y: Decimal(a) for y, a in granted.items()},
            )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.READY
        assert not GrantedAmount.objects.exists()

    def test_a_rejected_new_application_leaves_the_insats_rejected(
        self, kansli_user, new_application
    ):
        application = ready(new_application, kansli_user)

        services.application_decide(
            actor=kansli_user, application=application, decision=Decision.REJECT, decided_on=TODAY
        )

        application.project.refresh_from_db()
        assert application.project.status == ProjectStatus.REJECTED
        assert not BudgetLine.objects.exists()

    def test_aterremiss_sends_the_application_back_to_draft_with_the_reason(
        self, kansli_user, new_application
    ):
        application = ready(new_application, kansli_user)

        services.application_decide(
            actor=kansli_user,
            application=application,
            decision=Decision.REFER_BACK,
            decided_on=TODAY,
            note="Budgeten för 2027 behöver motiveras.",
        )

        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT
        assert application.return_reason == "Budgeten för 2027 behöver motiveras."
        assert AuditEntry.objects.filter(message__startswith="Återremitterad").exists()

    def test_aterremiss_needs_a_reason(self, kansli_user, new_application):
        application = ready(new_application, kansli_user)
        with pytest.raises(ValidationError, match="skälet"):
            services.application_decide(
                actor=kansli_user,
                application=application,
                decision=Decision.REFER_BACK,
                decided_on=TODAY,
            )

    def test_a_granted_supplement_adds_to_the_budget_of_the_insats(self, kansli_user):
        project = factories.project(status=ProjectStatus.RUNNING)
        supplement = factories.application(
            project, kind=ApplicationKind.SUPPLEMENT, budget={2026: 70_000}
        )

        services.application_decide(
            actor=kansli_user,
            application=ready(supplement, kansli_user),
            decision=Decision.GRANT,
            decided_on=TODAY,
        )

        project.refresh_from_db()
        assert project.status == ProjectStatus.RUNNING
        assert BudgetLine.objects.get(project=project).amount == 70_000

    def test_a_granted_continuation_extends_the_insats(self, kansli_user):
        project = factories.project(status=ProjectStatus.RUNNING, end_date=dt.date(2026, 12, 31))
        continuation = factories.application(
            project,
            kind=ApplicationKind.CONTINUATION,
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
            budget={2027: 480_000},
        )

        services.application_decide(
            actor=kansli_user,
            application=ready(continuation, kansli_user),
            decision=Decision.GRANT,
            decided_on=TODAY,
        )

        project.refresh_from_db()
        assert project.end_date == dt.date(2027, 12, 31)


ALL_STEPS = {
    "submit": lambda a, u: services.application_submit(actor=u, application=a),
    "begin_preparation": lambda a, u: services.application_begin_preparation(
        actor=u, application=a
    ),
    "mark_ready": lambda a, u: services.application_mark_ready(
        actor=u, application=a, statement="Yttrande", recommendation=Decision.GRANT
    ),
    "decide": lambda a, u: services.application_decide(
        actor=u, application=a, decision=Decision.GRANT, decided_on=TODAY
    ),
}
LEGAL_FROM = {
    "submit": ApplicationStatus.DRAFT,
    "begin_preparation": ApplicationStatus.SUBMITTED,
    "mark_ready": ApplicationStatus.IN_PREPARATION,
    "decide": ApplicationStatus.READY,
}


ILLEGAL = [
    (step, status.value)
    for step in sorted(ALL_STEPS)
    for status in ApplicationStatus
    if LEGAL_FROM[step] != status
]


@pytest.mark.parametrize("step, status", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(kansli_user, step, status):
    application = factories.application(factories.project(), status=status, decided_on=TODAY)

    with pytest.raises(ValidationError, match="kan inte bli"):
        ALL_STEPS[step](application, kansli_user)

    application.refresh_from_db()
    assert application.status == status


@pytest.mark.parametrize("step", ["begin_preparation", "mark_ready", "decide"])
@pytest.mark.parametrize("role", [INSATSPERSONAL, EKONOMI])
def test_only_the_kansli_prepares_and_decides(federation, step, role):
    actor = factories.user(roles=(role,))
    application = factories.application(factories.project(), status=LEGAL_FROM[step])

    with pytest.raises(PermissionDenied):
        ALL_STEPS[step](application, actor)


def test_every_transition_is_in_the_audit_log_with_its_actor(kansli_user, new_application):
    ready(new_application, kansli_user)

    entries = AuditEntry.objects.filter(
        table_name=Application._meta.db_table, object_id=str(new_application.pk), action="update"
    )
    statuses = [e.new_values.get("status") for e in entries.order_by("id")]
    assert statuses == ["inlamnad", "under_beredning", "redo_for_beslut"]
    assert {e.actor_id for e in entries} == {kansli_user.pk}


class TestInsatsStatus:
    def test_a_granted_insats_starts_but_finishes_only_when_it_is_closed(self, kansli_user):
        project = factories.project(status=ProjectStatus.GRANTED)

        project = services.project_change_status(
            actor=kansli_user, project=project, transition="start"
        )
        assert project.status == ProjectStatus.RUNNING
        with pytest.raises(ValidationError, match="Slutredovisningen är inte gjord"):
            services.project_change_status(actor=kansli_user, project=project, transition="finish")

    def test_an_insats_under_application_cannot_start(self, kansli_user):
        project = factories.project(status=ProjectStatus.APPLIED)
        with pytest.raises(ValidationError, match="kan inte bli pågående"):
            services.project_change_status(actor=kansli_user, project=project, transition="start")

    def test_cancelling_needs_a_reason(self, kansli_user):
        project = factories.project(status=ProjectStatus.RUNNING)
        with pytest.raises(ValidationError):
            services.project_change_status(actor=kansli_user, project=project, transition="cancel")
        project = services.project_change_status(
            actor=kansli_user, project=project, transition="cancel", note="Huvudmannen drog sig ur."
        )
        assert project.status == ProjectStatus.CANCELLED
