"""File downloads from the apps' views: every export is logged, in one place."""

from __future__ import annotations

from django.http import HttpResponse

from finsam.lib import spreadsheet
from finsam.models import AuditAction
from finsam.services import log_event

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}


def attachment(content: bytes | str, filename: str) -> HttpResponse:
    """The content as a file to save, typed by the file name's extension."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export(request, content: bytes, *, filename: str, what: str) -> HttpResponse:
    """An export: logged with who took what, then downloaded."""
    log_event(actor=request.user, action=AuditAction.EXPORT, message=f"{what}: {filename}")
    return attachment(content, filename)


def spreadsheet_export(request, datasets, *, filename: str, what: str) -> HttpResponse:
    """Datasets as .xlsx (one sheet each), or with ``?format=csv`` the first
    one as CSV. ``filename`` is given without its extension."""
    if request.GET.get("format") == "csv":
        content, extension = spreadsheet.write_csv(datasets[0]), "csv"
    else:
        content, extension = spreadsheet.write_xlsx(datasets), "xlsx"
    return export(request, content, filename=f"{filename}.{extension}", what=what)
