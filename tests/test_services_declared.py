"""Every write service is one declaration (finsam.lib.services.service):
atomic, its actor's right checked before anything is written, the actor
named for the audit log."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.core.exceptions import PermissionDenied

from finsam.lib.services import service
from finsam.models import AuditEntry

SERVICE_MODULES = (
    "finsam.services",
    "finsam.housekeeping",
    "finsam.choice_lists",
    "projects.services",
    "projects.exchange",
    "projects.cost_import",
    "participants.services",
    "participants.exchange",
    "board.services",
    "reports.services",
    "reports.rendering",
    "overview.services",
)
# Functions that take an actor but write nothing of their own: rules, reads,
# builders, the audit log's own writer, and reads whose only write is the
# log of the look (they check the right to look first).
NOT_SERVICES = {
    "finsam.services": {"log_event", "grantable_roles", "may_administer", "pending_upload_get"},
    "participants.services": {"enrolment_build", "identity_of", "register_extract"},
    "participants.exchange": {"participations_import_preview"},
}


def _modules():
    """The service modules, and each module of a service package."""
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        yield name, module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield name, importlib.import_module(f"{name}.{info.name}")


def test_every_function_that_acts_for_a_user_is_a_declared_service():
    undeclared, seen = [], 0
    for name, module in _modules():
        for attr, func in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(func):
                continue
            if func.__module__ != module.__name__:
                continue
            if "actor" not in inspect.signature(func).parameters:
                continue
            seen += 1
            if not hasattr(func, "allowed") and attr not in NOT_SERVICES.get(name, ()):
                undeclared.append(f"{module.__name__}.{attr}")

    assert seen > 60, "the walk should find every service"
    assert not undeclared, f"write services without @service: {undeclared}"


def test_a_service_refuses_before_it_writes_and_without_an_actor(db, persona_users):
    from projects import services

    written = []

    @service(lambda user: user.is_superuser)
    def write(*, actor):
        written.append(actor)

    with pytest.raises(PermissionDenied):
        write(actor=persona_users["kansli"])
    with pytest.raises(PermissionDenied):
        write(actor=None)
    write(actor=persona_users["admin"])

    assert written == [persona_users["admin"]]
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(actor=None, line=None)


def test_a_service_names_its_actor_for_the_audit_log(db, persona_users):
    from finsam import services
    from tests import factories

    member = factories.member()
    member.name = "Nytt namn"

    services.member_save(actor=persona_users["kansli"], member=member)

    entry = AuditEntry.objects.filter(table_name="finsam_member").latest("id")
    assert entry.actor_id == persona_users["kansli"].pk


def test_the_permission_is_given_the_arguments_it_names(db, persona_users):
    @service(lambda user, project, imported=False: (project, imported) == ("p", True))
    def enrol(*, actor, project, imported=False, note=""):
        return "enrolled"

    assert enrol(actor=persona_users["kansli"], project="p", imported=True, note="x") == "enrolled"
    with pytest.raises(PermissionDenied):
        enrol(actor=persona_users["kansli"], project="p")
