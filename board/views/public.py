"""The public anslagstavla, archive and verification: no login, no personal data."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from board import pdf, selectors, services
from board.forms import SearchForm, SubscribeForm, VerifyForm
from board.models import DelegationDecision, DocumentKind, Minutes, Paragraph
from board.services.own_justering import paragraph_signing_state
from finsam.models import Federation
from finsam.views.downloads import attachment
from finsam.views.outcome import attempt_form

public = cache_control(public=True, max_age=300)


def _federation():
    return Federation.objects.current()


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


# --- A § justerad omedelbart, a delegationsbeslut -------------------------------------


@login_not_required
@public
def paragraph(request, pk):
    """A § justerad omedelbart, public before the rest of its protocol is justerat."""
    try:
        paragraph = selectors.public_paragraph(pk)
    except Paragraph.DoesNotExist as missing:
        raise Http404 from missing
    context = pdf.minutes_context(paragraph.minutes, public=True)
    paragraph = next(p for p in context["paragraphs"] if p.pk == paragraph.pk)
    return render(
        request,
        "public/paragraph.html",
        context
        | {
            "paragraph": paragraph,
            "paragraphs": [paragraph],
            "posting": paragraph.posting,
            "paragraph_signing": paragraph_signing_state(paragraph),
        },
    )


@login_not_required
def paragraph_pdf(request, pk):
    """The protokollsutdrag kept when the § was justerad omedelbart."""
    try:
        paragraph = selectors.public_paragraph(pk)
    except Paragraph.DoesNotExist as missing:
        raise Http404 from missing
    stored = paragraph.documents.filter(kind=DocumentKind.EXTRACT).first()
    if stored is None or paragraph.confidential:
        raise Http404
    return attachment(bytes(stored.content), f"protokollsutdrag-paragraf-{paragraph.number}.pdf")


@login_not_required
@public
def delegation(request, pk):
    decision = get_object_or_404(
        DelegationDecision.objects.select_related("rule", "posting"), pk=pk, posting__isnull=False
    )
    return render(
        request,
        "public/delegation.html",
        {"federation": _federation(), "decision": decision, "posting": decision.posting},
    )


# --- Following the anslagstavla --------------------------------------------------------


@login_not_required
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and attempt_form(
        request,
        form,
        lambda data: services.subscribe(email=data["email"]),
        # The same words whether the address was new, waiting or subscribed.
        _(
            "Tack! Ett e-postmeddelande är på väg till adressen. Följ länken i det för att "
            "bekräfta: först då börjar utskicken."
        ),
    ):
        return redirect("public:subscribe")
    return render(
        request,
        "public/subscribe.html",
        {"federation": _federation(), "form": form},
        status=400 if form.errors else 200,
    )


def _token_page(request, token, write, done: str, template: str):
    """A link from a mail opens a page with one button: a mail scanner that
    follows links changes nothing; the person's click does."""
    if request.method == "POST":
        try:
            write(token)
        except ValidationError as error:
            return render(
                request,
                template,
                {"federation": _federation(), "error": " ".join(error.messages)},
                status=404,
            )
        return render(request, template, {"federation": _federation(), "done": done})
    return render(request, template, {"federation": _federation(), "token": token})


@login_not_required
def subscription_confirm(request, token):
    return _token_page(
        request,
        token,
        lambda t: services.subscription_confirm(token=t),
        _("Tack! Du får nu e-post när ett nytt anslag sätts upp."),
        "public/subscription_confirm.html",
    )


@login_not_required
def unsubscribe(request, token):
    return _token_page(
        request,
        token,
        lambda t: services.unsubscribe(token=t),
        _("Du prenumererar inte längre, och din adress är borttagen."),
        "public/unsubscribe.html",
    )
