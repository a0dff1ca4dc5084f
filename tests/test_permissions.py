"""Every URL, every persona: the status each must get.

The test walks the project's URL resolver, so a new view without a row here
fails the suite: no view can ship without its access rule being decided.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS

STAFF = ("kansli", "processledare_a", "processledare_b", "styrelseledamot", "ekonomi", "admin")


def expect(default: int | None = None, *, anonymous: int = 302, **statuses: int) -> dict:
    """Statuses per persona: ``default`` for staff not named, 302 (to login) for anonymous."""
    table = {persona: default for persona in STAFF}
    table.update(statuses)
    table["anonymous"] = anonymous
    return table


def only(*allowed: str, status: int = 200, others: int = 403) -> dict:
    """Roles that may use the page; the superuser (admin) may use everything."""
    return expect(others, **{persona: status for persona in (*allowed, "admin")})


def only_in_scope(*allowed: str, status: int = 200) -> dict:
    """A role's page about insats A: processledare B, who cannot see insats A,
    is told it does not exist (404); A's own processledare, who sees it but
    lacks the role, is refused (403)."""
    return only(*allowed, status=status) | {"processledare_b": 404}


# The areas, and who may use each. Without the area's permission nothing in
# it is in one's scope: a page about one object answers 404, not 403
# (finsam.views.scoped; README, "Åtkomst").
AREA_MEMBERS = {
    "projects": {"kansli", "processledare_a", "processledare_b", "ekonomi", "admin"},
    "participants": {"kansli", "processledare_a", "processledare_b", "admin"},
    "board": {"kansli", "styrelseledamot", "admin"},
    "reports": {"kansli", "processledare_a", "processledare_b", "ekonomi", "admin"},
}
ADMINISTRATION_AREAS = {
    "administration:user": {"ekonomi", "admin"},
    "administration:user_deactivate": {"ekonomi", "admin"},
    "administration:user_reactivate": {"ekonomi", "admin"},
    "administration:member": {"kansli", "ekonomi", "admin"},
    "administration:choice": {"kansli", "ekonomi", "admin"},
    "administration:choice_delete": {"kansli", "ekonomi", "admin"},
    "administration:job_retry": {"ekonomi", "admin"},
}


def _a_category():
    from tests import factories

    return factories.category("Övrigt")


def _names_an_object(url_name: str) -> bool:
    pattern = next(p for n, p in all_url_patterns() if n == url_name)
    return bool(re.search(r"<(?:int:)?(?:pk|\w+_pk)>", pattern))


def expected_status(url_name: str, persona: str) -> int:
    """The row's status, with the area rule applied: outside the area, 404."""
    status = MATRIX[url_name].statuses[persona]
    members = ADMINISTRATION_AREAS.get(url_name) or AREA_MEMBERS.get(url_name.split(":")[0])
    if status == 403 and members and persona not in members and _names_an_object(url_name):
        return 404
    return status


@dataclass
class Row:
    statuses: dict
    args: callable = field(default=lambda objects: [])
    method: str = "get"


MANAGE_FEDERATION = ("kansli", "ekonomi", "admin")
USE_PROJECTS = ("kansli", "processledare_a", "processledare_b", "ekonomi")
APPLICATIONS = ("kansli",)
BUDGETS = ("kansli", "ekonomi")
# Seen by those who see every insats, and by the insats's own staff.
IN_SCOPE = expect(403, kansli=200, processledare_a=200, processledare_b=404, ekonomi=200, admin=200)


def project_args(objects):
    return [objects["project"].pk]


def application_args(objects):
    return [objects["application"].pk]


MANAGE_USERS = ("ekonomi", "admin")
PARTICIPANTS = ("kansli", "processledare_a", "processledare_b")
PARTICIPANTS_IN_SCOPE = expect(403, kansli=200, processledare_a=200, processledare_b=404, admin=200)


def participation_args(objects):
    return [objects["participation"].pk]


BOARD = ("kansli", "styrelseledamot")
MEETINGS = ("kansli",)


def meeting_args(objects):
    return [objects["meeting"].pk]


def minutes_args(objects):
    return [objects["minutes"].pk]


def paragraph_args(objects):
    return [objects["paragraph"].pk]


REPORTS = ("kansli", "processledare_a", "processledare_b", "ekonomi")
# A report of processledare A's insats: the kansli and ekonomi see every one,
# the board sees the approved ones.
REPORT_SEEN = expect(
    403,
    kansli=200,
    processledare_a=200,
    processledare_b=404,
    ekonomi=200,
    styrelseledamot=404,
    admin=200,
)
# Writing it: its own staff and the kansli; ekonomi reads only.
REPORT_WRITE = expect(403, kansli=302, processledare_a=302, processledare_b=404, admin=302)
# A writer's form sent empty comes back with its errors (200).
REPORT_FORM = expect(403, kansli=200, processledare_a=200, processledare_b=404, admin=200)
REPORT_APPROVE = expect(403, kansli=302, processledare_b=404, admin=302)


def report_args(objects):
    return [objects["report"].pk]


def submitted_report_args(objects):
    return [objects["submitted_report"].pk]


MATRIX: dict[str, Row] = {
    "dashboard": Row(expect(200)),
    "ping": Row(expect(200, anonymous=200)),
    "healthz": Row(expect(200, anonymous=200)),
    "accessibility": Row(expect(200, anonymous=200)),
    # Account pages: public ones answer everyone; the rest need a login.
    "account:login": Row(expect(200, anonymous=200)),
    "account:logout": Row(expect(302), method="post"),
    "account:otp_verify": Row(expect(302)),  # already verified: straight on
    "account:otp_setup": Row(expect(302)),  # already enrolled: to verification
    "account:recheck": Row(expect(200)),
    "account:profile": Row(expect(200)),
    "account:backup_codes": Row(expect(200)),  # the personas gave the second factor just now
    "account:password_change": Row(expect(200)),
    "account:password_reset": Row(expect(200, anonymous=200)),
    "account:password_reset_done": Row(expect(200, anonymous=200)),
    "account:password_reset_confirm": Row(
        expect(200, anonymous=200), args=lambda o: ["MQ", "fel-token"]
    ),
    "account:password_reset_complete": Row(expect(200, anonymous=200)),
    # Areas of the menu.
    "participants:index": Row(only(*PARTICIPANTS)),
    "board:index": Row(only(*BOARD)),
    "reports:index": Row(only(*REPORTS)),
    # Administration.
    "administration:index": Row(only("kansli", "ekonomi", "admin")),
    "administration:users": Row(only(*MANAGE_USERS)),
    "administration:jobs": Row(only(*MANAGE_USERS)),
    "administration:job_retry": Row(
        only(*MANAGE_USERS, status=302), args=lambda o: [0], method="post"
    ),
    "administration:user_create": Row(only(*MANAGE_USERS)),
    "administration:user": Row(only(*MANAGE_USERS), args=lambda o: [o["target"].pk]),
    "administration:user_deactivate": Row(
        only(*MANAGE_USERS, status=302), args=lambda o: [o["target"].pk], method="post"
    ),
    "administration:user_reactivate": Row(
        only(*MANAGE_USERS, status=302), args=lambda o: [o["target"].pk], method="post"
    ),
    "administration:federation": Row(only(*MANAGE_FEDERATION)),
    "administration:members": Row(only(*MANAGE_FEDERATION)),
    "administration:member_create": Row(only(*MANAGE_FEDERATION)),
    "administration:member": Row(only(*MANAGE_FEDERATION), args=lambda o: [o["member"].pk]),
    "administration:contributions": Row(only(*MANAGE_FEDERATION)),
    "administration:contributions_year": Row(only(*MANAGE_FEDERATION), args=lambda o: [2026]),
    "administration:audit_log": Row(only("kansli", "ekonomi", "admin")),
    "administration:choice_lists": Row(only(*MANAGE_FEDERATION)),
    "administration:choice_list": Row(only(*MANAGE_FEDERATION), args=lambda o: ["kostnadsslag"]),
    "administration:choice": Row(
        only(*MANAGE_FEDERATION), args=lambda o: ["kostnadsslag", _a_category().pk]
    ),
    "administration:choice_delete": Row(
        only(*MANAGE_FEDERATION, status=302),
        args=lambda o: ["kostnadsslag", _a_category().pk],
        method="post",
    ),
    # Insatser. Processledare A works in the insats; B does not (404).
    "projects:index": Row(only(*USE_PROJECTS)),
    "projects:inbox": Row(only(*APPLICATIONS)),
    "projects:create": Row(only(*APPLICATIONS)),
    "projects:detail": Row(IN_SCOPE, args=project_args),
    "projects:applications": Row(IN_SCOPE, args=project_args),
    "projects:goals": Row(IN_SCOPE, args=project_args),
    "projects:documents": Row(IN_SCOPE, args=project_args),
    "projects:history": Row(IN_SCOPE, args=project_args),
    "projects:budget": Row(IN_SCOPE, args=project_args),
    "projects:edit": Row(only_in_scope(*APPLICATIONS), args=project_args),
    "projects:staff_add": Row(
        only_in_scope(*APPLICATIONS, status=200), args=project_args, method="post"
    ),
    "projects:staff_remove": Row(
        only_in_scope(*APPLICATIONS, status=302), args=lambda o: [o["staff"].pk], method="post"
    ),
    "projects:status": Row(
        only_in_scope(*APPLICATIONS, status=302), args=project_args, method="post"
    ),
    # The insats's own staff may write follow-up applications; ekonomi may not.
    "projects:application_new": Row(
        expect(403, kansli=200, processledare_a=200, processledare_b=404, admin=200),
        args=project_args,
    ),
    "projects:budget_line_add": Row(only_in_scope(*BUDGETS), args=project_args),
    "projects:cost_add": Row(only_in_scope(*BUDGETS, status=200), args=project_args, method="post"),
    "projects:forecast": Row(only_in_scope(*BUDGETS), args=lambda o: [o["project"].pk, 2026]),
    "projects:export_project": Row(only_in_scope(*BUDGETS), args=project_args),
    "projects:budget_line": Row(only_in_scope(*BUDGETS), args=lambda o: [o["budget_line"].pk]),
    "projects:cost_delete": Row(
        only_in_scope(*BUDGETS, status=302), args=lambda o: [o["cost"].pk], method="post"
    ),
    "projects:federation_year_current": Row(only(*BUDGETS)),
    "projects:federation_year": Row(only(*BUDGETS), args=lambda o: [2026]),
    "projects:export_year": Row(only(*BUDGETS), args=lambda o: [2026]),
    "projects:federation_economy": Row(
        only(*MANAGE_FEDERATION, status=302), args=lambda o: [2026], method="post"
    ),
    "projects:import": Row(only(*BUDGETS)),
    "projects:application": Row(IN_SCOPE, args=application_args),
    # Rapportkrav: Bevakning for everyone in Insatser (scoped), changes by the kansli.
    "projects:watch": Row(only(*USE_PROJECTS)),
    "projects:watch_export": Row(only(*USE_PROJECTS)),
    "projects:obligations": Row(IN_SCOPE, args=project_args),
    "projects:obligation": Row(IN_SCOPE, args=lambda o: [o["obligation"].pk]),
    "projects:obligation_add": Row(
        only_in_scope(*APPLICATIONS, status=200), args=project_args, method="post"
    ),
    "projects:obligation_move": Row(
        only_in_scope(*APPLICATIONS, status=200),
        args=lambda o: [o["obligation"].pk],
        method="post",
    ),
    "projects:obligation_waive": Row(
        only_in_scope(*APPLICATIONS, status=200),
        args=lambda o: [o["obligation"].pk],
        method="post",
    ),
    # Rekvisitioner: the insats's staff request, the kansli attests, the ekonom approves.
    "projects:payment_requests_of": Row(IN_SCOPE, args=project_args),
    "projects:payment_request_add": Row(
        expect(403, kansli=200, processledare_a=200, processledare_b=404, admin=200),
        args=project_args,
        method="post",
    ),
    "projects:payment_requests": Row(only(*USE_PROJECTS)),
    "projects:payment_request": Row(IN_SCOPE, args=lambda o: [o["payment_request"].pk]),
    # A step of another role is refused (403); one that is not due now is
    # refused with a message (302), an empty form comes back (200).
    "projects:payment_attest": Row(
        only_in_scope("kansli", status=302),
        args=lambda o: [o["payment_request"].pk],
        method="post",
    ),
    "projects:payment_approve": Row(
        only_in_scope("ekonomi", status=302),
        args=lambda o: [o["payment_request"].pk],
        method="post",
    ),
    "projects:payment_return": Row(
        only_in_scope("kansli", "ekonomi"), args=lambda o: [o["payment_request"].pk], method="post"
    ),
    # Only the one who requested (processledare A) sends a request again.
    "projects:payment_resubmit": Row(
        expect(403, processledare_a=200, processledare_b=404),
        args=lambda o: [o["payment_request"].pk],
        method="post",
    ),
    "projects:payment_register": Row(
        only_in_scope("ekonomi"), args=lambda o: [o["payment_request"].pk], method="post"
    ),
    "projects:settlement": Row(
        only_in_scope(*BUDGETS, status=302), args=project_args, method="post"
    ),
    "projects:refund_paid": Row(
        only_in_scope("ekonomi", status=302), args=lambda o: [o["refund"].pk], method="post"
    ),
    "projects:distribute": Row(only_in_scope(*BUDGETS), args=lambda o: [o["project"].pk, 2026]),
    "projects:carry_over": Row(
        only_in_scope(*APPLICATIONS, status=302), args=application_args, method="post"
    ),
    "projects:payments": Row(only(*BUDGETS)),
    "projects:payment_export": Row(only(*BUDGETS)),
    "projects:conditions": Row(
        only_in_scope(*APPLICATIONS, status=302), args=application_args, method="post"
    ),
    "projects:attachment": Row(IN_SCOPE, args=lambda o: [o["attachment"].pk]),
    # A new application is the kansli's to write; processledare A sees it but may not.
    "projects:application_section": Row(
        expect(403, kansli=200, processledare_b=404, admin=200),
        args=lambda o: [o["application"].pk, "bakgrund"],
    ),
    "projects:application_item_delete": Row(
        expect(403, kansli=302, processledare_b=404, admin=302),
        args=lambda o: [o["application"].pk, "mal", o["goal"].pk],
        method="post",
    ),
    "projects:application_submit": Row(
        expect(403, kansli=302, processledare_b=404, admin=302),
        args=application_args,
        method="post",
    ),
    "projects:application_prepare": Row(
        only_in_scope(*APPLICATIONS, status=302), args=application_args, method="post"
    ),
    "projects:application_ready": Row(
        only_in_scope(*APPLICATIONS, status=302), args=application_args, method="post"
    ),
    "projects:application_decide": Row(
        only_in_scope(*APPLICATIONS, status=302), args=application_args, method="post"
    ),
    # Deltagare. Processledare A works in the insats; B does not (404). The
    # kansli follows every participation pseudonymously but does not write them.
    "participants:enrol": Row(
        expect(403, processledare_a=200, processledare_b=404), args=project_args
    ),
    "participants:detail": Row(PARTICIPANTS_IN_SCOPE, args=participation_args),
    "participants:status_add": Row(
        expect(403, processledare_a=200, processledare_b=404),
        args=participation_args,
        method="post",
    ),
    "participants:close": Row(
        expect(403, processledare_a=200, processledare_b=404), args=participation_args
    ),
    "participants:withdraw": Row(
        expect(403, processledare_a=200, processledare_b=404), args=participation_args
    ),
    "participants:reopen": Row(
        expect(403, kansli=302, processledare_b=404, admin=302),
        args=participation_args,
        method="post",
    ),
    "participants:delete_mistake": Row(
        expect(403, kansli=302, processledare_b=404, admin=302),
        args=participation_args,
        method="post",
    ),
    # Identified mode is off by default: there is no registerutdrag to give.
    "participants:register_extract": Row(
        expect(403, kansli=404, processledare_a=404, processledare_b=404, admin=404),
        args=participation_args,
    ),
    "participants:statistics": Row(only(*PARTICIPANTS)),
    "participants:statistics_export": Row(only(*PARTICIPANTS)),
    "participants:followup_export": Row(only(*PARTICIPANTS), args=lambda o: [2026]),
    "participants:import": Row(only(*PARTICIPANTS)),
    # Styrelsen. The kansli prepares and writes; the board reads what is sent
    # out; the protocol's own signers (here the styrelseledamot) justerar.
    "board:members": Row(only(*BOARD)),
    "board:membership": Row(only(*MEETINGS), args=lambda o: [o["seat"].pk]),
    "board:search": Row(only(*BOARD)),
    "board:meeting_create": Row(only(*MEETINGS)),
    "board:meeting": Row(only(*BOARD), args=meeting_args),
    "board:meeting_edit": Row(only(*MEETINGS), args=meeting_args),
    "board:meeting_ics": Row(only(*BOARD), args=meeting_args),
    "board:notice_send": Row(only(*MEETINGS, status=302), args=meeting_args, method="post"),
    "board:notice_resend": Row(
        only(*MEETINGS, status=302), args=lambda o: [*meeting_args(o), 0], method="post"
    ),
    "board:agenda_add": Row(only(*MEETINGS, status=200), args=meeting_args, method="post"),
    "board:agenda_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["agenda_item"].pk], method="post"
    ),
    "board:document_add": Row(only(*MEETINGS, status=200), args=meeting_args, method="post"),
    "board:document_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["document"].pk], method="post"
    ),
    "board:meeting_cancel": Row(only(*MEETINGS, status=302), args=meeting_args, method="post"),
    "board:meeting_delete": Row(only(*MEETINGS, status=302), args=meeting_args, method="post"),
    "board:document": Row(only(*BOARD), args=lambda o: [o["document"].pk]),
    "board:application_pdf": Row(only(*BOARD), args=lambda o: [o["ready"].pk]),
    "board:minutes_create": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["past_meeting"].pk], method="post"
    ),
    "board:minutes": Row(only(*BOARD), args=minutes_args),
    "board:minutes_update": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:attendance_add": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:attendance_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["attendance"].pk], method="post"
    ),
    "board:signers": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:paragraph_add": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:paragraph": Row(only(*BOARD), args=paragraph_args),
    "board:paragraph_delete": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:paragraph_move": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:paragraph_attach": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:extract_pdf": Row(only(*BOARD), args=lambda o: [o["justerat"].paragraphs.first().pk]),
    "board:minutes_send": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:minutes_take_back": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    # A draft has no kept PDF: the page sends the reader back to the protocol,
    # where the draft is ordered as a PDF.
    "board:minutes_pdf": Row(only(*BOARD, status=302), args=minutes_args),
    "board:minutes_pdf_order": Row(only(*BOARD, status=302), args=minutes_args, method="post"),
    # Only the protocol's signers: others who use the board get 404.
    "board:justering": Row(
        expect(403, kansli=404, styrelseledamot=200, admin=404), args=minutes_args
    ),
    "board:correction": Row(
        expect(403, kansli=404, styrelseledamot=302, admin=404), args=minutes_args, method="post"
    ),
    # How a § was handled: the kansli records it, in a draft (here the
    # protocol is out for justering, so each write is refused with a message).
    "board:recusal_add": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:partly_present_add": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:presence_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["partial"].pk], method="post"
    ),
    "board:motion_add": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:motion_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["motion"].pk], method="post"
    ),
    "board:proposition_add": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:proposition_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["proposition"].pk], method="post"
    ),
    "board:vote_record": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["proposition"].pk], method="post"
    ),
    "board:vote_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["vote"].pk], method="post"
    ),
    "board:reservation_add": Row(only(*MEETINGS, status=302), args=paragraph_args, method="post"),
    "board:reservation_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["reservation"].pk], method="post"
    ),
    "board:delegations_report": Row(only(*MEETINGS, status=302), args=minutes_args, method="post"),
    "board:delegation": Row(only(*MEETINGS)),
    # A § justerad omedelbart: its signing page is its signers' (the styrelseledamot chairs).
    "board:paragraph_justering": Row(
        expect(403, kansli=404, styrelseledamot=200, admin=404),
        args=lambda o: [o["immediate"].pk],
    ),
    "board:correction_create": Row(
        only(*MEETINGS, status=302),
        args=lambda o: [o["justerat"].paragraphs.first().pk],
        method="post",
    ),
    "board:correction_doc": Row(only(*BOARD), args=lambda o: [o["correction"].pk]),
    "board:correction_delete": Row(
        only(*MEETINGS, status=302), args=lambda o: [o["correction"].pk], method="post"
    ),
    # Rapporter.
    "reports:create": Row(only(*REPORTS)),
    "reports:detail": Row(REPORT_SEEN, args=report_args),
    "reports:preview": Row(REPORT_SEEN, args=report_args),
    "reports:heading": Row(REPORT_FORM, args=report_args, method="post"),
    "reports:section": Row(
        REPORT_WRITE, args=lambda o: [o["report"].pk, "sammanfattning"], method="post"
    ),
    "reports:outcome": Row(
        REPORT_WRITE, args=lambda o: [o["report"].pk, o["goal"].pk], method="post"
    ),
    "reports:submit": Row(REPORT_WRITE, args=report_args, method="post"),
    "reports:delete": Row(REPORT_WRITE, args=report_args, method="post"),
    "reports:new_version": Row(REPORT_WRITE, args=submitted_report_args, method="post"),
    "reports:approve": Row(REPORT_APPROVE, args=submitted_report_args, method="post"),
    "reports:send_back": Row(REPORT_APPROVE, args=submitted_report_args, method="post"),
    # An approved report is a handling for the board too.
    "reports:pdf": Row(
        expect(302, processledare_b=404), args=lambda o: [o["approved_report"].pk], method="post"
    ),
    "overview:year_current": Row(only(*BUDGETS)),
    "overview:year": Row(only(*BUDGETS), args=lambda o: [2026]),
    "overview:year_pdf": Row(only(*BUDGETS, status=302), args=lambda o: [2026], method="post"),
    # A file made off the request: only for the one who ordered it (ekonomi).
    "reports:rendering": Row(expect(404, ekonomi=200), args=lambda o: [o["rendering"].pk]),
    "reports:rendering_download": Row(expect(404, ekonomi=200), args=lambda o: [o["rendering"].pk]),
    "overview:year_xlsx": Row(only(*BUDGETS), args=lambda o: [2026]),
    # The public anslagstavla: everyone, without logging in.
    "public:notice_board": Row(expect(200, anonymous=200)),
    "public:archive": Row(expect(200, anonymous=200)),
    "public:minutes": Row(expect(200, anonymous=200), args=lambda o: [o["justerat"].pk]),
    "public:minutes_pdf": Row(expect(200, anonymous=200), args=lambda o: [o["justerat"].pk]),
    "public:verify": Row(expect(200, anonymous=200)),
    "public:paragraph": Row(expect(200, anonymous=200), args=lambda o: [o["immediate"].pk]),
    "public:paragraph_pdf": Row(expect(200, anonymous=200), args=lambda o: [o["immediate"].pk]),
    "public:delegation": Row(expect(200, anonymous=200), args=lambda o: [o["delegated"].pk]),
    "public:postings_feed": Row(expect(200, anonymous=200)),
    "public:minutes_feed": Row(expect(200, anonymous=200)),
    "public:subscribe": Row(expect(200, anonymous=200)),
    # A link from a mail: its page asks for the click (an unknown token too).
    "public:subscription_confirm": Row(expect(200, anonymous=200), args=lambda o: ["okand"]),
    "public:unsubscribe": Row(expect(200, anonymous=200), args=lambda o: ["okand"]),
}

# Out-of-scope objects answer 404 for those who may use the page at all.
MISSING_OBJECTS = {
    "administration:user": ("ekonomi", [999_999]),
    "administration:member": ("ekonomi", [999_999]),
    "projects:detail": ("kansli", [999_999]),
    "projects:application": ("kansli", [999_999]),
    "projects:budget_line": ("ekonomi", [999_999]),
    "projects:attachment": ("kansli", [999_999]),
    "projects:obligation": ("kansli", [999_999]),
    "projects:payment_request": ("kansli", [999_999]),
    "participants:detail": ("kansli", [999_999]),
    "board:meeting": ("kansli", [999_999]),
    "board:minutes": ("kansli", [999_999]),
    "board:paragraph": ("kansli", [999_999]),
    "public:minutes": ("anonymous", [999_999]),
    "reports:detail": ("kansli", [999_999]),
    "reports:rendering": ("ekonomi", [999_999]),
}


def all_url_patterns(resolver=None, namespace="", prefix=""):
    """(name, full route) of every URL pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def test_every_url_has_a_row_in_the_permission_matrix():
    names = {n for n in all_url_names() if not n.startswith("admin:")}

    missing = sorted(names - MATRIX.keys())
    assert not missing, f"URL patterns without expected statuses: {missing}"
    assert not sorted(MATRIX.keys() - names), "rows for URLs that no longer exist"


class LazyObjects(dict):
    """The objects rows ask for; the board's are made only when a row needs
    them (a justerat protocol costs a PDF rendering)."""

    def __init__(self, persona_users, base):
        super().__init__(base)
        self.persona_users = persona_users

    def __missing__(self, key):
        if key == "justerat":
            self["justerat"] = _justerat(self.persona_users, self["seats"])
        elif key == "immediate":
            self[key] = _immediate(self.persona_users, self["seats"])
        elif key == "correction":
            from board.models import Correction

            justerat = self["justerat"]
            self[key] = Correction.objects.create(
                minutes=justerat,
                paragraph=justerat.paragraphs.first(),
                text="Rätt datum är den 6 november.",
                created_by=self.persona_users["kansli"],
            )
        elif key == "delegated":
            self[key] = _delegated(self.persona_users["kansli"])
        elif key == "rendering":
            from overview.services import year_pdf_order

            self[key] = year_pdf_order(actor=self.persona_users["ekonomi"], year=2026)
        elif key.endswith("report"):
            self[key] = _report_object(key, self.persona_users, self["project"])
        else:
            self.update(_board_objects(self.persona_users))
        return self[key]


# Users, logins and objects are made once for the module (the board's take a
# PDF rendering); each test gets copies, and runs in a savepoint.
SHARED_KEYS = (
    "justerat",
    "immediate",
    "rendering",
    "report",
    "submitted_report",
    "approved_report",
    "meeting",
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    from django.conf import settings

    from tests import factories
    from tests.conftest import make_persona_users, shared_data, verified_client

    with shared_data(django_db_blocker):
        factories.federation()
        users = make_persona_users()
        objects = LazyObjects(users, _objects(users))
        for key in SHARED_KEYS:
            objects[key]  # noqa: B018 - made now, once
        sessions = {
            name: verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
            for name, user in users.items()
        }
        yield users, objects, sessions


@pytest.fixture
def persona_users(world, db):
    return copy.deepcopy(world[0])


@pytest.fixture
def objects(world, persona_users):
    shared = copy.deepcopy(world[1])
    shared.persona_users = persona_users
    return shared


@pytest.fixture
def personas(world, persona_users):
    from tests.conftest import Personas

    return Personas(persona_users, world[2])


def _objects(persona_users):
    from django.core.files.base import ContentFile

    from projects.models import (
        Attachment,
        BudgetLine,
        CostEntry,
        ProjectStatus,
        ReportKind,
        ReportObligation,
        StaffRole,
    )
    from tests import factories

    # A running insats, so follow-up applications may be started for it.
    project = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(persona_users["processledare_a"], StaffRole.PROCESS_LEADER)],
    )
    application = factories.application(project)
    attachment = Attachment(
        application=application,
        name="budget.pdf",
        size=9,
        uploaded_by=persona_users["kansli"],
    )
    attachment.file.save("budget.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {
        "participation": factories.participation(project, persona_users["processledare_a"]),
        "target": factories.user(username="malperson"),
        "member": factories.member(),
        "project": project,
        "staff": project.staff.get(),
        "application": application,
        "goal": application.goals.get(),
        "attachment": attachment,
        "budget_line": BudgetLine.objects.create(
            project=project, year=2026, category=factories.category("Resor"), amount=100
        ),
        "obligation": ReportObligation.objects.create(
            project=project,
            kind=ReportKind.TERTIAL,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 4, 30),
            due_date=dt.date(2026, 5, 15),
        ),
        "payment_request": _payment_request(project, persona_users["processledare_a"]),
        "refund": _refund(project, persona_users["ekonomi"]),
        "cost": CostEntry.objects.create(
            project=project,
            month=dt.date(2026, 1, 1),
            category=factories.category("Resor"),
            amount=10,
        ),
    }


def _payment_request(project, leader):
    """A quarter's advance requested by processledare A."""
    from decimal import Decimal

    from projects.models import GrantedAmount, RequestKind
    from projects.services import payment_request_create
    from tests import factories

    application = factories.application(
        project, kind="tillagg", complete=False, status="beviljad", decided_on=dt.date(2026, 1, 5)
    )
    GrantedAmount.objects.create(application=application, year=2026, amount=400_000)
    return payment_request_create(
        actor=leader,
        project=project,
        kind=RequestKind.ADVANCE,
        year=2026,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        amount=Decimal(100_000),
    )


def _refund(project, economist):
    """A slutredovisning's refund claim, not yet paid back."""
    from projects.models import RefundClaim, Settlement

    settlement = Settlement.objects.create(
        project=project, costs=90, paid=100, made_on=dt.date(2026, 1, 20), made_by=economist
    )
    return RefundClaim.objects.create(
        settlement=settlement, amount=10, due_date=dt.date(2026, 2, 20)
    )


def _report_object(key, persona_users, project):
    """A draft, a handed-in or an approved report of processledare A's insats
    (made only when a row needs it: handing in computes and draws)."""
    from tests import factories

    writer, kansli = persona_users["processledare_a"], persona_users["kansli"]
    if key == "submitted_report":
        return factories.report(project, writer, kind="lagesrapport", submit=True)
    if key == "approved_report":
        return factories.report(project, writer, kind="tertialrapport", approver=kansli)
    return factories.report(project, writer, written=False)


def _justerat(persona_users, seats):
    from tests import factories

    secretary, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    justerat = factories.minutes(actor=secretary, date=dt.date(2025, 11, 5))
    factories.ready_for_justering(secretary, justerat, chair, seats[1].user)
    factories.sign(chair, justerat)
    factories.sign(seats[1].user, justerat)
    return justerat


def _immediate(persona_users, seats):
    """A § justerad omedelbart at a meeting whose protocol is still a draft."""
    from board import services
    from board.models import Paragraph
    from tests import factories

    secretary, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    minutes = factories.minutes(actor=secretary, date=dt.date(2025, 12, 3))
    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[seats[1].user])
    paragraph = services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(
            title="Brådskande yttrande",
            decision_text="Styrelsen beslutar att avge yttrandet.",
            immediate=True,
        ),
    )
    for user in (chair, seats[1].user):
        services.paragraph_sign(
            actor=user,
            paragraph=paragraph,
            password=factories.PASSWORD,
            token=factories.totp_code(user.totpdevice_set.get(), offset_steps=1),
        )
    paragraph.refresh_from_db()
    assert paragraph.justerat_at is not None
    return paragraph


def _delegated(secretary):
    """A delegationsbeslut that is not reported, so it is posted."""
    from board import services
    from board.models import DelegationDecision, DelegationRule

    rule = DelegationRule.objects.create(
        code="9.9", matter="Yttranden", delegate="Förbundschef", reported=False
    )
    return services.delegation_decision_record(
        actor=secretary,
        decision=DelegationDecision(
            rule=rule, decided_on=dt.date(2026, 1, 7), decided_by=secretary, matter="Yttrande."
        ),
    )


def _procedure_objects(minutes):
    """Yrkanden, a vote, a reservation and a jäv in a § of ``minutes``."""
    from board.models import (
        Motion,
        MotionKind,
        PartialPresence,
        PresenceKind,
        Proposition,
        Reservation,
        Vote,
    )

    paragraph = minutes.paragraphs.last()
    people = list(minutes.attendance.filter(kind="beslutande").order_by("order"))
    first = Motion.objects.create(
        paragraph=paragraph, kind=MotionKind.PROPOSAL, source="förslaget", text="att bevilja"
    )
    second = Motion.objects.create(
        paragraph=paragraph, kind=MotionKind.MOTION, made_by=people[1], text="avslag"
    )
    proposition = Proposition.objects.create(
        paragraph=paragraph, first=first, second=second, found=first
    )
    return {
        "motion": second,
        "proposition": proposition,
        "vote": Vote.objects.create(proposition=proposition),
        "reservation": Reservation.objects.create(paragraph=paragraph, attendance=people[1]),
        "partial": PartialPresence.objects.create(
            attendance=people[2], kind=PresenceKind.RECUSAL, first=paragraph, last=paragraph
        ),
    }


def _board_objects(persona_users):
    """A protocol out for justering (the styrelseledamot chairs it), an
    upcoming meeting with a ready application and a handling."""
    from django.core.files.base import ContentFile

    from board import services
    from board.models import MeetingDocument
    from tests import factories

    secretary, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    seats = factories.board(chair=chair)
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    services.minutes_take_back(actor=secretary, minutes=minutes)
    # Out for justering again, so the board sees it and its chair may sign.
    services.minutes_send_for_justering(actor=secretary, minutes=minutes)
    ready = factories.ready_application()
    upcoming = factories.meeting(actor=secretary, date=dt.date(2099, 3, 12))
    document = MeetingDocument(meeting=upcoming, name="handling.pdf", size=9)
    document.file.save("handling.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    services.meeting_document_add(actor=secretary, document=document)
    services.meeting_send_notice(actor=secretary, meeting=upcoming)
    return {
        "seat": seats[0],
        "meeting": upcoming,
        "past_meeting": factories.meeting(actor=secretary, date=dt.date(2026, 4, 2)),
        "agenda_item": upcoming.agenda.first(),
        "document": document,
        "ready": ready,
        "minutes": minutes,
        "attendance": minutes.attendance.first(),
        "paragraph": minutes.paragraphs.last(),
        "seats": seats,
        **_procedure_objects(minutes),
    }


@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(personas, objects, url_name, persona):
    row = MATRIX[url_name]
    url = reverse(url_name, args=row.args(objects))

    response = getattr(personas[persona], row.method)(url)

    expected = expected_status(url_name, persona)
    assert response.status_code == expected, (
        f"{persona} {row.method.upper()} {url}: {response.status_code}, expected {expected}"
    )
    if persona == "anonymous" and expected == 302:
        assert response.url.startswith(reverse("account:login"))


@pytest.mark.parametrize("url_name", sorted(MISSING_OBJECTS))
def test_objects_that_do_not_exist_answer_404(personas, url_name):
    persona, args = MISSING_OBJECTS[url_name]

    assert personas[persona].get(reverse(url_name, args=args)).status_code == 404


def test_the_django_admin_is_for_verified_superusers_only(personas):
    from django.contrib import admin

    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in urls:
        for persona in PERSONAS:
            status = personas[persona].get(url).status_code
            assert status == (200 if persona == "admin" else 302), (persona, url, status)


# --- Who may change whose roles and account ----------------------------------
# (actor, target, what, allowed). A user administrator (Ekonomi) manages the
# others; only a superuser touches a superuser or a Kansli user; nobody
# changes their own roles.

ROLE_CHANGES = [
    ("ekonomi", "ekonomi", ("grant", "Kansli"), False),
    ("ekonomi", "ekonomi", ("grant", "Styrelse"), False),
    ("ekonomi", "ekonomi", ("remove", "Ekonomi"), False),
    ("admin", "admin", ("grant", "Kansli"), False),
    ("ekonomi", "processledare_a", ("grant", "Styrelse"), True),
    ("ekonomi", "processledare_a", ("grant", "Ekonomi"), True),
    ("ekonomi", "processledare_a", ("grant", "Kansli"), False),
    ("ekonomi", "kansli", ("remove", "Kansli"), False),
    ("ekonomi", "kansli", ("email", "ny@example.test"), False),
    ("ekonomi", "kansli", ("deactivate", None), False),
    ("ekonomi", "admin", ("email", "ny@example.test"), False),
    ("ekonomi", "admin", ("deactivate", None), False),
    ("ekonomi", "admin", ("remove", "Ekonomi"), False),
    ("ekonomi", "processledare_a", ("email", "ny@example.test"), True),
    ("ekonomi", "processledare_a", ("deactivate", None), True),
    ("ekonomi", None, ("create", "Ekonomi"), True),
    ("ekonomi", None, ("create", "Kansli"), False),
    ("kansli", "processledare_a", ("grant", "Styrelse"), False),
    ("admin", "processledare_a", ("grant", "Kansli"), True),
    ("admin", "kansli", ("email", "ny@example.test"), True),
    ("admin", "kansli", ("remove", "Kansli"), True),
    ("admin", "kansli", ("deactivate", None), True),
    ("admin", None, ("create", "Kansli"), True),
]


def _apply_change(actor, target, what):
    from django.contrib.auth.models import Group

    from finsam import services
    from finsam.models import User

    kind, value = what
    if kind == "create":
        services.user_create(
            actor=actor,
            user=User(username="ny", full_name="Ny Person", email="ny@example.test"),
            roles=Group.objects.filter(name=value),
        )
        return User.objects.filter(username="ny").exists()
    if kind == "deactivate":
        services.user_deactivate(actor=actor, user=target)
        target.refresh_from_db()
        return not target.is_active
    roles = set(target.groups.values_list("name", flat=True))
    if kind == "grant":
        roles.add(value)
    elif kind == "remove":
        roles.discard(value)
    edited = User.objects.get(pk=target.pk)
    if kind == "email":
        edited.email = value
    services.user_update(actor=actor, user=edited, roles=Group.objects.filter(name__in=roles))
    target.refresh_from_db()
    return set(target.groups.values_list("name", flat=True)) == roles and (
        kind != "email" or target.email == value
    )


@pytest.mark.parametrize(("actor", "target", "what", "allowed"), ROLE_CHANGES)
def test_role_and_account_changes_follow_the_rules(persona_users, actor, target, what, allowed):
    from django.core.exceptions import PermissionDenied, ValidationError

    actor_user = persona_users[actor]
    target_user = persona_users[target] if target else None
    if allowed:
        assert _apply_change(actor_user, target_user, what)
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            _apply_change(actor_user, target_user, what)


def test_ekonomi_cannot_make_itself_kansli_through_its_own_user_form(personas, persona_users):
    from django.contrib.auth.models import Group

    me = persona_users["ekonomi"]
    response = personas["ekonomi"].post(
        reverse("administration:user", args=[me.pk]),
        {
            "username": me.username,
            "full_name": me.full_name,
            "email": me.email,
            "roles": [g.pk for g in Group.objects.filter(name__in=["Ekonomi", "Kansli"])],
        },
    )

    # Its own roles are not a field it can change: the rest is saved, the roles are not.
    assert response.status_code == 302
    assert list(me.groups.values_list("name", flat=True)) == ["Ekonomi"]
    assert "Dina egna roller kan bara en annan administratör ändra." in (
        personas["ekonomi"].get(response.url).content.decode()
    )


def test_ekonomi_sees_the_superuser_but_cannot_change_its_email(personas, persona_users):
    admin = persona_users["admin"]
    url = reverse("administration:user", args=[admin.pk])

    page = personas["ekonomi"].get(url).content.decode()
    forged = personas["ekonomi"].post(
        url, {"username": admin.username, "full_name": admin.full_name, "email": "x@evil.test"}
    )

    assert "Bara en superanvändare kan ändra" in page
    assert 'name="email"' not in page
    assert forged.status_code == 403
    admin.refresh_from_db()
    assert admin.email != "x@evil.test"


def test_a_role_change_is_mailed_to_the_user_and_the_superusers(
    persona_users, django_capture_on_commit_callbacks, mailoutbox
):
    from django.contrib.auth.models import Group

    from finsam import services

    target = persona_users["processledare_a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(
            actor=persona_users["ekonomi"],
            user=target,
            roles=Group.objects.filter(name__in=["Insatspersonal", "Styrelse"]),
        )

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [target.email, persona_users["admin"].email]
    )
    assert "Före: Insatspersonal" in mailoutbox[0].body
    assert "Efter: Insatspersonal, Styrelse" in mailoutbox[0].body


def test_a_user_administrator_grants_only_the_roles_the_setting_allows(persona_users, settings):
    from django.contrib.auth.models import Group
    from django.core.exceptions import PermissionDenied

    from finsam import services

    settings.FINSAM_GRANTABLE_ROLES = ["Insatspersonal"]
    target = persona_users["processledare_a"]

    with pytest.raises(PermissionDenied, match="Styrelse"):
        services.user_update(
            actor=persona_users["ekonomi"],
            user=target,
            roles=Group.objects.filter(name__in=["Insatspersonal", "Styrelse"]),
        )


# Identity, registerutdrag and every export of participant data or budgets ask
# for the second factor again when it was not given in the last minutes.
RECHECKED = {
    "account:backup_codes": ("kansli", lambda o: [], ""),
    "participants:register_extract": ("processledare_a", participation_args, ""),
    "participants:detail": ("processledare_a", lambda o: [_identified(o).pk], "?visa=identitet"),
    "participants:statistics_export": ("kansli", lambda o: [], ""),
    "participants:followup_export": ("kansli", lambda o: [2026], ""),
    "projects:export_project": ("ekonomi", project_args, ""),
    "projects:export_year": ("ekonomi", lambda o: [2026], ""),
    "overview:year_xlsx": ("ekonomi", lambda o: [2026], ""),
    "reports:rendering_download": ("ekonomi", lambda o: [o["rendering"].pk], ""),
}


def _identified(objects):
    from tests import factories

    leader = objects.persona_users["processledare_a"]
    number = factories.personnummer("19900115")
    return factories.participation(objects["project"], leader, number=number, name="Test Testsson")


@pytest.mark.parametrize("url_name", sorted(RECHECKED))
def test_sensitive_reads_ask_for_the_second_factor_again(
    persona_users, objects, url_name, settings
):
    from tests.conftest import verified_client

    settings.FINSAM_IDENTIFIED_MODE = True
    persona, args, query = RECHECKED[url_name]
    url = reverse(url_name, args=args(objects)) + query

    response = verified_client(persona_users[persona], recent=False).get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account:recheck"))


# The year page reads every insats's participations: exact counts only for the
# kansli, who may read the statistics of every insats; ekonomi, who may not,
# sees them suppressed, as in the PDF and the Excel file.
YEAR_PAGE_COUNTS = {"kansli": "exact", "admin": "exact", "ekonomi": "suppressed"}


@pytest.mark.parametrize(("persona", "counts"), sorted(YEAR_PAGE_COUNTS.items()))
def test_the_year_page_shows_exact_participant_counts_only_to_the_kansli(
    personas, objects, persona, counts
):
    from overview.yearly import federation_year_report

    project = objects["project"]
    threshold = federation_year_report(2026).threshold
    one = "1" if counts == "exact" else f"<{threshold}"

    page = personas[persona].get(reverse("overview:year", args=[2026]))

    people = {t["table"].key: t for t in page.context["tables"]}["deltagare"]["rows"]
    row = next(r for r in people if r[0] == project.reference)
    assert row[-1] == one  # the insats's one participant, in total
    assert sorted(row[2:-1]) == sorted([one, "0", "0"])  # and by kön
