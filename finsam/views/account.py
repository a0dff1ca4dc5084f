"""Login with password and a second factor (TOTP or a backup code)."""

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam import selectors, services
from finsam.auth import (
    login_wait_seconds,
    mark_second_factor_checked,
    needs_enrolment,
    recent_second_factor,
    second_factor_exempt,
    verify_token,
)
from finsam.forms import TokenForm
from finsam.lib.http import safe_next


def _next_url(request, default="dashboard"):
    return safe_next(request, reverse(default))


class LoginView(auth_views.LoginView):
    template_name = "account/login.html"
    redirect_authenticated_user = False

    def post(self, request, *args, **kwargs):
        wait = login_wait_seconds(request, request.POST.get("username", ""))
        if wait:
            response = render(request, "account/lockout.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        step = "account:otp_setup" if needs_enrolment(self.request.user) else "account:otp_verify"
        after = self.get_redirect_url() or reverse("dashboard")
        return f"{reverse(step)}?{urlencode({'next': after})}"


@second_factor_exempt
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Du är utloggad."))
    return redirect("account:login")


@second_factor_exempt
@never_cache
@sensitive_post_parameters("token")
def otp_verify(request):
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if needs_enrolment(request.user):
        return redirect("account:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            mark_second_factor_checked(request)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Koden stämmer inte. Försök igen med en ny kod."))
    return render(request, "account/otp_verify.html", {"form": form, "next": _next_url(request)})


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@second_factor_exempt
@never_cache
@sensitive_post_parameters("token")
def otp_setup(request):
    """Enrol an authenticator app by QR code, then hand out backup codes once."""
    if not needs_enrolment(request.user):
        return redirect("account:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Autentiseringsapp"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            codes = services.second_factor_confirm(actor=request.user, device=device)
            otp_login(request, device)
            mark_second_factor_checked(request)
            return render(
                request,
                "account/backup_codes_shown.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "token", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "account/otp_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters("token")
def recheck(request):
    """Ask for the second factor again before a sensitive act."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_token(request.user, form.cleaned_data["token"]) is not None:
            mark_second_factor_checked(request)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Koden stämmer inte. Försök igen med en ny kod."))
    return render(request, "account/recheck.html", {"form": form, "next": _next_url(request)})


def profile(request):
    return render(
        request,
        "account/profile.html",
        {"backup_codes_left": selectors.backup_codes_left(request.user)},
    )


@never_cache
@recent_second_factor
def backup_codes(request):
    """New backup codes replace the old ones; they are shown only once."""
    if request.method == "POST":
        codes = services.backup_codes_renew(actor=request.user, user=request.user)
        return render(
            request,
            "account/backup_codes_shown.html",
            {"codes": codes, "next": reverse("account:profile")},
        )
    return render(request, "account/backup_codes.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "account/password_change.html"
    success_url = reverse_lazy("account:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Lösenordet är bytt."))
        return response


@login_not_required
def lockout(request, credentials, *args, **kwargs):
    """django-axes calls this when a username is locked out."""
    return render(request, "account/lockout.html", status=429)
