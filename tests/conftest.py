"""Personas and shared fixtures.

Each persona is a Django test client logged in with password and second
factor, as a real user of that role would be.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.auth import RECHECK_SESSION_KEY
from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE
from tests import factories

PERSONAS = (
    "anonymous",
    "kansli",
    "processledare_a",
    "processledare_b",
    "styrelseledamot",
    "ekonomi",
    "admin",
)


def verified_client(user, *, recent: bool = True) -> Client:
    """A client logged in as ``user`` who has passed the second factor."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.user = user
    return resumed_client(user, session.session_key, recent=recent)


def resumed_client(user, session_key: str, *, recent: bool = True) -> Client:
    """A new client in the verified session ``session_key`` (made by
    ``verified_client``), so that tests can share one login."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    if recent:  # just verified, as after a login: the second factor counts as recent
        session = client.session
        session[RECHECK_SESSION_KEY] = int(time.time())
        session.save()
    client.user = user
    return client


def _migration_data_back(sender, **kwargs):
    """A transactional test ends with a flush, which empties the tables the
    data migrations filled, and then emits post_migrate: fill them again, so
    that no later test depends on the order the tests ran in (the suite runs
    on several workers, each in its own order)."""
    if sender.label == "finsam":  # once per flush, after finsam's permissions exist
        factories.migration_data_exists()


post_migrate.connect(_migration_data_back, dispatch_uid="tests.migration_data_back")


@pytest.fixture
def federation(db):
    return factories.federation()


@pytest.fixture
def persona_users(db, federation):
    return make_persona_users()


def make_persona_users() -> dict:
    return {
        "kansli": factories.user(username="kansli", full_name="Kim Kansli", roles=(KANSLI,)),
        "processledare_a": factories.user(
            username="pl_a", full_name="Alva Processledare", roles=(INSATSPERSONAL,)
        ),
        "processledare_b": factories.user(
            username="pl_b", full_name="Bo Processledare", roles=(INSATSPERSONAL,)
        ),
        "styrelseledamot": factories.user(
            username="ledamot", full_name="Stina Styrelse", roles=(STYRELSE,)
        ),
        "ekonomi": factories.user(username="ekonomi", full_name="Eva Ekonomi", roles=(EKONOMI,)),
        "admin": factories.user(
            username="admin",
            full_name="Adam Admin",
            roles=(EKONOMI,),
            is_staff=True,
            is_superuser=True,
        ),
    }


@pytest.fixture
def personas(persona_users):
    return Personas(persona_users)


@pytest.fixture
def kansli(personas):
    return personas["kansli"]


@pytest.fixture
def ekonomi(personas):
    return personas["ekonomi"]


@pytest.fixture(autouse=True, scope="module")
def media_root(tmp_path_factory):
    """Uploads land in the module's own directory, never in the checkout."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def empty_queue(transactional_db):
    """The task queue's tables are not Django's to flush between tests: a
    test that uses the real queue starts and ends with no jobs."""
    from django.db import connection

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE procrastinate_jobs, procrastinate_periodic_defers, "
                "procrastinate_workers CASCADE"
            )

    empty()
    yield
    empty()


@contextlib.contextmanager
def shared_data(django_db_blocker):
    """Data made once for a whole module, as Django's ``setUpTestData``: it is
    written in a transaction rolled back after the module's last test, and
    each test runs in a savepoint inside it, so no test sees another's writes.
    Tests get deep copies of the shared instances."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class Personas(dict):
    """The personas' clients, each made when a test first asks for it: a new
    login, or one made once for a module (``sessions``, see ``shared_data``)."""

    def __init__(self, users: dict, sessions: dict | None = None):
        super().__init__()
        self.users, self.sessions = users, sessions or {}

    def __missing__(self, name):
        if name == "anonymous":
            client = Client()
        elif name in self.sessions:
            client = resumed_client(self.users[name], self.sessions[name])
        else:
            client = verified_client(self.users[name])
        self[name] = client
        return client


@pytest.fixture
def secretary(persona_users):
    """The board's secretary: the kansli."""
    return persona_users["kansli"]


@pytest.fixture
def chair(persona_users):
    return persona_users["styrelseledamot"]


@pytest.fixture
def seats(chair):
    """Three ledamöter (the first the ordförande) and an ersättare for each."""
    return factories.board(chair=chair)


# --- The suite's own time, for make bench --------------------------------------
#
# A whole run of the suite (every test, none chosen by path, -k or -m beyond
# the default) that passes leaves its time in .artifacts/suite-timing.json:
# make bench prints it against its target, with the commit it was measured on.

SUITE_TIMING = settings.BASE_DIR / ".artifacts" / "suite-timing.json"
_suite_started = time.monotonic()


def pytest_sessionfinish(session, exitstatus):
    import json
    import subprocess

    config = session.config
    whole = (
        config.args == config.getini("testpaths")
        and not config.option.keyword
        and config.option.markexpr in ("", "not walk")
    )
    if exitstatus != 0 or not whole or getattr(config, "workerinput", None) is not None:
        return
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=settings.BASE_DIR
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    SUITE_TIMING.parent.mkdir(exist_ok=True)
    SUITE_TIMING.write_text(
        json.dumps(
            {
                "seconds": round(time.monotonic() - _suite_started, 1),
                "tests": session.testscollected,
                "commit": commit + ("+" if dirty else ""),
                "finished": time.strftime("%Y-%m-%d %H:%M"),
            }
        )
    )
