"""Personas and shared fixtures.

Each persona is a Django test client logged in with password and second
factor, as a real user of that role would be.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
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
    if recent:  # just verified, as after a login: the second factor counts as recent
        session[RECHECK_SESSION_KEY] = int(time.time())
    session.save()
    client.user = user
    return client


@pytest.fixture
def federation(db):
    return factories.federation()


@pytest.fixture
def persona_users(db, federation):
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
    clients = {name: verified_client(u) for name, u in persona_users.items()}
    clients["anonymous"] = Client()
    return clients


@pytest.fixture
def kansli(personas):
    return personas["kansli"]


@pytest.fixture
def ekonomi(personas):
    return personas["ekonomi"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads land in the test's own directory, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
