"""The public anslagstavla, archive and verification: no login, no personal data."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from board import pdf, selectors
from board.forms import SearchForm, VerifyForm
from board.models import DocumentKind, Minutes
from finsam.models import Federation
from finsam.views.downloads import attachment

public = cache_control(public=True, max_age=300)


def _federation():
    return Federation.objects.first()


@login_not_required
@public
def notice_board(request):
    return render(
        request,
        "public/notice_board.html",
        {
            "federation": _federation(),
            "postings": selectors.postings_on_board(),
            "today": timezone.localdate(),
        },
    )


@login_not_required
@public
def archive(request):
    years = selectors.archive_years()
    # One year at a time: the latest unless another (that can exist) is asked for.
    asked = request.GET.get("ar", "")
    year = int(asked) if asked.isascii() and asked.isdigit() and len(asked) == 4 else None
    year = year or (years[0] if years else None)
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search_paragraphs(form.cleaned_data["q"], user=None)
    return render(
        request,
        "public/archive.html",
        {
            "federation": _federation(),
            "years": years,
            "year": year,
            "minutes": selectors.public_archive(year),
            "form": form,
            "results": results,
            "searched": form.is_valid() and bool(form.cleaned_data["q"]),
        },
    )


def _public_minutes_or_404(pk) -> Minutes:
    try:
        return selectors.public_minutes(pk)
    except Minutes.DoesNotExist as missing:
        raise Http404 from missing


@login_not_required
@public
def minutes(request, pk):
    minutes = _public_minutes_or_404(pk)
    return render(
        request,
        "public/minutes.html",
        pdf.minutes_context(minutes, public=True),
    )


@login_not_required
def minutes_pdf(request, pk):
    """The public version as kept at justering (the original, when no § is secret)."""
    minutes = _public_minutes_or_404(pk)
    stored = (
        minutes.documents.filter(kind=DocumentKind.PUBLIC).first()
        or minutes.documents.filter(kind=DocumentKind.OFFICIAL).first()
    )
    data = bytes(stored.content) if stored else pdf.minutes_pdf(minutes, public=True)
    return attachment(data, f"protokoll-{minutes.meeting.date}.pdf")


@login_not_required
def verify(request):
    """Paste a checksum or upload a PDF: does it match a justerat protocol?"""
    form = VerifyForm(request.POST or None, request.FILES or None)
    match, checked, checksum = None, False, ""
    if request.method == "POST" and form.is_valid():
        checked = True
        checksum = form.cleaned_data["checksum"]
        upload = form.cleaned_data["file"]
        if upload:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            checksum = digest.hexdigest()
        match = selectors.justerat_matching(checksum)
        form = VerifyForm()
    return render(
        request,
        "public/verify.html",
        {
            "federation": _federation(),
            "form": form,
            "checked": checked,
            "match": match,
            "checksum": checksum,
        },
    )
