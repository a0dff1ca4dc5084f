"""Administration: users and roles, the förbund, members, contributions, history,
and the choice lists."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam import choice_lists as choice_writes
from finsam import selectors, services
from finsam.choice_lists import REGISTRY, ChoiceList
from finsam.forms import (
    AuditFilterForm,
    ContributionYearForm,
    FederationForm,
    MemberForm,
    UserForm,
    form_errors,
)
from finsam.models import Federation, Member, User
from finsam.navigation import ADMINISTRATION
from finsam.roles import ROLE_DESCRIPTIONS
from finsam.views.outcome import attempt
from finsam.views.scoped import area


def index(request):
    if not ADMINISTRATION.allows(request.user):
        raise PermissionDenied
    return render(request, "administration/index.html")


@area("finsam.manage_users")
def user_list(request):
    show = request.GET.get("visa", "aktiva")
    users = selectors.users_for_administration(show=show)
    return render(request, "administration/user_list.html", {"users": users, "show": show})


@area("finsam.manage_users")
def user_create(request):
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                actor=request.user,
                user=form.save(commit=False),
                roles=form.cleaned_data["roles"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.args[0] if isinstance(error, PermissionDenied) else error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s har lagts till. Ett e-postmeddelande med en länk för att välja "
                    "lösenord har skickats till %(email)s."
                )
                % {"name": user, "email": user.email},
            )
            return redirect(user)
    return render(
        request,
        "administration/user_form.html",
        {"form": form, "role_descriptions": ROLE_DESCRIPTIONS},
    )


@area("finsam.manage_users")
def user_detail(request, pk):
    user = get_object_or_404(User.objects.select_related("member"), pk=pk)
    editable = services.may_administer(request.user, user)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = UserForm(request.POST or None, instance=user, actor=request.user) if editable else None
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user, user=form.save(commit=False), roles=form.cleaned_data["roles"]
            )
        except PermissionDenied as error:
            form.add_error(None, error.args[0])
        else:
            messages.success(request, _("Uppgifterna för %(name)s är sparade.") % {"name": user})
            return redirect(user)
    return render(
        request,
        "administration/user_detail.html",
        {
            "subject": user,
            "form": form,
            "roles": user.groups.order_by("name"),
            "role_descriptions": ROLE_DESCRIPTIONS,
            "history": selectors.history_for(user),
        },
    )


@require_POST
@area("finsam.manage_users")
def user_deactivate(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        services.user_deactivate(actor=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("%(name)s är inaktiverad och utloggad.") % {"name": user})
    return redirect(user)


@require_POST
@area("finsam.manage_users")
def user_reactivate(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        services.user_reactivate(actor=request.user, user=user)
    except PermissionDenied as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("%(name)s är aktiv igen.") % {"name": user})
    return redirect(user)


@area("finsam.manage_federation")
def federation_edit(request):
    federation = Federation.objects.first() or Federation()
    form = FederationForm(request.POST or None, instance=federation)
    if request.method == "POST" and form.is_valid():
        services.federation_save(actor=request.user, federation=form.save(commit=False))
        messages.success(request, _("Förbundets uppgifter är sparade."))
        return redirect("administration:federation")
    return render(
        request,
        "administration/federation.html",
        {
            "form": form,
            "history": selectors.history_for(federation) if federation.pk else [],
        },
    )


@area("finsam.manage_federation")
def member_list(request):
    return render(request, "administration/member_list.html", {"members": Member.objects.all()})


@area("finsam.manage_federation")
def member_edit(request, pk=None):
    member = get_object_or_404(Member, pk=pk) if pk else Member()
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_save(actor=request.user, member=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s är sparad.") % {"name": member})
            return redirect("administration:members")
    return render(
        request,
        "administration/member_form.html",
        {
            "form": form,
            "member": member,
            "history": selectors.history_for(member) if member.pk else [],
        },
    )


@area("finsam.manage_federation")
def contributions(request, year=None):
    year = year or timezone.localdate().year
    form = ContributionYearForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.contributions_set_for_year(
                actor=request.user, year=form.cleaned_data["year"], total=form.cleaned_data["total"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Medlemsbidragen för %(year)s är fördelade.")
                % {"year": form.cleaned_data["year"]},
            )
            return redirect("administration:contributions_year", year=form.cleaned_data["year"])
    return render(
        request,
        "administration/contributions.html",
        {
            "form": form,
            "year": year,
            "rows": selectors.contributions_for_year(year),
            "total": selectors.contribution_total(year),
            "years": selectors.contribution_years(),
            "has_af": selectors.members_active().filter(kind="arbetsformedlingen").exists(),
        },
    )


@permission_required("finsam.view_audit", raise_exception=True)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    logins = request.GET.get("visa") == "inloggningar"
    entries = selectors.audit_log_page(
        action=filters.get("handelse") or "",
        actor=filters["person"].pk if filters.get("person") else None,
        start=filters.get("fran"),
        end=filters.get("till"),
        table=filters.get("objekt") or "",
        logins=logins,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "administration/audit_log.html",
        {
            "page": page,
            "rows": selectors.describe(page.object_list, request.user),
            "form": form,
            "logins": logins,
            "query": query.urlencode(),
        },
    )


# --- Choice lists ------------------------------------------------------------------


def _choice_list(slug) -> ChoiceList:
    choice_list = REGISTRY.get(slug)
    if choice_list is None:
        raise Http404
    return choice_list


def _choice_form(choice_list: ChoiceList):
    return forms.modelform_factory(choice_list.model, fields=list(choice_list.fields))


@area("finsam.manage_federation")
def choice_lists(request):
    lists = [(c, c.model.objects.count()) for c in REGISTRY.values()]
    return render(request, "administration/choice_lists.html", {"lists": lists})


@area("finsam.manage_federation")
def choice_list(request, slug):
    choice_list = _choice_list(slug)
    form = _choice_form(choice_list)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = choice_writes.choice_save(actor=request.user, entry=form.save(commit=False))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("”%(entry)s” är tillagd.") % {"entry": entry})
            return redirect("administration:choice_list", slug)
    entries = choice_list.model.objects.all()
    return render(
        request,
        "administration/choice_list.html",
        {"choice_list": choice_list, "entries": entries, "form": form},
    )


@area("finsam.manage_federation")
def choice_edit(request, slug, pk):
    choice_list = _choice_list(slug)
    entry = get_object_or_404(choice_list.model, pk=pk)
    form = _choice_form(choice_list)(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            choice_writes.choice_save(actor=request.user, entry=form.save(commit=False))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("”%(entry)s” är sparad.") % {"entry": entry})
            return redirect("administration:choice_list", slug)
    return render(
        request,
        "administration/choice_edit.html",
        {
            "choice_list": choice_list,
            "entry": entry,
            "form": form,
            "history": selectors.history_for(entry),
        },
    )


@require_POST
@area("finsam.manage_federation")
def choice_delete(request, slug, pk):
    choice_list = _choice_list(slug)
    entry = get_object_or_404(choice_list.model, pk=pk)
    name = str(entry)
    if attempt(
        request,
        lambda: choice_writes.choice_delete(actor=request.user, entry=entry),
        _("”%(entry)s” är borttagen.") % {"entry": name},
    ):
        return redirect("administration:choice_list", slug)
    return redirect("administration:choice", slug, pk)
