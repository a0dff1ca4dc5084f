from django.urls import path

from board.views import meetings, minutes, procedure, separate

app_name = "board"

urlpatterns = [
    path("", meetings.index, name="index"),
    path("ledamoter/", meetings.members, name="members"),
    path("ledamoter/<int:pk>/", meetings.membership, name="membership"),
    path("sok/", meetings.search, name="search"),
    path("sammantraden/nytt/", meetings.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", meetings.meeting, name="meeting"),
    path("sammantraden/<int:pk>/andra/", meetings.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/kalender.ics", meetings.meeting_ics, name="meeting_ics"),
    path("sammantraden/<int:pk>/installa/", meetings.meeting_cancel, name="meeting_cancel"),
    path("sammantraden/<int:pk>/ta-bort/", meetings.meeting_delete, name="meeting_delete"),
    path("sammantraden/<int:pk>/kallelse/", meetings.notice_send, name="notice_send"),
    path(
        "sammantraden/<int:pk>/kallelse/<int:mail_pk>/igen/",
        meetings.notice_resend,
        name="notice_resend",
    ),
    path("sammantraden/<int:pk>/punkter/", meetings.agenda_add, name="agenda_add"),
    path("punkter/<int:pk>/ta-bort/", meetings.agenda_delete, name="agenda_delete"),
    path("sammantraden/<int:pk>/handlingar/", meetings.document_add, name="document_add"),
    path("handlingar/<int:pk>/", meetings.document, name="document"),
    path("handlingar/<int:pk>/ta-bort/", meetings.document_delete, name="document_delete"),
    path("ansokningar/<int:pk>.pdf", meetings.application_pdf, name="application_pdf"),
    path("sammantraden/<int:pk>/protokoll/", minutes.minutes_create, name="minutes_create"),
    path("protokoll/<int:pk>/", minutes.minutes, name="minutes"),
    path("protokoll/<int:pk>/uppgifter/", minutes.minutes_update, name="minutes_update"),
    path("protokoll/<int:pk>/narvaro/", minutes.attendance_add, name="attendance_add"),
    path("narvaro/<int:pk>/ta-bort/", minutes.attendance_delete, name="attendance_delete"),
    path("protokoll/<int:pk>/justerare/", minutes.signers, name="signers"),
    path("protokoll/<int:pk>/paragrafer/", minutes.paragraph_add, name="paragraph_add"),
    path("paragrafer/<int:pk>/", minutes.paragraph, name="paragraph"),
    path("paragrafer/<int:pk>/ta-bort/", minutes.paragraph_delete, name="paragraph_delete"),
    path("paragrafer/<int:pk>/flytta/", minutes.paragraph_move, name="paragraph_move"),
    path("paragrafer/<int:pk>/bilagor/", minutes.paragraph_attach, name="paragraph_attach"),
    path("paragrafer/<int:pk>/utdrag.pdf", minutes.extract_pdf, name="extract_pdf"),
    path("protokoll/<int:pk>/skicka/", minutes.minutes_send, name="minutes_send"),
    path("protokoll/<int:pk>/ta-tillbaka/", minutes.minutes_take_back, name="minutes_take_back"),
    path("protokoll/<int:pk>/protokoll.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("protokoll/<int:pk>/pdf/", minutes.minutes_pdf_order, name="minutes_pdf_order"),
    path("justera/<int:pk>/", minutes.justering, name="justering"),
    path("justera/<int:pk>/rattelse/", minutes.correction, name="correction"),
    path("paragrafer/<int:pk>/jav/", procedure.recusal_add, name="recusal_add"),
    path(
        "protokoll/<int:pk>/narvaro-per-paragraf/",
        procedure.partly_present_add,
        name="partly_present_add",
    ),
    path(
        "narvaro-per-paragraf/<int:pk>/ta-bort/", procedure.presence_delete, name="presence_delete"
    ),
    path("paragrafer/<int:pk>/yrkanden/", procedure.motion_add, name="motion_add"),
    path("yrkanden/<int:pk>/ta-bort/", procedure.motion_delete, name="motion_delete"),
    path("paragrafer/<int:pk>/propositioner/", procedure.proposition_add, name="proposition_add"),
    path(
        "propositioner/<int:pk>/ta-bort/", procedure.proposition_delete, name="proposition_delete"
    ),
    path("propositioner/<int:pk>/omrostning/", procedure.vote_record, name="vote_record"),
    path("omrostningar/<int:pk>/ta-bort/", procedure.vote_delete, name="vote_delete"),
    path("paragrafer/<int:pk>/reservationer/", procedure.reservation_add, name="reservation_add"),
    path(
        "reservationer/<int:pk>/ta-bort/", procedure.reservation_delete, name="reservation_delete"
    ),
    path("paragrafer/<int:pk>/justera/", separate.paragraph_justering, name="paragraph_justering"),
    path("paragrafer/<int:pk>/rattelse/", separate.correction_create, name="correction_create"),
    path("rattelser/<int:pk>/", separate.correction_doc, name="correction_doc"),
    path("rattelser/<int:pk>/ta-bort/", separate.correction_delete, name="correction_delete"),
    path("delegationsbeslut/", separate.delegation, name="delegation"),
    path(
        "protokoll/<int:pk>/delegationsbeslut/",
        separate.delegations_report,
        name="delegations_report",
    ),
]
