"""What the operator of several app servers needs: one JSON line per request
that says who asked for what and how it went, and nothing personal; and
uploaded files that any app server can serve."""

import datetime as dt
import json
import logging

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def request_log():
    logger = logging.getLogger("finsam.requests")
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_one_json_line_with_its_id_user_status_and_time(
    personas, persona_users, request_log
):
    kansli = personas["kansli"]
    response = kansli.get("/deltagare/?q=D-ABC123", HTTP_X_REQUEST_ID="lb-7f3a9c21")

    line = request_log[-1]
    assert line["request_id"] == "lb-7f3a9c21" == response["X-Request-ID"]
    assert line["user_id"] == persona_users["kansli"].pk
    assert line["method"] == "GET" and line["status"] == response.status_code
    assert line["duration_ms"] >= 0
    # The path only: a search in the query string may hold a participant's code.
    assert line["path"] == "/deltagare/" and "D-ABC123" not in json.dumps(line)


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, request_log):
    factories.federation()
    response = client.get("/konto/logga-in/", HTTP_X_REQUEST_ID="<script>")

    assert request_log[-1]["request_id"] == response["X-Request-ID"] != "<script>"
    assert request_log[-1]["user_id"] is None


def test_an_uploaded_handling_is_kept_in_the_database_not_on_the_app_server_s_disk(
    personas, persona_users, settings, tmp_path
):
    import io

    from django.urls import reverse

    from board.models import MeetingDocument
    from finsam.models import StoredFile

    settings.MEDIA_ROOT = tmp_path
    meeting = factories.meeting(actor=persona_users["kansli"], date=dt.date(2026, 12, 17))
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload = io.BytesIO(content)
    upload.name = "Budget 2027.pdf"

    personas["kansli"].post(reverse("board:document_add", args=[meeting.pk]), {"file": upload})

    document = MeetingDocument.objects.get(meeting=meeting)
    assert StoredFile.objects.get(name=document.file.name).size == len(content)
    assert list(tmp_path.iterdir()) == []  # nothing on this server's disk
    download = personas["kansli"].get(reverse("board:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == content


def test_the_nightly_clean_up_removes_what_has_served_its_time_and_nothing_else(db):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from finsam import housekeeping
    from finsam.models import Mail, MailStatus
    from reports.models import Rendering

    now = timezone.now()
    Session.objects.create(session_key="gammal", session_data="", expire_date=now - dt.timedelta(1))
    Session.objects.create(
        session_key="levande", session_data="", expire_date=now + dt.timedelta(1)
    )

    def mail(to, status, sent_days_ago=None):
        sent_at = now - dt.timedelta(days=sent_days_ago) if sent_days_ago is not None else None
        return Mail.objects.create(
            topic="t", to=to, subject="s", body="b", status=status, sent_at=sent_at
        )

    old = mail("a@example.test", MailStatus.SENT, sent_days_ago=91)
    recent = mail("b@example.test", MailStatus.SENT, sent_days_ago=5)
    failed = mail("c@example.test", MailStatus.FAILED)

    reader = factories.user(username="vera")
    files = [
        Rendering.objects.create(requested_by=reader, what="PDF", filename=f"{age}.pdf")
        for age in ("ny", "gammal")
    ]
    Rendering.objects.filter(pk=files[1].pk).update(created_at=now - dt.timedelta(hours=25))

    counts = housekeeping.clean_up()

    assert counts["sessioner"] == 1 and counts["e-post"] == 1 and counts["filer"] == 1
    assert list(Rendering.objects.values_list("filename", flat=True)) == ["ny.pdf"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["levande"]
    assert set(Mail.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}
    assert not Mail.objects.filter(pk=old.pk).exists()
